"""The self-assembling portfolio (attestation.selectors.portfolio, attestation.services.portfolio,
attestation.documents.portfolio_pdf): what it gathers for a person and a period, what the person picks, each
refusal with its code and nothing written on a refusal, the PDF's text, and the pages as the owner and a viewer use
them."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attestation.documents import portfolio_pdf
from attestation.models import (
    AttestationCase,
    CaseDecision,
    CaseKind,
    CaseStatus,
    Category,
    CategoryKind,
    DocumentKind,
    Portfolio,
    PortfolioDocument,
    TrainingKind,
    TrainingRecord,
    TrainingStatus,
)
from attestation.selectors import portfolio as selectors
from attestation.services import cases as case_services
from attestation.services import portfolio as services
from planning.models import ItemStatus, PlanItem, WorkForm
from planning.services import item_mark
from tests.factories import ExternalPersonFactory, noon
from tests.planning.test_documents import pdf_text
from tests.security import upload_samples as samples
from tests.world import client_for

D = datetime.date
#: The tests run on this day (the world is built and used on it).
DAY = D(2026, 10, 14)
START, END = D(2022, 1, 1), D(2026, 12, 31)
pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, at=noon(DAY))]


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def codes(error: ValidationError) -> dict[str, list[str]] | list[str]:
    if hasattr(error, "error_dict"):
        return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}
    return [e.code for e in error.error_list]


def training(person, programme: str, start: D, end: D, *, hours: int = 36, status=TrainingStatus.CONFIRMED):
    return TrainingRecord.objects.create(
        person=person,
        created_by=person,
        kind=TrainingKind.QUALIFICATION,
        programme=programme,
        provider="Институт развития образования",
        hours=hours,
        start=start,
        end=end,
        document_kind=DocumentKind.CERTIFICATE,
        document_number="7724001",
        status=status,
    )


def create(world, **overrides) -> Portfolio:
    teacher = world.people["teacher"]
    data = {"person": teacher, "by": teacher, "title": "", "period_start": START, "period_end": END, "today": DAY}
    data.update(overrides)
    return services.portfolio_create(**data)


def section(content: dict, key: str) -> dict:
    return next(s for s in content["sections"] if s["key"] == key)


def titles(content: dict, key: str) -> list[str]:
    return [entry["title"] for entry in section(content, key)["entries"]]


def done_item(world, content: str, *, due: D, responsible=("teacher",), status=ItemStatus.DONE) -> PlanItem:
    item = PlanItem.objects.create(
        plan=world.service_plan,
        position=PlanItem.objects.filter(plan=world.service_plan).count() + 1,
        content=content,
        direction=world.teacher_item.direction,
        form=WorkForm.SEMINAR,
        due_date=due,
        status=status,
        report="Проведено, материалы на сайте",
    )
    item.responsible.set([world.people[name] for name in responsible])
    return item


# ---------------------------------------------------------------- what it gathers


def test_only_confirmed_professional_development_overlapping_the_period_with_its_hours(world):
    teacher = world.people["teacher"]
    inside = training(teacher, "Цифровая дидактика", D(2024, 3, 1), D(2024, 3, 20), hours=72)
    across = training(teacher, "Наставничество в СПО", D(2021, 12, 20), D(2022, 1, 15), hours=36)
    training(teacher, "Курс до периода", D(2021, 5, 1), D(2021, 5, 20))
    training(teacher, "Ждёт подтверждения", D(2025, 5, 1), D(2025, 5, 20), status=TrainingStatus.SUBMITTED)
    training(teacher, "Возвращён", D(2025, 6, 1), D(2025, 6, 20), status=TrainingStatus.RETURNED)
    training(world.people["mo_head"], "Чужой курс", D(2024, 3, 1), D(2024, 3, 20))

    content = selectors.portfolio_content(create(world), today=DAY)

    pd = section(content, "training")
    assert [e["key"] for e in pd["entries"]] == [f"training:{across.pk}", f"training:{inside.pk}"]
    assert pd["hours"] == 108
    entry = pd["entries"][1]
    assert entry["dates"] == "01.03.2024 – 20.03.2024" and entry["start"] == "2024-03-01" and entry["hours"] == 72
    assert "ПК, 72 ч" in entry["details"] and "Институт развития образования" in entry["details"]
    json.dumps(content)  # JSON-serialisable: a case freezes it as it is


def test_plan_items_done_with_the_person_responsible_within_the_period(world):
    item_mark(item=world.teacher_item, status=ItemStatus.DONE, report="Урок проведён, разработка в кабинете")
    done_item(world, "Не выполнено", due=D(2026, 10, 1), status=ItemStatus.PLANNED)
    done_item(world, "Ответственный другой", due=D(2026, 10, 1), responsible=("methodist",))
    done_item(world, "Позже периода", due=D(2027, 1, 10))

    content = selectors.portfolio_content(create(world), today=DAY)

    entries = section(content, "plan_items")["entries"]
    assert [e["title"] for e in entries] == ["Открытый урок по цифровым технологиям"]
    details = entries[0]["details"]
    assert details[0] == f"План методической службы на {world.year.title} учебный год"
    assert details[-1] == "Отчёт: Урок проведён, разработка в кабинете"


def test_categories_in_force_in_the_period_and_attestations_decided_in_it(world):
    teacher = world.people["teacher"]
    Category.objects.create(person=teacher, kind=CategoryKind.FIRST, set_on=D(2016, 2, 1))  # ended 2021
    first = Category.objects.create(
        person=teacher, kind=CategoryKind.FIRST, set_on=D(2021, 3, 1), order_number="115", order_date=D(2021, 3, 9)
    )
    case = AttestationCase.objects.create(
        person=teacher,
        kind=CaseKind.HIGHEST,
        status=CaseStatus.DECIDED,
        submitted_on=D(2024, 1, 10),
        decision=CaseDecision.GRANTED,
        decided_on=D(2024, 3, 1),
    )
    highest = Category.objects.create(person=teacher, kind=CategoryKind.HIGHEST, set_on=D(2024, 3, 1), case=case)
    conformity = AttestationCase.objects.create(
        person=world.people["teacher"],
        kind=CaseKind.CONFORMITY,
        status=CaseStatus.DECIDED,
        decision=CaseDecision.CONFORMS,
        decided_on=D(2022, 5, 20),
    )

    content = selectors.portfolio_content(create(world), today=DAY)

    entries = section(content, "attestation")["entries"]
    assert [e["key"] for e in entries] == [f"category:{first.pk}", f"case:{conformity.pk}", f"category:{highest.pk}"]
    assert entries[0]["details"] == ["Установлена 01.03.2021, до 28.02.2026", "Приказ № 115 от 09.03.2021"]
    assert entries[1]["title"] == "Аттестация на соответствие занимаемой должности"
    assert entries[2]["details"] == ["Установлена 01.03.2024, бессрочно"]
    assert content["header"]["category"] == "высшая, установлена 01.03.2024, бессрочно"


def test_the_header_and_the_sections_not_built_yet(world):
    content = selectors.portfolio_content(create(world), today=DAY)

    header = content["header"]
    assert header["person"] == world.people["teacher"].full_name
    assert header["period"] == "01.01.2022 – 31.12.2026" and header["title"] == "Портфолио за 2022–2026 годы"
    assert world.association.name in header["units"]
    assert header["category"] == ""
    assert [s["key"] for s in content["sections"]] == [
        "training",
        "plan_items",
        "experience",
        "diagnostics",
        "attestation",
        "documents",
    ]
    assert section(content, "experience")["entries"] == section(content, "diagnostics")["entries"] == []


# ---------------------------------------------------------------- picks


def test_a_new_portfolio_includes_everything_and_what_comes_later_waits_to_be_picked(world):
    teacher = world.people["teacher"]
    first = training(teacher, "Первый курс", D(2023, 3, 1), D(2023, 3, 10), hours=72)
    second = training(teacher, "Второй курс", D(2024, 3, 1), D(2024, 3, 10), hours=36)
    portfolio = create(world)
    assert set(portfolio.picks) == {f"training:{first.pk}", f"training:{second.pk}"}

    portfolio = services.picks_save(portfolio=portfolio, by=teacher, keys=[f"training:{second.pk}"], today=DAY)
    later = training(teacher, "Подтверждён позже", D(2025, 3, 1), D(2025, 3, 10), hours=16)

    content = selectors.portfolio_content(portfolio, today=DAY)
    assert titles(content, "training") == ["Второй курс"]
    assert section(content, "training")["hours"] == 36
    assembled = selectors.assemble(portfolio, today=DAY)
    assert assembled.not_picked == 2
    assert [picked for _entry, picked in assembled.sections[0].rows] == [False, True, False]

    services.picks_save(portfolio=portfolio, by=teacher, keys=[f"training:{later.pk}", f"training:{second.pk}"])
    assert titles(selectors.portfolio_content(portfolio, today=DAY), "training") == ["Второй курс", "Подтверждён позже"]


def test_an_entry_out_of_the_period_is_not_printed_and_its_pick_survives_a_return(world):
    teacher = world.people["teacher"]
    early = training(teacher, "Ранний курс", D(2022, 3, 1), D(2022, 3, 10))
    portfolio = create(world)

    portfolio = services.portfolio_update(
        portfolio=portfolio, by=teacher, title="", period_start=D(2023, 1, 1), period_end=END, today=DAY
    )
    assert portfolio.title == "Портфолио за 2023–2026 годы"
    assembled = selectors.assemble(portfolio, today=DAY)
    assert assembled.stale_picks == [f"training:{early.pk}"]
    assert titles(selectors.portfolio_content(portfolio, today=DAY), "training") == []
    services.picks_save(portfolio=portfolio, by=teacher, keys=[], today=DAY)  # nothing listed: the pick stays

    portfolio = services.portfolio_update(
        portfolio=portfolio, by=teacher, title="Портфолио", period_start=START, period_end=END, today=DAY
    )
    assert titles(selectors.portfolio_content(portfolio, today=DAY), "training") == ["Ранний курс"]


def test_a_key_that_is_not_an_entry_is_refused_and_nothing_changes(world):
    teacher = world.people["teacher"]
    record = training(teacher, "Курс", D(2023, 3, 1), D(2023, 3, 10))
    other = training(world.people["mo_head"], "Чужой курс", D(2023, 3, 1), D(2023, 3, 10))
    portfolio = create(world)

    for keys in ([f"training:{other.pk}"], ["training:999999"], ["<script>"]):
        with pytest.raises(ValidationError) as refused:
            services.picks_save(portfolio=portfolio, by=teacher, keys=keys, today=DAY)
        assert codes(refused.value) == ["unknown_entry"]
    assert Portfolio.objects.get(pk=portfolio.pk).picks == [f"training:{record.pk}"]


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 1, 1), D(2025, 12, 31), {"period_end": ["period_reversed"]}),
        (D(2020, 10, 1), D(2026, 9, 30), {"period_end": ["period_too_long"]}),  # 6 years exactly: accepted
        (D(2020, 10, 1), D(2026, 10, 1), {"period_end": ["period_too_long"]}),
        (D(2026, 1, 1), D(2027, 10, 15), {"period_end": ["period_in_future"]}),
        (None, END, {"period_start": ["required"]}),
        (START, None, {"period_end": ["required"]}),
    ],
)
def test_a_bad_period_is_refused_with_its_code_and_nothing_written(world, start, end, expected):
    if start == D(2020, 10, 1) and end == D(2026, 9, 30):
        assert create(world, period_start=start, period_end=end).pk
        return
    with pytest.raises(ValidationError) as refused:
        create(world, period_start=start, period_end=end)
    assert codes(refused.value) == expected
    assert not Portfolio.objects.exists()


def test_the_period_may_end_a_year_from_today_and_no_later(world):
    assert create(world, period_start=D(2026, 1, 1), period_end=D(2027, 10, 14)).pk


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(9999, 1, 1), D(9999, 1, 2)),
        (D(9996, 2, 29), D(9999, 12, 31)),
        (D(2026, 1, 1), D(9999, 12, 31)),
        (D(9999, 12, 31), D(9999, 12, 31)),
    ],
)
def test_a_period_at_the_calendars_end_is_in_the_future_not_an_error(world, start, end):
    with pytest.raises(ValidationError) as refused:
        create(world, period_start=start, period_end=end)
    assert codes(refused.value) == {"period_end": ["period_in_future"]}
    portfolio = create(world)
    with pytest.raises(ValidationError) as refused:
        services.portfolio_update(portfolio=portfolio, by=world.people["teacher"], period_start=start, period_end=end)
    assert codes(refused.value) == {"period_end": ["period_in_future"]}
    assert list(Portfolio.objects.values_list("period_start", "period_end")) == [(START, END)]


def test_only_the_owner_writes_and_a_researcher_has_no_portfolio(world):
    methodist = world.people["methodist"]
    with pytest.raises(ValidationError) as refused:
        create(world, by=methodist)
    assert codes(refused.value) == ["not_owner"]
    portfolio = create(world, title="  Моё   портфолио ")
    assert portfolio.title == "Моё портфолио"
    for call in (
        lambda: services.portfolio_update(
            portfolio=portfolio, by=methodist, period_start=START, period_end=END, today=DAY
        ),
        lambda: services.picks_save(portfolio=portfolio, by=methodist, keys=[]),
        lambda: services.portfolio_delete(portfolio=portfolio, by=methodist),
        lambda: services.document_add(
            portfolio=portfolio, by=methodist, title="Грамота", file=SimpleUploadedFile("a.pdf", samples.PDF)
        ),
    ):
        with pytest.raises(ValidationError) as refused:
            call()
        assert codes(refused.value) == ["not_owner"]
    assert Portfolio.objects.get(pk=portfolio.pk).title == "Моё портфолио"

    researcher = ExternalPersonFactory()
    with pytest.raises(ValidationError) as refused:
        create(world, person=researcher, by=researcher)
    assert codes(refused.value) == ["person_not_staff"]


def test_a_title_too_long_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        create(world, title="П" * 301)
    assert codes(refused.value) == {"title": ["title_too_long"]}


# ---------------------------------------------------------------- documents


def test_documents_are_uploaded_included_and_deleted_with_their_files(world, django_capture_on_commit_callbacks):
    teacher = world.people["teacher"]
    portfolio = create(world)
    pdf = services.document_add(
        portfolio=portfolio,
        by=teacher,
        title="Диплом победителя конкурса",
        issued_on=D(2025, 4, 2),
        file=SimpleUploadedFile("Диплом.pdf", samples.PDF),
        today=DAY,
    )
    png = services.document_add(
        portfolio=portfolio, by=teacher, title="Благодарность", file=SimpleUploadedFile("b.png", samples.png())
    )
    portfolio.refresh_from_db()
    assert {f"document:{pdf.pk}", f"document:{png.pk}"} <= set(portfolio.picks)
    assert pdf.file.name.endswith(".pdf") and "Диплом" not in pdf.file.name
    content = selectors.portfolio_content(portfolio, today=DAY)
    docs = section(content, "documents")["entries"]
    assert [(d["title"], d["dates"], d["details"]) for d in docs] == [
        ("Диплом победителя конкурса", "02.04.2025", ["Файл PDF"]),
        ("Благодарность", "", ["Файл PNG"]),  # undated last, on PostgreSQL and SQLite alike
    ]
    assert len(media_files()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(document=pdf, by=teacher)
    portfolio.refresh_from_db()
    assert f"document:{pdf.pk}" not in portfolio.picks
    assert len(media_files()) == 1


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("page.html", samples.HTML, {"file": ["file_type"]}),
        ("picture.svg", samples.SVG, {"file": ["file_type"]}),
        ("program.exe", samples.EXE, {"file": ["file_type"]}),
        ("Диплом.png", samples.PDF, {"file": ["extension_mismatch"]}),
        ("empty.pdf", b"", {"file": ["file_empty"]}),
    ],
)
def test_a_bad_file_is_refused_and_nothing_written(world, name, data, expected):
    portfolio = create(world)
    with pytest.raises(ValidationError) as refused:
        services.document_add(
            portfolio=portfolio, by=world.people["teacher"], title="Грамота", file=SimpleUploadedFile(name, data)
        )
    assert codes(refused.value) == expected
    assert not PortfolioDocument.objects.exists() and media_files() == []


def test_a_file_too_big_by_one_byte_is_refused_and_the_limit_accepted(world, settings):
    settings.UPLOAD_MAX_BYTES = 4096
    portfolio, teacher = create(world), world.people["teacher"]
    with pytest.raises(ValidationError) as refused:
        services.document_add(
            portfolio=portfolio, by=teacher, title="Грамота", file=SimpleUploadedFile("a.pdf", samples.PDF.ljust(4097))
        )
    assert codes(refused.value) == {"file": ["file_too_big"]}
    assert media_files() == []
    services.document_add(
        portfolio=portfolio, by=teacher, title="Грамота", file=SimpleUploadedFile("a.pdf", samples.PDF.ljust(4096))
    )
    assert len(media_files()) == 1


def test_a_document_without_title_or_file_or_dated_tomorrow_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        services.document_add(
            portfolio=create(world), by=world.people["teacher"], title=" ", issued_on=DAY + datetime.timedelta(1)
        )
    assert codes(refused.value) == {"title": ["required"], "issued_on": ["issued_in_future"], "file": ["required"]}
    assert not PortfolioDocument.objects.exists()


def submit_with(world, portfolio: Portfolio, kind=CaseKind.FIRST) -> AttestationCase:
    """The teacher's category case, opened and submitted with `portfolio` on DAY (the clock travelled there)."""
    teacher = world.people["teacher"]
    with time_machine.travel(noon(DAY), tick=False):
        case = case_services.category_open(person=teacher, kind=kind, by=teacher, today=DAY)
        return case_services.category_submit(case=case, by=teacher, on=DAY, portfolio=portfolio, today=DAY)


