"""The menu's badge on «Что требует внимания»: on every page, the number of things the dashboard asks the user to
act on, for every role; it falls when one is done."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from metodservice.attention import attention_count
from structure import services
from structure.selectors import roles_of
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
