"""Who owns and who approves a plan (planning/rules.py and the services ask these), the plans waiting for a
person's approval and the plans returned to their owners."""

from __future__ import annotations

import datetime
from typing import cast

from django.db.models import Q, QuerySet
from django.utils import timezone

from structure.models import ASSOCIATION_KINDS, MemberRole, Membership, Person, SystemRole, UnitKind
from structure.selectors import current_director

from ..models import SUBMITTED_PLAN_STATUSES, Plan, PlanLevel, PlanStatus
from .plans import plans_list


def _is_council_plan(plan: Plan) -> bool:
    """The council's own plan, which the director approves (a unit plan always has its unit: constraint
    plan_owner_matches_level)."""
    return plan.level == PlanLevel.UNIT and plan.unit is not None and plan.unit.kind == UnitKind.COUNCIL


def plans_awaiting_approval(person: Person, *, today: datetime.date | None = None) -> list[Plan]:
    """Submitted plans this person may approve today: the answer of approvers_of (for
    each plan) in at most four queries whatever the number of plans — the plans, the person's head memberships,
    the members of the associations they head, and, for a director, the current director when a council's own plan
    is waiting (`person.position` should be loaded, as structure.selectors.roles_of does)."""

    day = today or timezone.localdate()
    submitted = list(plans_list().filter(status__in=SUBMITTED_PLAN_STATUSES))
    heads = dict(
        Membership.objects.active_on(day)
        .filter(person=person, role=MemberRole.HEAD)
        .values_list("unit_id", "unit__kind")
    )
    associations = [unit_id for unit_id, kind in heads.items() if kind in ASSOCIATION_KINDS]
    members: set[int] = set()
    if associations:
        members = set(
            Membership.objects.active_on(day).filter(unit_id__in=associations).values_list("person_id", flat=True)
        )
    director_id = None
    council_plan_waits = any(_is_council_plan(p) for p in submitted)
    if council_plan_waits and person.position is not None and person.position.system_role == SystemRole.DIRECTOR:
        director = current_director()
        director_id = director.pk if director else None
    chairs_council = UnitKind.COUNCIL in heads.values()

    def approves(plan: Plan) -> bool:
        if plan.level == PlanLevel.INDIVIDUAL:
            return plan.person_id != person.pk and plan.person_id in members
        owns = person.pk in {plan.created_by_id, plan.submitted_by_id} or (
            plan.level == PlanLevel.UNIT and plan.unit_id in heads
        )
        if owns:
            return False
        if _is_council_plan(plan):
            return person.pk == director_id
        return chairs_council

    return [plan for plan in submitted if approves(plan)]


def plans_returned_to(roles) -> QuerySet[Plan]:
    """Plans returned for rework to this owner: their individual plan, plans of units they head today, service
    plans they drafted. One query."""
    person = roles.person
    headed = [uid for uid, (_kind, role) in roles.units.items() if role == MemberRole.HEAD]
    owned = Q(level=PlanLevel.INDIVIDUAL, person=person) | Q(level=PlanLevel.UNIT, unit_id__in=headed)
    owned |= Q(level=PlanLevel.SERVICE, created_by=person)
    return (
        Plan.objects.filter(owned, status__in=[PlanStatus.RETURNED, PlanStatus.AMENDING])
        .exclude(return_comment="")
        .select_related("year", "unit", "person", "returned_by")
    )


def plan_owners(plan: Plan, day: datetime.date | None = None) -> set[int]:
    """Person ids who own the plan: the teacher, the unit's head today, the service plan's author and submitter."""
    day = day or timezone.localdate()
    if plan.level == PlanLevel.INDIVIDUAL:
        return {cast(int, plan.person_id)}  # an individual plan has its teacher (constraint plan_owner_matches_level)
    owners = {plan.created_by_id}
    if plan.submitted_by_id:
        owners.add(plan.submitted_by_id)
    if plan.level == PlanLevel.UNIT:
        owners |= set(
            Membership.objects.active_on(day)
            .filter(unit_id=plan.unit_id, role=MemberRole.HEAD)
            .values_list("person_id", flat=True)
        )
    return owners


def approvers_of(plan: Plan, day: datetime.date | None = None) -> set[int]:
    """Who may approve: the council chair for the service's and units' plans (the director for the council's own),
    a head of an association the teacher belongs to for individual plans; never an owner of the plan."""
    day = day or timezone.localdate()
    active = Membership.objects.active_on(day).filter(role=MemberRole.HEAD)
    if plan.level == PlanLevel.INDIVIDUAL:
        units = Membership.objects.active_on(day).filter(person_id=plan.person_id, unit__kind__in=ASSOCIATION_KINDS)
        approvers = set(active.filter(unit__in=units.values("unit")).values_list("person_id", flat=True))
    elif _is_council_plan(plan):
        director = current_director()
        approvers = {director.pk} if director else set()
    else:
        approvers = set(active.filter(unit__kind=UnitKind.COUNCIL).values_list("person_id", flat=True))
    return approvers - plan_owners(plan, day)
