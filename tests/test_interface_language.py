"""What a Russian user sees where Django or a library would speak English: error pages, empty choices, the admin.

The error pages are checked with DEBUG off, as in production, and the 404 also with DEBUG on (make run), where
Django would show its English technical page.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse

from metodservice import views
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]


def _text(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_a_missing_page_is_the_portals_russian_404(world, settings, debug):
    settings.DEBUG = debug
    client = client_for(world, "teacher")
    for url in ("/no-such-page/", reverse("structure:order_detail", kwargs={"pk": 10**9})):
        response = client.get(url)
        assert response.status_code == 404
        html = _text(response)
        assert "Страница не найдена" in html
        assert 'id="main-menu"' in html  # in the portal's layout, with the menu
        assert "Page not found" not in html and "Using the URLconf" not in html


def test_an_over_large_post_gets_a_russian_400(world, settings):
    settings.DEBUG = False
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client = client_for(world, "teacher")
    response = client.post(reverse("planning:plan_create"), {f"f{i}": "x" for i in range(50)})
    assert response.status_code == 400
    html = _text(response)
    assert "Запрос не может быть обработан" in html and "Ничего не сохранено" in html
    assert "Bad Request" not in html


def test_a_failed_csrf_check_is_explained_in_russian(world, settings):
    settings.DEBUG = False
    user = world.people["teacher"].user
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("planning:plan_create"), {})
    assert response.status_code == 403
    html = _text(response)
    assert "Форма устарела" in html and 'id="main-menu"' in html
    assert "CSRF verification failed" not in html


def test_denied_and_server_error_pages_are_russian(world, settings):
    settings.DEBUG = False
    response = client_for(world, "teacher").get(reverse("structure:person_create"))
    assert response.status_code == 403
    assert "Доступ запрещён" in _text(response)
    request = RequestFactory().get("/")
    html = views.server_error(request).content.decode()
    assert "Ошибка сервера" in html and "Server error" not in html


def test_an_empty_choice_says_choose_in_russian(world):
    """Django 6.1's "- Select an option -" (the person form's education, a blank choice of a model field)."""
    html = client_for(world, "deputy").get(reverse("structure:person_create")).content.decode()
    assert "Select an option" not in html
    assert '<option value="" selected>— выберите —</option>' in html


def test_filters_offer_all_not_dashes(world):
    for url in (reverse("planning:plan_list"), reverse("planning:decision_list"), reverse("structure:order_list")):
        html = client_for(world, "deputy").get(url).content.decode()
        assert "---------" not in html, url


def test_the_admin_speaks_russian(world):
    admin = get_user_model().objects.get(pk=world.admin.pk)
    client = Client()
    client.force_login(admin)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Методическая служба: администрирование" in html
    assert "Попытки входа" in html
    assert "Администрирование Django" not in html
    assert "Axes" not in html and "AXES" not in html
