"""Pages of the annual report on methodological work: the years' reports, one year's report (its sections as of
today, the texts written by hand, its PDF prepared in the background), freezing it for a meeting, a frozen copy."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from metodservice.common.documents import document_response, fixed_pdf_response
from metodservice.common.viewtools import report, require
from metodservice.common.xlsx import Sheet, xlsx_response
from planning.models import AcademicYear
from structure.viewtools import me

from . import sections as report_sections
from . import selectors, services, small
from .forms import FreezeForm, ReportForm, SmallReportForm
from .models import AnnualReport, FrozenReport


def _day(year: AcademicYear):
    """The report of a year still running is as of today; of a year gone by, as of its last day."""
    return min(timezone.localdate(), year.end)


@require_GET
def annual_list(request: HttpRequest) -> HttpResponse:
    require(request, "reports.view_annual_reports")
    today = timezone.localdate()
    years = list(AcademicYear.objects.filter(start__lte=today).order_by("-start"))
    reports = {
        report.year_id: report
        for report in AnnualReport.objects.filter(year__in=years).select_related("updated_by").order_by()
    }
    frozen_counts: dict[int, int] = {}
    for year_id in FrozenReport.objects.filter(report__year__in=years).values_list("report__year_id", flat=True):
        frozen_counts[year_id] = frozen_counts.get(year_id, 0) + 1
    rows = [(year, reports.get(year.pk), frozen_counts.get(year.pk, 0)) for year in years]
    return render(request, "reports/annual/list.html", {"rows": rows})


@require_GET
def annual(request: HttpRequest, year: int) -> HttpResponse:
    require(request, "reports.view_annual_reports")
    academic_year = get_object_or_404(AcademicYear, pk=year)
    found = services.report_of(academic_year)
    context = services.document_context(found, _day(academic_year), kept=True)
    context["frozen_list"] = selectors.frozen_list(found) if found.pk else []
    context["sections_off"] = [
        report_sections.BY_KEY[key] for key in found.sections_off or [] if key in report_sections.BY_KEY
    ]
    return render(request, "reports/annual/detail.html", context)


@require_GET
def annual_pdf(request: HttpRequest, year: int) -> HttpResponse:
    require(request, "reports.view_annual_reports")
    academic_year = get_object_or_404(AcademicYear, pk=year)
    context = services.document_context(services.report_of(academic_year), _day(academic_year), kept=True)
    name = f"Отчёт о методической работе {academic_year.title.replace('/', '-')}.pdf"
    return document_response(request, "reports/annual/print.html", context, name)


def annual_edit(request: HttpRequest, year: int) -> HttpResponse:
    require(request, "reports.change_annual_report")
    academic_year = get_object_or_404(AcademicYear, pk=year)
    found = services.report_of(academic_year)
    initial = {"sections": services.sections_on(found), "conclusions": found.conclusions, "tasks": found.tasks}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_save(year=academic_year, by=me(request), **form.cleaned_data)
        except ValidationError as error:
            report(request, error, form)
        else:
            messages.success(request, _("The report is saved."))
            return redirect("reports:annual", academic_year.pk)
    return render(request, "reports/annual/edit.html", {"form": form, "year": academic_year})


def annual_freeze(request: HttpRequest, year: int) -> HttpResponse:
    require(request, "reports.freeze_annual_report")
    academic_year = get_object_or_404(AcademicYear, pk=year)
    questions = services.freezable_questions(academic_year)
    form = FreezeForm(request.POST or None, questions=questions, initial={"as_of": _day(academic_year)})
    if request.method == "POST" and form.is_valid():
        try:
            frozen = services.report_freeze(
                year=academic_year,
                by=me(request),
                as_of=form.cleaned_data["as_of"],
                agenda_item=form.cleaned_data["agenda_item"],
            )
        except ValidationError as error:
            report(request, error, form)
        else:
            messages.success(request, _("The report is frozen as of %(day)s.") % {"day": f"{frozen.as_of:%d.%m.%Y}"})
            return redirect(frozen)
    found = services.report_of(academic_year)
    context = {
        "form": form,
        "year": academic_year,
        "sections": [report_sections.BY_KEY[k] for k in services.sections_on(found)],
    }
    return render(request, "reports/annual/freeze.html", context)


def _frozen(pk: int) -> FrozenReport:
    return get_object_or_404(
        FrozenReport.objects.select_related("report__year", "agenda_item__meeting__unit").defer("html"), pk=pk
    )


@require_GET
def frozen(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "reports.view_frozen_report")
    found = _frozen(pk)
    titles = [report_sections.BY_KEY[key].title for key in found.sections if key in report_sections.BY_KEY]
    return render(request, "reports/annual/frozen.html", {"frozen": found, "titles": titles})


@require_GET
def frozen_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "reports.view_frozen_report")
    found = _frozen(pk)
    name = re.sub(r"[/\\]", "-", f"Отчёт о методической работе {found.report.year.title} на {found.as_of:%d.%m.%Y}.pdf")
    response = fixed_pdf_response(found, name)
    if response is None:
        messages.info(request, _("The PDF of the frozen report is being prepared: try again in a minute."))
        return redirect(found)
    return response


# ---------------------------------------------------------------- the smaller reports


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    require(request, "reports.view_annual_reports")
    return render(request, "reports/index.html", {"reports": small.REPORTS})


def _small(request: HttpRequest, key: str):
    """The report of `key` for the day or the year the query asks (today, the current year by default): the report,
    its parameters' form, what it is of (a day, a year), and what it built — or None when the form is refused."""
    require(request, "reports.view_annual_reports")
    found = small.BY_KEY.get(key)
    if found is None:
        raise Http404
    today = timezone.localdate()
    years = AcademicYear.objects.filter(start__lte=today).order_by("-start")
    form = SmallReportForm(request.GET, by=found.by, years=years)
    if not form.is_valid():
        return found, form, None, None
    if found.by == "day":
        day, year = form.cleaned_data.get("day") or today, None
        of = day
    else:
        year = form.cleaned_data.get("year") or years.filter(is_current=True).first() or years.first()
        if year is None:
            return found, form, None, None
        day = min(today, year.end)
        of = year
    return found, form, of, found.build(year, day)


