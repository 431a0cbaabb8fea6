"""Who owns and who approves a plan (planning/rules.py and the services ask these), the plans waiting for a
person's approval and the plans returned to their owners.

**Owners.** An individual plan: its teacher. A unit's plan: the unit's head today (and whoever drafted or submitted
it). The service's plan: the head of the methodological service today, the HEAD membership of a unit of kind
`UnitKind.SERVICE` that the director's order created (regulation 4.1) — not a job position. The deputy and the
methodist may draft the service's plan (planning.rules.drafts_service_plan), which does not make them its owners.

**Approvers, by the structure of the day.** A chain of candidates per plan; the first link that has someone who is
neither an owner nor the plan's author or submitter approves it:

- a teacher's individual plan: the heads of their subject associations (МО/ПЦК) → the council chair → the director;
- the individual plan of someone who heads an association: the council chair → the director;
- the methodist's and the deputy's individual plans: the director;
- the service's and every unit's plan: the council chair → the director (so the council's own plan, owned by
  its chair, and the chair's own individual plan go to the director).

Nobody ever approves a plan they own, drafted or submitted.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import cast

from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from structure.models import ASSOCIATION_KINDS, MemberRole, Membership, Person, SystemRole, UnitKind
from structure.selectors import current_director

from ..models import SUBMITTED_PLAN_STATUSES, Plan, PlanLevel, PlanStatus
from .plans import plans_list

#: Positions whose individual plans the director approves.
DIRECTOR_APPROVES_POSITIONS = {SystemRole.DEPUTY, SystemRole.METHODIST}
#: A link of the chain that stands for the director (looked up only when a chain reaches it).
DIRECTOR = "director"


@dataclass
class _Structure:
    """The structure of one day that approval needs: every head today, and the associations of some people."""

    heads: dict[int, set[int]] = field(default_factory=dict)  # unit id -> head person ids
    kinds: dict[int, str] = field(default_factory=dict)  # unit id -> kind, for the units with a head
    associations: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # person -> [(unit id, role)]

    def heads_of_kind(self, kind: str) -> set[int]:
        return {pk for unit, people in self.heads.items() if self.kinds[unit] == kind for pk in people}


def _structure(day: datetime.date, people: Iterable[int | None]) -> _Structure:
    """One query: the heads of all units today, and the association memberships of `people` today."""
    result = _Structure()
    people = {pk for pk in people if pk is not None}
    wanted = Q(role=MemberRole.HEAD)
    if people:
        wanted |= Q(person_id__in=people, unit__kind__in=ASSOCIATION_KINDS)
    for unit_id, kind, person_id, role in (
        Membership.objects.active_on(day).filter(wanted).values_list("unit_id", "unit__kind", "person_id", "role")
    ):
        if role == MemberRole.HEAD:
            result.heads.setdefault(unit_id, set()).add(person_id)
            result.kinds[unit_id] = kind
        if person_id in people and kind in ASSOCIATION_KINDS:
            result.associations.setdefault(person_id, []).append((unit_id, role))
    return result


def _owners(plan: Plan, structure: _Structure) -> set[int]:
    if plan.level == PlanLevel.INDIVIDUAL:
        return {cast(int, plan.person_id)}  # an individual plan has its teacher (constraint plan_owner_matches_level)
    if plan.level == PlanLevel.SERVICE:
        return structure.heads_of_kind(UnitKind.SERVICE)
    owners = {plan.created_by_id}
    if plan.submitted_by_id:
        owners.add(plan.submitted_by_id)
    return owners | structure.heads.get(cast(int, plan.unit_id), set())


def _excluded(plan: Plan, structure: _Structure) -> set[int]:
    """Who may not approve the plan: its owners, its author and its submitter."""
    excluded = _owners(plan, structure) | {plan.created_by_id}
    if plan.submitted_by_id:
        excluded.add(plan.submitted_by_id)
    return excluded


def _chain(plan: Plan, structure: _Structure) -> list[set[int] | str]:
    """The candidates for approving the plan, in order (module docstring)."""
    chairs = structure.heads_of_kind(UnitKind.COUNCIL)
    if plan.level != PlanLevel.INDIVIDUAL:
        return [chairs, DIRECTOR]
    person = plan.person
    role = person.position.system_role if person is not None and person.position is not None else None
    if role in DIRECTOR_APPROVES_POSITIONS:
        return [DIRECTOR]
    memberships = structure.associations.get(cast(int, plan.person_id), [])
    if any(member_role == MemberRole.HEAD for _unit, member_role in memberships):
        return [chairs, DIRECTOR]
    association_heads = {pk for unit, _role in memberships for pk in structure.heads.get(unit, set())}
    return [association_heads, chairs, DIRECTOR]


def _approvers(plan: Plan, structure: _Structure, director: Callable[[], int | None]) -> set[int]:
    excluded = _excluded(plan, structure)
    for link in _chain(plan, structure):
        if link == DIRECTOR:
            director_id = director()
            link = {director_id} if director_id is not None else set()
        left = cast(set[int], link) - excluded
        if left:
            return left
    return set()


def _current_director_id() -> int | None:
    director = current_director()
    return director.pk if director else None


def _with_people(plan: Plan) -> Plan:
    """The plan with its teacher's position loaded (the chain asks for it)."""
    if plan.level != PlanLevel.INDIVIDUAL or not plan.person_id:
        return plan
    person = plan.person if Plan._meta.get_field("person").is_cached(plan) else None
    if person is None or (person.position_id and not Person._meta.get_field("position").is_cached(person)):
        plan.person = Person.objects.select_related("position").get(pk=plan.person_id)
    return plan


