"""The planning pages answer in a pinned number of queries however many rows they show (issue 13): the plan list,
the meeting list and the statistics read the academic years once (options, the chosen year and the current one);
the plan page reads its items, their responsible people and its change log in a fixed number of queries with 30 items
by several people; a change log is one query however many rows and authors it has.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from metodservice.common.history import Related, history_rows
from planning.models import PlanItem, WorkDirection
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]


def _count(client, address) -> int:
    client.get(address)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured)


#: session, user, roles, the years (options, chosen and current), the page's count, the unit options, the page's
#: rows, the menu's badge
LIST = 8


@pytest.mark.parametrize("name", ["planning:plan_list", "planning:meeting_list"])
@pytest.mark.parametrize("params", ["", "?year=", "?year={pk}"])
def test_the_lists_read_the_years_once(world, name, params):
    address = reverse(name) + params.format(pk=world.year.pk)
    assert _count(client_for(world, "teacher"), address) == LIST


def test_the_statistics_read_the_years_once(world):
    # session, user, roles, years, by year, by direction, directions, by plan, badge
    assert _count(client_for(world, "teacher"), reverse("planning:execution_stats")) == 9


def _add_items(world, count: int) -> None:
    plan = world.service_plan
    direction = WorkDirection.objects.first()
    people = [world.people[r] for r in ("teacher", "mo_head", "chair", "methodist")]
    for n in range(count):
        item = PlanItem.objects.create(
            plan=plan,
            position=100 + n,
            content=f"Работа {n}",
            direction=direction,
            form=PlanItem._meta.get_field("form").choices[0][0],
            due_date=world.year.end - datetime.timedelta(days=n),
        )
        item._history_user = people[n % 4].user
        item.responsible.set(people[n % 4 : n % 4 + 2])


def test_the_plan_page_with_30_items_by_several_people(world):
    client = client_for(world, "teacher")
    few = _count(client, world.service_plan.get_absolute_url())
    _add_items(world, 30)
    many = _count(client, world.service_plan.get_absolute_url())
    # session, user, roles, plan, items, responsible, versions, log, badge (+ the people the log names that the page
    # has not read: the small plan's log names its approver)
    assert many <= few <= 10 and many == 9


def test_a_log_of_15_changes_by_different_people_is_one_query_and_its_names_one_more(world):
    plan = world.service_plan
    people = [world.people[r] for r in ("teacher", "mo_head", "chair", "methodist", "director")]
    for n in range(15):
        plan.goal = f"Цель {n}"
        plan._history_user = people[n % 5].user
        plan.save()
    with CaptureQueriesContext(connection) as captured:
        rows = history_rows(plan, Related("items", name="content"))
    # the rows with their authors in one query, the people the rows name (the items' responsible) in one more
    assert len(captured) == 2, [q["sql"][:200] for q in captured.captured_queries]
    assert {row.who for row in rows[:15]} == {p.user.get_full_name() or p.user.username for p in people}
    assert rows[0].changes[0].old == "Цель 13" and rows[0].changes[0].new == "Цель 14"
