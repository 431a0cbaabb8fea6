"""The XLSX exports stream (metodservice.common.xlsx): every list export of the portal answers in the same number of
queries for 10 rows and for 300, reads its queryset in chunks without OFFSET paging, holds the rows its page shows
under the same query parameters (a parameter it cannot read leaves that filter out, as the page does), and is sent as
an attachment streamed from a temporary file, under the name it always had."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import openpyxl
import pytest
from django.db import connection
from django.http import FileResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, gettext_lazy

from attestation.models import Assessment, AssessmentKind, AssessmentStatus, CampaignParticipant, Score
from experience.models import LessonVisit, VisitStatus
from metodservice.common import tables, xlsx
from planning.models import Decision, DecisionStatus, PlanItem, WorkForm
from structure.models import MemberRole, Membership, Order, Person
from tests.attestation.matrix_results import results_data
from tests.experience.catalogue_data import bulk_catalogue
from tests.factories import position
from tests.world import client_for

# ---------------------------------------------------------------- the writer


def read(data: bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_a_sheet_has_its_header_bold_frozen_and_filtered_and_cells_as_the_tables_always_had():
    rows = [
        ('=HYPERLINK("http://example.org")', datetime.date(2026, 9, 1), 3),
        ("bell\x07 rings", None, ""),
        (gettext_lazy("Status"), datetime.datetime(2026, 9, 2, 10, 30), 1.5),
    ]
    data = xlsx.xlsx_bytes(sheet_title="Staff: list/2026 [all]", headers=["Name", "Date", "Number"], rows=rows)

    sheet, values = read(data)
    assert values == [
        ["Name", "Date", "Number"],
        ['=HYPERLINK("http://example.org")', datetime.datetime(2026, 9, 1), 3],
        ["bell rings", None, None],  # no character XML cannot carry; an empty string is an empty cell
        [gettext("Status"), datetime.datetime(2026, 9, 2, 10, 30), 1.5],  # a lazy string, translated
    ]
    assert sheet.title == "Staff- list-2026 -all-"  # Excel's rules for a sheet's name
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet["A2"].data_type == "s"  # the user's text that looks like a formula stays text
    assert sheet["B2"].number_format == sheet["B4"].number_format == "DD.MM.YYYY"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C4"
    # Widths in characters, as Excel stores them (XlsxWriter adds the cell padding Excel itself adds).
    assert round(sheet.column_dimensions["A"].width) == len('=HYPERLINK("http://example.org")') + 2 + 1
    assert round(sheet.column_dimensions["B"].width) == 10 + 2 + 1


def test_title_lines_go_above_the_table_and_the_header_row_stays_frozen_and_filtered():
    data = xlsx.xlsx_bytes(
        sheet_title="2026/2027",
        title_lines=["План работы", "Статус: утверждён"],
        headers=["No.", "Content"],
        rows=[("1.1", "Семинар"), ("1.2", "Мастер-класс")],
    )

    sheet, values = read(data)
    assert values[:4] == [["План работы", None], ["Статус: утверждён", None], [None, None], ["No.", "Content"]]
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 13
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:B6"


def test_an_empty_table_is_its_header():
    sheet, values = read(xlsx.xlsx_bytes(sheet_title="Staff", headers=["Name", "Date"], rows=iter(())))
    assert values == [["Name", "Date"]]
    assert sheet.auto_filter.ref == "A1:B1"


def test_the_response_is_a_streamed_attachment_with_its_utf8_name():
    response = xlsx.xlsx_response(
        "Сотрудники 01.09.2026.xlsx", sheet_title="Staff", headers=["Name"], rows=[("Петрова",)] * 3
    )

    assert isinstance(response, FileResponse) and response.streaming
    assert response["Content-Type"] == tables.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote("Сотрудники 01.09.2026.xlsx")
    assert response["Cache-Control"] == "private, no-store"
    data = response.getvalue()
    assert int(response["Content-Length"]) == len(data)
    assert read(data)[1] == [["Name"], ["Петрова"], ["Петрова"], ["Петрова"]]


@pytest.mark.django_db
def test_a_queryset_is_read_in_chunks_with_its_prefetches_and_never_paged_by_offset():
    people = Person.objects.bulk_create(
        Person(last_name=f"Чанкова{index:02}", first_name="Анна", position=position()) for index in range(12)
    )
    queryset = (
        Person.objects.filter(pk__in=[p.pk for p in people]).order_by("-last_name").prefetch_related("memberships")
    )

    with CaptureQueriesContext(connection) as queries:
        names = [(person.last_name, list(person.memberships.all())) for person in xlsx.in_chunks(queryset, 5)]

    assert names == [(f"Чанкова{index:02}", []) for index in reversed(range(12))]  # the queryset's own order
    assert len(queries) == 1 + 3  # the rows, and the memberships of each chunk of 5
    assert not any(re.search(r"\bOFFSET\b", query["sql"]) for query in queries.captured_queries)


# ---------------------------------------------------------------- rows for the exports


def add_people(world, count: int, prefix: str = "Выгрузкина") -> list[Person]:
    """`count` teachers in the association since ten days ago: the staff list, the structure and the schedule."""
    people = Person.objects.bulk_create(
        Person(
            last_name=f"{prefix}{index:03}",
            first_name="Анна",
            patronymic="Ивановна",
            position=position(),
            hire_date=datetime.date(2010, 9, 1),
            position_since=datetime.date(2015, 9, 1),
            email=f"{prefix.lower()}{index}@example.org",
        )
        for index in range(count)
    )
    start = world.today - datetime.timedelta(days=10)
    Membership.objects.bulk_create(
        Membership(unit=world.association, person=p, role=MemberRole.MEMBER, start=start, start_order=world.signed)
        for p in people
    )
    return people


def add_orders(world, count: int) -> None:
    Order.objects.bulk_create(
        Order(title=f"О выгрузке {index}", preamble="В целях проверки", author=world.people["deputy"])
        for index in range(count)
    )


def add_decisions(world, count: int) -> None:
    Decision.objects.bulk_create(
        Decision(
            agenda_item=world.agenda_item,
            text=f"Решение о выгрузке {index}",
            responsible=world.people["teacher"],
            deadline=world.today + datetime.timedelta(days=index),
            status=DecisionStatus.DONE if index % 10 == 0 else DecisionStatus.OPEN,
        )
        for index in range(count)
    )


def add_plan_items(world, count: int) -> None:
    plan = world.association_plan
    first = plan.items.count() + 1
    items = PlanItem.objects.bulk_create(
        PlanItem(
            plan=plan,
            position=first + index,
            content=f"Мероприятие {index}",
            direction=world.directions[1 + index % 10],
            form=WorkForm.SEMINAR,
            due_date=world.today + datetime.timedelta(days=index),
        )
        for index in range(count)
    )
    through = PlanItem.responsible.through
    through.objects.bulk_create(through(planitem=item, person=world.people["mo_head"]) for item in items)


def add_visits(world, count: int) -> None:
    teacher, head = world.people["teacher"], world.people["mo_head"]
    LessonVisit.objects.bulk_create(
        LessonVisit(
            visitor=head if index % 2 else teacher,
            visited=teacher if index % 2 else head,
            date=world.today - datetime.timedelta(days=index),
            lesson=f"Математика: тема {index}",
            status=VisitStatus.DONE,
            ratings={},
        )
        for index in range(count)
    )


def add_catalogue(world, count: int) -> None:
    people = world.people
    bulk_catalogue(people["teacher"], [people["mo_head"], people["chair"]], count=count, prefix="Выгрузка")


def add_participants(world, count: int) -> None:
    """`count` participants of this year's campaign, each with a submitted self-assessment (16 competencies)."""
    data = results_data(world)
    people = add_people(world, count, prefix="Участникова")
    participants = CampaignParticipant.objects.bulk_create(
        CampaignParticipant(campaign=data.campaign, person=person) for person in people
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(
            participant=p,
            assessor=p.person,
            kind=AssessmentKind.SELF,
            status=AssessmentStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for p in participants
    )
    Score.objects.bulk_create(
        Score(assessment=assessment, competency=competency, level=1 + number % 3)
        for assessment in assessments
        for number, competency in enumerate(data.competencies)
    )


def campaign(world) -> dict:
    return {"campaign": results_data(world).campaign.pk}


@dataclass(frozen=True)
class Export:
    url: Callable  # of the world
    add: Callable  # (world, count): adds `count` objects the export lists
    queries: int  # the request's (the session, the user, the roles) and the export's
    params: Callable = lambda world: {}
    role: str = "methodist"


#: Queries of each export: the request's three (the session, the user, the roles), then the export's own: one for a list read in one chunk (CHUNK_SIZE rows) plus one per prefetch and
#: chunk (the people's units today, the items' co-authors); the plan's document selector; the schedule's and the
#: results' records, each read once for every row.
EXPORTS = {
    "people": Export(lambda w: reverse("structure:people_export"), add_people, 5),
    "orders": Export(lambda w: reverse("structure:orders_export"), add_orders, 4),
    "structure": Export(lambda w: reverse("structure:structure_export"), add_people, 4),
    "decisions": Export(lambda w: reverse("planning:decisions_xlsx"), add_decisions, 4),
    "plan": Export(lambda w: reverse("planning:plan_xlsx", args=[w.association_plan.pk]), add_plan_items, 10),
    "schedule": Export(lambda w: reverse("attestation:schedule_xlsx"), add_people, 5),
    "results": Export(lambda w: reverse("attestation:results_xlsx"), add_participants, 9, params=campaign),
    # the visit log reads the academic years (it opens on the current one; «all years» here); the catalogue reads its
    # items' co-authors with the items (issue 13)
    "visits": Export(lambda w: reverse("experience:visit_log_xlsx"), add_visits, 5, params=lambda w: {"year": ""}),
    "catalogue": Export(lambda w: reverse("experience:catalogue_xlsx"), add_catalogue, 4),
}

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]


