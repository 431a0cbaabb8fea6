"""Every page asks an anonymous visitor to log in (LoginRequiredMiddleware), except the few public ones listed here.

The URLs are taken from the resolver, not from a hand-kept list: a view added later is covered without anyone
remembering to add it, and a new public view must be marked `@login_not_required` and named in PUBLIC below.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

#: The views an anonymous visitor may reach, by their full URL name (or route, for unnamed patterns).
PUBLIC = {
    "login",  # the login form
    "logout",  # an expired session still logs out cleanly
    "planning:ical_feed",  # calendar apps can't log in: the secret token in the URL is the credential
    "admin:login",  # the admin's own login form (Django marks it)
}

#: A value for each path converter, so that a route can be turned into a URL that resolves.
SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "1", "uuid": "00000000-0000-0000-0000-000000000001"}


def _route_sample(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], route)


def _regex_sample(regex: str) -> str:
    """A string the regex matches: a group of alternatives gives its first one, any other group "1"."""

    def group(match: re.Match) -> str:
        body = match.group(1)
        first = body.split("|")[0]
        return first if re.fullmatch(r"[\w-]+", first) else "1"

    return re.sub(r"\((?:\?P<\w+>)?([^()]*)\)", group, regex).lstrip("^").rstrip("$")


def _sample(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _route_sample(str(pattern))
    if isinstance(pattern, RegexPattern):
        return _regex_sample(str(pattern))
    raise TypeError(f"unknown pattern type {type(pattern).__name__}")


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + _sample(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + _sample(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or route
            yield pytest.param("/" + route, name, entry.callback, id=name)


URLS = list(_walk(get_resolver().url_patterns))


def test_the_walk_finds_the_portal_and_the_public_views():
    names = {param.values[1] for param in URLS}
    assert names >= PUBLIC
    assert {"dashboard", "structure:order_detail", "planning:plan_detail", "admin:index"} <= names
    assert len(URLS) > 100


@pytest.mark.parametrize(("url", "name", "callback"), URLS)
def test_anonymous_visitor_is_sent_to_log_in(url, name, callback):
    assert resolve(url).func == callback, f"{url} resolves to another view than {name}'s"
    if name in PUBLIC:  # what they answer: test_public_views_answer_anonymous_visitors
        assert not getattr(callback, "login_required", True), f"{name} is public but not @login_not_required"
        return
    # The admin's own pages may send to the admin's login form (Django's AdminSite sets the view's login_url).
    logins = ["/accounts/login/", "/admin/login/"] if url.startswith("/admin/") else ["/accounts/login/"]
    client = Client()
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code == 302, f"{method.upper()} {url} ({name}) answers {response.status_code}"
        assert response["Location"] in [f"{login}?next={quote(url)}" for login in logins], (
            f"{method.upper()} {url} ({name}) is sent to {response['Location']}"
        )


@pytest.mark.django_db
def test_public_views_answer_anonymous_visitors():
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 200
    logout = client.post("/accounts/logout/")
    assert logout.status_code == 302 and logout["Location"] == "/accounts/login/"
    assert client.get("/planning/calendar/ical/no-such-token.ics").status_code == 404
    assert client.get("/accounts/logout/").status_code == 405  # logging out is a POST, for everyone


def test_an_unknown_address_is_not_found_rather_than_a_login_redirect():
    assert Client().get("/no/such/page/").status_code == 404
