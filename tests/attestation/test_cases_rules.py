"""Who may do what with attestation cases (attestation/rules/cases.py), and one answer for the list and the rule:
for every role of the test college, the cases attestation.selectors.cases.cases_visible_to lists are exactly those
attestation.view_case lets the role open. The commission's members see conformity cases, not category ones."""

from __future__ import annotations

import datetime

import pytest
import rules
from django.utils import timezone

from attestation.models import AttestationCase, CaseKind
from attestation.selectors import cases as selectors
from attestation.services import cases as services
from structure.models import UnitKind
from structure.selectors import roles_of
from tests.attestation.matrix_cases import open_case, portfolio_of, submitted_case
from tests.factories import create_unit
from tests.world import ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.world(extra_staff=8)]


def user_of(world, role):
    return world.admin if role == "admin" else world.people[role].user


def add_cases(world) -> dict[str, AttestationCase]:
    """A category case of the teacher, of the chair (in no association), a conformity case of the chair; an
    attestation commission with `secretary` in it."""
    people = world.people
    past = timezone.now() - datetime.timedelta(days=10)
    create_unit(
        people["director"],
        people["deputy"],
        UnitKind.ATTESTATION_COMMISSION,
        "Аттестационная комиссия",
        head=people["deputy"],
        secretary=people["secretary"],
        at=past,
    )
    return {
        "teacher": open_case(world),
        "chair": open_case(world, person="chair"),
        "conformity": AttestationCase.objects.create(
            person=people["chair"], kind=CaseKind.CONFORMITY, created_by=people["methodist"]
        ),
    }


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_the_list_shows_exactly_the_cases_the_rule_opens(world, role):
    cases = add_cases(world)
    user = user_of(world, role)
    by_rule = {c.pk for c in AttestationCase.objects.all() if rules.has_perm("attestation.view_case", user, c)}
    listed = set(selectors.cases_visible_to(roles_of(user)).values_list("pk", flat=True))
    assert listed == by_rule
    expected = {
        "admin": set(cases),
        "director": set(cases),
        "deputy": set(cases),
        "methodist": set(cases),
        "mo_head": {"teacher"},
        "teacher": {"teacher"},
        "chair": {"chair", "conformity"},
        "secretary": {"conformity"},  # a member of the commission: the conformity case only
    }.get(role, set())
    assert listed == {cases[key].pk for key in expected}


def test_who_runs_and_withdraws_a_case(world):
    case = open_case(world)
    people = world.people
    allowed = lambda perm, role, obj=case: rules.has_perm(perm, people[role].user, obj)  # noqa: E731
    assert [
        r for r in ("teacher", "methodist", "deputy", "director", "mo_head") if allowed("attestation.manage_case", r)
    ] == [
        "methodist",
        "deputy",
    ]
    assert [
        r for r in ("teacher", "methodist", "deputy", "director", "mo_head") if allowed("attestation.withdraw_case", r)
    ] == [
        "teacher",
        "methodist",
        "deputy",
    ]
    services.case_withdraw(case=case, by=people["teacher"], reason="Отзываю")
    case.refresh_from_db()
    assert not allowed("attestation.withdraw_case", "teacher")
    assert not allowed("attestation.add_case_document", "methodist")


def test_the_methodist_does_not_run_their_own_case(world):
    case = open_case(world, person="methodist")
    assert not rules.has_perm("attestation.manage_case", world.people["methodist"].user, case)
    assert rules.has_perm("attestation.manage_case", world.people["deputy"].user, case)


def test_who_opens_a_category_case_for_whom(world):
    people = world.people
    may = lambda role, person=None: rules.has_perm(  # noqa: E731
        "attestation.open_category_case", people[role].user, people[person] if person else None
    )
    assert may("teacher") and may("teacher", "teacher") and not may("teacher", "chair")
    assert may("methodist", "teacher") and may("deputy", "chair")
    assert not may("director") and not may("director", "director")  # not a teaching post
    assert not may("methodist", "director")  # nor for someone outside the teaching staff
    assert not rules.has_perm("attestation.open_category_case", people["researcher"].user)


def test_only_the_person_submits_and_adds_documents_before_the_submission(world):
    people = world.people
    may = lambda perm, role, obj: rules.has_perm(perm, people[role].user, obj)  # noqa: E731
    roles = ("teacher", "methodist", "deputy", "director", "mo_head")
    case = open_case(world, kind=CaseKind.HIGHEST)
    assert [r for r in roles if may("attestation.submit_case", r, case)] == ["teacher"]
    assert [r for r in roles if may("attestation.add_case_document", r, case)] == ["teacher", "methodist", "deputy"]
    case = submitted_case(world)
    assert [r for r in roles if may("attestation.submit_case", r, case)] == []
    assert [r for r in roles if may("attestation.add_case_document", r, case)] == ["methodist", "deputy"]
    own = open_case(world, person="methodist")  # on their own case the methodist is the applicant
    assert rules.has_perm("attestation.add_case_document", people["methodist"].user, own)
    services.category_submit(
        case=own,
        by=people["methodist"],
        on=timezone.localdate(),
        portfolio=portfolio_of(people["methodist"]),
    )
    own.refresh_from_db()
    assert not rules.has_perm("attestation.add_case_document", people["methodist"].user, own)
