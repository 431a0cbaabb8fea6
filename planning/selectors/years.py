"""Reads of the academic years and the single methodological theme: the current year, the theme of a year,
the year of a day, the years page."""

from __future__ import annotations

import datetime

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


def current_year_start(today: datetime.date):
    """Where «now» starts for the dashboard's rows, as an SQL expression (no query of its own): the first day of the
    current academic year, or 1 September of the year containing `today` when none is current — and never later
    than `today`, so nothing due from today on counts as earlier."""
    september = datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    current = AcademicYear.objects.filter(is_current=True).values("start")[:1]
    start = Coalesce(Subquery(current), Value(september), output_field=DateField())
    return Least(start, Value(today), output_field=DateField())
