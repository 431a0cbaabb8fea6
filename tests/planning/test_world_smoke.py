import pytest

from planning.models import PlanStatus
from tests.planning.world import build_planning
from tests.world import build_world

pytestmark = pytest.mark.django_db


def test_planning_world_builds_in_the_documented_states():
    w = build_planning(build_world())
    assert (w.service_plan.status, w.service_plan.version) == (PlanStatus.APPROVED, 1)
    assert w.association_plan.status == PlanStatus.SUBMITTED
    assert w.teacher_plan.status == PlanStatus.SUBMITTED
    assert w.meeting.attendance.count() == w.association.memberships.count()
