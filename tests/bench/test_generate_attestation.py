"""The benchmark's attestation and experience generators (bench/gen/attestation.py, bench/gen/experience.py) over a
small world: the volumes asked for are met near enough from the people that exist, the data keep the domain's rules
(levels on the framework's scale, assessments only by a campaign's participants and their experts, one open
campaign holding today, categories from granted cases), and the named accounts find their work on their pages."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from django.db.models import F
from django.urls import reverse

from attestation.models import (
    Assessment,
    AssessmentKind,
    AttestationCase,
    CampaignStatus,
    CaseDecision,
    CaseStatus,
    Category,
    DiagnosticCampaign,
    Score,
    TrainingRecord,
    TrainingStatus,
)
from bench.gen import attestation, experience
from bench.gen.scale import Scale
from experience.models import ExperienceItem, ItemStatus, LessonVisit, Review
from experience.selectors.items import review_queue
from planning import services as planning
from planning.models import PlanItem, PlanLevel
from structure.models import Person
from structure.selectors import roles_of
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, extra_staff=20)]

TINY = Scale(
    name="tiny",
    staff=30,
    units=4,
    years=2,
    plan_items=0,
    meetings=0,
    orders=0,
    pd_records=80,
    attestation_cases=30,
    assessments=120,
    levels=2_000,
    experience_items=90,
)


def near(made: int, asked: int, tolerance: float) -> bool:
    return abs(made - asked) <= asked * tolerance


def test_volumes_and_the_rules_of_the_data(world, today):
    counts = attestation.generate(TINY, random.Random(13))
    counts |= experience.generate(TINY, random.Random(13))

    # what was asked for, spread over the 28 teaching staff of the world
    assert near(TrainingRecord.objects.count(), TINY.pd_records, 0.25)
    assert near(AttestationCase.objects.count(), TINY.attestation_cases, 0.5)
    assert near(Assessment.objects.count(), TINY.assessments, 0.25)
    assert near(Score.objects.count(), TINY.levels, 0.3)
    assert near(ExperienceItem.objects.count(), TINY.experience_items, 0.25)
    assert counts["attestation_score"] == Score.objects.count()
    assert counts["experience_experienceitem"] == ExperienceItem.objects.count()

    # levels on the scale of the campaign's framework
    for campaign in DiagnosticCampaign.objects.select_related("framework"):
        levels = set(Score.objects.filter(assessment__participant__campaign=campaign).values_list("level", flat=True))
        assert levels <= set(campaign.framework.level_values), campaign

    # a self-assessment is the participant's own; an expert assessment is by one of the participant's experts
    for assessment in Assessment.objects.select_related("participant").prefetch_related("participant__experts"):
        if assessment.kind == AssessmentKind.SELF:
            assert assessment.assessor_id == assessment.participant.person_id
        else:
            assert assessment.assessor_id in {e.pk for e in assessment.participant.experts.all()}
            assert assessment.assessor_id != assessment.participant.person_id

    # one campaign of this year is open, its window holding today; the others are closed
    open_campaigns = DiagnosticCampaign.objects.filter(status=CampaignStatus.OPEN)
    assert [c.year_id for c in open_campaigns] == [world.year.pk]
    assert open_campaigns[0].starts_on <= today <= open_campaigns[0].ends_on
    assert not DiagnosticCampaign.objects.exclude(status__in=(CampaignStatus.OPEN, CampaignStatus.CLOSED)).exists()

    # every granted category case holds its category, set on the day of the decision, and no other case does
    granted = AttestationCase.objects.filter(decision=CaseDecision.GRANTED)
    assert granted.exists()
    assert sorted(granted.values_list("pk", "decided_on")) == sorted(
        Category.objects.filter(case__isnull=False).values_list("case_id", "set_on")
    )
    # the regional commission's limits: the sitting within 30 days of the application, the decision within 60 of it
    for case in AttestationCase.objects.exclude(kind="conformity").filter(decided_on__isnull=False):
        assert 0 <= (case.sitting_on - case.submitted_on).days <= 30
        assert 0 <= (case.decided_on - case.sitting_on).days <= 60

    # a review is by someone other than the item's author
    assert not Review.objects.filter(reviewer_id=F("item__author_id")).exists()
    assert LessonVisit.objects.exists()


def test_the_named_accounts_find_their_work(world, today):
    attestation.generate(TINY, random.Random(7))
    experience.generate(TINY, random.Random(7))
    teacher, mo_head = world.people["teacher"], world.people["mo_head"]

    assert TrainingRecord.objects.filter(person=teacher, status=TrainingStatus.SUBMITTED).exists()
    in_progress = AttestationCase.objects.exclude(status__in=(CaseStatus.DECIDED, CaseStatus.WITHDRAWN))
    assert in_progress.filter(person=teacher).exists()
    # the methodist's work: colleagues' cases in progress
    assert in_progress.exclude(person=world.people["methodist"]).count() >= 3
    open_self = Assessment.objects.filter(
        participant__person=teacher, participant__campaign__status=CampaignStatus.OPEN, kind=AssessmentKind.SELF
    )
    assert open_self.exists()
    statuses = Counter(ExperienceItem.objects.filter(author=teacher).values_list("status", flat=True))
    assert {ItemStatus.DRAFT, ItemStatus.SUBMITTED, ItemStatus.RETURNED, ItemStatus.PUBLISHED} <= set(statuses)

    # mo_head heads the world's association: colleagues' items wait for the review, expert assessments to do
    assert review_queue(roles_of(mo_head.user)).count() >= 3
    assert Assessment.objects.filter(
        assessor=mo_head, kind=AssessmentKind.EXPERT, participant__campaign__status=CampaignStatus.OPEN, status="draft"
    ).exists()
    for role, name in (
        ("teacher", "attestation:assessment_mine"),
        ("teacher", "attestation:case_mine"),
        ("teacher", "experience:item_mine"),
        ("mo_head", "experience:item_review_queue"),
        ("methodist", "attestation:case_list"),
        ("methodist", "attestation:training_pending"),
    ):
        assert client_for(world, role).get(reverse(name)).status_code == 200, (role, name)


def test_deficits_go_into_the_editable_individual_plans(world, today):
    named = {world.people["teacher"].pk, world.people["mo_head"].pk}
    for person in Person.objects.filter(memberships__unit=world.association).exclude(pk__in=named).distinct():
        planning.plan_create(level=PlanLevel.INDIVIDUAL, year=world.year, person=person, created_by=person)
    counts = attestation.generate(TINY, random.Random(13))

    added = counts["planning_planitem_from_deficits"]
    items = PlanItem.objects.filter(plan__level=PlanLevel.INDIVIDUAL, content__startswith="Повышение квалификации")
    assert added > 0
    assert items.count() == added
    for item in items.select_related("plan"):
        assert list(item.responsible.values_list("pk", flat=True)) == [item.plan.person_id]
