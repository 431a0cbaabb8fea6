"""The conformity attestation in the browser: the teacher opens their case, reads the employer's представление,
ticks the confirmation, adds information and signs; the case page shows it acknowledged. axe-core checks the
acknowledgement page and the case page with the conformity panel.

Assertions on the page use selectors and data rather than exact Russian wording; the database is checked too.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from attestation.models import CaseStatus
from tests.attestation import matrix_conformity as steps
from tests.browser.conftest import axe_check, login
from tests.planning.world import build_planning
from tests.world import World, build_world


@pytest.fixture
def world(today) -> World:
    world = build_planning(build_world())
    steps.commission(world)
    return world


def test_the_teacher_acknowledges_the_representation(page: Page, live_server, world, today):
    case = steps.drafted(world)  # the methodist wrote it 40 days ago
    login(page, live_server, "teacher")
    page.goto(live_server.url + case.get_absolute_url())
    expect(page.locator("#conformity-heading")).to_be_visible()
    axe_check(page)

    page.locator(f"main a[href$='/attestation/conformity/{case.pk}/acknowledge/']").click()
    expect(page.locator("main")).to_contain_text(steps.PRESENTATION[:40])
    axe_check(page)
    page.locator("#id_acknowledged").check()
    page.locator("#id_addition").fill("Подготовила призёра регионального чемпионата «Профессионалы».")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(re.escape(case.get_absolute_url()) + "$"))
    expect(page.locator(f"main a[href$='/attestation/conformity/{case.pk}/addition/']")).to_be_visible()
    axe_check(page)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.acknowledged_on == today
    assert case.teacher_addition.startswith("Подготовила призёра")
