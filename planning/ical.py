"""The personal iCal feed: calendar events (selectors.calendar_events) as an RFC 5545 calendar.

Meetings with a known time are timed events in the college's time zone (settings.TIME_ZONE, with its VTIMEZONE);
meetings without a time and plan items (on their deadline) are all-day events. UIDs are stable
(`meeting-<pk>@metodservice`, `plan-item-<pk>@metodservice`), so a phone updates an event rather than duplicating it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .selectors import CalendarEvent

#: A meeting has a start time only; calendars show it this long.
MEETING_LENGTH = datetime.timedelta(hours=1, minutes=30)
UID_DOMAIN = "metodservice"
REFRESH = datetime.timedelta(hours=1)


def _summary(event: CalendarEvent) -> str:
    if event.kind == "item":
        return _("Deadline: %(title)s") % {"title": event.title}
    return event.title


def _description(event: CalendarEvent) -> str:
    lines = []
    if event.unit and event.kind == "item":
        lines.append(_("Plan: %(plan)s") % {"plan": event.unit})
    elif event.unit:
        lines.append(_("Unit: %(unit)s") % {"unit": event.unit})
    if event.direction:
        lines.append(_("Direction: %(direction)s") % {"direction": event.direction})
    if event.overdue:
        lines.append(_("Overdue"))
    return "\n".join(lines)


def build_feed(events: Iterable[CalendarEvent], *, absolute_url: Callable[[str], str], name: str) -> bytes:
    """The calendar as bytes; `absolute_url` turns an event's path into a full address (request.build_absolute_uri)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Metodservice//Planning calendar//RU")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # How often subscribed apps should re-read the feed (RFC 7986; Outlook reads X-PUBLISHED-TTL).
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    stamp = timezone.now()
    for event in events:
        entry = Event()
        entry.add("uid", f"{event.uid}@{UID_DOMAIN}")
        entry.add("dtstamp", stamp)
        if event.time is not None:
            start = datetime.datetime.combine(event.date, event.time, tzinfo=zone)
            entry.add("dtstart", start)
            entry.add("dtend", start + MEETING_LENGTH)
        else:
            entry.add("dtstart", event.date)
            entry.add("dtend", event.date + datetime.timedelta(days=1))
        entry.add("summary", _summary(event))
        description = _description(event)
        if description:
            entry.add("description", description)
        entry.add("url", absolute_url(event.url))
        entry.add("transp", "TRANSPARENT" if event.kind == "item" else "OPAQUE")
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
