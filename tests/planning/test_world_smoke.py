import datetime

import pytest

from planning.models import AcademicYear, PlanItem, PlanStatus
from structure.models import Unit
from tests.planning.world import academic_year_of, build_planning
from tests.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.dated]


def test_planning_world_builds_in_the_documented_states():
    w = build_planning(build_world())
    assert (w.service_plan.status, w.service_plan.version) == (PlanStatus.APPROVED, 1)
    assert w.association_plan.status == PlanStatus.SUBMITTED
    assert w.teacher_plan.status == PlanStatus.SUBMITTED
    assert w.meeting.attendance.count() == w.association.memberships.count()


def test_planning_world_is_consistent_on_the_day_it_is_built(today):
    w = build_planning(build_world())
    assert w.today == today
    assert AcademicYear.objects.get(is_current=True) == w.year
    assert w.year.contains(today) and (w.year.start.month, w.year.start.day, w.year.end.month) == (9, 1, 8)
    assert w.past_year.end == w.year.start - datetime.timedelta(days=1)
    assert set(Unit.objects.active_on(today)) >= {w.council, w.association, w.group, w.lab}
    assert w.council.created_on == today - datetime.timedelta(days=30)
    assert all(w.year.contains(item.due_date) for item in PlanItem.objects.filter(plan__year=w.year))
    assert today <= w.teacher_item.due_date <= today + datetime.timedelta(days=7)
    assert w.decision.deadline == w.teacher_item.due_date
    assert w.meeting.date == today and w.meeting.year == w.year


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (datetime.date(2026, 8, 31), datetime.date(2025, 9, 1)),
        (datetime.date(2026, 9, 1), datetime.date(2026, 9, 1)),
        (datetime.date(2026, 12, 31), datetime.date(2026, 9, 1)),
        (datetime.date(2028, 2, 29), datetime.date(2027, 9, 1)),
    ],
)
def test_academic_year_runs_from_1_september_to_31_august(day, start):
    assert academic_year_of(day) == (start, datetime.date(start.year + 1, 8, 31))
