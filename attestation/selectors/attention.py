"""What in attestation waits for this user to act: the dashboard's rows and the menu's badge
(metodservice.attention) count the same querysets.

- `trainings_to_confirm`: professional-development records waiting for confirmation, for those who confirm them
  (the methodist and the deputy), their own excepted (attestation.rules.training: nobody confirms their own);
- `trainings_returned`: the user's own records returned for correction.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from structure.selectors import Roles

from ..models import TrainingRecord, TrainingStatus
from .training import pending_trainings


def needs_me(roles: Roles, *, today: datetime.date) -> dict[str, QuerySet[TrainingRecord]]:
    person = roles.person
    if person is None:
        return {}
    rows: dict[str, QuerySet[TrainingRecord]] = {
        "trainings_returned": TrainingRecord.objects.filter(person=person, status=TrainingStatus.RETURNED).order_by(
            "-end", "-pk"
        ),
    }
    if roles.is_methodist or roles.is_deputy:
        rows["trainings_to_confirm"] = pending_trainings(roles, day=today).exclude(person=person)
    return rows


#: How many rows of each list the dashboard shows; the card's badge counts them all.
DASHBOARD_LIMIT = 10


def dashboard_rows(roles: Roles, *, today: datetime.date) -> dict:
    """The rows as lists for the dashboard (at most DASHBOARD_LIMIT each) with their full counts: two queries per
    list that is not empty, one per empty one."""
    rows: dict = {}
    for key, queryset in needs_me(roles, today=today).items():
        shown = list(queryset.select_related("person")[: DASHBOARD_LIMIT + 1])
        count = len(shown) if len(shown) <= DASHBOARD_LIMIT else queryset.count()
        rows[key] = shown[:DASHBOARD_LIMIT]
        rows[key + "_count"] = count
    return rows
