"""Planning pages cost the same whatever the history: on a college with years of plans, items, meetings and decisions
(tests/history.py) the plan list, the plan page, the statistics, the calendar's month and «my items» answer in the
queries pinned on the small college, and read only what they show — the page's plans' items are counted, not every
plan's; the statistics aggregate the chosen year and the year before, not every year.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, reverse_lazy

from planning import selectors
from planning.models import Plan, PlanItem
from tests.history import add_history
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, extend=add_history)]

PLANS = reverse_lazy("planning:plan_list")
STATS = reverse_lazy("planning:execution_stats")
CALENDAR = reverse_lazy("planning:calendar")
MY_ITEMS = reverse_lazy("planning:my_items")


def get(world, role, address, params=None, *, queries=None, assert_num_queries=None):
    client = client_for(world, role)
    client.get(address, params or {})  # warm caches (content types, sessions)
    if assert_num_queries is None:
        return client.get(address, params or {})
    with assert_num_queries(queries):
        response = client.get(address, params or {})
    assert response.status_code == 200
    return response


def test_the_history_is_there(world):
    assert len(world.history_years) >= 3
    assert Plan.objects.count() >= 100
    assert PlanItem.objects.count() >= 800
    assert (
        PlanItem.objects.exclude(plan__year=world.year).count()
        > 3 * PlanItem.objects.filter(plan__year=world.year).count()
    )


@pytest.mark.parametrize(("role", "queries"), [("teacher", 8), ("director", 10)])
@pytest.mark.parametrize("year", ["current", "all"])
def test_the_plan_list_counts_the_items_of_its_page_only(world, django_assert_num_queries, role, queries, year):
    """The director's menu badge reads the plans waiting for approval (two more); the years are read once, for the
    options, the chosen year and the current one, whichever the request names."""
    params = {} if year == "current" else {"year": ""}
    with CaptureQueriesContext(connection) as captured:
        response = get(world, role, PLANS, params, queries=queries, assert_num_queries=django_assert_num_queries)
    page = response.context["page"]
    shown = list(page)
    assert shown and all(plan.items_total == plan.items.count() for plan in shown)
    # The page's count does not touch the items: they are counted for the rows shown, a subquery each.
    count = next(q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(*)"))
    assert "GROUP BY" not in count
    if year == "all":
        assert page.paginator.count > len(shown)  # more plans than the page holds


@pytest.mark.parametrize(("role", "queries"), [("teacher", 10), ("director", 12)])
def test_the_plan_page_on_years_of_history(world, django_assert_num_queries, role, queries):
    """The plan, its items, their responsible people, its versions (the directions they name come with the items),
    the roles, the change log, the badge (the director's reads the plans waiting for approval)."""
    response = get(
        world,
        role,
        world.service_plan.get_absolute_url(),
        queries=queries,
        assert_num_queries=django_assert_num_queries,
    )
    assert response.context["stage"] == {"stage": "Практический этап"}  # the theme's stage of the plan's year


def test_a_plan_of_an_earlier_year_shows_that_years_stage(world):
    stage = world.theme.stages.get(year=world.past_year)
    plan = Plan.objects.get(year=world.past_year, level="service")
    plan.theme = world.theme
    plan.save(update_fields=["theme"])
    response = client_for(world, "teacher").get(plan.get_absolute_url())
    assert response.context["stage"] == {"stage": stage.stage}


@pytest.mark.parametrize("which", ["current", "oldest"])
def test_the_statistics_aggregate_the_chosen_year_and_the_year_before(world, django_assert_num_queries, which):
    year = world.year if which == "current" else world.history_years[0]
    params = {} if which == "current" else {"year": year.pk}
    queries = 9  # the years are read once: the options, the chosen one and the current one
    response = get(world, "teacher", STATS, params, queries=queries, assert_num_queries=django_assert_num_queries)
    rows = response.context["by_year"]
    every_year = {row.label: row for row in selectors.execution_by_year()}
    expected = [world.past_year, world.year] if which == "current" else [year]  # the oldest has none before it
    assert [row["label"] for row in rows] == [y.title for y in expected]
    for row in rows:
        assert (row["total"], row["done"], row["overdue"]) == (
            every_year[row["label"]].total,
            every_year[row["label"]].done,
            every_year[row["label"]].overdue,
        )
    assert rows[-1]["total"] == response.context["total"]["total"]  # the chosen year is the directions' total


def test_the_calendar_month_reads_the_month(world, django_assert_num_queries):
    for params in ({}, {"month": f"{world.history_years[0].start:%Y-%m}"}):
        response = get(world, "teacher", CALENDAR, params, queries=8, assert_num_queries=django_assert_num_queries)
        weeks = response.context["weeks"]
        first, last = weeks[0][0][0], weeks[-1][-1][0]
        days = {event.date for event in response.context["events"]}
        assert days and all(first <= day <= last for day in days)


def test_my_items_now_and_left_overdue_earlier(world, django_assert_num_queries):
    teacher = world.people["teacher"]
    now = get(world, "teacher", MY_ITEMS, queries=6, assert_num_queries=django_assert_num_queries)
    assert now.context["page"].paginator.count == selectors.my_items_due(teacher, today=world.today).count()
    assert all(item.plan.year_id == world.year.pk for item in now.context["page"])

    earlier = get(
        world, "teacher", MY_ITEMS, {"period": "earlier"}, queries=6, assert_num_queries=django_assert_num_queries
    )
    assert earlier.context["page"].paginator.count == len(world.old_overdue_items)
    shown = list(earlier.context["page"])
    assert all(item.plan.year_id != world.year.pk and item.overdue for item in shown)
    assert shown[0].content in earlier.content.decode()

    everything = client_for(world, "teacher").get(MY_ITEMS, {"period": "all"}).context["page"].paginator.count
    assert everything == selectors.my_open_items(teacher).count() >= len(world.old_overdue_items)


def test_my_items_of_someone_without_items_or_a_person(world):
    assert client_for(world, "admin").get(MY_ITEMS).context["page"].paginator.count == 0
    assert client_for(world, "researcher").get(MY_ITEMS, {"period": "nonsense"}).context["period"] == "now"


def test_a_link_from_the_dashboard_reaches_my_items(world):
    html = client_for(world, "teacher").get(reverse("dashboard")).content.decode()
    assert f"{MY_ITEMS}?period=earlier" in html


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("teacher", reverse_lazy("planning:decision_list") + "?year="),
        ("deputy", reverse_lazy("dashboard")),
        ("deputy", reverse_lazy("planning:assignment_list") + "?year="),
        ("deputy", reverse_lazy("planning:meeting_list") + "?year="),
        ("deputy", reverse_lazy("planning:calendar")),
    ],
)
def test_lists_of_meetings_and_decisions_leave_the_signed_protocols_unread(world, role, url):
    """A signed meeting's frozen protocol is tens of KB of JSON; a list of decisions prints the meeting's number,
    date and unit only (the register of a region read and decoded fifty protocols a page: 43 -> 28 ms)."""
    from planning import services
    from tests.planning.world import pedagogical_meeting, service_unit

    meeting = pedagogical_meeting(world)  # signed, its decision the deputy's
    assert meeting.snapshot
    services.assignment_from_decision(
        decision=meeting.agenda.get().decisions.get(), by=world.people["director"], addressee=service_unit(world)
    )
    with CaptureQueriesContext(connection) as queries:
        response = client_for(world, role).get(url)
    assert response.status_code == 200
    if "meetings" not in url and "calendar" not in url:
        assert meeting.agenda.get().decisions.get().text[:30] in response.content.decode()
    assert not [q["sql"] for q in queries.captured_queries if '"planning_meeting"."snapshot"' in q["sql"]]
