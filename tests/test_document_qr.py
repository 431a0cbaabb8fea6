"""The QR code of fixed documents (ГОСТ Р 7.0.97-2025) and the verification page it leads to.

Every signed order, signed protocol and approved plan (the individual plan too) prints a QR code at the bottom right
of page 1; drafts print none. The code is decoded from the rendered PDF as a reader would: page 1 rasterised at
150 dpi (poppler's pdftoppm) and read by zbarimg (Debian zbar-tools). It is the portal's verification page of that
document, which tells a user allowed to see the document whether the copy and the stored document still match.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext
from pypdf import PdfReader

from metodservice.common.qr import DIGEST_LENGTH, PrintedCheck, document_url, printed_from, qr_svg
from metodservice.common.signing import Verification
from planning import reports as planning_reports
from planning import services as planning_services
from planning.models import Meeting, PlanVersion
from structure import reports as structure_reports
from structure.models import Action, Order, UnitKind
from tests.factories import PersonFactory, create_unit
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]

MATCHES = "The document matches the original"
OTHER_COPY = "The printed copy does not match this document"
CHANGED = "The signed document does not match its signature"
SUPERSEDED = "verification-superseded"


# ---------------------------------------------------------------- decoding what is printed


def decode_qr(pdf: bytes, tmp_path: Path, page: int = 1) -> list[str]:
    """The QR codes on one page of the PDF, read from a 150 dpi rendering of it, as a phone would."""
    for tool, package in (("pdftoppm", "poppler-utils"), ("zbarimg", "zbar-tools")):
        assert shutil.which(tool), f"{tool} is missing: apt-get install {package}"
    source = tmp_path / f"document-{page}.pdf"
    source.write_bytes(pdf)
    stem = tmp_path / f"page-{page}"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", str(page), "-l", str(page), "-singlefile", str(source), str(stem)],
        check=True,
    )
    result = subprocess.run(
        ["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", f"{stem}.png"],
        capture_output=True,
        text=True,
    )
    assert result.returncode in {0, 4}, result.stderr  # 4: no code found
    return result.stdout.split()


def pages_of(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def verify_path(url: str) -> str:
    assert url.startswith(settings.PORTAL_URL + "/"), url
    return url[len(settings.PORTAL_URL) :]


def text_of(response) -> str:
    return response.content.decode()


def said(response, msgid: str) -> bool:
    """The page says the message (in the language it is shown in)."""
    return gettext(msgid) in text_of(response)


# ---------------------------------------------------------------- the documents


def sign_protocol(world) -> Meeting:
    """The association's meeting held and its protocol signed by the chair (`mo_head`) and the secretary."""
    people = world.people
    meeting = world.meeting
    planning_services.attendance_set(
        meeting=meeting, rows=[(row.person, True, "") for row in meeting.attendance.select_related("person")]
    )
    item = world.agenda_item
    planning_services.agenda_update(
        item=item, title=item.title, speaker=people["mo_head"], heard="Доклад", decided="Одобрить план работы ПЦК."
    )
    planning_services.meeting_update(
        meeting=meeting,
        date=meeting.date,
        number=meeting.number,
        place=meeting.place,
        chair=people["mo_head"],
        secretary=people["teacher"],
    )
    planning_services.protocol_sign(meeting=meeting, person=people["mo_head"])
    return planning_services.protocol_sign(meeting=meeting, person=people["teacher"])


def approve_teacher_plan(world):
    return planning_services.plan_approve(plan=world.teacher_plan, person=world.people["mo_head"])


def amend_service_plan(world):
    """A second edition of the service's plan: amended, submitted and approved again."""
    people = world.people
    plan = planning_services.plan_start_amendment(plan=world.service_plan, reason="Новое мероприятие")
    planning_services.plan_submit(plan=plan, person=people["methodist"])
    return planning_services.plan_approve(plan=plan, person=people["chair"])


def order_link(order: Order) -> str:
    return document_url("structure:order_verify", order.pk, order.content_hash)


def protocol_link(meeting: Meeting) -> str:
    return document_url("planning:protocol_verify", meeting.pk, meeting.content_hash)


