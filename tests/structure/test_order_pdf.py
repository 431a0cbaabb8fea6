"""The director's order as PDF (ГОСТ Р 7.0.97): content, embedded fonts, drafts and a bounded number of queries."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader
from weasyprint.urls import path2url

from metodservice.common.pdf import LocalOnlyURLFetcher, pdf_response, render_pdf
from structure import services
from structure.models import ActionKind, MemberRole, Order, SystemRole, UnitKind
from structure.reports import order_pdf, order_pdf_filename
from tests.factories import PersonFactory, create_unit, person_with_account

pytestmark = pytest.mark.django_db

SIGNED_AT = datetime.datetime(2026, 6, 5, 10, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Moscow"))


def pdf_text(pdf: bytes) -> str:
    """The text of every page, whitespace collapsed so that wrapped lines still match."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def font_descriptors(pdf: bytes):
    """(font name, descriptor) for every font used on every page, looking into Type0 descendant fonts."""
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font")
        if fonts is None:
            continue
        for font_ref in fonts.get_object().values():
            font = font_ref.get_object()
            candidates = [font]
            if font.get("/Subtype") == "/Type0":
                candidates = [descendant.get_object() for descendant in font["/DescendantFonts"]]
            for candidate in candidates:
                yield candidate.get("/BaseFont"), candidate.get("/FontDescriptor")


@pytest.fixture
def people():
    director = person_with_account(
        "director", SystemRole.DIRECTOR, last_name="Петрова", first_name="Анна", patronymic="Сергеевна"
    )
    deputy = person_with_account(
        "deputy", SystemRole.DEPUTY, last_name="Смирнов", first_name="Олег", patronymic="Павлович"
    )
    return director, deputy


@pytest.fixture
def group_order(people):
    """A signed order creating a creative group: a leader and two members, all on the acknowledgement list."""
    director, deputy = people
    leader = PersonFactory(last_name="Кузнецова", first_name="Мария", patronymic="Ивановна")
    first = PersonFactory(last_name="Орлов", first_name="Дмитрий", patronymic="Андреевич")
    second = PersonFactory(last_name="Беляева", first_name="Екатерина", patronymic="Олеговна")
    unit = create_unit(
        director,
        deputy,
        UnitKind.CREATIVE_GROUP,
        "Цифровая дидактика",
        head=leader,
        members=[first, second],
        at=SIGNED_AT,
    )
    return unit.created_by_order, [leader, first, second]


def test_signed_order_pdf_carries_the_requisites(group_order):
    order, named = group_order
    text = pdf_text(order_pdf(order))

    assert order.registration_number == "1-од"
    assert "№ 1-од" in text
    assert "05.06.2026" in text
    assert "ПРИКАЗ" in text
    assert "ПРИКАЗЫВАЮ" in text
    assert "О создании «Цифровая дидактика»" in text
    assert settings.COLLEGE_NAME in text
    assert settings.COLLEGE_CITY in text
    assert "В целях развития методической работы" in text
    # Clause 1, its sub-clauses 1.1–1.3 (the two members in one list) and the control clause as clause 2.
    assert "1. Создать «Цифровая дидактика». 1.1. Создать творческую группу «Цифровая дидактика»." in text
    assert "1.2. Назначить руководителем творческой группы «Цифровая дидактика» Кузнецову Марию Ивановну" in text
    assert "1.3. Включить в состав творческой группы «Цифровая дидактика»: Орлов Д.А., преподаватель; Беляева" in text
    assert "2. Контроль за исполнением настоящего приказа оставляю за собой." in text
    # The signature and the mark of the electronic signature.
    assert "Директор" in text
    assert "А.С. Петрова" in text
    assert "Подписано простой электронной подписью Директор Петрова Анна Сергеевна 05.06.2026 10:30" in text
    assert len(order.content_hash) == 64
    assert order.content_hash[:16] in text
    assert order.content_hash[32:48] in text
    assert "ПРОЕКТ" not in text
    # The acknowledgement list names everyone the order names.
    assert "ЛИСТ ОЗНАКОМЛЕНИЯ" in text
    assert "с приказом от 05.06.2026 № 1-од" in text
    for person in named:
        assert person.full_name in text


def test_acknowledgement_list_is_on_its_own_page_and_marks_who_has_read(group_order):
    order, (leader, first, second) = group_order
    services.order_acknowledge(order=order, person=first)
    pdf = order_pdf(order)
    reader = PdfReader(io.BytesIO(pdf))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]

    assert len(pages) >= 2
    assert "ЛИСТ ОЗНАКОМЛЕНИЯ" not in pages[0]
    ack_page = " ".join(pages[1:])
    assert "ЛИСТ ОЗНАКОМЛЕНИЯ" in ack_page
    # The mark agrees with the person (Орлов Дмитрий Андреевич), as frozen when the order was signed.
    assert ack_page.count("ознакомлен в электронном виде") == 1
    assert "ознакомлен(а)" not in ack_page and "ознакомлена" not in ack_page
    # Rows follow the alphabet: Беляева, Кузнецова, Орлов.
    positions = [ack_page.index(p.full_name) for p in (second, leader, first)]
    assert positions == sorted(positions)
    # Pages are numbered in the top centre from page 2 on.
    # (pypdf extracts the page-margin box last.)
    assert pages[0].split()[-1] != "1"
    assert pages[1].split()[-1] == "2"


