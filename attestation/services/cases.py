"""Attestation cases: what both kinds share (withdrawal, the case's documents) and the category cases
(первая, высшая, «педагог-методист», «педагог-наставник»; the regional commission), DOMAIN.md "Attestation".

A category case goes DOCUMENTS (opened: the application and the portfolio being prepared) → SUBMITTED (the
application with its portfolio, frozen) → DECIDED (granted: the category is recorded; or refused), or WITHDRAWN at
any point before the decision. The commission's sitting (`sitting_on`) is set while the case is submitted.

Who may call which is the rules' business (attestation/rules/cases.py); these functions lock the case, check its
state and the data, and refuse with a ValidationError carrying a code, writing nothing:

- opening (`category_open`): `wrong_kind` (not a category), `not_pedagogical` (categories are for teaching staff),
  `methodist_post` («педагог-методист» is not for staff in методист / старший методист posts), `case_open` (an
  open case of the same kind exists), `already_held` (the person holds that very category without end),
  `needs_highest` (методист and наставник need a высшая in force);
- the ходатайство (`petition_save`): `petition_not_needed` (only методист and наставник), `petition_empty`,
  `case_closed`, `case_submitted` (it is part of the application: written before the submission);
- the submission (`category_submit`): `not_applicant` (the application is the person's own: only they submit it;
  the methodist and the deputy write the ходатайство, set the sitting and record the decision), `portfolio_missing`,
  `portfolio_other_person`, `petition_missing`, `needs_highest` / `methodist_post` (checked again both on the day
  of submission and today, so that a backdated date does not dodge them), `date_in_future`, `date_before_case`
  (before the day the case was opened), `date_required`, `case_closed`, `case_submitted`;
- the commission's sitting (`sitting_set`): `not_submitted`, `date_required`, `sitting_before_submission`,
  `sitting_late` (more than 30 calendar days after the submission);
- the decision (`category_decide`): `no_sitting`, `wrong_decision`, `decision_before_submission`,
  `decision_before_sitting`, `decision_late` (more than 60 days after the sitting), `date_in_future`,
  `order_missing` (a granted category needs the regional order's number and date), `order_before_decision`,
  `order_date_future`; and the category record's own codes (attestation.services.records.category_save);
- withdrawal (`case_withdraw`): `case_closed`, `not_employer` (a conformity case: only the methodist or the
  deputy), `reason_required`;
- documents (`document_add`, `document_delete`): `case_closed`, `wrong_document_kind`, `document_kind_not_allowed`
  (a kind the uploader may not add: see `document_kinds`), `case_submitted` (the person's own papers of a category
  case are added and deleted only before the submission), the file's own codes from metodservice.common.uploads
  (`file_type`, `file_too_big`, `file_empty`, `extension_mismatch`), `not_uploader`.

Who adds which document (`document_kinds`): the case's person adds their own papers — for a category case the
application, the portfolio and other documents, before the submission (afterwards the application is what was
submitted); for a conformity case other documents (supporting the information they add to the representation) while
the case is open. The ходатайство, the представление and the decision or order are the employer's and the
commission's papers: the methodist and the deputy add any kind while the case is open.

The portfolio submitted with the application: the case keeps its content frozen (`portfolio_snapshot`, with its
SHA-256) and its link to the portfolio; the files of the documents the snapshot lists stay in the portfolio, which
attestation.services.portfolio refuses to delete, with those documents, while a case that is not withdrawn links to
it (`portfolio_submitted`). The case's page offers those files for download from the case. (Refusing the deletion
was chosen over copying the files into the case at submission: no second copy of every file, one place a file
lives, and a refused deletion writes nothing.) The submission locks the portfolio, so that a deletion running at the
same time either finishes first (then the submission finds no portfolio) or waits and is refused.

Dates come from forms and may be anywhere up to 31.12.9999: the limits computed from them (`plus_days`) stop at the
calendar's end instead of overflowing.

A granted case records the category through attestation.services.records.category_save (set on the day of the
decision, with the order): the schedule then reads it like any other category.
"""

