"""The calendar's events: meetings and dated plan items in a period (views/calendar.py and the iCal feed)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from structure.models import Person

from ..models import Meeting, PlanItem, PlanLevel
from .meetings import _concerns


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
    meetings = Meeting.objects.filter(date__range=(start, end)).select_related("unit").defer("snapshot")
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
