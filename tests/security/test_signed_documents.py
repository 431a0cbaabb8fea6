"""A signed document never changes, and anyone allowed can verify it.

Written against what the probe found: a signed order showed the signer's name read live from the person (rename
the person and the signed order changed), and its stored SHA-256 could not be recomputed from the database (the
signing time was hashed with its +03:00 offset and came back from PostgreSQL in UTC).
"""

from __future__ import annotations

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from pypdf import PdfReader

from planning import reports as planning_reports
from planning import services as planning_services
from planning.models import AgendaItem, Meeting, PlanVersion
from planning.signing import protocol_verification, version_verification
from structure import services
from structure.models import ActionKind, Clause, Order, Person, SystemRole, UnitKind
from structure.reports import order_pdf
from structure.signing import order_hash, order_verification
from tests.factories import PersonFactory, create_unit, person_with_account

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
pytestmark = [
    pytest.mark.django_db,
    # `w`: the planning world, built and used from 9:00 on 14 October 2026.
    pytest.mark.world(planning=True, at=datetime.datetime(2026, 10, 14, 9, 0, tzinfo=MOSCOW)),
]
SIGNED_AT = datetime.datetime(2026, 10, 14, 12, 30, 15, 123456, tzinfo=MOSCOW)


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _assert_check_fails(what: str) -> None:
    """verify_documents exits non-zero and names exactly the changed document."""
    errors = io.StringIO()
    with pytest.raises(CommandError, match="^1 document"):
        call_command("verify_documents", stderr=errors)
    assert f"MISMATCH {what}" in errors.getvalue()


def _rename(person: Person, last_name: str) -> None:
    Person.objects.filter(pk=person.pk).update(last_name=last_name)


@pytest.fixture
def signed():
    """An order with a visa, signed at a Moscow time with microseconds, that names a teacher."""
    with time_machine.travel(SIGNED_AT - datetime.timedelta(hours=1)):
        director = person_with_account("director", SystemRole.DIRECTOR, last_name="Подписантов")
        deputy = person_with_account("deputy", SystemRole.DEPUTY, last_name="Заместителев")
        approver = PersonFactory(last_name="Визирующий")
        teacher = PersonFactory(last_name="Ознакомленный")
        order = services.order_create(
            author=deputy, title="О творческой группе", preamble="В целях развития", approvers=[approver]
        )
        clause = services.clause_add(order=order, text="Создать творческую группу.")
        unit = services.action_add(
            clause=clause, kind=ActionKind.CREATE_UNIT, unit_kind=UnitKind.CREATIVE_GROUP, unit_name="ТГ «Поиск»"
        ).unit
        services.action_add(clause=clause, kind=ActionKind.APPOINT, unit=unit, person=teacher, role="head")
        services.order_send(order=order)
        services.order_visa(order=order, person=approver, agree=True)
    with time_machine.travel(SIGNED_AT, tick=False):
        order = services.order_sign(order=order, person=director)
    return order, director, approver, teacher


def test_the_hash_recomputes_after_a_database_round_trip(signed):
    order, *_ = signed
    fresh = Order.objects.get(pk=order.pk)
    assert fresh.signed_at == SIGNED_AT
    assert order_hash(fresh) == order.content_hash
    assert order_verification(fresh).ok


def test_a_signed_order_prints_the_names_it_was_signed_with(signed, settings):
    order, director, approver, teacher = signed
    for person, name in ((director, "Переименованный"), (approver, "Другойвиз"), (teacher, "Новофамильная")):
        _rename(person, name)
    settings.COLLEGE_NAME = "Совсем другой колледж"
    client = Client()
    client.force_login(order.author.user)  # not the director: the header names whoever is logged in
    page = client.get(order.get_absolute_url()).content.decode()
    page = page.split("<details")[0]  # the document, not its change log (which names today's records)
    for frozen in ("Подписантов", "Визирующий", "Ознакомленный"):
        assert frozen in page
    for live in ("Переименованный", "Другойвиз", "Новофамильная"):
        assert live not in page
    assert "verification-failed" not in page
    text = pdf_text(order_pdf(order))
    assert "Подписантов" in text and "Ознакомленный" in text
    assert "Переименованный" not in text and "Совсем другой колледж" not in text
    assert "ВНИМАНИЕ" not in text
    call_command("verify_documents")  # nothing changed that the signature covers


