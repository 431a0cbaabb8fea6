"""The demo part of the suggestions: a participant with a deficit and an open individual plan gets the course."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from attestation.demo_suggestions import build_suggestions_demo
from planning.models import Plan, PlanStatus
from tests.attestation.matrix_suggestions import campaign_of, participate
from tests.factories import noon

D = datetime.date
DAY = D(2026, 10, 14)
pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, at=noon(DAY))]


def test_the_demo_adds_the_course_of_the_first_deficit(world):
    campaign = campaign_of(world.year, starts_on=D(2026, 9, 15))
    participate(campaign, world.people["teacher"], experts={world.people["mo_head"]: {"A/02.6": 1, "A/01.6": 0}})
    b = SimpleNamespace(today=DAY)
    assert build_suggestions_demo(b) == []  # the world's individual plan is submitted
    Plan.objects.filter(pk=world.teacher_plan.pk).update(status=PlanStatus.DRAFT)
    [item] = build_suggestions_demo(b)
    assert item.plan_id == world.teacher_plan.pk and "A/01.6" in item.content and item.direction.code == 10
    assert build_suggestions_demo(b) == []  # once
