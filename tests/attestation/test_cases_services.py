"""Category cases and what both kinds share (attestation.services.cases): each transition, each refusal with its
code and nothing written on a refusal; the 30- and 60-day limits on their edges, with the dates written out; the
portfolio frozen at submission; a granted case records the category and the schedule reads it."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from attestation import schedule
from attestation.models import (
    AttestationCase,
    CaseDecision,
    CaseDocument,
    CaseDocumentKind,
    CaseKind,
    CaseStatus,
    Category,
    Portfolio,
)
from attestation.selectors import schedule as schedule_selectors
from attestation.services import cases as services
from metodservice.common.signing import sha256_of
from structure.models import Position
from tests.attestation.matrix_cases import give_highest, portfolio_of, use_portfolio_contract
from tests.factories import PersonFactory, noon
from tests.security import upload_samples

pytestmark = [pytest.mark.django_db, pytest.mark.world]

D = datetime.date
SUBMITTED = D(2025, 3, 3)
OPENED = D(2025, 2, 1)
SITTING = D(2025, 3, 20)
DECIDED = D(2025, 4, 10)


@pytest.fixture(autouse=True)
def _portfolio(monkeypatch):
    use_portfolio_contract(monkeypatch)


def codes(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [e.code for errors in error.error_dict.values() for e in errors]
    return [e.code for e in error.error_list]


def written() -> tuple:
    """Everything a refused call must leave as it was."""
    return (
        list(
            AttestationCase.objects.order_by("pk").values_list(
                "pk", "status", "petition", "submitted_on", "sitting_on", "decision", "decided_on", "portfolio_hash"
            )
        ),
        AttestationCase.history.count(),
        list(Category.objects.values_list("pk", "kind", "set_on")),
        list(CaseDocument.objects.values_list("pk", "file")),
        media_files(),
    )


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def refused(call, code: str) -> ValidationError:
    before = written()
    with pytest.raises(ValidationError) as caught:
        call()
    assert code in codes(caught.value), codes(caught.value)
    assert written() == before
    return caught.value


def opened(world, kind=CaseKind.FIRST, person="teacher", today=OPENED) -> AttestationCase:
    """Opened on `today` (the clock travelled there: the case's creation date is that day)."""
    p = world.people[person]
    with time_machine.travel(noon(today), tick=False):
        return services.category_open(person=p, kind=kind, by=p, today=today)


def submitted(world, kind=CaseKind.FIRST, on=SUBMITTED) -> AttestationCase:
    teacher = world.people["teacher"]
    case = opened(world, kind)
    if kind in services.NEED_HIGHEST:
        case = services.petition_save(case=case, by=world.people["methodist"], text="Ходатайство работодателя")
    return services.category_submit(case=case, by=teacher, on=on, portfolio=portfolio_of(teacher))


def with_sitting(world, on=SITTING) -> AttestationCase:
    return services.sitting_set(case=submitted(world), by=world.people["methodist"], on=on)


# ---------------------------------------------------------------- opening


def test_a_teacher_opens_a_category_case_and_prepares_documents(world):
    case = opened(world)
    assert case.status == CaseStatus.DOCUMENTS
    assert case.person == world.people["teacher"] and case.created_by == world.people["teacher"]
    assert case.history.count() == 1


def test_conformity_is_not_opened_as_a_category(world):
    teacher = world.people["teacher"]
    refused(
        lambda: services.category_open(person=teacher, kind=CaseKind.CONFORMITY, by=teacher, today=D(2025, 2, 1)),
        "wrong_kind",
    )
    refused(lambda: services.category_open(person=teacher, kind="second", by=teacher), "wrong_kind")


def test_categories_are_for_teaching_staff(world):
    director = world.people["director"]  # «Директор» is not a teaching position
    refused(
        lambda: services.category_open(person=director, kind=CaseKind.FIRST, by=world.people["methodist"]),
        "not_pedagogical",
    )


@pytest.mark.parametrize("kind", [CaseKind.METHODIST, CaseKind.MENTOR])
def test_methodist_and_mentor_need_a_current_highest(world, kind):
    teacher = world.people["teacher"]
    refused(lambda: opened(world, kind), "needs_highest")
    # a высшая of the old rules, set 15.05.2019, ended on 14.05.2024: not in force on 01.02.2025
    give_highest(teacher, D(2019, 5, 15))
    refused(lambda: opened(world, kind), "needs_highest")
    give_highest(teacher, D(2024, 11, 20), number="2")
    assert opened(world, kind).status == CaseStatus.DOCUMENTS


def test_the_highest_must_already_be_in_force_on_the_day(world):
    give_highest(world.people["teacher"], D(2025, 2, 2))
    refused(lambda: opened(world, CaseKind.MENTOR, today=D(2025, 2, 1)), "needs_highest")
    assert opened(world, CaseKind.MENTOR, today=D(2025, 2, 2)).kind == CaseKind.MENTOR


def test_methodist_category_is_refused_in_a_methodist_post(world):
    methodist = world.people["methodist"]  # «Методист»
    give_highest(methodist, D(2024, 1, 10))
    refused(lambda: opened(world, CaseKind.METHODIST, person="methodist"), "methodist_post")
    senior = PersonFactory(position=Position.objects.get(name="Старший методист"))
    give_highest(senior, D(2024, 1, 10))
    refused(
        lambda: services.category_open(person=senior, kind=CaseKind.METHODIST, by=methodist, today=D(2025, 2, 1)),
        "methodist_post",
    )
    # the mentor category is open to them
    assert opened(world, CaseKind.MENTOR, person="methodist").kind == CaseKind.MENTOR


def test_one_open_case_of_a_kind_at_a_time(world):
    first = opened(world)
    refused(lambda: opened(world), "case_open")
    assert opened(world, CaseKind.HIGHEST).kind == CaseKind.HIGHEST  # another kind is fine
    services.case_withdraw(case=first, by=world.people["teacher"], reason="Передумал")
    assert opened(world).status == CaseStatus.DOCUMENTS  # after withdrawal, again


def test_a_category_held_without_end_is_not_applied_for_again(world):
    teacher = world.people["teacher"]
    give_highest(teacher, D(2023, 9, 1))  # the first day of the new rules: no end
    refused(lambda: opened(world, CaseKind.HIGHEST), "already_held")
    assert opened(world, CaseKind.FIRST).kind == CaseKind.FIRST


def test_a_category_of_the_old_rules_may_be_applied_for_before_it_ends(world):
    give_highest(world.people["teacher"], D(2023, 8, 31))  # the last day of the old rules: ends 30.08.2028
    assert opened(world, CaseKind.HIGHEST).kind == CaseKind.HIGHEST


# ---------------------------------------------------------------- the petition


def test_the_petition_is_written_for_methodist_and_mentor_only(world):
    case = opened(world)
    refused(
        lambda: services.petition_save(case=case, by=world.people["methodist"], text="Ходатайство"),
        "petition_not_needed",
    )


def test_the_petition_is_saved_not_empty_and_before_submission(world):
    give_highest(world.people["teacher"], D(2024, 2, 1))
    case = opened(world, CaseKind.MENTOR)
    methodist = world.people["methodist"]
    refused(lambda: services.petition_save(case=case, by=methodist, text="   "), "petition_empty")
    case = services.petition_save(case=case, by=methodist, text="  Ходатайствую об установлении  ")
    assert case.petition == "Ходатайствую об установлении" and case.petition_by == methodist
    case = services.category_submit(
        case=case, by=world.people["teacher"], on=SUBMITTED, portfolio=portfolio_of(world.people["teacher"])
    )
    refused(lambda: services.petition_save(case=case, by=methodist, text="Другое"), "case_submitted")


# ---------------------------------------------------------------- the submission


def test_the_submission_freezes_the_portfolio(world, client):
    teacher = world.people["teacher"]
    portfolio = portfolio_of(teacher, title="Портфолио к аттестации на первую категорию")
    case = services.category_submit(case=opened(world), by=teacher, on=SUBMITTED, portfolio=portfolio)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.submitted_on == SUBMITTED
    assert case.portfolio == portfolio and case.portfolio_snapshot
    assert case.portfolio_hash == sha256_of(case.portfolio_snapshot)
    frozen = case.portfolio_snapshot

    portfolio.title = "Совсем другое портфолио"
    portfolio.save()
    case.refresh_from_db()
    assert case.portfolio_snapshot == frozen  # the live portfolio changed, the case did not


def test_the_submission_needs_the_persons_own_portfolio(world):
    case = opened(world)
    teacher = world.people["teacher"]
    other = portfolio_of(world.people["mo_head"])
    refused(
        lambda: services.category_submit(case=case, by=teacher, on=SUBMITTED, portfolio=other),
        "portfolio_other_person",
    )
    refused(lambda: services.category_submit(case=case, by=teacher, on=SUBMITTED, portfolio=None), "portfolio_missing")


def test_the_submission_is_not_in_the_future(world):
    case = opened(world)
    teacher = world.people["teacher"]
    refused(
        lambda: services.category_submit(
            case=case, by=teacher, on=D(2025, 3, 4), portfolio=portfolio_of(teacher), today=D(2025, 3, 3)
        ),
        "date_in_future",
    )
    assert (
        services.category_submit(
            case=case, by=teacher, on=D(2025, 3, 3), portfolio=portfolio_of(teacher), today=D(2025, 3, 3)
        ).status
        == CaseStatus.SUBMITTED
    )


def test_methodist_and_mentor_are_submitted_with_the_petition(world):
    teacher = world.people["teacher"]
    give_highest(teacher, D(2024, 2, 1))
    case = opened(world, CaseKind.MENTOR)
    refused(
        lambda: services.category_submit(case=case, by=teacher, on=SUBMITTED, portfolio=portfolio_of(teacher)),
        "petition_missing",
    )


def test_the_highest_is_checked_again_on_the_day_of_submission(world):
    teacher = world.people["teacher"]
    give_highest(teacher, D(2020, 5, 1))  # old rules: in force until 30.04.2025
    case = opened(world, CaseKind.MENTOR, today=D(2025, 4, 1))
    case = services.petition_save(case=case, by=world.people["methodist"], text="Ходатайство")
    refused(
        lambda: services.category_submit(
            case=case, by=teacher, on=D(2025, 5, 1), portfolio=portfolio_of(teacher), today=D(2025, 5, 1)
        ),
        "needs_highest",
    )
    assert services.category_submit(
        case=case, by=teacher, on=D(2025, 4, 30), portfolio=portfolio_of(teacher), today=D(2025, 4, 30)
    ).submitted_on == D(2025, 4, 30)


def test_a_submitted_case_is_not_submitted_again(world):
    case = submitted(world)
    teacher = world.people["teacher"]
    refused(
        lambda: services.category_submit(case=case, by=teacher, on=SUBMITTED, portfolio=portfolio_of(teacher)),
        "case_submitted",
    )


# ---------------------------------------------------------------- the commission's sitting: 30 calendar days


@pytest.mark.parametrize(
    ("on", "code"),
    [
        (D(2025, 3, 2), "sitting_before_submission"),  # the day before the submission (03.03.2025)
        (D(2025, 3, 3), None),  # the day of the submission
        (D(2025, 4, 2), None),  # the 30th day after it
        (D(2025, 4, 3), "sitting_late"),  # the 31st
    ],
)
def test_the_sitting_is_within_30_days_of_the_submission(world, on, code):
    case = submitted(world)
    call = lambda: services.sitting_set(case=case, by=world.people["methodist"], on=on)  # noqa: E731
    if code is None:
        assert call().sitting_on == on
    else:
        error = refused(call, code)
        if code == "sitting_late":
            assert "02.04.2025" in " ".join(error.messages)  # the last allowed day


def test_the_sitting_is_set_on_a_submitted_case(world):
    case = opened(world)
    refused(lambda: services.sitting_set(case=case, by=world.people["methodist"], on=SUBMITTED), "not_submitted")


# ---------------------------------------------------------------- the decision: 60 days after the sitting


def decide(world, case, decision=CaseDecision.REFUSED, on=DECIDED, **kwargs):
    return services.category_decide(case=case, by=world.people["methodist"], decision=decision, on=on, **kwargs)


def test_no_decision_without_the_sitting(world):
    case = submitted(world)
    refused(lambda: decide(world, case), "no_sitting")


def test_the_decision_is_set_or_refused(world):
    case = with_sitting(world)
    refused(lambda: decide(world, case, decision=CaseDecision.CONFORMS), "wrong_decision")
    refused(lambda: decide(world, case, decision=""), "wrong_decision")


@pytest.mark.parametrize(
    ("on", "code"),
    [
        (D(2025, 3, 2), "decision_before_submission"),  # submitted 03.03.2025
        (D(2025, 4, 1), "decision_before_sitting"),  # the sitting: 02.04.2025
        (D(2025, 4, 2), None),  # at the sitting
        (D(2025, 6, 1), None),  # the 60th day after it
        (D(2025, 6, 2), "decision_late"),  # the 61st
    ],
)
def test_the_decision_is_within_60_days_of_the_sitting(world, on, code):
    case = with_sitting(world, on=D(2025, 4, 2))
    call = lambda: decide(world, case, on=on)  # noqa: E731
    if code is None:
        decided = call()
        assert decided.status == CaseStatus.DECIDED and decided.decided_on == on
    else:
        error = refused(call, code)
        if code == "decision_late":
            assert "01.06.2025" in " ".join(error.messages)


def test_a_granted_category_needs_the_regional_order(world):
    case = with_sitting(world)
    refused(lambda: decide(world, case, decision=CaseDecision.GRANTED), "order_missing")
    refused(lambda: decide(world, case, decision=CaseDecision.GRANTED, order_number="1234"), "order_missing")
    refused(
        lambda: decide(world, case, decision=CaseDecision.GRANTED, order_number="1234", order_date=D(2025, 4, 9)),
        "order_before_decision",
    )


def test_a_granted_case_records_the_category_and_the_schedule_reads_it(world):
    teacher = world.people["teacher"]
    day = D(2025, 6, 1)
    before = schedule.schedule(schedule_selectors.own_record(teacher), day)
    assert before.category is None and before.status != schedule.EXEMPT

    case = decide(
        world,
        with_sitting(world),
        decision=CaseDecision.GRANTED,
        on=D(2025, 4, 10),
        order_number="1234-р",
        order_date=D(2025, 4, 17),
    )
    category = Category.objects.get(person=teacher)
    assert (category.kind, category.set_on, category.order_number, category.order_date, category.case) == (
        "first",
        D(2025, 4, 10),
        "1234-р",
        D(2025, 4, 17),
        case,
    )
    assert category.valid_until is None  # set after 01.09.2023: no end
    assert (case.decision, case.order_number) == (CaseDecision.GRANTED, "1234-р")

    after = schedule.schedule(schedule_selectors.own_record(teacher), day)
    assert after.status == schedule.EXEMPT
    assert after.category == schedule.CategoryHeld("first", D(2025, 4, 10)) and after.category_until is None
    assert after.exemptions[0] == schedule.Exemption(schedule.CATEGORY, None)


def test_a_refused_case_records_no_category(world):
    case = decide(world, with_sitting(world), decision=CaseDecision.REFUSED)
    assert case.decision == CaseDecision.REFUSED and not Category.objects.exists()


def test_a_decided_case_is_closed(world):
    case = decide(world, with_sitting(world))
    refused(lambda: decide(world, case), "case_closed")
    refused(lambda: services.case_withdraw(case=case, by=world.people["teacher"], reason="Поздно"), "case_closed")


def test_the_person_never_decides_their_own_case(world):
    """The rules keep the methodist off their own case; the category record refuses it as well."""
    methodist = world.people["methodist"]
    case = opened(world, person="methodist")
    case = services.category_submit(case=case, by=methodist, on=SUBMITTED, portfolio=portfolio_of(methodist))
    case = services.sitting_set(case=case, by=world.people["deputy"], on=D(2025, 3, 20))
    refused(
        lambda: services.category_decide(
            case=case,
            by=methodist,
            decision=CaseDecision.GRANTED,
            on=D(2025, 4, 10),
            order_number="1",
            order_date=D(2025, 4, 10),
        ),
        "own_record",
    )


# ---------------------------------------------------------------- withdrawal


def test_a_case_is_withdrawn_with_a_reason(world):
    case = submitted(world)
    teacher = world.people["teacher"]
    refused(lambda: services.case_withdraw(case=case, by=teacher, reason="  "), "reason_required")
    case = services.case_withdraw(case=case, by=teacher, reason="Перехожу в другую организацию")
    assert case.status == CaseStatus.WITHDRAWN and case.withdrawal_reason == "Перехожу в другую организацию"
    refused(lambda: services.case_withdraw(case=case, by=teacher, reason="Ещё раз"), "case_closed")


# ---------------------------------------------------------------- documents


def pdf(name="Заявление.pdf", data=upload_samples.PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_a_document_is_added_checked_by_content_and_deleted_by_its_uploader(world, django_capture_on_commit_callbacks):
    case = opened(world)
    teacher = world.people["teacher"]
    document = services.document_add(
        case=case, by=teacher, kind=CaseDocumentKind.APPLICATION, title="  Заявление  ", file=pdf()
    )
    assert document.title == "Заявление" and document.file.name.endswith(".pdf")
    assert "Заявление" not in document.file.name  # stored under a random name
    stored = Path(document.file.path)
    assert stored.exists()

    refused(lambda: services.document_delete(document=document, by=world.people["methodist"]), "not_uploader")
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(document=document, by=teacher)
    assert not CaseDocument.objects.exists() and not stored.exists()


def test_a_document_without_a_title_takes_the_files_name(world):
    document = services.document_add(
        case=opened(world), by=world.people["teacher"], kind=CaseDocumentKind.OTHER, title="", file=pdf("Скан.pdf")
    )
    assert document.title == "Скан.pdf"


@pytest.mark.parametrize(
    ("file", "code"),
    [
        (SimpleUploadedFile("Заявление.pdf", upload_samples.HTML, content_type="application/pdf"), "file_type"),
        (SimpleUploadedFile("Заявление.png", upload_samples.PDF), "extension_mismatch"),
        (SimpleUploadedFile("Пусто.pdf", b""), "file_empty"),
    ],
)
def test_a_bad_file_is_refused(world, file, code):
    case = opened(world)
    refused(
        lambda: services.document_add(
            case=case, by=world.people["teacher"], kind=CaseDocumentKind.OTHER, title="Файл", file=file
        ),
        code,
    )


def test_a_file_over_the_limit_is_refused(world, settings):
    settings.UPLOAD_MAX_BYTES = 50
    case = opened(world)
    refused(
        lambda: services.document_add(
            case=case, by=world.people["teacher"], kind=CaseDocumentKind.OTHER, title="Файл", file=pdf()
        ),
        "file_too_big",
    )


def test_documents_of_a_closed_case_do_not_change(world):
    case = opened(world)
    teacher = world.people["teacher"]
    document = services.document_add(case=case, by=teacher, kind=CaseDocumentKind.OTHER, title="Файл", file=pdf())
    services.case_withdraw(case=case, by=teacher, reason="Отзываю")
    refused(
        lambda: services.document_add(case=case, by=teacher, kind=CaseDocumentKind.OTHER, title="Ещё", file=pdf()),
        "case_closed",
    )
    refused(lambda: services.document_delete(document=document, by=teacher), "case_closed")


def test_a_document_of_an_unknown_kind_is_refused(world):
    case = opened(world)
    refused(
        lambda: services.document_add(case=case, by=world.people["teacher"], kind="secret", title="Ф", file=pdf()),
        "wrong_document_kind",
    )


# ---------------------------------------------------------------- review fixes: the applicant, the dates, the kinds


@pytest.mark.parametrize("role", ["methodist", "deputy"])
def test_only_the_person_submits_their_application(world, role):
    """The methodist keeps the petition, the sitting and the decision; the application is the teacher's own."""
    teacher = world.people["teacher"]
    case = opened(world)
    refused(
        lambda: services.category_submit(
            case=case, by=world.people[role], on=SUBMITTED, portfolio=portfolio_of(teacher)
        ),
        "not_applicant",
    )


def test_the_submission_is_not_dated_before_the_case_was_opened(world):
    teacher = world.people["teacher"]
    case = opened(world)  # on 01.02.2025
    error = refused(
        lambda: services.category_submit(case=case, by=teacher, on=D(2025, 1, 31), portfolio=portfolio_of(teacher)),
        "date_before_case",
    )
    assert "01.02.2025" in " ".join(error.messages)
    assert (
        services.category_submit(case=case, by=teacher, on=OPENED, portfolio=portfolio_of(teacher)).submitted_on
        == OPENED
    )


def test_a_backdated_submission_does_not_dodge_the_highest(world):
    """The высшая is checked on the submission's day and again today: entering a day when it was still in force,
    after it ended, is refused."""
    teacher = world.people["teacher"]
    give_highest(teacher, D(2020, 5, 1))  # old rules: in force until 30.04.2025
    case = opened(world, CaseKind.MENTOR, today=D(2025, 4, 1))
    case = services.petition_save(case=case, by=world.people["methodist"], text="Ходатайство")
    refused(
        lambda: services.category_submit(
            case=case, by=teacher, on=D(2025, 4, 20), portfolio=portfolio_of(teacher), today=D(2025, 5, 10)
        ),
        "needs_highest",
    )
    assert services.category_submit(
        case=case, by=teacher, on=D(2025, 4, 20), portfolio=portfolio_of(teacher), today=D(2025, 4, 30)
    ).submitted_on == D(2025, 4, 20)


def test_a_portfolio_deleted_meanwhile_is_missing(world):
    teacher = world.people["teacher"]
    case = opened(world)
    portfolio = portfolio_of(teacher)
    Portfolio.objects.filter(pk=portfolio.pk).delete()  # deleted by another request after the page was opened
    refused(
        lambda: services.category_submit(case=case, by=teacher, on=SUBMITTED, portfolio=portfolio),
        "portfolio_missing",
    )


@pytest.mark.parametrize("kind", [CaseDocumentKind.DECISION, CaseDocumentKind.PETITION, CaseDocumentKind.PRESENTATION])
def test_the_person_adds_only_their_own_kinds(world, kind):
    case = opened(world)
    refused(
        lambda: services.document_add(case=case, by=world.people["teacher"], kind=kind, title="Приказ", file=pdf()),
        "document_kind_not_allowed",
    )
    # the methodist adds any kind
    document = services.document_add(case=case, by=world.people["methodist"], kind=kind, title="Приказ", file=pdf())
    assert document.kind == kind


def test_document_kinds_by_role_and_stage(world):
    case = opened(world)
    assert services.document_kinds(case, applicant=True) == ("application", "portfolio", "other")
    assert services.document_kinds(case, applicant=False) == tuple(CaseDocumentKind.values)
    case = submitted(world, kind=CaseKind.HIGHEST)
    assert services.document_kinds(case, applicant=True) == ()
    assert services.document_kinds(case, applicant=False) == tuple(CaseDocumentKind.values)
    conformity = AttestationCase.objects.create(
        person=world.people["chair"], kind=CaseKind.CONFORMITY, status=CaseStatus.SUBMITTED
    )
    assert services.document_kinds(conformity, applicant=True) == ("other",)
    refused(
        lambda: services.document_add(
            case=conformity, by=world.people["chair"], kind=CaseDocumentKind.APPLICATION, title="З", file=pdf()
        ),
        "document_kind_not_allowed",
    )
    assert services.document_add(
        case=conformity, by=world.people["chair"], kind=CaseDocumentKind.OTHER, title="Грамота", file=pdf()
    ).kind == ("other")


def test_the_persons_documents_do_not_change_after_the_submission(world):
    teacher, methodist = world.people["teacher"], world.people["methodist"]
    case = opened(world)
    application = services.document_add(
        case=case, by=teacher, kind=CaseDocumentKind.APPLICATION, title="Заявление", file=pdf()
    )
    case = services.category_submit(case=case, by=teacher, on=SUBMITTED, portfolio=portfolio_of(teacher))
    refused(
        lambda: services.document_add(case=case, by=teacher, kind=CaseDocumentKind.OTHER, title="Ещё", file=pdf()),
        "case_submitted",
    )
    refused(lambda: services.document_delete(document=application, by=teacher), "case_submitted")
    # the methodist adds the regional order after the submission, and may delete it while the case is open
    order = services.document_add(
        case=case, by=methodist, kind=CaseDocumentKind.DECISION, title="Приказ", file=pdf("Приказ.pdf")
    )
    services.document_delete(document=order, by=methodist)
    assert list(CaseDocument.objects.values_list("pk", flat=True)) == [application.pk]


# ---------------------------------------------------------------- dates at the calendar's end


def test_dates_at_the_calendars_end_are_refused_not_overflowing(world):
    methodist, teacher = world.people["methodist"], world.people["teacher"]
    far = D(9999, 12, 31)
    assert services.plus_days(far, 30) == far and services.plus_days(D(1, 1, 1), -1) == D(1, 1, 1)
    case = opened(world)
    refused(
        lambda: services.category_submit(case=case, by=teacher, on=far, portfolio=portfolio_of(teacher)),
        "date_in_future",
    )
    case = submitted(world, kind=CaseKind.HIGHEST)
    refused(lambda: services.sitting_set(case=case, by=methodist, on=far), "sitting_late")
    case = services.sitting_set(case=case, by=methodist, on=SITTING)
    refused(lambda: decide(world, case, on=far), "decision_late")
    refused(
        lambda: decide(world, case, decision=CaseDecision.GRANTED, order_number="1", order_date=far),
        "order_date_future",
    )


def test_limits_computed_near_the_calendars_end_stop_there(world):
    """A case whose dates sit at the calendar's end (written directly: no form gets there) does not overflow."""
    case = AttestationCase.objects.create(
        person=world.people["teacher"],
        kind=CaseKind.FIRST,
        status=CaseStatus.SUBMITTED,
        submitted_on=D(9999, 12, 20),
    )
    case = services.sitting_set(case=case, by=world.people["methodist"], on=D(9999, 12, 31))
    assert case.sitting_on == D(9999, 12, 31)
    refused(lambda: decide(world, case, on=D(9999, 12, 31)), "date_in_future")