from __future__ import annotations

import datetime
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from metodservice.common import uploads
from metodservice.common.signing import canonical_json, sha256_of
from structure.models import Person, SystemRole

from .. import schedule
from ..models import (
    AttestationCase,
    CaseDecision,
    CaseDocument,
    CaseDocumentKind,
    CaseKind,
    CaseStatus,
    Category,
    CategoryKind,
    Portfolio,
)
from ..selectors import portfolio as portfolio_selectors
from . import conformity as conformity_services
from . import records as records_services

#: The kinds of case that are categories (the regional commission).
CATEGORY_KINDS = (CaseKind.FIRST, CaseKind.HIGHEST, CaseKind.METHODIST, CaseKind.MENTOR)
#: Categories that need a высшая in force and the employer's ходатайство.
NEED_HIGHEST = (CaseKind.METHODIST, CaseKind.MENTOR)
#: The regional commission sets its date within 30 calendar days of the application and decides within 60 more.
SITTING_WITHIN_DAYS = 30
DECISION_WITHIN_DAYS = 60


def _date(day: datetime.date) -> str:
    return f"{day:%d.%m.%Y}"


def plus_days(day: datetime.date, days: int) -> datetime.date:
    """`day` + `days`, or the calendar's last (first) day when that falls past its end."""
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return datetime.date.max if days > 0 else datetime.date.min


def _kind_label(kind: str) -> str:
    return capfirst(str(CaseKind(kind).label))


def _history_user(obj, by: Person | None) -> None:
    if by is not None and by.user_id:
        obj._history_user = by.user  # outside a request the history still names who acted


def is_methodist_post(person: Person) -> bool:
    """A методист / старший методист post: the system role, or the position's name says so."""
    position = person.position
    return position is not None and (
        position.system_role == SystemRole.METHODIST or "методист" in position.name.casefold()
    )


def _held(person: Person) -> list[schedule.CategoryHeld]:
    return [schedule.CategoryHeld(kind, set_on) for kind, set_on in person.categories.values_list("kind", "set_on")]


def highest_in_force(person: Person, day: datetime.date) -> bool:
    """The person holds a высшая category in force on `day`."""
    for held in _held(person):
        until = schedule.category_until(held)
        if held.kind == CategoryKind.HIGHEST and held.set_on <= day and (until is None or until >= day):
            return True
    return False


def _check_prerequisites(person: Person, kind: str, day: datetime.date) -> None:
    if kind == CaseKind.METHODIST and is_methodist_post(person):
        raise ValidationError(
            _(
                "«Педагог-методист» is not set for staff in the position «%(position)s»: the rules exclude методист "
                "and старший методист posts."
            )
            % {"position": person.position.name if person.position else "—"},
            code="methodist_post",
        )
    if kind in NEED_HIGHEST and not highest_in_force(person, day):
        raise ValidationError(
            _(
                "%(category)s requires the highest category in force: on %(day)s %(person)s holds none. Apply for "
                "the highest category first."
            )
            % {"category": _kind_label(kind), "day": _date(day), "person": person.full_name},
            code="needs_highest",
        )


def _locked(case: AttestationCase) -> AttestationCase:
    return (
        AttestationCase.objects.select_for_update(of=("self",))
        .select_related("person", "person__position")
        .get(pk=case.pk)
    )


def _check_open(case: AttestationCase) -> None:
    if not case.is_open:
        raise ValidationError(
            _("The case is closed («%(status)s»): it no longer changes.") % {"status": case.get_status_display()},
            code="case_closed",
        )


def _locked_category_case(case: AttestationCase) -> AttestationCase:
    case = _locked(case)
    if case.kind not in CATEGORY_KINDS:
        raise ValidationError(_("This step belongs to a category case."), code="wrong_kind")
    _check_open(case)
    return case


