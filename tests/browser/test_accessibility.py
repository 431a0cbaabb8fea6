"""axe-core (WCAG 2.0/2.1, levels A and AA) on the portal's main pages, as the people who use them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_check, axe_violations, login
from tests.world import World, build_world


@pytest.fixture
def world() -> World:
    return build_world()


def test_login_page(page: Page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("#id_username")).to_be_visible()
    axe_check(page)


def test_login_page_with_an_error(page: Page, live_server, world):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("teacher")
    page.locator("#id_password").fill("wrong")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .alert-danger, main .invalid-feedback").first).to_be_visible()
    axe_check(page)


@pytest.mark.parametrize("username", ["director", "teacher"])
def test_dashboard(page: Page, live_server, world, username):
    login(page, live_server, username)
    expect(page.locator("main h1")).to_be_visible()
    axe_check(page)


def test_signed_order(page: Page, live_server, world):
    login(page, live_server, "teacher")  # named in the order: the acknowledgement button and list show
    page.goto(f"{live_server.url}{world.signed.get_absolute_url()}")
    expect(page.locator(".hash")).to_be_visible()
    axe_check(page)


def test_draft_order_as_its_author(page: Page, live_server, world):
    login(page, live_server, "deputy")
    page.goto(f"{live_server.url}{world.draft.get_absolute_url()}")
    expect(page.locator("form[action$='/clauses/add/']")).to_be_visible()
    axe_check(page)


def test_order_on_signing_as_the_director(page: Page, live_server, world):
    login(page, live_server, "director")
    page.goto(f"{live_server.url}{world.on_signing.get_absolute_url()}")
    expect(page.locator("form[action$='/sign/']")).to_be_visible()
    axe_check(page)


def test_action_form(page: Page, live_server, world):
    login(page, live_server, "deputy")
    page.goto(f"{live_server.url}{world.draft.get_absolute_url()}")
    page.locator("a[href$='/actions/add/']").first.click()
    page.locator("#id_kind").select_option("appoint")
    expect(page.locator("#id_role")).to_be_visible()
    axe_check(page)


def test_structure_page(page: Page, live_server, world):
    login(page, live_server, "teacher")
    page.goto(f"{live_server.url}/structure/")
    expect(page.locator("section.unit-card").first).to_be_visible()
    axe_check(page)


def test_order_list(page: Page, live_server, world):
    login(page, live_server, "deputy")
    page.goto(f"{live_server.url}/structure/orders/")
    expect(page.locator("main table")).to_be_visible()
    axe_check(page)


def check_pages(page: Page, base_url: str, paths: list[str], *, submit_empty: tuple[str, ...] = ()) -> None:
    """axe on each page in turn (one login for all); forms in `submit_empty` are also checked showing their errors."""
    reports = []
    for path in paths:
        page.goto(f"{base_url}{path}")
        expect(page.locator("main h1")).to_be_visible()
        reports.append(axe_violations(page))
        if path in submit_empty:
            page.locator("main form[method=post] button[type=submit]").first.click()
            expect(page.locator("main .invalid-feedback, main .alert-danger").first).to_be_visible()
            reports.append(axe_violations(page))
    report = "\n\n".join(filter(None, reports))
    assert not report, report


def test_other_pages_as_the_deputy(page: Page, live_server, world):
    login(page, live_server, "deputy")
    check_pages(
        page,
        live_server.url,
        [
            "/structure/orders/new/",
            f"/structure/orders/{world.draft.pk}/edit/",
            "/structure/people/",
            world.people["mo_head"].get_absolute_url(),
            world.council.get_absolute_url(),
            "/structure/groups/",
            "/structure/no-such-page/",
        ],
        submit_empty=("/structure/orders/new/",),
    )


def test_creative_group_pages_as_a_teacher(page: Page, live_server, world):
    login(page, live_server, "teacher")
    check_pages(
        page,
        live_server.url,
        ["/structure/groups/new/", world.group.get_absolute_url(), world.proposed_group.get_absolute_url()],
        submit_empty=("/structure/groups/new/",),
    )
