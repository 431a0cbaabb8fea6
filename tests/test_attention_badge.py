"""The menu's badge on «Что требует внимания»: on every page, the number of things the dashboard asks the user to
act on, for every role; it falls when one is done."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from metodservice import attention
from metodservice.attention import attention_count
from structure import services
from structure.selectors import roles_of
from tests.factories import noon
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]

ANY_BADGE = re.compile(r'class="badge rounded-pill attention-badge">(\d+)<')


def _badge(html: str) -> int:
    found = {int(n) for n in ANY_BADGE.findall(html)}
    assert len(found) <= 1, found  # the menu's and the phone's badge agree
    return found.pop() if found else 0


def _roles(world):
    return [*world.people, "admin"]


def test_the_badge_is_the_dashboards_count_on_every_page_for_every_role(world):
    seen = {}
    for role in _roles(world):
        client = client_for(world, role)
        dashboard = client.get(reverse("dashboard"))
        rows = sum(
            len(dashboard.context.get(key) or ())
            for key in (
                "to_sign",
                "to_visa",
                "returned",
                "to_acknowledge",
                "join_requests",
                "plans_returned",
                "items_due",
                "open_decisions",
                "plans_awaiting",
            )
        ) + sum(
            dashboard.context.get(key) or 0
            for key in (
                "trainings_to_confirm_count",
                "trainings_returned_count",
                "presentations_to_acknowledge_count",
                "decisions_to_record_count",
                "self_assessments_due_count",
                "expert_assessments_due_count",
            )
        )
        elsewhere = client.get(reverse("password_change"))
        user = world.admin if role == "admin" else world.people[role].user
        assert _badge(dashboard.content.decode()) == rows == _badge(elsewhere.content.decode()), role
        assert attention_count(roles_of(user)) == rows, role
        seen[role] = rows
    assert seen["admin"] == 0
    assert seen["director"] >= 1 and seen["chair"] >= 1 and seen["teacher"] >= 1  # the world has work for them


def test_the_badge_falls_when_the_teacher_acknowledges_an_order(world):
    client = client_for(world, "teacher")
    before = _badge(client.get(reverse("structure:overview")).content.decode())
    services.order_acknowledge(order=world.signed, person=world.people["teacher"])
    after = _badge(client.get(reverse("structure:overview")).content.decode())
    assert after == before - 1


def test_a_record_waiting_for_confirmation_counts_for_the_methodist_until_confirmed_and_a_returned_one_for_its_owner(
    world,
):
    from attestation.services import training as training_services
    from tests.attestation.matrix_training import teacher_record

    methodist, teacher = client_for(world, "methodist"), client_for(world, "teacher")
    page = reverse("structure:overview")
    before = {
        "methodist": _badge(methodist.get(page).content.decode()),
        "teacher": _badge(teacher.get(page).content.decode()),
    }

    record = teacher_record(world)
    dashboard = methodist.get(reverse("dashboard"))
    assert _badge(dashboard.content.decode()) == before["methodist"] + 1
    assert record in dashboard.context["trainings_to_confirm"]
    assert "Записи о повышении квалификации ждут моего подтверждения" in dashboard.content.decode()

    training_services.training_return(record=record, by=world.people["methodist"], comment="Нет номера удостоверения")
    assert _badge(methodist.get(page).content.decode()) == before["methodist"]
    teachers_dashboard = teacher.get(reverse("dashboard"))
    assert _badge(teachers_dashboard.content.decode()) == before["teacher"] + 1
    assert "Нет номера удостоверения" in teachers_dashboard.content.decode()


def test_a_representation_waits_for_the_teacher_and_a_held_sitting_for_the_methodists_decision(world):
    from attestation.services import conformity as conformity_services
    from tests.attestation import matrix_conformity as steps

    steps.commission(world)
    methodist, teacher = client_for(world, "methodist"), client_for(world, "teacher")
    page = reverse("structure:overview")
    before = {
        "methodist": _badge(methodist.get(page).content.decode()),
        "teacher": _badge(teacher.get(page).content.decode()),
    }

    case = steps.drafted(world)
    dashboard = teacher.get(reverse("dashboard"))
    assert _badge(dashboard.content.decode()) == before["teacher"] + 1
    assert reverse("attestation:conformity_acknowledge", args=[case.pk]) in dashboard.content.decode()

    case = conformity_services.presentation_acknowledge(case=case, by=case.person, on=world.today, today=world.today)
    assert _badge(teacher.get(page).content.decode()) == before["teacher"]
    assert _badge(methodist.get(page).content.decode()) == before["methodist"]  # no sitting yet

    meeting = steps.sitting(world, world.today)  # held today, though too soon: the decision is still to record
    case.agenda_item = conformity_services.planning.agenda_add(meeting=meeting, title="Об аттестации")
    case.save()
    methodists_dashboard = methodist.get(reverse("dashboard"))
    assert _badge(methodists_dashboard.content.decode()) == before["methodist"] + 1
    assert case in methodists_dashboard.context["decisions_to_record"]


# ---------------------------------------------------------------- the count the session keeps (production's setting)


def _count_statements(queries) -> int:
    """How many of a request's statements are the badge's count (one SELECT of scalar COUNT subqueries)."""
    return sum(1 for query in queries if query["sql"].startswith("SELECT (SELECT COUNT(*)"))


def test_a_kept_badge_is_shown_again_for_a_minute_without_counting(world, settings, time_machine, today):
    settings.ATTENTION_SECONDS = 60
    time_machine.move_to(noon(today))
    client = client_for(world, "teacher")
    page = reverse("structure:overview")
    with CaptureQueriesContext(connection) as first:
        before = _badge(client.get(page).content.decode())
    assert before >= 1 and _count_statements(first.captured_queries) == 1
    # Someone else's act (here: the service directly) is not seen within the minute, and nothing is counted…
    services.order_acknowledge(order=world.signed, person=world.people["teacher"])
    with CaptureQueriesContext(connection) as again:
        assert _badge(client.get(page).content.decode()) == before
    assert _count_statements(again.captured_queries) == 0
    # … and is seen once the minute has passed.
    time_machine.move_to(noon(today) + datetime.timedelta(seconds=61))
    assert _badge(client.get(page).content.decode()) == before - 1


def test_the_users_own_form_and_the_dashboard_count_afresh(world, settings, time_machine, today):
    settings.ATTENTION_SECONDS = 60
    time_machine.move_to(noon(today))
    client = client_for(world, "teacher")
    page = reverse("structure:overview")
    before = _badge(client.get(page).content.decode())
    response = client.post(reverse("structure:order_acknowledge", args=[world.signed.pk]), follow=True)
    assert response.status_code == 200
    assert _badge(response.content.decode()) == before - 1  # the form sent dropped the kept count
    assert _badge(client.get(page).content.decode()) == before - 1
    # The dashboard is always counted afresh (whatever the session kept), and what it counted is what the next
    # page shows: a kept count that has gone wrong is put right there.
    session = client.session
    session[attention.SESSION_KEY] = {**session[attention.SESSION_KEY], "count": 99}
    session.save()
    assert _badge(client.get(page).content.decode()) == 99
    dashboard = _badge(client.get(reverse("dashboard")).content.decode())
    assert dashboard == attention_count(roles_of(world.people["teacher"].user)) == before - 1
    assert _badge(client.get(page).content.decode()) == dashboard


def test_a_kept_badge_is_counted_again_on_a_new_day(world, settings, time_machine, today):
    settings.ATTENTION_SECONDS = 60
    time_machine.move_to(noon(today).replace(hour=23, minute=59, second=50))
    client = client_for(world, "teacher")
    page = reverse("structure:overview")
    client.get(page)
    session = client.session
    kept = session[attention.SESSION_KEY]
    assert kept["day"] == today.isoformat()
    time_machine.move_to(noon(today + datetime.timedelta(days=1)).replace(hour=0, minute=0, second=5))
    client.get(page)
    assert client.session[attention.SESSION_KEY]["day"] == (today + datetime.timedelta(days=1)).isoformat()