def test_fonts_are_embedded(group_order):
    order, _named = group_order
    descriptors = list(font_descriptors(order_pdf(order)))

    assert descriptors
    for name, descriptor in descriptors:
        assert descriptor is not None, name
        descriptor = descriptor.get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), name


def test_draft_renders_as_project_without_signature(people):
    director, deputy = people
    member = PersonFactory(last_name="Зайцев", first_name="Павел", patronymic="Петрович")
    order = services.order_create(
        author=deputy, title="О составе творческой группы", preamble="В целях обновления состава"
    )
    clause = services.clause_add(order=order, text="Изменить состав творческой группы.")
    unit = create_unit(director, deputy, UnitKind.CREATIVE_GROUP, "Проектное обучение", head=PersonFactory())
    services.action_add(clause=clause, kind=ActionKind.INCLUDE, unit=unit, person=member)

    text = pdf_text(order_pdf(order))

    assert "ПРОЕКТ" in text
    assert "Проект — не подписан" in text
    assert "О составе творческой группы" in text
    assert (
        "1.1. Включить в состав творческой группы «Проектное обучение» Зайцева Павла Петровича, преподавателя." in text
    )
    assert "Подписано простой электронной подписью" not in text
    assert "SHA-256" not in text
    assert "-од" not in text
    # The draft's list already names who will have to read the order; today's director is the signer.
    assert "с проектом приказа" in text
    assert member.full_name in text
    assert "А.С. Петрова" in text
    assert order_pdf_filename(order) == f"Проект_приказа_{order.pk}.pdf"


def test_order_pdf_filename(group_order):
    order, _named = group_order
    assert order_pdf_filename(order) == "Приказ_1-од_от_05.06.2026.pdf"


def big_order(director, deputy, clauses: int) -> Order:
    """A signed order of `clauses` clauses, each creating a group, appointing its head and including a member."""
    order = services.order_create(author=deputy, title="О творческих группах", preamble="В целях развития")
    day = SIGNED_AT.date()
    for index in range(clauses):
        clause = services.clause_add(order=order, text=f"Создать творческую группу № {index + 1}.")
        unit = services.action_add(
            clause=clause,
            kind=ActionKind.CREATE_UNIT,
            unit_kind=UnitKind.CREATIVE_GROUP,
            unit_name=f"Группа {clauses}-{index}",
            day=day,
        ).unit
        services.action_add(
            clause=clause, kind=ActionKind.APPOINT, unit=unit, person=PersonFactory(), role=MemberRole.HEAD, day=day
        )
        services.action_add(clause=clause, kind=ActionKind.INCLUDE, unit=unit, person=PersonFactory(), day=day)
    services.order_send(order=order, day=day)
    order = services.order_sign(order=order, person=director, at=SIGNED_AT)
    first_named = order.acknowledgements.select_related("person").first().person
    services.order_acknowledge(order=order, person=first_named)
    return order


def test_order_pdf_queries_are_bounded(people, django_assert_max_num_queries):
    director, deputy = people
    small = big_order(director, deputy, clauses=1)
    big = big_order(director, deputy, clauses=10)

    with CaptureQueriesContext(connection) as small_queries:
        order_pdf(small)
    with django_assert_max_num_queries(10):
        pdf = order_pdf(big)
    with CaptureQueriesContext(connection) as big_queries:
        order_pdf(big)

    # No query per clause, action or person: ten times the content, the same queries.
    assert len(big_queries) == len(small_queries)
    text = pdf_text(pdf)
    assert "10.3. Включить" in text
    assert "11. Контроль за исполнением" in text


def test_pdf_fetcher_loads_only_project_files():
    fetcher = LocalOnlyURLFetcher()
    for url in ("http://example.org/x.css", "https://example.org/font.woff2", "ftp://example.org/x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"
    local = fetcher.fetch(path2url(settings.BASE_DIR / "templates" / "reports" / "base_print.html"))
    assert b"@page" in local.read()
    local.close()


def test_pdf_response_names_the_file_in_utf8():
    pdf = render_pdf("reports/base_print.html", {})
    assert pdf.startswith(b"%PDF-")
    response = pdf_response(pdf, "Приказ_1-од_от_05.06.2026.pdf")

    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline; ")
    assert 'filename="Prikaz_1-od_ot_05.06.2026.pdf"' in disposition
    assert (
        "filename*=UTF-8''%D0%9F%D1%80%D0%B8%D0%BA%D0%B0%D0%B7_1-%D0%BE%D0%B4_%D0%BE%D1%82_05.06.2026.pdf"
        in disposition
    )
    assert response.content == pdf
    assert pdf_response(pdf, 'a"/b.pdf', as_attachment=True)["Content-Disposition"].startswith("attachment; ")