def _check_before_submission(case: AttestationCase) -> None:
    if case.status != CaseStatus.DOCUMENTS:
        raise ValidationError(
            _("The application was submitted on %(day)s: its documents no longer change.")
            % {"day": _date(case.submitted_on) if case.submitted_on else "—"},
            code="case_submitted",
        )


def _check_submitted(case: AttestationCase) -> None:
    if case.status != CaseStatus.SUBMITTED or case.submitted_on is None:
        raise ValidationError(
            _("The application has not been submitted to the regional commission yet."), code="not_submitted"
        )


def _check_applicant(case: AttestationCase, by: Person) -> None:
    if by.pk != case.person_id:
        raise ValidationError(
            _(
                "The application for a category is the teacher's own: only %(person)s submits it. The methodist and "
                "the deputy write the petition, set the date of the sitting and record the decision."
            )
            % {"person": case.person.full_name},
            code="not_applicant",
        )


def opened_on(case: AttestationCase) -> datetime.date:
    """The day the case was opened (college time)."""
    return timezone.localdate(case.created_at)


def _check_past(day: datetime.date, today: datetime.date, field: str) -> None:
    if day > today:
        raise ValidationError(
            {field: ValidationError(_("%(day)s is in the future.") % {"day": _date(day)}, code="date_in_future")}
        )


def _required_date(day: datetime.date | None, field: str) -> datetime.date:
    if day is None:
        raise ValidationError({field: ValidationError(_("Enter the date."), code="date_required")})
    return day


# ---------------------------------------------------------------- category cases


@transaction.atomic
def category_open(*, person: Person, kind: str, by: Person, today: datetime.date | None = None) -> AttestationCase:
    """Open a category case of `person` (the teacher for themself, or the methodist / the deputy for anyone): its
    application and portfolio are being prepared."""
    today = today or timezone.localdate()
    if kind not in CATEGORY_KINDS:
        raise ValidationError({"kind": ValidationError(_("Choose a qualification category."), code="wrong_kind")})
    person = Person.objects.select_for_update(of=("self",)).select_related("position").get(pk=person.pk)
    if person.is_external or person.position is None or not person.position.is_pedagogical:
        raise ValidationError(
            _("Qualification categories are for teaching staff; %(person)s does not hold a teaching position.")
            % {"person": person.full_name},
            code="not_pedagogical",
        )
    if kind == CaseKind.METHODIST:
        _check_prerequisites(person, kind, today)  # the post first: no высшая would help
    if (
        AttestationCase.objects.filter(person=person, kind=kind)
        .exclude(status__in=(CaseStatus.DECIDED, CaseStatus.WITHDRAWN))
        .exists()
    ):
        raise ValidationError(
            _("%(person)s already has an open case for this category: continue it.") % {"person": person.full_name},
            code="case_open",
        )
    for held in Category.objects.filter(person=person, kind=kind, set_on__lte=today):
        if held.valid_until is None:
            raise ValidationError(
                _("%(person)s holds %(category)s since %(day)s, without end: there is nothing to apply for.")
                % {"person": person.full_name, "category": CaseKind(kind).label, "day": _date(held.set_on)},
                code="already_held",
            )
    _check_prerequisites(person, kind, today)
    case = AttestationCase(person=person, kind=kind, status=CaseStatus.DOCUMENTS, created_by=by)
    _history_user(case, by)
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def petition_save(*, case: AttestationCase, by: Person, text: str) -> AttestationCase:
    """The employer's ходатайство for «педагог-методист» or «педагог-наставник», written before the submission."""
    case = _locked_category_case(case)
    if case.kind not in NEED_HIGHEST:
        raise ValidationError(
            _("The employer's petition is needed only for «педагог-методист» and «педагог-наставник»."),
            code="petition_not_needed",
        )
    _check_before_submission(case)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ValidationError(_("Write the text of the petition."), code="petition_empty")})
    case.petition, case.petition_by, case.petition_at = text, by, timezone.now()
    _history_user(case, by)
    case.save()
    return case


