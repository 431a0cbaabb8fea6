"""The lab's selectors for others: the annual report's rows (experiments active in an academic year with their
indicators' baseline, target and latest value by the year's end) and what waits for the lab's head (a stage ended in
the last 30 days with an indicator not measured in it)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from experience.selectors import lab as selectors
from experience.services import lab as services
from structure.models import User
from structure.selectors import roles_of
from tests.experience.lab_data import lab_data

pytestmark = [pytest.mark.django_db]

DAY = datetime.timedelta(days=1)


@pytest.fixture
def data(world):
    return lab_data(world)


def roles(role: str):
    return roles_of(User.objects.get(username=role))


def test_the_annual_report_lists_the_experiments_of_the_year(world, data, django_assert_num_queries):
    today = world.today
    with django_assert_num_queries(3):
        rows = selectors.experiments_of_year(today - 100 * DAY, today + 100 * DAY)
        assert [row.experiment.pk for row in rows] == [data.experiment.pk, data.published.pk]  # by their start
        mine = rows[0]
        pass_rate, absences = mine.indicators
        assert (pass_rate.indicator.baseline, pass_rate.indicator.target) == (Decimal(78), Decimal(90))
        assert pass_rate.latest.value == Decimal(84) and pass_rate.progress == 50
        assert absences.latest.value == Decimal(22) and absences.progress == 25
        assert rows[1].indicators == []
    # a year ending before the last measurement: the latest value by its end
    rows = selectors.experiments_of_year(today - 100 * DAY, today - DAY)
    assert rows[0].indicators[0].latest.value == Decimal("81.5")
    # a year before the experiments: none
    assert selectors.experiments_of_year(today - 400 * DAY, today - 200 * DAY) == []


def test_a_stage_ended_without_a_measurement_waits_for_the_head(world, data):
    today = world.today
    due = lambda role: list(selectors.needs_me(roles(role), today=today).get("measurements_due", []))  # noqa: E731
    assert due("lab_head") == []  # the first stage, ended yesterday, has a value of both indicators
    assert "measurements_due" not in selectors.needs_me(roles("researcher"), today=today)
    assert "measurements_due" not in selectors.needs_me(roles("methodist"), today=today)
    head = world.people["lab_head"]
    quality = services.indicator_add(experiment=data.experiment, by=head, name="Качество", baseline=30, target=50)
    assert due("lab_head") == [data.stages[0]]
    # more than 30 days after the stage's end it is no longer asked for
    assert list(selectors.needs_me(roles("lab_head"), today=today + 31 * DAY)["measurements_due"]) == []
    services.measurement_add(
        experiment=data.experiment, by=head, indicator=quality, value=35, measured_on=today - 3 * DAY, today=today
    )
    assert due("lab_head") == []
