"""The diagnostics results pages answer in a fixed number of queries whatever the size of the campaign: 300 teachers
more (100 of them in the association `mo_head` heads), each with a submitted self-assessment and an expert one on the
16 functions of the default framework (9 600 scores), beside the teacher's two campaigns of matrix_results."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from attestation.models import Assessment, AssessmentKind, AssessmentStatus, CampaignParticipant, Score
from structure.models import MemberRole, Membership, Person
from tests.attestation.matrix_results import results_data
from tests.world import client_for

STAFF = 300


def add_campaign_of_300(world) -> None:
    data = results_data(world)
    position = world.people["teacher"].position
    people = Person.objects.bulk_create(
        [
            Person(last_name=f"Педагог{index:03}", first_name="Анна", patronymic="Ивановна", position=position)
            for index in range(STAFF)
        ]
    )
    start = world.today - datetime.timedelta(days=30)
    Membership.objects.bulk_create(
        Membership(unit=world.association, person=person, role=MemberRole.MEMBER, start=start, start_order=world.signed)
        for person in people[: STAFF // 3]
    )
    participants = CampaignParticipant.objects.bulk_create(
        CampaignParticipant(campaign=data.campaign, person=person) for person in people
    )
    expert = world.people["mo_head"]
    through = CampaignParticipant.experts.through
    through.objects.bulk_create(through(campaignparticipant=p, person=expert) for p in participants)
    now = timezone.now()
    assessments = Assessment.objects.bulk_create(
        Assessment(participant=p, assessor=assessor, kind=kind, status=AssessmentStatus.SUBMITTED, submitted_at=now)
        for p in participants
        for assessor, kind in ((p.person, AssessmentKind.SELF), (expert, AssessmentKind.EXPERT))
    )
    Score.objects.bulk_create(
        Score(assessment=assessment, competency=competency, level=(index + number) % 4)
        for index, assessment in enumerate(assessments)
        for number, competency in enumerate(data.competencies)
    )


pytestmark = [pytest.mark.django_db, pytest.mark.world(extend=add_campaign_of_300)]


def person(w):
    return reverse("attestation:results_person", kwargs={"pk": w.people["teacher"].pk})


def one_of_300(w):
    return reverse("attestation:results_person", kwargs={"pk": Person.objects.get(last_name="Педагог007").pk})


# role, address (a function of the world), queries — including the session and the user, the roles (1), the menu's
# badge (one query: an approver's plans are read only when a submitted plan may reach them). The profile page: the person's participations (with their individual plan), the profile
# (competencies, levels, history and the self-assessment's submission in one query), and the suggestions panel
# (attestation/templatetags/suggestions.py: the plan's items with the open lessons, the mentors, the groups; it
# shares the profile's results and the page's reading of who may see and add); tests/attestation/
# test_my_results_queries.py pins the same count whatever the data. The heat map and the summary read the choices of
# their selects once, the summary its figures in the database (attestation.selectors.results).
PINNED = [
    ("teacher", lambda w: reverse("attestation:results_mine"), 9),
    ("mo_head", person, 9),
    ("methodist", one_of_300, 9),
    ("mo_head", lambda w: reverse("attestation:results_units"), 10),
    ("methodist", lambda w: reverse("attestation:results_units"), 9),
    ("methodist", lambda w: reverse("attestation:results_college"), 9),
]


@pytest.mark.parametrize(("role", "address", "queries"), PINNED)
def test_the_pages_answer_in_a_fixed_number_of_queries(world, django_assert_num_queries, role, address, queries):
    client = client_for(world, role)
    url = address(world)
    client.get(url)  # warm caches (content types, sessions)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_the_heat_map_and_the_summary_hold_everyone(world):
    heat = client_for(world, "mo_head").get(reverse("attestation:results_units"))
    assert len(heat.context["rows"]) == STAFF // 3 + 1  # the teacher too
    assert all(median is not None for _participant, cells, _withheld in heat.context["rows"] for median, _css in cells)
    summary = client_for(world, "methodist").get(reverse("attestation:results_college")).context["summary"]
    assert (summary.participants, summary.assessed) == (STAFF + 1, STAFF + 1)
    assert all(sum(row.counts) == STAFF + 1 for row in summary.rows)
