"""What planning/ tells about one person's work for their portfolio (attestation.selectors.portfolio reads it;
planning never imports attestation)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from structure.models import Person

from ..models import ItemStatus, PlanItem


def items_done_by(person: Person, start: datetime.date, end: datetime.date) -> QuerySet[PlanItem]:
    """The items of approved plans (approved at least once) that are done, with `person` among the responsible,
    whose deadline falls within [start, end]; their plan (year, unit, person) and direction loaded. One query."""
    return (
        PlanItem.objects.filter(
            responsible=person,
            status=ItemStatus.DONE,
            plan__version__gt=0,
            due_date__gte=start,
            due_date__lte=end,
        )
        .select_related("plan", "plan__year", "plan__unit", "plan__person", "direction")
        .order_by("due_date", "pk")
    )
