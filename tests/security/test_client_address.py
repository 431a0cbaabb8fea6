"""Login throttling sees the real client behind the documented proxy (nginx appends the client's address to
X-Forwarded-For): two clients are locked out independently, and a forged X-Forwarded-For does not escape a lockout.

Written against the probe's finding: django-ipware was missing, so django-axes took REMOTE_ADDR (the proxy,
127.0.0.1) for every client; and with ipware present the old settings (PROXY_COUNT passed as ipware's count, strict
chains) read no address from a normal request and the *forged* one from a request with an extra left-most entry.
"""

from __future__ import annotations

import datetime

import axes.helpers
import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.translation import gettext, override

from tests.security.hardening import NOW, settings_from_environment

pytestmark = [pytest.mark.django_db, pytest.mark.world(at=NOW)]

CLIENT_A, CLIENT_B, FORGED = "203.0.113.5", "203.0.113.77", "198.51.100.9"
PROXY = "127.0.0.1"  # nginx on the same host, as in the README


def use_production_proxy_settings(monkeypatch, settings, proxy_count: str = "1") -> None:
    """The client-address settings production gets from its environment (DEBUG off, PROXY_COUNT proxies)."""
    production = settings_from_environment(monkeypatch, PROXY_COUNT=proxy_count)
    for name, value in production.items():
        if name.startswith(("AXES_IPWARE_", "IPWARE_")):
            setattr(settings, name, value)


@pytest.fixture
def behind_proxy(monkeypatch, settings):
    use_production_proxy_settings(monkeypatch, settings)


def via_proxy(forwarded_for: str) -> Client:
    """A browser behind nginx: REMOTE_ADDR is the proxy, X-Forwarded-For ends with the address nginx saw."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def log_in(client: Client, password: str):
    return client.post(reverse("login"), {"username": "teacher", "password": password})


def lock_out(client: Client) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, "wrong")
    assert response.status_code == 429


def test_axes_reads_the_address_with_ipware():
    assert axes.helpers.IPWARE_INSTALLED, "django-ipware is installed, so axes can read X-Forwarded-For"


@pytest.mark.parametrize(
    ("proxy_count", "forwarded_for", "client"),
    [
        ("1", CLIENT_A, CLIENT_A),
        ("1", f"{FORGED}, {CLIENT_A}", CLIENT_A),  # the client wrote its own X-Forwarded-For; nginx appended
        ("1", f"unknown, {FORGED}, {CLIENT_A}", CLIENT_A),
        ("1", "10.20.0.15", "10.20.0.15"),  # the college intranet
        ("1", f"{FORGED}, 10.20.0.15", "10.20.0.15"),
        ("2", f"{CLIENT_A}, 10.0.0.2", CLIENT_A),  # a load balancer (10.0.0.2) in front of nginx
        ("2", f"{FORGED}, {CLIENT_A}, 10.0.0.2", CLIENT_A),
    ],
)
def test_the_client_address_is_the_entry_the_last_proxy_saw(monkeypatch, settings, proxy_count, forwarded_for, client):
    use_production_proxy_settings(monkeypatch, settings, proxy_count)
    request = RequestFactory().post("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert axes.helpers.get_client_ip_address(request) == client


def test_without_the_header_the_address_is_the_connection(behind_proxy):
    assert axes.helpers.get_client_ip_address(RequestFactory().post("/", REMOTE_ADDR="10.20.0.15")) == "10.20.0.15"


def test_two_forwarded_clients_are_locked_out_independently(world, behind_proxy):
    lock_out(via_proxy(CLIENT_A))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT_A}
    # The same account from another address still logs in; from the locked address it does not.
    assert log_in(via_proxy(CLIENT_B), "pass").status_code == 302
    assert log_in(via_proxy(CLIENT_A), "pass").status_code == 429


def test_a_forged_left_most_entry_does_not_escape_the_lockout(world, behind_proxy):
    lock_out(via_proxy(CLIENT_A))
    for forged in (FORGED, CLIENT_B, "127.0.0.1", "10.20.0.15"):
        response = log_in(via_proxy(f"{forged}, {CLIENT_A}"), "pass")
        assert response.status_code == 429, forged


def test_a_forged_entry_does_not_lock_out_the_forged_address(world, behind_proxy):
    lock_out(via_proxy(f"{CLIENT_B}, {CLIENT_A}"))
    assert log_in(via_proxy(CLIENT_B), "pass").status_code == 302


@pytest.mark.parametrize("minutes", [15, 40])
def test_the_lockout_page_says_for_how_long(world, behind_proxy, settings, minutes):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=minutes)
    client = via_proxy(CLIENT_A)
    lock_out(client)
    response = log_in(client, "pass")
    assert response.status_code == 429
    assert response["Content-Language"] == "ru"
    page = response.content.decode()
    with override("ru"):
        assert gettext("Too many failed attempts") in page
        text = gettext(
            "After several wrong passwords, logging in to this account from your address is paused. "
            "Try again in %(minutes)s min. or ask the administrator."
        )
    assert text % {"minutes": minutes} in page


def test_the_cool_off_time_comes_from_the_environment_in_minutes(monkeypatch):
    production = settings_from_environment(monkeypatch, AXES_COOLOFF_MINUTES="25")
    assert production["AXES_COOLOFF_TIME"] == datetime.timedelta(minutes=25)
