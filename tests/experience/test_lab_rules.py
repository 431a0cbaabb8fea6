"""Who may do what with the lab's experiments (experience/rules/lab.py), role by role, and the list agrees with the
rule: experiments_visible_to gives each user exactly the experiments `view_experiment` lets them open.

The data (tests/experience/lab_data.py): the world's lab runs an experiment not published; a second lab, with its own
external researcher (`researcher2`), an experiment with published results."""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from experience.models import Experiment
from experience.selectors import lab as selectors
from structure.models import ActionKind, User
from structure.selectors import roles_of
from tests.experience.lab_data import EDITORS, FULL, MEMBERS, lab_data
from tests.factories import signed_order
from tests.world import ROLES, STAFF_ROLES

pytestmark = [pytest.mark.django_db]

ALL = [*ROLES, "researcher2"]


@pytest.fixture
def data(world):
    return lab_data(world)


def user_of(world, role: str):
    """A fresh user object (roles_of caches the roles on the object it is given)."""
    if role == "anonymous":
        return AnonymousUser()
    if role == "researcher2":
        return User.objects.get(username="researcher2")
    return User.objects.get(pk=(world.admin if role == "admin" else world.people[role].user).pk)


def allowed(world, perm: str, obj=None) -> set[str]:
    return {role for role in ALL if rules.has_perm(perm, user_of(world, role), obj)}


def test_who_sees_an_experiment_not_yet_published(world, data):
    experiment = data.experiment
    assert allowed(world, "experience.view_experiment", experiment) == set(FULL)
    assert allowed(world, "experience.view_experiment_details", experiment) == set(FULL)


def test_who_sees_an_experiment_whose_results_are_published(world, data):
    published = data.published
    # every member of the staff and the administrator; the other lab's researcher, never the first lab's
    assert allowed(world, "experience.view_experiment", published) == {*STAFF_ROLES, "admin", "researcher2"}
    # in full: the lab (its researcher), the council, management, the administrator
    full = {"admin", "director", "deputy", "methodist", "chair", "secretary", "researcher2"}
    assert allowed(world, "experience.view_experiment_details", published) == full


def test_who_keeps_the_programme_enters_data_and_writes_the_results(world, data):
    experiment = data.experiment
    assert allowed(world, "experience.list_experiments") == set(ALL) - {"anonymous"}
    assert allowed(world, "experience.add_experiment") == set(EDITORS)
    for perm in ("change_experiment", "delete_experiment"):
        assert allowed(world, f"experience.{perm}", experiment) == set(EDITORS)
        assert allowed(world, f"experience.{perm}", data.published) == {"deputy", "methodist"}
    assert allowed(world, "experience.add_measurement", experiment) == set(MEMBERS)
    assert allowed(world, "experience.add_measurement", data.published) == {"researcher2"}
    assert allowed(world, "experience.write_results", experiment) == {"lab_head"}
    assert allowed(world, "experience.write_results", data.published) == set()  # its head has no account
    assert allowed(world, "experience.delete_measurement", data.by_researcher) == {"researcher", "lab_head"}
    by_head = experiment.indicators.get(pk=data.absences.pk).measurements.get()
    assert allowed(world, "experience.delete_measurement", by_head) == {"lab_head"}


def check_agreement(world) -> dict[str, set[int]]:
    """For every role: the experiments the rule lets it open are the experiments the list gives it."""
    experiments = list(Experiment.objects.all())
    seen = {}
    for role in ALL:
        user = user_of(world, role)
        by_rule = {e.pk for e in experiments if rules.has_perm("experience.view_experiment", user, e)}
        listed = set(selectors.experiments_visible_to(roles_of(user_of(world, role))).values_list("pk", flat=True))
        assert by_rule == listed, role
        page = set(selectors.experiment_list(roles_of(user)).values_list("pk", flat=True))
        assert page == listed, role
        seen[role] = listed
    return seen


def test_the_list_shows_what_the_rule_opens_for_every_role(world, data):
    seen = check_agreement(world)
    both, mine, published = (
        {data.experiment.pk, data.published.pk},
        {data.experiment.pk},
        {data.published.pk},
    )
    assert seen["anonymous"] == set()
    assert seen["researcher"] == mine and seen["researcher2"] == published
    assert seen["teacher"] == published and seen["mo_head"] == published
    assert seen["chair"] == both and seen["admin"] == both and seen["lab_head"] == both
    # the results withdrawn: the staff outside the lab and the council see it no more
    Experiment.objects.filter(pk=data.published.pk).update(results_published=False)
    seen = check_agreement(world)
    assert seen["teacher"] == set() and seen["researcher2"] == published and seen["secretary"] == both


def test_a_researcher_who_left_the_lab_sees_nothing(world, data):
    researcher = world.people["researcher"]
    exclude = {"kind": ActionKind.EXCLUDE, "unit": world.lab, "person": researcher}
    signed_order(world.people["director"], world.people["deputy"], [exclude], title="Об исключении из лаборатории")
    assert not rules.has_perm("experience.view_experiment", user_of(world, "researcher"), data.experiment)
    assert not rules.has_perm("experience.delete_measurement", user_of(world, "researcher"), data.by_researcher)
    assert check_agreement(world)["researcher"] == set()