def plan_link(version: PlanVersion) -> str:
    return document_url("planning:plan_verify", version.plan_id, version.content_hash)


# ---------------------------------------------------------------- the QR code on paper


def test_a_signed_order_carries_its_verification_link_on_page_one_only(world, tmp_path):
    order = world.signed
    pdf = structure_reports.order_pdf(order)

    expected = f"{settings.PORTAL_URL}/structure/orders/{order.pk}/verify/{order.content_hash[:DIGEST_LENGTH]}/"
    assert order_link(order) == expected
    assert decode_qr(pdf, tmp_path) == [expected]
    assert pages_of(pdf) >= 2  # the acknowledgement list: no code there
    assert decode_qr(pdf, tmp_path, page=2) == []


def test_the_code_is_vector_drawing_not_a_picture(world):
    pdf = structure_reports.order_pdf(world.signed)
    reader = PdfReader(io.BytesIO(pdf))
    resources = reader.pages[0]["/Resources"].get_object()
    images = [
        name for name, ref in (resources.get("/XObject") or {}).items() if ref.get_object().get("/Subtype") == "/Image"
    ]
    assert images == []
    svg = qr_svg(order_link(world.signed))
    assert svg.startswith("<svg") and "viewBox" in svg and "<image" not in svg


def test_a_draft_order_has_no_code(world, tmp_path):
    assert decode_qr(structure_reports.order_pdf(world.draft), tmp_path) == []
    assert decode_qr(structure_reports.order_pdf(world.on_signing), tmp_path) == []


def test_a_signed_protocol_carries_its_verification_link(world, tmp_path):
    meeting = sign_protocol(world)
    assert decode_qr(planning_reports.protocol_pdf(meeting), tmp_path) == [protocol_link(meeting)]


def test_a_protocol_signed_by_one_of_two_has_no_code(world, tmp_path):
    meeting = sign_protocol(world)
    Meeting.objects.filter(pk=meeting.pk).update(secretary_signed_at=None, status="held")
    assert decode_qr(planning_reports.protocol_pdf(world.meeting), tmp_path) == []


def test_an_approved_plan_carries_the_link_of_its_edition(world, tmp_path):
    plan = world.service_plan
    version = plan.versions.get()
    assert decode_qr(planning_reports.plan_pdf(plan), tmp_path) == [plan_link(version)]
    # A plan not approved (submitted, in draft) is a project: no code.
    assert decode_qr(planning_reports.plan_pdf(world.association_plan), tmp_path) == []
    assert decode_qr(planning_reports.plan_pdf(world.council_plan), tmp_path) == []


def test_an_approved_individual_plan_carries_its_link(world, tmp_path):
    assert decode_qr(planning_reports.plan_pdf(world.teacher_plan), tmp_path) == []  # submitted: a project
    plan = approve_teacher_plan(world)
    assert decode_qr(planning_reports.plan_pdf(plan), tmp_path) == [plan_link(plan.versions.get())]


def test_an_amendment_in_progress_has_no_code_and_the_new_edition_its_own(world, tmp_path):
    first = world.service_plan.versions.get()
    drafting = planning_services.plan_start_amendment(plan=world.service_plan, reason="Новое мероприятие")
    assert decode_qr(planning_reports.plan_pdf(drafting), tmp_path) == []
    planning_services.plan_submit(plan=drafting, person=world.people["methodist"])
    plan = planning_services.plan_approve(plan=drafting, person=world.people["chair"])
    second = plan.versions.get(number=2)
    assert second.content_hash != first.content_hash
    assert decode_qr(planning_reports.plan_pdf(plan), tmp_path) == [plan_link(second)]


def test_the_printed_address_is_the_portal_url_setting(world, settings, tmp_path):
    settings.PORTAL_URL = "https://metod.college.local"
    order = world.signed
    (link,) = decode_qr(structure_reports.order_pdf(order), tmp_path)
    assert link.startswith("https://metod.college.local/structure/orders/")
    assert link == order_link(order)


# ---------------------------------------------------------------- the verification page