def test_a_changed_signed_order_is_shown_loudly_and_fails_the_check(signed):
    order, director, *_ = signed
    Clause.objects.filter(order=order).update(text="Создать две творческие группы.")
    client = Client()
    client.force_login(director.user)
    page = client.get(order.get_absolute_url()).content.decode()
    assert 'class="alert alert-danger border-3 verification-failed" role="alert"' in page
    assert "ВНИМАНИЕ" in pdf_text(order_pdf(order))
    _assert_check_fails(f"order #{order.pk}")


@pytest.fixture
def w(world):
    return world


def _signed_protocol(w) -> Meeting:
    director, deputy = w.people["director"], w.people["deputy"]
    chair = PersonFactory(last_name="Председательская")
    secretary = PersonFactory(last_name="Секретарская")
    speaker = PersonFactory(last_name="Докладчикова")
    unit = create_unit(
        director,
        deputy,
        UnitKind.ASSOCIATION_EDUCATIONAL,
        "МО кураторов",
        head=chair,
        secretary=secretary,
        members=[speaker],
    )
    meeting = planning_services.meeting_create(
        unit=unit, year=w.year, date=datetime.date(2026, 10, 14), created_by=chair
    )
    planning_services.attendance_set(
        meeting=meeting, rows=[(a.person, True, "") for a in meeting.attendance.select_related("person")]
    )
    item = planning_services.agenda_add(meeting=meeting, title="О плане", speaker=speaker)
    planning_services.agenda_update(item=item, title="О плане", speaker=speaker, decided="Утвердить план")
    planning_services.decision_add(
        agenda_item=item, text="Представить план", responsible=speaker, deadline=datetime.date(2026, 11, 1)
    )
    planning_services.protocol_sign(meeting=meeting, person=chair)
    return planning_services.protocol_sign(meeting=meeting, person=secretary)


def test_a_signed_protocol_prints_what_was_signed(w):
    with time_machine.travel(datetime.datetime(2026, 10, 14, 15, 0, tzinfo=MOSCOW)):
        meeting = _signed_protocol(w)
    for person in Person.objects.filter(last_name__in=["Председательская", "Секретарская", "Докладчикова"]):
        _rename(person, person.last_name + "-Новая")
    text = pdf_text(planning_reports.protocol_pdf(meeting))
    for frozen in ("Председательская", "Секретарская", "Докладчикова"):
        assert frozen in text
    assert "-Новая" not in text
    client = Client()
    client.force_login(w.people["deputy"].user)
    page = client.get(meeting.get_absolute_url()).content.decode().split("<details")[0]
    for frozen in ("Председательская", "Секретарская", "Докладчикова"):
        assert frozen in page
    assert "-Новая" not in page
    assert protocol_verification(Meeting.objects.get(pk=meeting.pk)).ok
    call_command("verify_documents")


def test_a_changed_signed_protocol_fails_the_check(w):
    with time_machine.travel(datetime.datetime(2026, 10, 14, 15, 0, tzinfo=MOSCOW)):
        meeting = _signed_protocol(w)
    snapshot = meeting.snapshot
    snapshot["agenda"][0]["decided"] = "Отклонить план"
    Meeting.objects.filter(pk=meeting.pk).update(snapshot=snapshot)
    assert not protocol_verification(Meeting.objects.get(pk=meeting.pk)).ok
    assert "ВНИМАНИЕ" in pdf_text(planning_reports.protocol_pdf(meeting))
    # The live rows no longer matter once the protocol is signed: the PDF prints the (changed) snapshot, flagged.
    AgendaItem.objects.filter(meeting=meeting).update(decided="Ещё что-то")
    _assert_check_fails(f"protocol of meeting #{meeting.pk}")


def test_an_approved_plan_version_keeps_the_approver_as_approved(w):
    plan = w.association_plan  # submitted by mo_head; the chair approves it
    chair = w.people["chair"]
    with time_machine.travel(datetime.datetime(2026, 10, 15, 11, 0, tzinfo=MOSCOW)):
        planning_services.plan_approve(plan=plan, person=chair)
    version = PlanVersion.objects.get(plan=plan)
    assert version.approved_by_name == chair.full_name
    assert version_verification(version).ok
    original = chair.last_name
    _rename(chair, "Переименованная")
    plan.refresh_from_db()
    text = pdf_text(planning_reports.plan_pdf(plan))
    assert original in text and "Переименованная" not in text
    PlanVersion.objects.filter(pk=version.pk).update(reason="подменено")
    assert not version_verification(PlanVersion.objects.get(pk=version.pk)).ok
    _assert_check_fails(f"plan #{plan.pk} version 1")
