"""One answer per permission (as tests/test_visibility_matches_rules.py for the other apps): the campaigns a role's
list shows are exactly those the rule lets it open; «my assessments» and the dashboard's rows show only tasks the
role may open and write."""

from __future__ import annotations

import pytest
import rules

from attestation.models import Assessment, DiagnosticCampaign
from attestation.selectors import campaigns as selectors
from attestation.services import campaigns as services
from structure.selectors import roles_of
from tests.attestation.test_campaigns_services import draft, levels, opened, task
from tests.world import ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]


def user_of(world, role):
    return world.admin if role == "admin" else world.people[role].user


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_lists_match_the_rules(world, role):
    draft(world)
    campaign = opened(world)
    teacher = world.people["teacher"]
    services.assessment_save(
        assessment=task(campaign, teacher), by=teacher, scores=levels(), submit=True, today=world.today
    )
    user = user_of(world, role)
    roles = roles_of(user)
    listed = set(selectors.campaigns_visible_to(roles).values_list("pk", flat=True))
    allowed = {c.pk for c in DiagnosticCampaign.objects.all() if rules.has_perm("attestation.view_campaign", user, c)}
    assert listed == allowed
    assert len(allowed) in (0, DiagnosticCampaign.objects.count())
    if roles.person is None:
        return
    for task_ in [*selectors.my_self_assessments(roles.person), *selectors.my_expert_assessments(roles.person)]:
        assert rules.has_perm("attestation.view_assessment", user, task_)
        assert rules.has_perm("attestation.change_assessment", user, task_)
    for rows in selectors.needs_me(roles, today=world.today).values():
        for task_ in rows:
            assert rules.has_perm("attestation.change_assessment", user, task_)
    # nobody but its assessor sees a draft
    for assessment in Assessment.objects.filter(status="draft").select_related("participant"):
        if assessment.assessor_id != roles.person.pk:
            assert not rules.has_perm("attestation.view_assessment", user, assessment)
