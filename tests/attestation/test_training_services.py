"""Professional development records (attestation.services.training): each transition and each refusal, with its
code, and nothing written on a refusal — no record, no history row, no file."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from attestation import schedule
from attestation.models import DocumentKind, TrainingKind, TrainingRecord, TrainingStatus
from attestation.selectors import training as selectors
from attestation.services import training as services
from metodservice.common import uploads
from tests.security import upload_samples as samples

pytestmark = [pytest.mark.django_db, pytest.mark.world]

STORED_NAME = re.compile(r"^training/\d{4}/[0-9a-f]{24}\.(pdf|jpg|png)$")


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def fields(today: datetime.date, **overrides) -> dict:
    data = {
        "kind": TrainingKind.QUALIFICATION,
        "programme": "Цифровые инструменты в профессиональной деятельности преподавателя",
        "provider": "ГАУ ДПО «Институт развития образования»",
        "hours": 72,
        "start": today - datetime.timedelta(days=40),
        "end": today - datetime.timedelta(days=30),
        "document_kind": DocumentKind.CERTIFICATE,
        "document_number": "772400012345",
    }
    data.update(overrides)
    return data


def add(world, today, person="teacher", by=None, **overrides) -> TrainingRecord:
    people = world.people
    return services.training_add(
        person=people[person], by=people[by or person], today=today, **fields(today, **overrides)
    )


def pdf(name: str = "Удостоверение.pdf", data: bytes = samples.PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")  # the browser's word: ignored


def codes(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}
    return {NON_FIELD_ERRORS: [e.code for e in error.error_list]}


def written() -> tuple:
    """Everything a refused call must leave as it was."""
    return (
        list(TrainingRecord.objects.values_list("pk", "status", "hours", "programme", "scan", "return_comment")),
        TrainingRecord.history.count(),
        media_files(),
    )


# ---------------------------------------------------------------- adding


def test_a_teacher_adds_their_record_and_it_waits_for_confirmation(world, today):
    record = add(world, today)

    record.refresh_from_db()
    assert record.status == TrainingStatus.SUBMITTED
    assert record.person == world.people["teacher"] and record.created_by == world.people["teacher"]
    assert record.confirmed_by is None and record.confirmed_at is None
    assert record.history.count() == 1


def test_the_methodist_adds_a_record_for_a_teacher(world, today):
    record = add(world, today, person="teacher", by="methodist")

    assert record.person == world.people["teacher"] and record.created_by == world.people["methodist"]
    assert record.status == TrainingStatus.SUBMITTED


def test_programme_and_provider_are_tidied(world, today):
    record = add(world, today, programme="  Цифровые   инструменты ", provider=" ИРО ", document_number=" 12 ")
    assert (record.programme, record.provider, record.document_number) == ("Цифровые инструменты", "ИРО", "12")


@pytest.mark.parametrize(
    ("overrides", "accepted"),
    [
        pytest.param({"hours": 16}, True, id="ПК of exactly 16 hours"),
        pytest.param(
            {"kind": TrainingKind.RETRAINING, "hours": 250, "document_kind": DocumentKind.DIPLOMA},
            True,
            id="retraining of exactly 250 hours",
        ),
        pytest.param(
            {"kind": TrainingKind.INTERNSHIP, "hours": 1, "document_kind": DocumentKind.STATEMENT},
            True,
            id="internship of 1 hour with a statement",
        ),
        pytest.param(
            {"kind": TrainingKind.INTERNSHIP, "hours": 36, "document_kind": DocumentKind.CERTIFICATE},
            True,
            id="internship within a ПК programme, with its certificate",
        ),
        pytest.param(
            {"kind": TrainingKind.INTERNSHIP, "hours": 36, "document_kind": DocumentKind.OTHER},
            True,
            id="internship with another document",
        ),
    ],
)
def test_the_edges_that_are_accepted(world, today, overrides, accepted):
    assert add(world, today, **overrides).pk


def test_a_course_ending_today_and_a_one_day_course_are_accepted(world, today):
    assert add(world, today, start=today, end=today, hours=16).end == today


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


REFUSALS = [
    pytest.param({"hours": 0}, "hours", "hours_below_minimum", id="zero hours"),
    pytest.param({"hours": -8}, "hours", "hours_below_minimum", id="negative hours"),
    pytest.param({"hours": 15}, "hours", "hours_below_minimum", id="ПК of 15 hours"),
    pytest.param(
        {"kind": TrainingKind.RETRAINING, "hours": 249, "document_kind": DocumentKind.DIPLOMA},
        "hours",
        "hours_below_minimum",
        id="retraining of 249 hours",
    ),
    pytest.param(
        {"kind": TrainingKind.INTERNSHIP, "hours": 0, "document_kind": DocumentKind.STATEMENT},
        "hours",
        "hours_below_minimum",
        id="internship of 0 hours",
    ),
    pytest.param({"hours": None}, "hours", "required", id="no hours"),
    pytest.param("ends_before_start", "end", "ends_before_start", id="ends before it starts"),
    pytest.param("tomorrow", "end", "ends_in_future", id="ends tomorrow"),
    pytest.param({"document_kind": DocumentKind.DIPLOMA}, "document_kind", "document_kind_mismatch", id="ПК, diploma"),
    pytest.param({"document_kind": DocumentKind.OTHER}, "document_kind", "document_kind_mismatch", id="ПК, other"),
    pytest.param(
        {"kind": TrainingKind.RETRAINING, "hours": 300, "document_kind": DocumentKind.CERTIFICATE},
        "document_kind",
        "document_kind_mismatch",
        id="retraining, certificate",
    ),
    pytest.param(
        {"kind": TrainingKind.INTERNSHIP, "hours": 36, "document_kind": DocumentKind.DIPLOMA},
        "document_kind",
        "document_kind_mismatch",
        id="internship, diploma",
    ),
    pytest.param({"programme": "   "}, "programme", "required", id="no programme"),
    pytest.param({"provider": ""}, "provider", "required", id="no provider"),
    pytest.param({"kind": ""}, "kind", "required", id="no kind"),
    pytest.param({"kind": "seminar"}, "kind", "invalid_choice", id="unknown kind"),
    pytest.param({"document_kind": ""}, "document_kind", "required", id="no document"),
    pytest.param({"start": None}, "start", "required", id="no start"),
    pytest.param({"end": None}, "end", "required", id="no end"),
    pytest.param({"programme": "П" * 501}, "programme", "max_length", id="programme too long"),
]


def _overrides(spec, today) -> dict:
    if spec == "ends_before_start":
        return {"start": today - _days(10), "end": today - _days(11)}
    if spec == "tomorrow":
        return {"start": today - _days(3), "end": today + _days(1)}
    return spec


@pytest.mark.parametrize(("spec", "field", "code"), REFUSALS)
def test_bad_data_is_refused_on_its_field_and_nothing_is_written(world, today, spec, field, code):
    before = written()

    with pytest.raises(ValidationError) as refused:
        add(world, today, scan=pdf(), **_overrides(spec, today))

    assert code in codes(refused.value)[field]
    assert written() == before


def test_every_problem_is_reported_at_once(world, today):
    with pytest.raises(ValidationError) as refused:
        add(world, today, hours=4, document_kind=DocumentKind.DIPLOMA, provider="", scan=pdf("x.html", samples.HTML))

    assert codes(refused.value) == {
        "hours": ["hours_below_minimum"],
        "document_kind": ["document_kind_mismatch"],
        "provider": ["required"],
        "scan": ["file_type"],
    }


def test_the_refusal_names_the_minimum(world, today):
    with pytest.raises(ValidationError) as refused:
        add(world, today, hours=8)
    assert "16" in refused.value.message_dict["hours"][0]


def test_an_external_researcher_has_no_records(world, today):
    before = written()
    with pytest.raises(ValidationError) as refused:
        add(world, today, person="researcher", by="methodist")
    assert codes(refused.value) == {NON_FIELD_ERRORS: ["person_not_staff"]}
    assert written() == before


def test_the_same_record_twice_is_refused(world, today):
    add(world, today)
    before = written()
    with pytest.raises(ValidationError) as refused:
        add(
            world, today, by="methodist", programme="ЦИФРОВЫЕ инструменты в профессиональной деятельности преподавателя"
        )
    assert codes(refused.value) == {NON_FIELD_ERRORS: ["training_duplicate"]}
    assert written() == before
    # the same programme at other dates is another course
    assert add(world, today, start=today - _days(400), end=today - _days(390)).pk


# ---------------------------------------------------------------- the scan


@pytest.mark.parametrize(
    ("name", "data", "extension"),
    [
        ("Удостоверение.pdf", samples.PDF, "pdf"),
        ("Фото.JPG", samples.jpeg(), "jpg"),
        ("Фото.jpeg", samples.jpeg(), "jpg"),
        ("Скан.png", samples.png(), "png"),
    ],
)
def test_a_scan_is_stored_under_a_random_name_with_its_type(world, today, name, data, extension):
    record = add(world, today, scan=pdf(name, data))

    assert STORED_NAME.match(record.scan.name) and record.scan.name.endswith("." + extension)
    assert name not in record.scan.name
    assert [path.name for path in media_files()] == [Path(record.scan.name).name]
    assert name in record.history.get().history_change_reason


SCAN_REFUSALS = [
    pytest.param("Удостоверение.pdf", samples.HTML, "file_type", id="html named .pdf"),
    pytest.param("Удостоверение.docx", samples.ooxml("word/document.xml"), "file_type", id="a Word document"),
    pytest.param("Удостоверение.svg", samples.SVG, "file_type", id="svg"),
    pytest.param("setup.exe", samples.EXE, "file_type", id="exe"),
    pytest.param("scan.zip", samples.zip_of([("a.pdf", samples.PDF)]), "file_type", id="zip"),
    pytest.param("Удостоверение.png", samples.PDF, "extension_mismatch", id="pdf named .png"),
    pytest.param("Удостоверение.pdf", b"", "file_empty", id="empty"),
]


@pytest.mark.parametrize(("name", "data", "code"), SCAN_REFUSALS)
def test_a_bad_scan_is_refused_with_its_code_and_nothing_is_written(world, today, name, data, code):
    before = written()

    with pytest.raises(ValidationError) as refused:
        add(world, today, scan=pdf(name, data))

    assert codes(refused.value) == {"scan": [code]}
    message = refused.value.message_dict["scan"][0]
    assert uploads.TRAINING_SCAN.rule() in message and "PDF, JPG, PNG" in message
    assert written() == before


def test_a_scan_too_big_by_one_byte_is_refused_and_the_limit_itself_accepted(world, today, settings):
    settings.UPLOAD_MAX_BYTES = 4096
    before = written()

    with pytest.raises(ValidationError) as refused:
        add(world, today, scan=pdf(data=samples.PDF.ljust(4097, b" ")))

    assert codes(refused.value) == {"scan": ["file_too_big"]}
    assert uploads.format_size(4096) in refused.value.message_dict["scan"][0]
    assert written() == before

    assert add(world, today, scan=pdf(data=samples.PDF.ljust(4096, b" "))).scan
    assert len(media_files()) == 1


# ---------------------------------------------------------------- editing


def edit(world, record, by, today, **overrides) -> TrainingRecord:
    data = fields(today, **{key: getattr(record, key) for key in services.FIELDS})
    data.update(overrides)
    return services.training_update(record=record, by=world.people[by], today=today, **data)


def test_the_owner_corrects_a_record_waiting_for_confirmation(world, today):
    record = add(world, today)
    record = edit(world, record, "teacher", today, hours=36)
    assert (record.hours, record.status) == (36, TrainingStatus.SUBMITTED)
    assert record.history.count() == 2


def test_a_corrected_returned_record_waits_for_confirmation_again_with_the_comment_kept(world, today):
    record = add(world, today)
    services.training_return(record=record, by=world.people["methodist"], comment="Уточните номер удостоверения")

    record = edit(world, record, "teacher", today, document_number="772400099999")

    assert record.status == TrainingStatus.SUBMITTED
    assert record.return_comment == "Уточните номер удостоверения"


def test_a_confirmed_record_is_not_changed_by_its_owner(world, today):
    record = add(world, today)
    services.training_confirm(record=record, by=world.people["methodist"], today=today)
    before = written()

    with pytest.raises(ValidationError) as refused:
        edit(world, record, "teacher", today, hours=100)

    assert codes(refused.value) == {NON_FIELD_ERRORS: ["training_confirmed"]}
    assert written() == before


def test_the_methodist_corrects_a_confirmed_record_and_it_stays_confirmed(world, today):
    record = add(world, today)
    services.training_confirm(record=record, by=world.people["deputy"], today=today)

    record = edit(world, record, "methodist", today, hours=108)

    assert (record.hours, record.status) == (108, TrainingStatus.CONFIRMED)
    assert record.confirmed_by == world.people["deputy"]


def test_the_methodist_does_not_change_their_own_confirmed_record(world, today):
    record = add(world, today, person="methodist")
    services.training_confirm(record=record, by=world.people["deputy"], today=today)
    with pytest.raises(ValidationError) as refused:
        edit(world, record, "methodist", today, hours=108)
    assert codes(refused.value) == {NON_FIELD_ERRORS: ["training_confirmed"]}


def test_an_edit_is_checked_like_an_addition_and_writes_nothing_when_refused(world, today):
    record = add(world, today, scan=pdf())
    before = written()

    with pytest.raises(ValidationError) as refused:
        edit(world, record, "teacher", today, hours=10, end=today + _days(5), scan=pdf("Новый.png", samples.png()))

    assert codes(refused.value) == {"hours": ["hours_below_minimum"], "end": ["ends_in_future"]}
    assert written() == before


def test_an_edit_may_not_make_a_duplicate(world, today):
    add(world, today)
    other = add(world, today, start=today - _days(400), end=today - _days(390))
    with pytest.raises(ValidationError) as refused:
        edit(world, other, "teacher", today, start=today - _days(40), end=today - _days(30))
    assert codes(refused.value) == {NON_FIELD_ERRORS: ["training_duplicate"]}


def test_a_replaced_scan_is_deleted_once_the_change_commits(world, today, django_capture_on_commit_callbacks):
    record = add(world, today, scan=pdf())
    old = record.scan.name

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        record = edit(world, record, "teacher", today, scan=pdf("Фото.png", samples.png()))
        assert len(media_files()) == 2, "the old file stays until the commit"

    assert len(callbacks) == 1
    assert record.scan.name != old and record.scan.name.endswith(".png")
    assert [path.name for path in media_files()] == [Path(record.scan.name).name]


def test_a_removed_scan_is_deleted_once_the_change_commits(world, today, django_capture_on_commit_callbacks):
    record = add(world, today, scan=pdf())
    with django_capture_on_commit_callbacks(execute=True):
        record = services.training_update(
            record=record, by=world.people["teacher"], today=today, remove_scan=True, **fields(today)
        )
    assert not record.scan
    assert media_files() == []


def test_an_edit_without_a_new_scan_keeps_the_old_one(world, today, django_capture_on_commit_callbacks):
    record = add(world, today, scan=pdf())
    name = record.scan.name
    with django_capture_on_commit_callbacks(execute=True):
        record = edit(world, record, "teacher", today, hours=40)
    assert record.scan.name == name and len(media_files()) == 1


# ---------------------------------------------------------------- confirming and returning


@pytest.mark.parametrize("confirmer", ["methodist", "deputy"])
def test_the_methodist_or_the_deputy_confirms(world, today, confirmer):
    record = services.training_confirm(record=add(world, today), by=world.people[confirmer], today=today)

    record.refresh_from_db()
    assert record.status == TrainingStatus.CONFIRMED
    assert record.confirmed_by == world.people[confirmer] and record.confirmed_at is not None


def test_nobody_confirms_or_returns_their_own_record(world, today):
    record = add(world, today, person="methodist")
    before = written()
    for call in (
        lambda: services.training_confirm(record=record, by=world.people["methodist"], today=today),
        lambda: services.training_return(record=record, by=world.people["methodist"], comment="Исправить"),
    ):
        with pytest.raises(ValidationError) as refused:
            call()
        assert codes(refused.value) == {NON_FIELD_ERRORS: ["own_record"]}
    assert written() == before


@pytest.mark.parametrize("state", [TrainingStatus.CONFIRMED, TrainingStatus.RETURNED])
def test_only_a_record_waiting_is_confirmed_or_returned(world, today, state):
    record = add(world, today)
    if state == TrainingStatus.CONFIRMED:
        services.training_confirm(record=record, by=world.people["deputy"], today=today)
    else:
        services.training_return(record=record, by=world.people["deputy"], comment="Нет скана")
    before = written()
    for call in (
        lambda: services.training_confirm(record=record, by=world.people["methodist"], today=today),
        lambda: services.training_return(record=record, by=world.people["methodist"], comment="Исправить"),
    ):
        with pytest.raises(ValidationError) as refused:
            call()
        assert codes(refused.value) == {NON_FIELD_ERRORS: ["training_not_waiting"]}
    assert written() == before


def test_a_course_that_has_not_ended_is_not_confirmed(world, today):
    record = add(world, today)
    TrainingRecord.objects.filter(pk=record.pk).update(end=today + _days(1))  # as if typed into the database
    before = written()
    with pytest.raises(ValidationError) as refused:
        services.training_confirm(record=record, by=world.people["methodist"], today=today)
    assert codes(refused.value) == {NON_FIELD_ERRORS: ["training_not_ended"]}
    assert written() == before


def test_a_return_needs_a_comment(world, today):
    record = add(world, today)
    before = written()
    with pytest.raises(ValidationError) as refused:
        services.training_return(record=record, by=world.people["methodist"], comment="  ")
    assert codes(refused.value) == {"comment": ["comment_required"]}
    assert written() == before


def test_a_return_keeps_the_comment(world, today):
    record = services.training_return(record=add(world, today), by=world.people["deputy"], comment=" Нет скана ")
    record.refresh_from_db()
    assert (record.status, record.return_comment) == (TrainingStatus.RETURNED, "Нет скана")


# ---------------------------------------------------------------- deleting


@pytest.mark.parametrize("who", ["teacher", "methodist"])
def test_the_person_or_the_author_deletes_a_record_not_confirmed(world, today, who, django_capture_on_commit_callbacks):
    record = add(world, today, by="methodist", scan=pdf())
    with django_capture_on_commit_callbacks(execute=True):
        services.training_delete(record=record, by=world.people[who])
    assert not TrainingRecord.objects.exists()
    assert media_files() == []
    assert TrainingRecord.history.filter(history_type="-").count() == 1


def test_someone_elses_record_is_not_deleted(world, today):
    record = add(world, today)
    before = written()
    with pytest.raises(ValidationError) as refused:
        services.training_delete(record=record, by=world.people["methodist"])
    assert codes(refused.value) == {NON_FIELD_ERRORS: ["not_owner"]}
    assert written() == before


def test_a_confirmed_record_is_not_deleted(world, today):
    record = add(world, today, scan=pdf())
    services.training_confirm(record=record, by=world.people["methodist"], today=today)
    before = written()
    with pytest.raises(ValidationError) as refused:
        services.training_delete(record=record, by=world.people["teacher"])
    assert codes(refused.value) == {NON_FIELD_ERRORS: ["training_confirmed"]}
    assert written() == before


# ---------------------------------------------------------------- compliance


def test_compliance_counts_confirmed_records_only(world, today):
    teacher = world.people["teacher"]
    record = add(world, today, scan=pdf())
    assert selectors.person_compliance(teacher, today).status == schedule.OVERDUE

    services.training_confirm(record=record, by=world.people["methodist"], today=today)

    compliance = selectors.person_compliance(teacher, today)
    assert compliance.status == schedule.COMPLIANT
    assert compliance.last_course == record.end and compliance.hours_3_years == 72


def test_a_professional_cycle_teacher_needs_an_internship_too(world, today):
    teacher = world.people["teacher"]
    teacher.professional_cycle = True
    teacher.save()
    methodist = world.people["methodist"]
    services.training_confirm(record=add(world, today), by=methodist, today=today)
    assert selectors.person_compliance(teacher, today).status == schedule.OVERDUE

    internship = add(
        world,
        today,
        kind=TrainingKind.INTERNSHIP,
        hours=36,
        document_kind=DocumentKind.STATEMENT,
        programme="Стажировка",
    )
    services.training_confirm(record=internship, by=methodist, today=today)

    compliance = selectors.person_compliance(teacher, today)
    assert compliance.status == schedule.COMPLIANT and compliance.hours_3_years == 108


def test_the_director_has_no_requirement(world, today):
    assert selectors.person_compliance(world.people["director"], today).status == schedule.NOT_APPLICABLE