#: Where a page keeps the structure of the day it read for one plan (remember_structure).
_REMEMBERED = "_approval_structure"


def remember_structure(plan: Plan, day: datetime.date) -> Plan:
    """Let the plan's page ask its rules (owner, approver, editor …) of one structure of `day`, read once when a rule
    first needs it, instead of once per rule: plan_owners and approvers_of read it from the plan object. For a page, which reads the plan and
    changes no membership: a service reads the structure of the moment it acts."""
    setattr(plan, _REMEMBERED, {"day": day})  # read when a rule first asks (some pages ask none)
    return plan


def _structure_of(plan: Plan, day: datetime.date, people: list) -> _Structure:
    remembered = getattr(plan, _REMEMBERED, None)
    if remembered is None or remembered["day"] != day:
        return _structure(day, people)
    if "structure" not in remembered:
        remembered["structure"] = _structure(day, [plan.person_id] if plan.person_id else [])
    return remembered["structure"]


def plan_owners(plan: Plan, day: datetime.date | None = None) -> set[int]:
    """Person ids who own the plan (module docstring): the teacher, the unit's head today (and the unit plan's
    author and submitter), the head of the methodological service today."""
    day = day or timezone.localdate()
    if plan.level == PlanLevel.INDIVIDUAL:
        return {cast(int, plan.person_id)}
    return _owners(plan, _structure_of(plan, day, []))


def approvers_of(plan: Plan, day: datetime.date | None = None) -> set[int]:
    """Who may approve the plan today: the first link of its chain with someone left once the plan's owners,
    author and submitter are taken out (module docstring). One query (none when the page remembered the structure,
    remember_structure), and one more each for the teacher's position when it is not loaded and for the director
    when the chain reaches them."""
    day = day or timezone.localdate()
    plan = _with_people(plan)
    people = [plan.person_id] if plan.person_id else []
    return _approvers(plan, _structure_of(plan, day, people), _current_director_id)


