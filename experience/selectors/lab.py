"""Reads of the experimental lab's work (regulation 4.5): who sees which experiment, the experiment's board (its
stages and, per indicator, the value of each stage, the latest value and the progress to the target), the orders
that may fix a programme, the annual report's rows and what waits for the lab's head.

Who sees an experiment (experience/rules/lab.py asks `sees_fully` and `sees` for one experiment,
`experiments_visible_to` lists the same as a query):

- everything of every experiment: the administrator, the director, the deputy, the methodist and the members of the
  methodological council (any role in it) today;
- everything of their lab's experiments: the lab's members today, its head and the external researchers included;
- other staff: an experiment once its results are published (the programme, the indicators, the chart and the
  results; not the log of measurements nor the change log);
- an external researcher of another lab (anyone outside the staff): nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from structure.models import MemberRole, Membership, Order, OrderStatus, Unit, UnitKind
from structure.selectors import Roles

from ..models import Experiment, ExperimentStage, Indicator, Measurement

# ---------------------------------------------------------------- who sees what


def labs_of(roles: Roles) -> set[int]:
    """The labs the user belongs to today, in any role."""
    return {unit_id for unit_id, (kind, _role) in roles.units.items() if kind == UnitKind.LAB}


def headed_labs(roles: Roles) -> set[int]:
    """The labs the user heads today."""
    return {
        unit_id for unit_id, (kind, role) in roles.units.items() if kind == UnitKind.LAB and role == MemberRole.HEAD
    }


def on_council(roles: Roles) -> bool:
    return any(kind == UnitKind.COUNCIL for kind, _role in roles.units.values())


def sees_every_experiment(roles: Roles) -> bool:
    """Management, the administrator and the methodological council see every experiment in full."""
    return roles.is_admin or roles.is_director or roles.is_deputy or roles.is_methodist or on_council(roles)


def edits_every_programme(roles: Roles) -> bool:
    """The methodist and the deputy keep the programme of any lab's experiment (the lab's head, their lab's)."""
    return roles.is_methodist or roles.is_deputy


def sees_fully(roles: Roles, experiment: Experiment) -> bool:
    return sees_every_experiment(roles) or experiment.lab_id in labs_of(roles)


def sees(roles: Roles, experiment: Experiment) -> bool:
    return sees_fully(roles, experiment) or (roles.is_staff_member and experiment.results_published)


def experiments_visible_to(roles: Roles) -> QuerySet[Experiment]:
    """The experiments the user may open (the same answer as `sees`), with their lab."""
    experiments = Experiment.objects.select_related("lab")
    if sees_every_experiment(roles):
        return experiments
    if roles.person is None:
        return experiments.none()
    visible = Q(lab_id__in=labs_of(roles))
    if roles.is_staff_member:
        visible |= Q(results_published=True)
    return experiments.filter(visible)


def experiment_list(roles: Roles) -> QuerySet[Experiment]:
    """The list page: the visible experiments with how many stages, indicators and measurements each has; the
    latest first. One query per page (the counts are subqueries)."""
    return experiments_visible_to(roles).annotate(
        stage_count=_count(ExperimentStage.objects.filter(experiment_id=OuterRef("pk")), "experiment_id"),
        indicator_count=_count(Indicator.objects.filter(experiment_id=OuterRef("pk")), "experiment_id"),
        measurement_count=_count(
            Measurement.objects.filter(indicator__experiment_id=OuterRef("pk")), "indicator__experiment_id"
        ),
    )


def _count(queryset: QuerySet, group: str):
    """COUNT(*) of `queryset` as a correlated subquery (0 when empty): no join multiplies the list's rows."""
    counted = queryset.order_by().values(group).annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted), 0)


# ---------------------------------------------------------------- the experiment's board


