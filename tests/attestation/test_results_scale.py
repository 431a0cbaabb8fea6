"""The college summary computed in the database (attestation.selectors.results: the experts' medians, their
distribution and averages per competency and per year) gives exactly what a plain Python reading of the submitted
levels gives, on campaigns where a person has from one to six experts (the SQL takes a short way up to four and ranks
the levels beyond), drafts that never count, self-assessments and two academic years; kept in the cache, it gives
the same, and a new submission in an open campaign is seen at once."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest
from django.core.cache import cache
from django.urls import reverse

from attestation import diagnostics
from attestation.models import AssessmentKind, AssessmentStatus, CampaignParticipant, CampaignStatus, Score
from attestation.selectors import results as selectors
from tests.attestation.matrix_results import assess, many_teachers, results_data
from tests.world import client_for

pytestmark = [pytest.mark.django_db]

PEOPLE = 12


def _fill(world, campaign, competencies, rng: random.Random, prefix: str) -> None:
    """PEOPLE participants; person i has (i % 6) + 1 submitted expert assessments and a draft one, a self-assessment
    for two people in three; some levels left out."""
    people = many_teachers(world, prefix, PEOPLE)
    experts = many_teachers(world, f"{prefix}Эксперт", 7)
    for index, person in enumerate(people):
        participant = CampaignParticipant.objects.create(campaign=campaign, person=person)
        if index % 3:
            levels = [rng.randint(0, 3) for _ in competencies]
            assess(participant, person, AssessmentKind.SELF, levels, competencies)
        for expert in experts[: index % 6 + 1]:
            levels = [None if rng.random() < 0.1 else rng.randint(0, 3) for _ in competencies]
            assess(participant, expert, AssessmentKind.EXPERT, levels, competencies)
        draft = [0] * len(competencies)
        assess(participant, experts[6], AssessmentKind.EXPERT, draft, competencies, submitted=False)


@pytest.fixture
def data(world):
    data = results_data(world)
    rng = random.Random(13)
    _fill(world, data.past_campaign, data.competencies, rng, "Прошлый")
    _fill(world, data.campaign, data.competencies, rng, "Нынешний")
    return data


def _submitted(campaign_ids, kind):
    return Score.objects.filter(
        assessment__participant__campaign_id__in=campaign_ids,
        assessment__status=AssessmentStatus.SUBMITTED,
        assessment__kind=kind,
    ).values_list("assessment__participant_id", "competency_id", "competency__code", "level")


def _mean(values):
    return round(sum(values) / len(values), 2) if values else None


def plain_summary(campaign, competencies, levels_scale, history):
    """What the summary shows, read the plain way: every submitted level into Python, statistics.median per person."""
    expert = defaultdict(lambda: defaultdict(list))
    for participant_id, competency_id, _code, level in _submitted([campaign.pk], AssessmentKind.EXPERT):
        expert[competency_id][participant_id].append(level)
    own = defaultdict(list)
    for _participant_id, competency_id, _code, level in _submitted([campaign.pk], AssessmentKind.SELF):
        own[competency_id].append(level)
    values = [int(level["value"]) for level in levels_scale]
    rows, assessed = [], set()
    for competency in competencies:
        medians = [diagnostics.experts_median(levels) for levels in expert[competency.pk].values()]
        assessed.update(expert[competency.pk])
        counts = [sum(1 for median in medians if int(median) == value) for value in values]
        deficits = sum(1 for median in medians if median <= diagnostics.DEFICIT_LEVEL)
        rows.append((competency.pk, tuple(counts), len(medians), _mean(medians), deficits, _mean(own[competency.pk])))
    per_year = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for past in history:
        for participant_id, _competency_id, code, level in _submitted([past.pk], AssessmentKind.EXPERT):
            per_year[code][past.year.title][participant_id].append(level)
    years = sorted({past.year.title for past in history})
    averages = {
        code: [_mean([diagnostics.experts_median(v) for v in by_year[year].values()]) for year in years]
        for code, by_year in per_year.items()
    }
    return campaign.participants.count(), len(assessed), rows, years, averages


def _shown(summary):
    rows = [(r.competency.pk, r.counts, r.assessed, r.average, r.deficits, r.self_average) for r in summary.rows]
    averages = {code: values for code, _name, values in summary.averages}
    return summary.participants, summary.assessed, rows, summary.years, averages


@pytest.mark.parametrize("which", ["past_campaign", "campaign"])
def test_the_summary_is_what_the_levels_give(world, data, which):
    campaign = getattr(data, which)
    history = [data.past_campaign] if which == "past_campaign" else [data.past_campaign, data.campaign]
    summary = selectors.college_summary(campaign)
    expected = plain_summary(campaign, data.competencies, data.framework.levels, history)
    assert _shown(summary) == expected
    assert summary.participants == PEOPLE + 1 and summary.assessed == PEOPLE + 1


def test_medians_of_up_to_six_experts(world, data):
    """Each participant's medians per competency from the SQL against statistics.median (the heat map's reading)."""
    tables = selectors._medians_sql("a.participant_id IN (SELECT id FROM attestation_campaignparticipant)")
    rows = selectors._rows(
        tables + " SELECT participant_id, competency_id, twice FROM medians", selectors._expert_params()
    )
    computed = {(participant_id, competency_id): int(twice) / 2 for participant_id, competency_id, twice in rows}
    expected = {}
    collected = defaultdict(list)
    for participant_id, competency_id, _code, level in _submitted(
        [data.past_campaign.pk, data.campaign.pk], AssessmentKind.EXPERT
    ):
        collected[(participant_id, competency_id)].append(level)
    for key, levels in collected.items():
        expected[key] = diagnostics.experts_median(levels)
    assert computed == expected
    assert {len(levels) for levels in collected.values()} >= {1, 2, 3, 4, 5, 6}


def test_the_cached_summary_is_the_same_and_sees_a_new_submission(world, data, settings, django_assert_num_queries):
    settings.RESULTS_CACHE_SECONDS = 3600
    cache.clear()
    try:
        cold = _shown(selectors.college_summary(data.campaign))
        assert _shown(selectors.college_summary(data.campaign)) == cold
        # the closed campaign is kept as it is; the open one under its fingerprint: a new submission is counted
        newcomer = CampaignParticipant.objects.create(campaign=data.campaign, person=world.people["secretary"])
        assess(newcomer, world.people["mo_head"], AssessmentKind.EXPERT, [3] * 16, data.competencies)
        warm = selectors.college_summary(data.campaign)
        assert warm.participants == PEOPLE + 2 and warm.assessed == PEOPLE + 2
        expected = plain_summary(
            data.campaign, data.competencies, data.framework.levels, [data.past_campaign, data.campaign]
        )
        assert _shown(warm) == expected
        assert data.past_campaign.status == CampaignStatus.CLOSED
        assert _shown(selectors.college_summary(data.past_campaign)) == plain_summary(
            data.past_campaign, data.competencies, data.framework.levels, [data.past_campaign]
        )
    finally:
        cache.clear()


@pytest.mark.parametrize(
    "address",
    [
        lambda w: reverse("attestation:results_college"),
        lambda w: reverse("attestation:results_units"),
        lambda w: reverse("attestation:campaign_list"),
    ],
)
def test_the_count_of_queries_does_not_grow_with_the_campaign(world, data, address, django_assert_max_num_queries):
    client = client_for(world, "methodist")
    url = address(world)
    client.get(url)
    with django_assert_max_num_queries(12) as before:
        assert client.get(url).status_code == 200
    _fill(world, data.campaign, data.competencies, random.Random(7), "Ещё")
    with django_assert_max_num_queries(12) as after:
        assert client.get(url).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries)
