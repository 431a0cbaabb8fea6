"""The person's record in a browser: the methodist opens a teacher's page from the staff list, records a category and
an absence period through their forms and sees them in the page's «Аттестация» and absence blocks; the teacher sees
their own record but no buttons; axe-core (WCAG 2.0/2.1 A and AA) finds nothing on these pages.

Checked on a day of the autumn term whatever the date of the run.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_check, login, open_menu_page
from tests.world import World, build_world

pytestmark = pytest.mark.parametrize("today", [datetime.date(2026, 10, 14)], indirect=True, ids=str)


@pytest.fixture
def world(today) -> World:
    return build_world()


def test_the_methodist_records_a_category_and_an_absence(page: Page, live_server, world):
    teacher = world.people["teacher"]
    login(page, live_server, "methodist")
    open_menu_page(page, "/structure/people/")
    page.locator("main a", has_text=teacher.last_name).first.click()
    expect(page.locator("#attestation")).to_be_visible()
    axe_check(page)

    page.locator("main a[href$='/categories/new/']").click()
    axe_check(page)
    page.locator("#id_kind").select_option("first")
    page.locator("#id_set_on").fill("2021-12-14")
    page.locator("#id_order_number").fill("981")
    page.locator("#id_order_date").fill("2021-12-20")
    page.locator("main form button[type=submit]").click()
    block = page.locator("section[aria-labelledby=attestation]")
    expect(block).to_contain_text("14.12.2021")
    expect(block).to_contain_text("13.12.2026")  # five years: it ends within 3 months of 14.10.2026
    expect(block.locator(".badge.text-bg-warning")).to_be_visible()

    page.locator("main a[href$='/absences/new/']").click()
    axe_check(page)
    page.locator("#id_kind").select_option("sick_leave")
    page.locator("#id_start").fill("2026-01-01")
    page.locator("#id_end").fill("2026-03-01")  # two months: not a long sick leave
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main form")).to_contain_text("01.05.2026")
    page.locator("#id_end").fill("2026-06-01")
    page.locator("main form button[type=submit]").click()
    absences = page.locator("section[aria-labelledby=absences]")
    expect(absences).to_contain_text("01.01.2026 – 01.06.2026")
    axe_check(page)


def test_the_teacher_sees_their_record_without_buttons(page: Page, live_server, world):
    from attestation.services.records import category_save
    from structure.services import absence_save

    teacher = world.people["teacher"]
    category_save(person=teacher, kind="highest", set_on=datetime.date(2024, 5, 20))
    absence_save(person=teacher, kind="parental", start=datetime.date(2023, 1, 10), end=datetime.date(2024, 12, 31))
    login(page, live_server, "teacher")
    page.goto(f"{live_server.url}/structure/people/{teacher.pk}/")
    expect(page.locator("section[aria-labelledby=attestation]")).to_contain_text("20.05.2024")
    expect(page.locator("section[aria-labelledby=absences]")).to_contain_text("10.01.2023 – 31.12.2024")
    expect(page.locator("main a[href$='/categories/new/'], main a[href$='/absences/new/']")).to_have_count(0)
    axe_check(page)
