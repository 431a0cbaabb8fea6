"""The experimental lab's work (regulation 4.5: «внедрения эксперимента и отслеживания его результативности»): the
experiment's programme, its stages and indicators, the measurements and the results.

Who may call which is the rules' business (experience/rules/lab.py); these functions check it once more against
the structure of the day, check the data, lock the experiment while they change it or what hangs off it (so two
writes to one experiment run one after the other), and refuse with a ValidationError carrying a code, writing
nothing:

- who: `not_programme_editor` (the programme, its stages and indicators are kept by the lab's head, the methodist
  or the deputy), `not_lab_member` (a measurement is entered by a member of the lab on the day of the measurement,
  external researchers included, or by the lab's head), `not_measurement_author` (a measurement is deleted by the
  person who entered it while they are in the lab, or by the lab's head), `not_lab_head` (the results are written
  and published by the lab's head);
- the programme: `required`; `not_a_lab` (the unit is not an experimental lab), `lab_not_active` (the lab is not in
  the structure today); `ends_before_start`; `before_lab` (the experiment starts before the lab was created);
  `order_not_for_lab` (the order fixing the programme must be a signed order that acts on this lab: creates it,
  appoints its head, includes its members…); `stage_outside_period`, `outside_period` (a changed period must still
  hold the stages and the measurements); `experiment_has_measurements` (an experiment with data is not deleted);
- stages: `ends_before_start`, `stage_outside_period` (a stage lies inside the experiment's period),
  `stages_overlap` (stages never overlap: a measurement belongs to exactly one; they are numbered by their dates),
  `measurements_outside_stage` (new dates must still hold the stage's measurements), `stage_has_measurements`;
- indicators: `required`, `target_wrong_side` (the target lies beyond the baseline in the direction of good: above
  it when more is better, below it when less is), `indicator_duplicate`, `indicator_has_measurements`; the numbers'
  own codes (`invalid`, `max_digits`, `max_decimal_places`, `max_whole_digits`);
- measurements: `indicator_not_in_experiment`, `outside_period` (the date lies inside the experiment's period),
  `measured_in_future`, `no_stage` (no stage holds the date), `measurement_duplicate` (one value of an indicator
  per day);
- results: `results_empty` (nothing to publish; published results are not emptied).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from structure.models import Order, Person, SystemRole, Unit, UnitKind

from ..models import Experiment, ExperimentStage, Indicator, Measurement
from ..selectors.lab import heads_on, is_member_on, order_acts_on_lab

Errors = dict[str, list[ValidationError]]


def _line(value: str | None) -> str:
    """A one-line text: spaces collapsed."""
    return " ".join((value or "").split())


def _text(value: str | None) -> str:
    return (value or "").strip()


def _date(value: datetime.date) -> str:
    return f"{value:%d.%m.%Y}"


def _refuse(errors: Errors, field: str, message: str, code: str) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=code))


def _raise(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


# ---------------------------------------------------------------- who


def _edits_every_programme(person: Person) -> bool:
    position = person.position
    return (
        not person.is_external
        and position is not None
        and position.system_role in {SystemRole.METHODIST, SystemRole.DEPUTY}
    )


def _check_editor(person: Person, lab: Unit, today: datetime.date) -> None:
    if _edits_every_programme(person) or heads_on(person.pk, lab.pk, today):
        return
    raise ValidationError(
        _("The programme of an experiment is kept by the lab's head, the methodist or the deputy."),
        code="not_programme_editor",
    )


def _check_head(person: Person, lab: Unit, today: datetime.date) -> None:
    if not heads_on(person.pk, lab.pk, today):
        raise ValidationError(_("The results are written and published by the lab's head."), code="not_lab_head")


def _locked(experiment: Experiment) -> Experiment:
    """The experiment, locked: every write to it or to what hangs off it takes this lock first."""
    return Experiment.objects.select_for_update(of=("self",)).select_related("lab").get(pk=experiment.pk)


# ---------------------------------------------------------------- the programme


def _programme_data(
    *,
    topic: str,
    hypothesis: str,
    aim: str,
    base_groups: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    order: Order | None,
) -> dict[str, Any]:
    return {
        "topic": _line(topic),
        "hypothesis": _text(hypothesis),
        "aim": _text(aim),
        "base_groups": _line(base_groups),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "order": order,
    }


def _check_programme(data: dict[str, Any], lab: Unit) -> Errors:
    errors: Errors = {}
    for name, message in (
        ("topic", _("Enter the topic of the experiment.")),
        ("hypothesis", _("Enter the hypothesis of the experiment.")),
        ("aim", _("Enter the aim of the experiment.")),
    ):
        if not data[name]:
            _refuse(errors, name, message, "required")
    starts_on, ends_on = data["starts_on"], data["ends_on"]
    if starts_on is None:
        _refuse(errors, "starts_on", _("Enter the first day of the experiment."), "required")
    if ends_on is None:
        _refuse(errors, "ends_on", _("Enter the last day of the experiment."), "required")
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        _refuse(errors, "ends_on", _("The experiment cannot end before it starts."), "ends_before_start")
    if starts_on is not None and lab.created_on is not None and starts_on < lab.created_on:
        _refuse(
            errors,
            "starts_on",
            _("The lab was created on %(date)s: its experiment cannot start earlier.")
            % {"date": _date(lab.created_on)},
            "before_lab",
        )
    order = data["order"]
    if order is not None and not order_acts_on_lab(order, lab):
        _refuse(
            errors,
            "order",
            _(
                "Choose a signed order that acts on this lab (creates it, appoints its head, includes its members…): "
                "this one does not."
            ),
            "order_not_for_lab",
        )
    return errors


@transaction.atomic
def experiment_create(
    *,
    by: Person,
    lab: Unit | None,
    topic: str,
    hypothesis: str,
    aim: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    base_groups: str = "",
    order: Order | None = None,
    today: datetime.date | None = None,
) -> Experiment:
    """A new experiment of `lab` (a lab active today) with its programme; stages and indicators are added after."""
    today = _today(today)
    if lab is None:
        raise ValidationError({"lab": ValidationError(_("Choose the lab."), code="required")})
    lab = Unit.objects.get(pk=lab.pk)  # as it is now
    if lab.kind != UnitKind.LAB:
        raise ValidationError({"lab": ValidationError(_("Choose an experimental lab."), code="not_a_lab")})
    if not lab.is_active_on(today):
        raise ValidationError(
            {"lab": ValidationError(_("The lab is not in the structure today."), code="lab_not_active")}
        )
    _check_editor(by, lab, today)
    data = _programme_data(
        topic=topic,
        hypothesis=hypothesis,
        aim=aim,
        base_groups=base_groups,
        starts_on=starts_on,
        ends_on=ends_on,
        order=order,
    )
    _raise(_check_programme(data, lab))
    experiment = Experiment(lab=lab, created_by=by, **data)
    experiment.full_clean(exclude=["lab", "order", "created_by"])
    experiment.save()
    return experiment


@transaction.atomic
def experiment_update(
    *,
    experiment: Experiment,
    by: Person,
    topic: str,
    hypothesis: str,
    aim: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    base_groups: str = "",
    order: Order | None = None,
    today: datetime.date | None = None,
) -> Experiment:
    """Change the programme. A new period must still hold the stages and the measurements. Once an order fixes the
    programme, it changes only with another signed order on the lab (`programme_fixed`): what the order approved is
    what the page and the PDF print under it."""
    today = _today(today)
    experiment = _locked(experiment)
    _check_editor(by, experiment.lab, today)
    data = _programme_data(
        topic=topic,
        hypothesis=hypothesis,
        aim=aim,
        base_groups=base_groups,
        starts_on=starts_on,
        ends_on=ends_on,
        order=order,
    )
    errors = _check_programme(data, experiment.lab)
    fixed_by = experiment.order
    if not errors and fixed_by is not None:
        # The order fixed the programme: a change (or dropping the order) needs another signed order on the lab.
        changed = any(getattr(experiment, name) != value for name, value in data.items() if name != "order")
        same_order = data["order"] is not None and data["order"].pk == fixed_by.pk
        if data["order"] is None or (changed and same_order):
            _refuse(
                errors,
                "order",
                _(
                    "The programme is fixed by order No. %(number)s: to change it, choose the later signed order "
                    "on the lab that changes it."
                )
                % {"number": fixed_by.registration_number},
                "programme_fixed",
            )
    if not errors:
        start, end = data["starts_on"], data["ends_on"]
        outside = experiment.stages.exclude(starts_on__gte=start, ends_on__lte=end).order_by("starts_on").first()
        if outside is not None:
            _refuse(
                errors,
                "starts_on" if outside.starts_on < start else "ends_on",
                _("The stage «%(stage)s» (%(start)s – %(end)s) would fall outside the period: change it first.")
                % {"stage": outside.title, "start": _date(outside.starts_on), "end": _date(outside.ends_on)},
                "stage_outside_period",
            )
        measured = Measurement.objects.filter(indicator__experiment=experiment).exclude(
            measured_on__gte=start, measured_on__lte=end
        )
        if measured.exists():
            _refuse(
                errors,
                "ends_on",
                _("Some measurements would fall outside the period: delete them first or keep their dates inside."),
                "outside_period",
            )
    _raise(errors)
    for name, value in data.items():
        setattr(experiment, name, value)
    experiment.full_clean(exclude=["lab", "order", "created_by"])
    experiment.save()
    return experiment


@transaction.atomic
def experiment_delete(*, experiment: Experiment, by: Person, today: datetime.date | None = None) -> None:
    """Delete an experiment entered by mistake: only while it has no measurements (its stages and indicators go with
    it)."""
    today = _today(today)
    experiment = _locked(experiment)
    _check_editor(by, experiment.lab, today)
    if Measurement.objects.filter(indicator__experiment=experiment).exists():
        raise ValidationError(
            _("The experiment has measurements: it is kept. Delete the measurements first if they were mistakes."),
            code="experiment_has_measurements",
        )
    experiment.delete()  # its stages and indicators with it


# ---------------------------------------------------------------- stages


def _renumber(experiment: Experiment) -> None:
    """Stages are numbered by their dates (1, 2, 3…). The number follows from the dates, so it is written without a
    row in the change log."""
    for position, (pk, current) in enumerate(
        experiment.stages.order_by("starts_on", "pk").values_list("pk", "position"), start=1
    ):
        if current != position:
            ExperimentStage.objects.filter(pk=pk).update(position=position)


def _check_stage(
    experiment: Experiment,
    *,
    title: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    exclude: int | None = None,
) -> Errors:
    errors: Errors = {}
    if not title:
        _refuse(errors, "title", _("Enter the name of the stage."), "required")
    if starts_on is None:
        _refuse(errors, "starts_on", _("Enter the first day of the stage."), "required")
    if ends_on is None:
        _refuse(errors, "ends_on", _("Enter the last day of the stage."), "required")
    if starts_on is None or ends_on is None:
        return errors
    if ends_on < starts_on:
        _refuse(errors, "ends_on", _("The stage cannot end before it starts."), "ends_before_start")
        return errors
    if starts_on < experiment.starts_on or ends_on > experiment.ends_on:
        _refuse(
            errors,
            "starts_on" if starts_on < experiment.starts_on else "ends_on",
            _("A stage lies inside the experiment's period, %(start)s – %(end)s.")
            % {"start": _date(experiment.starts_on), "end": _date(experiment.ends_on)},
            "stage_outside_period",
        )
    others = experiment.stages.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    overlapping = others.order_by("starts_on").first()
    if overlapping is not None:
        _refuse(
            errors,
            "starts_on",
            _("The dates overlap the stage «%(stage)s» (%(start)s – %(end)s): stages follow one another.")
            % {"stage": overlapping.title, "start": _date(overlapping.starts_on), "end": _date(overlapping.ends_on)},
            "stages_overlap",
        )
    return errors


@transaction.atomic
def stage_add(
    *,
    experiment: Experiment,
    by: Person,
    title: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    today: datetime.date | None = None,
) -> ExperimentStage:
    experiment = _locked(experiment)
    _check_editor(by, experiment.lab, _today(today))
    title = _line(title)
    _raise(_check_stage(experiment, title=title, starts_on=starts_on, ends_on=ends_on))
    assert starts_on is not None and ends_on is not None  # refused above
    stage = ExperimentStage(experiment=experiment, title=title, starts_on=starts_on, ends_on=ends_on, position=0)
    stage.full_clean(exclude=["experiment"])
    stage.save()
    _renumber(experiment)
    stage.refresh_from_db(fields=["position"])
    return stage


@transaction.atomic
def stage_update(
    *,
    stage: ExperimentStage,
    by: Person,
    title: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    today: datetime.date | None = None,
) -> ExperimentStage:
    experiment = _locked(stage.experiment)
    _check_editor(by, experiment.lab, _today(today))
    stage = ExperimentStage.objects.select_for_update().get(pk=stage.pk, experiment=experiment)
    title = _line(title)
    errors = _check_stage(experiment, title=title, starts_on=starts_on, ends_on=ends_on, exclude=stage.pk)
    if not errors:
        outside = stage.measurements.exclude(measured_on__gte=starts_on, measured_on__lte=ends_on)
        if outside.exists():
            _refuse(
                errors,
                "starts_on",
                _(
                    "The stage has measurements outside these dates: keep them inside, or delete the measurements "
                    "first."
                ),
                "measurements_outside_stage",
            )
    _raise(errors)
    assert starts_on is not None and ends_on is not None  # refused above
    stage.title, stage.starts_on, stage.ends_on = title, starts_on, ends_on
    stage.full_clean(exclude=["experiment"])
    stage.save()
    _renumber(experiment)
    stage.refresh_from_db(fields=["position"])
    return stage


@transaction.atomic
def stage_delete(*, stage: ExperimentStage, by: Person, today: datetime.date | None = None) -> None:
    experiment = _locked(stage.experiment)
    _check_editor(by, experiment.lab, _today(today))
    stage = ExperimentStage.objects.select_for_update().get(pk=stage.pk, experiment=experiment)
    if stage.measurements.exists():
        raise ValidationError(
            _("The stage has measurements: it is kept. Delete them first if they were mistakes."),
            code="stage_has_measurements",
        )
    stage.delete()
    _renumber(experiment)


# ---------------------------------------------------------------- indicators


def _number(value) -> Decimal | None:
    """A finite Decimal, or None for nothing; anything else is refused by the caller as `invalid`."""
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("Enter a number."), code="invalid") from None
    if not number.is_finite():
        raise ValidationError(_("Enter a number."), code="invalid")
    return number


def _check_indicator(
    experiment: Experiment,
    *,
    name: str,
    baseline,
    target,
    higher_is_better: bool,
    exclude: int | None = None,
) -> tuple[Errors, Decimal | None, Decimal | None]:
    errors: Errors = {}
    if not name:
        _refuse(errors, "name", _("Enter the name of the indicator."), "required")
    numbers: dict[str, Decimal | None] = {}
    for field, value, message in (
        ("baseline", baseline, _("Enter the baseline: the value before the experiment.")),
        ("target", target, _("Enter the target value.")),
    ):
        try:
            numbers[field] = _number(value)
        except ValidationError as error:
            errors.setdefault(field, []).append(error)
            numbers[field] = None
            continue
        if numbers[field] is None:
            _refuse(errors, field, message, "required")
    base, goal = numbers["baseline"], numbers["target"]
    if base is not None and goal is not None:
        if higher_is_better and goal <= base:
            _refuse(
                errors,
                "target",
                _("More is better for this indicator: the target must be above the baseline."),
                "target_wrong_side",
            )
        elif not higher_is_better and goal >= base:
            _refuse(
                errors,
                "target",
                _("Less is better for this indicator: the target must be below the baseline."),
                "target_wrong_side",
            )
    if name:
        same = experiment.indicators.all()
        if exclude is not None:
            same = same.exclude(pk=exclude)
        folded = name.casefold()
        if any(other.casefold() == folded for other in same.values_list("name", flat=True)):
            _refuse(errors, "name", _("The experiment already has an indicator with this name."), "indicator_duplicate")
    return errors, base, goal


@transaction.atomic
def indicator_add(
    *,
    experiment: Experiment,
    by: Person,
    name: str,
    baseline,
    target,
    higher_is_better: bool = True,
    unit: str = "",
    today: datetime.date | None = None,
) -> Indicator:
    experiment = _locked(experiment)
    _check_editor(by, experiment.lab, _today(today))
    name = _line(name)
    errors, base, goal = _check_indicator(
        experiment, name=name, baseline=baseline, target=target, higher_is_better=higher_is_better
    )
    _raise(errors)
    assert base is not None and goal is not None  # refused above
    last = experiment.indicators.aggregate(last=Max("position"))["last"] or 0
    indicator = Indicator(
        experiment=experiment,
        position=last + 1,
        name=name,
        unit=_line(unit),
        baseline=base,
        target=goal,
        higher_is_better=bool(higher_is_better),
    )
    indicator.full_clean(exclude=["experiment"])
    indicator.save()
    return indicator


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    by: Person,
    name: str,
    baseline,
    target,
    higher_is_better: bool = True,
    unit: str = "",
    today: datetime.date | None = None,
) -> Indicator:
    experiment = _locked(indicator.experiment)
    _check_editor(by, experiment.lab, _today(today))
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk, experiment=experiment)
    name = _line(name)
    errors, base, goal = _check_indicator(
        experiment,
        name=name,
        baseline=baseline,
        target=target,
        higher_is_better=higher_is_better,
        exclude=indicator.pk,
    )
    _raise(errors)
    assert base is not None and goal is not None  # refused above
    indicator.name, indicator.unit = name, _line(unit)
    indicator.baseline, indicator.target, indicator.higher_is_better = base, goal, bool(higher_is_better)
    indicator.full_clean(exclude=["experiment"])
    indicator.save()
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by: Person, today: datetime.date | None = None) -> None:
    experiment = _locked(indicator.experiment)
    _check_editor(by, experiment.lab, _today(today))
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk, experiment=experiment)
    if indicator.measurements.exists():
        raise ValidationError(
            _("The indicator has measurements: it is kept. Delete them first if they were mistakes."),
            code="indicator_has_measurements",
        )
    indicator.delete()


# ---------------------------------------------------------------- measurements


@transaction.atomic
def measurement_add(
    *,
    experiment: Experiment,
    by: Person,
    indicator: Indicator | None,
    value,
    measured_on: datetime.date | None,
    source: str = "",
    today: datetime.date | None = None,
) -> Measurement:
    """A value of one of the experiment's indicators on a day of its period, entered by a member of the lab on
    that day (the lab's head today may enter any); it goes to the stage whose dates hold the day."""
    today = _today(today)
    experiment = _locked(experiment)
    if indicator is None:
        raise ValidationError({"indicator": ValidationError(_("Choose the indicator."), code="required")})
    if indicator.experiment_id != experiment.pk:
        raise ValidationError(
            {
                "indicator": ValidationError(
                    _("The indicator belongs to another experiment."), code="indicator_not_in_experiment"
                )
            }
        )
    errors: Errors = {}
    try:
        number = _number(value)
    except ValidationError as error:
        errors["value"] = [error]
        number = None
    else:
        if number is None:
            _refuse(errors, "value", _("Enter the value."), "required")
    if measured_on is None:
        _refuse(errors, "measured_on", _("Enter the date of the measurement."), "required")
    elif not experiment.starts_on <= measured_on <= experiment.ends_on:
        _refuse(
            errors,
            "measured_on",
            _("The date lies outside the experiment's period, %(start)s – %(end)s.")
            % {"start": _date(experiment.starts_on), "end": _date(experiment.ends_on)},
            "outside_period",
        )
    elif measured_on > today:
        _refuse(errors, "measured_on", _("A measurement is entered once it has been made."), "measured_in_future")
    _raise(errors)
    assert measured_on is not None and number is not None  # for the type checker: refused above
    if not (is_member_on(by.pk, experiment.lab_id, measured_on) or heads_on(by.pk, experiment.lab_id, today)):
        raise ValidationError(
            _(
                "Measurements are entered by the members of the lab, its researchers included, on the day of the "
                "measurement: you were not a member of the lab on %(date)s."
            )
            % {"date": _date(measured_on)},
            code="not_lab_member",
        )
    stage = experiment.stages.filter(starts_on__lte=measured_on, ends_on__gte=measured_on).first()
    if stage is None:
        raise ValidationError(
            {
                "measured_on": ValidationError(
                    _("No stage of the experiment holds %(date)s: add the stage first or check the date.")
                    % {"date": _date(measured_on)},
                    code="no_stage",
                )
            }
        )
    if indicator.measurements.filter(measured_on=measured_on).exists():
        raise ValidationError(
            {
                "measured_on": ValidationError(
                    _("The indicator already has a value on %(date)s: delete it first if it was a mistake.")
                    % {"date": _date(measured_on)},
                    code="measurement_duplicate",
                )
            }
        )
    measurement = Measurement(
        indicator=indicator,
        stage=stage,
        value=number,
        measured_on=measured_on,
        source=_line(source),
        entered_by=by,
    )
    measurement.full_clean(exclude=["indicator", "stage", "entered_by"])
    measurement.save()
    return measurement


@transaction.atomic
def measurement_delete(*, measurement: Measurement, by: Person, today: datetime.date | None = None) -> None:
    """Delete a measurement entered by mistake: the person who entered it (while in the lab) or the lab's head. The
    change log keeps it."""
    today = _today(today)
    experiment = _locked(measurement.indicator.experiment)
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    author = measurement.entered_by_id == by.pk and is_member_on(by.pk, experiment.lab_id, today)
    if not (author or heads_on(by.pk, experiment.lab_id, today)):
        raise ValidationError(
            _("A measurement is deleted by the person who entered it or by the lab's head."),
            code="not_measurement_author",
        )
    measurement.delete()


# ---------------------------------------------------------------- results


@transaction.atomic
def results_save(*, experiment: Experiment, by: Person, results: str, today: datetime.date | None = None) -> Experiment:
    """The lab's head writes the results (a draft until published; published results can be corrected)."""
    experiment = _locked(experiment)
    _check_head(by, experiment.lab, _today(today))
    results = _text(results)
    if experiment.results_published and not results:
        raise ValidationError(
            {
                "results": ValidationError(
                    _("The results are published: withdraw them before emptying the text."), code="results_empty"
                )
            }
        )
    experiment.results = results
    experiment.save()
    return experiment


@transaction.atomic
def results_publish(*, experiment: Experiment, by: Person, today: datetime.date | None = None) -> Experiment:
    """Publish the results: every member of the staff sees the experiment from now on."""
    experiment = _locked(experiment)
    _check_head(by, experiment.lab, _today(today))
    if not experiment.results.strip():
        raise ValidationError(_("Write the results before publishing them."), code="results_empty")
    if not experiment.results_published:
        experiment.results_published = True
        experiment.save()
    return experiment


@transaction.atomic
def results_unpublish(*, experiment: Experiment, by: Person, today: datetime.date | None = None) -> Experiment:
    """Withdraw the results: the experiment is seen by the lab and the council only again."""
    experiment = _locked(experiment)
    _check_head(by, experiment.lab, _today(today))
    if experiment.results_published:
        experiment.results_published = False
        experiment.save()
    return experiment
