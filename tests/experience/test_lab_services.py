"""The lab's services (experience/services/lab.py) on the data of tests/experience/lab_data.py: the happy paths and
every refusal, by its code, with nothing written on a refusal."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from experience.models import Experiment, ExperimentStage, Indicator, Measurement
from experience.services import lab as services
from structure.models import ActionKind, Unit, UnitKind
from tests.experience.lab_data import amending_order, lab_data
from tests.factories import signed_order

pytestmark = [pytest.mark.django_db]

DAY = datetime.timedelta(days=1)


@pytest.fixture
def data(world):
    return lab_data(world)


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def refused(code: str, call, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    assert code in codes(caught.value), codes(caught.value)
    return caught.value


def programme(world, **changes) -> dict:
    today = world.today
    fields = {
        "lab": world.lab,
        "topic": "Проектное обучение",
        "hypothesis": "Если …, то …",
        "aim": "Проверить",
        "base_groups": "ТМ-25",
        "starts_on": world.lab.created_on,
        "ends_on": today + 100 * DAY,
        "order": world.lab.created_by_order,
        "today": today,
    }
    return {**fields, **changes}


# ---------------------------------------------------------------- the programme


def test_the_head_the_methodist_and_the_deputy_create_a_programme(world, data):
    for role in ("lab_head", "methodist", "deputy"):
        experiment = services.experiment_create(by=world.people[role], **programme(world, topic=f"Тема {role}"))
        assert experiment.lab == world.lab and experiment.created_by == world.people[role]
        assert not experiment.results_published


@pytest.mark.parametrize("role", ["researcher", "teacher", "chair", "director", "mo_head"])
def test_nobody_else_keeps_a_programme(world, data, role):
    before = Experiment.objects.count()
    refused("not_programme_editor", services.experiment_create, by=world.people[role], **programme(world))
    refused(
        "not_programme_editor",
        services.experiment_update,
        experiment=data.experiment,
        by=world.people[role],
        **{k: v for k, v in programme(world).items() if k != "lab"},
    )
    assert Experiment.objects.count() == before


def test_the_head_of_one_lab_keeps_no_programme_of_another(world, data):
    refused(
        "not_programme_editor",
        services.experiment_create,
        by=world.people["lab_head"],
        **programme(
            world, lab=data.other_lab, starts_on=data.other_lab.created_on, order=data.other_lab.created_by_order
        ),
    )


def test_the_lab_is_an_active_lab(world, data):
    methodist = world.people["methodist"]
    refused("not_a_lab", services.experiment_create, by=methodist, **programme(world, lab=world.association))
    refused("required", services.experiment_create, by=methodist, **programme(world, lab=None))
    proposed = Unit.objects.create(kind=UnitKind.LAB, name="Будущая лаборатория")
    refused("lab_not_active", services.experiment_create, by=methodist, **programme(world, lab=proposed, order=None))
    dissolved = data.other_lab
    signed_order(world.people["director"], world.people["deputy"], [{"kind": ActionKind.DISSOLVE, "unit": dissolved}])
    refused(
        "lab_not_active",
        services.experiment_create,
        by=methodist,
        **programme(world, lab=dissolved, starts_on=dissolved.created_on, order=None),
    )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"topic": "   "}, "required"),
        ({"hypothesis": ""}, "required"),
        ({"aim": "\n"}, "required"),
        ({"starts_on": None}, "required"),
        ({"ends_on": None}, "required"),
        ({"ends_on": "before"}, "ends_before_start"),
        ({"starts_on": "before_lab"}, "before_lab"),
    ],
)
def test_the_programmes_data_is_checked(world, data, changes, code):
    lab_start = world.lab.created_on
    values = {"before": lab_start - DAY, "before_lab": lab_start - DAY}
    changes = {key: values.get(value, value) if isinstance(value, str) else value for key, value in changes.items()}
    before = Experiment.objects.count()
    refused(code, services.experiment_create, by=world.people["methodist"], **programme(world, **changes))
    assert Experiment.objects.count() == before


def test_the_order_is_a_signed_order_acting_on_the_lab(world, data):
    methodist = world.people["methodist"]
    # signed, but on the association; on the lab, but not signed; signed, on another lab
    for order in (world.signed, world.on_approval, data.other_lab.created_by_order):
        refused("order_not_for_lab", services.experiment_create, by=methodist, **programme(world, order=order))
        refused(
            "order_not_for_lab",
            services.experiment_update,
            experiment=data.experiment,
            by=methodist,
            **{k: v for k, v in programme(world, order=order).items() if k != "lab"},
        )
    # a later signed order acting on the lab fixes it as well as the one that created it
    later = signed_order(
        world.people["director"],
        world.people["deputy"],
        [{"kind": ActionKind.INCLUDE, "unit": world.lab, "person": world.people["teacher"]}],
        title="О включении в состав лаборатории",
    )
    experiment = services.experiment_create(by=methodist, **programme(world, order=later))
    assert experiment.order == later
    assert services.experiment_create(by=methodist, **programme(world, order=None, topic="Без приказа")).order is None


def test_a_cancelled_order_fixes_nothing(world, data):
    director, deputy = world.people["director"], world.people["deputy"]
    include = {"kind": ActionKind.INCLUDE, "unit": world.lab, "person": world.people["teacher"]}
    ten_days_ago = timezone.now() - 10 * DAY
    order = signed_order(director, deputy, [include], title="О включении в состав лаборатории", at=ten_days_ago)
    signed_order(director, deputy, [{"kind": ActionKind.CANCEL_ORDER, "target_order": order}], title="Об отмене")
    refused(
        "order_not_for_lab", services.experiment_create, by=world.people["methodist"], **programme(world, order=order)
    )


def test_a_new_period_must_hold_the_stages_and_the_measurements(world, data):
    experiment, head, today = data.experiment, world.people["lab_head"], world.today
    fields = {k: v for k, v in programme(world, order=amending_order(world)).items() if k != "lab"}
    # the last stage ends 300 days on: a period ending 200 days on leaves it outside
    refused("stage_outside_period", services.experiment_update, experiment=experiment, by=head, **fields)
    # a period starting after the first measurements (and the first stage) leaves them outside
    refused(
        "outside_period",
        services.experiment_update,
        experiment=experiment,
        by=head,
        **{**fields, "starts_on": today - 5 * DAY, "ends_on": today + 300 * DAY},
    )
    experiment.refresh_from_db()
    assert experiment.topic == "Цифровой тренажёр в профессиональном обучении"  # nothing written
    changed = services.experiment_update(
        experiment=experiment, by=head, **{**fields, "ends_on": today + 400 * DAY, "topic": "  Новая   тема "}
    )
    assert changed.topic == "Новая тема" and changed.ends_on == today + 400 * DAY


def test_an_experiment_with_measurements_is_kept(world, data):
    methodist = world.people["methodist"]
    refused("experiment_has_measurements", services.experiment_delete, experiment=data.experiment, by=methodist)
    assert Experiment.objects.filter(pk=data.experiment.pk).exists()
    empty = services.experiment_create(by=methodist, **programme(world))
    services.stage_add(experiment=empty, by=methodist, title="Этап", starts_on=empty.starts_on, ends_on=empty.ends_on)
    services.indicator_add(experiment=empty, by=methodist, name="Показатель", baseline=1, target=2)
    refused("not_programme_editor", services.experiment_delete, experiment=empty, by=world.people["researcher"])
    services.experiment_delete(experiment=empty, by=methodist)
    assert not Experiment.objects.filter(pk=empty.pk).exists()
    assert not ExperimentStage.objects.filter(experiment_id=empty.pk).exists()


# ---------------------------------------------------------------- stages


def test_stages_are_numbered_by_their_dates(world, data):
    methodist = world.people["methodist"]
    experiment = services.experiment_create(by=methodist, **programme(world, ends_on=world.today + 90 * DAY))
    start = experiment.starts_on
    late = services.stage_add(
        experiment=experiment, by=methodist, title="Второй", starts_on=start + 31 * DAY, ends_on=start + 60 * DAY
    )
    assert late.position == 1
    early = services.stage_add(
        experiment=experiment, by=methodist, title=" Первый ", starts_on=start, ends_on=start + 30 * DAY
    )
    late.refresh_from_db()
    assert (early.position, early.title, late.position) == (1, "Первый", 2)
    services.stage_update(
        stage=early, by=methodist, title="Первый", starts_on=start + 61 * DAY, ends_on=start + 70 * DAY
    )
    late.refresh_from_db()
    early.refresh_from_db()
    assert (late.position, early.position) == (1, 2)
    services.stage_delete(stage=late, by=methodist)
    early.refresh_from_db()
    assert early.position == 1


@pytest.mark.parametrize(
    ("first", "last", "code"),
    [
        (5, 3, "ends_before_start"),
        (-1, 3, "stage_outside_period"),  # before the experiment starts
        (290, 400, "stage_outside_period"),  # after it ends
        (20, 40, "stages_overlap"),  # the first stage is [start, yesterday]
    ],
)
def test_a_stage_lies_inside_the_period_and_overlaps_no_other(world, data, first, last, code):
    start, head = data.experiment.starts_on, world.people["lab_head"]
    before = ExperimentStage.objects.count()
    refused(
        code,
        services.stage_add,
        experiment=data.experiment,
        by=head,
        title="Лишний",
        starts_on=start + first * DAY,
        ends_on=start + last * DAY,
    )
    assert ExperimentStage.objects.count() == before


def test_a_stage_keeps_its_measurements_and_is_not_deleted_with_them(world, data):
    head, first = world.people["lab_head"], data.stages[0]
    refused(
        "measurements_outside_stage",
        services.stage_update,
        stage=first,
        by=head,
        title=first.title,
        starts_on=first.starts_on,
        ends_on=world.today - 20 * DAY,  # the measurements are 10 days ago
    )
    refused("stage_has_measurements", services.stage_delete, stage=first, by=head)
    refused(
        "stages_overlap",
        services.stage_update,
        stage=first,
        by=head,
        title="x",
        starts_on=first.starts_on,
        ends_on=world.today,
    )
    refused(
        "required",
        services.stage_update,
        stage=first,
        by=head,
        title=" ",
        starts_on=first.starts_on,
        ends_on=first.ends_on,
    )
    first.refresh_from_db()
    assert first.title == "Подготовительный" and first.ends_on == world.today - DAY
    refused("not_programme_editor", services.stage_delete, stage=data.stages[-1], by=world.people["researcher"])
    services.stage_delete(stage=data.stages[-1], by=head)  # no measurements in it
    assert not ExperimentStage.objects.filter(pk=data.stages[-1].pk).exists()


# ---------------------------------------------------------------- indicators


@pytest.mark.parametrize(
    ("baseline", "target", "higher", "code"),
    [
        ("80", "70", True, "target_wrong_side"),
        ("80", "80", True, "target_wrong_side"),
        ("24", "30", False, "target_wrong_side"),
        ("24", "24", False, "target_wrong_side"),
        (None, "30", True, "required"),
        ("10", "", True, "required"),
        ("NaN", "30", True, "invalid"),
        ("Infinity", "30", True, "invalid"),
        ("abc", "30", True, "invalid"),
        ("1", "1e12", True, "max_digits"),
        ("1", "2.345", True, "max_decimal_places"),
    ],
)
def test_an_indicators_numbers_and_direction_are_checked(world, data, baseline, target, higher, code):
    before = Indicator.objects.count()
    refused(
        code,
        services.indicator_add,
        experiment=data.experiment,
        by=world.people["methodist"],
        name="Качество знаний",
        baseline=baseline,
        target=target,
        higher_is_better=higher,
    )
    assert Indicator.objects.count() == before


def test_indicators_are_added_in_order_named_once_and_kept_with_their_measurements(world, data):
    head = world.people["lab_head"]
    quality = services.indicator_add(
        experiment=data.experiment, by=head, name=" Качество  знаний ", unit="%", baseline="38.5", target=Decimal(50)
    )
    assert (quality.position, quality.name, quality.baseline) == (3, "Качество знаний", Decimal("38.5"))
    refused("required", services.indicator_add, experiment=data.experiment, by=head, name=" ", baseline=1, target=2)
    refused(
        "indicator_duplicate",
        services.indicator_add,
        experiment=data.experiment,
        by=head,
        name="УСПЕВАЕМОСТЬ",
        baseline=1,
        target=2,
    )
    refused("indicator_has_measurements", services.indicator_delete, indicator=data.pass_rate, by=head)
    refused("not_programme_editor", services.indicator_delete, indicator=quality, by=world.people["researcher"])
    # the direction turns with the target: less is better now
    changed = services.indicator_update(
        indicator=quality, by=head, name="Доля неуспевающих", unit="%", baseline=20, target=5, higher_is_better=False
    )
    assert not changed.higher_is_better and changed.target == 5
    services.indicator_delete(indicator=quality, by=head)
    assert not Indicator.objects.filter(pk=quality.pk).exists()


# ---------------------------------------------------------------- measurements


def measure(data, by, *, indicator=None, value="80", day=None, today=None, experiment=None):
    return services.measurement_add(
        experiment=experiment or data.experiment,
        by=by,
        indicator=indicator or data.pass_rate,
        value=value,
        measured_on=day,
        source="Ведомость",
        today=today,
    )


def test_a_member_enters_a_measurement_that_finds_its_stage(world, data):
    today = world.today
    by_researcher = measure(data, world.people["researcher"], value=Decimal("79.25"), day=today - 20 * DAY)
    assert by_researcher.stage == data.stages[0] and by_researcher.entered_by == world.people["researcher"]
    assert by_researcher.value == Decimal("79.25")
    by_head = measure(data, world.people["lab_head"], indicator=data.absences, value="21", day=today)
    assert by_head.stage == data.stages[1]


@pytest.mark.parametrize("role", ["teacher", "methodist", "chair", "director", "deputy"])
def test_someone_outside_the_lab_enters_nothing(world, data, role):
    before = Measurement.objects.count()
    refused("not_lab_member", measure, data, world.people[role], day=world.today - DAY)
    assert Measurement.objects.count() == before


def test_a_researcher_of_another_lab_enters_nothing(world, data):
    refused("not_lab_member", measure, data, data.other_researcher, day=world.today - DAY)


def test_a_member_who_left_the_lab_enters_nothing_after_leaving(world, data):
    researcher, today = world.people["researcher"], world.today
    exclude = {"kind": ActionKind.EXCLUDE, "unit": world.lab, "person": researcher}
    signed_order(world.people["director"], world.people["deputy"], [exclude], title="Об исключении из лаборатории")
    refused("not_lab_member", measure, data, researcher, day=today)  # the membership ended today
    # a value of a day they were still in the lab is theirs to enter (the page is closed to them now, though)
    assert measure(data, researcher, indicator=data.absences, value="23", day=today - 2 * DAY).stage == data.stages[0]


@pytest.mark.parametrize(
    ("offset", "code"),
    [
        ("before", "outside_period"),
        ("after", "outside_period"),
        (1, "measured_in_future"),
        (-10, "measurement_duplicate"),  # the researcher's value of the pass rate 10 days ago
        (None, "required"),
    ],
)
def test_a_measurements_date_is_checked(world, data, offset, code):
    experiment, today = data.experiment, world.today
    day = (
        {
            "before": experiment.starts_on - DAY,
            "after": experiment.ends_on + DAY,
        }.get(offset)
        if isinstance(offset, str)
        else (today + offset * DAY if offset is not None else None)
    )
    before = Measurement.objects.count()
    refused(code, measure, data, world.people["lab_head"], day=day, today=today)
    assert Measurement.objects.count() == before


def test_a_date_between_stages_has_no_stage(world, data):
    head, today = world.people["lab_head"], world.today
    services.stage_update(
        stage=data.stages[0], by=head, title="Подготовительный", starts_on=world.lab.created_on, ends_on=today - 5 * DAY
    )
    refused("no_stage", measure, data, head, day=today - 2 * DAY)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "required"),
        ("", "required"),
        ("NaN", "invalid"),
        ("-Infinity", "invalid"),
        ("1e309", "max_digits"),
        (Decimal("12345678901.5"), "max_whole_digits"),
        ("1.005", "max_decimal_places"),
    ],
)
def test_a_measurements_value_is_a_number_the_database_keeps(world, data, value, code):
    refused(code, measure, data, world.people["lab_head"], value=value, day=world.today - 3 * DAY)


def test_an_indicator_of_another_experiment_is_refused(world, data):
    foreign = services.indicator_add(
        experiment=data.published, by=world.people["methodist"], name="Чужой показатель", baseline=1, target=2
    )
    before = Measurement.objects.count()
    refused("indicator_not_in_experiment", measure, data, world.people["lab_head"], indicator=foreign, day=world.today)
    assert Measurement.objects.count() == before


def test_a_measurement_is_deleted_by_who_entered_it_or_the_head(world, data):
    head, researcher = world.people["lab_head"], world.people["researcher"]
    heads = Measurement.objects.filter(entered_by=head).first()
    refused("not_measurement_author", services.measurement_delete, measurement=heads, by=researcher)
    refused("not_measurement_author", services.measurement_delete, measurement=heads, by=world.people["methodist"])
    services.measurement_delete(measurement=data.by_researcher, by=researcher)
    assert not Measurement.objects.filter(pk=data.by_researcher.pk).exists()
    services.measurement_delete(measurement=heads, by=head)
    mine = measure(data, researcher, day=world.today - 2 * DAY)
    services.measurement_delete(measurement=mine, by=head)  # the head deletes anyone's
    history = Measurement.history.filter(id=mine.pk).order_by("history_date")
    assert [row.history_type for row in history] == ["+", "-"]  # the log keeps it


def test_an_author_who_left_the_lab_deletes_nothing(world, data):
    researcher = world.people["researcher"]
    exclude = {"kind": ActionKind.EXCLUDE, "unit": world.lab, "person": researcher}
    signed_order(world.people["director"], world.people["deputy"], [exclude], title="Об исключении из лаборатории")
    refused("not_measurement_author", services.measurement_delete, measurement=data.by_researcher, by=researcher)


# ---------------------------------------------------------------- results


def test_the_head_writes_publishes_and_withdraws_the_results(world, data):
    head, experiment = world.people["lab_head"], data.experiment
    refused("results_empty", services.results_publish, experiment=experiment, by=head)
    for role in ("methodist", "researcher", "deputy"):
        refused("not_lab_head", services.results_save, experiment=experiment, by=world.people[role], results="x")
        refused("not_lab_head", services.results_publish, experiment=experiment, by=world.people[role])
    services.results_save(experiment=experiment, by=head, results="  Гипотеза подтверждается.  ")
    experiment.refresh_from_db()
    assert experiment.results == "Гипотеза подтверждается." and not experiment.results_published
    assert services.results_publish(experiment=experiment, by=head).results_published
    assert services.results_publish(experiment=experiment, by=head).results_published  # twice: no harm
    refused("results_empty", services.results_save, experiment=experiment, by=head, results="  ")
    refused("not_lab_head", services.results_unpublish, experiment=experiment, by=world.people["methodist"])
    assert not services.results_unpublish(experiment=experiment, by=head).results_published
    services.results_save(experiment=experiment, by=head, results="")  # a draft may be emptied


def test_a_programme_fixed_by_an_order_changes_only_with_a_later_order(world, data):
    """What the order approved is what the page and the PDF print under «утверждена приказом»: the same order cannot
    carry another programme, nor can the order be dropped to edit freely."""
    methodist = world.people["methodist"]
    experiment = services.experiment_create(by=methodist, **programme(world))
    fields = {k: v for k, v in programme(world).items() if k != "lab"}
    for changes in ({"aim": "Другая цель"}, {"order": None}):
        refused(
            "programme_fixed", services.experiment_update, experiment=experiment, by=methodist, **{**fields, **changes}
        )
    experiment.refresh_from_db()
    assert experiment.aim == "Проверить" and experiment.order == world.lab.created_by_order
    services.experiment_update(experiment=experiment, by=methodist, **fields)  # unchanged: nothing to refuse
    later = amending_order(world)
    services.experiment_update(experiment=experiment, by=methodist, **{**fields, "aim": "Другая цель", "order": later})
    experiment.refresh_from_db()
    assert experiment.aim == "Другая цель" and experiment.order == later
