"""The attestation schedule in a browser: the methodist opens it from the menu, filters it (the unit through the
searchable select, the status through a plain one) and sees the rows; a teacher sees their own row and their due
dates on the dashboard; axe-core (WCAG 2.0/2.1 A and AA) finds nothing on any of these pages.

Checked on a day of the autumn term whatever the date of the run: the records are dated from it.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from tests.attestation.schedule_world import give_statuses
from tests.browser.conftest import axe_check, login, open_menu_page
from tests.world import World, build_world

pytestmark = pytest.mark.parametrize("today", [datetime.date(2026, 10, 14)], indirect=True, ids=str)


@pytest.fixture
def world(today) -> World:
    world = build_world(extra_staff=8)
    world.statuses = give_statuses(world, today)  # type: ignore[attr-defined]
    return world


def test_the_methodist_opens_filters_and_reads_the_schedule(page: Page, live_server, world, today):
    login(page, live_server, "methodist")
    open_menu_page(page, "/attestation/schedule/")
    expect(page.locator("main h1")).to_contain_text("14.10.2026")
    table = page.locator("main table")
    expect(table.locator("tbody tr")).to_have_count(world.people.__len__() - 3 + 8)  # no director, deputy, researcher
    expect(table).to_contain_text(world.statuses["apply_now"].full_name)
    axe_check(page)

    # The unit through its searchable select (Tom Select), then the filter.
    page.locator("#id_unit-ts-control").fill("ПЦК")
    page.locator(".ts-dropdown .option", has_text="ПЦК общепрофессиональных дисциплин").click()
    page.locator("main form button[type=submit]").click()
    expect(table).to_contain_text(world.people["teacher"].full_name)
    expect(table).not_to_contain_text(world.people["chair"].full_name)
    axe_check(page)

    # The status: only the category ending soon is left, marked «apply now».
    page.goto(f"{live_server.url}/attestation/schedule/?status=apply_now")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr .badge.text-bg-warning").first).to_be_visible()
    axe_check(page)


def test_a_teacher_sees_their_own_row_and_due_dates(page: Page, live_server, world):
    login(page, live_server, "teacher")
    expect(page.locator("#my-attestation")).to_be_visible()
    axe_check(page)
    open_menu_page(page, "/attestation/schedule/")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(world.people["teacher"].full_name)
    expect(page.locator("#id_unit")).to_have_count(0)  # no filters for one row
    axe_check(page)


def test_the_methodists_dashboard_links_to_the_overdue(page: Page, live_server, world):
    login(page, live_server, "methodist")
    card = page.locator("section[aria-labelledby=staff-attestation]")
    expect(card).to_be_visible()
    axe_check(page)
    card.locator("a[href='/attestation/schedule/?status=overdue']").click()
    expect(page.locator("main table")).to_contain_text(world.people["teacher"].full_name)
    expect(page.locator("main table")).not_to_contain_text(world.statuses["exempt"].full_name)
