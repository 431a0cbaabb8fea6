"""No uploaded file runs in the portal, in a real Chromium.

Uploading: .html, .svg and .js evidence is refused by the item's form and nothing is stored.
Serving, tested on its own: files with HTML, SVG and JavaScript content are put into items' evidence directly (as
a file stored before the checks existed would be); the director opens them from the plan page and by their
address, and each one downloads as an attachment and runs nothing — no dialog, no navigation, no request the
script would make, no marker in the portal's localStorage. A control page with the same content, served inline
from the portal's origin without those safeguards, does set the marker, so the marker would have caught it.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from planning.models import ItemStatus, PlanItem
from tests.browser.conftest import login
from tests.planning.world import build_planning
from tests.world import World, build_world

CLOCK = datetime.datetime(2025, 10, 15, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))

ATTACK_JS = (
    b"localStorage.setItem('pwned', 'script'); document.title = 'pwned'; alert('pwned');"
    b" fetch('/pwned-fetch/'); location.href = '/pwned-navigation/';\n"
)
ATTACK_SVG = (
    b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"localStorage.setItem('pwned', 'svg')\">"
    b"<script>localStorage.setItem('pwned', 'svg'); alert('pwned')</script></svg>"
)


def attack_html(script_url: str) -> bytes:
    """The probe's page: it loads the uploaded script from the portal (allowed by script-src 'self') and has an
    inline marker of its own."""
    return (
        "<!DOCTYPE html><html><head><title>Отчёт</title>"
        f'<script src="{script_url}"></script></head>'
        "<body><script>localStorage.setItem('pwned-inline', '1')</script>"
        '<img src="/pwned-image/" alt=""></body></html>'
    ).encode()


@pytest.fixture
def world() -> World:
    """The planning world on a fixed day; the test runs on that clock."""
    with time_machine.travel(CLOCK, tick=True):
        yield build_planning(build_world())


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def evidence_url(item: PlanItem) -> str:
    return f"/planning/plans/{item.plan_id}/items/{item.pk}/evidence/"


def test_html_svg_and_js_evidence_cannot_be_uploaded_through_the_form(page: Page, live_server, world):
    item = world.teacher_item
    login(page, live_server, "teacher")

    for name, mime, data in [
        ("report.html", "text/html", attack_html("/x.js")),
        ("drawing.svg", "image/svg+xml", ATTACK_SVG),
        ("script.js", "text/javascript", ATTACK_JS),
    ]:
        page.goto(f"/planning/plans/{item.plan_id}/items/{item.pk}/mark/")
        page.locator("#id_status").select_option(ItemStatus.DONE)
        page.locator("#id_report").fill("Урок проведён")
        page.locator("#id_evidence_file").set_input_files(files=[{"name": name, "mimeType": mime, "buffer": data}])
        page.locator("main form button[type=submit]").click()

        expect(page).to_have_url(re.compile(r"/mark/$"))
        expect(page.locator("#id_evidence_file")).to_have_class(re.compile(r"\bis-invalid\b"))
        error = page.locator("[id^='error_'][id$='_id_evidence_file']")
        expect(error).to_contain_text("PDF")  # the refusal names the allowed types …
        expect(error).to_contain_text("DOCX")
        expect(error).to_contain_text("20")  # … and the limit

    item.refresh_from_db()
    assert item.status == ItemStatus.PLANNED
    assert not item.evidence_file
    assert media_files() == []


def test_stored_html_svg_and_js_evidence_downloads_and_runs_nothing(page: Page, live_server, world):
    plan = world.service_plan
    page_item = world.teacher_item
    script_item = plan.items.exclude(pk=page_item.pk).first()
    script_item.evidence_file.save("evidence.js", ContentFile(ATTACK_JS), save=True)
    html = attack_html(evidence_url(script_item))

    dialogs: list[str] = []
    requests: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.context.on("request", lambda request: requests.append(request.url))

    # The control: the same page served inline from the portal's origin, without the download's headers, runs
    # its inline script — the marker works. (Its external script is the stored .js, which the browser refuses to
    # run: the portal sends it as application/octet-stream with nosniff.)
    login(page, live_server, "director")
    page.route(
        f"{live_server.url}/control-page/",
        lambda route: route.fulfill(status=200, content_type="text/html", body=html),
    )
    page.goto("/control-page/")  # waits for the load event: the page's scripts have run
    assert page.evaluate("localStorage.getItem('pwned')") is None, "the uploaded script must not run even there"
    expect(page).to_have_url(f"{live_server.url}/control-page/")
    assert page.evaluate("localStorage.getItem('pwned-inline')") == "1", "the control's marker is set"
    page.evaluate("localStorage.clear()")
    requests.clear()  # the control's own image request names the marker too

    plan_url = f"{live_server.url}/planning/plans/{plan.pk}/"
    for name, content, extension in [("evidence.html", html, ".bin"), ("evidence.svg", ATTACK_SVG, ".bin")]:
        page_item.evidence_file.save(name, ContentFile(content), save=True)

        # From the plan page, as the director would.
        page.goto(plan_url)
        with page.expect_download() as opened:
            page.locator(f"main a[href$='{evidence_url(page_item)}']").click()
        download = opened.value
        assert download.suggested_filename.endswith(extension), download.suggested_filename
        assert Path(download.path()).read_bytes() == content
        expect(page).to_have_url(plan_url)

    # By the address, as a link in a new tab or a message would open it: still downloads, never a page.
    for item in (page_item, script_item):
        # Chromium turns the navigation into a download, and Playwright reports the navigation as failed.
        with page.expect_download() as opened, contextlib.suppress(PlaywrightError):
            page.goto(evidence_url(item))
        assert opened.value.suggested_filename.endswith(".bin")

    page.wait_for_timeout(500)  # time for anything that was going to run
    expect(page).to_have_url(plan_url)
    assert dialogs == []
    assert page.title() != "pwned"
    assert page.evaluate("[localStorage.getItem('pwned'), localStorage.getItem('pwned-inline')]") == [None, None]
    assert [url for url in requests if "pwned" in url] == []
    assert len(page.context.pages) == 1