def test_the_order_link_shows_the_registration_data_and_a_match(world, tmp_path):
    order = world.signed
    (link,) = decode_qr(structure_reports.order_pdf(order), tmp_path)
    response = client_for(world, "teacher").get(verify_path(link))

    assert response.status_code == 200
    assert response.context["check"].ok
    assert said(response, MATCHES)
    assert not said(response, OTHER_COPY) and not said(response, CHANGED)
    page = text_of(response)
    for text in (order.registration_number, f"{order.date:%d.%m.%Y}", order.title, order.signer_name):
        assert text in page
    assert order.content_hash in page


def test_a_changed_stored_hash_is_reported(world):
    order = world.signed
    path = verify_path(order_link(order))
    Order.objects.filter(pk=order.pk).update(content_hash="0" * 64)
    response = client_for(world, "teacher").get(path)

    assert response.status_code == 200
    check = response.context["check"]
    assert not check.ok and not check.printed_matches and not check.intact
    assert said(response, OTHER_COPY) and said(response, CHANGED)
    assert not said(response, MATCHES)


def test_a_text_changed_after_signing_is_reported_for_the_right_copy(world):
    order = world.signed
    path = verify_path(order_link(order))
    Action.objects.filter(clause__order=order).update(text="Исключить из состава ПЦК")
    response = client_for(world, "teacher").get(path)

    check = response.context["check"]
    assert check.printed_matches and not check.intact
    assert said(response, CHANGED) and not said(response, OTHER_COPY) and not said(response, MATCHES)


@pytest.mark.parametrize("digest", ["0123456789abcdef", "abc", "not-a-digest", "0" * 64])
def test_a_copy_with_another_checksum_is_told_apart(world, digest):
    order = world.signed
    response = client_for(world, "teacher").get(reverse("structure:order_verify", args=[order.pk, digest]))
    assert response.status_code == 200
    assert not response.context["check"].printed_matches
    assert said(response, OTHER_COPY) and not said(response, MATCHES)


def test_the_full_hash_in_capitals_is_accepted_too(world):
    order = world.signed
    response = client_for(world, "teacher").get(
        reverse("structure:order_verify", args=[order.pk, order.content_hash.upper()])
    )
    assert response.context["check"].ok


def test_a_signed_order_is_out_of_reach_of_those_who_may_not_see_it(world):
    path = verify_path(order_link(world.signed))
    assert client_for(world, "researcher").get(path).status_code == 404


def test_a_draft_has_nothing_to_verify(world):
    response = client_for(world, "deputy").get(reverse("structure:order_verify", args=[world.draft.pk, "0" * 16]))
    assert response.status_code == 404


def test_an_anonymous_visitor_logs_in_and_comes_back(world):
    path = verify_path(order_link(world.signed))
    client = Client()
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={path}"
    response = client.post(reverse("login"), {"username": "teacher", "password": "pass", "next": path})
    assert response.status_code == 302 and response["Location"] == path
    assert client.get(path).context["check"].ok


def test_the_protocol_link_shows_the_protocol_and_a_match(world, tmp_path):
    meeting = sign_protocol(world)
    (link,) = decode_qr(planning_reports.protocol_pdf(meeting), tmp_path)
    response = client_for(world, "teacher").get(verify_path(link))

    assert response.status_code == 200 and response.context["check"].ok
    assert said(response, MATCHES)
    page = text_of(response)
    assert meeting.snapshot["unit"] in page
    assert f"№ {meeting.number}" in page and f"{meeting.date:%d.%m.%Y}" in page
    assert world.people["mo_head"].full_name in page and world.people["teacher"].full_name in page

    Meeting.objects.filter(pk=meeting.pk).update(content_hash="f" * 64)
    response = client_for(world, "teacher").get(verify_path(link))
    assert said(response, OTHER_COPY) and said(response, CHANGED) and not said(response, MATCHES)
    assert client_for(world, "researcher").get(verify_path(link)).status_code == 404
    assert Client().get(verify_path(link)).status_code == 302


def test_an_unsigned_protocol_has_nothing_to_verify(world):
    response = client_for(world, "mo_head").get(reverse("planning:protocol_verify", args=[world.meeting.pk, "0" * 16]))
    assert response.status_code == 404


