"""The management's dashboard shows three figures of the college with links to the reports; nobody else's does."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from attestation import schedule as rules_of_schedule
from attestation.selectors.schedule import status_list, teaching_staff
from attestation.selectors.training import compliance_list
from planning.models import ItemStatus, PlanItem, PlanLevel
from reports.selectors import college_indicators
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_figures_are_those_of_the_college(world):
    items = PlanItem.objects.filter(plan__year=world.year, plan__version__gt=0).exclude(
        plan__level=PlanLevel.INDIVIDUAL
    )
    first = items.order_by("pk").first()
    first.status = ItemStatus.DONE
    first.save(update_fields=["status"])
    standing = items.exclude(status=ItemStatus.CANCELLED).count()
    done = items.filter(status=ItemStatus.DONE).count()
    compliance = compliance_list(teaching_staff(), world.today).counts
    staff = sum(compliance.values())
    statuses = status_list(teaching_staff(), world.today).counts

    found = college_indicators(world.today)

    assert found.plans_percent == round(100 * done / standing)
    assert found.pd_percent == round(
        100 * (compliance[rules_of_schedule.COMPLIANT] + compliance[rules_of_schedule.DUE_SOON]) / staff
    )
    assert found.attestation_due == statuses[rules_of_schedule.OVERDUE] + statuses[rules_of_schedule.DUE_SOON]


@pytest.mark.parametrize("role", ["director", "deputy", "methodist"])
def test_the_management_sees_the_figures_with_links_to_the_reports(world, role):
    html = client_for(world, role).get(reverse("dashboard")).content.decode()
    assert 'id="college-indicators"' in html
    for key in ("execution", "training", "schedule"):
        assert reverse("reports:small", args=[key]) in html
    assert reverse("reports:annual_list") in html


@pytest.mark.parametrize("role", ["teacher", "chair", "mo_head", "admin"])
def test_nobody_else_sees_them(world, role):
    html = client_for(world, role).get(reverse("dashboard")).content.decode()
    assert 'id="college-indicators"' not in html


def test_the_figures_are_kept_a_minute_for_every_manager(world, django_assert_num_queries):
    college_indicators(world.today)
    with django_assert_num_queries(0):
        college_indicators(world.today)
