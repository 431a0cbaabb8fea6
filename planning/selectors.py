"""Reads of planning/ that cross relations, with their joins applied, and the execution statistics."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from structure.models import Person

from .models import (
    SUBMITTED_PLAN_STATUSES,
    AcademicYear,
    AgendaItem,
    Attendance,
    Decision,
    DecisionStatus,
    ItemStatus,
    Meeting,
    Plan,
    PlanItem,
    PlanLevel,
    WorkDirection,
)
from .services import approvers_of


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


def plans_awaiting(person: Person) -> list[Plan]:
    """Submitted plans this person may approve today."""
    submitted = plans_list().filter(status__in=SUBMITTED_PLAN_STATUSES)
    return [plan for plan in submitted if person.pk in approvers_of(plan)]


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
        .filter(Q(attendance__person=person) | Q(chair=person) | Q(secretary=person))
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
        meetings = meetings.filter(Q(attendance__person=person) | Q(chair=person) | Q(secretary=person)).distinct()
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
