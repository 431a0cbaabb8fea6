"""Reads of planning/ that cross relations, with their joins applied, and the execution statistics."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from structure.models import ASSOCIATION_KINDS, MemberRole, Membership, Person, SystemRole, Unit, UnitKind, UnitName
from structure.selectors import current_director

from .models import (
    SUBMITTED_PLAN_STATUSES,
    AcademicYear,
    AgendaItem,
    Attendance,
    Decision,
    DecisionStatus,
    ItemStatus,
    Meeting,
    MethodologicalTheme,
    Plan,
    PlanItem,
    PlanLevel,
    PlanStatus,
    ThemeStage,
    WorkDirection,
)


def plans_list() -> QuerySet[Plan]:
    return (
        Plan.objects.select_related("year", "unit", "person", "approved_by")
        .annotate(items_total=Count("items", distinct=True))
        .order_by("-year__start", "level", "unit__name", "person__last_name", "pk")
    )


def plan_detail(pk: int) -> QuerySet[Plan]:
    return (
        Plan.objects.select_related(
            "year", "unit", "person", "person__position", "theme", "approved_by", "returned_by", "created_by"
        )
        .prefetch_related(
            Prefetch(
                "items",
                queryset=PlanItem.objects.select_related("direction")
                .prefetch_related("responsible")
                .order_by("position", "pk"),
            ),
            "versions__approved_by",
            "theme__stages__year",
        )
        .filter(pk=pk)
    )


def my_items_due(person: Person, *, today: datetime.date | None = None, days: int = 14) -> QuerySet[PlanItem]:
    """Open items of approved plans that the person is responsible for, due within `days` or overdue."""
    today = today or timezone.localdate()
    return (
        PlanItem.objects.filter(
            responsible=person, plan__version__gt=0, due_date__lte=today + datetime.timedelta(days=days)
        )
        .exclude(status__in=[ItemStatus.DONE, ItemStatus.CANCELLED])
        .select_related("plan", "plan__unit", "plan__person", "plan__year", "direction")
        .order_by("due_date", "pk")
    )


def _concerns(person: Person, today: datetime.date) -> Q:
    """Meetings that concern a person: those they attend, chair or keep, and any meeting of a unit they belong to
    today (so someone who joined after a meeting was scheduled still sees it)."""
    units = Membership.objects.active_on(today).filter(person=person).values("unit_id")
    return Q(attendance__person=person) | Q(chair=person) | Q(secretary=person) | Q(unit_id__in=units)


def my_open_decisions(person: Person) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(responsible=person, status=DecisionStatus.OPEN)
        .select_related("agenda_item__meeting__unit")
        .order_by("deadline", "pk")
    )


def my_meetings_this_week(person: Person, *, today: datetime.date | None = None) -> QuerySet[Meeting]:
    today = today or timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    sunday = monday + datetime.timedelta(days=6)
    return (
        Meeting.objects.filter(date__range=(monday, sunday))
        .filter(_concerns(person, today))
        .select_related("unit")
        .distinct()
        .order_by("date", "time")
    )


def meeting_detail(pk: int) -> QuerySet[Meeting]:
    return (
        Meeting.objects.select_related("unit", "year", "chair", "secretary", "created_by")
        .prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.select_related("person", "person__position")),
            "guests",
            Prefetch(
                "agenda",
                queryset=AgendaItem.objects.select_related("speaker", "plan_item").prefetch_related(
                    Prefetch("decisions", queryset=Decision.objects.select_related("responsible"))
                ),
            ),
        )
        .filter(pk=pk)
    )


def meetings_list() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("unit", "year", "chair", "secretary").annotate(
        present_count=Count("attendance", filter=Q(attendance__present=True), distinct=True)
    )


def decisions_register() -> QuerySet[Decision]:
    return Decision.objects.select_related(
        "responsible", "agenda_item", "agenda_item__meeting", "agenda_item__meeting__unit"
    ).order_by("deadline", "pk")


# ---------------------------------------------------------------- execution statistics


@dataclass(frozen=True)
class Execution:
    label: str
    total: int
    done: int
    cancelled: int
    overdue: int

    @property
    def percent(self) -> int | None:
        """Done items as a share of the items that stand (cancelled ones don't count)."""
        standing = self.total - self.cancelled
        return round(100 * self.done / standing) if standing else None


def _execution_counts(queryset, today: datetime.date) -> dict:
    return dict(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=ItemStatus.DONE)),
        cancelled=Count("pk", filter=Q(status=ItemStatus.CANCELLED)),
        overdue=Count("pk", filter=Q(due_date__lt=today) & ~Q(status__in=[ItemStatus.DONE, ItemStatus.CANCELLED])),
    )


