"""The dashboard costs the same whatever the history, for every role, and lists what needs the person now.

On a college with years of plans, items, meetings and decisions (tests/history.py): every list's size is read in one
query and only the lists that are not empty are read, each at most a few rows; the items and decisions of the
current academic year are listed, those left overdue in earlier years are counted and linked to their own list; the
plans waiting for approval are read by an approver only, and only those their chain may reach; the methodist's
summary of everyone's attestation reads each person's latest records, not the years of them.
"""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.urls import reverse, reverse_lazy

from attestation import schedule as rules_of_schedule
from attestation.models import (
    AttestationCase,
    CaseDecision,
    CaseKind,
    CaseStatus,
    Category,
    CategoryKind,
    TrainingKind,
    TrainingRecord,
    TrainingStatus,
)
from attestation.selectors.schedule import person_records, records_on, reminders, teaching_staff
from metodservice.attention import attention_count
from planning import selectors as planning_selectors
from planning.models import Decision, Plan, PlanLevel
from structure.models import AbsenceKind, AbsencePeriod
from structure.selectors import roles_of
from tests.history import add_history
from tests.world import ROLES, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, extend=add_history)]

DASHBOARD = reverse_lazy("dashboard")

#: The dashboard's queries per role, the session and the user included (a page is read without a transaction; the
#: dashboard pays no badge: it counts its own rows): roles (1), every list's size (1), then one query per list that
#: is not empty — the teacher's order to acknowledge, items due, decisions, meetings of the week and their own
#: attestation record (1); an approver's plans waiting for approval (2) when a submitted plan may reach them; the
#: methodist's and the deputy's summary of everyone's attestation (1: attestation.selectors.schedule.staff_summary)
#: and the methodist's own record (1: a teaching position).
PINNED = {
    "admin": 3,
    "director": 7,
    "deputy": 5,
    "methodist": 7,
    "chair": 9,
    "secretary": 6,
    "mo_head": 9,
    "group_lead": 7,
    "lab_head": 6,
    "teacher": 9,
    "researcher": 5,
}


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_the_dashboard_answers_in_a_fixed_number_of_queries(world, django_assert_num_queries, role):
    assert PINNED[role] <= 12
    client = client_for(world, role)
    client.get(DASHBOARD)
    with django_assert_num_queries(PINNED[role]):
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    # The badge on the dashboard is its own rows' total, and the same as on every other page.
    assert response.context["attention_count"] == attention_count(
        roles_of(world.admin if role == "admin" else world.people[role].user)
    )


def test_the_teacher_sees_this_years_items_and_a_link_to_the_earlier_ones(world):
    response = client_for(world, "teacher").get(DASHBOARD)
    context, html = response.context, response.content.decode()
    old = world.old_overdue_items
    assert len(old) >= 20
    assert context["items_due"] and all(item.plan.year_id == world.year.pk for item in context["items_due"])
    assert len(context["items_due"]) <= planning_selectors.dashboard.DASHBOARD_LIMIT
    assert context["items_due_count"] >= len(context["items_due"])
    assert not any(f'#item-{item.pk}"' in html for item in old)  # no earlier year's item is listed
    assert context["items_overdue_earlier_count"] == len(old)
    assert f"{reverse('planning:my_items')}?period=earlier" in html


def test_the_teacher_sees_this_years_decisions_and_a_link_to_the_earlier_ones(world):
    response = client_for(world, "teacher").get(DASHBOARD)
    context, html = response.context, response.content.decode()
    assert [d.pk for d in context["open_decisions"]] == [world.decision.pk]
    assert not any(decision.text in html for decision in world.old_open_decisions)
    assert context["decisions_overdue_earlier_count"] == len(world.old_open_decisions)
    assert f"{reverse('planning:decision_list')}?mine=on&amp;overdue=on" in html


def test_the_researcher_is_told_of_earlier_decisions_without_a_link_they_cannot_open(world):
    old = world.old_open_decisions[0]
    Decision.objects.create(
        agenda_item=old.agenda_item,
        text="Давнее поручение",
        responsible=world.people["researcher"],
        deadline=old.deadline,
    )
    html = client_for(world, "researcher").get(DASHBOARD).content.decode()
    assert "decisions-earlier" in html
    assert reverse("planning:decision_list") not in html


def test_a_teacher_does_not_read_the_plans_waiting_for_approval(world):
    assert world.submitted_plans
    response = client_for(world, "teacher").get(DASHBOARD)
    assert response.context["plans_awaiting"] == [] and not response.context["approves_plans"]


def test_an_association_head_reads_only_their_members_plans(world):
    mo_head = world.people["mo_head"]
    reaching = set(planning_selectors.plans_reaching(mo_head, world.today).values_list("pk", flat=True))
    assert reaching == {world.teacher_plan.pk}  # not the history's submitted plans of other associations
    assert client_for(world, "mo_head").get(DASHBOARD).context["plans_awaiting"] == [world.teacher_plan]
    head = world.history_heads[world.history_units[0].pk]
    theirs = {
        p.pk
        for p in world.submitted_plans
        if p.person_id in {m.pk for m in world.history_unit_members[world.history_units[0].pk]}
    }
    theirs.add(world.teacher_plan.pk)  # the world's teacher is a member of that association too: two heads approve
    assert {p.pk for p in planning_selectors.plans_awaiting_approval(head, today=world.today)} == theirs


