"""Views of experience/: lesson visits (взаимопосещение), adoptions and the dissemination of experience.

- «Мои посещения»: the visits the user planned or made, the visits to the user's lessons, the observations waiting.
- Planning a visit (optionally from a published open lesson: `?item=`), changing and cancelling it; its page with
  the observation form for its visitor once the lesson has taken place, and the observation once filled.
- The visit log: the visits of the associations a head heads, every visit for management; filtered by period,
  person, association and status; as XLSX with the same filters.
- Marking «внедрил(а)» / «ссылался(-ась)» on a published item and withdrawing one's mark (the buttons are in the
  dissemination block, experience/templatetags/dissemination.py, on the item's page).
- «Распространение опыта»: per association and academic year, the published items by kind and level, the visits and
  the adoptions, with a chart, for the annual report.

A visit out of the user's reach answers 404; an action the user may not take 403. The visitor is always the user,
never a field of a form.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pygal
import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from metodservice.common.charts import config as chart_config
from metodservice.common.charts import kept, self_contained
from metodservice.common.viewtools import attempt as _attempt
from metodservice.common.viewtools import page as _page
from metodservice.common.viewtools import report as _report
from metodservice.common.viewtools import require as _require
from metodservice.common.viewtools import safe_next
from metodservice.common.xlsx import choice_label, in_chunks, xlsx_response
from planning.models import AcademicYear
from structure.selectors import roles_of
from structure.viewtools import me as _me

from ..forms.visits import (
    LOG_FILTERS,
    AdoptionForm,
    DisseminationFilterForm,
    ObservationForm,
    VisitForm,
    VisitLogFilterForm,
)
from ..models import VISIT_CRITERIA, Adoption, ExperienceItem, ItemStatus, LessonVisit, VisitStatus
from ..rules.visits import is_visitor
from ..selectors import visits as selectors
from ..services import visits as services

#: Text that a spreadsheet would take for a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _visible_visit(request: HttpRequest, pk: int) -> LessonVisit:
    visit = get_object_or_404(selectors.visit_detail(), pk=pk)
    if not rules.has_perm("experience.view_visit", request.user, visit):
        raise Http404
    return visit


def _digits(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


# ---------------------------------------------------------------- «Мои посещения»


@require_GET
def visit_mine(request: HttpRequest) -> HttpResponse:
    _require(request, "experience.view_own_visits")
    me, today = _me(request), timezone.localdate()
    received = request.GET.get("show") == "received"
    visits = selectors.visits_to(me) if received else selectors.visits_made(me)
    page = _page(request, visits)
    other = (selectors.visits_made(me) if received else selectors.visits_to(me)).count()
    context = {
        "received": received,
        "page": page,
        "to_fill": list(selectors.visits_to_fill(me, today=today)[:10]),
        "today": today,
        "made_count": other if received else page.paginator.count,
        "received_count": page.paginator.count if received else other,
        "can_log": rules.has_perm("experience.list_visits", request.user),
    }
    return render(request, "experience/visits/mine.html", context)


# ---------------------------------------------------------------- planning, changing, cancelling


def _initial_from_query(request: HttpRequest, me) -> dict:
    """A visit planned from an open lesson's page (`?item=`) or a colleague's (`?visited=`)."""
    initial: dict = {}
    visited = _digits(request.GET.get("visited", ""))
    if visited is not None and visited != me.pk:
        initial["visited"] = visited
    item_id = _digits(request.GET.get("item", ""))
    item = selectors.visitable_items().filter(pk=item_id).first() if item_id is not None else None
    if item is not None:
        initial.update(item=item.pk, lesson=item.title[: services.LESSON_MAX])
        if item.author_id != me.pk:
            initial["visited"] = item.author_id
        if item.date >= timezone.localdate():
            initial["date"] = item.date
    return initial


def visit_add(request: HttpRequest) -> HttpResponse:
    _require(request, "experience.add_visit")
    me = _me(request)
    initial = _initial_from_query(request, me) if request.method == "GET" else {}
    form = VisitForm(request.POST or None, me=me, items=selectors.visitable_items(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_plan(visitor=me, **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The visit is planned. After the lesson, fill the observation on its page."))
            return redirect(visit)
    return render(
        request, "experience/visits/form.html", {"form": form, "cancel_url": reverse("experience:visit_mine")}
    )


def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visible_visit(request, pk)
    if not rules.has_perm("experience.change_visit", request.user, visit):
        if is_visitor(request.user, visit):
            messages.error(request, _("Only a planned visit can be changed."))
            return redirect(visit)
        raise PermissionDenied
    me = _me(request)
    form = VisitForm(request.POST or None, me=me, items=selectors.visitable_items(), visit=visit)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_update(visit=visit, by=me, **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(visit)
    return render(
        request, "experience/visits/form.html", {"form": form, "visit": visit, "cancel_url": visit.get_absolute_url()}
    )


@require_POST
def visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visible_visit(request, pk)
    if not is_visitor(request.user, visit):
        raise PermissionDenied
    _attempt(request, lambda: services.visit_cancel(visit=visit, by=_me(request)), _("The visit has been cancelled."))
    return redirect(visit)


# ---------------------------------------------------------------- a visit and its observation


def _ratings(visit: LessonVisit) -> list[tuple[str, int | None]]:
    ratings = visit.ratings if isinstance(visit.ratings, dict) else {}
    return [(str(label), ratings.get(name)) for name, label in VISIT_CRITERIA]


def _detail(request: HttpRequest, visit: LessonVisit, form: ObservationForm | None = None) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    can = {
        "change": rules.has_perm("experience.change_visit", user, visit),
        "cancel": rules.has_perm("experience.cancel_visit", user, visit),
        "fill": rules.has_perm("experience.fill_visit", user, visit),
        "own": rules.has_perm("experience.view_own_visits", user),
    }
    if form is None and can["fill"] and visit.date <= today:
        form = ObservationForm(visit=visit)
    ratings = _ratings(visit)
    given = [value for _label, value in ratings if isinstance(value, int)]
    context = {
        "visit": visit,
        "can": can,
        "form": form,
        "today": today,
        "show_goal": selectors.shows_goal(roles_of(user), visit),
        "ratings": ratings,
        "total": sum(given) if given else None,
        "maximum": len(VISIT_CRITERIA) * services.VISIT_RATING_MAX,
        "mine": is_visitor(user, visit),
    }
    return render(request, "experience/visits/detail.html", context)


@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible_visit(request, pk))


def visit_fill(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _visible_visit(request, pk)
    if not is_visitor(request.user, visit):
        raise PermissionDenied
    if request.method != "POST":
        return redirect(visit)
    form = ObservationForm(request.POST, visit=visit)
    if form.is_valid():
        try:
            services.visit_fill(visit=visit, by=_me(request), **form.service_kwargs())
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # the visit's state: said above the page
                _report(request, error)
                return redirect(visit)
            _report(request, error, form)
        else:
            messages.success(request, _("The observation is saved; the colleague sees it now."))
            return redirect(visit)
    return _detail(request, visit, form)


# ---------------------------------------------------------------- the visit log


def _log_filter(request: HttpRequest, day: datetime.date) -> tuple[VisitLogFilterForm, dict]:
    """The log's filters: those of the request; with none (a first visit, the menu's link), the current academic
    year — a log is a history of years, and «all years» or another year in the filter reaches the rest."""
    roles = roles_of(request.user)
    years = list(AcademicYear.objects.order_by("-start"))
    data = request.GET.copy()
    if not any(name in data for name in LOG_FILTERS):
        current = next((year for year in years if year.start <= day <= year.end), None)
        if current is not None:
            data["year"] = str(current.pk)
    form = VisitLogFilterForm(
        data or None, people=selectors.log_people(roles, day), units=selectors.log_units(roles, day), years=years
    )
    return form, form.filters() if data else {}


def _log_visits(request: HttpRequest, day: datetime.date):
    form, filters = _log_filter(request, day)
    visits = selectors.filter_visits(selectors.visits_visible_to(roles_of(request.user), day=day), day=day, **filters)
    return form, visits


@require_GET
def visit_log(request: HttpRequest) -> HttpResponse:
    _require(request, "experience.list_visits")
    today = timezone.localdate()
    form, visits = _log_visits(request, today)
    context = {
        "form": form,
        "page": _page(request, visits),
        "today": today,
        "query": form.data.urlencode() if form.is_bound else "",
        "chosen_person": form.filters()["person"],
        "everyone": selectors.sees_all_visits(roles_of(request.user)),
    }
    return render(request, "experience/visits/log.html", context)


def _text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def visits_headers() -> list[str]:
    return [
        _("Date"),
        _("Visitor"),
        _("Visited teacher"),
        _("Lesson (subject, topic)"),
        _("Group"),
        _("Open lesson"),
        _("Status"),
        _("Goal of the visit"),
        _("What worked"),
        _("What to adopt"),
        *[str(label) for _name, label in VISIT_CRITERIA],
        _("Total"),
        _("Observation filled at"),
    ]


_visit_status = choice_label("status", VisitStatus)


def visits_table_rows(visits, roles=None) -> Iterator[tuple]:
    """The visits, one line each, with the observation and the ratings; no cell a formula. With `roles` (the user
    exporting), the goal of a visit follows the visit's page (selectors.shows_goal): a head of an association exports
    the log with visits to their own lessons in it, and the goal of one still planned stays the visitor's."""
    criteria = [str(label) for _name, label in VISIT_CRITERIA]
    for visit in visits:
        ratings = dict(_ratings(visit))
        values = [ratings.get(label) for label in criteria]
        given = [value for value in values if isinstance(value, int)]
        filled = timezone.localtime(visit.filled_at).date() if visit.filled_at else ""
        yield (
            visit.date,
            visit.visitor.full_name,
            visit.visited.full_name,
            _text(visit.lesson),
            _text(visit.group),
            _text(visit.item.title) if visit.item else "",
            _visit_status(visit),
            _text(visit.goal) if roles is None or selectors.shows_goal(roles, visit) else "",
            _text(visit.worked),
            _text(visit.to_adopt),
            *[value if isinstance(value, int) else "" for value in values],
            sum(given) if given else "",
            filled,
        )


