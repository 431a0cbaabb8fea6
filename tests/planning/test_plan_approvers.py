"""Every plan has an approver by the structure of the day (planning/selectors/approval.py), and the service's plan is
owned by the head of the methodological service whom the director's order appointed, not by a job position.

The approver of each kind of individual plan — the plan of every role of the test college — is checked against
every role as a would-be approver: approvers_of, the rule planning.approve_plan, plans_awaiting_approval and the
service agree, and the approver may open the plan.
"""

from __future__ import annotations

import datetime

import pytest
import rules
from django.core.exceptions import ValidationError

from planning import selectors, services
from planning.models import Plan, PlanItem, PlanLevel, PlanStatus, WorkForm
from structure.models import UnitKind
from structure.selectors import roles_of
from tests.factories import PersonFactory, create_unit
from tests.world import ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]

#: Whose individual plan → who approves it (module docstring of planning/selectors/approval.py).
EXPECTED_APPROVER = {
    "director": "chair",  # in no association: the council chair
    "deputy": "director",  # the deputy's plan: the director
    "methodist": "director",  # the methodist's plan: the director (today nobody could approve it)
    "chair": "director",  # the chair is the natural approver and the owner: the director
    "secretary": "chair",  # in no association
    "mo_head": "chair",  # an association head's own plan (today nobody could approve it)
    "group_lead": "chair",
    "lab_head": "chair",
    "teacher": "mo_head",  # a member of the ПЦК: its head
}
USERS = [role for role in ROLES if role != "anonymous"]


def submitted_plan(world, person, year=None) -> Plan:
    plan = services.plan_create(level=PlanLevel.INDIVIDUAL, year=year or world.year, person=person, created_by=person)
    services.item_add(
        plan=plan,
        content="Изучить литературу по теме самообразования",
        direction=world.directions[7],
        form=WorkForm.SELF_EDUCATION,
        due_date=world.year.end,
        responsible=[person],
    )
    return services.plan_submit(plan=plan, person=person)


def user_of(world, role):
    return world.admin if role == "admin" else world.people[role].user


def individual_plans(world) -> dict[str, Plan]:
    plans = {"teacher": world.teacher_plan}
    for role in EXPECTED_APPROVER:
        if role != "teacher":
            plans[role] = submitted_plan(world, world.people[role])
    return plans


def test_every_individual_plan_has_its_approver_for_every_role(world):
    plans = individual_plans(world)
    for owner, plan in plans.items():
        expected = world.people[EXPECTED_APPROVER[owner]]
        assert selectors.approvers_of(plan) == {expected.pk}, owner
        for role in USERS:
            user = user_of(world, role)
            may = rules.has_perm("planning.approve_plan", user, plan)
            assert may == (role == EXPECTED_APPROVER[owner]), (owner, role)
        # The approver may open the plan they approve.
        assert rules.has_perm("planning.view_plan", expected.user, plan), owner
    # The dashboard's fast selector gives the same answer, for everyone.
    for role in USERS:
        if role == "admin":
            continue
        person = world.people[role]
        waiting = {p.pk for p in selectors.plans_awaiting_approval(person) if p.level == PlanLevel.INDIVIDUAL}
        assert waiting == {plans[o].pk for o, a in EXPECTED_APPROVER.items() if a == role}, role


@pytest.mark.parametrize("owner", list(EXPECTED_APPROVER))
def test_the_approver_approves_and_nobody_else_may(world, owner):
    plan = world.teacher_plan if owner == "teacher" else submitted_plan(world, world.people[owner])
    approver = EXPECTED_APPROVER[owner]
    for role in ("chair", "director", "mo_head", owner):
        if role == approver:
            continue
        with pytest.raises(ValidationError) as refused:
            services.plan_approve(plan=plan, person=world.people[role])
        assert refused.value.code == ("own_plan" if role == owner else "not_approver"), role
    approved = services.plan_approve(plan=plan, person=world.people[approver])
    assert approved.status == PlanStatus.APPROVED


def test_an_external_researcher_has_no_individual_plan(world):
    with pytest.raises(ValidationError) as refused:
        services.plan_create(
            level=PlanLevel.INDIVIDUAL,
            year=world.year,
            person=world.people["researcher"],
            created_by=world.people["researcher"],
        )
    assert refused.value.error_dict["person"][0].code == "not_staff"


def test_the_chair_who_teaches_in_an_association_goes_to_its_head(world):
    """The structure of the day decides: the chair included in the ПЦК is a teacher of it first."""
    people = world.people
    services_order_include(world, world.association, people["chair"])
    plan = submitted_plan(world, people["chair"])
    assert selectors.approvers_of(plan) == {people["mo_head"].pk}


def test_a_teacher_of_an_association_without_a_head_goes_to_the_chair(world):
    teacher = PersonFactory()
    create_unit(
        world.people["director"],
        world.people["deputy"],
        UnitKind.ASSOCIATION_EDUCATIONAL,
        "МО классных руководителей",
        members=[teacher],
    )
    plan = submitted_plan(world, teacher)
    assert selectors.approvers_of(plan) == {world.people["chair"].pk}


