"""The diagnostics profile in the browser: the teacher opens their results and sees the radar (self-assessment
against the experts' median) drawn as inline SVG under the portal's CSP (a CSP violation fails the test), the table
with the numbers, the dynamics over two campaigns; the page is checked with axe-core.

The data is tests/attestation/matrix_results.py's: two campaigns, two experts and a draft that does not count.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.attestation.matrix_results import results_data
from tests.browser.conftest import axe_check, login
from tests.world import World, build_world

MINE = "/attestation/results/"


@pytest.fixture
def world(today) -> World:
    world = build_world()
    results_data(world)
    return world


def test_the_teacher_sees_the_radar_on_the_profile(page: Page, live_server, world):
    login(page, live_server, "teacher")
    page.goto(MINE)
    radar = page.locator("main #radar svg[role=img]")
    expect(radar).to_be_visible()
    box = radar.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200
    # the two series are drawn with their colours (pygal's style sheet applied as attributes, not blocked by the CSP)
    assert radar.locator("[fill='#0072B2'], [stroke='#0072B2']").count() > 0
    assert radar.locator("[fill='#D55E00'], [stroke='#D55E00']").count() > 0
    expect(page.locator("main #profile-table tbody tr")).to_have_count(16)
    expect(page.locator("main #profile-table tbody tr.table-danger").first).to_be_visible()
    expect(page.locator("main #dynamics svg")).to_be_visible()
    axe_check(page)
