"""Sessions end after a working day without a request, logged-in pages are not stored by browsers or proxies, and
every user can change their own password (with Django's validators, in Russian).

Written against the probe's findings: a session lived two weeks whatever the activity, pages with personal data were
cacheable, and there was no way to change one's password but to ask the administrator.
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from metodservice.common.middleware import NoStoreForLoggedInMiddleware
from tests.planning.world import build_planning
from tests.security.hardening import NOW, client_for, settings_from_environment, travel
from tests.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.world(at=NOW)]  # `world`: built and used from NOW on

NEW_PASSWORD = "Методкабинет-2026"


@pytest.fixture
def clock(request):
    """The clock from NOW on, for the test to move; with the world, from where the world's clock has come to."""
    start = NOW
    if "world" in request.fixturenames:
        request.getfixturevalue("world")
        start = timezone.now()
    with travel(start) as traveller:
        yield traveller


def logged_in(username: str = "teacher", password: str = "pass") -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, "logged in"
    return client


# ---------------------------------------------------------------- the idle timeout


def test_the_idle_timeout_is_a_working_day_by_default_and_read_from_the_environment(monkeypatch):
    assert settings.SESSION_IDLE_MINUTES == 480
    assert settings.SESSION_COOKIE_AGE == 480 * 60
    assert settings_from_environment(monkeypatch)["SESSION_COOKIE_AGE"] == 480 * 60
    production = settings_from_environment(monkeypatch, SESSION_IDLE_MINUTES="30")
    assert production["SESSION_COOKIE_AGE"] == 30 * 60
    assert "metodservice.common.middleware.IdleSessionMiddleware" in production["MIDDLEWARE"]


def test_a_session_ends_after_the_idle_time_and_not_while_in_use(world, clock):
    client = logged_in()
    almost = datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES - 1)
    for _ in range(3):  # a day and a half of work, never idle for the whole timeout
        clock.shift(almost)
        assert client.get(reverse("dashboard")).status_code == 200
    clock.shift(datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_forced_login_session_also_ends_when_idle(world, clock):
    client = client_for(world, "teacher")
    clock.shift(datetime.timedelta(minutes=30))
    assert client.get(reverse("dashboard")).status_code == 200
    clock.shift(datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1))
    assert client.get(reverse("dashboard")).status_code == 302


def test_an_active_session_is_written_at_most_once_a_minute(world, clock):
    client = logged_in()
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("dashboard"))
    assert not session_writes(queries), "just logged in: nothing to renew"
    clock.shift(datetime.timedelta(minutes=2))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("dashboard"))
    assert len(session_writes(queries)) == 1
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("dashboard"))
    assert not session_writes(queries)


def session_writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
    ]


# ---------------------------------------------------------------- no-store


def test_a_logged_in_page_is_not_stored(world):
    response = client_for(world, "teacher").get(reverse("dashboard"))
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives


def test_a_download_keeps_its_own_cache_header(clock):
    world = build_planning(build_world())
    response = client_for(world, "mo_head").get(reverse("planning:protocol_pdf", args=[world.meeting.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


def test_the_middleware_leaves_anonymous_pages_and_own_headers_alone(world):
    def page(_request):
        return HttpResponse("page")

    def download(_request):
        response = HttpResponse("file")
        response["Cache-Control"] = "private, max-age=60"
        return response

    request = RequestFactory().get("/")
    request.user = get_user_model()()  # not saved: is_authenticated is still True for a User
    assert "no-store" in NoStoreForLoggedInMiddleware(page)(request)["Cache-Control"]
    assert NoStoreForLoggedInMiddleware(download)(request)["Cache-Control"] == "private, max-age=60"
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert not NoStoreForLoggedInMiddleware(page)(request).has_header("Cache-Control")


# ---------------------------------------------------------------- changing one's password


def test_the_user_menu_links_to_the_password_page(world):
    page = client_for(world, "teacher").get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("password_change")}"' in page


def test_a_user_changes_their_password(world):
    client = logged_in()
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    assert "Старый пароль" in page.content.decode()
    response = client.post(
        reverse("password_change"),
        {"old_password": "pass", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("dashboard")).status_code == 200, "still logged in after the change"
    user = world.people["teacher"].user
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert logged_in(password=NEW_PASSWORD)


def test_a_wrong_old_password_is_refused(world):
    client = logged_in()
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [error.code for error in errors["old_password"]] == ["password_incorrect"]
    assert "Ваш старый пароль введен неправильно" in response.content.decode()
    user = world.people["teacher"].user
    user.refresh_from_db()
    assert user.check_password("pass")


def test_a_too_short_new_password_is_refused_in_russian(world):
    client = logged_in()
    response = client.post(
        reverse("password_change"), {"old_password": "pass", "new_password1": "Ab1-x", "new_password2": "Ab1-x"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert "password_too_short" in [error.code for error in errors["new_password2"]]
    assert "Введённый пароль слишком короткий" in response.content.decode()
    user = world.people["teacher"].user
    user.refresh_from_db()
    assert user.check_password("pass")


def test_an_anonymous_visitor_is_sent_to_log_in(world):
    response = Client().get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
