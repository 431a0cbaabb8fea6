"""Writes of the academic years and the single methodological theme with its yearly stages."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import AcademicYear, MethodologicalTheme, ThemeStage


def _unset_current(*, except_year: AcademicYear) -> None:
    """The current year stops being current (saved, so its history records it)."""
    for other in AcademicYear.objects.filter(is_current=True).exclude(pk=except_year.pk):
        other.is_current = False
        other.save(update_fields=["is_current"])


@transaction.atomic
def year_save(
    *, title: str, start: datetime.date, end: datetime.date, is_current: bool = False, year: AcademicYear | None = None
) -> AcademicYear:
    year = year or AcademicYear()
    year.title, year.start, year.end = title.strip(), start, end
    if end <= start:
        raise ValidationError({"end": _("The year must end after it starts.")})
    overlapping = AcademicYear.objects.filter(start__lte=end, end__gte=start).exclude(pk=year.pk)
    if overlapping.exists():
        raise ValidationError(_("The dates overlap the academic year %(year)s.") % {"year": overlapping.first()})
    if is_current:
        _unset_current(except_year=year)
    year.is_current = is_current or year.is_current
    year.full_clean()
    year.save()
    return year


@transaction.atomic
def year_make_current(*, year: AcademicYear) -> AcademicYear:
    _unset_current(except_year=year)
    year.is_current = True
    year.save(update_fields=["is_current"])
    return year


@transaction.atomic
def theme_save(
    *,
    title: str,
    goal: str,
    tasks: str,
    start_year: AcademicYear,
    end_year: AcademicYear,
    stages: dict[AcademicYear, str] | None = None,
    theme: MethodologicalTheme | None = None,
) -> MethodologicalTheme:
    theme = theme or MethodologicalTheme()
    if end_year.start < start_year.start:
        raise ValidationError({"end_year": _("The last year cannot precede the first one.")})
    for other in MethodologicalTheme.objects.exclude(pk=theme.pk).select_related("start_year", "end_year"):
        if other.start_year.start <= end_year.start and start_year.start <= other.end_year.start:
            raise ValidationError(_("The period overlaps the theme «%(theme)s».") % {"theme": other.title})
    theme.title, theme.goal, theme.tasks = title.strip(), goal.strip(), tasks.strip()
    theme.start_year, theme.end_year = start_year, end_year
    theme.full_clean()
    theme.save()
    for year, stage in (stages or {}).items():
        if stage.strip():
            ThemeStage.objects.update_or_create(theme=theme, year=year, defaults={"stage": stage.strip()})
        else:
            ThemeStage.objects.filter(theme=theme, year=year).delete()
    return theme
