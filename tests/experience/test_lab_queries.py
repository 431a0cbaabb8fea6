"""The lab's pages answer in a fixed number of queries whatever the numbers of indicators and measurements: the
experiment's page (24 indicators × 25 measurements each, with the change log) and its PDF's data, the list of
experiments (60 more, with their stages, indicators and measurements counted)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from experience.models import Experiment, ExperimentStage, Indicator, Measurement
from tests.experience.lab_data import lab_data
from tests.world import client_for

DAY = datetime.timedelta(days=1)
INDICATORS = 22  # with the two of lab_data: 24
MEASUREMENTS = 25  # per indicator, one a day over the first stage
EXPERIMENTS = 60
PUBLISHED = 8
LIST = 6


def add_many(world) -> None:
    data = lab_data(world)
    experiment, head = data.experiment, world.people["lab_head"]
    start = experiment.starts_on
    indicators = Indicator.objects.bulk_create(
        Indicator(
            experiment=experiment,
            position=10 + index,
            name=f"Показатель {index:02}",
            unit="%",
            baseline=Decimal(40),
            target=Decimal(80),
            higher_is_better=True,
        )
        for index in range(INDICATORS)
    )
    first = data.stages[0]
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            stage=first,
            value=Decimal(40 + day),
            measured_on=start + day * DAY,
            source="Ведомость",
            entered_by=head,
        )
        for indicator in indicators
        for day in range(MEASUREMENTS)
    )
    others = Experiment.objects.bulk_create(
        Experiment(
            lab=world.lab,
            topic=f"Эксперимент {index:02}",
            hypothesis="Если …, то …",
            aim="Проверить",
            starts_on=start,
            ends_on=start + 100 * DAY,
            results="Итоги",
            results_published=index % 2 == 0,
            created_by=head,
        )
        for index in range(EXPERIMENTS)
    )
    stages = ExperimentStage.objects.bulk_create(
        ExperimentStage(experiment=e, position=1, title="Этап", starts_on=start, ends_on=start + 50 * DAY)
        for e in others
    )
    marks = Indicator.objects.bulk_create(
        Indicator(experiment=e, position=1, name="Успеваемость", baseline=1, target=2) for e in others
    )
    Measurement.objects.bulk_create(
        Measurement(indicator=mark, stage=stage, value=1, measured_on=start, entered_by=head)
        for mark, stage in zip(marks, stages, strict=True)
    )


pytestmark = [pytest.mark.django_db, pytest.mark.world(extend=add_many)]


def test_the_experiment_page_in_full(world, django_assert_num_queries):
    experiment = Experiment.objects.get(topic="Цифровой тренажёр в профессиональном обучении")
    client = client_for(world, "lab_head")
    # the session, the user, the experiment with its stages, indicators and measurements (4), the roles (1), the
    # change log (2: its rows, the names they mention), the menu's badge (1)
    with django_assert_num_queries(10):
        response = client.get(reverse("experience:experiment_detail", kwargs={"pk": experiment.pk}))
    assert response.status_code == 200
    board = response.context["board"]
    assert len(board.rows) == INDICATORS + 2 and len(board.log) == INDICATORS * MEASUREMENTS + 3
    assert len(response.context["charts"]) == INDICATORS + 2
    assert len(response.context["deletable"]) == len(board.log)  # the head deletes any


def test_the_experiment_page_once_published(world, django_assert_num_queries):
    experiment = Experiment.objects.get(topic="Цифровой тренажёр в профессиональном обучении")
    Experiment.objects.filter(pk=experiment.pk).update(results_published=True, results="Итоги")
    client = client_for(world, "teacher")
    with django_assert_num_queries(PUBLISHED):
        response = client.get(reverse("experience:experiment_detail", kwargs={"pk": experiment.pk}))
    assert response.status_code == 200 and not response.context["full"]
    assert len(response.context["charts"]) == INDICATORS + 2


def test_the_list(world, django_assert_num_queries):
    client = client_for(world, "methodist")
    with django_assert_num_queries(LIST):
        response = client.get(reverse("experience:experiment_list"))
    page = response.context["page"]
    assert page.paginator.count == EXPERIMENTS + 2 and len(page) == 50
    assert {(e.stage_count, e.indicator_count, e.measurement_count) for e in page} >= {(1, 1, 1)}
    with django_assert_num_queries(LIST):
        response = client.get(reverse("experience:experiment_list") + "?page=2")
    assert len(response.context["page"]) == EXPERIMENTS + 2 - 50
    teacher = client_for(world, "teacher")
    with django_assert_num_queries(LIST):
        response = teacher.get(reverse("experience:experiment_list"))
    assert response.context["page"].paginator.count == EXPERIMENTS // 2 + 1  # the published ones
