"""Views of experience/: the experimental lab's work (regulation 4.5).

- The list of experiments the user may see (experience.selectors.lab.experiments_visible_to), the latest first,
  with the state of each (planned, in progress, completed) and whether its results are published.
- An experiment's page: the programme (topic, hypothesis, aim, base groups, period, the order that fixes it, linked
  where the user may open it), the stages, the indicators table (baseline, the value of each stage, the latest
  value, the target and the progress to it, in per cent of the way from the baseline in the direction of good), a
  chart per indicator (inline SVG: pygal through metodservice.common.charts), the results; for those who see it in
  full also the log of measurements and the change log. Its PDF (Russian) for the methodological council and the
  annual report, with the same charts.
- The forms: the programme (a new experiment, an edit, deleting one without measurements), a stage, an indicator,
  a measurement, the results; publishing and withdrawing the results.

An experiment out of the user's reach answers 404; an action the user may not take 403; a service's refusal is shown
on the form (or as a message for the buttons).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pygal
import rules
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from metodservice.common.charts import config as chart_config
from metodservice.common.charts import self_contained
from metodservice.common.documents import document_response
from metodservice.common.history import Related, history_rows
from metodservice.common.viewtools import attempt as _attempt
from metodservice.common.viewtools import page as _page
from metodservice.common.viewtools import report as _report
from metodservice.common.viewtools import require as _require
from structure.selectors import roles_of
from structure.viewtools import me as _me

from ..forms.lab import ExperimentForm, IndicatorForm, MeasurementForm, ResultsForm, StageForm, format_number
from ..models import Experiment, ExperimentStage, Indicator, Measurement
from ..selectors import lab as selectors
from ..services import lab as services

PLANNED, RUNNING, COMPLETED = "planned", "running", "completed"
STATES = {
    PLANNED: pgettext_lazy("experiment", "planned"),
    RUNNING: pgettext_lazy("experiment", "in progress"),
    COMPLETED: pgettext_lazy("experiment", "completed"),
}


def state_of(experiment: Experiment, today: datetime.date) -> str:
    if today < experiment.starts_on:
        return PLANNED
    if today > experiment.ends_on:
        return COMPLETED
    return RUNNING


# ---------------------------------------------------------------- fetching with the permission


def _visible(request: HttpRequest, pk: int, queryset=None) -> Experiment:
    experiment = get_object_or_404(
        queryset if queryset is not None else Experiment.objects.select_related("lab"), pk=pk
    )
    if not rules.has_perm("experience.view_experiment", request.user, experiment):
        raise Http404
    return experiment


def _editable(request: HttpRequest, pk: int) -> Experiment:
    experiment = _visible(request, pk)
    _require(request, "experience.change_experiment", experiment)
    return experiment


def _stage(request: HttpRequest, pk: int) -> ExperimentStage:
    stage = get_object_or_404(ExperimentStage.objects.select_related("experiment__lab"), pk=pk)
    if not rules.has_perm("experience.view_experiment", request.user, stage.experiment):
        raise Http404
    _require(request, "experience.change_experiment", stage.experiment)
    return stage


def _indicator(request: HttpRequest, pk: int) -> Indicator:
    indicator = get_object_or_404(Indicator.objects.select_related("experiment__lab"), pk=pk)
    if not rules.has_perm("experience.view_experiment", request.user, indicator.experiment):
        raise Http404
    _require(request, "experience.change_experiment", indicator.experiment)
    return indicator


def _detail_url(experiment: Experiment, anchor: str = "") -> str:
    url = reverse("experience:experiment_detail", kwargs={"pk": experiment.pk})
    return f"{url}#{anchor}" if anchor else url


# ---------------------------------------------------------------- the chart


def _chart_number(value: float | None) -> str:
    """A value as the chart's tooltips and axis print it: «72,5»."""
    return "" if value is None else format_number(Decimal(str(round(value, 2))))


@dataclass(frozen=True)
class ChartWords:
    """The words of a chart: the page's are translated, the PDF's are Russian (documents are not translated)."""

    stage: str
    value: str
    baseline: str
    target: str
    label: str  # the accessible name, with %(indicator)s


def page_words() -> ChartWords:
    return ChartWords(
        stage=_("Stage %(number)s"),
        value=_("Value"),
        baseline=_("Baseline"),
        target=_("Target"),
        label=_("%(indicator)s: the value at each stage against the baseline and the target"),
    )


PDF_WORDS = ChartWords(
    stage="Этап %(number)s",
    value="Значение",
    baseline="Базовое",
    target="Целевое",
    label="%(indicator)s: значение на каждом этапе, базовое и целевое значения",
)


