"""The execution statistics of approved plans: by direction, by plan, by year, and their sum."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import AcademicYear, ItemStatus, Plan, PlanItem, PlanLevel, WorkDirection


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


def _execution_counts(queryset, today: datetime.date) -> dict[str, Count]:
    return dict(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=ItemStatus.DONE)),
        cancelled=Count("pk", filter=Q(status=ItemStatus.CANCELLED)),
        overdue=Count("pk", filter=Q(due_date__lt=today) & ~Q(status__in=[ItemStatus.DONE, ItemStatus.CANCELLED])),
    )


def execution_by_direction(year: AcademicYear, *, today: datetime.date | None = None) -> list[Execution]:
    """Items of the approved service and unit plans of a year, grouped by the ten directions. One query."""
    today = today or timezone.localdate()
    rows: dict[int, Mapping[str, Any]] = {
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


def execution_by_year(
    *, years: QuerySet[AcademicYear] | None = None, today: datetime.date | None = None
) -> list[Execution]:
    """The service as a whole (service and unit plans), year by year, oldest first: of `years` (default every
    year). One query; each year's counts are subqueries over that year's plans only, so a page that names its years
    costs the same however many years the service has behind it."""
    today = today or timezone.localdate()
    closed = [ItemStatus.DONE, ItemStatus.CANCELLED]

    def count(condition: Q | None = None) -> Coalesce:
        items = (
            PlanItem.objects.filter(condition or Q(), plan__year=OuterRef("pk"), plan__version__gt=0)
            .exclude(plan__level=PlanLevel.INDIVIDUAL)
            .order_by()
            .values("plan__year")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(items), 0)

    chosen = AcademicYear.objects.all() if years is None else AcademicYear.objects.filter(pk__in=years.values("pk"))
    rows = chosen.annotate(
        total=count(),
        done=count(Q(status=ItemStatus.DONE)),
        cancelled=count(Q(status=ItemStatus.CANCELLED)),
        overdue=count(Q(due_date__lt=today) & ~Q(status__in=closed)),
    ).order_by("start")
    return [
        Execution(label=y.title, total=y.total, done=y.done, cancelled=y.cancelled, overdue=y.overdue) for y in rows
    ]


def years_up_to(year: AcademicYear, count: int) -> QuerySet[AcademicYear]:
    """`year` and the `count - 1` years before it (not yet run: a subquery of execution_by_year)."""
    return AcademicYear.objects.filter(start__lte=year.start).order_by("-start")[:count]


def execution_total(rows: list[Execution], *, label: str) -> Execution:
    """The sum of execution rows (e.g. of the ten directions: the year's service as a whole)."""
    return Execution(
        label=label,
        total=sum(r.total for r in rows),
        done=sum(r.done for r in rows),
        cancelled=sum(r.cancelled for r in rows),
        overdue=sum(r.overdue for r in rows),
    )