def execution_by_direction(year: AcademicYear, *, today: datetime.date | None = None) -> list[Execution]:
    """Items of the approved service and unit plans of a year, grouped by the ten directions. One query."""
    today = today or timezone.localdate()
    rows = {
        row["direction_id"]: row
        for row in PlanItem.objects.filter(plan__year=year, plan__version__gt=0)
        .exclude(plan__level=PlanLevel.INDIVIDUAL)
        .values("direction_id")
        .annotate(**_execution_counts(PlanItem.objects, today))
    }
    result = []
    for direction in WorkDirection.objects.order_by("code"):
        row = rows.get(direction.pk, {})
        result.append(
            Execution(
                label=str(direction),
                total=row.get("total", 0),
                done=row.get("done", 0),
                cancelled=row.get("cancelled", 0),
                overdue=row.get("overdue", 0),
            )
        )
    return result


def execution_by_plan(year: AcademicYear, *, today: datetime.date | None = None) -> list[Execution]:
    """The service's plan and every unit's plan of a year. One query."""
    today = today or timezone.localdate()
    plans = (
        Plan.objects.filter(year=year, version__gt=0)
        .exclude(level=PlanLevel.INDIVIDUAL)
        .select_related("unit")
        .annotate(
            total=Count("items"),
            done=Count("items", filter=Q(items__status=ItemStatus.DONE)),
            cancelled=Count("items", filter=Q(items__status=ItemStatus.CANCELLED)),
            overdue=Count(
                "items",
                filter=Q(items__due_date__lt=today) & ~Q(items__status__in=[ItemStatus.DONE, ItemStatus.CANCELLED]),
            ),
        )
        .order_by("level", "unit__name")
    )
    return [
        Execution(
            label=plan.owner_label, total=plan.total, done=plan.done, cancelled=plan.cancelled, overdue=plan.overdue
        )
        for plan in plans
    ]


def execution_by_year(*, today: datetime.date | None = None) -> list[Execution]:
    """The service as a whole (service and unit plans), year by year: this year against past years. One query."""
    today = today or timezone.localdate()
    years = AcademicYear.objects.annotate(
        total=Count("plans__items", filter=~Q(plans__level=PlanLevel.INDIVIDUAL) & Q(plans__version__gt=0)),
        done=Count(
            "plans__items",
            filter=~Q(plans__level=PlanLevel.INDIVIDUAL)
            & Q(plans__version__gt=0, plans__items__status=ItemStatus.DONE),
        ),
        cancelled=Count(
            "plans__items",
            filter=~Q(plans__level=PlanLevel.INDIVIDUAL)
            & Q(plans__version__gt=0, plans__items__status=ItemStatus.CANCELLED),
        ),
        overdue=Count(
            "plans__items",
            filter=~Q(plans__level=PlanLevel.INDIVIDUAL)
            & Q(plans__version__gt=0, plans__items__due_date__lt=today)
            & ~Q(plans__items__status__in=[ItemStatus.DONE, ItemStatus.CANCELLED]),
        ),
    ).order_by("start")
    return [
        Execution(label=y.title, total=y.total, done=y.done, cancelled=y.cancelled, overdue=y.overdue) for y in years
    ]


# ---------------------------------------------------------------- calendar


@dataclass(frozen=True)
class CalendarEvent:
    kind: str  # "meeting" | "item"
    date: datetime.date
    title: str
    url: str
    unit: str
    direction: str = ""
    start: datetime.date | None = None
    time: datetime.time | None = None
    uid: str = ""
    overdue: bool = False


def calendar_events(
    *,
    start: datetime.date,
    end: datetime.date,
    unit_id: int | None = None,
    direction_id: int | None = None,
    person: Person | None = None,
) -> list[CalendarEvent]:
    """Meetings and dated plan items between start and end (inclusive). Two queries.

    With `person`, only what concerns them: meetings of their units or that they attend, items they are responsible
    for. Individual plans are shown only to their teacher."""
    today = timezone.localdate()
    meetings = Meeting.objects.filter(date__range=(start, end)).select_related("unit")
    items = (
        PlanItem.objects.filter(due_date__range=(start, end), plan__version__gt=0)
        .select_related("plan", "plan__unit", "plan__person", "direction")
        .order_by("due_date", "pk")
    )
    if unit_id:
        meetings = meetings.filter(unit_id=unit_id)
        items = items.filter(plan__unit_id=unit_id)
    if direction_id:
        items = items.filter(direction_id=direction_id)
        meetings = meetings.filter(agenda__plan_item__direction_id=direction_id).distinct()
    if person is not None:
        meetings = meetings.filter(_concerns(person, today)).distinct()
        items = items.filter(responsible=person).distinct()
    else:
        items = items.exclude(plan__level=PlanLevel.INDIVIDUAL)
    events = [
        CalendarEvent(
            kind="meeting",
            date=m.date,
            time=m.time,
            title=str(m),
            url=m.get_absolute_url(),
            unit=m.unit.name,
            uid=f"meeting-{m.pk}",
        )
        for m in meetings
    ]
    events += [
        CalendarEvent(
            kind="item",
            date=i.due_date,
            start=i.start_date,
            title=i.content,
            url=i.get_absolute_url(),
            unit=i.plan.owner_label,
            direction=str(i.direction),
            uid=f"plan-item-{i.pk}",
            overdue=i.is_overdue(today),
        )
        for i in items
    ]
    events.sort(key=lambda e: (e.date, e.time or datetime.time.min, e.kind, e.title))
    return events


