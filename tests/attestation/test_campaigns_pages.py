"""The pages of the diagnostics campaigns and the assessment form (attestation/views/campaigns.py): drafting through
the form with the service's refusals on the fields, opening, the progress page, «my assessments», writing an
assessment (draft, submit, refusals), who sees an assessment when (self and expert kept apart), and the pinned
query counts: the campaign's page with 50 participants, the form with 16 competencies, the lists."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from attestation.models import Assessment, AssessmentKind, AssessmentStatus, CampaignScope, DiagnosticCampaign
from attestation.services import campaigns as services
from structure.models import Person
from tests.attestation.test_campaigns_services import default_framework, last_day, levels, opened, task
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]

DAY = datetime.timedelta(days=1)


def form_data(world, **overrides) -> dict:
    data = {
        "title": "Диагностика 2026",
        "year": world.year.pk,
        "framework": default_framework().pk,
        "scope": CampaignScope.CHOSEN,
        "people": [world.people["teacher"].pk, world.people["mo_head"].pk],
        "starts_on": world.today.isoformat(),
        "ends_on": last_day(world).isoformat(),
        "experts_mode": services.EXPERTS_HEADS,
    }
    data.update(overrides)
    return data


def level_data(value: int = 2, **extra) -> dict:
    data = {f"level_{pk}": str(value) for pk in levels()}
    data.update(extra)
    return data


def test_the_methodist_drafts_edits_and_opens_a_campaign(world):
    client = client_for(world, "methodist")
    response = client.post(reverse("attestation:campaign_create"), form_data(world))
    campaign = DiagnosticCampaign.objects.get(title="Диагностика 2026")
    assert response.status_code == 302 and response.url == campaign.get_absolute_url()
    page = client.get(campaign.get_absolute_url())
    assert page.status_code == 200
    assert "Открыть кампанию" in page.content.decode() or page.context["can"]["open"]
    assert page.context["totals"]["without_expert"] == 1  # the head has no expert: the page says so
    edit = client.get(reverse("attestation:campaign_edit", args=[campaign.pk]))
    assert edit.context["form"].initial["experts_mode"] == services.EXPERTS_HEADS
    assert sorted(edit.context["form"].initial["people"]) == sorted(
        [world.people["teacher"].pk, world.people["mo_head"].pk]
    )
    client.post(reverse("attestation:campaign_open", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == "open"
    # an open campaign's edit page sends the runner back with the reason
    response = client.get(reverse("attestation:campaign_edit", args=[campaign.pk]))
    assert response.status_code == 302
    again = client.post(reverse("attestation:campaign_open", args=[campaign.pk]), follow=True)
    assert any("уже" in str(m) or "already" in str(m) for m in again.context["messages"])


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"ends_on": "2030-01-01"}, "ends_on", "window_outside_year"),
        ({"people": []}, None, "empty_scope"),
        ({"scope": CampaignScope.UNIT}, "unit", "unit_required"),
    ],
)
def test_the_form_shows_the_services_refusal(world, overrides, field, code):
    client = client_for(world, "methodist")
    before = DiagnosticCampaign.objects.count()
    response = client.post(reverse("attestation:campaign_create"), form_data(world, **overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error(field or "__all__", code)
    assert DiagnosticCampaign.objects.count() == before


def test_the_teacher_saves_a_draft_then_submits(world):
    campaign = opened(world)
    teacher = world.people["teacher"]
    assessment = task(campaign, teacher)
    client = client_for(world, "teacher")
    mine = client.get(reverse("attestation:assessment_mine"))
    assert [a.pk for a in mine.context["own"]] == [assessment.pk]
    page = client.get(assessment.get_absolute_url())
    assert page.status_code == 200 and page.context["writable"]
    assert page.content.decode().count('type="radio"') == 16 * 4
    first = next(iter(levels()))
    response = client.post(assessment.get_absolute_url(), {f"level_{first}": "3", f"comment_{first}": "Да", "save": ""})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT and assessment.scores.count() == 1
    incomplete = client.post(assessment.get_absolute_url(), {f"level_{first}": "3", "submit": ""})
    assert incomplete.status_code == 200 and incomplete.context["form"].has_error("__all__", "incomplete")
    out_of_scale = client.post(assessment.get_absolute_url(), level_data(2, **{f"level_{first}": "7"}))
    assert out_of_scale.status_code == 200 and out_of_scale.context["form"].errors
    done = client.post(assessment.get_absolute_url(), level_data(2, submit=""))
    assert done.status_code == 302 and done.url == reverse("attestation:assessment_mine")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    shown = client.get(assessment.get_absolute_url())
    assert not shown.context["writable"] and 'type="radio"' not in shown.content.decode()
    refused = client.post(assessment.get_absolute_url(), level_data(1, submit=""))
    assert refused.status_code == 200 and refused.context["form"].has_error("__all__", "assessment_submitted")


def test_self_and_expert_are_kept_apart_until_each_submits(world):
    campaign = opened(world)
    people = world.people
    own = task(campaign, people["teacher"])
    expert = task(campaign, people["mo_head"], AssessmentKind.EXPERT, people["teacher"])
    head, teacher, methodist = (client_for(world, r) for r in ("mo_head", "teacher", "methodist"))
    # drafts are their assessor's alone
    assert head.get(own.get_absolute_url()).status_code == 404
    assert teacher.get(expert.get_absolute_url()).status_code == 404
    assert methodist.get(own.get_absolute_url()).status_code == 404
    services.assessment_save(assessment=own, by=people["teacher"], scores=levels(3), submit=True, today=world.today)
    # the expert does not see the submitted self-assessment before submitting their own
    assert head.get(own.get_absolute_url()).status_code == 404
    assert methodist.get(own.get_absolute_url()).status_code == 200
    services.assessment_save(assessment=expert, by=people["mo_head"], scores=levels(1), submit=True, today=world.today)
    assert head.get(own.get_absolute_url()).status_code == 200
    assert teacher.get(expert.get_absolute_url()).status_code == 200
    assert client_for(world, "chair").get(expert.get_absolute_url()).status_code == 404
    # reading is not writing
    assert head.post(own.get_absolute_url(), level_data(0, submit="")).status_code == 403


def test_out_of_the_window_the_form_is_read_only(world, time_machine):
    campaign = opened(world)
    assessment = task(campaign, world.people["teacher"])
    time_machine.move_to(datetime.datetime.combine(world.today + 15 * DAY, datetime.time(12)))
    client = client_for(world, "teacher")
    page = client.get(assessment.get_absolute_url())
    assert page.status_code == 200 and not page.context["writable"]
    assert "закрылось" in page.content.decode() or "closed" in page.content.decode()
    refused = client.post(assessment.get_absolute_url(), level_data(2, submit=""))
    assert refused.context["form"].has_error("__all__", "window_closed")


def test_the_campaign_page_lists_progress(world):
    campaign = opened(world)
    people = world.people
    services.assessment_save(
        assessment=task(campaign, people["teacher"]),
        by=people["teacher"],
        scores=levels(),
        submit=True,
        today=world.today,
    )
    page = client_for(world, "deputy").get(campaign.get_absolute_url())
    totals = page.context["totals"]
    assert (totals["total"], totals["self_submitted"], totals["self_total"]) == (2, 1, 2)
    assert (totals["expert_submitted"], totals["expert_total"], totals["without_expert"]) == (0, 1, 1)
    listing = client_for(world, "director").get(reverse("attestation:campaign_list"))
    row = listing.context["page"][0]
    assert (row.participant_count, row.self_submitted, row.expert_total, row.expert_submitted) == (2, 1, 1, 0)


# ---------------------------------------------------------------- pinned query counts


def many_teachers(world, count: int = 50) -> list[Person]:
    position = world.people["teacher"].position
    return Person.objects.bulk_create(
        [
            Person(last_name=f"Педагог{index:03}", first_name="Анна", patronymic="Ивановна", position=position)
            for index in range(count)
        ]
    )


def big_campaign(world, count: int = 50):
    people = world.people
    chosen = many_teachers(world, count)
    return opened(
        world,
        people=chosen,
        experts_mode=services.EXPERTS_NAMED,
        experts=[people["mo_head"], people["chair"], people["methodist"]],
    )


# Including the session and the user, the roles (1) and the menu's badge.
PINNED_DETAIL = 11
PINNED_FORM = 7
PINNED_LIST = 8  # the page's campaigns, then their participants and tasks counted per campaign (with_progress)
PINNED_MINE = 9


def test_the_campaign_page_answers_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    campaign = big_campaign(world)
    client = client_for(world, "methodist")
    client.get(campaign.get_absolute_url())
    with django_assert_num_queries(PINNED_DETAIL):
        response = client.get(campaign.get_absolute_url())
    assert len(response.context["rows"]) == 50
    assert all(len(row["experts"]) == 3 and row["self_task"] for row in response.context["rows"])


def test_the_form_answers_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    campaign = big_campaign(world, 5)
    assessment = Assessment.objects.filter(participant__campaign=campaign, kind=AssessmentKind.EXPERT).first()
    services.assessment_save(assessment=assessment, by=assessment.assessor, scores=levels(1), today=world.today)
    client = client_for(world, assessment.assessor.user.username)
    client.get(assessment.get_absolute_url())
    with django_assert_num_queries(PINNED_FORM):
        response = client.get(assessment.get_absolute_url())
    assert len(response.context["form"].competencies) == 16


def test_the_lists_answer_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    for _ in range(3):
        big_campaign(world, 20)
    methodist = client_for(world, "methodist")
    methodist.get(reverse("attestation:campaign_list"))
    with django_assert_num_queries(PINNED_LIST):
        response = methodist.get(reverse("attestation:campaign_list"))
    assert len(response.context["page"]) >= 3
    head = client_for(world, "mo_head")
    head.get(reverse("attestation:assessment_mine"))
    with django_assert_num_queries(PINNED_MINE):
        response = head.get(reverse("attestation:assessment_mine"))
    assert len(response.context["page"]) == 50