def _chart_range(row: selectors.IndicatorRow) -> tuple[float, float]:
    """The y axis: the baseline, the target and every value, with a margin so that no line lies on the frame."""
    numbers = [float(row.indicator.baseline), float(row.indicator.target)]
    numbers += [float(m.value) for m in row.per_stage if m is not None]
    low, high = min(numbers), max(numbers)
    margin = (high - low) * 0.1 or 1.0
    return low - margin, high + margin


def indicator_chart(row: selectors.IndicatorRow, stages: list[ExperimentStage], words: ChartWords) -> SafeString:
    """One indicator over the stages: its value at each stage (the stage's latest measurement; a gap where none),
    with the baseline and the target as dashed lines. The numbers are in the table beside it."""
    indicator = row.indicator
    dots = len(stages) == 1  # a one-point line shows only as a dot
    chart = pygal.Line(
        **chart_config(
            width=560,
            height=320,
            dots_size=4,
            allow_interruptions=True,
            legend_at_bottom_columns=3,
            value_formatter=_chart_number,
            range=_chart_range(row),
        )
    )
    chart.x_labels = [words.stage % {"number": stage.position} for stage in stages]
    count = len(stages)
    chart.add(words.value, [float(m.value) if m is not None else None for m in row.per_stage])
    chart.add(words.baseline, [float(indicator.baseline)] * count, stroke_style={"dasharray": "8,4"}, show_dots=dots)
    chart.add(
        words.target,
        [float(indicator.target)] * count,
        stroke_style={"dasharray": "2,4", "width": 3},
        show_dots=dots,
    )
    return self_contained(chart.render(is_unicode=True), label=words.label % {"indicator": indicator.name})


def _board_context(request: HttpRequest, experiment: Experiment, words: ChartWords) -> dict:
    board = selectors.board(experiment)
    for row in board.rows:  # the numbers as the pages print them: «72,5»
        row.indicator.baseline_shown = format_number(row.indicator.baseline)
        row.indicator.target_shown = format_number(row.indicator.target)
    for measurement in board.log:
        measurement.shown = format_number(measurement.value)
    today = timezone.localdate()
    charts = [(row, indicator_chart(row, board.stages, words)) for row in board.rows] if board.stages else []
    return {
        "experiment": experiment,
        "board": board,
        "charts": charts,
        "today": today,
        "state": state_of(experiment, today),
        "state_label": STATES[state_of(experiment, today)],
        "current_stage": selectors.current_stage(board.stages, today),
        "full": rules.has_perm("experience.view_experiment_details", request.user, experiment),
    }


# ---------------------------------------------------------------- the list and the page


@require_GET
def experiment_list(request: HttpRequest) -> HttpResponse:
    _require(request, "experience.list_experiments")
    today = timezone.localdate()
    page = _page(request, selectors.experiment_list(roles_of(request.user)))
    for experiment in page:
        experiment.state = state_of(experiment, today)
        experiment.state_label = STATES[experiment.state]
    context = {
        "page": page,
        "today": today,
        "can_add": rules.has_perm("experience.add_experiment", request.user),
    }
    return render(request, "experience/lab/list.html", context)


@require_GET
def experiment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = _visible(request, pk, selectors.experiment_detail())
    context = _board_context(request, experiment, page_words())
    user = request.user
    context["can"] = {
        "change": rules.has_perm("experience.change_experiment", user, experiment),
        "delete": rules.has_perm("experience.delete_experiment", user, experiment),
        "measure": rules.has_perm("experience.add_measurement", user, experiment),
        "results": rules.has_perm("experience.write_results", user, experiment),
    }
    if context["full"]:
        board = context["board"]
        context["deletable"] = {m.pk for m in board.log if rules.has_perm("experience.delete_measurement", user, m)}
        context["history"] = history_rows(
            experiment,
            Related("stages", name="title"),
            Related("indicators", name="name"),
            Related("indicators__measurements", name="indicator"),
        )
    return render(request, "experience/lab/detail.html", context)


