"""Who may do what with professional development records (attestation/rules/training.py), role by role, and the
lists agree with the rules: the compliance list shows exactly the teaching staff whose records the user may see,
the list of records waiting for confirmation exactly the waiting records the user may open."""

from __future__ import annotations

import datetime

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from attestation.models import DocumentKind, TrainingKind, TrainingRecord, TrainingStatus
from attestation.selectors import training as selectors
from attestation.services import training as services
from structure.models import ActionKind, MemberRole, Membership, Person
from structure.selectors import roles_of
from tests.factories import signed_order
from tests.world import ROLES, STAFF_ROLES

# extra_staff: members of the council (5) and of the association (the rest), so that the head has members to see.
pytestmark = [pytest.mark.django_db, pytest.mark.world(extra_staff=8)]

MANAGEMENT = ["director", "deputy", "methodist"]


def user_of(world, role: str):
    if role == "anonymous":
        return AnonymousUser()
    return world.admin if role == "admin" else world.people[role].user


def add(person: Person, by: Person, programme: str = "Цифровая дидактика", days_ago: int = 30) -> TrainingRecord:
    today = timezone.localdate()
    return services.training_add(
        person=person,
        by=by,
        kind=TrainingKind.QUALIFICATION,
        programme=programme,
        provider="Институт развития образования",
        hours=36,
        start=today - datetime.timedelta(days=days_ago + 5),
        end=today - datetime.timedelta(days=days_ago),
        document_kind=DocumentKind.CERTIFICATE,
        today=today,
    )


@pytest.fixture
def records(world):
    people = world.people
    teacher, methodist, deputy = people["teacher"], people["methodist"], people["deputy"]
    made = {
        "teacher_waiting": add(teacher, teacher),
        "teacher_confirmed": add(teacher, teacher, "Наставничество", 400),
        "teacher_by_methodist": add(teacher, methodist, "Проектное обучение", 800),
        "methodist_waiting": add(methodist, methodist),
        "methodist_confirmed": add(methodist, methodist, "Наставничество", 400),
        "secretary_waiting": add(people["secretary"], people["secretary"]),
    }
    services.training_confirm(record=made["teacher_confirmed"], by=methodist)
    services.training_confirm(record=made["methodist_confirmed"], by=deputy)
    return {key: TrainingRecord.objects.get(pk=record.pk) for key, record in made.items()}


def allowed(world, perm: str, obj=None) -> set[str]:
    return {role for role in ROLES if rules.has_perm(perm, user_of(world, role), obj)}


def test_the_roles_of_the_pages(world):
    assert allowed(world, "attestation.view_own_trainings") == set(STAFF_ROLES)
    assert allowed(world, "attestation.add_training") == set(STAFF_ROLES)
    assert allowed(world, "attestation.add_training_for_others") == {"methodist"}
    lists = {"admin", *MANAGEMENT, "mo_head"}
    assert allowed(world, "attestation.list_training_compliance") == lists
    assert allowed(world, "attestation.list_pending_trainings") == lists


def test_who_sees_a_teachers_records(world, records):
    viewers = {"admin", *MANAGEMENT, "mo_head", "teacher"}
    assert allowed(world, "attestation.view_training", records["teacher_waiting"]) == viewers
    assert allowed(world, "attestation.view_person_trainings", world.people["teacher"]) == viewers


def test_an_association_head_sees_only_members_of_their_association(world, records):
    # the secretary belongs to the council only: the association's head does not see their records
    assert allowed(world, "attestation.view_training", records["secretary_waiting"]) == {
        "admin",
        *MANAGEMENT,
        "secretary",
    }


def test_who_edits(world, records):
    assert allowed(world, "attestation.change_training", records["teacher_waiting"]) == {"teacher", "methodist"}
    assert allowed(world, "attestation.change_training", records["teacher_confirmed"]) == {"methodist"}
    assert allowed(world, "attestation.change_training", records["methodist_waiting"]) == {"methodist"}
    # their own confirmed record: the methodist would be confirming their own changes
    assert allowed(world, "attestation.change_training", records["methodist_confirmed"]) == set()


def test_who_deletes(world, records):
    assert allowed(world, "attestation.delete_training", records["teacher_waiting"]) == {"teacher"}
    assert allowed(world, "attestation.delete_training", records["teacher_by_methodist"]) == {"teacher", "methodist"}
    assert allowed(world, "attestation.delete_training", records["teacher_confirmed"]) == set()


@pytest.mark.parametrize("perm", ["attestation.confirm_training", "attestation.return_training"])
def test_who_confirms_and_returns(world, records, perm):
    assert allowed(world, perm, records["teacher_waiting"]) == {"methodist", "deputy"}
    assert allowed(world, perm, records["methodist_waiting"]) == {"deputy"}
    assert allowed(world, perm, records["teacher_confirmed"]) == set()
    returned = records["teacher_by_methodist"]
    services.training_return(record=returned, by=world.people["deputy"], comment="Нет номера")
    returned.refresh_from_db()
    assert allowed(world, perm, returned) == set()


def test_a_teacher_excluded_from_the_association_is_no_longer_seen_by_its_head(world, records):
    """ "Members" are today's: the rule reads the memberships in force today."""
    people = world.people
    member = (
        Membership.objects.active_on(timezone.localdate())
        .filter(unit=world.association, role=MemberRole.MEMBER)
        .exclude(person=people["teacher"])
        .first()
        .person
    )  # in the association for 30 days (the teacher was included only today)
    record = add(member, member)
    assert rules.has_perm("attestation.view_training", people["mo_head"].user, record)
    exclude = {"kind": ActionKind.EXCLUDE, "unit": world.association, "person": member}
    signed_order(people["director"], people["deputy"], [exclude], title="Об исключении из состава ПЦК")

    head = Person.objects.get(pk=people["mo_head"].pk).user  # a fresh user: roles are cached per request
    assert not rules.has_perm("attestation.view_training", head, record)
    assert record.person_id not in set(selectors.teaching_staff_visible_to(roles_of(head)).values_list("pk", flat=True))


@pytest.mark.parametrize("role", ROLES)
def test_the_compliance_list_shows_exactly_whom_the_rule_lets_the_user_see(world, records, role):
    user = user_of(world, role)
    roles = roles_of(user)
    listed = set(selectors.teaching_staff_visible_to(roles).values_list("pk", flat=True))
    by_rule = {
        person.pk
        for person in selectors.teaching_staff()
        if rules.has_perm("attestation.view_person_trainings", user, person)
    }
    if rules.has_perm("attestation.list_training_compliance", user):
        assert listed == by_rule
        assert listed, "a role that lists sees somebody in this world"
    else:
        assert listed == set()


@pytest.mark.parametrize("role", ROLES)
def test_the_waiting_list_shows_exactly_the_waiting_records_the_user_may_open(world, records, role):
    user = user_of(world, role)
    listed = set(selectors.pending_trainings(roles_of(user)).values_list("pk", flat=True))
    by_rule = {
        record.pk
        for record in TrainingRecord.objects.filter(status=TrainingStatus.SUBMITTED)
        if rules.has_perm("attestation.view_training", user, record)
    }
    assert listed == by_rule