def download(client, url: str, params: dict | None = None) -> list[list]:
    response = client.get(url, params or {})
    assert response.status_code == 200
    assert response.streaming and response["Content-Type"] == tables.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment; filename")
    return read(response.getvalue())[1]


@pytest.mark.parametrize("name", EXPORTS)
def test_an_export_answers_in_the_same_number_of_queries_for_10_rows_and_for_300(world, name):
    export = EXPORTS[name]
    client = client_for(world, export.role)
    url, params = export.url(world), export.params(world)
    export.add(world, 10)
    client.get(url, params)  # warm caches (content types, the session)
    counts, lengths = [], []
    for added in (0, 290):
        export.add(world, added)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
            data = response.getvalue()
        assert response.status_code == 200
        counts.append(len(queries))
        lengths.append(len(read(data)[1]))
    assert counts == [export.queries, export.queries], name
    assert lengths[1] > lengths[0] + 200  # (the catalogue: the published ones of the 290)


# ---------------------------------------------------------------- the page's filters


def page_rows(client, url: str, params: dict) -> tuple[list, int]:
    """The objects the page shows under `params` (its first page) and how many rows match in all."""
    page = client.get(url, params).context["page"]
    return list(page.object_list), page.paginator.count


def test_the_staff_export_has_the_lists_rows(world):
    add_people(world, 300)
    client = client_for(world, "methodist")
    params = {"q": "Выгрузкина02"}
    shown, total = page_rows(client, reverse("structure:person_list"), params)

    rows = download(client, reverse("structure:people_export"), params)

    assert rows[0][:2] == [gettext("Full name"), gettext("Position")]
    assert rows[0][-1] == gettext("Units and roles today")
    assert [row[0] for row in rows[1:]] == [person.full_name for person in shown] and total == 10
    assert rows[1][11] == f"{world.association.name} ({MemberRole.MEMBER.label})"


