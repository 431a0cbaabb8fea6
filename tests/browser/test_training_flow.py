"""Professional development in the browser: a teacher adds a course (ПК) with a scan of the certificate, the
methodist finds it waiting, opens it and confirms it, and the teacher's compliance turns from red to green. The
compliance list and the record page are checked with axe-core on the way.

Assertions on the page use selectors and data rather than exact Russian wording; the database is checked too.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from attestation.models import TrainingRecord, TrainingStatus
from tests.browser.conftest import axe_check, login, logout, open_menu_page
from tests.security import upload_samples
from tests.world import World, build_world

MINE = "/attestation/training/"
COMPLIANCE = "/attestation/training/compliance/"


@pytest.fixture
def world(today) -> World:
    """The college of tests.world: no professional development records yet."""
    return build_world()


def test_a_teacher_adds_a_course_the_methodist_confirms_it_and_compliance_turns_green(
    page: Page, live_server, world, today
):
    teacher = world.people["teacher"]

    # The teacher: nothing confirmed yet, so professional development is overdue.
    login(page, live_server, "teacher")
    open_menu_page(page, MINE)
    expect(page).to_have_url(re.compile(re.escape(MINE) + "$"))
    expect(page.locator("main .compliance-overdue")).to_be_visible()

    page.locator(f"main a[href$='{MINE}new/']").click()
    page.locator("input[name=kind][value=qualification]").check()
    page.locator("#id_programme").fill("Цифровая образовательная среда колледжа")
    page.locator("#id_provider").fill("ГАУ ДПО «Институт развития образования»")
    page.locator("#id_hours").fill("72")
    page.locator("#id_start").fill((today - datetime.timedelta(days=40)).isoformat())
    page.locator("#id_end").fill((today - datetime.timedelta(days=30)).isoformat())
    page.locator("#id_document_kind").select_option("certificate")
    page.locator("#id_document_number").fill("772400012345")
    page.locator("#id_scan").set_input_files(
        files=[{"name": "Удостоверение.pdf", "mimeType": "application/pdf", "buffer": upload_samples.PDF}]
    )
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/attestation/training/\d+/$"))
    record = TrainingRecord.objects.get(person=teacher)
    assert record.status == TrainingStatus.SUBMITTED and record.scan.name.endswith(".pdf")
    expect(page.locator(f"main a[href$='/attestation/training/{record.pk}/scan/']")).to_be_visible()
    axe_check(page)
    logout(page)

    # The methodist: the compliance list, the records waiting, the record, confirmed.
    login(page, live_server, "methodist")
    open_menu_page(page, COMPLIANCE)
    row = page.locator("main tbody tr").filter(has=page.locator(f"a[href$='/training/people/{teacher.pk}/']"))
    expect(row.locator(".compliance-overdue")).to_be_visible()
    axe_check(page)

    page.locator("main a[href$='/attestation/training/pending/']").click()
    page.locator(f"main a[href$='/attestation/training/{record.pk}/']").click()
    expect(page.locator(f"main form[action$='/attestation/training/{record.pk}/confirm/']")).to_be_visible()
    axe_check(page)
    with page.expect_download() as download:
        page.locator(f"main a[href$='/attestation/training/{record.pk}/scan/']").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.locator(f"main form[action$='/attestation/training/{record.pk}/confirm/'] button").click()
    expect(page).to_have_url(re.compile(rf"/attestation/training/{record.pk}/$"))
    record.refresh_from_db()
    assert record.status == TrainingStatus.CONFIRMED and record.confirmed_by == world.people["methodist"]
    logout(page)

    # The teacher again: the course counts, compliance is green.
    login(page, live_server, "teacher")
    open_menu_page(page, MINE)
    expect(page.locator("main .compliance-compliant")).to_be_visible()
    expect(page.locator("main .compliance-compliant")).to_have_class(re.compile(r"\btext-bg-success\b"))
