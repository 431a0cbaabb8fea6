"""Reads of the academic years and the single methodological theme: the current year, the theme of a year,
the year of a day, the years page."""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.db.models import DateField, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce, Least

from ..models import AcademicYear, MethodologicalTheme, ThemeStage, WorkDirection


def years_overview() -> dict:
    """The years page: academic years, the single themes with their stages, the ten directions. Four queries."""

    return {
        "years": list(AcademicYear.objects.order_by("-start")),
        "themes": list(
            MethodologicalTheme.objects.select_related("start_year", "end_year").prefetch_related(
                Prefetch("stages", queryset=ThemeStage.objects.select_related("year").order_by("year__start"))
            )
        ),
        "directions": list(WorkDirection.objects.order_by("code")),
    }


def academic_year_of(day: datetime.date) -> AcademicYear | None:
    return AcademicYear.objects.filter(start__lte=day, end__gte=day).first()


def current_year() -> AcademicYear | None:
    return AcademicYear.objects.filter(is_current=True).first()


def theme_for(year: AcademicYear) -> MethodologicalTheme | None:
    for theme in MethodologicalTheme.objects.select_related("start_year", "end_year"):
        if theme.covers(year):
            return theme
    return None


#: The current academic year's start as last read: (the start or None, when it was read by time.monotonic).
_kept_start: list[tuple[datetime.date | None, float]] = []


def forget_current_year() -> None:
    """Drop the kept start of the current year (current_year_start): a year saved or deleted (planning/signals.py)."""
    _kept_start.clear()


def _current_start() -> datetime.date | None:
    """The start of the year marked current, read at most once in CURRENT_YEAR_SECONDS per process: it changes once
    a year, and each dashboard asks it several times. A change made in this process drops it at once; the other
    processes see it within CURRENT_YEAR_SECONDS."""
    now = time.monotonic()
    if _kept_start and now - _kept_start[0][1] < settings.CURRENT_YEAR_SECONDS:
        return _kept_start[0][0]
    start = AcademicYear.objects.filter(is_current=True).values_list("start", flat=True).first()
    _kept_start[:] = [(start, now)]
    return start


def current_year_start(today: datetime.date):
    """Where «now» starts for the dashboard's rows, as an SQL expression (no query of its own): the first day of the
    current academic year, or 1 September of the year containing `today` when none is current — and never later
    than `today`, so nothing due from today on counts as earlier. The menu's badge counts with it on every page."""
    current = AcademicYear.objects.filter(is_current=True).values("start")[:1]
    start = Coalesce(Subquery(current), Value(_september(today)), output_field=DateField())
    return Least(start, Value(today), output_field=DateField())


def current_year_start_date(today: datetime.date) -> datetime.date:
    """current_year_start as a date (kept per process, so most often no query): for «due before it», where the planner
    cannot judge a subquery — it scanned a region's 13,000 items by due date (51 ms of the methodist's dashboard)
    instead of starting from the person's few."""
    return min(_current_start() or _september(today), today)


def _september(today: datetime.date) -> datetime.date:
    return datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
