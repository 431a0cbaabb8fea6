"""The demo's lab part (experience/demo_lab.py) on the demo college's structure: the experiment is in progress on
any day of the academic year, its stages cover its period, the measurements end where today is (each entered by a
member of the lab on its day), the results are a draft, and a completed pilot study is published; the lab's head and the researcher see it in full, a teacher
outside the lab does not see it until the results are published."""

from __future__ import annotations

import datetime

import pytest
import rules

from experience.demo_lab import INDICATORS, PILOT_TOPIC, TOPIC, build_lab_demo
from experience.models import Experiment, Measurement
from experience.selectors import lab as selectors
from structure.demo import Builder
from structure.models import Membership, User
from structure.selectors import roles_of

pytestmark = [pytest.mark.django_db, pytest.mark.dated]


@pytest.mark.parametrize(
    "today",
    [datetime.date(2026, 9, 1), datetime.date(2027, 1, 25), datetime.date(2027, 8, 31)],
    indirect=True,
)
def test_the_demo_experiment_is_in_progress_with_the_data_up_to_today(today):
    builder = Builder(today)
    builder.build()
    build_lab_demo(builder)
    experiment = Experiment.objects.get(topic=TOPIC)
    assert experiment.lab == builder.units["lab"]
    assert experiment.starts_on <= today <= experiment.ends_on
    assert experiment.order == experiment.lab.created_by_order
    stages = list(experiment.stages.order_by("starts_on"))
    assert [s.position for s in stages] == [1, 2, 3]
    assert stages[0].starts_on == experiment.starts_on and stages[-1].ends_on == experiment.ends_on
    assert all(a.ends_on + datetime.timedelta(days=1) == b.starts_on for a, b in zip(stages, stages[1:], strict=False))
    assert [i.name for i in experiment.indicators.order_by("position")] == [row[1] for row in INDICATORS]
    measurements = Measurement.objects.filter(indicator__experiment=experiment).select_related("stage")
    assert measurements.exists() and all(m.measured_on <= today for m in measurements)
    assert all(m.stage.starts_on <= m.measured_on <= m.stage.ends_on for m in measurements)
    for m in measurements:  # each entered by a member of the lab on its day
        assert Membership.objects.active_on(m.measured_on).filter(unit=experiment.lab, person=m.entered_by).exists()
    passed = [s for s in stages if s.ends_on < today]
    for stage in passed:  # every stage already over has a value of every indicator
        assert measurements.filter(stage=stage).values("indicator").distinct().count() == len(INDICATORS)
    assert experiment.results and not experiment.results_published
    board = selectors.board(selectors.experiment_detail().get(pk=experiment.pk))
    assert all(row.progress is not None and row.progress > 0 for row in board.rows)  # all go the right way
    head, researcher, teacher = (User.objects.get(username=name) for name in ("lab_head", "researcher", "teacher"))
    assert rules.has_perm("experience.view_experiment_details", researcher, experiment)
    assert rules.has_perm("experience.write_results", head, experiment)
    assert not rules.has_perm("experience.view_experiment", teacher, experiment)
    # the pilot study is over and published: the staff see it, its targets reached
    pilot = Experiment.objects.get(topic=PILOT_TOPIC)
    assert pilot.results_published and pilot.ends_on < today
    assert rules.has_perm("experience.view_experiment", teacher, pilot)
    pilot_board = selectors.board(selectors.experiment_detail().get(pk=pilot.pk))
    assert all(row.reached for row in pilot_board.rows)
    assert list(selectors.needs_me(roles_of(head), today=today)["measurements_due"]) == []  # nothing missing