# ---------------------------------------------------------------- documents (PDF and XLSX: planning/reports.py)


def _unit_name_on(unit_ref: str, day_ref) -> Coalesce:
    """The name a unit bore on a day (UnitName), else its current name: for a Subquery annotation."""
    names = (
        UnitName.objects.filter(unit=OuterRef(unit_ref), start__lte=day_ref)
        .filter(Q(end__isnull=True) | Q(end__gt=day_ref))
        .order_by("-start", "-pk")
        .values("name")[:1]
    )
    return Coalesce(Subquery(names), F(f"{unit_ref}__name"))


def plan_document(pk: int, day: datetime.date) -> QuerySet[Plan]:
    """plan_detail with the unit's name on `day` (the document's date) as `unit_name_on_day`."""
    return plan_detail(pk).annotate(unit_name_on_day=_unit_name_on("unit", day))


def associations_of(person: Person, day: datetime.date) -> list[str]:
    """Names (on `day`) of the subject associations (МО/ПЦК) the person belongs to on `day`. One query."""
    return list(
        Membership.objects.active_on(day)
        .filter(person=person, unit__kind__in=ASSOCIATION_KINDS)
        .annotate(unit_name_on_day=_unit_name_on("unit", day))
        .order_by("unit_name_on_day", "unit_id")
        .values_list("unit_name_on_day", flat=True)
        .distinct()
    )


def protocol_document(pk: int) -> QuerySet[Meeting]:
    """meeting_detail with the unit's name on the meeting's date as `unit_name_on_day`."""
    return meeting_detail(pk).annotate(unit_name_on_day=_unit_name_on("unit", OuterRef("date")))


def decisions_filtered(
    queryset: QuerySet[Decision],
    *,
    status: str = "",
    unit_id: int | None = None,
    person: Person | None = None,
    overdue: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Decision]:
    """The decision register's filters: status, the meeting's unit, assigned to `person`, open and past deadline."""
    if status:
        queryset = queryset.filter(status=status)
    if unit_id:
        queryset = queryset.filter(agenda_item__meeting__unit_id=unit_id)
    if person is not None:
        queryset = queryset.filter(responsible=person)
    if overdue:
        queryset = queryset.filter(status=DecisionStatus.OPEN, deadline__lt=today or timezone.localdate())
    return queryset


# ---------------------------------------------------------------- calendar, years and the dashboard
# (views/calendar.py, views/years.py and the dashboard of metodservice/views.py)


def years_overview() -> dict:
    """The years page: academic years, the single themes with their stages, the ten directions. Four queries."""

    return {
        "years": list(AcademicYear.objects.order_by("-start")),
        "themes": list(
            MethodologicalTheme.objects.select_related("start_year", "end_year").prefetch_related(
                Prefetch("stages", queryset=ThemeStage.objects.select_related("year").order_by("year__start"))
            )
        ),
        "directions": list(WorkDirection.objects.order_by("code")),
    }


