"""The smaller reports: each a page, a PDF and an XLSX of the same tables, for the day or the academic year asked;
bad parameters are refused on the page with a message, never a 500."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from reports import small
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]

KEYS = [report.key for report in small.REPORTS]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("key", KEYS)
def test_the_page_the_pdf_and_the_workbook_show_the_same_tables(world, key):
    client = client_for(world, "director")
    page = client.get(reverse("reports:small", args=[key]))
    assert page.status_code == 200
    built = page.context["built"]
    assert built is not None
    html = page.content.decode()
    for table in built.tables:
        assert table.title in html

    pdf = client.get(reverse("reports:small_pdf", args=[key]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"

    xlsx = client.get(reverse("reports:small_xlsx", args=[key]))
    assert xlsx.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(_body(xlsx)), read_only=True)
    sheets = workbook.worksheets
    if not built.tables:
        assert len(sheets) == 1  # the note alone
        return
    assert len(sheets) == len(built.tables)
    for sheet, table in zip(sheets, built.tables, strict=True):
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        header_at = next(index for index, row in enumerate(rows) if row[: len(table.headers)] == table.headers)
        body = [row[: len(table.headers)] for row in rows[header_at + 1 :]]
        assert len(body) == len(table.rows)
        for written, shown in zip(body, table.rows, strict=True):
            assert [("" if cell is None else cell) for cell in written] == [
                ("" if cell is None else cell) for cell in shown
            ]


def test_the_composition_report_counts_as_the_annual_reports_section(world):
    from reports.selectors import composition_section

    response = client_for(world, "deputy").get(reverse("reports:small", args=["composition"]), {"day": world.today})
    tables = response.context["built"].tables
    section = composition_section(world.year, world.today)
    assert [[row[:2] for row in table.rows] for table in tables] == [
        [list(row) for row in table.rows] for table in section["tables"]
    ]


@pytest.mark.parametrize(("key", "params"), [("structure", {"day": "31.02.2026"}), ("execution", {"year": "999999"})])
def test_bad_parameters_are_refused_on_the_page_and_nothing_is_built(world, key, params):
    client = client_for(world, "methodist")
    page = client.get(reverse("reports:small", args=[key]), params)
    assert page.status_code == 200 and page.context["built"] is None
    assert "is-invalid" in page.content.decode()
    for name in ("reports:small_pdf", "reports:small_xlsx"):
        answer = client.get(reverse(name, args=[key]), params)
        assert answer.status_code == 302 and reverse("reports:small", args=[key]) in answer["Location"]


def test_an_unknown_report_is_not_found(world):
    assert client_for(world, "director").get(reverse("reports:small", args=["salaries"])).status_code == 404


def test_the_index_lists_every_report(world):
    html = client_for(world, "chair").get(reverse("reports:index")).content.decode()
    for key in KEYS:
        assert reverse("reports:small", args=[key]) in html


#: Each report page's queries (the session, the user, the roles, the menu's badge, and the report's own: a year's
#: report reads the years for its form and the chosen one), pinned on the test college and the same with ten more
#: teachers with categories and courses.
PINNED = {"structure": 6, "schedule": 6, "training": 6, "composition": 6, "diagnostics": 8, "execution": 10}


def _more_teachers(world, n: int) -> None:
    import datetime

    from attestation.models import Category, CategoryKind, DocumentKind, TrainingKind, TrainingRecord, TrainingStatus
    from tests.factories import PersonFactory

    for person in PersonFactory.create_batch(n, position=world.people["teacher"].position):
        Category.objects.create(
            person=person, kind=CategoryKind.FIRST, set_on=world.today - datetime.timedelta(days=400)
        )
        TrainingRecord.objects.create(
            person=person, kind=TrainingKind.QUALIFICATION, programme="Курсы", provider="ИРО", hours=72,
            start=world.today - datetime.timedelta(days=40), end=world.today - datetime.timedelta(days=30),
            document_kind=DocumentKind.CERTIFICATE, status=TrainingStatus.CONFIRMED, created_by=person,
        )  # fmt: skip


@pytest.mark.parametrize("key", KEYS)
def test_each_report_page_answers_in_a_fixed_number_of_queries(world, django_assert_num_queries, key):
    url = reverse("reports:small", args=[key])
    client = client_for(world, "deputy")
    client.get(url)
    with django_assert_num_queries(PINNED[key]):
        assert client.get(url).status_code == 200
    _more_teachers(world, 10)
    with django_assert_num_queries(PINNED[key]):
        assert client.get(url).status_code == 200
