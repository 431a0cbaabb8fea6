"""A user-supplied return address (`next`) is followed only when it is a path of this site; anything else falls back
to the page's own destination, and the action it came with is kept.

Written against the probe's finding: marking a decision with `next=env` answered 500 (redirect() took "env" for a
URL name: NoReverseMatch) and the mark was lost with the request's transaction.
"""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from metodservice.common.viewtools import safe_next
from planning.models import Decision, DecisionStatus
from tests.security.hardening import NOW, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, at=NOW)]

UNSAFE = [
    "env",  # a word: redirect() would look it up as a URL name
    "planning:decision_list",  # a URL name is not an address either
    "dashboard",
    "relative/path",
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "http:/evil.example/",
    "javascript:alert(1)",
    "/planning/decisions/\r\nSet-Cookie: a=b",
    " /planning/decisions/",
]


def mark(client: Client, world, next_value: str | None, method: str = "post"):
    url = reverse("planning:decision_mark", args=[world.decision.pk])
    data = {"status": DecisionStatus.DONE, "report": "Открытый урок проведён"}
    if next_value is not None:
        data["next"] = next_value
    client.raise_request_exception = False
    return client.post(url, data) if method == "post" else client.get(url, {"next": next_value})


@pytest.mark.parametrize("next_value", UNSAFE)
def test_a_decision_mark_with_an_unsafe_next_is_saved_and_goes_to_the_register(world, next_value):
    response = mark(client_for(world, "teacher"), world, next_value)
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:decision_list")
    assert Decision.objects.get(pk=world.decision.pk).status == DecisionStatus.DONE


def test_a_decision_mark_returns_to_the_page_it_came_from(world):
    back = reverse("planning:meeting_detail", args=[world.meeting.pk]) + "?tab=decisions"
    response = mark(client_for(world, "teacher"), world, back)
    assert response.status_code == 302
    assert response["Location"] == back
    assert Decision.objects.get(pk=world.decision.pk).status == DecisionStatus.DONE


@pytest.mark.parametrize("next_value", UNSAFE)
def test_the_mark_form_does_not_carry_an_unsafe_next(world, next_value):
    response = mark(client_for(world, "teacher"), world, next_value, method="get")
    assert response.status_code == 200
    assert response.context["next"] == ""
    assert 'name="next"' not in response.content.decode()


@pytest.mark.parametrize("next_value", UNSAFE)
def test_login_with_an_unsafe_next_goes_to_the_start_page(world, next_value):
    response = Client().post(reverse("login"), {"username": "teacher", "password": "pass", "next": next_value})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_login_follows_a_path_of_the_site(world):
    response = Client().post(
        reverse("login"), {"username": "teacher", "password": "pass", "next": reverse("planning:plan_list")}
    )
    assert response["Location"] == reverse("planning:plan_list")


def test_the_login_form_does_not_carry_an_unsafe_next(world):
    response = Client().get(reverse("login"), {"next": "env"})
    assert response.context["next"] == ""


@pytest.mark.parametrize("next_value", UNSAFE)
def test_logout_with_an_unsafe_next_goes_to_the_login_page(world, next_value):
    response = client_for(world, "teacher").post(reverse("logout"), {"next": next_value})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/planning/decisions/?status=open", "/planning/decisions/?status=open"),
        ("/структура/", "/структура/"),
        *[(value, "") for value in UNSAFE],
        ("", ""),
    ],
)
def test_safe_next_keeps_only_paths_of_this_site(value, expected):
    request = RequestFactory().post("/", {"next": value})
    assert safe_next(request) == expected
    assert safe_next(RequestFactory().get("/", {"next": value})) == expected


def test_safe_next_prefers_the_posted_value():
    request = RequestFactory().post("/?next=/from-get/", {"next": "/from-post/"})
    assert safe_next(request) == "/from-post/"
    assert safe_next(request, "env") == ""
