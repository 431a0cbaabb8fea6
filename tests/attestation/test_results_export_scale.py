"""The diagnostics results export (attestation:results_xlsx, attestation.selectors.results.export_rows) computed in the
database and streamed gives exactly the rows a plain Python reading of the submitted levels gives: per participant
(by name) and competency (in the framework's order) the self level, each expert's level (by the expert's name), their
median, the previous median from the person's latest earlier campaign where that competency has expert levels (an
older one when all the latest one's experts left it out) and the flags; drafts never count; a unit's export has its
members only; the number of queries does not grow with the people."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest
from django.urls import reverse

from attestation import diagnostics
from attestation.models import AssessmentKind, AssessmentStatus, CampaignParticipant, CampaignStatus, Score
from attestation.selectors import results as selectors
from attestation.views.results import results_table_rows
from structure.models import Person
from tests.attestation.matrix_results import academic_year, assess, many_teachers, open_campaign, results_data
from tests.test_streaming_exports import download
from tests.world import client_for

pytestmark = [pytest.mark.django_db]

PEOPLE = 10


def _fill(world, campaigns, competencies, rng: random.Random, prefix: str) -> list[Person]:
    """PEOPLE people in each of `campaigns`; person i has (i % 5) + 1 submitted experts (the single one of a person
    leaves a third of the levels out), a draft expert, a self-assessment for two in three; person 0 takes no part in
    the middle campaign."""
    people = many_teachers(world, prefix, PEOPLE)
    experts = many_teachers(world, f"{prefix}Эксперт", 6)
    rng.shuffle(experts)  # the experts' order by name is not their order of creation
    for position, campaign in enumerate(campaigns):
        for index, person in enumerate(people):
            if index == 0 and position == 1:
                continue
            participant = CampaignParticipant.objects.create(campaign=campaign, person=person)
            if index % 3:
                assess(
                    participant, person, AssessmentKind.SELF, [rng.randint(0, 3) for _ in competencies], competencies
                )
            number = index % 5 + 1
            for expert in experts[:number]:
                left_out = 0.35 if number == 1 else 0.1
                levels = [None if rng.random() < left_out else rng.randint(0, 3) for _ in competencies]
                assess(participant, expert, AssessmentKind.EXPERT, levels, competencies)
            assess(
                participant, experts[5], AssessmentKind.EXPERT, [0] * len(competencies), competencies, submitted=False
            )
    return people


@pytest.fixture
def data(world):
    data = results_data(world)
    older_year = academic_year(data.past_year.start.year - 1)
    data.older_campaign = open_campaign(data.framework, older_year, "Диагностика", CampaignStatus.CLOSED)
    data.people = _fill(
        world, [data.older_campaign, data.past_campaign, data.campaign], data.competencies, random.Random(5), "Люди"
    )
    return data


def plain_rows(campaign, competencies, person_ids=None) -> list[tuple]:
    """The export's rows read the plain way: every submitted level into Python, statistics.median per person."""
    scores = Score.objects.filter(assessment__status=AssessmentStatus.SUBMITTED).values_list(
        "assessment__participant__person_id",
        "assessment__participant__campaign_id",
        "assessment__participant__campaign__starts_on",
        "assessment__kind",
        "assessment__assessor__last_name",
        "assessment_id",
        "competency__code",
        "level",
    )
    own: dict[tuple[int, str], int] = {}
    given: dict[tuple[int, int, str], list[tuple[str, int, int]]] = defaultdict(list)
    order: dict[int, tuple] = {}
    for person_id, campaign_id, starts_on, kind, assessor, assessment_id, code, level in scores:
        order[campaign_id] = (starts_on, campaign_id)
        if kind == AssessmentKind.SELF:
            if campaign_id == campaign.pk:
                own[(person_id, code)] = level
        else:
            given[(person_id, campaign_id, code)].append((assessor, assessment_id, level))
    earlier = sorted((pk for pk in order if order[pk] < (campaign.starts_on, campaign.pk)), key=order.get)
    top = selectors.top_level(campaign.framework.levels)
    participants = sorted(
        campaign.participants.select_related("person"),
        key=lambda p: (p.person.last_name, p.person.first_name, p.pk),
    )
    rows = []
    for participant in participants:
        person = participant.person
        if person_ids is not None and person.pk not in person_ids:
            continue
        for competency in competencies:
            levels = [level for *_key, level in sorted(given.get((person.pk, campaign.pk, competency.code), []))]
            previous = None
            for campaign_id in reversed(earlier):
                before = given.get((person.pk, campaign_id, competency.code))
                if before:
                    previous = diagnostics.experts_median([level for *_key, level in before])
                    break
            result = diagnostics.competency_result(
                self_level=own.get((person.pk, competency.code)),
                expert_levels=levels,
                previous_median=previous,
                top_level=top,
            )
            rows.append({"participant": participant, "competency": competency, "result": result})
    return list(results_table_rows(rows))


def test_the_rows_are_what_the_levels_give(world, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        _competencies, rows = selectors.export_rows(data.campaign)
        shown = list(results_table_rows(rows))
    expected = plain_rows(data.campaign, data.competencies)
    assert shown == expected
    assert len(shown) == (PEOPLE + 1) * len(data.competencies)
    # the data reach every case: several experts, a previous median from the latest and from an older campaign
    assert any(", " in row[4] for row in shown) and any(row[6] != "" for row in shown)
    assert any(row[9] for row in shown) and any(row[3] == "" for row in shown)


def test_a_previous_median_beyond_the_latest_earlier_campaign(world, data):
    """A person whose single expert left a competency out in the past campaign: the older campaign's median."""
    codes = [c.code for c in data.competencies]
    person_ids = [p.pk for p in data.people]
    previous = selectors._latest_earlier_medians(data.campaign, codes, person_ids)
    plain = selectors._previous_medians_of_all(data.campaign, person_ids)
    assert previous == {key: value for key, value in plain.items() if key[1] in codes}
    left_out = [
        key
        for key in previous
        if not Score.objects.filter(
            assessment__participant__campaign=data.past_campaign,
            assessment__participant__person_id=key[0],
            assessment__kind=AssessmentKind.EXPERT,
            assessment__status=AssessmentStatus.SUBMITTED,
            competency__code=key[1],
        ).exists()
    ]
    assert left_out  # person 0 (not in the past campaign) and the left-out levels


def test_the_withheld_and_the_unit_filter(world, data):
    some = {p.pk for p in data.people[:4]}
    withheld = set(data.campaign.participants.filter(person_id__in=[data.people[1].pk]).values_list("pk", flat=True))
    _competencies, rows = selectors.export_rows(data.campaign, person_ids=list(some), withheld=withheld)
    shown = list(results_table_rows(rows))
    expected = [row for row in plain_rows(data.campaign, data.competencies, some) if row[0] != data.people[1].full_name]
    assert shown == expected and len(shown) == 3 * len(data.competencies)


def test_the_download_has_the_rows_and_its_queries_do_not_grow(world, data, django_assert_max_num_queries):
    client = client_for(world, "methodist")
    url = reverse("attestation:results_xlsx")
    params = {"campaign": data.campaign.pk}
    with django_assert_max_num_queries(20) as before:
        rows = download(client, url, params)
    expected = plain_rows(data.campaign, data.competencies)
    assert [[cell if cell is not None else "" for cell in row] for row in rows[1:]] == [list(row) for row in expected]
    _fill(world, [data.older_campaign, data.past_campaign, data.campaign], data.competencies, random.Random(9), "Ещё")
    with django_assert_max_num_queries(20) as after:
        download(client, url, params)
    assert len(after.captured_queries) == len(before.captured_queries)
