"""«My results» and a person's results page answer in the same number of queries whatever the data: with every part
that used to cost a query of its own only sometimes (a colleague at the top level to suggest as a mentor, items in
the individual plan, open lessons with their responsible, a submitted self-assessment, an earlier campaign) and
with none of them. At most 9, the session, the user, the roles (1) and the menu's badge included: the participations (with the individual plan), the profile (competencies, levels, history: one query),
the plan's items with the open lessons, the mentors, the groups."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from attestation.models import CampaignStatus, DiagnosticCampaign
from attestation.selectors import suggestions as selectors
from planning.models import ItemStatus, Plan, PlanItem, PlanStatus, WorkForm
from tests.attestation.matrix_suggestions import campaign_of, competency, participate
from tests.factories import PersonFactory, noon
from tests.world import client_for

D = datetime.date
DAY = D(2026, 10, 14)
pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, at=noon(DAY))]

QUERIES = 9
ROLES = ["teacher", "methodist", "mo_head"]


def _url(world, role: str) -> str:
    if role == "teacher":
        return reverse("attestation:results_mine")
    return reverse("attestation:results_person", kwargs={"pk": world.people["teacher"].pk})


def _bare(world):
    """The teacher's deficit in A/02.6 in a closed campaign (their experts' levels shown without a self-assessment),
    nobody at the top level, an individual plan without items, no open lesson, no earlier campaign."""
    campaign = campaign_of(world.year, starts_on=D(2026, 9, 15), title="Диагностика 2026")
    participate(campaign, world.people["teacher"], experts={world.people["mo_head"]: {"A/02.6": 1}})
    DiagnosticCampaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CLOSED)
    PlanItem.objects.filter(plan=world.teacher_plan).delete()
    # a draft plan: the head's menu badge reads no plan to approve (its own sometimes-queries, not this page's)
    Plan.objects.filter(pk=world.teacher_plan.pk).update(status=PlanStatus.DRAFT)
    PlanItem.objects.filter(content__icontains="открыт").delete()
    PlanItem.objects.filter(form=WorkForm.OPEN_LESSON).delete()
    return campaign


def _full(world, size: int):
    """The same and every sometimes-part: a submitted self-assessment, an earlier campaign, `size` colleagues at the
    top level, `size` items in the plan (one of them the course suggested), `size` open lessons with two
    responsible each, `size` more deficits."""
    campaign = _bare(world)
    DiagnosticCampaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.OPEN)
    teacher, mo_head = world.people["teacher"], world.people["mo_head"]
    earlier = campaign_of(world.year, starts_on=D(2026, 9, 1), title="Диагностика ранняя", days=5)
    participate(earlier, teacher, experts={mo_head: {"A/02.6": 2, "B/01.5": 3}})
    participant = campaign.participants.get(person=teacher)
    codes = ["A/02.6", "A/01.6", "A/03.6", "B/01.5", "B/02.5", "B/03.5", "C/01.6", "C/02.6"][: size + 1]
    expert = participant.assessments.get(kind="expert")
    expert.scores.all().delete()
    for code in codes:
        expert.scores.create(competency=competency(code), level=0)
    # submitted without a level: the profile still knows it is in
    participant.assessments.create(assessor=teacher, kind="self", status="submitted", submitted_at=timezone.now())
    chair = world.people["chair"]
    for index in range(size):
        participate(campaign, PersonFactory(), experts={mo_head: {code: 3 for code in codes}})
        PlanItem.objects.create(
            plan=world.teacher_plan,
            position=200 + index,
            content=f"Пункт плана {index}",
            direction=world.directions[2],
            form=WorkForm.OTHER,
            due_date=D(2027, 5, 1),
            status=ItemStatus.PLANNED,
        )
        item = PlanItem.objects.create(
            plan=world.council_plan,
            position=100 + index,
            content=f"Открытый урок {index}",
            direction=world.directions[8],
            form=WorkForm.OPEN_LESSON,
            due_date=D(2026, 11, 1) + datetime.timedelta(days=index),
            status=ItemStatus.PLANNED,
        )
        item.responsible.set([chair, PersonFactory()])
    name = competency("A/02.6").name
    PlanItem.objects.create(
        plan=world.teacher_plan,
        position=300,
        content=f"Повышение квалификации по теме «{name}» (A/02.6)",
        direction=world.directions[10],
        form=WorkForm.COURSE,
        due_date=D(2027, 5, 1),
        status=ItemStatus.PLANNED,
    )
    return campaign


def _get(world, role: str, django_assert_num_queries):
    client = client_for(world, role)
    url = _url(world, role)
    client.get(url)  # warm caches (content types, sessions)
    with django_assert_num_queries(QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("role", ROLES)
def test_without_the_sometimes_parts(world, role, django_assert_num_queries):
    _bare(world)
    response = _get(world, role, django_assert_num_queries)
    panel = response.context["panel"]
    [deficit] = panel.deficits
    assert [s.kind for s in deficit.suggestions] == [selectors.TRAINING]
    assert panel.plan is not None and panel.in_plan == set()
    assert not response.context["profile"].self_submitted


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("size", [2, 5])
def test_with_every_sometimes_part(world, role, size, django_assert_num_queries):
    _full(world, size)
    response = _get(world, role, django_assert_num_queries)
    profile, panel = response.context["profile"], response.context["panel"]
    assert profile.self_submitted
    assert len(panel.deficits) == size + 1
    for deficit in panel.deficits:
        assert len(deficit.of_kind(selectors.MENTOR)) == min(size, selectors.MENTORS_PER_DEFICIT)
        lessons = deficit.of_kind(selectors.LESSON)
        assert len(lessons) == min(size, selectors.LESSONS_PER_DEFICIT)
        assert all(world.people["chair"].short_name in lesson.note for lesson in lessons)
    mentors = [s.label for s in panel.deficits[0].of_kind(selectors.MENTOR)]
    assert mentors == sorted(mentors)
    assert world.people["teacher"].full_name not in mentors
    marked = {
        deficit.competency.code: in_plan
        for deficit, suggestions in panel.rows()
        for suggestion, in_plan in suggestions
        if suggestion.kind == selectors.TRAINING
    }
    assert marked.pop("A/02.6") is True and not any(marked.values())
    # the drop: B/01.5 went from 3 in the earlier campaign to 0
    by_code = {row.competency.code: row.result for row in profile.rows}
    if size >= 3:
        assert by_code["B/01.5"].previous_median == 3 and by_code["B/01.5"].dropped
    assert by_code["A/02.6"].previous_median == 2
    dynamics = response.context["dynamics"]
    assert [label for _pk, label in dynamics.campaigns] == [world.year.title, world.year.title]
    assert dynamics.series["A/02.6"][1] == [2, 0]