@transaction.atomic
def category_submit(
    *,
    case: AttestationCase,
    by: Person,
    on: datetime.date | None,
    portfolio: Portfolio | None,
    today: datetime.date | None = None,
) -> AttestationCase:
    """The person's application with its portfolio is submitted to the regional commission on `on` (not before the
    case was opened, not after today). The portfolio is frozen as it is now (what the case prints from now on, with
    its SHA-256): later changes to it do not reach the case, and the files it lists stay (the portfolio refuses to
    delete them while this case is not withdrawn)."""
    today = today or timezone.localdate()
    case = _locked_category_case(case)
    _check_before_submission(case)
    _check_applicant(case, by)
    on = _required_date(on, "on")
    _check_past(on, today, "on")
    opened = opened_on(case)
    if on < opened:
        raise ValidationError(
            {
                "on": ValidationError(
                    _("The case was opened on %(day)s: the application cannot be submitted before.")
                    % {"day": _date(opened)},
                    code="date_before_case",
                )
            }
        )
    missing = ValidationError(
        {
            "portfolio": ValidationError(
                _("Choose the portfolio that goes with the application."), code="portfolio_missing"
            )
        }
    )
    if portfolio is None:
        raise missing
    # Locked: a deletion of the portfolio or of its documents waits for the submission (and is then refused).
    locked = (
        Portfolio.objects.select_for_update(of=("self",))
        .select_related("person", "person__position")
        .filter(pk=portfolio.pk)
        .first()
    )
    if locked is None:
        raise missing
    portfolio = locked
    if portfolio.person_id != case.person_id:
        raise ValidationError(
            {
                "portfolio": ValidationError(
                    _("The portfolio belongs to someone else: choose a portfolio of %(person)s.")
                    % {"person": case.person.full_name},
                    code="portfolio_other_person",
                )
            }
        )
    if case.kind in NEED_HIGHEST and not case.petition.strip():
        raise ValidationError(
            _("%(category)s is applied for with the employer's petition: write it first.")
            % {"category": _kind_label(case.kind)},
            code="petition_missing",
        )
    _check_prerequisites(case.person, case.kind, on)
    if today != on:
        _check_prerequisites(case.person, case.kind, today)  # and still now: a backdated day dodges nothing
    content = json.loads(canonical_json(portfolio_selectors.portfolio_content(portfolio)))
    case.portfolio = portfolio
    case.portfolio_snapshot = content
    case.portfolio_hash = sha256_of(content)
    case.submitted_on = on
    case.status = CaseStatus.SUBMITTED
    _history_user(case, by)
    case.save()
    return case


@transaction.atomic
def sitting_set(*, case: AttestationCase, by: Person, on: datetime.date | None) -> AttestationCase:
    """The date of the regional commission's sitting: within 30 calendar days of the submission."""
    case = _locked_category_case(case)
    _check_submitted(case)
    on = _required_date(on, "on")
    submitted = case.submitted_on
    assert submitted is not None
    if on < submitted:
        raise ValidationError(
            {
                "on": ValidationError(
                    _("The commission sits after the application: it was submitted on %(day)s.")
                    % {"day": _date(submitted)},
                    code="sitting_before_submission",
                )
            }
        )
    last = plus_days(submitted, SITTING_WITHIN_DAYS)
    if on > last:
        raise ValidationError(
            {
                "on": ValidationError(
                    _(
                        "The commission sits within %(days)s calendar days of the application (submitted on "
                        "%(submitted)s): on %(last)s at the latest."
                    )
                    % {"days": SITTING_WITHIN_DAYS, "submitted": _date(submitted), "last": _date(last)},
                    code="sitting_late",
                )
            }
        )
    case.sitting_on = on
    _history_user(case, by)
    case.save()
    return case


