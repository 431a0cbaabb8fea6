"""The professional development pages: a teacher's own page and its empty state, adding a record with its scan
through the form (and the form's refusals), the scan served as an attachment only to those who may see the record,
confirming and returning, editing and deleting, the compliance list with its filters and pages, the list of records
waiting for confirmation, and the menu."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from attestation.models import DocumentKind, TrainingKind, TrainingRecord, TrainingStatus
from attestation.services import training as services
from structure.models import Person
from tests.security import upload_samples as samples
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(extra_staff=8)]


def url(name: str, **kwargs) -> str:
    return reverse(f"attestation:{name}", kwargs=kwargs)


def html(response) -> str:
    return response.content.decode()


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def form_data(today: datetime.date, **overrides) -> dict:
    data = {
        "kind": TrainingKind.QUALIFICATION,
        "programme": "Цифровая образовательная среда колледжа",
        "provider": "Институт развития образования",
        "hours": "72",
        "start": (today - datetime.timedelta(days=40)).isoformat(),
        "end": (today - datetime.timedelta(days=30)).isoformat(),
        "document_kind": DocumentKind.CERTIFICATE,
        "document_number": "772400012345",
    }
    data.update(overrides)
    return data


def add(person: Person, by: Person | None = None, *, days_ago: int = 30, scan: bool = True, **overrides):
    today = timezone.localdate()
    kwargs = {
        "kind": TrainingKind.QUALIFICATION,
        "programme": "Цифровая образовательная среда колледжа",
        "provider": "Институт развития образования",
        "hours": 72,
        "start": today - datetime.timedelta(days=days_ago + 10),
        "end": today - datetime.timedelta(days=days_ago),
        "document_kind": DocumentKind.CERTIFICATE,
        "scan": SimpleUploadedFile("Удостоверение.pdf", samples.PDF) if scan else None,
    }
    kwargs.update(overrides)
    return services.training_add(person=person, by=by or person, today=today, **kwargs)


def error_codes(response, field: str) -> list[str]:
    return [error.code for error in response.context["form"].errors.as_data().get(field, [])]


# ---------------------------------------------------------------- the teacher's own page


def test_my_page_reads_well_before_any_record(world):
    response = client_for(world, "teacher").get(url("training_mine"))
    assert response.status_code == 200
    page = html(response)
    assert "Моё повышение квалификации" in page
    assert "У вас пока нет записей" in page
    assert "compliance-overdue" in page and "text-bg-danger" in page  # no confirmed course: overdue, in red
    assert url("training_add") in page


def test_an_external_researcher_has_no_page_of_records(world):
    researcher = world.people["researcher"]
    assert client_for(world, "methodist").get(url("training_person", pk=researcher.pk)).status_code == 404


def test_the_directors_page_says_the_requirement_is_for_teaching_staff(world):
    page = html(client_for(world, "director").get(url("training_mine")))
    assert "compliance-not_applicable" in page
    assert "compliance-overdue" not in page


def test_a_teacher_adds_a_record_with_a_scan_through_the_form(world, today):
    client = client_for(world, "teacher")
    assert client.get(url("training_add")).status_code == 200

    scan = SimpleUploadedFile("Удостоверение.pdf", samples.PDF, content_type="application/pdf")
    response = client.post(url("training_add"), {**form_data(today), "scan": scan})

    record = TrainingRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert record.person == world.people["teacher"] and record.status == TrainingStatus.SUBMITTED
    assert record.scan.name.endswith(".pdf") and len(media_files()) == 1
    page = html(client.get(record.get_absolute_url()))
    assert url("training_scan", pk=record.pk) in page
    assert "ожидает подтверждения" in page


def test_a_teacher_cannot_add_a_record_for_someone_else(world, today):
    other = world.people["chair"]
    client_for(world, "teacher").post(url("training_add"), {**form_data(today), "person": other.pk})
    assert TrainingRecord.objects.get().person == world.people["teacher"]


def test_the_methodist_adds_a_record_for_a_teacher(world, today):
    teacher = world.people["teacher"]
    client = client_for(world, "methodist")
    page = html(client.get(url("training_add"), {"person": teacher.pk}))
    assert f'<option value="{teacher.pk}" selected' in page

    response = client.post(url("training_add"), {**form_data(today), "person": teacher.pk})

    record = TrainingRecord.objects.get()
    assert response.status_code == 302
    assert (record.person, record.created_by) == (teacher, world.people["methodist"])


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"hours": "8"}, "hours", "hours_below_minimum"),
        ({"hours": "0"}, "hours", "hours_below_minimum"),
        ({"document_kind": DocumentKind.DIPLOMA}, "document_kind", "document_kind_mismatch"),
        ({"start": "2026-01-10", "end": "2026-01-09"}, "end", "ends_before_start"),
    ],
)
def test_the_form_shows_the_services_refusal_on_its_field(world, today, overrides, field, code):
    response = client_for(world, "teacher").post(url("training_add"), form_data(today, **overrides))
    assert response.status_code == 200
    assert code in error_codes(response, field)
    assert not TrainingRecord.objects.exists()


def test_a_record_ending_in_the_future_is_refused_by_the_form(world, today):
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    response = client_for(world, "teacher").post(url("training_add"), form_data(today, end=tomorrow))
    assert error_codes(response, "end") == ["ends_in_future"]
    assert not TrainingRecord.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("Удостоверение.pdf", samples.HTML, "file_type"),
        ("Удостоверение.docx", samples.ooxml("word/document.xml"), "file_type"),
        ("Скан.png", samples.PDF, "extension_mismatch"),
    ],
)
def test_the_form_refuses_a_scan_of_another_type_and_writes_nothing(world, today, name, data, code):
    scan = SimpleUploadedFile(name, data, content_type="application/pdf")
    response = client_for(world, "teacher").post(url("training_add"), {**form_data(today), "scan": scan})

    assert response.status_code == 200
    assert error_codes(response, "scan") == [code]
    assert "PDF, JPG, PNG" in html(response)
    assert not TrainingRecord.objects.exists() and media_files() == []


def test_the_form_refuses_a_scan_too_big_and_writes_nothing(world, today, settings):
    settings.UPLOAD_MAX_BYTES = 64 * 1024
    scan = SimpleUploadedFile("Удостоверение.pdf", samples.PDF.ljust(200 * 1024, b" "))
    response = client_for(world, "teacher").post(url("training_add"), {**form_data(today), "scan": scan})

    assert response.status_code == 200
    assert error_codes(response, "scan") == ["file_too_big"]
    assert not TrainingRecord.objects.exists() and media_files() == []


# ---------------------------------------------------------------- the scan


SCAN_READERS = ["director", "deputy", "methodist", "mo_head", "teacher"]


@pytest.mark.parametrize("role", [*SCAN_READERS, "admin"])
def test_the_scan_downloads_as_an_attachment_to_those_who_see_the_record(world, role):
    record = add(world.people["teacher"])
    response = client_for(world, role).get(url("training_scan", pk=record.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert re.search(r'filename\*?=.*\.pdf"?$', response["Content-Disposition"])
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(response.streaming_content) == samples.PDF


@pytest.mark.parametrize("role", ["chair", "secretary", "group_lead", "lab_head", "researcher"])
def test_the_scan_is_hidden_from_everyone_else(world, role):
    record = add(world.people["teacher"])
    assert client_for(world, role).get(url("training_scan", pk=record.pk)).status_code == 404


def test_the_scan_is_never_served_from_media_and_anonymous_visitors_log_in(world):
    record = add(world.people["teacher"])
    anonymous = Client().get(url("training_scan", pk=record.pk))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert Client().get(settings.MEDIA_URL + record.scan.name).status_code in {302, 404}


def test_a_record_without_a_scan_has_no_download(world):
    record = add(world.people["teacher"], scan=False)
    client = client_for(world, "teacher")
    assert client.get(url("training_scan", pk=record.pk)).status_code == 404
    assert url("training_scan", pk=record.pk) not in html(client.get(record.get_absolute_url()))


# ---------------------------------------------------------------- confirming, returning, editing, deleting


def test_the_methodist_confirms_and_the_teachers_compliance_turns_green(world):
    record = add(world.people["teacher"])
    teacher = client_for(world, "teacher")
    assert "compliance-overdue" in html(teacher.get(url("training_mine")))

    methodist = client_for(world, "methodist")
    detail = html(methodist.get(record.get_absolute_url()))
    assert url("training_confirm", pk=record.pk) in detail and url("training_return", pk=record.pk) in detail
    response = methodist.post(url("training_confirm", pk=record.pk))

    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    record.refresh_from_db()
    assert record.status == TrainingStatus.CONFIRMED
    page = html(teacher.get(url("training_mine")))
    assert "compliance-compliant" in page and "text-bg-success" in page


def test_confirming_twice_tells_the_state_instead_of_refusing(world):
    record = add(world.people["teacher"])
    client_for(world, "deputy").post(url("training_confirm", pk=record.pk))
    methodist = client_for(world, "methodist")
    response = methodist.post(url("training_confirm", pk=record.pk), follow=True)
    assert response.status_code == 200
    assert "больше не ожидает подтверждения" in html(response)


def test_a_return_without_a_comment_changes_nothing(world):
    record = add(world.people["teacher"])
    response = client_for(world, "methodist").post(url("training_return", pk=record.pk), {"comment": ""}, follow=True)
    record.refresh_from_db()
    assert record.status == TrainingStatus.SUBMITTED
    assert "Напишите, что исправить" in html(response)


def test_a_returned_record_shows_the_comment_and_the_teacher_corrects_it(world, today):
    record = add(world.people["teacher"])
    client_for(world, "methodist").post(url("training_return", pk=record.pk), {"comment": "Укажите номер"})
    teacher = client_for(world, "teacher")
    assert "Укажите номер" in html(teacher.get(record.get_absolute_url()))

    response = teacher.post(url("training_edit", pk=record.pk), form_data(today, document_number="12-345"))

    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.document_number) == (TrainingStatus.SUBMITTED, "12-345")


def test_the_teacher_is_sent_back_from_editing_a_confirmed_record(world):
    record = add(world.people["teacher"])
    services.training_confirm(record=record, by=world.people["methodist"])
    teacher = client_for(world, "teacher")
    for name in ("training_edit", "training_delete"):
        response = teacher.get(url(name, pk=record.pk), follow=True)
        assert response.redirect_chain == [(record.get_absolute_url(), 302)]
        assert "alert-danger" in html(response) or "alert-error" in html(response)


def test_the_methodist_corrects_a_confirmed_record(world, today):
    record = add(world.people["teacher"])
    services.training_confirm(record=record, by=world.people["deputy"])
    response = client_for(world, "methodist").post(url("training_edit", pk=record.pk), form_data(today, hours="80"))
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.hours, record.status) == (80, TrainingStatus.CONFIRMED)
    page = html(client_for(world, "teacher").get(record.get_absolute_url()))
    assert "change-log" in page and "72" in page and "80" in page  # the history shows the correction


def test_deleting_asks_first_then_deletes_the_record_and_its_scan(world, django_capture_on_commit_callbacks):
    record = add(world.people["teacher"])
    client = client_for(world, "teacher")
    page = html(client.get(url("training_delete", pk=record.pk)))
    assert "Удалить запись" in page and record.programme in page
    assert TrainingRecord.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("training_delete", pk=record.pk))

    assert response.status_code == 302 and response["Location"] == url("training_mine")
    assert not TrainingRecord.objects.exists() and media_files() == []


# ---------------------------------------------------------------- the lists


def _statuses(world):
    """The teacher overdue (nothing confirmed), the chair up to date, the secretary due soon (a course 2 years 10
    months ago), the mo_head waiting for confirmation."""
    people, methodist = world.people, world.people["methodist"]
    services.training_confirm(record=add(people["chair"], days_ago=100), by=methodist)
    services.training_confirm(record=add(people["secretary"], days_ago=3 * 365 - 60), by=methodist)
    return add(people["mo_head"])


def test_the_compliance_list_shows_each_teaching_person_with_status_and_dates(world):
    waiting = _statuses(world)
    response = client_for(world, "methodist").get(url("training_compliance"))
    assert response.status_code == 200
    rows = {row.person.pk: row for row in response.context["page"]}
    people = world.people
    assert rows[people["teacher"].pk].compliance.status == "overdue"
    assert rows[people["chair"].pk].compliance.status == "compliant"
    assert rows[people["secretary"].pk].compliance.status == "due_soon"
    assert people["director"].pk not in rows and people["researcher"].pk not in rows  # not teaching staff
    assert rows[people["chair"].pk].compliance.hours_3_years == 72
    page = html(response)
    for css in ("text-bg-success", "text-bg-warning", "text-bg-danger"):
        assert css in page
    assert "1 запись ожидает подтверждения" in page
    assert waiting.person.full_name in page


def test_the_compliance_list_filters_by_status_and_unit(world):
    _statuses(world)
    client = client_for(world, "methodist")
    due = client.get(url("training_compliance"), {"status": "due_soon"})
    assert [row.person for row in due.context["page"]] == [world.people["secretary"]]
    in_council = client.get(url("training_compliance"), {"unit": world.council.pk})
    council = {row.person.pk for row in in_council.context["page"]}
    assert world.people["chair"].pk in council and world.people["teacher"].pk not in council
    both = client.get(url("training_compliance"), {"unit": world.council.pk, "status": "compliant"})
    assert [row.person for row in both.context["page"]] == [world.people["chair"]]
    assert "никто не подходит" in html(
        client.get(url("training_compliance"), {"unit": world.lab.pk, "status": "compliant"})
    )


def test_an_association_head_sees_the_members_of_their_association_only(world):
    response = client_for(world, "mo_head").get(url("training_compliance"))
    listed = {row.person.pk for row in response.context["page"]}
    assert world.people["teacher"].pk in listed and world.people["mo_head"].pk in listed
    assert world.people["chair"].pk not in listed
    units = list(response.context["form"].fields["unit"].queryset)
    assert units == [world.association]


def test_the_compliance_list_is_paginated(world):
    Person.objects.bulk_create(
        [
            Person(last_name=f"Яковлев{index:03}", first_name="Яков", position=world.people["teacher"].position)
            for index in range(60)
        ]
    )
    client = client_for(world, "methodist")
    first = client.get(url("training_compliance"))
    total = first.context["page"].paginator.count
    assert total > 60 and len(first.context["page"]) == 50
    second = client.get(url("training_compliance"), {"page": 2})
    assert len(second.context["page"]) == total - 50


def test_the_waiting_list_and_confirming_from_it(world):
    waiting = _statuses(world)
    client = client_for(world, "methodist")
    response = client.get(url("training_pending"))
    assert [record.pk for record in response.context["page"]] == [waiting.pk]
    assert url("training_scan", pk=waiting.pk) in html(response)
    client.post(url("training_confirm", pk=waiting.pk), {"next": url("training_pending")})
    assert "Нет записей, ожидающих подтверждения" in html(client.get(url("training_pending")))


# ---------------------------------------------------------------- the menu


@pytest.mark.parametrize(
    ("role", "mine", "staff"),
    [("teacher", True, False), ("methodist", True, True), ("mo_head", True, True), ("admin", False, True)],
)
def test_the_menu_shows_each_person_what_they_can_use(world, role, mine, staff):
    page = html(client_for(world, role).get("/"))
    assert (f'href="{url("training_mine")}"' in page) is mine
    assert (f'href="{url("training_compliance")}"' in page) is staff