@require_GET
def experiment_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The experiment for the methodological council and the annual report: the programme, the stages, the
    indicators with the same charts as the page, the results (a draft is marked as one)."""
    experiment = _visible(request, pk, selectors.experiment_detail())
    context = _board_context(request, experiment, PDF_WORDS)
    context["college"] = settings.COLLEGE_NAME
    name = f"Эксперимент {experiment.topic[:80]} {experiment.starts_on:%Y}.pdf"
    return document_response(request, "experience/lab/experiment_pdf.html", context, name.replace("/", "-"))


# ---------------------------------------------------------------- the programme


def _form_page(request: HttpRequest, form, *, title: str, cancel: str, experiment=None, note: str = "", **extra):
    context = {"form": form, "title": title, "cancel_url": cancel, "experiment": experiment, "note": note, **extra}
    return render(request, "experience/lab/form.html", context)


def experiment_add(request: HttpRequest) -> HttpResponse:
    _require(request, "experience.add_experiment")
    me = _me(request)
    labs = selectors.labs_for_programme(roles_of(request.user))
    form = ExperimentForm(request.POST or None, labs=labs, orders=selectors.orders_for_labs(labs))
    if request.method == "POST" and form.is_valid():
        try:
            experiment = services.experiment_create(by=me, lab=form.cleaned_data["lab"], **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The experiment has been created: add its stages and indicators."))
            return redirect(experiment)
    note = "" if labs.exists() else _("There is no lab in the structure today whose programme you keep.")
    return _form_page(request, form, title=_("New experiment"), cancel=reverse("experience:experiment_list"), note=note)


def experiment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = _editable(request, pk)
    form = ExperimentForm(
        request.POST or None, orders=selectors.orders_for_labs([experiment.lab]), experiment=experiment
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.experiment_update(experiment=experiment, by=_me(request), **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(experiment)
    return _form_page(
        request, form, title=_("The programme of the experiment"), cancel=_detail_url(experiment), experiment=experiment
    )


def experiment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = _visible(request, pk)
    _require(request, "experience.delete_experiment", experiment)
    if request.method == "POST":
        try:
            services.experiment_delete(experiment=experiment, by=_me(request))
        except ValidationError as error:
            _report(request, error)
            return redirect(experiment)
        messages.success(request, _("The experiment has been deleted."))
        return redirect("experience:experiment_list")
    return render(request, "experience/lab/confirm_delete.html", {"experiment": experiment})


# ---------------------------------------------------------------- stages


def experiment_stage_add(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = _editable(request, pk)
    form = StageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_add(experiment=experiment, by=_me(request), **form.cleaned_data)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The stage has been added."))
            return redirect(_detail_url(experiment, "stages"))
    return _form_page(
        request, form, title=_("New stage"), cancel=_detail_url(experiment, "stages"), experiment=experiment
    )


def experiment_stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stage = _stage(request, pk)
    experiment = stage.experiment
    form = StageForm(request.POST or None, stage=stage)
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_update(stage=stage, by=_me(request), **form.cleaned_data)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(_detail_url(experiment, "stages"))
    return _form_page(
        request,
        form,
        title=_("Stage %(number)s") % {"number": stage.position},
        cancel=_detail_url(experiment, "stages"),
        experiment=experiment,
        delete_url=reverse("experience:experiment_stage_delete", kwargs={"pk": stage.pk}),
        delete_label=_("Delete the stage"),
    )


@require_POST
def experiment_stage_delete(request: HttpRequest, pk: int) -> HttpResponse:
    stage = _stage(request, pk)
    experiment = stage.experiment
    done = _attempt(
        request, lambda: services.stage_delete(stage=stage, by=_me(request)), _("The stage has been deleted.")
    )
    if done is None and ExperimentStage.objects.filter(pk=stage.pk).exists():
        return redirect("experience:experiment_stage_edit", pk=stage.pk)
    return redirect(_detail_url(experiment, "stages"))


# ---------------------------------------------------------------- indicators


def experiment_indicator_add(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = _editable(request, pk)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_add(experiment=experiment, by=_me(request), **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The indicator has been added."))
            return redirect(_detail_url(experiment, "indicators"))
    return _form_page(
        request, form, title=_("New indicator"), cancel=_detail_url(experiment, "indicators"), experiment=experiment
    )


def experiment_indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    experiment = indicator.experiment
    form = IndicatorForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(indicator=indicator, by=_me(request), **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(_detail_url(experiment, "indicators"))
    return _form_page(
        request,
        form,
        title=indicator.name,
        cancel=_detail_url(experiment, "indicators"),
        experiment=experiment,
        delete_url=reverse("experience:experiment_indicator_delete", kwargs={"pk": indicator.pk}),
        delete_label=_("Delete the indicator"),
    )


@require_POST
def experiment_indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    experiment = indicator.experiment
    done = _attempt(
        request,
        lambda: services.indicator_delete(indicator=indicator, by=_me(request)),
        _("The indicator has been deleted."),
    )
    if done is None and Indicator.objects.filter(pk=indicator.pk).exists():
        return redirect("experience:experiment_indicator_edit", pk=indicator.pk)
    return redirect(_detail_url(experiment, "indicators"))


# ---------------------------------------------------------------- measurements


def experiment_measurement_add(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = _visible(request, pk)
    _require(request, "experience.add_measurement", experiment)
    today = timezone.localdate()
    initial: dict = {}
    if experiment.starts_on <= today <= experiment.ends_on:
        initial["measured_on"] = today
    asked = request.GET.get("indicator", "")
    if asked.isascii() and asked.isdigit() and len(asked) < 10:
        initial["indicator"] = int(asked)
    form = MeasurementForm(request.POST or None, experiment=experiment, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            measurement = services.measurement_add(experiment=experiment, by=_me(request), **form.cleaned_data)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(
                request,
                _("The value has been recorded in the stage «%(stage)s».") % {"stage": measurement.stage.title},
            )
            return redirect(_detail_url(experiment, "indicators"))
    stages = list(experiment.stages.order_by("starts_on", "pk"))
    return _form_page(
        request,
        form,
        title=_("New measurement"),
        cancel=_detail_url(experiment, "indicators"),
        experiment=experiment,
        stages=stages,
    )


@require_POST
def experiment_measurement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator__experiment__lab", "entered_by"), pk=pk
    )
    experiment = measurement.indicator.experiment
    if not rules.has_perm("experience.view_experiment_details", request.user, experiment):
        raise Http404
    _require(request, "experience.delete_measurement", measurement)
    _attempt(
        request,
        lambda: services.measurement_delete(measurement=measurement, by=_me(request)),
        _("The measurement has been deleted."),
    )
    return redirect(_detail_url(experiment, "measurements"))


# ---------------------------------------------------------------- results


def experiment_results(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = _visible(request, pk)
    _require(request, "experience.write_results", experiment)
    form = ResultsForm(request.POST or None, initial={"results": experiment.results})
    if request.method == "POST" and form.is_valid():
        try:
            services.results_save(experiment=experiment, by=_me(request), results=form.cleaned_data["results"])
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The results have been saved."))
            return redirect(_detail_url(experiment, "results"))
    note = (
        _("The results are published: the staff see your changes at once.")
        if experiment.results_published
        else _("A draft: the lab and the methodological council see it; the staff, once you publish it.")
    )
    return _form_page(
        request,
        form,
        title=_("Results of the experiment"),
        cancel=_detail_url(experiment, "results"),
        experiment=experiment,
        note=note,
    )


@require_POST
def experiment_publish(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = _visible(request, pk)
    _require(request, "experience.write_results", experiment)
    _attempt(
        request,
        lambda: services.results_publish(experiment=experiment, by=_me(request)),
        _("The results have been published: every member of the staff sees the experiment now."),
    )
    return redirect(_detail_url(experiment, "results"))


@require_POST
def experiment_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = _visible(request, pk)
    _require(request, "experience.write_results", experiment)
    _attempt(
        request,
        lambda: services.results_unpublish(experiment=experiment, by=_me(request)),
        _("The results have been withdrawn: only the lab and the methodological council see the experiment now."),
    )
    return redirect(_detail_url(experiment, "results"))


urls: list[URLPattern] = [
    path("experiments/", experiment_list, name="experiment_list"),
    path("experiments/new/", experiment_add, name="experiment_add"),
    path("experiments/<int:pk>/", experiment_detail, name="experiment_detail"),
    path("experiments/<int:pk>/experiment.pdf", experiment_pdf, name="experiment_pdf"),
    path("experiments/<int:pk>/edit/", experiment_edit, name="experiment_edit"),
    path("experiments/<int:pk>/delete/", experiment_delete, name="experiment_delete"),
    path("experiments/<int:pk>/stages/new/", experiment_stage_add, name="experiment_stage_add"),
    path("experiments/stages/<int:pk>/", experiment_stage_edit, name="experiment_stage_edit"),
    path("experiments/stages/<int:pk>/delete/", experiment_stage_delete, name="experiment_stage_delete"),
    path("experiments/<int:pk>/indicators/new/", experiment_indicator_add, name="experiment_indicator_add"),
    path("experiments/indicators/<int:pk>/", experiment_indicator_edit, name="experiment_indicator_edit"),
    path("experiments/indicators/<int:pk>/delete/", experiment_indicator_delete, name="experiment_indicator_delete"),
    path("experiments/<int:pk>/measurements/new/", experiment_measurement_add, name="experiment_measurement_add"),
    path(
        "experiments/measurements/<int:pk>/delete/",
        experiment_measurement_delete,
        name="experiment_measurement_delete",
    ),
    path("experiments/<int:pk>/results/", experiment_results, name="experiment_results"),
    path("experiments/<int:pk>/results/publish/", experiment_publish, name="experiment_publish"),
    path("experiments/<int:pk>/results/withdraw/", experiment_unpublish, name="experiment_unpublish"),
]