def plans_awaiting_approval(person: Person, *, today: datetime.date | None = None) -> list[Plan]:
    """Submitted plans this person may approve today: the answer of services.approvers_of (for
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
    council_plan_waits = any(p.level == PlanLevel.UNIT and p.unit.kind == UnitKind.COUNCIL for p in submitted)
    if council_plan_waits and person.position_id and person.position.system_role == SystemRole.DIRECTOR:
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
        if plan.level == PlanLevel.UNIT and plan.unit.kind == UnitKind.COUNCIL:
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


def dashboard_rows(roles) -> dict:
    """The planning rows of the dashboard for a user's roles (structure.selectors.Roles): plans waiting for my
    approval, my items due within 14 days or overdue, decisions assigned to me, my meetings this week.
    Six or seven queries whatever the amount of data."""
    person = roles.person
    if person is None:
        return {}
    today = timezone.localdate()
    items = list(my_items_due(person, today=today))
    for item in items:
        item.overdue = item.is_overdue(today)
    decisions = list(my_open_decisions(person))
    for decision in decisions:
        decision.overdue = decision.deadline < today
    return {
        "plans_returned": list(plans_returned_to(roles)),
        "plans_awaiting": plans_awaiting_approval(person, today=today),
        "approves_plans": roles.is_council_chair or roles.is_association_head or roles.is_director,
        "items_due": items,
        "open_decisions": decisions,
        "meetings_this_week": list(my_meetings_this_week(person, today=today)),
    }


# ---------------------------------------------------------------- meetings pages (views/meetings.py)


def meetings_visible_to(roles) -> QuerySet[Meeting]:
    """Meetings a user may open, with `present_count`: all of them for staff and the administrator; an external
    person sees the meetings of their own units only (planning.view_meeting)."""
    meetings = meetings_list().order_by("-date", "-number", "-pk")
    if roles.is_admin or roles.is_staff_member:
        return meetings
    return meetings.filter(unit_id__in=list(roles.units))


def academic_year_of(day: datetime.date) -> AcademicYear | None:
    return AcademicYear.objects.filter(start__lte=day, end__gte=day).first()


def next_meeting_number(unit, year: AcademicYear) -> int:
    """The number a new meeting of the unit would take in the year (the service takes the same when none is given)."""
    last = Meeting.objects.filter(unit=unit, year=year).order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def meeting_people(unit) -> QuerySet[Person]:
    """Who may chair, speak at or answer for a decision of a unit's meeting: the staff and the unit's own members
    (an external researcher of a lab)."""
    return (
        Person.objects.filter(Q(is_external=False) | Q(memberships__unit=unit))
        .select_related("position")
        .distinct()
        .order_by("last_name", "first_name", "patronymic", "pk")
    )


def attendance_rows(meeting: Meeting) -> list[tuple[Person, bool, str]]:
    """(person, present, reason) for everyone in the meeting's attendance, plus members of the unit on the
    meeting's date who are not listed yet (counted present, as at the meeting's creation). Two queries."""
    rows = {
        a.person_id: (a.person, a.present, a.absence_reason)
        for a in meeting.attendance.select_related("person", "person__position")
    }
    members = meeting.unit.memberships.active_on(meeting.date).select_related("person", "person__position")
    for membership in members:
        rows.setdefault(membership.person_id, (membership.person, True, ""))
    return sorted(rows.values(), key=lambda row: (row[0].last_name, row[0].first_name, row[0].patronymic, row[0].pk))


def agenda_plan_items(meeting: Meeting) -> QuerySet[PlanItem]:
    """Items an agenda question may link: the unit's plan and the service's plan of the meeting's year."""
    return (
        PlanItem.objects.filter(plan__year_id=meeting.year_id)
        .filter(Q(plan__level=PlanLevel.SERVICE) | Q(plan__level=PlanLevel.UNIT, plan__unit_id=meeting.unit_id))
        .select_related("plan", "plan__unit")
        .order_by("-plan__level", "position", "pk")
    )


# ---------------------------------------------------------------- plans pages (planning/views/plans.py)


def plans_visible_to(roles) -> QuerySet[Plan]:
    """plans_list() narrowed to the plans planning.view_plan shows the user (planning/rules.py: may_see_plan):
    management and the administrator see every plan; staff see the service's and the units' plans; an individual
    plan is seen by its teacher, the council chair and the heads of the teacher's associations today."""
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


def execution_total(rows: list[Execution], *, label: str) -> Execution:
    """The sum of execution rows (e.g. of the ten directions: the year's service as a whole)."""
    return Execution(
        label=label,
        total=sum(r.total for r in rows),
        done=sum(r.done for r in rows),
        cancelled=sum(r.cancelled for r in rows),
        overdue=sum(r.overdue for r in rows),
    )


# ---------------------------------------------------------------- years, owners and approvers


def current_year() -> AcademicYear | None:
    return AcademicYear.objects.filter(is_current=True).first()


def theme_for(year: AcademicYear) -> MethodologicalTheme | None:
    for theme in MethodologicalTheme.objects.select_related("start_year", "end_year"):
        if theme.covers(year):
            return theme
    return None


def plan_owners(plan: Plan, day: datetime.date | None = None) -> set[int]:
    """Person ids who own the plan: the teacher, the unit's head today, the service plan's author and submitter."""
    day = day or timezone.localdate()
    if plan.level == PlanLevel.INDIVIDUAL:
        return {plan.person_id}
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
    elif plan.level == PlanLevel.UNIT and plan.unit.kind == UnitKind.COUNCIL:
        director = current_director()
        approvers = {director.pk} if director else set()
    else:
        approvers = set(active.filter(unit__kind=UnitKind.COUNCIL).values_list("person_id", flat=True))
    return approvers - plan_owners(plan, day)


def unit_role_holder(unit: Unit, role: str, day: datetime.date) -> Person | None:
    membership = Membership.objects.active_on(day).filter(unit=unit, role=role).select_related("person").first()
    return membership.person if membership else None
