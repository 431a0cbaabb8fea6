"""The portfolio in the browser: a teacher with two confirmed courses creates a portfolio, which includes both; the
teacher unticks one, saves, and the PDF prints only the other. The list and the portfolio's page are checked with
axe-core on the way.

Assertions on the page use selectors and data rather than exact Russian wording; the database is checked too.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from attestation.models import DocumentKind, Portfolio, TrainingKind, TrainingRecord, TrainingStatus
from tests.browser.conftest import axe_check, login
from tests.planning.test_documents import pdf_text
from tests.world import World, build_world

MINE = "/attestation/portfolio/"


@pytest.fixture
def world(today) -> World:
    """The college of tests.world with two confirmed courses of the teacher."""
    world = build_world()
    teacher = world.people["teacher"]
    for days, programme in ((400, "Цифровая дидактика"), (200, "Наставничество в колледже")):
        end = today - datetime.timedelta(days=days)
        TrainingRecord.objects.create(
            person=teacher,
            created_by=teacher,
            kind=TrainingKind.QUALIFICATION,
            programme=programme,
            provider="Институт развития образования",
            hours=36,
            start=end - datetime.timedelta(days=10),
            end=end,
            document_kind=DocumentKind.CERTIFICATE,
            status=TrainingStatus.CONFIRMED,
        )
    return world


def test_a_teacher_unticks_an_entry_saves_and_the_pdf_prints_the_rest(page: Page, live_server, world, today):
    teacher = world.people["teacher"]
    kept, dropped = TrainingRecord.objects.order_by("end")[1], TrainingRecord.objects.order_by("end")[0]

    login(page, live_server, "teacher")
    page.goto(live_server.url + MINE)
    axe_check(page)
    page.locator(f"main a[href$='{MINE}new/']").click()
    page.locator("#id_period_start").fill((today - datetime.timedelta(days=3 * 365)).isoformat())
    page.locator("#id_period_end").fill(today.isoformat())
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/attestation/portfolio/\d+/$"))
    portfolio = Portfolio.objects.get(person=teacher)
    assert set(portfolio.picks) == {f"training:{kept.pk}", f"training:{dropped.pk}"}
    box = page.locator(f"main input[name=pick][value='training:{dropped.pk}']")
    expect(box).to_be_checked()
    axe_check(page)

    box.uncheck()
    page.locator("#picks-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/attestation/portfolio/{portfolio.pk}/$"))
    expect(page.locator(f"main input[name=pick][value='training:{dropped.pk}']")).not_to_be_checked()
    portfolio.refresh_from_db()
    assert portfolio.picks == [f"training:{kept.pk}"]

    href = page.locator(f"main a[href$='/attestation/portfolio/{portfolio.pk}/pdf/']").first.get_attribute("href")
    response = page.request.get(live_server.url + href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert kept.programme in text and dropped.programme not in text
