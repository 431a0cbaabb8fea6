"""XLSX exports of people, orders and the structure: headers, cells, a fixed number of queries (the views, their
filters and the streamed download: tests/test_streaming_exports.py)."""

import datetime
import io
from urllib.parse import quote

import openpyxl
import pytest
from django.utils import translation

from metodservice.common import tables, xlsx
from structure import importing, resources, selectors, services
from structure.models import ActionKind, Education, MemberRole, Order, SystemRole, UnitKind
from tests.factories import (
    ExternalPersonFactory,
    PersonFactory,
    create_unit,
    noon,
    person_with_account,
    signed_order,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def export(table, sheet_title: str) -> bytes:
    headers, rows = table
    return xlsx.xlsx_bytes(sheet_title=sheet_title, headers=headers, rows=rows)


def read_sheet(data: bytes):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return sheet, rows[0], rows[1:]


@pytest.fixture
def management():
    director = person_with_account("director", SystemRole.DIRECTOR)
    deputy = person_with_account("deputy", SystemRole.DEPUTY)
    return director, deputy


# ---------------------------------------------------------------- people


def test_people_export_headers_rows_and_bounded_queries(django_assert_max_num_queries, management):
    director, deputy = management
    PersonFactory.create_batch(31)
    petrova = PersonFactory(
        last_name="Петрова",
        first_name="Анна",
        patronymic="Сергеевна",
        hire_date=datetime.date(2015, 9, 1),
        education=Education.HIGHER_PED,
        awards='=HYPERLINK("http://example.org")',
        email="petrova@example.org",
    )
    ExternalPersonFactory(last_name="Внешний", organisation="Университет")
    create_unit(director, deputy, UnitKind.CREATIVE_GROUP, "Цифровая школа", head=petrova)

    with django_assert_max_num_queries(2):  # the people, their units today
        data = export(resources.people_table(selectors.people_list()), "Staff")

    sheet, header, rows = read_sheet(data)
    assert header == [
        "Full name",
        "Position",
        "Hire date",
        "In the position since",
        "Pedagogical service since",
        "Education",
        "Academic degree",
        "Awards",
        "Subjects",
        "E-mail",
        "Organisation (external researchers)",
        "Units and roles today",
    ]
    assert len(rows) == 35  # 31 + Petrova + the external + director and deputy
    row = next(r for r in rows if r[0] == "Петрова Анна Сергеевна")
    assert row[1] == "Преподаватель"
    assert row[2] == datetime.datetime(2015, 9, 1)
    assert row[5] == "higher pedagogical"
    assert row[7] == '=HYPERLINK("http://example.org")'
    assert row[9] == "petrova@example.org"
    assert row[11] == "Цифровая школа (head)"
    index = rows.index(row) + 2
    assert sheet[f"C{index}"].number_format == "DD.MM.YYYY"
    assert sheet[f"H{index}"].data_type == "s"  # user text that looks like a formula stays text
    external = next(r for r in rows if r[0].startswith("Внешний"))
    assert (external[1], external[10]) == (None, "Университет")
    assert sheet.title == "Staff"
    assert sheet.freeze_panes == "A2"


def test_people_export_reads_back_as_import_columns():
    PersonFactory(
        last_name="Орлова",
        first_name="Вера",
        patronymic="",
        education_details="высшее, МГУ, 2001",
        email="o@example.org",
    )
    data = export(resources.people_table(selectors.people_list()), "Staff")

    preview = importing.preview_data(data=data, filename="export.xlsx")

    # The columns are understood; every row is a duplicate of somebody in the database.
    assert preview.total == 1
    assert preview.rows[0]["education"] == "высшее, МГУ, 2001"
    assert preview.rows[0]["errors"] == [
        "Duplicate: «Орлова Вера» is already in the database",
        "Duplicate: the e-mail o@example.org already belongs to «Орлова Вера» in the database",
    ]


# ---------------------------------------------------------------- orders


def test_orders_export_headers_rows_and_bounded_queries(django_assert_max_num_queries, management):
    director, deputy = management
    teacher = PersonFactory()
    for number in range(31):
        services.order_create(author=deputy, title=f"О проекте {number}", preamble="В целях развития")
    signed = signed_order(
        director,
        deputy,
        [{"kind": ActionKind.CREATE_UNIT, "unit_kind": UnitKind.OTHER, "unit_name": "Лаборатория"}],
        title="О создании лаборатории",
    )
    unit = signed.created_units.get()
    appointment = signed_order(
        director,
        deputy,
        [
            {"kind": ActionKind.APPOINT, "unit": unit, "person": deputy, "role": MemberRole.HEAD},
            {"kind": ActionKind.INCLUDE, "unit": unit, "person": teacher},
        ],
        title="О составе лаборатории",
    )
    services.order_acknowledge(order=appointment, person=teacher)
    roles = selectors.roles_of(director.user)

    with django_assert_max_num_queries(1):
        data = export(resources.orders_table(selectors.orders_visible_to(roles)), "Orders")

    _, header, rows = read_sheet(data)
    assert header == ["Number", "Date", "Title", "Status", "Author", "Signed by", "Acknowledged"]
    assert len(rows) == Order.objects.count() == 33
    row = next(r for r in rows if r[2] == "О составе лаборатории")
    assert row[0] == appointment.registration_number
    assert row[1] == datetime.datetime.combine(appointment.date, datetime.time())
    assert row[3] == "signed"
    assert row[4] == deputy.full_name
    assert row[5] == director.full_name
    total = appointment.acknowledgements.count()
    assert total >= 2
    assert row[6] == f"1 of {total}"
    draft = next(r for r in rows if r[2] == "О проекте 0")
    assert (draft[0], draft[1], draft[3], draft[5], draft[6]) == (None, None, "draft", None, None)


# ---------------------------------------------------------------- the structure on a date


def test_structure_export_headers_rows_and_bounded_queries(django_assert_max_num_queries, management, today):
    director, deputy = management
    head = PersonFactory(last_name="Яковлева", first_name="Анна", patronymic="Павловна")
    members = PersonFactory.create_batch(30)
    unit = create_unit(director, deputy, UnitKind.CREATIVE_GROUP, "Цифровая школа", head=head, members=members)
    create_unit(director, deputy, UnitKind.COUNCIL, "Методический совет", head=director)

    with django_assert_max_num_queries(1):
        data = export(resources.structure_table(resources.memberships_on(today)), "Structure")

    _, header, rows = read_sheet(data)
    assert header == ["Unit", "Kind", "Full name", "Role", "Since", "By order"]
    assert len(rows) == 32
    # The council comes first (the order of unit kinds), then the group with its head before the members.
    assert rows[0][:4] == ["Методический совет", "methodological council", director.full_name, "head"]
    assert rows[1][:4] == ["Цифровая школа", "creative group", "Яковлева Анна Павловна", "head"]
    assert rows[1][4] == datetime.datetime.combine(today, datetime.time())
    order = unit.created_by_order
    assert rows[1][5] == f"No. {order.registration_number} of {order.date:%d.%m.%Y}"
    assert {r[3] for r in rows[2:]} == {"member"}


@pytest.mark.dated
def test_structure_export_uses_the_name_on_the_date(management, today):
    director, deputy = management
    past = noon(today - datetime.timedelta(days=10))
    unit = create_unit(director, deputy, UnitKind.LAB, "Старое имя", head=PersonFactory(), at=past)
    signed_order(director, deputy, [{"kind": ActionKind.RENAME, "unit": unit, "new_name": "Новое имя"}])

    assert [m.unit_name_on_day for m in resources.memberships_on(today - datetime.timedelta(days=5))] == ["Старое имя"]
    assert [m.unit_name_on_day for m in resources.memberships_on(today)] == ["Новое имя"]
    assert list(resources.memberships_on(today - datetime.timedelta(days=20))) == []


# ---------------------------------------------------------------- the download


def test_xlsx_response_has_an_encoded_cyrillic_filename():
    response = tables.xlsx_response(b"data", "Сотрудники 01.09.2025.xlsx")

    assert response["Content-Type"] == tables.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote("Сотрудники 01.09.2025.xlsx")
    assert response.content == b"data"


def test_sheet_titles_follow_excel_rules():
    data = export(resources.people_table(selectors.people_list().none()), "Structure on 01/09/2025: [all units]")
    sheet, header, rows = read_sheet(data)
    assert len(sheet.title) <= 31 and "/" not in sheet.title and ":" not in sheet.title
    assert rows == []
