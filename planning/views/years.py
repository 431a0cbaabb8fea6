"""Academic years, the single methodological theme, and the ten work directions (read-only, from the regulation)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metodservice.common.viewtools import report as _report
from metodservice.common.viewtools import require as _require

from .. import selectors, services
from ..forms.years import ThemeForm, YearForm
from ..models import AcademicYear, MethodologicalTheme


def year_list(request: HttpRequest) -> HttpResponse:
    _require(request, "planning.view_years")
    return render(request, "planning/years/year_list.html", selectors.years_overview())


def _year_form(request: HttpRequest, year: AcademicYear | None) -> HttpResponse:
    form = YearForm(request.POST or None, year=year)
    heading = year.title if year else ""  # the service sets the fields before it may refuse them
    if request.method == "POST" and form.is_valid():
        try:
            year = services.year_save(year=year, **form.cleaned_data)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Academic year %(year)s saved.") % {"year": year.title})
            return redirect("planning:year_list")
    return render(request, "planning/years/year_form.html", {"form": form, "year": year, "heading": heading})


def year_create(request: HttpRequest) -> HttpResponse:
    _require(request, "planning.manage_years")
    return _year_form(request, None)


def year_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "planning.manage_years")
    return _year_form(request, get_object_or_404(AcademicYear, pk=pk))


@require_POST
def year_make_current(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "planning.manage_years")
    year = services.year_make_current(year=get_object_or_404(AcademicYear, pk=pk))
    messages.success(request, _("%(year)s is now the current academic year.") % {"year": year.title})
    return redirect("planning:year_list")


def _theme_form(request: HttpRequest, theme: MethodologicalTheme | None) -> HttpResponse:
    form = ThemeForm(request.POST or None, theme=theme)
    heading = theme.title if theme else ""
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ("title", "goal", "tasks", "start_year", "end_year")}
        try:
            services.theme_save(theme=theme, stages=form.stages(), **fields)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The single methodological theme has been saved."))
            return redirect("planning:year_list")
    return render(request, "planning/years/theme_form.html", {"form": form, "theme": theme, "heading": heading})


def theme_create(request: HttpRequest) -> HttpResponse:
    _require(request, "planning.manage_years")
    return _theme_form(request, None)


def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "planning.manage_years")
    theme = get_object_or_404(MethodologicalTheme.objects.prefetch_related("stages"), pk=pk)
    return _theme_form(request, theme)
