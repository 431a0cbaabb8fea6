"""Who sees which lesson visit: the rule (experience.view_visit, one visit) and the selector (visits_visible_to, a
query) give the same answer for every role of the test college, on visits chosen so that each role sees some and
not others; and the rules of the actions on a visit, of the logs and of the adoptions, role by role."""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from experience.models import AdoptionKind, ItemStatus, LessonVisit
from experience.selectors import visits as selectors
from experience.services import visits as services
from structure.models import MemberRole, Membership
from structure.selectors import roles_of
from tests.experience import visits_data as data
from tests.world import ROLES, STAFF_ROLES

MANAGEMENT_AND_ADMIN = {"director", "deputy", "methodist", "admin"}


def add_visits(world) -> None:
    """Visits between people of two associations and none: A (`mo_head`: `teacher` and three others), B
    (`group_lead`: `lab_head` and one of the council's members)."""
    people = world.people
    members_a = [
        m.person
        for m in Membership.objects.active_on(world.today)
        .filter(unit=world.association, role=MemberRole.MEMBER)
        .exclude(person=people["teacher"])
        .order_by("pk")
    ]
    council_member = (
        Membership.objects.active_on(world.today)
        .filter(unit=world.council, role=MemberRole.MEMBER)
        .exclude(person=people["methodist"])
        .order_by("pk")
        .first()
        .person
    )
    world.association_b = data.second_association(world, members=[people["lab_head"], council_member])
    t, p = people["teacher"], people
    world.visits = {
        "teacher_to_chair": data.plan(t, p["chair"]),
        "chair_to_secretary": data.done(p["chair"], p["secretary"]),
        "lab_head_to_teacher": data.plan(p["lab_head"], t, days=-1),
        "b_to_a": data.done(council_member, members_a[0]),
        "group_lead_to_mo_head": data.plan(p["group_lead"], p["mo_head"], days=5),
        "within_b": data.plan(council_member, p["lab_head"]),
        "a_to_director": data.plan(members_a[1], p["director"]),
    }
    services.visit_cancel(visit=world.visits["a_to_director"], by=members_a[1])


pytestmark = [pytest.mark.django_db, pytest.mark.world(extra_staff=8, extend=add_visits)]

#: Who sees which visit besides management and the administrator.
EXPECTED = {
    "teacher_to_chair": {"teacher", "chair", "mo_head"},
    "chair_to_secretary": {"chair", "secretary"},
    "lab_head_to_teacher": {"lab_head", "teacher", "mo_head", "group_lead"},
    "b_to_a": {"mo_head", "group_lead"},
    "group_lead_to_mo_head": {"group_lead", "mo_head"},
    "within_b": {"group_lead", "lab_head"},
    "a_to_director": {"mo_head"},  # the director sees everything anyway
}


def user_of(world, role):
    if role == "anonymous":
        return AnonymousUser()
    return world.admin if role == "admin" else world.people[role].user


@pytest.mark.parametrize("role", ROLES)
def test_the_rule_and_the_list_agree(world, role):
    user = user_of(world, role)
    listed = set(selectors.visits_visible_to(roles_of(user)).values_list("pk", flat=True))
    everything = list(LessonVisit.objects.all())
    allowed = {visit.pk for visit in everything if rules.has_perm("experience.view_visit", user, visit)}
    assert listed == allowed
    expected = {
        world.visits[name].pk for name, viewers in EXPECTED.items() if role in viewers or role in MANAGEMENT_AND_ADMIN
    }
    assert allowed == expected


def test_the_roles_see_some_and_not_all(world):
    total = LessonVisit.objects.count()
    for role in ("teacher", "mo_head", "group_lead", "chair", "secretary", "lab_head"):
        seen = selectors.visits_visible_to(roles_of(user_of(world, role))).count()
        assert 0 < seen < total, role


@pytest.mark.parametrize("role", ROLES)
def test_only_the_visitor_acts_on_a_planned_visit(world, role):
    user = user_of(world, role)
    planned, filled = world.visits["teacher_to_chair"], world.visits["chair_to_secretary"]
    for perm in ("experience.change_visit", "experience.cancel_visit", "experience.fill_visit"):
        assert rules.has_perm(perm, user, planned) == (role == "teacher")
        assert not rules.has_perm(perm, user, filled)  # fixed once filled, even for its visitor (chair)


@pytest.mark.parametrize("role", ROLES)
def test_who_plans_visits_and_who_reads_the_logs(world, role):
    user = user_of(world, role)
    assert rules.has_perm("experience.add_visit", user) == (role in STAFF_ROLES)
    assert rules.has_perm("experience.view_own_visits", user) == (role in STAFF_ROLES)
    logs = role in MANAGEMENT_AND_ADMIN or role in {"mo_head", "group_lead"}
    assert rules.has_perm("experience.list_visits", user) == logs
    assert rules.has_perm("experience.view_dissemination_report", user) == logs


@pytest.mark.parametrize("role", ROLES)
def test_the_heads_log_offers_their_members_and_associations(world, role):
    roles = roles_of(user_of(world, role))
    if not rules.has_perm("experience.list_visits", user_of(world, role)):
        return
    units = set(selectors.log_units(roles, world.today).values_list("pk", flat=True))
    people = set(selectors.log_people(roles, world.today).values_list("pk", flat=True))
    if role == "mo_head":
        assert units == {world.association.pk}
        assert world.people["teacher"].pk in people and world.people["chair"].pk not in people
    elif role == "group_lead":
        assert units == {world.association_b.pk}
        assert world.people["lab_head"].pk in people and world.people["teacher"].pk not in people
    else:
        assert {world.association.pk, world.association_b.pk} <= units
        assert world.people["researcher"].pk not in people and world.people["chair"].pk in people


@pytest.mark.parametrize("role", ROLES)
def test_adoptions(world, role):
    user = user_of(world, role)
    published = data.item(world.people["mo_head"])
    draft = data.item(world.people["mo_head"], status=ItemStatus.DRAFT)
    assert rules.has_perm("experience.adopt_item", user, published) == (role in STAFF_ROLES)
    assert not rules.has_perm("experience.adopt_item", user, draft)
    assert rules.has_perm("experience.view_item_dissemination", user, published) == (
        role in STAFF_ROLES or role == "admin"
    )
    mark = services.adoption_mark(item=published, person=world.people["teacher"], kind=AdoptionKind.REFERENCED)
    assert rules.has_perm("experience.withdraw_adoption", user, mark) == (role == "teacher")


def test_the_goal_waits_for_the_observation_for_the_visited(world):
    planned, filled = world.visits["teacher_to_chair"], world.visits["chair_to_secretary"]
    chair, secretary = roles_of(world.people["chair"].user), roles_of(world.people["secretary"].user)
    assert not selectors.shows_goal(chair, planned)  # chair is visited
    assert selectors.shows_goal(roles_of(world.people["teacher"].user), planned)
    assert selectors.shows_goal(roles_of(world.people["mo_head"].user), planned)
    assert selectors.shows_goal(secretary, filled)