def _may_reach(person: Person, day: datetime.date) -> Q:
    """The submitted plans whose chain may reach `person` on `day` (a superset of the answer: the chain decides),
    as one condition on plans, so an approver reads the plans they may approve and not every submitted plan.

    - Link 1, the heads of the teacher's associations: the individual plans of the members of the associations
      `person` heads.
    - The council chair's link: every plan whose chain gets past link 1 — a unit's or the service's plan, the plan of
      someone who heads an association, the plan of a teacher none of whose associations has a head left once the
      plan's owner, author and submitter are taken out.
    - The director's link comes after the chair's: the same plans, and the deputy's and the methodist's."""
    today_members = Membership.objects.active_on(day)
    heads = today_members.filter(role=MemberRole.HEAD)
    headed = heads.filter(person=person, unit__kind__in=ASSOCIATION_KINDS).values("unit_id")
    may = Q(level=PlanLevel.INDIVIDUAL, person_id__in=today_members.filter(unit_id__in=headed).values("person_id"))
    teacher_in_unit = today_members.filter(unit_id=OuterRef("unit_id"), person_id=OuterRef(OuterRef("person_id")))
    other_head = (
        heads.filter(unit__kind__in=ASSOCIATION_KINDS)
        .filter(Exists(teacher_in_unit))
        .exclude(person_id=OuterRef("person_id"))
        .exclude(person_id=OuterRef("created_by_id"))
        .exclude(person_id=Coalesce(OuterRef("submitted_by_id"), OuterRef("person_id"), output_field=IntegerField()))
    )
    teacher_heads = heads.filter(unit__kind__in=ASSOCIATION_KINDS, person_id=OuterRef("person_id"))
    past_link_one = ~Q(level=PlanLevel.INDIVIDUAL) | Q(Exists(teacher_heads)) | ~Q(Exists(other_head))
    chairs = Exists(heads.filter(person=person, unit__kind=UnitKind.COUNCIL))
    may |= Q(chairs) & past_link_one
    if person.position is not None and person.position.system_role == SystemRole.DIRECTOR:
        may |= past_link_one | Q(
            level=PlanLevel.INDIVIDUAL, person__position__system_role__in=DIRECTOR_APPROVES_POSITIONS
        )
    return may


def plans_reaching(person: Person, day: datetime.date | None = None) -> QuerySet[Plan]:
    """The submitted plans whose chain of approval may reach `person` (_may_reach), as a query not yet run: none of
    them, none waits for the person's approval (metodservice.attention counts them with its other rows first)."""
    return Plan.objects.filter(_may_reach(person, day or timezone.localdate()), status__in=SUBMITTED_PLAN_STATUSES)


def plans_awaiting_approval(person: Person, *, today: datetime.date | None = None) -> list[Plan]:
    """Submitted plans this person may approve today: the answer of approvers_of for each plan, in at most three
    queries — the plans the person's chains may reach (_may_reach: an association's head reads their members' plans,
    never every plan of the college), the structure of the day (the heads, the associations of the plans' teachers),
    and, for a director, the current director when a chain reaches the director (`person.position` should be loaded,
    as structure.selectors.roles_of does)."""
    day = today or timezone.localdate()
    # The condition on the plans themselves, not `pk__in` a subquery: PostgreSQL would join every plan of every
    # year to its people before keeping the few submitted ones (100 ms at region scale; 1 ms so).
    reaching = plans_list().select_related("person__position").filter(_may_reach(person, day))
    submitted = list(reaching.filter(status__in=SUBMITTED_PLAN_STATUSES))
    if not submitted:
        return []
    structure = _structure(day, [p.person_id for p in submitted if p.level == PlanLevel.INDIVIDUAL and p.person_id])
    is_director = person.position is not None and person.position.system_role == SystemRole.DIRECTOR
    found: dict[str, int | None] = {}

    def director() -> int | None:
        if not is_director:
            return None  # the director's link is not this person's
        if "id" not in found:
            found["id"] = _current_director_id()
        return found["id"]

    return [plan for plan in submitted if person.pk in _approvers(plan, structure, director)]


def plans_returned_to(roles) -> QuerySet[Plan]:
    """Plans returned for rework to this owner: their individual plan, plans of units they head today, the
    service's plan when they head the service or drafted the plan. One query."""
    person = roles.person
    headed = [uid for uid, (_kind, role) in roles.units.items() if role == MemberRole.HEAD]
    owned = Q(level=PlanLevel.INDIVIDUAL, person=person) | Q(level=PlanLevel.UNIT, unit_id__in=headed)
    owned |= Q(level=PlanLevel.SERVICE, created_by=person)
    if roles.holds(UnitKind.SERVICE, MemberRole.HEAD):
        owned |= Q(level=PlanLevel.SERVICE)
    return (
        Plan.objects.filter(owned, status__in=[PlanStatus.RETURNED, PlanStatus.AMENDING])
        .exclude(return_comment="")
        .select_related("year", "unit", "person", "returned_by")
    )
