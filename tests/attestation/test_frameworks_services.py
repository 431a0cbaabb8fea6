"""Competency frameworks (attestation.services.frameworks): each change and each refusal with its code, nothing
written on a refusal; copying into a new version; the CSV export of the default framework and the round trip; every
refusal of the CSV import, naming the row."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from attestation.models import (
    Assessment,
    AssessmentKind,
    CampaignParticipant,
    Competency,
    CompetencyFramework,
    DiagnosticCampaign,
    Score,
)
from attestation.services import frameworks as services
from planning.models import AcademicYear
from tests.security import upload_samples as samples

pytestmark = [pytest.mark.django_db, pytest.mark.world]

DEFAULT_CODES = ["A", "A/01.6", "A/02.6", "A/03.6", "B", "B/01.5", "B/02.5", "B/03.5", "C", "C/01.6", "C/02.6"]


def default() -> CompetencyFramework:
    return CompetencyFramework.objects.get(version=1, name__startswith="Профессиональный стандарт 01.004")


def codes(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}
    return {NON_FIELD_ERRORS: [e.code for e in error.error_list]}


def written() -> tuple:
    """Everything a refused call must leave as it was."""
    return (
        list(CompetencyFramework.objects.order_by("pk").values_list("pk", "name", "version", "source", "levels")),
        list(
            Competency.objects.order_by("pk").values_list(
                "pk", "framework", "parent", "code", "name", "kind", "position"
            )
        ),
        CompetencyFramework.history.count(),
        Competency.history.count(),
    )


def refused(call, code: str, field: str = NON_FIELD_ERRORS) -> ValidationError:
    before = written()
    with pytest.raises(ValidationError) as caught:
        call()
    assert code in codes(caught.value).get(field, []), codes(caught.value)
    assert written() == before
    return caught.value


@pytest.fixture
def draft(world):
    """An editable copy of the default framework."""
    return services.framework_copy(framework=default(), by=world.people["methodist"])


def freeze(framework: CompetencyFramework, today: datetime.date) -> DiagnosticCampaign:
    year, _ = AcademicYear.objects.get_or_create(
        title="2030/2031", defaults={"start": datetime.date(2030, 9, 1), "end": datetime.date(2031, 8, 31)}
    )
    return DiagnosticCampaign.objects.create(
        title="Диагностика",
        year=year,
        framework=framework,
        scope="all",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=10),
    )


def csv_file(text: str, name: str = "модель.csv", bom: bool = True) -> SimpleUploadedFile:
    data = text.replace("\n", "\r\n").encode("utf-8-sig" if bom else "utf-8")
    return SimpleUploadedFile(name, data, content_type="text/csv")


def rows_of(framework: CompetencyFramework) -> list[tuple]:
    return [
        (c.code, c.name, c.kind, c.parent.code if c.parent else "", c.position)
        for c in Competency.objects.filter(framework=framework).select_related("parent").order_by("position")
    ]


# ---------------------------------------------------------------- the default framework, copy, export


def test_the_default_framework_exports_22_rows():
    data = services.framework_csv(default())
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads it as UTF-8
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "code;name;kind;parent_code"
    body = [line for line in lines[1:] if line]
    assert len(body) == 22
    assert [line.split(";")[0] for line in body][:11] == DEFAULT_CODES
    assert body[1].split(";")[2:] == ["function", "A"]
    assert sum(1 for line in body if ";generalised;" in line) == 6


def test_copy_is_a_new_version_with_the_whole_tree_and_scale(world):
    original = default()
    original.levels = [*original.levels[:3], {"value": 3, "name": "эксперт", "descriptor": ""}]
    original.save()
    first = services.framework_copy(framework=original, by=world.people["methodist"])
    second = services.framework_copy(framework=original, by=world.people["deputy"])
    assert (first.name, first.version, first.based_on) == (original.name, 2, original)
    assert second.version == 3
    assert first.levels == original.levels and first.created_by == world.people["methodist"]
    assert rows_of(first) == rows_of(original)
    assert Competency.objects.filter(framework=first).count() == 22
    assert Competency.history.filter(framework_id=first.pk).count() == 22  # each created competency has its row


def test_round_trip_export_import_equals_the_original(world):
    original = default()
    exported = services.framework_csv(original)
    imported = services.framework_import(
        uploaded_file=SimpleUploadedFile("export.csv", exported), by=world.people["methodist"], name="Копия"
    )
    assert (imported.name, imported.version) == ("Копия", 1)
    assert rows_of(imported) == rows_of(original)
    assert services.framework_csv(imported) == exported


def test_a_name_a_spreadsheet_would_run_as_a_formula_is_exported_as_text_and_imported_back(draft, world):
    methodist = world.people["methodist"]
    services.competency_add(
        framework=draft, code="Z", name='=HYPERLINK("http://example.invalid";"Жми")', kind="generalised"
    )
    exported = services.framework_csv(draft)
    assert ";\"'=HYPERLINK(" in exported.decode("utf-8-sig")  # Excel shows it as text, never runs it
    imported = services.framework_import(uploaded_file=SimpleUploadedFile("x.csv", exported), by=methodist, name="Z")
    assert rows_of(imported) == rows_of(draft)


def test_import_into_an_unfrozen_framework_replaces_its_tree(draft, world):
    text = "code;name;kind;parent_code\nK;Ключевая;generalised;\nK/1;Часть;трудовая функция;K\nK/1.a;Индикатор;индикатор;K/1\n"
    services.framework_import(uploaded_file=csv_file(text), by=world.people["methodist"], framework=draft)
    assert rows_of(draft) == [
        ("K", "Ключевая", "generalised", "", 1),
        ("K/1", "Часть", "function", "K", 2),
        ("K/1.a", "Индикатор", "indicator", "K/1", 3),
    ]
    assert len(rows_of(default())) == 22  # the original stays


def test_import_reads_russian_headers_and_children_before_parents(world):
    text = "Код;Наименование;Вид;Код родителя\nX/1;Функция;function;X\nX;Обобщённая;Обобщённая трудовая функция;\n"
    framework = services.framework_import(
        uploaded_file=csv_file(text, bom=False), by=world.people["methodist"], name="Своя модель"
    )
    assert [row[:4] for row in rows_of(framework)] == [
        ("X/1", "Функция", "function", "X"),
        ("X", "Обобщённая", "generalised", ""),
    ]


# ---------------------------------------------------------------- import refusals


HEADER = "code;name;kind;parent_code\n"


@pytest.mark.parametrize(
    ("body", "code", "row"),
    [
        ("A;Раз;generalised;\nA;Два;generalised;\n", "duplicate_code", 3),
        ("A;Раз;generalised;\nA/1;Два;function;Z\n", "missing_parent", 3),
        ("A;Раз;generalised;\nA/1;Два;function;\n", "missing_parent", 3),
        ("A;Раз;generalised;\nA/1;Два;indicator;A\n", "wrong_kind", 3),
        ("A;Раз;generalised;\nA/1;Два;function;A\nA/2;Три;function;A/1\n", "wrong_kind", 4),
        ("A;Раз;generalised;B\nB;Два;generalised;\n", "wrong_kind", 2),
        ("A;Раз;компетенция;\n", "wrong_kind", 2),
        ("A;Раз;;\n", "required", 2),
        (";Раз;generalised;\n", "required", 2),
        ("A;;generalised;\n", "required", 2),
        (f"{'A' * 31};Раз;generalised;\n", "too_long", 2),
    ],
)
def test_import_refuses_a_bad_row_naming_it(world, body, code, row):
    error = refused(
        lambda: services.framework_import(
            uploaded_file=csv_file(HEADER + body), by=world.people["methodist"], name="Новая"
        ),
        code,
    )
    assert any(message.split(":")[0].endswith(f" {row}") for message in error.messages), error.messages


def test_import_names_every_bad_row_in_order(world):
    body = "A;Раз;generalised;\nA;Два;generalised;\nA/1;Три;function;Q\n;Четыре;function;A\n"
    error = refused(
        lambda: services.framework_import(
            uploaded_file=csv_file(HEADER + body), by=world.people["methodist"], name="Новая"
        ),
        "duplicate_code",
    )
    assert [e.code for e in error.error_list] == ["duplicate_code", "missing_parent", "required"]
    assert [m.split(":")[0].split()[-1] for m in error.messages] == ["3", "4", "5"]


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("модель.pdf", samples.PDF), "file_type"),
        (SimpleUploadedFile("модель.csv", samples.PDF), "file_type"),
        (SimpleUploadedFile("модель.xlsx", b"PK\x03\x04" + b"\x00" * 200), "file_type"),
        (SimpleUploadedFile("модель.csv", b"code;name\n" + b"x" * services.MAX_FILE_SIZE), "file_too_big"),
        (SimpleUploadedFile("модель.csv", b""), "empty"),
        (SimpleUploadedFile("модель.csv", "код;название\nA;Раз\n".encode()), "columns"),
        (SimpleUploadedFile("модель.csv", HEADER.encode() + b";;;\n"), "no_rows"),
        (None, "required"),
    ],
)
def test_import_refuses_a_bad_file(world, upload, code):
    refused(
        lambda: services.framework_import(uploaded_file=upload, by=world.people["methodist"], name="Новая"),
        code,
    )


def test_import_needs_a_name_for_a_new_framework(world):
    refused(
        lambda: services.framework_import(uploaded_file=csv_file(HEADER + "A;Раз;generalised;\n"), by=None, name=" "),
        "required",
        "name",
    )


def test_too_many_rows(world):
    body = "".join(f"G{i};Функция {i};generalised;\n" for i in range(services.MAX_ROWS + 1))
    refused(
        lambda: services.framework_import(uploaded_file=csv_file(HEADER + body), by=None, name="Большая"),
        "too_many_rows",
    )


# ---------------------------------------------------------------- frozen


def test_a_framework_used_in_a_campaign_is_frozen(draft, today):
    freeze(draft, today)
    function = Competency.objects.get(framework=draft, code="A/01.6")
    generalised = Competency.objects.get(framework=draft, code="A")
    for call in (
        lambda: services.framework_rename(framework=draft, name="Другое"),
        lambda: services.framework_set_levels(framework=draft, levels=[{"name": "нет"}, {"name": "да"}]),
        lambda: services.competency_add(framework=draft, code="Z", name="Новая", kind="generalised"),
        lambda: services.competency_update(
            competency=function, code="A/09", name="X", kind="function", parent=generalised
        ),
        lambda: services.competency_delete(competency=Competency.objects.get(framework=draft, code="F/02.7")),
        lambda: services.framework_import(
            uploaded_file=csv_file(HEADER + "A;Раз;generalised;\n"), by=None, framework=draft
        ),
    ):
        refused(call, "framework_frozen")
    copy = services.framework_copy(framework=draft, by=None)  # a frozen framework is still copied
    assert copy.version == 3 and len(rows_of(copy)) == 22


# ---------------------------------------------------------------- the framework and its scale


def test_rename_and_its_refusals(draft):
    services.framework_rename(framework=draft, name="  Моя   модель ", source="Приказ № 1")
    draft.refresh_from_db()
    assert (draft.name, draft.source) == ("Моя модель", "Приказ № 1")
    refused(lambda: services.framework_rename(framework=draft, name=""), "required", "name")
    services.framework_create(name="Чужая", by=None)
    services.framework_create(name="Чужая", by=None)  # version 2, as the copy's
    refused(lambda: services.framework_rename(framework=draft, name="Чужая"), "name_taken", "name")


def test_create_takes_the_next_version_of_a_name(world):
    framework = services.framework_create(name=default().name, by=world.people["deputy"])
    assert framework.version == 2 and framework.levels == default().levels
    assert not framework.competencies.exists()


def test_levels(draft):
    services.framework_set_levels(
        framework=draft,
        levels=[{"name": "нет", "descriptor": "не делает"}, {"name": "да"}, {"value": 2, "name": "образец"}],
    )
    draft.refresh_from_db()
    assert draft.levels == [
        {"value": 0, "name": "нет", "descriptor": "не делает"},
        {"value": 1, "name": "да", "descriptor": ""},
        {"value": 2, "name": "образец", "descriptor": ""},
    ]


@pytest.mark.parametrize(
    ("levels", "code"),
    [
        ([{"name": "один"}], "levels_count"),
        ([{"name": f"{i}"} for i in range(11)], "levels_count"),
        ([{"value": 1, "name": "раз"}, {"value": 2, "name": "два"}], "levels_values"),
        ([{"value": 0, "name": "раз"}, {"value": 2, "name": "два"}], "levels_values"),
        ([{"name": "раз"}, {"name": " "}], "required"),
        ([{"name": "раз"}, {"name": "Раз"}], "duplicate_level"),
    ],
)
def test_levels_refused(draft, levels, code):
    refused(lambda: services.framework_set_levels(framework=draft, levels=levels), code)


# ---------------------------------------------------------------- competencies


def test_add_edit_delete_a_competency(draft):
    function = Competency.objects.get(framework=draft, code="A/01.6")
    indicator = services.competency_add(
        framework=draft, code=" A/01.6.1 ", name="Проводит  занятия", kind="indicator", parent=function
    )
    assert (indicator.code, indicator.name, indicator.position) == ("A/01.6.1", "Проводит занятия", 23)
    services.competency_update(
        competency=indicator, code="A/01.6.2", name="Проводит", kind="indicator", parent=function
    )
    indicator.refresh_from_db()
    assert indicator.code == "A/01.6.2"
    services.competency_delete(competency=indicator)
    assert not Competency.objects.filter(pk=indicator.pk).exists()


def test_competency_refusals(draft, world):
    a = Competency.objects.get(framework=draft, code="A")
    b = Competency.objects.get(framework=draft, code="B")
    function = Competency.objects.get(framework=draft, code="A/01.6")
    elsewhere = Competency.objects.get(framework=default(), code="A")

    def add(**kwargs):
        data = {"framework": draft, "code": "N", "name": "Новая", "kind": "function", "parent": a} | kwargs
        return lambda: services.competency_add(**data)

    refused(add(code="A/02.6"), "duplicate_code", "code")
    refused(add(code=""), "required", "code")
    refused(add(name=""), "required", "name")
    refused(add(kind="skill"), "required", "kind")
    refused(add(parent=elsewhere), "wrong_framework", "parent")
    refused(add(parent=None), "missing_parent", "parent")
    refused(add(parent=function), "wrong_kind", "parent")
    refused(add(kind="indicator", parent=a), "wrong_kind", "parent")
    refused(add(kind="generalised", parent=b), "wrong_kind", "parent")

    def update(competency, **kwargs):
        data = {"code": competency.code, "name": competency.name, "kind": competency.kind, "parent": competency.parent}
        return lambda: services.competency_update(competency=competency, **(data | kwargs))

    refused(update(function, code="B"), "duplicate_code", "code")
    refused(update(a, kind="function", parent=b), "wrong_kind", "kind")  # its functions would stand under a function
    refused(update(function, parent=function, kind="function"), "cycle", "parent")


def test_delete_refusals(draft, today, world):
    a = Competency.objects.get(framework=draft, code="A")
    refused(lambda: services.competency_delete(competency=a), "has_children")
    # scores exist only in a campaign (frozen); the check stands on its own when the campaign's framework differs
    function = Competency.objects.get(framework=draft, code="A/01.6")
    campaign = freeze(default(), today)
    participant = CampaignParticipant.objects.create(campaign=campaign, person=world.people["teacher"])
    assessment = Assessment.objects.create(
        participant=participant, assessor=world.people["teacher"], kind=AssessmentKind.SELF
    )
    Score.objects.create(assessment=assessment, competency=function, level=2)
    refused(lambda: services.competency_delete(competency=function), "has_scores")
