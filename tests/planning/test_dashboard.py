"""The planning rows of the dashboard: plans waiting for my approval, my items due, my decisions, my meetings."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse_lazy

from planning import selectors, services
from planning.models import SUBMITTED_PLAN_STATUSES, DecisionStatus, PlanItem, PlanLevel, WorkForm
from tests.factories import noon
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, extra_staff=10)]
# Lazy: reversing at import (collection) time would load the URLconf with the development settings.
DASHBOARD = reverse_lazy("dashboard")


def dashboard(world, role: str):
    response = client_for(world, role).get(DASHBOARD)
    assert response.status_code == 200
    return response


def test_association_head_sees_the_individual_plan_to_approve(world):
    response = dashboard(world, "mo_head")
    assert response.context["plans_awaiting"] == [world.teacher_plan]
    html = response.content.decode()
    assert 'id="plans-to-approve"' in html
    assert world.teacher_plan.get_absolute_url() in html
    assert world.association_plan.get_absolute_url() not in html  # their own plan


def test_council_chair_sees_the_unit_plan_to_approve(world):
    response = dashboard(world, "chair")
    assert response.context["plans_awaiting"] == [world.association_plan]
    assert world.association_plan.get_absolute_url() in response.content.decode()


def test_director_approves_the_councils_own_plan(world):
    assert dashboard(world, "director").context["plans_awaiting"] == []
    assert "plans-to-approve" in dashboard(world, "director").content.decode()  # the empty state is shown
    submit_council_plan(world)
    assert dashboard(world, "director").context["plans_awaiting"] == [world.council_plan]
    assert world.council_plan not in dashboard(world, "chair").context["plans_awaiting"]


def submit_council_plan(world):
    services.item_add(
        plan=world.council_plan,
        content="Заседание методического совета",
        direction=world.directions[3],
        form=WorkForm.MEETING,
        due_date=world.year.end,
        responsible=[world.people["chair"]],
    )
    services.plan_submit(plan=world.council_plan, person=world.people["chair"])


@pytest.mark.dated
def test_teacher_sees_the_item_due_the_decision_and_the_meeting(world):
    response = dashboard(world, "teacher")
    html = response.content.decode()
    assert [i.pk for i in response.context["items_due"]] == [world.teacher_item.pk]
    assert world.teacher_item.content in html
    assert [d.pk for d in response.context["open_decisions"]] == [world.decision.pk]
    assert world.decision.text in html
    assert [m.pk for m in response.context["meetings_this_week"]] == [world.meeting.pk]
    assert world.meeting.get_absolute_url() in html
    assert "plans-to-approve" not in html  # a teacher approves nothing: no empty card either


@pytest.mark.dated
def test_overdue_item_and_decision_are_marked(world, time_machine):
    assert world.decision.deadline == world.teacher_item.due_date
    assert not dashboard(world, "teacher").context["items_due"][0].overdue
    time_machine.move_to(noon(world.teacher_item.due_date + datetime.timedelta(days=1)))  # the day after the deadline
    response = dashboard(world, "teacher")
    assert response.context["items_due"][0].overdue
    assert response.context["open_decisions"][0].overdue
    assert response.content.decode().count('<span class="badge bg-danger">') == 2


def test_done_work_leaves_the_dashboard(world):
    services.item_mark(item=world.teacher_item, status="done", report="Урок проведён")
    services.decision_mark(decision=world.decision, status=DecisionStatus.DONE, report="Сделано")
    response = dashboard(world, "teacher")
    assert response.context["items_due"] == [] and response.context["open_decisions"] == []
    html = response.content.decode()
    for card in ("items-due", "my-decisions", "my-meetings"):
        assert f'id="{card}"' in html  # the cards stay, with their empty state


# Two weeks ahead must still be in the academic year: a day of the autumn term, not the date of the run.
@pytest.mark.parametrize("today", [datetime.date(2026, 10, 14)], indirect=True, ids=str)
def test_items_due_within_two_weeks_are_shown_and_later_ones_are_not(world, today):
    item = PlanItem.objects.filter(pk=world.teacher_item.pk)
    item.update(due_date=today + datetime.timedelta(days=14))
    assert [i.pk for i in dashboard(world, "teacher").context["items_due"]] == [world.teacher_item.pk]
    item.update(due_date=today + datetime.timedelta(days=15))
    assert dashboard(world, "teacher").context["items_due"] == []


def test_people_without_a_staff_record_get_no_planning_rows(world):
    response = dashboard(world, "admin")
    assert "items_due" not in response.context


def many_submitted_plans(world) -> None:
    """Individual plans of the association's members and plans of the group and the lab, all submitted."""
    members = [m.person for m in world.association.memberships.select_related("person") if m.role == "member"]
    for person in members:
        if person == world.people["teacher"]:
            continue
        plan = services.plan_create(level=PlanLevel.INDIVIDUAL, year=world.year, person=person, created_by=person)
        services.item_add(
            plan=plan,
            content="Самообразование",
            direction=world.directions[7],
            form=WorkForm.SELF_EDUCATION,
            due_date=world.year.end,
            responsible=[person],
        )
        services.plan_submit(plan=plan, person=person)
    for unit, head in ((world.group, "group_lead"), (world.lab, "lab_head")):
        plan = services.plan_create(level=PlanLevel.UNIT, year=world.year, unit=unit, created_by=world.people[head])
        services.item_add(
            plan=plan,
            content="Заседание",
            direction=world.directions[3],
            form=WorkForm.MEETING,
            due_date=world.year.end,
            responsible=[world.people[head]],
        )
        services.plan_submit(plan=plan, person=world.people[head])
    submit_council_plan(world)


def test_fast_selector_agrees_with_approvers_of_for_everyone(world):
    many_submitted_plans(world)
    for role, person in world.people.items():
        expected = [
            p.pk
            for p in selectors.plans_list().filter(status__in=SUBMITTED_PLAN_STATUSES)
            if person.pk in selectors.approvers_of(p)
        ]
        assert [p.pk for p in selectors.plans_awaiting_approval(person)] == expected, role
    assert len(selectors.plans_awaiting_approval(world.people["mo_head"])) >= 6
    assert len(selectors.plans_awaiting_approval(world.people["chair"])) == 3  # association, group, lab


@pytest.mark.parametrize("role", ["mo_head", "chair", "director", "teacher"])
def test_dashboard_queries_do_not_grow_with_submitted_plans(world, role):
    client = client_for(world, role)
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as before:
        client.get(DASHBOARD)
    many_submitted_plans(world)
    with CaptureQueriesContext(connection) as after:
        response = client.get(DASHBOARD)
    # The director's count grows by one once: the current director is looked up when a council plan waits.
    assert len(after) - len(before) == (1 if role == "director" else 0)
    if role in ("mo_head", "chair"):
        assert len(response.context["plans_awaiting"]) >= 3


def test_owner_sees_a_returned_plan_with_the_comment(world):
    services.plan_return(plan=world.teacher_plan, person=world.people["mo_head"], comment="Уточните задачи")
    response = dashboard(world, "teacher")
    assert [p.pk for p in response.context["plans_returned"]] == [world.teacher_plan.pk]
    assert "Уточните задачи" in response.content.decode()
    assert dashboard(world, "mo_head").context["plans_returned"] == []