def experiment_detail() -> QuerySet[Experiment]:
    """An experiment with everything its page and its PDF print: four queries whatever the numbers of stages,
    indicators and measurements."""
    return Experiment.objects.select_related("lab", "order", "created_by").prefetch_related(
        Prefetch("stages", queryset=ExperimentStage.objects.order_by("starts_on", "pk")),
        Prefetch(
            "indicators",
            queryset=Indicator.objects.order_by("position", "pk").prefetch_related(
                Prefetch(
                    "measurements",
                    queryset=Measurement.objects.select_related("entered_by").order_by("measured_on", "pk"),
                )
            ),
        ),
    )


def progress(baseline: Decimal, target: Decimal, value: Decimal | None) -> Decimal | None:
    """How far `value` has come from the baseline towards the target, in per cent of the way (0 at the baseline,
    100 at the target, below 0 when it went the wrong way, above 100 past the target). The direction of good is in
    the sign of target − baseline (a target below the baseline when less is better), so one formula serves both.
    None without a value, or when the target equals the baseline (no way to go)."""
    span = target - baseline
    if value is None or not span:
        return None
    return (value - baseline) / span * 100


@dataclass
class IndicatorRow:
    indicator: Indicator
    #: The value of each stage (its latest measurement in the stage's dates), aligned with Board.stages.
    per_stage: list[Measurement | None]
    latest: Measurement | None
    measurements: list[Measurement]

    @property
    def progress(self) -> Decimal | None:
        latest = self.latest.value if self.latest is not None else None
        return progress(self.indicator.baseline, self.indicator.target, latest)

    @property
    def progress_percent(self) -> int | None:
        value = self.progress
        return None if value is None else int(value.to_integral_value())

    @property
    def progress_bar(self) -> int:
        """The progress clamped to 0–100, for a <progress> element (the number beside it says the truth)."""
        value = self.progress_percent
        return 0 if value is None else max(0, min(100, value))

    @property
    def reached(self) -> bool:
        value = self.progress
        return value is not None and value >= 100


@dataclass
class Board:
    experiment: Experiment
    stages: list[ExperimentStage]
    rows: list[IndicatorRow]
    #: Every measurement, the latest first (the log of the page).
    log: list[Measurement] = field(default_factory=list)

    @property
    def has_values(self) -> bool:
        return any(row.latest is not None for row in self.rows)


def board(experiment: Experiment) -> Board:
    """The board of an experiment read with `experiment_detail()` (no query more)."""
    stages = list(experiment.stages.all())
    stage_by_pk = {stage.pk: stage for stage in stages}
    rows = []
    log: list[Measurement] = []
    for indicator in experiment.indicators.all():
        measurements = list(indicator.measurements.all())  # by date, then entry
        by_stage: dict[int, Measurement] = {}
        for measurement in measurements:
            measurement.indicator = indicator  # the log names them without a query
            measurement.stage = stage_by_pk.get(measurement.stage_id) if measurement.stage_id else None
            if measurement.stage_id is not None:
                by_stage[measurement.stage_id] = measurement  # the latest one of the stage wins
        rows.append(
            IndicatorRow(
                indicator=indicator,
                per_stage=[by_stage.get(stage.pk) for stage in stages],
                latest=measurements[-1] if measurements else None,
                measurements=measurements,
            )
        )
        log.extend(measurements)
    log.sort(key=lambda m: (m.measured_on, m.pk), reverse=True)
    return Board(experiment=experiment, stages=stages, rows=rows, log=log)


def stage_of(experiment: Experiment, day: datetime.date) -> ExperimentStage | None:
    """The stage whose dates hold `day` (stages never overlap)."""
    return experiment.stages.filter(starts_on__lte=day, ends_on__gte=day).order_by("starts_on", "pk").first()


def current_stage(stages: list[ExperimentStage], day: datetime.date) -> ExperimentStage | None:
    return next((stage for stage in stages if stage.starts_on <= day <= stage.ends_on), None)


# ---------------------------------------------------------------- the programme's choices


def labs_for_programme(roles: Roles, day: datetime.date | None = None) -> QuerySet[Unit]:
    """The labs active on `day` (today) whose programme the user may keep: every lab for the methodist and the
    deputy, the labs they head for a lab's head."""
    day = day or timezone.localdate()
    labs = Unit.objects.active_on(day).filter(kind=UnitKind.LAB).order_by("name", "pk")
    if edits_every_programme(roles):
        return labs
    return labs.filter(pk__in=headed_labs(roles))