def test_the_individual_plan_link_for_its_readers_only(world, tmp_path):
    plan = approve_teacher_plan(world)
    (link,) = decode_qr(planning_reports.plan_pdf(plan), tmp_path)
    path = verify_path(link)
    version = plan.versions.get()

    for role in ("teacher", "mo_head", "chair", "director"):
        response = client_for(world, role).get(path)
        assert response.status_code == 200, role
        assert response.context["check"].ok and said(response, MATCHES), role
    page = text_of(client_for(world, "teacher").get(path))
    assert version.approved_by_name in page
    assert world.people["teacher"].full_name in page
    for role in ("secretary", "group_lead", "researcher"):
        assert client_for(world, role).get(path).status_code == 404, role
    assert Client().get(path).status_code == 302

    PlanVersion.objects.filter(pk=version.pk).update(content_hash="1" * 64)
    response = client_for(world, "teacher").get(path)
    assert said(response, OTHER_COPY) and said(response, CHANGED) and not said(response, MATCHES)


def test_a_copy_of_an_earlier_edition_is_recognised_as_superseded(world):
    first = world.service_plan.versions.get()
    old_path = verify_path(plan_link(first))
    plan = amend_service_plan(world)
    second = plan.versions.get(number=2)
    client = client_for(world, "teacher")

    old = client.get(old_path)
    assert old.context["check"].ok and old.context["version"] == first
    assert SUPERSEDED in text_of(old)
    new = client.get(verify_path(plan_link(second)))
    assert new.context["check"].ok and new.context["version"] == second
    assert SUPERSEDED not in text_of(new)


def test_a_plan_never_approved_has_nothing_to_verify(world):
    response = client_for(world, "chair").get(
        reverse("planning:plan_verify", args=[world.association_plan.pk, "0" * 16])
    )
    assert response.status_code == 404


# ---------------------------------------------------------------- the pieces


def test_printed_digest_rules():
    content_hash = "ab" * 32
    assert printed_from(content_hash[:DIGEST_LENGTH], content_hash)
    assert printed_from(content_hash.upper(), content_hash)
    assert not printed_from(content_hash[: DIGEST_LENGTH - 1], content_hash)  # too short to tell editions apart
    assert not printed_from("zz" + content_hash[2:DIGEST_LENGTH], content_hash)
    assert not printed_from(content_hash[:DIGEST_LENGTH], "")
    check = PrintedCheck(printed=content_hash[:DIGEST_LENGTH], verification=Verification(content_hash, content_hash))
    assert check.ok
    assert not PrintedCheck(printed=content_hash[:DIGEST_LENGTH], verification=Verification(content_hash, "x")).ok


# ---------------------------------------------------------------- queries


def test_the_verification_pages_answer_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    """Pinned: the order page reads the order with its clauses, actions, visas and acknowledgements at once (its
    hash is recomputed from them), so an order naming twelve people costs what an order naming one does."""
    people = world.people
    big = create_unit(
        people["director"],
        people["deputy"],
        UnitKind.CREATIVE_GROUP,
        "Кейс-метод",
        head=PersonFactory(),
        members=PersonFactory.create_batch(11),
    ).created_by_order
    meeting = sign_protocol(world)
    plan = amend_service_plan(world)
    client = client_for(world, "teacher")
    pages = [
        (verify_path(order_link(world.signed)), ORDER_PAGE_QUERIES),
        (verify_path(order_link(big)), ORDER_PAGE_QUERIES),
        (verify_path(protocol_link(meeting)), 5),
        (verify_path(plan_link(plan.versions.get(number=1))), 6),
    ]
    for path, queries in pages:
        client.get(path)  # warm the caches (content types, the session)
        with django_assert_num_queries(queries):
            response = client.get(path)
        assert response.status_code == 200 and response.context["check"].ok, path


#: session, user, the reader's person with their memberships (their roles, one query), the order with its author,
#: signer and the cancelling order, its clauses, their actions with their units, people and positions (one query),
#: visas, acknowledgements (the PDF button's rule reads those loaded), the menu's badge (metodservice.attention).
ORDER_PAGE_QUERIES = 9