@transaction.atomic
def category_decide(
    *,
    case: AttestationCase,
    by: Person,
    decision: str,
    on: datetime.date | None,
    order_number: str = "",
    order_date: datetime.date | None = None,
    today: datetime.date | None = None,
) -> AttestationCase:
    """The regional commission's decision: the category set (from `on`, with the regional order's number and date:
    the category is recorded) or refused."""
    today = today or timezone.localdate()
    case = _locked_category_case(case)
    _check_submitted(case)
    if case.sitting_on is None:
        raise ValidationError(
            _("Enter the date of the commission's sitting first: the decision is taken there."), code="no_sitting"
        )
    if decision not in (CaseDecision.GRANTED, CaseDecision.REFUSED):
        raise ValidationError(
            {"decision": ValidationError(_("Choose the decision: the category set or refused."), code="wrong_decision")}
        )
    on = _required_date(on, "on")
    submitted, sitting = case.submitted_on, case.sitting_on
    assert submitted is not None
    if on < submitted:
        raise ValidationError(
            {
                "on": ValidationError(
                    _("A decision cannot come before the submission (%(day)s).") % {"day": _date(submitted)},
                    code="decision_before_submission",
                )
            }
        )
    if on < sitting:
        raise ValidationError(
            {
                "on": ValidationError(
                    _("The decision is taken at the sitting or after it (%(day)s).") % {"day": _date(sitting)},
                    code="decision_before_sitting",
                )
            }
        )
    last = plus_days(sitting, DECISION_WITHIN_DAYS)
    if on > last:
        raise ValidationError(
            {
                "on": ValidationError(
                    _(
                        "The attestation lasts at most %(days)s days from the sitting (%(sitting)s): the decision is "
                        "taken on %(last)s at the latest."
                    )
                    % {"days": DECISION_WITHIN_DAYS, "sitting": _date(sitting), "last": _date(last)},
                    code="decision_late",
                )
            }
        )
    _check_past(on, today, "on")
    order_number = (order_number or "").strip()
    if decision == CaseDecision.GRANTED and (not order_number or order_date is None):
        raise ValidationError(
            _("A category is set by the regional authority's order: enter its number and date."),
            code="order_missing",
        )
    if order_date is not None:
        if order_date < on:
            raise ValidationError(
                {
                    "order_date": ValidationError(
                        _("The order cannot be dated before the commission's decision (%(day)s) that it formalises.")
                        % {"day": _date(on)},
                        code="order_before_decision",
                    )
                }
            )
        if order_date > today:
            raise ValidationError(
                {
                    "order_date": ValidationError(
                        _("The order's date cannot be in the future."), code="order_date_future"
                    )
                }
            )
    case.decision, case.decided_on, case.status = decision, on, CaseStatus.DECIDED
    case.order_number, case.order_date = order_number, order_date
    _history_user(case, by)
    case.full_clean()
    case.save()
    if decision == CaseDecision.GRANTED:
        records_services.category_save(
            person=case.person,
            kind=case.kind,
            set_on=on,
            order_number=order_number,
            order_date=order_date,
            case=case,
            by=by,
        )
    return case


# ---------------------------------------------------------------- both kinds


@transaction.atomic
def case_withdraw(*, case: AttestationCase, by: Person, reason: str) -> AttestationCase:
    """Withdraw an open case (the person, or the methodist / the deputy; a conformity case, compulsory, only the
    methodist or the deputy: `not_employer`), saying why."""
    case = _locked(case)
    _check_open(case)
    if case.is_conformity:
        conformity_services.check_withdrawal(case=case, by=by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Write why the case is withdrawn."), code="reason_required")}
        )
    if case.is_conformity:
        # Its question leaves the agenda of a meeting still open; a signed protocol keeps it (it is a record).
        case = conformity_services.sitting_release(case=case)
    case.status, case.withdrawal_reason = CaseStatus.WITHDRAWN, reason
    _history_user(case, by)
    case.save()
    return case


#: What the case's person adds: their own papers (a category case: before the submission).
APPLICANT_DOCUMENT_KINDS = (CaseDocumentKind.APPLICATION, CaseDocumentKind.PORTFOLIO, CaseDocumentKind.OTHER)
CONFORMITY_PERSON_DOCUMENT_KINDS = (CaseDocumentKind.OTHER,)


