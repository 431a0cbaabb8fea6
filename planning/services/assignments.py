"""Writes of the assignments the methodological service answers (regulation 4.2): the director gives one, or a
decision of the pedagogical council's signed protocol is passed to the service; the service answers it with an
item of its plan or a decision of the methodological council; the director may cancel one not yet done.

Every refusal is a ValidationError with a code; nothing is written when one is raised."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metodservice.common.models import NotificationKind
from metodservice.common.notifications import notify
from structure.models import Person, Unit, UnitKind

from .. import selectors
from ..models import Assignment, AssignmentSource, Decision, DecisionStatus, PlanItem

#: The units an assignment may be addressed to.
ADDRESSEE_KINDS = {UnitKind.SERVICE, UnitKind.COUNCIL}


def _check_addressee(addressee: Unit, day: datetime.date) -> None:
    if addressee.kind not in ADDRESSEE_KINDS or not addressee.is_active_on(day):
        raise ValidationError(
            {
                "addressee": ValidationError(
                    _("Address the assignment to the methodological service or the methodological council."),
                    code="addressee",
                )
            }
        )


def _check_deadline(deadline: datetime.date, issued_on: datetime.date) -> None:
    if deadline < issued_on:
        raise ValidationError(
            {"deadline": ValidationError(_("The deadline cannot be before the day it is given."), code="deadline_past")}
        )


def _announce(assignment: Assignment) -> None:
    """Tell the people who answer for the service that an assignment waits for them."""
    notify(
        selectors.assignment_answerers(assignment.issued_on),
        kind=NotificationKind.ASSIGNMENT_ISSUED,
        text=_("New assignment to the methodological service, due %(deadline)s: %(text)s")
        % {"deadline": f"{assignment.deadline:%d.%m.%Y}", "text": assignment.text[:300]},
        url=assignment.get_absolute_url(),
        key=f"assignment:{assignment.pk}",
    )


@transaction.atomic
def assignment_issue(
    *, by: Person, text: str, deadline: datetime.date, addressee: Unit, issued_on: datetime.date | None = None
) -> Assignment:
    """The director's assignment to the service, given today (or on `issued_on`)."""
    issued_on = issued_on or timezone.localdate()
    text = text.strip()
    if not text:
        raise ValidationError({"text": ValidationError(_("Write what is asked."), code="text_required")})
    _check_deadline(deadline, issued_on)
    _check_addressee(addressee, issued_on)
    year = selectors.academic_year_of(issued_on)
    if year is None:
        raise ValidationError(_("No academic year contains this day: add it first."), code="no_year")
    assignment = Assignment.objects.create(
        year=year,
        source=AssignmentSource.DIRECTOR,
        text=text,
        issued_by=by,
        issued_on=issued_on,
        deadline=deadline,
        addressee=addressee,
    )
    _announce(assignment)
    return assignment


@transaction.atomic
def assignment_from_decision(
    *, decision: Decision, by: Person, addressee: Unit, deadline: datetime.date | None = None
) -> Assignment:
    """Pass a decision of the pedagogical council's signed protocol to the service: the assignment copies its text
    and (unless another is given) its deadline. One decision is tracked once."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("agenda_item__meeting__unit")
        .get(pk=decision.pk)
    )
    meeting = decision.agenda_item.meeting
    if meeting.unit.kind != UnitKind.PEDAGOGICAL_COUNCIL:
        raise ValidationError(
            _("Only a decision of the pedagogical council is passed to the service."), code="not_pedagogical_council"
        )
    if not meeting.is_signed:
        raise ValidationError(
            _("The protocol is not signed yet: pass its decisions once it is."), code="protocol_unsigned"
        )
    if decision.status == DecisionStatus.CANCELLED:
        raise ValidationError(_("The decision is cancelled."), code="decision_cancelled")
    if Assignment.objects.filter(decision=decision).exists():
        raise ValidationError(_("This decision is already passed to the service."), code="already_tracked")
    issued_on = meeting.date
    deadline = deadline or decision.deadline
    _check_deadline(deadline, issued_on)
    _check_addressee(addressee, timezone.localdate())
    assignment = Assignment.objects.create(
        year=meeting.year,
        source=AssignmentSource.PEDAGOGICAL_COUNCIL,
        decision=decision,
        text=decision.text,
        issued_by=by,
        issued_on=issued_on,
        deadline=deadline,
        addressee=addressee,
    )
    _announce(assignment)
    return assignment


def _locked(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("answer_item", "answer_decision")
        .get(pk=assignment.pk)
    )


@transaction.atomic
def assignment_answer(
    *,
    assignment: Assignment,
    by: Person,
    plan_item: PlanItem | None = None,
    decision: Decision | None = None,
) -> Assignment:
    """Name what answers the assignment: an item of the service's or the council's plan of a year it spans, or a
    decision of the methodological council taken since it was given (selectors.answering_items and
    answering_decisions). Exactly one; a done assignment keeps its answer."""
    assignment = _locked(assignment)
    if assignment.is_cancelled:
        raise ValidationError(_("The assignment is cancelled."), code="cancelled")
    if assignment.is_done:
        raise ValidationError(_("The assignment is done: its answer stays as it is."), code="done")
    if (plan_item is None) == (decision is None):
        raise ValidationError(
            _("Choose one answer: a plan item or a decision of the methodological council."), code="answer_one"
        )
    if plan_item is not None and not selectors.answering_items(assignment).filter(pk=plan_item.pk).exists():
        raise ValidationError(
            {
                "plan_item": ValidationError(
                    _("Choose an item of the plan of the service or of the council for the time of the assignment."),
                    code="answer_item",
                )
            }
        )
    if decision is not None and not selectors.answering_decisions(assignment).filter(pk=decision.pk).exists():
        raise ValidationError(
            {
                "decision": ValidationError(
                    _("Choose a decision of the methodological council taken after the assignment was given."),
                    code="answer_decision",
                )
            }
        )
    assignment.answer_item = plan_item
    assignment.answer_decision = decision
    assignment.answered_by = by
    assignment.answered_at = timezone.now()
    assignment.save(update_fields=["answer_item", "answer_decision", "answered_by", "answered_at"])
    return assignment


@transaction.atomic
def assignment_cancel(*, assignment: Assignment, by: Person, reason: str) -> Assignment:
    """The director withdraws an assignment not yet done, saying why."""
    assignment = _locked(assignment)
    if assignment.is_cancelled:
        raise ValidationError(_("The assignment is already cancelled."), code="cancelled")
    if assignment.is_done:
        raise ValidationError(_("A done assignment cannot be cancelled."), code="done")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why it is cancelled."), code="reason_required")})
    assignment.cancelled_at = timezone.now()
    assignment.cancel_reason = reason
    assignment.save(update_fields=["cancelled_at", "cancel_reason"])
    return assignment