def test_the_orders_export_has_the_lists_rows(world):
    add_orders(world, 300)
    client = client_for(world, "methodist")
    params = {"q": "О выгрузке 29", "status": "draft"}
    shown, total = page_rows(client, reverse("structure:order_list"), params)

    rows = download(client, reverse("structure:orders_export"), params)

    assert [row[2] for row in rows[1:]] == [order.title for order in shown] and total == 11


def test_the_structure_export_is_the_structure_on_the_date_of_the_page(world):
    add_people(world, 30)
    client = client_for(world, "methodist")
    earlier = world.today - datetime.timedelta(days=20)

    today = download(client, reverse("structure:structure_export"))
    before = download(client, reverse("structure:structure_export"), {"date": earlier.isoformat()})

    assert sum(1 for row in today if str(row[2]).startswith("Выгрузкина")) == 30
    assert not any(str(row[2]).startswith("Выгрузкина") for row in before)  # they came ten days ago
    assert len(before) > 1


@pytest.mark.parametrize("search", ["Выгрузкина01", "Методический"])
def test_the_structure_export_keeps_the_units_the_pages_search_keeps(world, search):
    add_people(world, 30)
    client = client_for(world, "methodist")
    shown = client.get(reverse("structure:overview"), {"q": search}).context["units"]

    rows = download(client, reverse("structure:structure_export"), {"q": search})

    assert shown and {row[0] for row in rows[1:]} == {unit.name_on_day for unit in shown}
    members = Membership.objects.active_on(world.today).filter(unit__in=[unit.pk for unit in shown])
    assert len(rows) - 1 == members.count()  # every member of a unit kept, not only those the search names


