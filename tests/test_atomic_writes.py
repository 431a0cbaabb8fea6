"""A view that may write runs in one transaction, undone when it raises; a read runs in none
(metodservice.common.middleware.AtomicWritesMiddleware, instead of ATOMIC_REQUESTS). An anonymous visitor's form
is sent to log in without a transaction (tests/test_login_required.py: no database at all)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.module_loading import import_string

from metodservice.common.middleware import AtomicWritesMiddleware
from tests.world import client_for

pytestmark = pytest.mark.django_db


def _view(*, fails: bool):
    def view(request):
        Group.objects.create(name=f"written by {request.method}")
        if fails:
            raise RuntimeError("the service failed halfway")
        return HttpResponse()

    return view


def _through_the_middleware(request, view):
    middleware = AtomicWritesMiddleware(lambda request: HttpResponse())
    return middleware.process_view(request, view, (), {})


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_whose_view_raises_is_undone(method):
    request = getattr(RequestFactory(), method)("/")
    with pytest.raises(RuntimeError):
        _through_the_middleware(request, _view(fails=True))
    assert not Group.objects.filter(name__startswith="written by").exists()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_that_succeeds_is_kept(method):
    request = getattr(RequestFactory(), method)("/")
    assert _through_the_middleware(request, _view(fails=False)).status_code == 200
    assert Group.objects.filter(name=f"written by {method.upper()}").exists()


@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_a_read_is_left_to_django_without_a_transaction(method):
    request = getattr(RequestFactory(), method)("/")
    assert _through_the_middleware(request, _view(fails=False)) is None  # Django calls the view itself


def test_no_middleware_has_a_process_exception_the_view_would_skip(settings):
    """The view is called from the middleware's process_view: a `process_exception` of any middleware would not see
    its exceptions. None has one; a middleware added with one must change this middleware first."""
    assert settings.MIDDLEWARE[-1] == "metodservice.common.middleware.AtomicWritesMiddleware"
    assert [path for path in settings.MIDDLEWARE if hasattr(import_string(path), "process_exception")] == []


def test_a_view_that_raises_on_a_form_sent_leaves_nothing_behind(client, django_user_model, settings):
    """Through the whole stack: the view's exception undoes the transaction, then Django answers 500 — as with
    ATOMIC_REQUESTS."""
    from django.urls import path

    def broken(request):
        Group.objects.create(name="half written")
        raise RuntimeError("the service failed halfway")

    urlconf = type("urls", (), {"urlpatterns": [path("broken/", broken)]})
    settings.ROOT_URLCONF = urlconf
    client.raise_request_exception = False
    client.force_login(django_user_model.objects.create_user("writer", password="x"))
    response = client.post("/broken/")
    assert response.status_code == 500
    assert not Group.objects.filter(name="half written").exists()


def test_a_page_is_read_without_a_transaction(world):
    client = client_for(world, "teacher")
    client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("dashboard")).status_code == 200
    statements = [query["sql"].lstrip("(").split()[0].upper() for query in captured.captured_queries]
    assert "SAVEPOINT" not in statements and "BEGIN" not in statements
    assert all(statement == "SELECT" or statement == "UPDATE" for statement in statements), statements
