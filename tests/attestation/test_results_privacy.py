"""Each judges on their own first: an expert reads nobody's levels of a participant (the self-assessment, the other
experts', the results) before submitting their own expert assessment, and the person reads no expert level before
submitting their self-assessment — until the campaign closes. An expert of one campaign does not read the person's
other campaigns. On the data of tests/attestation/matrix_results.py (this year's campaign open, last year's closed).
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from attestation.models import Assessment, AssessmentKind, AssessmentStatus, CampaignParticipant, CampaignStatus
from attestation.selectors import results as selectors
from attestation.services import campaigns as services
from structure.selectors import roles_of
from tests.attestation.matrix_results import assess, results_data
from tests.world import STAFF_ROLES, client_for

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def data(world):
    return results_data(world)


def person_url(world, campaign=None) -> str:
    url = reverse("attestation:results_person", kwargs={"pk": world.people["teacher"].pk})
    return f"{url}?campaign={campaign.pk}" if campaign else url


def card_url(participant) -> str:
    return reverse("attestation:results_card", kwargs={"pk": participant.pk})


def draft(participant, assessor) -> None:
    Assessment.objects.filter(participant=participant, assessor=assessor).update(
        status=AssessmentStatus.DRAFT, submitted_at=None
    )


def add_expert(world, data, role: str, *, submitted: bool) -> None:
    """`role` becomes a third expert of the teacher this year, with all levels 0."""
    expert = world.people[role]
    data.participant.experts.add(expert)
    assess(data.participant, expert, AssessmentKind.EXPERT, [0] * 16, data.competencies, submitted=submitted)


# ---------------------------------------------------------------- an expert still judging


def test_an_expert_reads_nothing_of_the_person_before_submitting_their_own(world, data):
    add_expert(world, data, "lab_head", submitted=False)
    client = client_for(world, "lab_head")
    assert client.get(person_url(world)).status_code == 404  # the self-assessment and the two experts' levels
    assert client.get(card_url(data.participant)).status_code == 404
    others = Assessment.objects.filter(participant=data.participant).exclude(assessor=world.people["lab_head"])
    for assessment in others:
        assert client.get(assessment.get_absolute_url()).status_code == 404


def test_an_expert_reads_the_results_once_submitted(world, data):
    add_expert(world, data, "lab_head", submitted=True)
    client = client_for(world, "lab_head")
    response = client.get(person_url(world))
    assert response.status_code == 200
    assert len(response.context["profile"].experts) == 3
    assert client.get(card_url(data.participant)).status_code == 200
    self_assessment = Assessment.objects.get(participant=data.participant, kind=AssessmentKind.SELF)
    assert client.get(self_assessment.get_absolute_url()).status_code == 200


def test_a_closed_campaign_shows_its_results_to_an_expert_who_never_submitted(world, data):
    add_expert(world, data, "lab_head", submitted=False)
    data.campaign.status = CampaignStatus.CLOSED
    data.campaign.save(update_fields=["status"])
    client = client_for(world, "lab_head")
    assert client.get(person_url(world)).status_code == 200
    self_assessment = Assessment.objects.get(participant=data.participant, kind=AssessmentKind.SELF)
    assert client.get(self_assessment.get_absolute_url()).status_code == 200


def test_a_head_who_is_an_expert_reads_the_campaign_only_after_judging(world, data):
    draft(data.participant, world.people["mo_head"])
    client = client_for(world, "mo_head")
    response = client.get(person_url(world, data.campaign))
    # Last year's closed campaign stays readable (the head's member); this year's is not offered nor opened.
    assert [p.pk for p in response.context["participations"]] == [data.past_participant.pk]
    assert response.context["participant"] == data.past_participant
    assert client.get(card_url(data.participant)).status_code == 404


def test_the_heat_map_and_the_export_withhold_whom_the_head_still_judges(world, data):
    draft(data.participant, world.people["mo_head"])
    client = client_for(world, "mo_head")
    response = client.get(reverse("attestation:results_units"), {"campaign": data.campaign.pk})
    rows = {participant.person_id: (cells, withheld) for participant, cells, withheld in response.context["rows"]}
    cells, withheld = rows[world.people["teacher"].pk]
    assert withheld and all(median is None for median, _css in cells)  # group_lead's submitted levels stay hidden
    html = response.content.decode()
    assert "1,5" not in html
    assert person_url(world, data.campaign) not in html  # no link that leads to a refusal
    export = client.get(
        reverse("attestation:results_xlsx"), {"campaign": data.campaign.pk, "unit": world.association.pk}
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(export.getvalue())).active.iter_rows(values_only=True))
    assert rows[1:] == []


def test_management_reads_everything_while_experts_judge(world, data):
    draft(data.participant, world.people["mo_head"])
    response = client_for(world, "methodist").get(reverse("attestation:results_units"), {"campaign": data.campaign.pk})
    rows = {participant.person_id: withheld for participant, _cells, withheld in response.context["rows"]}
    assert rows[world.people["teacher"].pk] is False


# ---------------------------------------------------------------- the person before the self-assessment


def test_the_person_reads_no_expert_level_before_submitting_the_self_assessment(world, data):
    draft(data.participant, world.people["teacher"])
    client = client_for(world, "teacher")
    response = client.get(reverse("attestation:results_mine"), {"campaign": data.campaign.pk})
    profile = response.context["profile"]
    assert profile.experts_withheld and profile.experts == []
    assert all(row.result.median is None and not row.result.deficit for row in profile.rows)
    # Nor through the dynamics: only last year's campaign is drawn.
    assert [pk for pk, _label in response.context["dynamics"].campaigns] == [data.past_campaign.pk]
    assert "Оценки экспертов появятся здесь" in response.content.decode()
    expert = Assessment.objects.get(participant=data.participant, assessor=world.people["mo_head"])
    assert client.get(expert.get_absolute_url()).status_code == 404
    card = client.get(card_url(data.participant))
    assert card.status_code == 200


def test_the_person_reads_the_experts_once_the_self_assessment_is_in_or_the_campaign_closed(world, data):
    client = client_for(world, "teacher")
    profile = client.get(reverse("attestation:results_mine")).context["profile"]
    assert not profile.experts_withheld and len(profile.experts) == 2
    draft(data.participant, world.people["teacher"])
    data.campaign.status = CampaignStatus.CLOSED
    data.campaign.save(update_fields=["status"])
    client = client_for(world, "teacher")
    profile = client.get(reverse("attestation:results_mine"), {"campaign": data.campaign.pk}).context["profile"]
    assert not profile.experts_withheld and len(profile.experts) == 2
    expert = Assessment.objects.get(participant=data.participant, assessor=world.people["mo_head"])
    assert client.get(expert.get_absolute_url()).status_code == 200


# ---------------------------------------------------------------- an expert of one campaign, not of the others


def test_an_expert_of_this_year_reads_neither_last_year_nor_the_drop(world, data):
    response = client_for(world, "group_lead").get(person_url(world))
    assert [pk for pk, _label in response.context["dynamics"].campaigns] == [data.campaign.pk]
    rows = {row.competency.code: row for row in response.context["profile"].rows}
    b01 = rows["B/01.5"].result
    assert b01.previous_median is None and not b01.dropped  # last year's 3 is not theirs to read
    head = client_for(world, "mo_head").get(person_url(world))
    rows = {row.competency.code: row for row in head.context["profile"].rows}
    assert rows["B/01.5"].result.dropped  # the head reads both years


# ---------------------------------------------------------------- the rule and the list agree


def test_visibility_matches_rules(world, data):
    """sees_participant (one object, the rules) and participants_visible_to (the lists) answer the same for every
    role and participant, with experts in every state."""
    add_expert(world, data, "lab_head", submitted=False)
    draft(data.participant, world.people["mo_head"])
    other = CampaignParticipant.objects.create(campaign=data.campaign, person=world.people["secretary"])
    other.experts.add(world.people["chair"])
    assess(other, world.people["chair"], AssessmentKind.EXPERT, [2] * 16, data.competencies)
    participants = list(CampaignParticipant.objects.select_related("campaign"))
    assert len(participants) == 3
    for role in ["admin", *STAFF_ROLES, "researcher"]:
        user = world.admin if role == "admin" else world.people[role].user
        roles = roles_of(user)
        listed = set(selectors.participants_visible_to(roles).values_list("pk", flat=True))
        single = {p.pk for p in participants if selectors.sees_participant(roles, p)}
        assert listed == single, role
    lab_head = roles_of(world.people["lab_head"].user)
    assert not selectors.sees_participant(lab_head, data.participant)
    chair = roles_of(world.people["chair"].user)
    assert selectors.sees_participant(chair, other)


# ---------------------------------------------------------------- opening re-checks the experts


def test_opening_refuses_an_expert_who_left_the_staff(world, data):
    from tests.attestation.matrix_results import open_campaign

    campaign = open_campaign(data.framework, data.year, "Повторная диагностика", CampaignStatus.DRAFT)
    participant = CampaignParticipant.objects.create(campaign=campaign, person=world.people["teacher"])
    expert = world.people["group_lead"]
    participant.experts.add(expert)
    expert.is_external = True
    expert.save(update_fields=["is_external"])
    with pytest.raises(ValidationError) as refused:
        services.campaign_open(campaign=campaign, by=world.people["methodist"], today=campaign.starts_on)
    assert refused.value.code == "expert_not_staff"
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert not Assessment.objects.filter(participant__campaign=campaign).exists()


def test_the_suggestions_follow_what_the_reader_may_read(world, data):
    suggestions = reverse("attestation:suggestions", kwargs={"pk": data.participant.pk})
    panel = client_for(world, "teacher").get(suggestions).context["panel"]
    assert "A/01.6" in [deficit.competency.code for deficit in panel.deficits]
    draft(data.participant, world.people["teacher"])
    assert client_for(world, "teacher").get(suggestions).context["panel"].deficits == []
