"""Two habits of every page: a one-day period shows as one date (the `period` filter and
metodservice.common.periods, used by the pages and the documents), and the required fields of a form are marked,
with the legend «* — обязательное поле» once per form (templates/bootstrap5/uni_form.html)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from metodservice.common.periods import format_period
from planning import reports as planning_reports
from planning import services as planning_services
from planning.models import WorkForm
from tests.world import client_for

DAY = datetime.date(2026, 10, 12)
LATER = datetime.date(2026, 10, 15)


# ---------------------------------------------------------------- a period


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        (DAY, DAY, "12.10.2026"),
        (DAY, LATER, "12.10.2026 – 15.10.2026"),
        (datetime.datetime(2026, 10, 12, 9, 0), datetime.datetime(2026, 10, 12, 18, 0), "12.10.2026"),
        (DAY, None, "с 12.10.2026"),
        (None, LATER, "по 15.10.2026"),
        (None, None, ""),
        ("2026/2027", "2026/2027", "2026/2027"),
        ("2025/2026", "2026/2027", "2025/2026 – 2026/2027"),
    ],
)
def test_a_period_is_printed_once_when_its_ends_are_one_day(start, end, shown):
    assert format_period(start, end) == shown
    rendered = Template("{% load portal %}{{ start|period:end }}").render(Context({"start": start, "end": end}))
    assert rendered == shown


@pytest.mark.django_db
@pytest.mark.world(planning=True)
def test_a_one_day_item_shows_one_date_on_the_page_and_in_the_plan(world):
    chair = world.people["chair"]
    one_day = planning_services.item_add(
        plan=world.council_plan,
        content="Педагогический совет",
        direction=world.directions[1],
        form=WorkForm.MEETING,
        start_date=world.year.start,
        due_date=world.year.start,
        responsible=[chair],
    )
    both = f"{world.year.start:%d.%m.%Y} – {world.year.start:%d.%m.%Y}"
    html = client_for(world, "chair").get(reverse("planning:plan_detail", args=[world.council_plan.pk]))
    html = html.content.decode()
    assert f"{world.year.start:%d.%m.%Y}" in html and both not in html
    assert planning_reports.item_dates(one_day) == f"{world.year.start:%d.%m.%Y}"


@pytest.mark.django_db
@pytest.mark.world(planning=True)
def test_a_theme_of_one_year_shows_one_year(world):
    theme = world.theme
    planning_services.theme_save(
        title=theme.title, goal=theme.goal, tasks=theme.tasks, start_year=world.year, end_year=world.year, theme=theme
    )
    html = client_for(world, "methodist").get(reverse("planning:year_list")).content.decode()
    assert f"Период: {world.year.title}<" in html
    assert f"{world.year.title} – {world.year.title}" not in html


# ---------------------------------------------------------------- required fields


def labels(html: str) -> dict[str, str]:
    """The label of each field on the page, by the field's id."""
    return {
        found.group(1): found.group(2)
        for found in re.finditer(r'<label[^>]*\bfor="id_(\w+)"[^>]*>(.*?)</label>', html, re.DOTALL)
    }


@pytest.mark.django_db
@pytest.mark.world
@pytest.mark.parametrize(
    ("role", "url", "required", "optional"),
    [
        ("deputy", lambda w: reverse("structure:person_create"), ["last_name", "first_name"], ["patronymic", "email"]),
        ("deputy", lambda w: reverse("structure:order_create"), ["title", "preamble"], []),
        ("group_lead", lambda w: reverse("structure:group_propose"), ["name", "purpose"], ["goal"]),
    ],
)
def test_required_fields_are_marked_and_the_mark_explained_once(world, role, url, required, optional):
    html = client_for(world, role).get(url(world)).content.decode()
    found = labels(html)
    for name in required:
        assert 'class="asteriskField">*</span>' in found[name], name
    for name in optional:
        assert "asteriskField" not in found[name], name
    assert html.count("required-legend") == 1
    assert "* — обязательное поле" in re.sub(r"<[^>]+>", "", html)


@pytest.mark.django_db
@pytest.mark.world
def test_a_form_without_required_fields_has_no_legend(world):
    """The join request form has one optional field: no asterisk, no legend."""
    html = client_for(world, "methodist").get(reverse("structure:unit_detail", args=[world.proposed_group.pk]))
    html = html.content.decode()
    assert 'name="message"' in html
    assert "asteriskField" not in html and "required-legend" not in html
