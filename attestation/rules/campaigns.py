"""Permissions of attestation/: diagnostics campaigns and assessments.

- Seeing campaigns (the list, a campaign's page with everyone's progress): the director, the deputy, the methodist
  and the administrator (attestation.selectors.campaigns lists the same).
- Drafting, editing and deleting a draft, opening and closing a campaign: the methodist and the deputy.
- «My assessments»: everyone on the staff.
- Writing an assessment: its assessor (the service checks the campaign and the window).
- Seeing an assessment: its assessor; once submitted, the management and the administrator, and the participant's
  other assessors (the person assessed, the other experts) once they have submitted their own or the campaign has
  closed: each judges on their own first. A draft is its assessor's alone.
"""

import rules

from structure.rules import is_admin, is_deputy, is_management, is_methodist, is_staff_member
from structure.selectors import roles_of

from ..models import AssessmentStatus, CampaignStatus
from ..selectors.campaigns import is_expert_of, submitted_own


def _person_id(user):
    person = roles_of(user).person
    return person.pk if person is not None else None


@rules.predicate
def campaign_is_draft(user, campaign) -> bool:
    return campaign is not None and campaign.status == CampaignStatus.DRAFT


@rules.predicate
def campaign_is_open(user, campaign) -> bool:
    return campaign is not None and campaign.status == CampaignStatus.OPEN


@rules.predicate
def is_assessor(user, assessment) -> bool:
    return assessment is not None and assessment.assessor_id == _person_id(user)


@rules.predicate
def is_submitted(user, assessment) -> bool:
    return assessment is not None and assessment.status == AssessmentStatus.SUBMITTED


@rules.predicate
def is_assessed_person(user, assessment) -> bool:
    return assessment is not None and assessment.participant.person_id == _person_id(user)


@rules.predicate
def is_other_expert(user, assessment) -> bool:
    """The user is named an expert of the assessment's participant."""
    me = _person_id(user)
    return assessment is not None and me is not None and is_expert_of(me, assessment.participant_id)


@rules.predicate
def campaign_closed(user, assessment) -> bool:
    return assessment is not None and assessment.participant.campaign.status == CampaignStatus.CLOSED


@rules.predicate
def submitted_own_assessment(user, assessment) -> bool:
    """The user assessed the same participant too and has submitted it."""
    me = _person_id(user)
    return assessment is not None and me is not None and submitted_own(me, assessment.participant_id)


runs_campaigns = is_methodist | is_deputy
sees_campaigns = is_admin | is_management

rules.add_perm("attestation.list_campaigns", sees_campaigns)
rules.add_perm("attestation.view_campaign", sees_campaigns)
rules.add_perm("attestation.add_campaign", runs_campaigns)
rules.add_perm("attestation.change_campaign", runs_campaigns & campaign_is_draft)
rules.add_perm("attestation.delete_campaign", runs_campaigns & campaign_is_draft)
rules.add_perm("attestation.open_campaign", runs_campaigns & campaign_is_draft)
rules.add_perm("attestation.close_campaign", runs_campaigns & campaign_is_open)
rules.add_perm("attestation.view_my_assessments", is_staff_member)
rules.add_perm(
    "attestation.view_assessment",
    is_assessor
    | (
        is_submitted
        & (sees_campaigns | ((is_assessed_person | is_other_expert) & (submitted_own_assessment | campaign_closed)))
    ),
)
rules.add_perm("attestation.change_assessment", is_assessor)
