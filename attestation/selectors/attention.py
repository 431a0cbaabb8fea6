"""What in attestation waits for this user to act: the dashboard's rows and the menu's badge
(metodservice.attention) count the same querysets.

- `trainings_to_confirm`: professional-development records waiting for confirmation, for those who confirm them
  (the methodist and the deputy), their own excepted (attestation.rules.training: nobody confirms their own);
- `trainings_returned`: the user's own records returned for correction;
- `presentations_to_acknowledge`: the user's conformity cases whose представление waits for their signature;
- `decisions_to_record`: for the methodist and the deputy, conformity cases whose sitting has taken place and whose
  decision is not recorded yet;
- `self_assessments_due`, `expert_assessments_due`: the user's diagnostics assessments not yet submitted in an open
  campaign's window (attestation.selectors.campaigns.needs_me).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db.models import QuerySet

from structure.selectors import Roles

from ..models import AttestationCase, CaseKind, CaseStatus, TrainingRecord, TrainingStatus
from . import campaigns
from .training import pending_trainings

OPEN = (CaseStatus.PLANNED, CaseStatus.DOCUMENTS, CaseStatus.SUBMITTED)


def needs_me(roles: Roles, *, today: datetime.date) -> dict[str, QuerySet]:
    person = roles.person
    if person is None:
        return {}
    conformity = AttestationCase.objects.filter(kind=CaseKind.CONFORMITY, status__in=OPEN)
    rows: dict[str, QuerySet] = {
        "trainings_returned": TrainingRecord.objects.filter(person=person, status=TrainingStatus.RETURNED).order_by(
            "-end", "-pk"
        ),
        "presentations_to_acknowledge": conformity.filter(
            person=person, acknowledged_on__isnull=True, presentation_at__isnull=False
        ).order_by("presentation_at", "pk"),
    }
    if roles.is_methodist or roles.is_deputy:
        rows["trainings_to_confirm"] = pending_trainings(roles, day=today).exclude(person=person)
        rows["decisions_to_record"] = (
            conformity.filter(agenda_item__meeting__date__lte=today, decision="")
            .exclude(person=person)
            .order_by("agenda_item__meeting__date", "pk")
            .select_related("person")
        )
    rows.update(campaigns.needs_me(roles, today=today))
    return rows


#: How many rows of each list the dashboard shows; the card's badge counts them all.
DASHBOARD_LIMIT = 10


def dashboard_rows(roles: Roles, *, today: datetime.date, counts: Mapping[str, int] | None = None) -> dict:
    """The rows as lists for the dashboard (at most DASHBOARD_LIMIT each) with their full counts: two queries per
    list that is not empty, one per empty one, none for a list the user cannot have. With `counts`
    (metodservice.attention.row_counts: every list's size, in one query) one query per list that is not empty."""
    rows: dict = {}
    for key, queryset in needs_me(roles, today=today).items():
        if counts is not None:
            count = counts.get(key, 0)
            rows[key] = list(queryset[:DASHBOARD_LIMIT]) if count else []
            rows[key + "_count"] = count
            continue
        shown = list(queryset[: DASHBOARD_LIMIT + 1])
        count = len(shown) if len(shown) <= DASHBOARD_LIMIT else queryset.count()
        rows[key] = shown[:DASHBOARD_LIMIT]
        rows[key + "_count"] = count
    return rows
