"""The conformity attestation's pages and actions (attestation/views/conformity.py), the panel on the case page
(attestation.templatetags.conformity) with its pinned queries, and the extract of the protocol printed from the
signed snapshot, never from live rows."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from attestation.models import AttestationCase, CaseDecision, CaseStatus
from structure.models import Person
from tests.attestation import matrix_conformity as steps
from tests.attestation.test_conformity_services import extend
from tests.planning.test_documents import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, extend=extend)]

DAY = datetime.timedelta(days=1)


def client(world, role: str) -> Client:
    c = Client()
    c.force_login(world.people[role].user)
    return c


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


# ---------------------------------------------------------------- opening and the представление


def test_the_methodist_opens_a_case_from_the_form(world, today):
    ivanova = world.people["ivanova"]
    url = reverse("attestation:conformity_open")
    assert client(world, "methodist").get(url, {"person": ivanova.pk}).status_code == 200
    response = client(world, "methodist").post(url, {"person": ivanova.pk})
    case = AttestationCase.objects.get(person=ivanova)
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    response = client(world, "deputy").post(url, {"person": ivanova.pk})
    assert response.status_code == 200 and "person" not in response.context["form"].errors
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["case_open"]


def test_the_presentation_form_saves_and_refuses_empty(world, today):
    methodist = client(world, "methodist")
    case = steps.drafted(world, world.people["ivanova"])
    url = reverse("attestation:conformity_presentation", args=[case.pk])
    response = methodist.post(url, {"text": ""})
    assert response.status_code == 200 and response.context["form"].has_error("text", "presentation_empty")
    response = methodist.post(url, {"text": "Новый текст представления"})
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert case.presentation == "Новый текст представления"


def test_a_signed_presentation_is_not_offered_for_editing(world, today):
    case = steps.acknowledged(world, world.people["ivanova"])
    response = client(world, "methodist").get(reverse("attestation:conformity_presentation", args=[case.pk]))
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()


# ---------------------------------------------------------------- the teacher


def test_the_teacher_reads_and_acknowledges_the_presentation(world, today):
    case = steps.drafted(world, world.people["ivanova"])
    teacher = client(world, "ivanova")
    url = reverse("attestation:conformity_acknowledge", args=[case.pk])
    page = teacher.get(url)
    assert page.status_code == 200 and steps.PRESENTATION in page.content.decode()
    response = teacher.post(url, {"on": today.isoformat(), "addition": "Мои достижения"})  # the box not ticked
    assert response.status_code == 200 and response.context["form"].has_error("acknowledged")
    response = teacher.post(url, {"acknowledged": "on", "on": (today + DAY).isoformat()})
    assert response.context["form"].has_error("on", "acknowledged_in_future")
    case.refresh_from_db()
    assert case.acknowledged_on is None
    response = teacher.post(url, {"acknowledged": "on", "on": today.isoformat(), "addition": "Мои достижения"})
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert (case.acknowledged_on, case.teacher_addition, case.status) == (today, "Мои достижения", CaseStatus.SUBMITTED)
    again = teacher.post(reverse("attestation:conformity_addition", args=[case.pk]), {"text": "Исправлено"})
    assert again.status_code == 302
    case.refresh_from_db()
    assert case.teacher_addition == "Исправлено"


def test_a_teacher_sees_only_their_own_case(world, today):
    theirs = steps.drafted(world)  # `teacher`'s
    mine = steps.drafted(world, world.people["ivanova"])
    ivanova = client(world, "ivanova")
    assert ivanova.get(reverse("attestation:conformity_acknowledge", args=[theirs.pk])).status_code == 404
    assert ivanova.get(reverse("attestation:conformity_acknowledge", args=[mine.pk])).status_code == 200
    assert (
        client(world, "teacher").get(reverse("attestation:conformity_acknowledge", args=[mine.pk])).status_code == 404
    )


# ---------------------------------------------------------------- the sitting and the decision from the panel


def test_planning_from_the_panel_and_a_refusal_shown(world, today):
    methodist = client(world, "methodist")
    case = steps.acknowledged(world, world.people["ivanova"], on=today - 20 * DAY)
    url = reverse("attestation:conformity_plan", args=[case.pk])
    too_soon = steps.sitting(world, today)
    response = methodist.post(url, {"meeting": too_soon.pk})
    assert response.status_code == 302
    assert any(f"{today + 10 * DAY:%d.%m.%Y}" in m for m in messages_of(response))
    case.refresh_from_db()
    assert case.agenda_item is None
    good = steps.sitting(world, today + 10 * DAY)
    assert methodist.post(url, {"meeting": good.pk})["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert case.agenda_item.meeting == good
    assert methodist.get(url).status_code == 405


def test_the_commission_chair_records_the_decision(world, today):
    case = steps.planned(world, world.people["ivanova"])
    steps.mark_all(case.agenda_item.meeting)
    url = reverse("attestation:conformity_decide", args=[case.pk])
    data = {"decision": "conforms", "votes_for": "2", "votes_against": "2", "votes_abstained": "1"}
    response = client(world, "chair").post(url, data)
    assert any("5" in m for m in messages_of(response))  # no majority: 2 of 5
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    response = client(world, "chair").post(
        url, {**data, "votes_for": "5", "votes_against": "0", "votes_abstained": "0"}
    )
    assert response["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert (case.status, case.decision) == (CaseStatus.DECIDED, CaseDecision.CONFORMS)


# ---------------------------------------------------------------- the extract


def test_the_extract_is_printed_from_the_signed_protocol_only(world, today):
    case = steps.decided(world, world.people["ivanova"])
    url = reverse("attestation:conformity_extract", args=[case.pk])
    assert client(world, "methodist").get(url).status_code == 404  # not signed yet
    meeting = steps.sign(case.agenda_item.meeting)
    response = client(world, "ivanova").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content) if response.streaming else response.content)
    assert "ВЫПИСКА" in text and f"из протокола № {meeting.number} заседания" in text
    assert "Аттестационная комиссия техникума" in text
    assert "Об аттестации Ивановой Марии Петровны на соответствие занимаемой должности «преподаватель»" in text
    assert "Признать Иванову Марию Петровну соответствующей занимаемой должности «преподаватель»" in text
    assert "за — 4, против — 1, воздержались — 0" in text
    assert "Присутствовали: 5 чел." in text
    assert meeting.chair.short_name in text and meeting.secretary.signature_name in text

    # live rows change after signing: the extract does not
    Person.objects.filter(pk=case.person_id).update(last_name="Петрова")
    Person.objects.filter(pk=meeting.chair_id).update(last_name="Новиков")
    meeting.unit.__class__.objects.filter(pk=meeting.unit_id).update(name="Другая комиссия")
    again = client(world, "ivanova").get(url)
    assert pdf_text(again.content) == text


def test_the_teacher_acknowledges_the_extract(world, today):
    case = steps.signed(world, world.people["ivanova"])
    url = reverse("attestation:conformity_extract_acknowledge", args=[case.pk])
    assert client(world, "methodist").post(url, {"on": today.isoformat()}).status_code == 403
    response = client(world, "ivanova").post(url, {"on": today.isoformat()})
    assert response["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert case.extract_acknowledged_on == today


# ---------------------------------------------------------------- the panel


def render_panel(world, role: str, case) -> str:
    request = RequestFactory().get("/")
    request.user = world.people[role].user
    template = Template("{% load conformity %}{% conformity_panel case %}")
    return template.render(Context({"request": request, "case": case, "csrf_token": "x"}))


@pytest.mark.parametrize(
    ("state", "role", "queries", "shows"),
    [
        ("drafted", "ivanova", 3, "Ознакомиться с представлением"),
        ("acknowledged", "methodist", 4, 'name="meeting"'),
        ("planned", "chair", 4, 'name="votes_for"'),
        ("signed", "ivanova", 3, 'name="on"'),
    ],
)
def test_the_panel_shows_each_step_in_a_fixed_number_of_queries(
    world, today, django_assert_num_queries, state, role, queries, shows
):
    case = getattr(steps, state)(world, world.people["ivanova"])
    for _ in range(3):  # more meetings of the commission do not add queries
        steps.sitting(world, today + 40 * DAY + _ * DAY)
    with django_assert_num_queries(queries):
        html = render_panel(world, role, AttestationCase.objects.get(pk=case.pk))
    assert shows in html


def test_the_case_page_shows_the_panel(world, today):
    case = steps.acknowledged(world, world.people["ivanova"])
    steps.sitting(world, today + 40 * DAY)
    page = client(world, "methodist").get(case.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="conformity-heading"' in html and reverse("attestation:conformity_plan", args=[case.pk]) in html
    teacher_page = client(world, "ivanova").get(case.get_absolute_url()).content.decode()
    assert reverse("attestation:conformity_addition", args=[case.pk]) in teacher_page
    assert reverse("attestation:conformity_plan", args=[case.pk]) not in teacher_page
