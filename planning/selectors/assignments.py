"""Reads of the assignments the service answers: the list with what each one's state is computed from, the
candidates that may answer one, who answers for the service, and the figures of the annual report."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from structure.models import MemberRole, Membership, Person, SystemRole, UnitKind

from ..models import Assignment, Decision, DecisionStatus, ItemStatus, PlanItem, PlanLevel

#: What a row of the list reads besides the assignment: its answer's status and the pedagogical council's meeting.
ROW_RELATIONS = (
    "year",
    "addressee",
    "issued_by",
    "answered_by",
    "answer_item__plan__unit",
    "answer_item__plan__year",
    "answer_decision__agenda_item__meeting__unit",
    "decision__agenda_item__meeting",
)


def assignments_list() -> QuerySet[Assignment]:
    return Assignment.objects.select_related(*ROW_RELATIONS).defer(
        "decision__agenda_item__meeting__snapshot", "answer_decision__agenda_item__meeting__snapshot"
    )


DONE = Q(answer_item__status=ItemStatus.DONE) | Q(answer_decision__status=DecisionStatus.DONE)
#: No answer, or an answer that was cancelled: the service has to name another.
UNANSWERED = (Q(answer_item__isnull=True) | Q(answer_item__status=ItemStatus.CANCELLED)) & (
    Q(answer_decision__isnull=True) | Q(answer_decision__status=DecisionStatus.CANCELLED)
)


def assignment_states(queryset: QuerySet[Assignment], today: datetime.date) -> dict[str, QuerySet[Assignment]]:
    """The list's filters by state, each in the database (the same rule as Assignment.state)."""
    live = queryset.filter(cancelled_at__isnull=True)
    return {
        "done": live.filter(DONE),
        "overdue": live.exclude(DONE).filter(deadline__lt=today),
        "unanswered": live.exclude(DONE).filter(UNANSWERED, deadline__gte=today),
        "in_progress": live.exclude(DONE).exclude(UNANSWERED).filter(deadline__gte=today),
        "cancelled": queryset.filter(cancelled_at__isnull=False),
    }


def answers_for_service(roles) -> bool:
    """Who answers the service's assignments: the deputy, the methodist, the heads of the service and the council."""
    return (
        roles.is_deputy
        or roles.is_methodist
        or roles.holds(UnitKind.SERVICE, MemberRole.HEAD)
        or roles.is_council_chair
    )


def assignments_open() -> QuerySet[Assignment]:
    """The assignments neither done nor cancelled."""
    return Assignment.objects.filter(cancelled_at__isnull=True).exclude(DONE)


def assignments_to_answer(today: datetime.date) -> QuerySet[Assignment]:
    """What needs the people who answer for the service (the dashboard's row): the open assignments that have no
    answer yet or are past their deadline."""
    return assignments_open().filter(UNANSWERED | Q(deadline__lt=today)).order_by("deadline", "pk")


def answering_items(assignment: Assignment) -> QuerySet[PlanItem]:
    """Items that may answer `assignment`: of the plan of the service or of the methodological council, of an
    academic year between the day it was given and its deadline (an August pedagogical council asks for the new
    year's work), not cancelled."""
    return (
        PlanItem.objects.filter(plan__year__start__lte=assignment.deadline, plan__year__end__gte=assignment.issued_on)
        .filter(Q(plan__level=PlanLevel.SERVICE) | Q(plan__unit__kind=UnitKind.COUNCIL))
        .exclude(status=ItemStatus.CANCELLED)
        .select_related("plan__unit", "plan__year")
        .order_by("plan__year__start", "plan_id", "position", "pk")
    )


def answering_decisions(assignment: Assignment) -> QuerySet[Decision]:
    """Decisions that may answer `assignment`: of the methodological council's meetings held from the day it was
    given, not cancelled."""
    return (
        Decision.objects.filter(
            agenda_item__meeting__unit__kind=UnitKind.COUNCIL,
            agenda_item__meeting__date__gte=assignment.issued_on,
        )
        .exclude(status=DecisionStatus.CANCELLED)
        .select_related("agenda_item__meeting")
        .order_by("agenda_item__meeting__date", "pk")
    )


def assignment_answerers(day: datetime.date) -> list[int]:
    """The accounts of who answers for the service on `day`: the deputy directors for methodical work, the heads of
    the service and of the methodological council."""
    heads = Membership.objects.active_on(day).filter(
        role=MemberRole.HEAD, unit__kind__in=[UnitKind.SERVICE, UnitKind.COUNCIL]
    )
    deputies = Person.objects.staff().filter(position__system_role=SystemRole.DEPUTY)
    found = set(heads.values_list("person__user_id", flat=True)) | set(deputies.values_list("user_id", flat=True))
    return sorted(pk for pk in found if pk is not None)
