"""Reads for the printed documents (planning/reports.py): plans and protocols with the unit's name on the
document's date, a teacher's associations on a day."""

from __future__ import annotations

import datetime

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from structure.models import ASSOCIATION_KINDS, Membership, Person, UnitName

from ..models import Meeting, Plan
from .meetings import meeting_detail
from .plans import plan_detail


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
