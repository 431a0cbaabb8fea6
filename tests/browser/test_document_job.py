"""A document being prepared, in a real Chromium (issue 13): the page shows the progress, refreshes itself without a
script (the HTTP Refresh header, allowed by the CSP) and offers the PDF once the worker has rendered it; axe-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from metodservice.common.documents import render_document
from metodservice.common.models import DocumentJob
from tests.browser.conftest import axe_violations, login
from tests.world import build_world


@pytest.fixture
def world():
    return build_world()


def test_the_page_waits_for_the_worker_then_offers_the_file(page, live_server, world):
    user = world.people["methodist"].user
    job = DocumentJob.objects.create(
        kind="planning:plan_pdf",
        title="План 2026-2027",
        filename="План_2026-2027.pdf",
        requested_by=user,
        html="<html><body><h1>План работы методической службы</h1></body></html>",
    )
    login(page, live_server, "methodist")
    page.goto(f"{live_server.url}/documents/{job.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Документ ждёт своей очереди")
    expect(page.locator("progress#job-progress")).to_be_visible()
    assert axe_violations(page) == ""

    render_document.call(job.pk)  # the worker takes it
    # No reload by the test: the page's own Refresh brings the link.
    link = page.get_by_role("link", name="Открыть PDF")
    expect(link).to_be_visible(timeout=8_000)
    assert axe_violations(page) == ""
    with page.expect_response(lambda response: response.url.endswith(f"/documents/{job.pk}/file/")) as answer:
        link.click()
    assert answer.value.status == 200
    assert answer.value.header_value("content-type") == "application/pdf"