def kept() -> tuple:
    """What a refused deletion must leave as it was."""
    return (
        list(Portfolio.objects.order_by("pk").values_list("pk", "title", "picks")),
        list(PortfolioDocument.objects.order_by("pk").values_list("pk", "file")),
        Portfolio.history.count(),
        PortfolioDocument.history.count(),
        media_files(),
    )


def test_a_submitted_portfolio_and_the_documents_submitted_stay(world, django_capture_on_commit_callbacks):
    """The case's snapshot keeps titles, not files: while the case is not withdrawn, neither the portfolio nor a
    document it was submitted with is deleted; the live portfolio still changes."""
    teacher = world.people["teacher"]
    portfolio = create(world)
    diploma = services.document_add(
        portfolio=portfolio, by=teacher, title="Грамота", file=SimpleUploadedFile("a.pdf", samples.PDF)
    )
    case = submit_with(world, portfolio)
    assert selectors.submitted_document_pks(portfolio) == {diploma.pk}
    before = kept()
    for call in (
        lambda: services.portfolio_delete(portfolio=portfolio, by=teacher),
        lambda: services.document_delete(document=diploma, by=teacher),
    ):
        with pytest.raises(ValidationError) as refused, django_capture_on_commit_callbacks(execute=True):
            call()
        assert codes(refused.value) == ["portfolio_submitted"]
        assert kept() == before

    # the live portfolio changes: the title, the picks, a document added since (and deleted again)
    services.portfolio_update(
        portfolio=portfolio, by=teacher, title="Другое", period_start=START, period_end=END, today=DAY
    )
    services.picks_save(portfolio=portfolio, by=teacher, keys=[], today=DAY)
    later = services.document_add(
        portfolio=portfolio, by=teacher, title="Позже", file=SimpleUploadedFile("b.pdf", samples.PDF)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(document=later, by=teacher)
    assert Path(diploma.file.path).exists()

    # a decided case holds them as well; a withdrawn one lets them go
    AttestationCase.objects.filter(pk=case.pk).update(status=CaseStatus.DECIDED)
    with pytest.raises(ValidationError) as refused:
        services.portfolio_delete(portfolio=portfolio, by=teacher)
    assert codes(refused.value) == ["portfolio_submitted"]
    AttestationCase.objects.filter(pk=case.pk).update(status=CaseStatus.WITHDRAWN)
    snapshot = AttestationCase.objects.get(pk=case.pk).portfolio_snapshot
    with django_capture_on_commit_callbacks(execute=True):
        services.portfolio_delete(portfolio=portfolio, by=teacher)
    case.refresh_from_db()
    assert case.portfolio is None and case.portfolio_snapshot == snapshot
    assert media_files() == []
    assert "Грамота" in pdf_text(portfolio_pdf(case.portfolio_snapshot))  # the copy still prints


def test_the_pages_offer_no_deletion_of_what_was_submitted(world):
    teacher = world.people["teacher"]
    portfolio = create(world)
    diploma = services.document_add(
        portfolio=portfolio, by=teacher, title="Грамота", file=SimpleUploadedFile("a.pdf", samples.PDF)
    )
    submit_with(world, portfolio)
    later = services.document_add(
        portfolio=portfolio, by=teacher, title="Позже", file=SimpleUploadedFile("b.pdf", samples.PDF)
    )
    client = client_for(world, "teacher")
    html = client.get(portfolio.get_absolute_url()).content.decode()
    assert reverse("attestation:portfolio_delete", args=[portfolio.pk]) not in html
    assert reverse("attestation:portfolio_document_delete", args=[diploma.pk]) not in html
    assert reverse("attestation:portfolio_document_delete", args=[later.pk]) in html
    page = client.get(reverse("attestation:portfolio_delete", args=[portfolio.pk]))
    assert page.status_code == 200 and page.context["hold"].submitted
    assert 'class="btn btn-danger"' not in page.content.decode()
    page = client.get(reverse("attestation:portfolio_document_delete", args=[diploma.pk]))
    assert page.status_code == 200 and page.context["held"]
    before = kept()
    response = client.post(reverse("attestation:portfolio_delete", args=[portfolio.pk]), follow=True)
    assert response.status_code == 200 and len(list(response.context["messages"])) == 1
    response = client.post(reverse("attestation:portfolio_document_delete", args=[diploma.pk]), follow=True)
    assert response.status_code == 200 and len(list(response.context["messages"])) == 1
    assert kept() == before


# ---------------------------------------------------------------- the PDF


def test_the_pdf_prints_the_header_and_the_entries_picked(world):
    teacher = world.people["teacher"]
    kept = training(teacher, "Цифровая дидактика", D(2024, 3, 1), D(2024, 3, 20), hours=72)
    left_out = training(teacher, "Исключённый курс", D(2024, 5, 1), D(2024, 5, 20), hours=36)
    item_mark(item=world.teacher_item, status=ItemStatus.DONE, report="Урок проведён")
    portfolio = create(world, title="Портфолио для аттестации на первую категорию")
    keys = set(portfolio.picks) - {f"training:{left_out.pk}"}
    portfolio = services.picks_save(portfolio=portfolio, by=teacher, keys=keys, today=DAY)

    text = pdf_text(portfolio_pdf(selectors.portfolio_content(portfolio, today=DAY)))

    assert "ПОРТФОЛИО" in text and "Портфолио для аттестации на первую категорию" in text
    assert f"Фамилия, имя, отчество {teacher.full_name}" in text
    assert "Квалификационная категория без категории" in text
    assert "Период 01.01.2022 – 31.12.2026" in text
    assert "1. Повышение квалификации и профессиональная переподготовка" in text
    assert kept.programme in text and left_out.programme not in text
    assert "Всего часов: 72" in text
    assert "2. Участие в методической работе" in text and "Открытый урок по цифровым технологиям" in text
    assert "Результаты диагностики" not in text  # empty sections are left out
    assert "Сформировано в информационной системе методической службы 14.10.2026" in text


# ---------------------------------------------------------------- the pages


def test_the_teacher_creates_unticks_saves_and_downloads(world):
    teacher = world.people["teacher"]
    kept = training(teacher, "Цифровая дидактика", D(2024, 3, 1), D(2024, 3, 20), hours=72)
    left_out = training(teacher, "Исключённый курс", D(2024, 5, 1), D(2024, 5, 20), hours=36)
    client = client_for(world, "teacher")

    response = client.post(
        reverse("attestation:portfolio_add"), {"title": "", "period_start": "2022-01-01", "period_end": "2026-12-31"}
    )
    portfolio = Portfolio.objects.get()
    assert response.status_code == 302 and response["Location"] == portfolio.get_absolute_url()

    page = client.get(portfolio.get_absolute_url())
    html = page.content.decode()
    assert f'value="training:{left_out.pk}" id="pick-training{left_out.pk}" checked' in html
    response = client.post(
        reverse("attestation:portfolio_picks", args=[portfolio.pk]), {"pick": [f"training:{kept.pk}"]}
    )
    assert response.status_code == 302
    assert Portfolio.objects.get().picks == [f"training:{kept.pk}"]

    pdf = client.get(reverse("attestation:portfolio_pdf", args=[portfolio.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert kept.programme in text and left_out.programme not in text

    listing = client.get(reverse("attestation:portfolio_mine")).content.decode()
    assert "Портфолио за 2022–2026 годы" in listing


def test_a_refused_period_shows_on_the_form(world):
    response = client_for(world, "teacher").post(
        reverse("attestation:portfolio_add"), {"title": "", "period_start": "2026-01-01", "period_end": "2025-01-01"}
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["period_end"]] == ["period_reversed"]
    assert not Portfolio.objects.exists()


@pytest.mark.parametrize("view", ["portfolio_add", "portfolio_edit"])
def test_a_period_at_the_calendars_end_shows_on_the_form_in_russian(world, view):
    args = [create(world).pk] if view == "portfolio_edit" else []
    response = client_for(world, "teacher").post(
        reverse(f"attestation:{view}", args=args),
        {"title": "", "period_start": "9999-01-01", "period_end": "9999-01-02"},
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["period_end"]] == ["period_in_future"]
    assert "Период может заканчиваться не позднее чем через год" in response.content.decode()
    assert list(Portfolio.objects.values_list("period_start", "period_end")) == ([(START, END)] if args else [])


def test_a_stale_pick_is_reported_not_500(world):
    portfolio = create(world)
    response = client_for(world, "teacher").post(
        reverse("attestation:portfolio_picks", args=[portfolio.pk]), {"pick": ["training:424242"]}, follow=True
    )
    assert response.status_code == 200
    assert len(list(response.context["messages"])) == 1


def test_a_document_is_uploaded_and_downloaded_as_an_attachment(world):
    portfolio = create(world)
    client = client_for(world, "teacher")
    response = client.post(
        reverse("attestation:portfolio_document_add", args=[portfolio.pk]),
        {"title": "Грамота", "issued_on": "2025-05-05", "file": SimpleUploadedFile("g.pdf", samples.PDF)},
    )
    assert response.status_code == 302
    document = PortfolioDocument.objects.get()
    download = client_for(world, "mo_head").get(reverse("attestation:portfolio_document", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"

    refused = client.post(
        reverse("attestation:portfolio_document_add", args=[portfolio.pk]),
        {"title": "Скрипт", "file": SimpleUploadedFile("x.html", samples.HTML)},
    )
    assert refused.status_code == 200
    assert [e.code for e in refused.context["form"].errors.as_data()["file"]] == ["file_type"]
    assert PortfolioDocument.objects.count() == 1


def test_a_viewer_sees_the_entries_without_checkboxes(world):
    training(world.people["teacher"], "Цифровая дидактика", D(2024, 3, 1), D(2024, 3, 20))
    portfolio = create(world)
    html = client_for(world, "methodist").get(portfolio.get_absolute_url()).content.decode()
    assert "Цифровая дидактика" in html and 'name="pick"' not in html
    assert reverse("attestation:portfolio_picks", args=[portfolio.pk]) not in html
