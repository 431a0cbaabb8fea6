"""The annual report's page costs the same whatever the data behind it, and its PDF is the printed page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from experience.models import ItemKind, Level
from planning.models import AgendaItem, Decision, DecisionStatus, Meeting, MeetingStatus
from tests.experience.catalogue_data import PublishedItemFactory
from tests.factories import PersonFactory
from tests.planning.world import director_assignment
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]

#: The session, the user, the roles, the year, the report's row, the menu's badge; then the sections' reads: the
#: theme (the theme, its years, its stages, the plans' execution), the structure (units, heads, orders), the council
#: (meetings, decisions), the assignments of the pedagogical council and the director (one), execution (by direction, the directions; by plan shared with the theme), materials,
#: attestation (decisions; the staff and their records, shared with the composition), training (compliance, hours,
#: the overdue's records), diagnostics, dissemination, experiments — pinned on the test college, the same with more
#: of everything.
PINNED = 28


def _more(world, n: int) -> None:
    day = world.today
    for index in range(n):
        meeting = Meeting.objects.create(
            unit=world.council, year=world.year, number=200 + index, date=day, status=MeetingStatus.HELD,
            created_by=world.people["deputy"],
        )  # fmt: skip
        question = AgendaItem.objects.create(meeting=meeting, position=1, title="Вопрос")
        Decision.objects.create(
            agenda_item=question, text="Решение", responsible=world.people["teacher"], deadline=day,
            status=DecisionStatus.DONE,
        )  # fmt: skip
        PublishedItemFactory(kind=ItemKind.GUIDE, author=world.people["teacher"], date=day, level=Level.REGIONAL)
        PublishedItemFactory(kind=ItemKind.OPEN_LESSON, author=world.people["teacher"], date=day)
        director_assignment(world)
    PersonFactory.create_batch(n, position=world.people["teacher"].position)


def test_the_page_answers_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    url = reverse("reports:annual", args=[world.year.pk])
    client = client_for(world, "deputy")
    client.get(url)
    with django_assert_num_queries(PINNED):
        assert client.get(url).status_code == 200
    _more(world, 12)
    with django_assert_num_queries(PINNED):
        response = client.get(url)
    assert response.status_code == 200 and response.context["computed"]


def test_the_list_shows_every_year_begun(world):
    response = client_for(world, "director").get(reverse("reports:annual_list"))
    html = response.content.decode()
    assert world.year.title in html and world.past_year.title in html
    assert reverse("reports:annual", args=[world.year.pk]) in html


def test_the_pdf_has_every_section_and_the_running_header(world):
    import io

    from pypdf import PdfReader

    response = client_for(world, "methodist").get(reverse("reports:annual_pdf", args=[world.year.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    pages = PdfReader(io.BytesIO(body)).pages
    text = "\n".join(page.extract_text() for page in pages)
    assert "ОТЧЁТ О МЕТОДИЧЕСКОЙ РАБОТЕ" in text.upper()
    for title in ("Единая методическая тема", "Качественный состав педагогических работников",
                  "Выводы и задачи на следующий учебный год"):  # fmt: skip
        assert title in text
    assert len(pages) > 1
    second = pages[1].extract_text()
    assert f"{len(pages)}" in second and "Отчёт о методической работе" in second  # the page count, the title


def test_the_list_and_a_frozen_copy_answer_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    """The list: the years, their reports, their frozen copies counted (3 + the request's 4); a frozen copy's page:
    the copy with its year and meeting (1 + 4) — the same with more years' reports and copies."""
    import datetime as dt

    from django.utils import timezone

    from reports.models import AnnualReport, FrozenReport

    def freeze(year, days: int) -> FrozenReport:
        report = AnnualReport.objects.get_or_create(year=year)[0]
        return FrozenReport.objects.create(
            report=report, as_of=year.start + dt.timedelta(days=days), frozen_at=timezone.now(),
            frozen_by=world.people["deputy"], frozen_by_name="Заместителева И.И.", sections=["theme"],
            html="<html></html>", content_sha256="0" * 64,
        )  # fmt: skip

    first = freeze(world.year, 1)
    client = client_for(world, "deputy")
    pages = [reverse("reports:annual_list"), first.get_absolute_url()]
    for url in pages:
        client.get(url)
    for url in pages:
        with django_assert_num_queries(7 if url == pages[0] else 5):
            assert client.get(url).status_code == 200
    for days in range(2, 8):
        freeze(world.past_year, days)
        freeze(world.year, days)
    for url in pages:
        with django_assert_num_queries(7 if url == pages[0] else 5):
            assert client.get(url).status_code == 200


def test_the_live_figures_are_counted_once_a_minute_and_the_page_says_when(world, settings, time_machine):
    """With production's setting the page and its PDF reuse the last minute's count (a region's report is half a
    second of counting); a minute later they count again. A frozen copy never reads the kept figures."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.REPORT_FIGURES_SECONDS = 60
    cache.clear()
    url = reverse("reports:annual", args=[world.year.pk])
    client = client_for(world, "deputy")
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    counted = response.context["counted_at"]
    assert f"{timezone.localtime(counted):%H:%M}" in response.content.decode()
    _more(world, 3)
    with CaptureQueriesContext(connection) as again:
        response = client.get(url)
    assert response.context["counted_at"] == counted
    assert len(again.captured_queries) < len(first.captured_queries) - 20  # the sections are not read again
    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=61), tick=False)
    response = client.get(url)
    assert response.context["counted_at"] > counted
    cache.clear()
