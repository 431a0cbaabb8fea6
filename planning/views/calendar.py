"""The calendar of meetings and plan deadlines (month grid and list) and the personal iCal feed.

The feed is read by calendar apps, which cannot log in: its secret URL is the credential (one per user,
re-issued on request, which revokes the old address).
"""

from __future__ import annotations

import calendar as pycalendar
import datetime
from collections import defaultdict
from urllib.parse import urlencode

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from metodservice.common.viewtools import require as _require
from structure.selectors import roles_of

from .. import ical, selectors, services
from ..forms.calendar import CalendarFilterForm
from ..models import CalendarToken

#: The feed covers this much of the past and the future.
FEED_PAST = datetime.timedelta(days=60)
FEED_FUTURE = datetime.timedelta(days=365)


def _filters(request: HttpRequest) -> dict:
    """The calendar's parameters; the ones that don't parse fall back to their defaults with a warning."""
    form = CalendarFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        labels = ", ".join(str(form.fields[name].label) for name in form.errors if name in form.fields)
        messages.warning(
            request, _("Some parameters were not understood and have been reset: %(fields)s.") % {"fields": labels}
        )
    return form.values()


def _query(values: dict, **changes) -> str:
    """The query string of the calendar with `values`, some of them changed (for navigation links)."""
    values = {**values, **changes}
    params = {"month": f"{values['month']:%Y-%m}", "view": values["view"]}
    if values["unit"]:
        params["unit"] = values["unit"].pk
    if values["direction"]:
        params["direction"] = values["direction"].pk
    if values["mine"]:
        params["mine"] = "on"
    return "?" + urlencode(params)


def _month_range(month: datetime.date, view: str) -> tuple[datetime.date, datetime.date, list]:
    """The days shown: whole weeks (Monday to Sunday) for the grid, the month's own days for the list."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    if view == "month":
        return weeks[0][0], weeks[-1][-1], weeks
    last = month.replace(day=pycalendar.monthrange(month.year, month.month)[1])
    return month, last, weeks


def calendar_view(request: HttpRequest) -> HttpResponse:
    _require(request, "planning.view_calendar")
    values = _filters(request)
    month, view = values["month"], values["view"]
    start, end, weeks = _month_range(month, view)
    events = selectors.calendar_events(
        start=start,
        end=end,
        unit_id=values["unit"].pk if values["unit"] else None,
        direction_id=values["direction"].pk if values["direction"] else None,
        person=roles_of(request.user).person if values["mine"] else None,
    )
    by_day: dict[datetime.date, list] = defaultdict(list)
    for event in events:
        by_day[event.date].append(event)
    today = timezone.localdate()
    previous_month = (month - datetime.timedelta(days=1)).replace(day=1)
    next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    form = CalendarFilterForm(
        initial={
            "month": f"{month:%Y-%m}",
            "view": view,
            "unit": values["unit"],
            "direction": values["direction"],
            "mine": values["mine"],
        }
    )
    context = {
        "form": form,
        "view": view,
        "month": month,
        "today": today,
        "events": events,
        "weekdays": [(WEEKDAYS[i], WEEKDAYS_ABBR[i]) for i in range(7)],
        "weeks": [[(day, by_day.get(day, []), day.month == month.month, day == today) for day in w] for w in weeks],
        "days": sorted(by_day.items()),
        "previous_query": _query(values, month=previous_month),
        "next_query": _query(values, month=next_month),
        "today_query": _query(values, month=today.replace(day=1)),
        "month_query": _query(values, view="month"),
        "list_query": _query(values, view="list"),
    }
    return render(request, "planning/calendar/calendar.html", context)


def feed_settings(request: HttpRequest) -> HttpResponse:
    _require(request, "planning.view_calendar")
    if request.method == "POST":
        services.calendar_token_for(user=request.user, renew=True)
        messages.success(
            request,
            _("A new address has been issued and the old one no longer works. Subscribe your apps to the new one."),
        )
        return redirect("planning:feed_settings")
    token = services.calendar_token_for(user=request.user)
    url = request.build_absolute_uri(reverse("planning:ical_feed", args=[token.token]))
    return render(
        request,
        "planning/calendar/feed_settings.html",
        {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1], "token": token},
    )


@login_not_required
@require_safe  # calendar apps may ask HEAD first
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """What concerns the token's owner, 60 days back to a year ahead. An unknown or revoked token answers 404."""
    entry = CalendarToken.objects.select_related("user").filter(token=token).first()
    if entry is None or not entry.user.is_active:
        raise Http404
    person = roles_of(entry.user).person
    if person is None or not rules.has_perm("planning.view_calendar", entry.user):
        raise Http404
    today = timezone.localdate()
    events = selectors.calendar_events(start=today - FEED_PAST, end=today + FEED_FUTURE, person=person)
    body = ical.build_feed(
        events,
        absolute_url=request.build_absolute_uri,
        name=_("Methodological service: %(person)s") % {"person": person.short_name},
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="metodservice.ics"'
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, private=True, no_cache=True)
    return response
