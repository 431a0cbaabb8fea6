"""Assignments to the service in a real Chromium (issue 14, regulation 4.2): the director passes a decision of the
pedagogical council's signed protocol to the service; the deputy finds it on the dashboard and answers it with an
item of the service's plan; the list says it is in progress; the annual report counts it. Every page axe-clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from planning.models import Assignment
from tests.browser.conftest import axe_violations, login, open_menu_page
from tests.planning.world import build_planning, pedagogical_meeting, service_unit
from tests.world import build_world


@pytest.fixture
def world():
    return build_planning(build_world())


def test_a_decision_passed_to_the_service_is_answered_from_the_dashboard(page, live_server, world):
    meeting = pedagogical_meeting(world)
    service_unit(world)
    item = world.service_plan.items.get(content="Диагностика профессиональных дефицитов")

    login(page, live_server, "director")
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    page.get_by_role("link", name="Передать методической службе").click()
    assert axe_violations(page) == ""
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Передано методической службе как поручение")
    assignment = Assignment.objects.get()

    page.context.clear_cookies()
    login(page, live_server, "deputy")
    card = page.locator(".card", has_text="Поручения службе без ответа или просроченные")
    expect(card).to_contain_text(assignment.text[:40])
    assert axe_violations(page) == ""
    card.get_by_role("link", name=re.compile("Методической службе провести")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ответа пока нет")
    assert axe_violations(page) == ""
    page.get_by_role("link", name="Ответить").click()
    page.locator("select[name=plan_item]").select_option(str(item.pk))
    assert axe_violations(page) == ""
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("Ответ на поручение сохранён")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ответ назван, выполняется")

    open_menu_page(page, "/planning/assignments/")
    expect(page.locator("main table")).to_contain_text("Диагностика профессиональных дефицитов")
    assert axe_violations(page) == ""
    page.goto(f"{live_server.url}/reports/annual/{world.year.pk}/")
    expect(page.locator("#section-assignments")).to_contain_text("Решения педагогического совета и поручения директора")
    assert axe_violations(page) == ""
