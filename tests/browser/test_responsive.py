"""Every main page fits a phone, the menu fits one row, for every role.

For each role of the test college (tests.world): the dashboard and every page of the role's menu (metodservice.navigation, so a page added
to the menu later is checked too) and the detail pages the role can open, at 375×800: nothing wider than the
screen (`scrollWidth ≤ 375`), the collapsed menu at most 64 px tall; at 1280×900 the menu is one row. axe-core
(WCAG 2.1 A/AA) runs once per page on the phone, and a screenshot of each page at both widths is left in
test-artifacts/screens/ for a person to look at (CI keeps the folder; nothing compares them).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from metodservice.navigation import menu_for
from tests.browser.conftest import ARTIFACTS, axe_violations, login
from tests.planning.world import build_planning
from tests.world import World, build_world

pytestmark = pytest.mark.parametrize("today", [datetime.date(2026, 10, 14)], indirect=True, ids=str)

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
#: A collapsed menu is the brand and the button (≈ 56 px); one row of an expanded menu is the same height.
MENU_MAX_HEIGHT = 64
SCREENS = ARTIFACTS / "screens"
#: The elements that stick out of a 375 px page and are not inside a box that scrolls (for the failure message).
WIDE_ELEMENTS = """() => {
  const scrolls = e => { const s = getComputedStyle(e).overflowX; return s === 'auto' || s === 'scroll' || s === 'hidden'; };
  const clipped = e => { for (let a = e.parentElement; a; a = a.parentElement) if (scrolls(a)) return true; return false; };
  return [...document.body.querySelectorAll('*')]
    .filter(e => e.getBoundingClientRect().right > 376 && !clipped(e))
    .slice(-3).map(e => e.tagName + (e.className ? '.' + String(e.className).replace(/ /g, '.') : '')).join(', ');
}"""


@pytest.fixture
def world(today) -> World:
    return build_planning(build_world())


def _detail_pages(world: World) -> list[str]:
    """The detail pages with the most on them; each role gets those it may open (a refusal is skipped)."""
    return [
        world.signed.get_absolute_url(),
        world.on_signing.get_absolute_url(),
        reverse("structure:unit_detail", kwargs={"pk": world.association.pk}),
        reverse("structure:unit_detail", kwargs={"pk": world.lab.pk}),
        reverse("structure:person_detail", kwargs={"pk": world.people["teacher"].pk}),
        world.service_plan.get_absolute_url(),
        world.teacher_plan.get_absolute_url(),
        world.meeting.get_absolute_url(),
    ]


def _menu_height(page: Page) -> float:
    return page.evaluate("document.querySelector('header nav').getBoundingClientRect().height")


def _screenshot(page: Page, role: str, path: str, width: int) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w]+", "_", path).strip("_") or "dashboard"
    page.screenshot(path=SCREENS / f"{width}-{role}-{name}.png", full_page=True)


#: The roles in two halves, two tests that pytest-xdist can run side by side.
PARTS = 2


@pytest.mark.parametrize("part", range(PARTS), ids=lambda part: f"half-{part + 1}")
def test_every_main_page_fits_a_phone_and_the_menu_one_row(page: Page, live_server, world, part: int):
    problems: list[str] = []
    checked: set[str] = set()
    visits = 0
    roles = [*world.people, "admin"][part::PARTS]  # every role of the test college, half of them
    for role in roles:
        user = world.admin if role == "admin" else world.people[role].user
        page.context.clear_cookies()
        page.set_viewport_size(DESKTOP)
        login(page, live_server, user.username)
        page.wait_for_load_state("load")  # the styles, before measuring
        height = _menu_height(page)
        if height > MENU_MAX_HEIGHT:
            problems.append(f"{role}: the menu at 1280 px is {height:.0f} px tall (more than one row)")
        _screenshot(page, role, "/", DESKTOP["width"])
        menu = [item["url"] for area in menu_for(user, "") for item in area.items]
        page.set_viewport_size(PHONE)
        for path in ["/", *menu, *_detail_pages(world)]:
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None
            if path not in menu and response.status in (403, 404):
                continue  # a detail page this role may not open
            visits += 1
            if response.status != 200:
                problems.append(f"{role} {path}: status {response.status}")
                continue
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide = page.evaluate(WIDE_ELEMENTS)
                problems.append(f"{role} {path}: {width} px wide at 375 px ({wide})")
            height = _menu_height(page)
            if height > MENU_MAX_HEIGHT:
                problems.append(f"{role} {path}: the collapsed menu is {height:.0f} px tall")
            key = re.sub(r"\d+", "N", path)
            if key not in checked:
                checked.add(key)
                report = axe_violations(page)
                if report:
                    problems.append(f"{role} {path}:\n{report}")
                _screenshot(page, role, path, PHONE["width"])
                page.set_viewport_size(DESKTOP)
                _screenshot(page, role, path, DESKTOP["width"])
                page.set_viewport_size(PHONE)
    print(f"responsive: {visits} page visits for {len(roles)} roles, {len(checked)} distinct pages with axe")
    assert not problems, "\n".join(problems)


def test_the_phone_menu_opens_behind_its_button_and_leads_to_a_page(page: Page, live_server, world):
    page.set_viewport_size(PHONE)
    login(page, live_server, "teacher")
    page.wait_for_load_state("load")
    # What waits for the teacher is counted beside the menu's button, without opening the menu.
    assert page.locator("header .attention-link .attention-badge").is_visible()
    planning = page.locator("#main-menu .dropdown-toggle", has_text="Планирование")
    assert not planning.is_visible()  # collapsed
    page.locator("header .navbar-toggler").click()
    planning.click()
    page.locator("#main-menu .dropdown-item", has_text="Заседания").click()
    page.wait_for_url(re.compile(r"/planning/meetings/$"))
    current = page.locator("#main-menu .dropdown-toggle.active")
    assert current.inner_text().strip() == "Планирование"  # the current area is marked
