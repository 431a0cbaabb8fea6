"""Role-matrix rows of the diagnostics results pages (attestation/views/results.py), and the results data the results
tests share (`results_data`).

The data: the default framework (professional standard 01.004, 16 functions), a closed campaign of last academic
year and an open one of this year. `teacher` takes part in both, assessed by the head of their association
(`mo_head`) and by `group_lead` as a named expert; a third expert's assessment (`chair`) is a draft and never counts.
Who sees the teacher's results: the teacher, the experts (`mo_head`, `group_lead`), management and the administrator;
everyone else gets 404. The heat map of a unit: management, the administrator and the heads of associations; the
college summary, its PDF and the college export: management and the administrator.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

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
    CompetencyKind,
    DiagnosticCampaign,
    Score,
)
from planning.models import AcademicYear
from structure.models import Person
from tests.matrix import MANAGEMENT, Case, get
from tests.world import STAFF_ROLES

VIEWERS = ["admin", *MANAGEMENT, "mo_head", "group_lead", "teacher"]
HIDDEN = ["chair", "secretary", "lab_head", "researcher"]
HEADS = ["admin", *MANAGEMENT, "mo_head"]
COLLEGE = ["admin", *MANAGEMENT]

#: The teacher's levels in this year's campaign, per competency in the framework's order (16 functions):
#: self, mo_head, group_lead. Hand-checked rows: A/01.6 gap (3 vs 1) and deficit; A/02.6 median 1.5 of 1 and 2;
#: A/03.6 strength; B/01.5 a drop from 3 last year to 2 (deficit); the rest 2, 2, 2.
THIS_YEAR = [(3, 1, 1), (2, 1, 2), (3, 3, 3), (2, 2, 2)] + [(2, 2, 2)] * 12
#: Last year's expert levels (mo_head only).
LAST_YEAR = [1, 1, 3, 3] + [2] * 12


@dataclass
class ResultsData:
    framework: CompetencyFramework
    competencies: list[Competency]
    past_year: AcademicYear
    year: AcademicYear
    past_campaign: DiagnosticCampaign
    campaign: DiagnosticCampaign
    past_participant: CampaignParticipant
    participant: CampaignParticipant


def many_teachers(world, prefix: str, count: int) -> list[Person]:
    """`count` people in the teacher's position, named `prefix`00, `prefix`01… (bulk: one query)."""
    position = world.people["teacher"].position
    return list(
        Person.objects.bulk_create(
            Person(last_name=f"{prefix}{index:02}", first_name="Анна", patronymic="Ивановна", position=position)
            for index in range(count)
        )
    )


def academic_year(start_year: int) -> AcademicYear:
    year, _created = AcademicYear.objects.get_or_create(
        title=f"{start_year}/{start_year + 1}",
        defaults={"start": datetime.date(start_year, 9, 1), "end": datetime.date(start_year + 1, 8, 31)},
    )
    return year


def default_framework() -> CompetencyFramework:
    return CompetencyFramework.objects.order_by("pk").first()


def assessed(framework: CompetencyFramework) -> list[Competency]:
    return list(
        Competency.objects.filter(framework=framework)
        .exclude(kind=CompetencyKind.GENERALISED)
        .order_by("position", "code", "pk")
    )


def open_campaign(
    framework: CompetencyFramework, year: AcademicYear, title: str, status: str = CampaignStatus.OPEN
) -> DiagnosticCampaign:
    return DiagnosticCampaign.objects.create(
        title=title,
        year=year,
        framework=framework,
        scope=CampaignScope.ALL,
        starts_on=year.start + datetime.timedelta(days=20),
        ends_on=year.start + datetime.timedelta(days=60),
        status=status,
    )


def assess(participant, assessor, kind, levels, competencies, *, submitted=True) -> Assessment:
    assessment = Assessment.objects.create(
        participant=participant,
        assessor=assessor,
        kind=kind,
        status=AssessmentStatus.SUBMITTED if submitted else AssessmentStatus.DRAFT,
        submitted_at=timezone.now() if submitted else None,
    )
    Score.objects.bulk_create(
        Score(assessment=assessment, competency=competency, level=level)
        for competency, level in zip(competencies, levels, strict=True)
        if level is not None
    )
    return assessment


def results_data(world) -> ResultsData:
    """The teacher's two campaigns (made once per world; the matrix's tests roll it back after each URL)."""
    existing = CampaignParticipant.objects.filter(person=world.people["teacher"]).select_related("campaign").first()
    framework = default_framework()
    competencies = assessed(framework)
    start_year = world.today.year if world.today.month >= 9 else world.today.year - 1
    past_year, year = academic_year(start_year - 1), academic_year(start_year)
    if existing is not None:
        campaigns = DiagnosticCampaign.objects.filter(year__in=[past_year, year]).order_by("starts_on")
        past, current = campaigns[0], campaigns[1]
        return ResultsData(
            framework,
            competencies,
            past_year,
            year,
            past,
            current,
            past.participants.get(person=world.people["teacher"]),
            current.participants.get(person=world.people["teacher"]),
        )
    people = world.people
    past = open_campaign(framework, past_year, "Диагностика компетенций", CampaignStatus.CLOSED)
    current = open_campaign(framework, year, "Диагностика компетенций")
    past_participant = CampaignParticipant.objects.create(campaign=past, person=people["teacher"])
    past_participant.experts.set([people["mo_head"]])
    assess(past_participant, people["mo_head"], AssessmentKind.EXPERT, LAST_YEAR, competencies)
    participant = CampaignParticipant.objects.create(campaign=current, person=people["teacher"])
    participant.experts.set([people["mo_head"], people["group_lead"]])
    assess(participant, people["teacher"], AssessmentKind.SELF, [row[0] for row in THIS_YEAR], competencies)
    assess(participant, people["mo_head"], AssessmentKind.EXPERT, [row[1] for row in THIS_YEAR], competencies)
    assess(participant, people["group_lead"], AssessmentKind.EXPERT, [row[2] for row in THIS_YEAR], competencies)
    assess(participant, people["chair"], AssessmentKind.EXPERT, [0] * 16, competencies, submitted=False)
    return ResultsData(framework, competencies, past_year, year, past, current, past_participant, participant)


teacher = lambda w: (results_data(w), {"pk": w.people["teacher"].pk})[1]  # noqa: E731
card = lambda w: {"pk": results_data(w).participant.pk}  # noqa: E731
campaign = lambda w: (results_data(w), {})[1]  # noqa: E731


MATRIX: dict[str, Case] = {
    "attestation:results_mine": get(STAFF_ROLES, campaign),
    "attestation:results_person": get(VIEWERS, teacher, hidden=HIDDEN),
    "attestation:results_card": get(VIEWERS, card, hidden=HIDDEN),
    "attestation:results_units": get(HEADS, campaign),
    "attestation:results_college": get(COLLEGE, campaign),
    "attestation:results_college_pdf": get(COLLEGE, campaign),
    "attestation:results_xlsx": get(COLLEGE, campaign),
}