def person_adds_documents(case: AttestationCase) -> bool:
    """The case's person may add (and delete their own) documents now: a category case before the submission, a
    conformity case while it is open."""
    if not case.is_open:
        return False
    return case.is_conformity or case.status == CaseStatus.DOCUMENTS


def document_kinds(case: AttestationCase, *, applicant: bool) -> tuple[str, ...]:
    """The kinds of document that may be added to the case now: by its person (`applicant`), their own papers while
    `person_adds_documents`; by the methodist or the deputy (whom the rules let add), any kind while the case is
    open. Empty: none."""
    if not case.is_open:
        return ()
    if not applicant:
        return tuple(CaseDocumentKind.values)
    if not person_adds_documents(case):
        return ()
    kinds = CONFORMITY_PERSON_DOCUMENT_KINDS if case.is_conformity else APPLICANT_DOCUMENT_KINDS
    return tuple(str(kind) for kind in kinds)


def _check_person_documents_open(case: AttestationCase) -> None:
    if not person_adds_documents(case):
        raise ValidationError(
            _("The application was submitted on %(day)s: your documents to it no longer change.")
            % {"day": _date(case.submitted_on) if case.submitted_on else "—"},
            code="case_submitted",
        )


@transaction.atomic
def document_add(*, case: AttestationCase, by: Person, kind: str, title: str, file) -> CaseDocument:
    """A document of an open case (a signed application, the ходатайство, the regional order, …), checked by
    content and size and stored under a random name; the kinds the uploader may add are `document_kinds`."""
    case = _locked(case)
    _check_open(case)
    if kind not in CaseDocumentKind.values:
        raise ValidationError({"kind": ValidationError(_("Choose the kind of document."), code="wrong_document_kind")})
    applicant = by.pk == case.person_id
    if applicant:
        _check_person_documents_open(case)
    if kind not in document_kinds(case, applicant=applicant):
        raise ValidationError(
            {
                "kind": ValidationError(
                    _("«%(kind)s» is not a document you add to this case: it is the employer's or the commission's.")
                    % {"kind": capfirst(str(CaseDocumentKind(kind).label))},
                    code="document_kind_not_allowed",
                )
            }
        )
    if not file:
        raise ValidationError({"file": ValidationError(_("Choose the file."), code="file_empty")})
    try:
        upload = uploads.check_upload(file, uploads.CASE_DOCUMENT)
    except ValidationError as error:
        raise ValidationError({"file": error}) from None
    title = " ".join((title or "").split()) or upload.original_name or str(CaseDocumentKind(kind).label)
    document = CaseDocument(case=case, kind=kind, title=title[:300], uploaded_by=by)
    document.file = upload.stored_file()
    _history_user(document, by)
    reason = (_("File uploaded: «%(name)s»") % {"name": upload.original_name})[:100]
    document._change_reason = reason  # type: ignore[attr-defined]  # read by simple_history when saving
    try:
        document.full_clean(exclude=["case", "uploaded_by"])
        document.save()
    except Exception:
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def document_delete(*, document: CaseDocument, by: Person) -> None:
    """Delete a document of an open case (whoever uploaded it; the case's person only while they add documents: a
    category case's application stays once submitted); the file goes once the deletion commits."""
    case = _locked(AttestationCase(pk=document.case_id))  # the case first, as document_add locks it
    document = CaseDocument.objects.select_for_update().get(pk=document.pk, case=case)
    _check_open(case)
    if document.uploaded_by_id != by.pk:
        raise ValidationError(_("Only whoever uploaded the document can delete it."), code="not_uploader")
    if by.pk == case.person_id:
        _check_person_documents_open(case)
    name, storage = document.file.name, document.file.storage
    _history_user(document, by)
    document.delete()
    uploads.delete_on_commit(storage, name or "")
