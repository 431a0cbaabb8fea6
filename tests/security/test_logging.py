"""A refusal (403, 404) is an ordinary event, logged at INFO without a traceback; a fault (500) stays an ERROR with
its traceback.

Written against the probe's finding: every PermissionDenied was logged by django.request with a full traceback, so
the log of a day of ordinary use read like a list of faults and hid the real ones.
"""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import include, path, reverse

from tests.security.hardening import client_for, travel
from tests.world import build_world

pytestmark = pytest.mark.django_db


@login_not_required  # the probes answer anonymous requests (LoginRequiredMiddleware would redirect them)
def refuse(request):
    raise PermissionDenied


@login_not_required
def missing(request):
    raise Http404("no such meeting")


@login_not_required
def boom(request):
    raise RuntimeError("a real fault")


#: This module is also the URLconf of the tests marked `urls` below: views that refuse, miss and fail, then the
#: project's own URLs (the error pages link to the start page).
urlpatterns = [
    path("refuse/", refuse),
    path("missing/", missing),
    path("boom/", boom),
    path("", include("metodservice.urls")),
]
handler403 = "metodservice.views.permission_denied"
handler404 = "metodservice.views.page_not_found"
handler500 = "metodservice.views.server_error"


@pytest.fixture
def world():
    with travel():
        yield build_world()


def request_log(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "django.request"]


def assert_logged_as_refusal(caplog, status: int) -> None:
    [record] = request_log(caplog)
    assert record.status_code == status
    assert record.levelno == logging.INFO, record.levelname
    assert record.exc_info is None and record.exc_text is None, "no traceback for a refusal"
    assert "Traceback" not in caplog.text


@pytest.mark.urls("tests.security.test_logging")
@pytest.mark.parametrize(("url", "status"), [("/refuse/", 403), ("/missing/", 404), ("/no-such-page/", 404)])
def test_a_refusal_is_info_without_a_traceback(caplog, url, status):
    caplog.set_level(logging.INFO)
    assert Client().get(url).status_code == status
    assert_logged_as_refusal(caplog, status)


@pytest.mark.urls("tests.security.test_logging")
def test_a_fault_is_an_error_with_its_traceback(caplog):
    caplog.set_level(logging.INFO)
    client = Client(raise_request_exception=False)
    assert client.get("/boom/").status_code == 500
    [record] = request_log(caplog)
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError
    assert "Traceback" in caplog.text and "a real fault" in caplog.text


def test_a_role_refused_by_a_real_page_is_info(world, caplog):
    caplog.set_level(logging.INFO)
    response = client_for(world, "teacher").get(reverse("structure:order_create"))
    assert response.status_code == 403
    assert_logged_as_refusal(caplog, 403)


def test_a_page_out_of_reach_is_info(world, caplog):
    caplog.set_level(logging.INFO)
    response = client_for(world, "researcher").get(reverse("structure:unit_detail", args=[world.council.pk]))
    assert response.status_code == 404
    assert_logged_as_refusal(caplog, 404)
