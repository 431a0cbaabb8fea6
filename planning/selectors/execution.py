"""The execution statistics of approved plans: by direction, by plan, by year, and their sum."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
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


def execution_total(rows: list[Execution], *, label: str) -> Execution:
    """The sum of execution rows (e.g. of the ten directions: the year's service as a whole)."""
    return Execution(
        label=label,
        total=sum(r.total for r in rows),
        done=sum(r.done for r in rows),
        cancelled=sum(r.cancelled for r in rows),
        overdue=sum(r.overdue for r in rows),
    )
