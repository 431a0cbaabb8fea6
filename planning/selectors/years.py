"""Reads of the academic years and the single methodological theme: the current year, the theme of a year,
the year of a day, the years page."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch

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
