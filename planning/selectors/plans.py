"""Reads of plans and their items, with their joins applied: the list, a plan with its items, the plans a user
may see, the items due for a person, the plans a meeting's agenda may consider."""

from __future__ import annotations

import datetime

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from structure.models import ASSOCIATION_KINDS, MemberRole, Membership, Person, Unit, UnitKind

from ..models import ItemStatus, Meeting, Plan, PlanItem, PlanLevel, PlanVersion, ThemeStage
from .years import current_year_start, current_year_start_date


def plans_list() -> QuerySet[Plan]:
    return Plan.objects.select_related("year", "unit", "person", "approved_by").order_by(
        "-year__start", "level", "unit__name", "person__last_name", "pk"
    )


def with_items_total(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """`plans` with `items_total`, the number of each plan's items: a correlated subquery, computed for the rows
    fetched (a page), never for every plan the filter keeps — the page's count leaves it out."""
    items = PlanItem.objects.filter(plan=OuterRef("pk")).order_by().values("plan").annotate(n=Count("pk")).values("n")
    return plans.annotate(items_total=Coalesce(Subquery(items), 0))


def _with_header_and_items() -> QuerySet[Plan]:
    """Plans with the people and year of their header and their items (directions, responsible people), in order."""
    return Plan.objects.select_related(
        "year", "unit", "person", "person__position", "theme", "approved_by", "returned_by", "created_by"
    ).prefetch_related(
        Prefetch(
            "items",
            queryset=PlanItem.objects.select_related("direction")
            .prefetch_related("responsible")
            .order_by("position", "pk"),
        )
    )


def plan_detail(pk: int) -> QuerySet[Plan]:
    return _with_header_and_items().prefetch_related("versions__approved_by", "theme__stages__year").filter(pk=pk)


def plan_page(pk: int) -> QuerySet[Plan]:
    """One plan with what its page shows: the header's people, the theme's stage of the plan's year
    (`stage_name`), the items with their directions and responsible people, the approved versions. Four queries
    whatever the number of items, versions and years of the theme."""
    stage = ThemeStage.objects.filter(theme_id=OuterRef("theme_id"), year_id=OuterRef("year_id")).values("stage")[:1]
    return (
        _with_header_and_items()
        .annotate(stage_name=Subquery(stage))
        .prefetch_related(Prefetch("versions", queryset=PlanVersion.objects.order_by("number")))
        .filter(pk=pk)
    )


def my_open_items(person: Person) -> QuerySet[PlanItem]:
    """Open items of approved plans that the person is responsible for, with their plans, by due date."""
    return (
        PlanItem.objects.filter(responsible=person, plan__version__gt=0)
        .exclude(status__in=[ItemStatus.DONE, ItemStatus.CANCELLED])
        .select_related("plan", "plan__unit", "plan__person", "plan__year", "direction")
        .order_by("due_date", "pk")
    )


def my_items_due(person: Person, *, today: datetime.date | None = None, days: int = 14) -> QuerySet[PlanItem]:
    """The person's open items (my_open_items) due within `days` or overdue in the current academic year: what needs
    them now. Those overdue from earlier years are my_items_overdue_earlier's."""
    today = today or timezone.localdate()
    return my_open_items(person).filter(
        due_date__gte=current_year_start(today), due_date__lte=today + datetime.timedelta(days=days)
    )


def my_items_overdue_earlier(person: Person, *, today: datetime.date | None = None) -> QuerySet[PlanItem]:
    """The person's open items due before the current academic year (overdue, and left so)."""
    today = today or timezone.localdate()
    return my_open_items(person).filter(due_date__lt=current_year_start_date(today))


def plans_visible_to(roles) -> QuerySet[Plan]:
    """plans_list() narrowed to the plans planning.view_plan shows the user (planning/rules.py: may_see_plan):
    management and the administrator see every plan; staff see the service's and the units' plans; an individual
    plan is seen by its teacher, the council chair, the heads of the teacher's associations today and the colleagues
    responsible for one of its items."""
    plans = plans_list()
    if roles.is_admin or roles.is_director or roles.is_deputy or roles.is_methodist:
        return plans
    if roles.person is None:
        return plans.none()
    visible = Q(level=PlanLevel.INDIVIDUAL, person=roles.person)
    if roles.is_staff_member:
        visible |= Q(level__in=[PlanLevel.SERVICE, PlanLevel.UNIT])
    else:
        visible |= Q(level=PlanLevel.UNIT, unit_id__in=list(roles.units))
    if roles.is_council_chair:
        visible |= Q(level=PlanLevel.INDIVIDUAL)
    heads_of = [
        uid for uid, (kind, role) in roles.units.items() if kind in ASSOCIATION_KINDS and role == MemberRole.HEAD
    ]
    if heads_of:
        members = Membership.objects.active_on(timezone.localdate()).filter(unit_id__in=heads_of)
        visible |= Q(level=PlanLevel.INDIVIDUAL, person_id__in=members.values("person_id"))
    # A colleague responsible for one of its items (planning.view_plan).
    visible |= Q(level=PlanLevel.INDIVIDUAL, pk__in=PlanItem.objects.filter(responsible=roles.person).values("plan_id"))
    return plans.filter(visible)


def plan_person_associations(plan: Plan, day: datetime.date) -> list:
    """The subject associations (units) the individual plan's teacher belongs to on `day`; none for other plans."""
    if plan.level != PlanLevel.INDIVIDUAL:
        return []

    return list(
        Unit.objects.filter(
            pk__in=Membership.objects.active_on(day)
            .filter(person_id=plan.person_id, unit__kind__in=ASSOCIATION_KINDS)
            .values("unit_id")
        ).order_by("name")
    )


def agenda_plans(meeting: Meeting, roles=None) -> QuerySet[Plan]:
    """Plans an agenda question of the meeting may consider: of the meeting's academic year or the next (a plan is
    considered before its year starts) — the service's plan, the unit's own plan (every unit's at the council) and
    the individual plans of the unit's members on the meeting's day; with `roles`, only those the user may see
    (plans_visible_to, as planning.view_plan)."""
    year = meeting.year
    plans = plans_visible_to(roles) if roles is not None else plans_list()
    members = Membership.objects.active_on(meeting.date).filter(unit_id=meeting.unit_id).values("person_id")
    concerns = Q(level=PlanLevel.SERVICE) | Q(level=PlanLevel.INDIVIDUAL, person_id__in=members)
    if meeting.unit.kind == UnitKind.COUNCIL:
        concerns |= Q(level=PlanLevel.UNIT)
    else:
        concerns |= Q(level=PlanLevel.UNIT, unit_id=meeting.unit_id)
    return plans.filter(concerns, year__start__gte=year.start, year__start__lte=year.end + datetime.timedelta(days=1))
