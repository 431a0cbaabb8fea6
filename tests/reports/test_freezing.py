"""Freezing the annual report «as of» a day for a meeting: the document and its PDF kept with their SHA-256 and
shown again unchanged whatever the data says later; the meeting's protocol links it beside its question; the
refusals, each by its code; what the deputy writes by hand."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from planning import services as planning_services
from planning.models import AgendaItem, ItemStatus, Meeting, MeetingStatus, PlanItem
from reports import services
from reports.models import AnnualReport, FrozenReport
from tests.experience.catalogue_data import PublishedItemFactory
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]

DAY = datetime.timedelta(days=1)


def _question(world, *, day: datetime.date | None = None, status: str = MeetingStatus.PLANNED) -> AgendaItem:
    meeting = Meeting.objects.create(
        unit=world.council,
        year=world.year,
        number=50,
        date=day or world.today,
        status=status,
        created_by=world.people["deputy"],
    )
    return AgendaItem.objects.create(meeting=meeting, position=1, title="Об итогах методической работы")


@pytest.fixture
def frozen(world, settings, django_capture_on_commit_callbacks) -> FrozenReport:
    settings.STORE_FIXED_DOCUMENTS = True
    services.report_save(
        year=world.year, by=world.people["deputy"], sections=["execution", "dissemination"],
        conclusions="План выполнен не полностью.", tasks="Провести семинар\nОбновить программы",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        return services.report_freeze(
            year=world.year, by=world.people["deputy"], as_of=world.today, agenda_item=_question(world)
        )


def test_the_frozen_report_and_its_pdf_stay_the_same_however_the_data_changes(world, frozen):
    frozen.refresh_from_db()
    assert frozen.content_sha256 == hashlib.sha256(frozen.html.encode()).hexdigest()
    assert "План выполнен не полностью." in frozen.html and "Провести семинар" in frozen.html
    client = client_for(world, "teacher")  # everyone on the staff reads a frozen copy
    pdf = client.get(reverse("reports:frozen_pdf", args=[frozen.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert hashlib.sha256(body).hexdigest() == frozen.pdf_sha256

    # The data changes: an item done, the texts rewritten, a publication added, a section switched on.
    PlanItem.objects.filter(plan__year=world.year).update(status=ItemStatus.DONE)
    services.report_save(
        year=world.year,
        by=world.people["deputy"],
        sections=["theme", "execution"],
        conclusions="Другие выводы",
        tasks="",
    )
    PublishedItemFactory(author=world.people["teacher"], date=world.today)

    again = FrozenReport.objects.get(pk=frozen.pk)
    assert (again.html, again.content_sha256, again.pdf_sha256) == (
        frozen.html,
        frozen.content_sha256,
        frozen.pdf_sha256,
    )
    later = client.get(reverse("reports:frozen_pdf", args=[frozen.pk]))
    assert (b"".join(later.streaming_content) if later.streaming else later.content) == body
    page = client_for(world, "deputy").get(reverse("reports:annual", args=[world.year.pk])).content.decode()
    assert "Другие выводы" in page and "План выполнен не полностью." not in page  # the live report moved on


def test_the_meeting_links_the_frozen_report_beside_its_question_which_stays_on_the_agenda(world, frozen):
    meeting = frozen.agenda_item.meeting
    html = client_for(world, "chair").get(meeting.get_absolute_url()).content.decode()
    assert reverse("reports:frozen", args=[frozen.pk]) in html
    with pytest.raises(ValidationError) as refused:
        planning_services.agenda_delete(item=frozen.agenda_item)
    assert refused.value.code == "frozen_report"
    assert AgendaItem.objects.filter(pk=frozen.agenda_item_id).exists()


def test_the_frozen_report_prints_only_its_sections(world, frozen):
    assert frozen.sections == ["execution", "dissemination"]
    assert "1. Выполнение планов" in frozen.html and "2. Открытые уроки" in frozen.html
    assert "Единая методическая тема" not in frozen.html


@pytest.mark.parametrize(
    ("shift", "meeting", "code"),
    [
        (DAY, None, "future"),
        ("before_year", None, "outside_year"),
        (0, "signed", "meeting_signed"),
        (0, "earlier", "after_meeting"),
    ],
)
def test_freezing_refuses_what_would_mislead_the_council(world, shift, meeting, code):
    as_of = world.year.start - DAY if shift == "before_year" else world.today + (shift or datetime.timedelta())
    question = None
    if meeting == "signed":
        question = _question(world, status=MeetingStatus.SIGNED)
    elif meeting == "earlier":
        as_of = world.today
        question = _question(world, day=world.today - DAY)
    with pytest.raises(ValidationError) as refused:
        services.report_freeze(year=world.year, by=world.people["deputy"], as_of=as_of, agenda_item=question)
    assert refused.value.code == code
    assert not FrozenReport.objects.exists()


def test_the_freeze_form_refuses_a_day_ahead_with_a_message_and_freezes_nothing(world):
    url = reverse("reports:annual_freeze", args=[world.year.pk])
    response = client_for(world, "deputy").post(url, {"as_of": (world.today + DAY).isoformat(), "confirm": "on"})
    assert response.status_code == 200
    assert "ещё не наступила" in response.content.decode()
    assert not FrozenReport.objects.exists()


def test_the_freeze_form_asks_for_confirmation(world):
    url = reverse("reports:annual_freeze", args=[world.year.pk])
    response = client_for(world, "deputy").post(url, {"as_of": world.today.isoformat()})
    assert response.status_code == 200 and "Подтвердите фиксацию отчёта" in response.content.decode()
    assert not FrozenReport.objects.exists()


def test_the_deputy_freezes_the_report_through_the_form(world, settings, django_capture_on_commit_callbacks):
    settings.STORE_FIXED_DOCUMENTS = True
    question = _question(world)
    url = reverse("reports:annual_freeze", args=[world.year.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world, "deputy").post(
            url, {"as_of": world.today.isoformat(), "agenda_item": question.pk, "confirm": "on"}
        )
    frozen = FrozenReport.objects.get()
    assert response.status_code == 302 and response["Location"] == frozen.get_absolute_url()
    assert (frozen.as_of, frozen.agenda_item, frozen.frozen_by) == (world.today, question, world.people["deputy"])
    assert frozen.pdf and len(frozen.pdf_sha256) == 64
    page = client_for(world, "deputy").get(frozen.get_absolute_url()).content.decode()
    assert frozen.content_sha256 in page and frozen.pdf_sha256 in page


# ---------------------------------------------------------------- what the deputy writes by hand


def test_the_deputy_writes_the_conclusions_and_switches_sections_off(world):
    url = reverse("reports:annual_edit", args=[world.year.pk])
    client = client_for(world, "deputy")
    response = client.post(
        url, {"sections": ["theme", "training"], "conclusions": "Работа выполнена.", "tasks": "Первая\n\nВторая"}
    )
    assert response.status_code == 302
    report = AnnualReport.objects.get(year=world.year)
    assert (report.conclusions, report.updated_by) == ("Работа выполнена.", world.people["deputy"])
    assert "theme" not in report.sections_off and "execution" in report.sections_off
    page = client.get(reverse("reports:annual", args=[world.year.pk])).content.decode()
    assert "Работа выполнена." in page and "<li>Первая</li>" in page and "<li>Вторая</li>" in page
    assert 'id="section-theme"' in page and 'id="section-training"' in page and 'id="section-execution"' not in page


@pytest.mark.parametrize(
    ("sections", "conclusions", "code"),
    [([], "", "no_sections"), (["theme", "salary"], "", "section"), (["theme"], "я" * 20_001, "too_long")],
)
def test_saving_refuses_a_report_without_sections_an_unknown_one_or_too_long_a_text(world, sections, conclusions, code):
    with pytest.raises(ValidationError) as refused:
        services.report_save(
            year=world.year, by=world.people["deputy"], sections=sections, conclusions=conclusions, tasks=""
        )
    assert refused.value.code == code
    assert not AnnualReport.objects.exists()


def test_the_form_keeps_at_least_one_section(world):
    url = reverse("reports:annual_edit", args=[world.year.pk])
    response = client_for(world, "deputy").post(url, {"conclusions": "Текст"})
    assert response.status_code == 200 and "хотя бы один раздел" in response.content.decode()
    assert not AnnualReport.objects.exists()
