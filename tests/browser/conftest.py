"""Browser tests: a real Chromium driven by Playwright against pytest-django's live server.

Chromium comes from Debian (`apt-get install chromium`); Playwright's own browser download is not used.
`METOD_CHROMIUM` points at another binary. Without the binary the tests are skipped, except on CI
(`CI=true`), where a missing browser is an error rather than a silently green run.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from tests.reference import seed_reference_data

# Playwright's sync API runs an asyncio loop in the test thread; Django would otherwise refuse ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("METOD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT_MS = 10_000

HERE = Path(__file__).resolve().parent


class OneRequestAtATime(ThreadedWSGIServer):
    """The live server, answering one request at a time (each still on a thread of its own).

    On SQLite the test database lives in memory and every request thread shares the test's one connection:
    two requests at once (a page's script and image, say) corrupt each other's statements — «bad parameter or
    other API misuse», a 500 and a lost session. The lock is held while Django answers and while the body is
    produced (a streamed export reads the database as it goes), not while a socket waits for its request, so a
    connection Chromium opens ahead of time blocks nobody.
    """

    lock = threading.Lock()

    def set_app(self, application):
        def one_at_a_time(environ, start_response):
            with self.lock:
                result = application(environ, start_response)
                try:
                    return [b"".join(result)]
                finally:
                    if hasattr(result, "close"):
                        result.close()

        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATime


def _chromium_missing() -> bool:
    return not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK))


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items: touch only those collected from this folder.
    ours = [item for item in items if HERE in Path(str(item.path)).resolve().parents]
    missing = _chromium_missing()
    for item in ours:
        item.add_marker(pytest.mark.browser)
        if missing and not _on_ci():
            item.add_marker(
                pytest.mark.skip(reason=f"browser tests skipped: {CHROMIUM} not found (apt-get install chromium)")
            )


def pytest_runtest_setup(item: pytest.Item) -> None:
    # Runs before the fixtures, so a CI run without a browser fails fast, without building a test database.
    if item.get_closest_marker("browser") and _chromium_missing() and _on_ci():
        pytest.fail(
            f"CI requires {CHROMIUM} (apt-get install chromium); browser tests cannot be skipped on CI", pytrace=False
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    # The live server needs committed data, so pytest-django flushes the database after each of these tests,
    # which also removes what the data migrations put there. Put it back for the tests that follow.
    # (Serialized rollback cannot do it: once Playwright's loop runs in this thread, Django hands the test
    # a fresh connection object that lacks the serialized copy.)
    result = yield
    if nextitem is not None and "live_server" in getattr(item, "fixturenames", ()):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            seed_reference_data()
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


# ---------------------------------------------------------------- browser and page


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server, request: pytest.FixtureRequest) -> Iterator:
    """A fresh browser context per test (no shared cookies), Russian locale, desktop viewport."""
    from playwright.sync_api import expect

    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on(
        "console",
        lambda message: (
            errors.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        try:
            page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
            (ARTIFACTS / f"{name}.html").write_text(page.content(), encoding="utf-8")
        except Exception as error:  # the page may be gone; the test's own failure is what matters
            print(f"could not save the screenshot: {error}")
    context.close()
    # A JavaScript error or a CSP violation on any page visited fails the test, after its own assertions.
    assert not errors, "JavaScript errors or CSP violations:\n" + "\n".join(errors)


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """Another transactional test may have flushed the database before this one."""
    if "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        seed_reference_data()


# ---------------------------------------------------------------- helpers


def login(page, live_server, username: str, password: str = "pass") -> None:
    """Log in through the login form and wait for the dashboard."""
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def open_menu_page(page, href: str) -> None:
    """Go to a page of the main menu as a user does: open its area's drop-down (and the collapsed menu on a narrow
    screen), then click the page's item."""
    page.wait_for_load_state("load")  # unstyled, the menu's button would look visible
    toggler = page.locator("header .navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    area = page.locator("#main-menu .dropdown").filter(has=page.locator(f".dropdown-item[href$='{href}']"))
    area.locator(".dropdown-toggle").click()
    area.locator(f".dropdown-item[href$='{href}']").click()


def logout(page) -> None:
    from playwright.sync_api import expect

    page.wait_for_load_state("load")
    toggler = page.locator("header .navbar-toggler")
    if toggler.is_visible():  # a narrow screen: the menu is collapsed behind its button
        toggler.click()
    page.locator("#user-menu").click()  # the logout button is in the user's drop-down
    page.locator("header form[action$='/accounts/logout/'] button").click()
    expect(page.locator("#id_username")).to_be_visible()


def axe_violations(page, context: str | None = None) -> str:
    """Run axe-core with the WCAG 2.0/2.1 A and AA rules on the current page; a readable report, empty if clean."""
    from axe_playwright_python.sync_playwright import Axe

    # A URL assertion passes once navigation commits, before the stylesheets are in: without the wait, axe can see
    # the browser's default link colours on the menu and report a contrast the user never sees.
    page.wait_for_load_state("load")
    results = Axe().run(page, context=context, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    if not violations:
        return ""
    lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    target: {', '.join(map(str, node['target']))}")
            lines.append(f"    html:   {node['html']}")
            if node.get("failureSummary"):
                lines.append("    " + node["failureSummary"].replace("\n", "\n    "))
    return "\n".join(lines)


def axe_check(page, context: str | None = None) -> None:
    """Fail the test when axe-core finds WCAG 2.1 A/AA violations on the current page, printing each one."""
    report = axe_violations(page, context)
    if report:
        print(report)
        pytest.fail(report, pytrace=False)
