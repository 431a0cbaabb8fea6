"""An item's question in the methodological council's protocol, and planning's pages (planning.services.guards,
filled by experience.apps): the question is not deleted there nor retitled, nor its decision changed once the
outcome is recorded (`experience_question`); the protocol is not signed while an item on it has no outcome
(`experience_outcome_missing`) or when the outcome contradicts the vote (`experience_vote`); with both signatures the
item takes the council's outcome in the same transaction; the meeting's page links the question to its item."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from experience.models import ExperienceItem, ItemStatus
from planning import services as planning
from planning.models import AgendaItem, Meeting
from tests.experience import items_data as data
from tests.experience.items_data import codes

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]


def kept(question: AgendaItem) -> dict:
    return {
        "title": question.title,
        "speaker": question.speaker,
        "heard": question.heard,
        "spoke": question.spoke,
        "decided": question.decided,
        "votes_for": question.votes_for,
        "votes_against": question.votes_against,
        "votes_abstained": question.votes_abstained,
    }


def refused(code: str, function, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        function(**kwargs)
    assert codes(info.value) == [code], codes(info.value)
    return info.value


def sign_refused(code: str, meeting: Meeting) -> None:
    meeting.refresh_from_db()
    for signer in (meeting.chair, meeting.secretary):
        refused(code, planning.protocol_sign, meeting=meeting, person=signer)
    meeting.refresh_from_db()
    assert (meeting.chair_signed_at, meeting.secretary_signed_at, meeting.snapshot) == (None, None, None)


def client(world, role: str) -> Client:
    c = Client()
    c.force_login(world.people[role].user)
    return c


def test_planning_does_not_delete_the_question(world):
    item = data.on_agenda(world)
    question = AgendaItem.objects.select_related("meeting").get(pk=item.council_question_id)
    error = refused("experience_question", planning.agenda_delete, item=question)
    assert item.title[:30] in error.messages[0]
    assert AgendaItem.objects.filter(pk=question.pk).exists()


def test_planning_does_not_retitle_the_question_but_writes_the_rest(world):
    item = data.on_agenda(world)
    question = AgendaItem.objects.select_related("meeting").get(pk=item.council_question_id)
    refused("experience_question", planning.agenda_update, item=question, **{**kept(question), "title": "Разное"})
    planning.agenda_update(
        item=question, **{**kept(question), "heard": "Миронова П.А. об опыте", "decided": "Проект решения"}
    )
    question.refresh_from_db()
    assert question.heard == "Миронова П.А. об опыте" and question.decided == "Проект решения"


def test_once_the_outcome_is_recorded_planning_does_not_change_the_decision(world):
    item = data.decided(world)
    question = AgendaItem.objects.select_related("meeting").get(pk=item.council_question_id)
    refused("experience_question", planning.agenda_update, item=question, **{**kept(question), "decided": "Отклонить"})
    planning.agenda_update(item=question, **{**kept(question), "spoke": "Тарасова Л.Н.: поддержать."})
    planning.agenda_update(item=question, **{**kept(question), "votes_for": 3, "votes_against": 0})
    question.refresh_from_db()
    assert question.decided.startswith("Рекомендовать") and question.votes_for == 3


def test_other_questions_of_the_meeting_stay_free(world):
    item = data.on_agenda(world)
    other = planning.agenda_add(meeting=item.council_question.meeting, title="Разное")
    planning.agenda_update(item=other, title="О плане на полугодие")
    planning.agenda_delete(item=AgendaItem.objects.select_related("meeting").get(pk=other.pk))
    assert not AgendaItem.objects.filter(pk=other.pk).exists()


def test_the_protocol_is_not_signed_without_the_outcome(world):
    item = data.on_agenda(world)
    meeting = item.council_question.meeting
    data.mark_all(meeting)
    question = AgendaItem.objects.select_related("meeting").get(pk=item.council_question_id)
    planning.agenda_update(item=question, **{**kept(question), "decided": "Рекомендовать."})
    sign_refused("experience_outcome_missing", meeting)
    item.refresh_from_db()
    assert item.status == ItemStatus.REVIEWED


def test_the_protocol_is_not_signed_when_the_outcome_contradicts_the_vote(world):
    item = data.decided(world)
    question = AgendaItem.objects.select_related("meeting").get(pk=item.council_question_id)
    planning.agenda_update(
        item=question, **{**kept(question), "votes_for": 1, "votes_against": 1, "votes_abstained": 1}
    )
    sign_refused("experience_vote", question.meeting)
    planning.agenda_update(
        item=question, **{**kept(question), "votes_for": 2, "votes_against": 1, "votes_abstained": 0}
    )
    data.sign(question.meeting)
    item.refresh_from_db()
    assert item.status == ItemStatus.RECOMMENDED


def test_the_first_signature_leaves_the_item_the_second_recommends_it(world):
    item = data.decided(world)
    meeting = item.council_question.meeting
    planning.protocol_sign(meeting=meeting, person=meeting.chair)
    item.refresh_from_db()
    assert item.status == ItemStatus.REVIEWED
    meeting.refresh_from_db()
    planning.protocol_sign(meeting=meeting, person=meeting.secretary)
    item.refresh_from_db()
    assert item.status == ItemStatus.RECOMMENDED


def test_the_hook_runs_in_the_signing_transaction(world, monkeypatch):
    """A failure after the hook rolls the item back with the signature: one transaction."""
    item = data.decided(world)
    meeting = item.council_question.meeting
    planning.protocol_sign(meeting=meeting, person=meeting.chair)
    from planning.services import guards

    def fail(meeting):
        raise RuntimeError("after the hook")

    monkeypatch.setattr(guards, "_signed_hooks", [*guards._signed_hooks, fail])
    meeting.refresh_from_db()
    with pytest.raises(RuntimeError):
        planning.protocol_sign(meeting=meeting, person=meeting.secretary)
    item.refresh_from_db()
    meeting.refresh_from_db()
    assert item.status == ItemStatus.REVIEWED and not meeting.is_signed


def test_the_council_returns_the_item_on_signing(world):
    item = data.decided(world, recommends=False)
    data.sign(item.council_question.meeting)
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED


def test_a_signed_protocol_keeps_its_question(world):
    item = data.recommended(world)
    from experience.services import items as services

    item = ExperienceItem.objects.select_related("council_question__meeting").get(pk=item.pk)
    assert item.council_question.meeting.is_signed
    with pytest.raises(ValidationError):
        services.council_outcome(item=item, by=world.people["methodist"], recommends=False, comment="Поздно")


def test_planning_pages_show_the_refusals_and_link_the_item(world):
    item = data.on_agenda(world)
    meeting = item.council_question.meeting
    chair = client(world, "chair")
    page = chair.get(reverse("planning:meeting_detail", args=[meeting.pk]))
    assert page.status_code == 200
    assert item.get_absolute_url() in page.content.decode()
    response = chair.post(reverse("planning:agenda_delete", args=[meeting.pk, item.council_question_id]))
    assert response.status_code == 302
    assert AgendaItem.objects.filter(pk=item.council_question_id).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(item.title[:30] in m for m in messages), messages