@require_GET
def small_report(request: HttpRequest, key: str) -> HttpResponse:
    found, form, of, built = _small(request, key)
    context = {"report": found, "form": form, "of": of, "built": built, "query": request.GET.urlencode()}
    return render(request, "reports/small/page.html", context)


def _filename(found, of, extension: str) -> str:
    label = of.title.replace("/", "-") if isinstance(of, AcademicYear) else f"{of:%Y-%m-%d}"
    return f"{found.title} {label}.{extension}"


@require_GET
def small_report_pdf(request: HttpRequest, key: str) -> HttpResponse:
    found, form, of, built = _small(request, key)
    if built is None:
        return redirect(f"{reverse('reports:small', args=[key])}?{request.GET.urlencode()}")
    context = {"report": found, "of": of, "built": built, "college": settings.COLLEGE_NAME}
    return document_response(request, "reports/small/print.html", context, _filename(found, of, "pdf"))


@require_GET
def small_report_xlsx(request: HttpRequest, key: str) -> HttpResponse:
    found, form, of, built = _small(request, key)
    if built is None:
        return redirect(f"{reverse('reports:small', args=[key])}?{request.GET.urlencode()}")
    of_label = of.title if isinstance(of, AcademicYear) else f"{of:%d.%m.%Y}"
    sheets = [
        Sheet(
            table.title,
            table.headers,
            table.rows,
            title_lines=[settings.COLLEGE_NAME, f"{found.title}: {of_label}", table.title],
        )
        for table in built.tables
    ] or [Sheet(str(found.title), [_("Note")], [[built.note]])]
    return xlsx_response(_filename(found, of, "xlsx"), sheets=sheets)
