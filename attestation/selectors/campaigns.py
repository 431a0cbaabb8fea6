"""Reads of diagnostics campaigns and assessments that cross relations, each in a bounded number of queries.

Who sees what (attestation/rules/campaigns.py says the same for one object):

- campaigns (list, detail with the progress of every participant — statuses only, never levels): the director,
  the deputy, the methodist and the administrator;
- «my assessments»: the user's own self-assessment tasks and the participants they assess as an expert;
- an assessment: its assessor always (a draft is seen by nobody else); once submitted, the management, and the
  participant's other assessors (the person, the other experts) who have submitted their own or whose campaign has
  closed (an expert does not see the self-assessment, nor another expert's levels, before submitting, nor the person
  the experts' levels before their self-assessment: each judges on their own).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet

from structure.models import Person
from structure.selectors import Roles

from ..models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    CampaignParticipant,
    CampaignStatus,
    DiagnosticCampaign,
)
from .people import sees_everyone
from .results import cache_seconds as results_cache_seconds

sees_all_campaigns = sees_everyone


def campaigns_visible_to(roles: Roles) -> QuerySet[DiagnosticCampaign]:
    """The campaigns the user may open, the latest first (their counts: `with_progress`, for a page of them)."""
    campaigns = DiagnosticCampaign.objects.select_related("year", "framework", "unit").order_by("-starts_on", "-pk")
    if not sees_all_campaigns(roles):
        return campaigns.none()
    return campaigns


def with_progress(campaigns: Iterable[DiagnosticCampaign]) -> list[DiagnosticCampaign]:
    """The campaigns (a page of the list) with their counts set on each: `participant_count`, `self_submitted`,
    `expert_total`, `expert_submitted`. Two queries for the page, each grouped by campaign in the database (hash
    aggregates: the participants, then the assessments), rather than four subqueries a campaign; a closed
    campaign's from the cache once counted (none when every campaign of the page is kept)."""
    campaigns = list(campaigns)
    seconds = results_cache_seconds()
    # A closed campaign's counts are final (nobody is added, no task written once it closes): kept in the cache.
    keys = {c.pk: f"attestation.campaigns.v1:progress:{c.pk}" for c in campaigns if c.status == CampaignStatus.CLOSED}
    kept = cache.get_many(list(keys.values())) if keys and seconds > 0 else {}
    counts: dict[int, dict[str, int]] = {pk: dict(kept[key]) for pk, key in keys.items() if key in kept}
    ids = [campaign.pk for campaign in campaigns if campaign.pk not in counts]
    counts.update({pk: {"participant_count": 0} for pk in ids})
    if ids:
        participants = (
            CampaignParticipant.objects.filter(campaign_id__in=ids)
            .values("campaign_id")
            .annotate(number=Count("pk"))
            .order_by()
        )
        for row in participants:
            counts[row["campaign_id"]]["participant_count"] = row["number"]
        submitted = AssessmentStatus.SUBMITTED
        tasks = (
            Assessment.objects.filter(participant__campaign_id__in=ids)
            .values("participant__campaign_id")
            .annotate(
                self_submitted=Count("pk", filter=Q(kind=AssessmentKind.SELF, status=submitted)),
                expert_total=Count("pk", filter=Q(kind=AssessmentKind.EXPERT)),
                expert_submitted=Count("pk", filter=Q(kind=AssessmentKind.EXPERT, status=submitted)),
            )
            .order_by()
        )
        for task_row in tasks:
            counts[task_row["participant__campaign_id"]].update(
                {key: task_row[key] for key in ("self_submitted", "expert_total", "expert_submitted")}
            )
        if seconds > 0:
            cache.set_many({keys[pk]: counts[pk] for pk in ids if pk in keys}, seconds)
    for campaign in campaigns:
        campaign.participant_count = counts[campaign.pk]["participant_count"]  # type: ignore[attr-defined]
        campaign.self_submitted = counts[campaign.pk].get("self_submitted", 0)  # type: ignore[attr-defined]
        campaign.expert_total = counts[campaign.pk].get("expert_total", 0)  # type: ignore[attr-defined]
        campaign.expert_submitted = counts[campaign.pk].get("expert_submitted", 0)  # type: ignore[attr-defined]
    return campaigns


