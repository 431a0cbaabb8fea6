"""Category cases in the browser: a teacher applies for the first category from «my attestation», uploads the
signed application and submits it with a portfolio; the methodist finds the case in the list, sets the regional
commission's date and records the decision with the regional order; the category is recorded. The case list and
the case page are checked with axe-core on the way.

Assertions on the page use selectors and data rather than exact Russian wording; the database is checked too.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from attestation.models import AttestationCase, CaseDocument, CaseStatus, Category
from tests.attestation.matrix_cases import portfolio_of
from tests.browser.conftest import axe_check, login, logout
from tests.security import upload_samples
from tests.world import World, build_world

MINE = "/attestation/cases/mine/"
LIST = "/attestation/cases/"


@pytest.fixture
def world(today) -> World:
    """The college of tests.world with a portfolio of the teacher's."""
    world = build_world()
    portfolio_of(world.people["teacher"], title="Портфолио 2022–2026")
    return world


def test_a_teacher_applies_and_the_methodist_records_the_granted_category(page: Page, live_server, world, today):
    teacher = world.people["teacher"]

    # The teacher: «my attestation», empty; apply for the first category.
    login(page, live_server, "teacher")
    page.goto(f"{live_server.url}{MINE}")
    axe_check(page)
    page.locator("main a[href$='/attestation/cases/new/category/']").click()
    page.locator("input[name=kind][value=first]").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/attestation/cases/\d+/$"))
    case = AttestationCase.objects.get(person=teacher)
    assert case.status == CaseStatus.DOCUMENTS
    axe_check(page)
    # As if opened two weeks ago: the application is dated below, and never before the case was opened.
    AttestationCase.objects.filter(pk=case.pk).update(created_at=timezone.now() - datetime.timedelta(days=14))

    # The signed application as a document of the case.
    page.locator("main details.card summary").click()
    page.locator("#id_kind").select_option("application")
    page.locator("#id_title").fill("Заявление")
    page.locator("#id_file").set_input_files(
        files=[{"name": "Заявление.pdf", "mimeType": "application/pdf", "buffer": upload_samples.PDF}]
    )
    page.locator(f"main form[action$='/attestation/cases/{case.pk}/documents/new/'] button[type=submit]").click()
    document = CaseDocument.objects.get(case=case)
    expect(page.locator(f"main a[href$='/cases/{case.pk}/documents/{document.pk}/']")).to_be_visible()

    # Submitted with the portfolio.
    submit = page.locator(f"main form[action$='/attestation/cases/{case.pk}/submit/']")
    submit.locator("input[name=on]").fill((today - datetime.timedelta(days=10)).isoformat())
    submit.locator("select[name=portfolio]").select_option(index=1)
    submit.locator("button[type=submit]").click()
    expect(page.locator(f"main a[href$='/attestation/cases/{case.pk}/portfolio.pdf']")).to_be_visible()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.portfolio_hash
    axe_check(page)
    logout(page)

    # The methodist: the list, the case, the commission's date, the decision.
    login(page, live_server, "methodist")
    page.goto(f"{live_server.url}{LIST}")
    expect(page.locator(f"main tbody a[href$='/attestation/cases/{case.pk}/']")).to_be_visible()
    axe_check(page)
    page.locator(f"main tbody a[href$='/attestation/cases/{case.pk}/']").click()
    sitting = page.locator(f"main form[action$='/attestation/cases/{case.pk}/sitting/']")
    sitting.locator("input[name=on]").fill((today - datetime.timedelta(days=5)).isoformat())
    sitting.locator("button[type=submit]").click()
    decision = page.locator(f"main form[action$='/attestation/cases/{case.pk}/decision/']")
    expect(decision).to_be_visible()
    axe_check(page)
    decision.locator("input[name=decision][value=granted]").check()
    decision.locator("input[name=on]").fill((today - datetime.timedelta(days=2)).isoformat())
    decision.locator("input[name=order_number]").fill("1234-р")
    decision.locator("input[name=order_date]").fill((today - datetime.timedelta(days=1)).isoformat())
    decision.locator("button[type=submit]").click()
    expect(page.locator("main .case-status-decided")).to_be_visible()
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    category = Category.objects.get(person=teacher)
    assert category.case == case and category.valid_until is None
    axe_check(page)
