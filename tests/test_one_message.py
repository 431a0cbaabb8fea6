"""One success message, not two: every action that succeeds (a POST, then the page it redirects to) tells the user
once — one flashed message, and no alert on the page that says the same again.

The flows are the pages' own forms, as a user sends them, by the role that may; each one is checked on the page the
user lands on: exactly one message, of level success, and exactly one green box (the message itself).
"""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.urls import reverse

from planning import selectors as planning_selectors
from planning import services as planning_services
from structure.models import Position
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]


def council_meeting(w):
    """A council meeting today with everyone marked present: the chair and the secretary may sign it."""
    meeting = planning_services.meeting_create(unit=w.council, year=w.year, date=w.today, created_by=w.people["chair"])
    rows = planning_selectors.attendance_rows(meeting)
    planning_services.attendance_set(meeting=meeting, rows=[(person, True, "") for person, _p, _r in rows])
    item = planning_services.agenda_add(meeting=meeting, title="О плане работы")
    planning_services.agenda_update(item=item, title=item.title, decided="Принять к сведению.")
    return meeting


def person_fields(w, **changes) -> dict:
    data = {
        "last_name": "Орлова",
        "first_name": "Анна",
        "patronymic": "Петровна",
        "gender": "auto",
        "position": Position.objects.get(name="Преподаватель").pk,
    }
    data.update(changes)
    return data


def _sign_first(w):
    meeting = council_meeting(w)
    return reverse("planning:protocol_sign", args=[meeting.pk]), {}


def _sign_second(w):
    meeting = council_meeting(w)
    planning_services.protocol_sign(meeting=meeting, person=w.people["chair"])
    return reverse("planning:protocol_sign", args=[meeting.pk]), {}


def _amend(w):
    planning_services.plan_approve(plan=w.association_plan, person=w.people["chair"])
    return reverse("planning:plan_amend", args=[w.association_plan.pk]), {"reason": "Новый пункт"}


# (name, role, a function of the world giving (url, data))
FLOWS = [
    ("person created", "deputy", lambda w: (reverse("structure:person_create"), person_fields(w))),
    (
        "person changed",
        "deputy",
        lambda w: (
            reverse("structure:person_edit", args=[w.people["methodist"].pk]),
            person_fields(w, last_name="Методистова", position=w.people["methodist"].position_id),
        ),
    ),
    (
        "order created",
        "deputy",
        lambda w: (
            reverse("structure:order_create"),
            {"title": "О составе", "preamble": "В целях", "control_text": "К"},
        ),
    ),
    ("order sent", "deputy", lambda w: (reverse("structure:order_send", args=[w.draft.pk]), {})),
    (
        "visa given",
        "chair",
        lambda w: (reverse("structure:order_visa", args=[w.on_approval.pk]), {"decision": "agree"}),
    ),
    ("order signed", "director", lambda w: (reverse("structure:order_sign", args=[w.on_signing.pk]), {})),
    ("order acknowledged", "teacher", lambda w: (reverse("structure:order_acknowledge", args=[w.signed.pk]), {})),
    (
        "join request accepted",
        "group_lead",
        lambda w: (reverse("structure:join_request_decide", args=[w.join_request.pk]), {"decision": "accept"}),
    ),
    ("plan approved", "chair", lambda w: (reverse("planning:plan_approve", args=[w.association_plan.pk]), {})),
    (
        "plan returned",
        "mo_head",
        lambda w: (reverse("planning:plan_return", args=[w.teacher_plan.pk]), {"comment": "Уточните сроки"}),
    ),
    ("amendment started", "mo_head", _amend),
    (
        "guest added",
        "mo_head",
        lambda w: (reverse("planning:guest_add", args=[w.meeting.pk]), {"name": "Гостева Галина Петровна"}),
    ),
    (
        "attendance saved",
        "mo_head",
        lambda w: (reverse("planning:attendance_edit", args=[w.meeting.pk]), {"rest_present": "1"}),
    ),
    ("protocol signed once", "chair", _sign_first),
    ("protocol signed by both", "secretary", _sign_second),
    (
        "current year chosen",
        "methodist",
        lambda w: (reverse("planning:year_make_current", args=[w.past_year.pk]), {}),
    ),
    ("calendar address renewed", "teacher", lambda w: (reverse("planning:feed_settings"), {})),
]


@pytest.mark.parametrize(("name", "role", "flow"), FLOWS, ids=[name for name, _role, _flow in FLOWS])
def test_a_successful_action_shows_one_success_message(world, name, role, flow):
    url, data = flow(world)
    response = client_for(world, role).post(url, data, follow=True)
    assert response.status_code == 200
    assert len(response.redirect_chain) >= 1, f"{name}: the action did not succeed (the form came back)"
    shown = list(response.context["messages"])
    assert [m.level for m in shown] == [messages.SUCCESS], f"{name}: {[str(m) for m in shown]}"
    html = response.content.decode()
    assert html.count("alert-success") == 1, f"{name}: a green box besides the message «{shown[0]}»"