@require_GET
def visit_log_xlsx(request: HttpRequest) -> HttpResponse:
    """The log as filtered on the page: the same filters, every page."""
    _require(request, "experience.list_visits")
    today = timezone.localdate()
    _form, visits = _log_visits(request, today)
    return xlsx_response(
        f"Взаимопосещения_{today:%d.%m.%Y}.xlsx",
        sheet_title=_("Lesson visits"),
        headers=visits_headers(),
        rows=visits_table_rows(in_chunks(visits), roles_of(request.user)),
    )


# ---------------------------------------------------------------- adoptions


@require_POST
def adoption_mark(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ExperienceItem.objects.filter(status=ItemStatus.PUBLISHED), pk=pk)
    _require(request, "experience.adopt_item", item)
    form = AdoptionForm(request.POST)
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        _attempt(
            request,
            lambda: services.adoption_mark(item=item, person=_me(request), kind=kind, note=form.cleaned_data["note"]),
            _("Your mark is saved: it counts toward the dissemination of this experience."),
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect(safe_next(request) or item.get_absolute_url())


@require_POST
def adoption_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    adoption = get_object_or_404(Adoption.objects.select_related("item"), pk=pk)
    _require(request, "experience.withdraw_adoption", adoption)
    _attempt(
        request,
        lambda: services.adoption_withdraw(adoption=adoption, by=_me(request)),
        _("Your mark is withdrawn."),
    )
    return redirect(safe_next(request) or adoption.item.get_absolute_url())


# ---------------------------------------------------------------- «Распространение опыта»


#: The associations the chart shows at most: the most active ones (a region's hundred bars would be unreadable and
#: slow to draw); every association is in the tables.
CHART_UNITS = 15


def _chart_rows(report: selectors.Report) -> list:
    """The rows the chart draws: all of them up to CHART_UNITS, else the CHART_UNITS most active, in the table's
    order."""
    if len(report.rows) <= CHART_UNITS:
        return report.rows
    activity = sorted(report.rows, key=lambda row: -(row.items + row.lessons_visited + row.adopted + row.referenced))[
        :CHART_UNITS
    ]
    kept = {id(row) for row in activity}
    return [row for row in report.rows if id(row) in kept]


def _chart(report: selectors.Report) -> SafeString:
    rows = _chart_rows(report)
    return _drawn(
        labels=[row.unit.name if row.unit else "" for row in rows],
        items=[row.items for row in rows],
        visited=[row.lessons_visited for row in rows],
        marks=[row.adopted + row.referenced for row in rows],
        title=_("Dissemination of experience by association, %(year)s") % {"year": report.year.title},
    )


@kept
def _drawn(*, labels: list, items: list, visited: list, marks: list, title: str) -> SafeString:
    """The chart of the report's figures, drawn once per process for the same figures (common.charts.kept)."""
    chart = pygal.Bar(**chart_config(width=760, height=420, legend_at_bottom_columns=3, x_label_rotation=20))
    chart.x_labels = labels
    chart.add(_("Published items"), items)
    chart.add(_("Lessons visited"), visited)
    chart.add(_("Adoptions and references"), marks)
    return self_contained(chart.render(is_unicode=True), label=title)


def _default_year(years, today: datetime.date) -> AcademicYear | None:
    years = list(years)
    return next((y for y in years if y.start <= today <= y.end), years[0] if years else None)


@require_GET
def dissemination(request: HttpRequest) -> HttpResponse:
    _require(request, "experience.view_dissemination_report")
    roles, today = roles_of(request.user), timezone.localdate()
    years_query = selectors.report_years(day=today)
    years, units = list(years_query), list(selectors.report_unit_choices(roles))  # read once: form and report
    default = _default_year(years, today)
    year, unit, report, chart, tables = default, None, None, "", []
    form = DisseminationFilterForm(
        request.GET or None, years=years_query, year_list=years, units=units, initial={"year": default}
    )
    if request.GET and form.is_valid():
        year, unit = form.cleaned_data["year"], form.cleaned_data["unit"]
    if year is not None:
        report = selectors.dissemination_report(roles, year=year, unit=unit, units=units, years=years)
        chart = _chart(report) if report.rows else ""
        tables = [
            (_("Published items by kind"), "by-kind", report.rows_by_kind()),
            (_("Published items by level"), "by-level", report.rows_by_level()),
        ]
    context = {
        "form": form,
        "report": report,
        "chart": chart,
        "chart_cut": report is not None and len(report.rows) > CHART_UNITS,
        "chart_units": CHART_UNITS,
        "tables": tables,
        "today": today,
    }
    return render(request, "experience/visits/dissemination.html", context)


urls: list[URLPattern] = [
    path("visits/", visit_mine, name="visit_mine"),
    path("visits/new/", visit_add, name="visit_add"),
    path("visits/log/", visit_log, name="visit_log"),
    path("visits/log/export/", visit_log_xlsx, name="visit_log_xlsx"),
    path("visits/<int:pk>/", visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", visit_edit, name="visit_edit"),
    path("visits/<int:pk>/cancel/", visit_cancel, name="visit_cancel"),
    path("visits/<int:pk>/observation/", visit_fill, name="visit_fill"),
    path("adoptions/items/<int:pk>/", adoption_mark, name="adoption_mark"),
    path("adoptions/<int:pk>/withdraw/", adoption_withdraw, name="adoption_withdraw"),
    path("dissemination/", dissemination, name="dissemination"),
]
