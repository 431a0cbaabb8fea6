"""Academic years and the single methodological theme through the views: create, edit, make current, refusals."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse, reverse_lazy

from planning.models import AcademicYear, MethodologicalTheme, ThemeStage, WorkDirection
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]
# Lazy: reversing at import (collection) time would load the URLconf with the development settings.
YEARS = reverse_lazy("planning:year_list")


def next_year_data(world, **changes) -> dict:
    start = world.year.end + datetime.timedelta(days=1)
    data = {"title": f"{start.year}/{start.year + 1}", "start": start.isoformat(), "end": f"{start.year + 1}-08-31"}
    return {**data, **changes}


def form_errors(response) -> list[str]:
    assert response.status_code == 200
    form = response.context["form"]
    return [str(e) for errors in form.errors.values() for e in errors]


# ---------------------------------------------------------------- the years page


def test_years_page_lists_years_theme_and_the_ten_directions(world):
    html = client_for(world, "teacher").get(YEARS).content.decode()
    assert world.year.title in html and world.past_year.title in html
    assert world.theme.title in html
    assert "Практический этап" in html and "Обобщить опыт" in html
    for direction in WorkDirection.objects.all():
        assert direction.name in html
    assert "badge bg-success" in html  # the current year
    assert reverse("planning:year_create") not in html  # a teacher only reads
    assert reverse("planning:year_make_current", args=[world.past_year.pk]) not in html


def test_drafter_sees_the_actions(world):
    html = client_for(world, "methodist").get(YEARS).content.decode()
    assert reverse("planning:year_create") in html
    assert reverse("planning:theme_edit", args=[world.theme.pk]) in html
    make_current = reverse("planning:year_make_current", args=[world.past_year.pk])
    assert make_current in html and "data-confirm" in html
    assert reverse("planning:year_make_current", args=[world.year.pk]) not in html  # already current


# ---------------------------------------------------------------- years


def test_deputy_creates_the_next_year(world):
    response = client_for(world, "deputy").post(reverse("planning:year_create"), next_year_data(world))
    assert response.status_code == 302 and response.url == str(YEARS)
    created = AcademicYear.objects.get(title=next_year_data(world)["title"])
    assert created.start == world.year.end + datetime.timedelta(days=1)
    assert not created.is_current
    assert AcademicYear.objects.get(is_current=True) == world.year


def test_creating_a_current_year_moves_the_mark(world):
    client_for(world, "deputy").post(reverse("planning:year_create"), next_year_data(world, is_current="on"))
    assert AcademicYear.objects.get(is_current=True).title == next_year_data(world)["title"]


def test_overlapping_dates_are_refused(world):
    data = next_year_data(world, start=(world.year.end - datetime.timedelta(days=10)).isoformat(), is_current="on")
    response = client_for(world, "deputy").post(reverse("planning:year_create"), data)
    errors = form_errors(response)
    assert any(world.year.title in error for error in errors)
    assert AcademicYear.objects.count() == 2
    assert AcademicYear.objects.get(is_current=True) == world.year  # nothing half-saved


def test_end_before_start_is_refused_on_the_field(world):
    data = next_year_data(world)
    data["end"] = (datetime.date.fromisoformat(data["start"]) - datetime.timedelta(days=1)).isoformat()
    response = client_for(world, "deputy").post(reverse("planning:year_create"), data)
    assert response.context["form"].errors["end"]
    assert AcademicYear.objects.count() == 2


def test_duplicate_title_and_garbage_dates_are_refused(world):
    client = client_for(world, "deputy")
    response = client.post(reverse("planning:year_create"), next_year_data(world, title=world.year.title))
    assert response.context["form"].errors["title"]
    response = client.post(reverse("planning:year_create"), next_year_data(world, start="31.02.2026", end="x"))
    assert set(response.context["form"].errors) == {"start", "end"}
    assert AcademicYear.objects.count() == 2


def test_editing_a_year(world):
    client = client_for(world, "methodist")
    url = reverse("planning:year_edit", args=[world.past_year.pk])
    form = client.get(url).context["form"]
    assert "is_current" in form.fields
    end = world.past_year.end - datetime.timedelta(days=1)
    response = client.post(
        url, {"title": world.past_year.title, "start": world.past_year.start.isoformat(), "end": end.isoformat()}
    )
    assert response.status_code == 302
    world.past_year.refresh_from_db()
    assert world.past_year.end == end
    # The current year's form has no «make current» box: another year is made current instead.
    assert "is_current" not in client.get(reverse("planning:year_edit", args=[world.year.pk])).context["form"].fields


def test_refused_edit_keeps_the_year_and_its_heading(world):
    url = reverse("planning:year_edit", args=[world.past_year.pk])
    data = {"title": "Новое имя", "start": world.year.start.isoformat(), "end": world.year.end.isoformat()}
    response = client_for(world, "methodist").post(url, data)
    assert form_errors(response)
    assert response.context["heading"] == world.past_year.title
    world.past_year.refresh_from_db()
    assert world.past_year.title != "Новое имя"


def test_make_current_is_a_post(world):
    client = client_for(world, "deputy")
    url = reverse("planning:year_make_current", args=[world.past_year.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == str(YEARS)
    assert AcademicYear.objects.get(is_current=True) == world.past_year
    assert any(world.past_year.title in str(m) for m in response.context["messages"])


def test_teacher_cannot_change_years(world):
    client = client_for(world, "teacher")
    assert client.post(reverse("planning:year_create"), next_year_data(world)).status_code == 403
    assert client.post(reverse("planning:year_make_current", args=[world.past_year.pk])).status_code == 403
    assert AcademicYear.objects.count() == 2
    assert AcademicYear.objects.get(is_current=True) == world.year


# ---------------------------------------------------------------- the single theme


def theme_data(first, last, **changes) -> dict:
    data = {
        "title": "Формирование функциональной грамотности обучающихся",
        "goal": "Создание условий",
        "tasks": "Изучить\nВнедрить\n\nОбобщить",
        "start_year": first.pk,
        "end_year": last.pk,
    }
    return {**data, **changes}


@pytest.fixture
def next_year(world):
    start = world.year.end + datetime.timedelta(days=1)
    return AcademicYear.objects.create(
        title=f"{start.year}/{start.year + 1}", start=start, end=datetime.date(start.year + 1, 8, 31)
    )


def test_methodist_adds_a_theme_with_stages(world, next_year):
    data = theme_data(next_year, next_year, **{f"stage_{next_year.pk}": "Диагностический этап"})
    response = client_for(world, "methodist").post(reverse("planning:theme_create"), data)
    assert response.status_code == 302
    theme = MethodologicalTheme.objects.get(title__startswith="Формирование")
    assert theme.task_list == ["Изучить", "Внедрить", "Обобщить"]
    assert [(s.year, s.stage) for s in theme.stages.all()] == [(next_year, "Диагностический этап")]
    assert theme.title in client_for(world, "teacher").get(YEARS).content.decode()


def test_overlapping_theme_is_refused(world, next_year):
    response = client_for(world, "methodist").post(reverse("planning:theme_create"), theme_data(world.year, next_year))
    assert any(world.theme.title in error for error in form_errors(response))
    assert MethodologicalTheme.objects.count() == 1


def test_last_year_before_the_first_is_refused(world, next_year):
    response = client_for(world, "methodist").post(reverse("planning:theme_create"), theme_data(next_year, world.year))
    assert response.context["form"].errors["end_year"]
    assert MethodologicalTheme.objects.count() == 1


def test_stage_outside_the_period_is_refused(world, next_year):
    data = theme_data(next_year, next_year, **{f"stage_{world.year.pk}": "Лишний этап"})
    response = client_for(world, "methodist").post(reverse("planning:theme_create"), data)
    assert response.context["form"].errors[f"stage_{world.year.pk}"]
    assert MethodologicalTheme.objects.count() == 1


def test_editing_the_theme_changes_stages(world):
    client = client_for(world, "deputy")
    url = reverse("planning:theme_edit", args=[world.theme.pk])
    form = client.get(url).context["form"]
    assert form.initial[f"stage_{world.year.pk}"] == "Практический этап"
    data = theme_data(
        world.past_year,
        world.year,
        title=world.theme.title,
        **{f"stage_{world.past_year.pk}": "", f"stage_{world.year.pk}": "Обобщающий этап"},
    )
    assert client.post(url, data).status_code == 302
    assert list(ThemeStage.objects.filter(theme=world.theme).values_list("stage", flat=True)) == ["Обобщающий этап"]
    world.theme.refresh_from_db()
    assert world.theme.task_list == ["Изучить", "Внедрить", "Обобщить"]


def test_empty_theme_form_shows_errors(world):
    response = client_for(world, "deputy").post(reverse("planning:theme_create"), {"title": "", "start_year": "abc"})
    assert {"title", "goal", "tasks", "start_year", "end_year"} <= set(response.context["form"].errors)


def test_theme_edit_of_a_missing_theme_is_404(world):
    assert client_for(world, "deputy").get(reverse("planning:theme_edit", args=[999999])).status_code == 404
    assert client_for(world, "deputy").get(reverse("planning:year_edit", args=[999999])).status_code == 404
