"""Diagnostics campaigns and assessments (attestation.services.campaigns): drafting, opening, closing, writing an
assessment; every refusal with its code and nothing written on it; the window's edges; the dashboard's rows
(attestation.selectors.campaigns.needs_me). Days are given to the services, never read from the clock."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

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
from attestation.selectors import campaigns as selectors
from attestation.services import campaigns as services
from structure.models import Person, Position, SystemRole
from structure.selectors import roles_of

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]

DAY = datetime.timedelta(days=1)


def default_framework() -> CompetencyFramework:
    return CompetencyFramework.objects.order_by("pk").first()


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def last_day(world) -> datetime.date:
    """The default window's last day: two weeks on, or the year's last day if sooner (on any day of the calendar)."""
    return min(world.today + 14 * DAY, world.year.end)


def draft(world, **overrides) -> DiagnosticCampaign:
    people = world.people
    data = {
        "by": people["methodist"],
        "title": "Диагностика профессиональных компетенций 2026/2027",
        "year": world.year,
        "framework": default_framework(),
        "scope": CampaignScope.CHOSEN,
        "people": [people["teacher"], people["mo_head"]],
        "starts_on": world.today,
        "ends_on": last_day(world),
    }
    data.update(overrides)
    return services.campaign_create(**data)


def opened(world, **overrides) -> DiagnosticCampaign:
    campaign = draft(world, **overrides)
    return services.campaign_open(campaign=campaign, by=world.people["methodist"], today=world.today)


def experts_of(campaign: DiagnosticCampaign) -> dict[str, list[str]]:
    return {
        p.person.last_name: sorted(e.last_name for e in p.experts.all())
        for p in campaign.participants.select_related("person").prefetch_related("experts")
    }


def levels(value: int | None = 2, **overrides) -> dict[int, services.ScoreInput]:
    scores = {c.pk: services.ScoreInput(level=value) for c in services.assessed_competencies(default_framework())}
    scores.update(overrides)
    return scores


def task(campaign, assessor: Person, kind=AssessmentKind.SELF, person: Person | None = None) -> Assessment:
    return Assessment.objects.get(
        participant__campaign=campaign, participant__person=person or assessor, assessor=assessor, kind=kind
    )


# ---------------------------------------------------------------- drafting


def test_chosen_people_get_their_association_heads_as_experts(world):
    campaign = draft(world)
    assert campaign.status == CampaignStatus.DRAFT
    head, teacher = world.people["mo_head"], world.people["teacher"]
    # the teacher's association is headed by mo_head; the head is nobody's own expert, so has none
    assert experts_of(campaign) == {teacher.last_name: [head.last_name], head.last_name: []}


def test_all_teaching_staff_leaves_out_management_and_researchers(world):
    campaign = draft(world, scope=CampaignScope.ALL, people=[])
    assessed = set(campaign.participants.values_list("person__user__username", flat=True))
    assert {"teacher", "mo_head", "methodist", "chair"} <= assessed
    assert not assessed & {"director", "deputy", "researcher"}
    assert assessed == set(services.teaching_staff().values_list("user__username", flat=True))


def test_a_unit_means_its_teaching_members_on_the_first_day(world):
    campaign = draft(world, scope=CampaignScope.UNIT, unit=world.association, people=[world.people["chair"]])
    names = set(campaign.participants.values_list("person__user__username", flat=True))
    assert {"teacher", "mo_head"} <= names and "chair" not in names  # chosen people are ignored for a unit
    earlier = world.today - 10 * DAY  # the association existed, the teacher had not joined it yet
    year = world.year if world.year.contains(earlier) else world.past_year
    before = draft(
        world, scope=CampaignScope.UNIT, unit=world.association, year=year, starts_on=earlier, ends_on=earlier
    )
    assert not before.participants.filter(person=world.people["teacher"]).exists()  # joined today


def test_named_experts_assess_everyone_but_themselves(world):
    people = world.people
    campaign = draft(world, experts_mode=services.EXPERTS_NAMED, experts=[people["mo_head"], people["chair"]])
    assert experts_of(campaign) == {
        people["teacher"].last_name: sorted([people["mo_head"].last_name, people["chair"].last_name]),
        people["mo_head"].last_name: [people["chair"].last_name],
    }


def test_saving_the_draft_again_resolves_it_again(world):
    people = world.people
    campaign = draft(world)
    services.campaign_update(
        campaign=campaign,
        by=people["deputy"],
        title="Новое название",
        year=world.year,
        framework=default_framework(),
        scope=CampaignScope.CHOSEN,
        people=[people["chair"]],
        starts_on=world.today,
        ends_on=last_day(world),
    )
    campaign.refresh_from_db()
    assert campaign.title == "Новое название"
    assert list(campaign.participants.values_list("person__user__username", flat=True)) == ["chair"]


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        (lambda w: {"title": "  "}, "required"),
        (lambda w: {"starts_on": w.today, "ends_on": w.today - DAY}, "window_reversed"),
        (lambda w: {"starts_on": w.year.start - DAY}, "window_outside_year"),
        (lambda w: {"ends_on": w.year.end + DAY}, "window_outside_year"),
        (lambda w: {"year": w.past_year}, "window_outside_year"),
        (lambda w: {"people": []}, "empty_scope"),
        (lambda w: {"people": [w.people["director"]]}, "not_teaching_staff"),
        (lambda w: {"people": [w.people["teacher"], w.people["researcher"]]}, "not_teaching_staff"),
        (lambda w: {"scope": CampaignScope.UNIT, "unit": None}, "unit_required"),
        (lambda w: {"experts_mode": services.EXPERTS_NAMED, "experts": []}, "required"),
        (
            lambda w: {"experts_mode": services.EXPERTS_NAMED, "experts": [w.people["researcher"]]},
            "expert_not_staff",
        ),
        (lambda w: {"framework": CompetencyFramework.objects.create(name="Пустая")}, "framework_empty"),
    ],
)
def test_a_bad_draft_is_refused_and_nothing_is_written(world, overrides, code):
    values = overrides(world)
    before = (DiagnosticCampaign.objects.count(), CampaignParticipant.objects.count())
    with pytest.raises(ValidationError) as refused:
        draft(world, **values)
    assert code in codes(refused.value)
    assert (DiagnosticCampaign.objects.count(), CampaignParticipant.objects.count()) == before


def test_the_window_may_take_the_whole_year(world):
    campaign = draft(world, starts_on=world.year.start, ends_on=world.year.end)
    assert (campaign.starts_on, campaign.ends_on) == (world.year.start, world.year.end)


# ---------------------------------------------------------------- opening and closing


def test_opening_gives_every_participant_and_expert_a_task(world):
    people = world.people
    campaign = opened(world, experts_mode=services.EXPERTS_NAMED, experts=[people["mo_head"], people["chair"]])
    assert campaign.status == CampaignStatus.OPEN
    tasks = set(
        Assessment.objects.filter(participant__campaign=campaign).values_list(
            "participant__person__user__username", "assessor__user__username", "kind", "status"
        )
    )
    assert tasks == {
        ("teacher", "teacher", "self", "draft"),
        ("teacher", "mo_head", "expert", "draft"),
        ("teacher", "chair", "expert", "draft"),
        ("mo_head", "mo_head", "self", "draft"),
        ("mo_head", "chair", "expert", "draft"),
    }


def test_an_open_campaign_is_not_edited_deleted_or_opened_again(world):
    campaign = opened(world)
    methodist = world.people["methodist"]
    with pytest.raises(ValidationError) as refused:
        services.campaign_update(
            campaign=campaign,
            by=methodist,
            title="Другое",
            year=world.year,
            framework=default_framework(),
            scope=CampaignScope.ALL,
            starts_on=world.today,
            ends_on=world.today,
        )
    assert codes(refused.value) == {"campaign_not_draft"}
    with pytest.raises(ValidationError) as refused:
        services.campaign_delete(campaign=campaign, by=methodist)
    assert codes(refused.value) == {"campaign_not_draft"}
    with pytest.raises(ValidationError) as refused:
        services.campaign_open(campaign=campaign, by=methodist, today=world.today)
    assert codes(refused.value) == {"already_open"}
    campaign.refresh_from_db()
    assert campaign.title.startswith("Диагностика") and campaign.participants.count() == 2
    assert Assessment.objects.filter(participant__campaign=campaign).count() == 3


def test_a_window_already_over_is_not_opened(world):
    campaign = draft(world)
    with pytest.raises(ValidationError) as refused:
        services.campaign_open(campaign=campaign, by=world.people["methodist"], today=campaign.ends_on + DAY)
    assert codes(refused.value) == {"window_passed"}
    # its last day is still fine
    services.campaign_open(campaign=campaign, by=world.people["methodist"], today=campaign.ends_on)


def test_someone_who_left_the_teaching_staff_stops_the_opening(world):
    campaign = draft(world)
    Person.objects.filter(pk=world.people["teacher"].pk).update(
        position=Position.objects.filter(system_role=SystemRole.DIRECTOR).first()
    )
    with pytest.raises(ValidationError) as refused:
        services.campaign_open(campaign=campaign, by=world.people["methodist"], today=world.today)
    assert codes(refused.value) == {"not_teaching_staff"}
    assert not Assessment.objects.filter(participant__campaign=campaign).exists()
    assert DiagnosticCampaign.objects.get(pk=campaign.pk).status == CampaignStatus.DRAFT


def test_a_draft_is_deleted_with_its_participants(world):
    campaign = draft(world)
    services.campaign_delete(campaign=campaign, by=world.people["methodist"])
    assert not DiagnosticCampaign.objects.filter(pk=campaign.pk).exists()
    assert not CampaignParticipant.objects.filter(campaign_id=campaign.pk).exists()


def test_closing_stops_writing(world):
    campaign = opened(world)
    teacher = world.people["teacher"]
    with pytest.raises(ValidationError) as refused:
        services.campaign_close(campaign=draft(world), by=world.people["methodist"])
    assert codes(refused.value) == {"campaign_not_open"}
    services.campaign_close(campaign=campaign, by=world.people["methodist"])
    with pytest.raises(ValidationError) as refused:
        services.assessment_save(assessment=task(campaign, teacher), by=teacher, scores=levels(), today=world.today)
    assert codes(refused.value) == {"campaign_not_open"}
    with pytest.raises(ValidationError) as refused:
        services.campaign_close(campaign=campaign, by=world.people["methodist"])
    assert codes(refused.value) == {"campaign_not_open"}


# ---------------------------------------------------------------- assessments


def test_a_draft_is_saved_then_submitted_and_fixed(world):
    campaign = opened(world)
    teacher = world.people["teacher"]
    assessment = task(campaign, teacher)
    first = next(iter(levels()))
    partial = {first: services.ScoreInput(level=3, comment="Веду проектную работу", evidence_url="http://fileserver/x")}
    services.assessment_save(assessment=assessment, by=teacher, scores=partial, today=world.today)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    score = Score.objects.get(assessment=assessment)
    assert (score.level, score.comment, score.evidence_url) == (3, "Веду проектную работу", "http://fileserver/x")

    services.assessment_save(assessment=assessment, by=teacher, scores=levels(2), submit=True, today=world.today)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED and assessment.submitted_at is not None
    assert Score.objects.filter(assessment=assessment).count() == len(levels()) == 16
    assert set(Score.objects.filter(assessment=assessment).values_list("level", flat=True)) == {2}

    with pytest.raises(ValidationError) as refused:
        services.assessment_save(assessment=assessment, by=teacher, scores=levels(1), today=world.today)
    assert codes(refused.value) == {"assessment_submitted"}
    assert set(Score.objects.filter(assessment=assessment).values_list("level", flat=True)) == {2}


def test_generalised_functions_are_not_assessed(world):
    framework = default_framework()
    assessed = services.assessed_competencies(framework)
    assert not assessed.filter(kind=CompetencyKind.GENERALISED).exists()
    assert assessed.count() == 16


def scores_with(world, **change):
    """All competencies at level 2, the first one changed."""
    scores = levels(2)
    first = next(iter(scores))
    scores[first] = services.ScoreInput(**change)
    return scores


@pytest.mark.parametrize(
    ("scores", "submit", "code"),
    [
        (lambda w: scores_with(w, level=4), False, "level_out_of_scale"),
        (lambda w: scores_with(w, level=-1), False, "level_out_of_scale"),
        (lambda w: scores_with(w, level=None), True, "incomplete"),
        (lambda w: {next(iter(levels())): services.ScoreInput(level=1)}, True, "incomplete"),
        (lambda w: scores_with(w, level=None, comment="Без уровня"), False, "level_required"),
        (lambda w: scores_with(w, level=2, evidence_url="javascript:alert(1)"), False, "evidence_link"),
        (
            lambda w: {
                Competency.objects.get(framework=default_framework(), code="A").pk: services.ScoreInput(level=2)
            },
            False,
            "unknown_competency",
        ),
    ],
)
def test_bad_scores_are_refused_and_nothing_is_written(world, scores, submit, code):
    campaign = opened(world)
    teacher = world.people["teacher"]
    assessment = task(campaign, teacher)
    with pytest.raises(ValidationError) as refused:
        services.assessment_save(
            assessment=assessment, by=teacher, scores=scores(world), submit=submit, today=world.today
        )
    assert code in codes(refused.value)
    assert not Score.objects.filter(assessment=assessment).exists()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT


def test_only_the_assessor_writes(world):
    campaign = opened(world)
    people = world.people
    for assessment, intruder in (
        (task(campaign, people["teacher"]), people["mo_head"]),  # the expert does not write the self-assessment
        (task(campaign, people["mo_head"], AssessmentKind.EXPERT, people["teacher"]), people["teacher"]),
    ):
        with pytest.raises(ValidationError) as refused:
            services.assessment_save(assessment=assessment, by=intruder, scores=levels(), today=world.today)
        assert codes(refused.value) == {"not_assessor"}
    assert not Score.objects.filter(assessment__participant__campaign=campaign).exists()


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (lambda c: c.starts_on - DAY, "window_not_open"),
        (lambda c: c.starts_on, None),
        (lambda c: c.ends_on, None),
        (lambda c: c.ends_on + DAY, "window_closed"),
    ],
    ids=["the day before", "the first day", "the last day", "the day after"],
)
def test_the_window_holds_its_first_and_last_day(world, day, code):
    campaign = opened(world)
    teacher = world.people["teacher"]
    assessment = task(campaign, teacher)
    call = lambda: services.assessment_save(  # noqa: E731
        assessment=assessment, by=teacher, scores=levels(), submit=True, today=day(campaign)
    )
    if code is None:
        call()
        assessment.refresh_from_db()
        assert assessment.status == AssessmentStatus.SUBMITTED
    else:
        with pytest.raises(ValidationError) as refused:
            call()
        assert codes(refused.value) == {code}
        assert not Score.objects.filter(assessment=assessment).exists()


def test_the_task_of_an_assessor_is_found_only_for_participants_and_their_assessors(world):
    campaign = opened(world)
    people = world.people
    found = services.assessment_for(
        campaign=campaign, person=people["teacher"], assessor=people["mo_head"], kind=AssessmentKind.EXPERT
    )
    assert found == task(campaign, people["mo_head"], AssessmentKind.EXPERT, people["teacher"])
    refusals = [
        (dict(person=people["chair"], assessor=people["chair"], kind=AssessmentKind.SELF), "not_participant"),
        (dict(person=people["teacher"], assessor=people["mo_head"], kind=AssessmentKind.SELF), "not_assessor"),
        (dict(person=people["teacher"], assessor=people["chair"], kind=AssessmentKind.EXPERT), "not_assessor"),
        (dict(person=people["mo_head"], assessor=people["teacher"], kind=AssessmentKind.EXPERT), "not_assessor"),
    ]
    count = Assessment.objects.count()
    for arguments, code in refusals:
        with pytest.raises(ValidationError) as refused:
            services.assessment_for(campaign=campaign, today=world.today, **arguments)
        assert codes(refused.value) == {code}, arguments
    assert Assessment.objects.count() == count


# ---------------------------------------------------------------- the dashboard


def due(world, role: str, today: datetime.date) -> dict[str, list[str]]:
    rows = selectors.needs_me(roles_of(world.people[role].user), today=today)
    return {key: [a.participant.person.user.username for a in rows[key]] for key in rows}


def test_needs_me_lists_the_tasks_waiting_while_the_window_is_open(world):
    campaign = opened(world)
    first, last = campaign.starts_on, campaign.ends_on
    nothing = {"self_assessments_due": [], "expert_assessments_due": []}
    assert due(world, "teacher", first - DAY) == nothing  # not yet
    assert due(world, "teacher", first) == {"self_assessments_due": ["teacher"], "expert_assessments_due": []}
    assert due(world, "mo_head", last) == {"self_assessments_due": ["mo_head"], "expert_assessments_due": ["teacher"]}
    assert due(world, "mo_head", last + DAY) == nothing  # the window is over
    teacher = world.people["teacher"]
    services.assessment_save(assessment=task(campaign, teacher), by=teacher, scores=levels(), submit=True, today=first)
    assert due(world, "teacher", first)["self_assessments_due"] == []
    services.campaign_close(campaign=campaign, by=world.people["methodist"])
    assert due(world, "mo_head", first) == nothing


def test_needs_me_is_empty_for_an_account_without_a_person(world):
    assert selectors.needs_me(roles_of(world.admin), today=world.today) == {}