def orders_for_labs(labs) -> QuerySet[Order]:
    """The signed orders that act on one of `labs` (an action of the order names the lab: its creation, an
    appointment, an inclusion…): those that may fix a programme."""
    return (
        Order.objects.filter(status=OrderStatus.SIGNED, clauses__actions__unit__in=labs)
        .distinct()
        .order_by("-date", "-number", "-pk")
    )


def order_acts_on_lab(order: Order, lab: Unit) -> bool:
    return orders_for_labs([lab]).filter(pk=order.pk).exists()


def is_member_on(person_id: int, lab_id: int, day: datetime.date) -> bool:
    """The person belongs to the lab on `day`, in any role."""
    return Membership.objects.active_on(day).filter(unit_id=lab_id, person_id=person_id).exists()


def heads_on(person_id: int, lab_id: int, day: datetime.date) -> bool:
    return Membership.objects.active_on(day).filter(unit_id=lab_id, person_id=person_id, role=MemberRole.HEAD).exists()


# ---------------------------------------------------------------- the annual report


@dataclass
class ReportIndicator:
    indicator: Indicator
    latest: Measurement | None

    @property
    def progress(self) -> Decimal | None:
        return progress(
            self.indicator.baseline, self.indicator.target, self.latest.value if self.latest is not None else None
        )


@dataclass
class ReportExperiment:
    experiment: Experiment
    indicators: list[ReportIndicator]


def experiments_of_year(start: datetime.date, end: datetime.date) -> list[ReportExperiment]:
    """For the annual report (an academic year from `start` to `end`): the experiments active in it (their period
    meets the year), each with its indicators' baseline, target and latest value measured by the year's end. Three
    queries. The report is for those who see every experiment (management, the council)."""
    experiments = (
        Experiment.objects.filter(starts_on__lte=end, ends_on__gte=start)
        .select_related("lab", "order")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("position", "pk").prefetch_related(
                    Prefetch(
                        "measurements",
                        queryset=Measurement.objects.filter(measured_on__lte=end).order_by("measured_on", "pk"),
                    )
                ),
            )
        )
        .order_by("starts_on", "pk")
    )
    result = []
    for experiment in experiments:
        rows = []
        for indicator in experiment.indicators.all():
            measurements = list(indicator.measurements.all())
            rows.append(ReportIndicator(indicator=indicator, latest=measurements[-1] if measurements else None))
        result.append(ReportExperiment(experiment=experiment, indicators=rows))
    return result


# ---------------------------------------------------------------- what needs me


#: How long after a stage ends its missing measurements are asked for.
MEASUREMENTS_DUE_DAYS = 30


def stages_missing_measurements(lab_ids, *, today: datetime.date) -> QuerySet[ExperimentStage]:
    """Stages of the experiments of `lab_ids` that ended in the last MEASUREMENTS_DUE_DAYS days (before today)
    while some indicator of the experiment has no measurement in them. One query."""
    unmeasured = Indicator.objects.filter(experiment_id=OuterRef("experiment_id")).filter(
        ~Exists(Measurement.objects.filter(indicator_id=OuterRef("pk"), stage_id=OuterRef(OuterRef("pk"))))
    )
    return (
        ExperimentStage.objects.filter(
            experiment__lab_id__in=lab_ids,
            ends_on__lt=today,
            ends_on__gte=today - datetime.timedelta(days=MEASUREMENTS_DUE_DAYS),
        )
        .filter(Exists(unmeasured))
        .select_related("experiment")
        .order_by("ends_on", "pk")
    )


def needs_me(roles: Roles, *, today: datetime.date) -> dict[str, QuerySet]:
    """`measurements_due`, for a lab's head: the stages of their lab's experiments that ended in the last 30 days
    with an indicator not measured in them."""
    headed = headed_labs(roles)
    if not headed:
        return {}
    return {"measurements_due": stages_missing_measurements(headed, today=today)}