def campaign_detail() -> QuerySet[DiagnosticCampaign]:
    return DiagnosticCampaign.objects.select_related("year", "framework", "unit", "created_by")


def progress(campaign: DiagnosticCampaign) -> dict[str, int]:
    """The campaign's totals: participants, those without an expert, self and expert tasks and how many are
    submitted. Two queries."""
    participants = campaign.participants.aggregate(
        total=Count("pk", distinct=True),
        without_expert=Count("pk", filter=Q(experts__isnull=True), distinct=True),
    )
    tasks = Assessment.objects.filter(participant__campaign=campaign).aggregate(
        self_total=Count("pk", filter=Q(kind=AssessmentKind.SELF)),
        self_submitted=Count("pk", filter=Q(kind=AssessmentKind.SELF, status=AssessmentStatus.SUBMITTED)),
        expert_total=Count("pk", filter=Q(kind=AssessmentKind.EXPERT)),
        expert_submitted=Count("pk", filter=Q(kind=AssessmentKind.EXPERT, status=AssessmentStatus.SUBMITTED)),
    )
    return {**participants, **tasks}


def participant_rows(campaign: DiagnosticCampaign) -> QuerySet[CampaignParticipant]:
    """The participants with their experts and tasks (statuses), for a page of the progress table: three queries
    for the page whatever its size."""
    return (
        campaign.participants.select_related("person", "person__position")
        .prefetch_related(
            Prefetch("experts", queryset=Person.objects.order_by("last_name", "first_name", "pk")),
            Prefetch("assessments", queryset=Assessment.objects.order_by("kind", "assessor_id", "pk")),
        )
        .order_by("person__last_name", "person__first_name", "pk")
    )


def assessment_detail() -> QuerySet[Assessment]:
    return Assessment.objects.select_related(
        "assessor",
        "participant__person__position",
        "participant__campaign__framework",
        "participant__campaign__year",
    )


def _tasks(person: Person) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(assessor=person)
        .exclude(participant__campaign__status=CampaignStatus.DRAFT)
        .select_related("participant__person__position", "participant__campaign")
        .order_by("-participant__campaign__starts_on", "participant__person__last_name", "pk")
    )


def my_self_assessments(person: Person) -> QuerySet[Assessment]:
    """The person's self-assessments in opened (and closed) campaigns, the newest campaign first."""
    return _tasks(person).filter(kind=AssessmentKind.SELF)


def my_expert_assessments(person: Person) -> QuerySet[Assessment]:
    """The participants the person assesses as an expert, by campaign (newest first) and name."""
    return _tasks(person).filter(kind=AssessmentKind.EXPERT)


def submitted_own(person_id: int, participant_id: int) -> bool:
    """The person has submitted an assessment of the participant (self or expert)."""
    return Assessment.objects.filter(
        participant_id=participant_id, assessor_id=person_id, status=AssessmentStatus.SUBMITTED
    ).exists()


def is_expert_of(person_id: int, participant_id: int) -> bool:
    return CampaignParticipant.experts.through.objects.filter(
        campaignparticipant_id=participant_id, person_id=person_id
    ).exists()


# ---------------------------------------------------------------- what needs me now


def _due(person: Person, kind: str, today: datetime.date) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(
            assessor=person,
            kind=kind,
            status=AssessmentStatus.DRAFT,
            participant__campaign__status=CampaignStatus.OPEN,
            participant__campaign__starts_on__lte=today,
            participant__campaign__ends_on__gte=today,
        )
        .select_related("participant__person", "participant__campaign")
        .order_by("participant__campaign__ends_on", "participant__person__last_name", "pk")
    )


def needs_me(roles: Roles, *, today: datetime.date) -> dict[str, QuerySet]:
    """The user's assessments waiting to be submitted in open campaigns whose window holds `today`:
    `self_assessments_due` (their own) and `expert_assessments_due` (those they assess as an expert). For the
    dashboard and the menu's badge (metodservice.attention)."""
    person = roles.person
    if person is None:
        return {}
    return {
        "self_assessments_due": _due(person, AssessmentKind.SELF, today),
        "expert_assessments_due": _due(person, AssessmentKind.EXPERT, today),
    }
