"""Role-matrix rows of the suggestions for deficits (attestation/views/suggestions.py), and the hand-built
diagnostics data their tests share (`campaign_of`, `participate`).

The participant: `teacher` in a campaign of the current year, assessed by `mo_head` (the head of the teacher's
association) as an expert, with a deficit in A/02.6. Who sees the suggestions: whoever sees the teacher's results —
the teacher, `mo_head` (head and expert), management and the administrator; everyone else gets 404. Who adds one to
the individual plan: the teacher and `mo_head` (the world's individual plan is submitted, so the action is refused
with a message: still a redirect).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from attestation.models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    CampaignParticipant,
    CampaignScope,
    CampaignStatus,
    Competency,
    CompetencyFramework,
    DiagnosticCampaign,
    Score,
)
from structure.models import Person
from tests.matrix import Case, get, post

VIEWERS = ["admin", "director", "deputy", "methodist", "mo_head", "teacher"]
HIDDEN = ["chair", "secretary", "group_lead", "lab_head", "researcher"]
ADDERS = ["mo_head", "teacher"]


def default_framework() -> CompetencyFramework:
    """The default framework (migration 0004)."""
    return CompetencyFramework.objects.filter(based_on=None).order_by("pk").first()


def competency(code: str, framework: CompetencyFramework | None = None) -> Competency:
    return Competency.objects.get(framework=framework or default_framework(), code=code)


def campaign_of(year, *, starts_on: datetime.date, title: str = "Диагностика", days: int = 30) -> DiagnosticCampaign:
    return DiagnosticCampaign.objects.create(
        title=title,
        year=year,
        framework=default_framework(),
        scope=CampaignScope.ALL,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=days),
        status=CampaignStatus.OPEN,
    )


def participate(
    campaign: DiagnosticCampaign,
    person: Person,
    *,
    experts: dict[Person, dict[str, int]] | None = None,
    self_levels: dict[str, int] | None = None,
    submitted: bool = True,
) -> CampaignParticipant:
    """The person in the campaign with submitted assessments: each expert's levels by competency code, and their
    own."""
    participant = CampaignParticipant.objects.create(campaign=campaign, person=person)
    status = AssessmentStatus.SUBMITTED if submitted else AssessmentStatus.DRAFT
    codes = {c.code: c for c in Competency.objects.filter(framework=campaign.framework_id)}
    assessments = [(expert, AssessmentKind.EXPERT, levels) for expert, levels in (experts or {}).items()]
    if self_levels:
        assessments.append((person, AssessmentKind.SELF, self_levels))
    for assessor, kind, levels in assessments:
        if kind == AssessmentKind.EXPERT:
            participant.experts.add(assessor)
        assessment = Assessment.objects.create(
            participant=participant,
            assessor=assessor,
            kind=kind,
            status=status,
            submitted_at=timezone.now() if submitted else None,
        )
        Score.objects.bulk_create(
            [Score(assessment=assessment, competency=codes[code], level=level) for code, level in levels.items()]
        )
    return participant


def teacher_participant(world) -> CampaignParticipant:
    teacher = world.people["teacher"]
    existing = CampaignParticipant.objects.filter(person=teacher).first()
    if existing is not None:
        return existing
    campaign = campaign_of(world.year, starts_on=world.year.start)
    return participate(campaign, teacher, experts={world.people["mo_head"]: {"A/02.6": 1, "A/01.6": 2}})


participant = lambda w: {"pk": teacher_participant(w).pk}  # noqa: E731

MATRIX: dict[str, Case] = {
    "attestation:suggestions": get(VIEWERS, participant, hidden=HIDDEN),
    "attestation:suggestion_add": post(
        ADDERS, participant, hidden=HIDDEN, data={"kind": "training", "competency": "0"}
    ),
}