def test_unit_and_council_plans(world):
    assert selectors.approvers_of(world.association_plan) == {world.people["chair"].pk}
    assert selectors.approvers_of(world.council_plan) == {world.people["director"].pk}  # the chair owns it


# ---------------------------------------------------------------- the service's plan


def next_year(world):
    start = world.year.end + datetime.timedelta(days=1)
    return services.year_save(
        title=f"{start.year}/{start.year + 1}",
        start=start,
        end=start.replace(year=start.year + 1) - datetime.timedelta(days=1),
    )


def appoint_service_head(world, head):
    """The director's order creating the methodological service and appointing its head (regulation 4.1)."""
    return create_unit(
        world.people["director"], world.people["deputy"], UnitKind.SERVICE, "Методическая служба", head=head
    )


def test_the_head_of_the_service_owns_its_plan_drafters_only_draft(world):
    people = world.people
    year = next_year(world)
    # Before the order nobody owns the service's plan: a job position gives no ownership.
    for role in ("deputy", "methodist", "group_lead"):
        assert not rules.has_perm("planning.amend_plan", people[role].user, world.service_plan), role
    assert not rules.has_perm("planning.add_service_plan", people["group_lead"].user)

    appoint_service_head(world, people["group_lead"])  # a teacher by position, the head by order
    forget_roles(world)
    head = people["group_lead"].user
    assert selectors.plan_owners(world.service_plan) == {people["group_lead"].pk}
    assert rules.has_perm("planning.add_service_plan", head)
    assert rules.has_perm("planning.amend_plan", head, world.service_plan)
    item = PlanItem.objects.select_related("plan").get(pk=world.teacher_item.pk)
    assert rules.has_perm("planning.mark_item", head, item)
    assert not rules.has_perm("planning.mark_item", people["methodist"].user, item)

    # The methodist drafts next year's plan for the head: creates and edits it, but does not submit it.
    plan = services.plan_create(level=PlanLevel.SERVICE, year=year, created_by=people["methodist"])
    services.item_add(
        plan=plan,
        content="Педагогический совет",
        direction=world.directions[1],
        form=WorkForm.MEETING,
        due_date=year.start + datetime.timedelta(days=30),
        responsible=[people["methodist"]],
    )
    for role in ("methodist", "deputy", "group_lead"):
        assert rules.has_perm("planning.change_plan", people[role].user, plan), role
    assert not rules.has_perm("planning.change_plan", people["teacher"].user, plan)
    assert rules.has_perm("planning.submit_plan", head, plan)
    for role in ("methodist", "deputy", "teacher", "chair"):
        assert not rules.has_perm("planning.submit_plan", people[role].user, plan), role

    services.plan_submit(plan=plan, person=people["group_lead"])
    assert selectors.approvers_of(plan) == {people["chair"].pk}
    # Returned: it comes back to its owner and to its drafter.
    services.plan_return(plan=plan, person=people["chair"], comment="Добавьте семинары")
    for role in ("group_lead", "methodist"):
        assert [p.pk for p in selectors.plans_returned_to(roles_of(people[role].user))] == [plan.pk], role
    assert not selectors.plans_returned_to(roles_of(people["deputy"].user)).exists()
    services.plan_submit(plan=plan, person=people["group_lead"])
    plan = services.plan_approve(plan=plan, person=people["chair"])
    assert rules.has_perm("planning.amend_plan", head, plan)
    assert not rules.has_perm("planning.amend_plan", people["methodist"].user, plan)


def forget_roles(world) -> None:
    """The roles are remembered on the user for a request; the structure changed."""
    for person in world.people.values():
        if person.user is not None:
            person.user._metod_roles = None


def test_the_chair_heading_the_service_sends_its_plan_to_the_director(world):
    people = world.people
    appoint_service_head(world, people["chair"])
    forget_roles(world)
    year = next_year(world)
    plan = services.plan_create(level=PlanLevel.SERVICE, year=year, created_by=people["methodist"])
    services.item_add(
        plan=plan,
        content="Педагогический совет",
        direction=world.directions[1],
        form=WorkForm.MEETING,
        due_date=year.end,
        responsible=[people["chair"]],
    )
    services.plan_submit(plan=plan, person=people["chair"])
    assert selectors.approvers_of(plan) == {people["director"].pk}
    assert [p.pk for p in selectors.plans_awaiting_approval(people["director"])] == [plan.pk]
    assert plan.pk not in {p.pk for p in selectors.plans_awaiting_approval(people["chair"])}


def services_order_include(world, unit, person):
    from structure.models import ActionKind
    from tests.factories import signed_order

    signed_order(
        world.people["director"],
        world.people["deputy"],
        [{"kind": ActionKind.INCLUDE, "unit": unit, "person": person}],
        title="О включении в состав ПЦК",
    )