def test_the_decision_register_export_has_the_registers_rows(world):
    add_decisions(world, 300)
    client = client_for(world, "methodist")
    params = {"status": DecisionStatus.DONE}
    page = client.get(reverse("planning:decision_list"), params).context["page"]

    rows = download(client, reverse("planning:decisions_xlsx"), params)

    assert len(rows) - 1 == page.paginator.count == 30
    assert [row[4] for row in rows[1 : len(page) + 1]] == [decision.text for decision in page]
    assert {row[7] for row in rows[1:]} == {str(DecisionStatus.DONE.label)}


def test_the_schedule_export_has_the_schedules_rows(world):
    add_people(world, 40)
    client = client_for(world, "methodist")
    params = {"unit": world.association.pk}
    page = client.get(reverse("attestation:schedule"), params).context["page"]

    rows = download(client, reverse("attestation:schedule_xlsx"), params)

    assert len(rows) - 1 == page.paginator.count > 40
    assert [row[0] for row in rows[1 : len(page) + 1]] == [row.person.full_name for row in page]


def test_the_results_export_of_a_unit_has_its_members_only(world):
    add_participants(world, 20)
    outsiders = Person.objects.filter(last_name__startswith="Участникова")[:5]
    Membership.objects.filter(person__in=list(outsiders)).update(end=world.today - datetime.timedelta(days=1))
    client = client_for(world, "methodist")

    college = download(client, reverse("attestation:results_xlsx"), campaign(world))
    unit = download(client, reverse("attestation:results_xlsx"), {**campaign(world), "unit": world.association.pk})

    assert {row[0] for row in college[1:]} >= {person.full_name for person in outsiders}
    assert not {row[0] for row in unit[1:]} & {person.full_name for person in outsiders}
    assert sum(1 for row in unit[1:] if row[0].startswith("Участникова")) == 15 * 16


def test_the_visit_log_export_has_the_logs_rows(world):
    add_visits(world, 300)
    client = client_for(world, "methodist")
    start = world.today - datetime.timedelta(days=9)
    params = {"start": start.strftime("%d.%m.%Y"), "end": world.today.strftime("%d.%m.%Y")}
    page = client.get(reverse("experience:visit_log"), params).context["page"]

    rows = download(client, reverse("experience:visit_log_xlsx"), params)

    assert len(rows) - 1 == page.paginator.count >= 10
    assert [row[3] for row in rows[1 : len(page) + 1]] == [visit.lesson for visit in page]


