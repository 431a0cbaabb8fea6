"""The suggestions page and panel, and the «add to the individual plan» action: who sees the buttons, the action's
refusals shown as messages (bad input never 500s), the return address, and the panel's fixed number of queries
whatever the number of deficits, mentors, groups and lessons."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from attestation.models import Score
from attestation.selectors import suggestions as selectors
from planning.models import ItemStatus, Plan, PlanItem, PlanStatus, WorkForm
from structure.models import Unit, UnitKind
from tests.attestation.matrix_suggestions import campaign_of, competency, participate
from tests.factories import PersonFactory, noon
from tests.world import client_for

D = datetime.date
DAY = D(2026, 10, 14)
pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, at=noon(DAY))]

ALL_DEFICITS = ["A/01.6", "A/02.6", "A/03.6", "B/01.5", "B/02.5", "B/03.5", "C/01.6", "C/02.6"]


@pytest.fixture
def campaign(world):
    return campaign_of(world.year, starts_on=D(2026, 9, 15), title="Диагностика 2026")


@pytest.fixture
def teacher(world, campaign):
    # The self-assessment is in: the teacher reads the experts' levels (attestation.selectors.results.experts_withheld).
    return participate(
        campaign, world.people["teacher"], experts={world.people["mo_head"]: {"A/02.6": 1}}, self_levels={"A/02.6": 2}
    )


def open_plan(world) -> None:
    Plan.objects.filter(pk=world.teacher_plan.pk).update(status=PlanStatus.DRAFT)


def page_url(participant) -> str:
    return reverse("attestation:suggestions", kwargs={"pk": participant.pk})


def add_url(participant) -> str:
    return reverse("attestation:suggestion_add", kwargs={"pk": participant.pk})


def test_the_teacher_adds_a_course_in_one_click(world, teacher):
    open_plan(world)
    client = client_for(world, "teacher")
    page = client.get(page_url(teacher)).content.decode()
    assert "Add to the individual plan" in page or "Добавить в индивидуальный план" in page
    back = page_url(teacher) + "?from=profile"
    response = client.post(
        add_url(teacher),
        {"kind": "training", "competency": competency("A/02.6").pk, "next": back},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == back
    item = PlanItem.objects.get(plan=world.teacher_plan, direction__code=10, form=WorkForm.COURSE)
    assert "A/02.6" in item.content
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and str(item.position) in messages[0]
    # now marked in the plan, and its button gone
    assert response.content.decode().count('name="kind" value="training"') == 0


def test_the_association_head_adds_for_their_member(world, teacher):
    open_plan(world)
    response = client_for(world, "mo_head").post(
        add_url(teacher), {"kind": "training", "competency": competency("A/02.6").pk}
    )
    assert response.status_code == 302 and response.url == page_url(teacher)
    assert PlanItem.objects.filter(plan=world.teacher_plan, direction__code=10).exists()


@pytest.mark.parametrize(("role", "status"), [("methodist", 403), ("director", 403), ("chair", 404), ("admin", 403)])
def test_others_may_not_add(world, teacher, role, status):
    open_plan(world)
    count = PlanItem.objects.count()
    response = client_for(world, role).post(
        add_url(teacher), {"kind": "training", "competency": competency("A/02.6").pk}
    )
    assert response.status_code == status
    assert PlanItem.objects.count() == count


def test_management_sees_the_suggestions_without_buttons(world, teacher):
    open_plan(world)
    page = client_for(world, "methodist").get(page_url(teacher)).content.decode()
    assert competency("A/02.6").name in page
    assert 'name="kind"' not in page


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "training", "competency": "abc"},
        {"kind": "training", "competency": "-1"},
        {"kind": "mentor", "competency": "1", "target": "99999999999999999999"},
        {"kind": "<script>", "competency": "1"},
    ],
)
def test_bad_input_is_refused_with_a_message(world, teacher, data):
    open_plan(world)
    count = PlanItem.objects.count()
    response = client_for(world, "teacher").post(
        add_url(teacher), {**data, "next": "https://evil.example/"}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == page_url(teacher)
    assert len(list(response.context["messages"])) == 1
    assert PlanItem.objects.count() == count


def test_a_submitted_plan_is_explained_and_refused(world, teacher):
    # the world's individual plan is submitted
    client = client_for(world, "teacher")
    page = client.get(page_url(teacher)).content.decode()
    assert 'name="kind"' not in page
    response = client.post(add_url(teacher), {"kind": "training", "competency": competency("A/02.6").pk}, follow=True)
    assert len(list(response.context["messages"])) == 1
    assert not PlanItem.objects.filter(plan=world.teacher_plan, direction__code=10).exists()


def test_no_deficits(world, campaign):
    participant = participate(campaign, world.people["teacher"], experts={world.people["mo_head"]: {"A/02.6": 2}})
    response = client_for(world, "teacher").get(page_url(participant))
    assert response.status_code == 200
    assert 'name="kind"' not in response.content.decode()


def grow(world, campaign, teacher_participant, size: int) -> None:
    """More deficits for the teacher, and as many mentors, groups and lessons for them."""
    mo_head, chair = world.people["mo_head"], world.people["chair"]
    codes = ALL_DEFICITS[:size]
    scores = teacher_participant.assessments.get(kind="expert")
    Score.objects.filter(assessment=scores).delete()
    Score.objects.bulk_create([Score(assessment=scores, competency=competency(code), level=0) for code in codes])
    for index in range(size):
        participate(campaign, PersonFactory(), experts={mo_head: {code: 3 for code in codes}})
        Unit.objects.create(
            kind=UnitKind.CREATIVE_GROUP, name=f"Учебная деятельность {index}", created_on=D(2026, 1, 1)
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


# The session and the user, the roles (1), the menu's badges; the participant; the
# rules (the head of the association asks, for the page and again for the panel, whether they are an expert and
# whether the teacher is a member, and once more whether they may add); the person's campaigns the user sees; the
# profile (one query); the plan, its items with the open lessons and their responsible, the mentors (one query), the
# groups.
# The head's menu badge reads plans only when a submitted plan may be theirs to approve (none here).
PINNED = [("teacher", 11), ("mo_head", 16), ("methodist", 11)]


@pytest.mark.parametrize(("role", "queries"), PINNED)
def test_the_panel_answers_in_a_fixed_number_of_queries(
    world, campaign, teacher, django_assert_num_queries, role, queries
):
    open_plan(world)
    client = client_for(world, role)
    grow(world, campaign, teacher, 2)
    client.get(page_url(teacher))
    with django_assert_num_queries(queries):
        response = client.get(page_url(teacher))
    assert response.status_code == 200
    grow(world, campaign, teacher, 8)
    with django_assert_num_queries(queries):
        response = client.get(page_url(teacher))
    panel = response.context["panel"]
    assert len(panel.deficits) == 8
    assert all(len(d.of_kind(selectors.MENTOR)) == selectors.MENTORS_PER_DEFICIT for d in panel.deficits)
    assert all(len(d.of_kind(selectors.LESSON)) == selectors.LESSONS_PER_DEFICIT for d in panel.deficits)
    assert all(d.of_kind(selectors.GROUP) for d in panel.deficits[:1])