@pytest.mark.parametrize("role", ["chair", "director", "mo_head"])
def test_the_plans_reaching_an_approver_hold_every_plan_they_approve(world, role):
    """plans_reaching narrows by SQL; approvers_of decides: every submitted plan a person approves is among those
    that reach them."""
    person = world.people[role]
    reaching = set(planning_selectors.plans_reaching(person, world.today).values_list("pk", flat=True))
    for plan in Plan.objects.filter(status__in=["submitted", "amendment_submitted"]).select_related("person__position"):
        if person.pk in planning_selectors.approvers_of(plan, world.today):
            assert plan.pk in reaching, (role, plan)


def test_a_submitted_plan_of_a_teacher_without_a_head_reaches_the_chair(world):
    from planning import services

    loner = world.history_people[-1]  # a member of a dissolved group only: in no association today
    plan = services.plan_create(level=PlanLevel.INDIVIDUAL, year=world.year, person=loner, created_by=loner)
    services.item_add(
        plan=plan,
        content="Самообразование",
        direction=world.directions[7],
        form="self_education",
        due_date=world.year.end,
        responsible=[loner],
    )
    services.plan_submit(plan=plan, person=loner)
    chair = world.people["chair"]
    assert plan.pk in set(planning_selectors.plans_reaching(chair, world.today).values_list("pk", flat=True))
    assert plan in planning_selectors.plans_awaiting_approval(chair, today=world.today)


def _attestation_history(world) -> None:
    """Ten years of records for the history's staff: courses and internships every year (some not confirmed, one
    ending in the future), categories, absences, positive conformity decisions."""
    today = world.today
    kinds = itertools.cycle([TrainingKind.QUALIFICATION, TrainingKind.INTERNSHIP, TrainingKind.RETRAINING])
    statuses = itertools.cycle([TrainingStatus.CONFIRMED] * 4 + [TrainingStatus.SUBMITTED])
    trainings, categories, absences, cases = [], [], [], []
    for n, person in enumerate(world.history_people[:60]):
        person.professional_cycle = n % 2 == 0
        person.save(update_fields=["professional_cycle"])
        for year in range(10):
            end = today - datetime.timedelta(days=365 * year + 17 * n % 300 - 40)
            trainings.append(
                TrainingRecord(
                    person=person,
                    kind=next(kinds),
                    programme="Курс",
                    provider="ИРО",
                    hours=36 + year,
                    start=end - datetime.timedelta(days=10),
                    end=end,
                    document_kind="certificate",
                    status=next(statuses),
                )
            )
        if n % 3 == 0:
            categories.append(
                Category(person=person, kind=CategoryKind.FIRST, set_on=today - datetime.timedelta(days=400 * (n % 7)))
            )
        if n % 5 == 0:
            absences.append(
                AbsencePeriod(
                    person=person,
                    kind=AbsenceKind.PARENTAL,
                    start=today - datetime.timedelta(days=900),
                    end=today - datetime.timedelta(days=200 + n),
                )
            )
        for years_back in (2 + n % 5, 7 + n % 4):
            cases.append(
                AttestationCase(
                    person=person,
                    kind=CaseKind.CONFORMITY,
                    status=CaseStatus.DECIDED,
                    decision=CaseDecision.CONFORMS,
                    decided_on=today - datetime.timedelta(days=365 * years_back + n),
                )
            )
    TrainingRecord.objects.bulk_create(trainings)
    Category.objects.bulk_create(categories)
    AbsencePeriod.objects.bulk_create(absences)
    AttestationCase.objects.bulk_create(cases)


def test_the_summary_of_everyone_reads_the_latest_records_and_answers_as_the_whole_records(world):
    _attestation_history(world)
    today = world.today
    full = dict(person_records(teaching_staff()))
    for person, record in records_on(teaching_staff(), today):
        whole = full[person]
        assert rules_of_schedule.schedule(record, today) == rules_of_schedule.schedule(whole, today), person
        short, long = (rules_of_schedule.training_compliance(r, today) for r in (record, whole))
        assert (
            short.status,
            short.last_course,
            short.course_due_by,
            short.last_internship,
            short.internship_due_by,
        ) == (
            long.status,
            long.last_course,
            long.course_due_by,
            long.last_internship,
            long.internship_due_by,
        ), person
        assert reminders(record, today) == reminders(whole, today), person
    assert len(records_on(teaching_staff(), today)) == len(full) >= 60


def test_a_teachers_own_record_is_read_in_one_query_and_whole(world, django_assert_num_queries):
    from attestation.selectors.schedule import own_record

    _attestation_history(world)
    person = world.history_people[3]
    whole = dict(person_records(teaching_staff().filter(pk=person.pk)))[person]
    with django_assert_num_queries(1):
        mine = own_record(person)
    assert mine == whole  # the same rows, in the same order, as the four prefetches of person_records give