def test_the_catalogue_export_has_the_catalogues_rows(world):
    add_catalogue(world, 300)
    client = client_for(world, "teacher")
    params = {"q": "Выгрузка", "sort": "title"}
    page = client.get(reverse("experience:catalogue"), params).context["page"]

    rows = download(client, reverse("experience:catalogue_xlsx"), params)

    assert len(rows) - 1 == page.paginator.count > 200  # the published ones of the 300
    assert [row[0] for row in rows[1 : len(page) + 1]] == [item.title for item in page]


def test_the_plan_export_has_every_item_under_its_title_lines(world):
    add_plan_items(world, 300)
    plan = world.association_plan

    rows = download(client_for(world, "mo_head"), reverse("planning:plan_xlsx", args=[plan.pk]))

    header = next(index for index, row in enumerate(rows) if row[0] == gettext("No."))
    assert rows[0][0] == str(plan) and rows[header - 1] == [None] * 9
    assert len(rows) - header - 1 == plan.items.count() == 301


# ---------------------------------------------------------------- odd parameters


ODD = {
    "people": {"q": "\x00", "position": "x", "is_external": "maybe", "page": "-1"},
    "orders": {"status": "nonsense", "year": "99999999999", "q": "\x00"},
    "decisions": {"status": "nonsense", "unit": "x"},
    "schedule": {"unit": "x", "position": "0", "status": "nonsense"},
    "results": {"unit": "x"},
    "visits": {"start": "31.02.2026", "end": "x", "person": "-5", "unit": "x", "status": "nonsense"},
    "catalogue": {"kind": "x", "year": "x", "author": "x", "sort": "nonsense", "origin": "?"},
}


@pytest.mark.parametrize("name", ODD)
def test_a_parameter_the_export_cannot_read_leaves_that_filter_out(world, name):
    export = EXPORTS[name]
    export.add(world, 10)
    client = client_for(world, export.role)
    url, params = export.url(world), export.params(world)

    whole = download(client, url, params)
    odd = download(client, url, {**params, **ODD[name]})

    assert odd == whole


def test_a_date_the_structure_export_cannot_read_gives_today_and_says_so(world):
    client = client_for(world, "methodist")
    today = download(client, reverse("structure:structure_export"))

    response = client.get(reverse("structure:structure_export"), {"date": "31.02.2026"})

    assert read(response.getvalue())[1] == today
    name = gettext("Structure on %(date)s") % {"date": f"{world.today:%d.%m.%Y}"}
    assert response["Content-Disposition"] == content_disposition_header(True, f"{name}.xlsx")
    page = client.get(reverse("structure:person_list"))
    assert gettext("The date was not understood; the structure is exported for today.") in page.content.decode()


# ---------------------------------------------------------------- names


NAMES = {
    "people": gettext_lazy("Staff %(date)s.xlsx"),
    "orders": gettext_lazy("Orders %(date)s.xlsx"),
    "structure": gettext_lazy("Structure on %(date)s") + ".xlsx",
    "decisions": "Реестр_решений_%(date)s.xlsx",
    "schedule": "График_аттестации_%(date)s.xlsx",
    "visits": "Взаимопосещения_%(date)s.xlsx",
    "catalogue": "Каталог_опыта_%(date)s.xlsx",
}


@pytest.mark.parametrize("name", NAMES)
def test_an_export_keeps_its_file_name(world, name):
    export = EXPORTS[name]
    response = client_for(world, export.role).get(export.url(world), export.params(world))

    expected = str(NAMES[name]) % {"date": f"{world.today:%d.%m.%Y}"}
    assert response["Content-Disposition"] == content_disposition_header(True, expected)
    assert response["Cache-Control"] == "private, no-store"
