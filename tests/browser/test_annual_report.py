"""The annual report in a real Chromium (issue 14): the deputy opens it from the menu, writes the conclusions and
the tasks, switches a section off, freezes it for the council's coming meeting; the meeting's page links the frozen
copy beside its question, and its PDF is the one stored with its SHA-256. Every page axe-clean."""

from __future__ import annotations

import hashlib
import re

import pytest
from playwright.sync_api import expect

from planning.models import AgendaItem, Meeting
from reports.models import AnnualReport, FrozenReport
from tests.browser.conftest import axe_violations, login, open_menu_page
from tests.planning.world import build_planning
from tests.world import build_world


@pytest.fixture
def world(settings):
    settings.STORE_FIXED_DOCUMENTS = True  # the frozen PDF is laid out once the freezing commits
    return build_planning(build_world())


def test_the_deputy_writes_freezes_and_the_meeting_links_the_frozen_pdf(page, live_server, world):
    meeting = Meeting.objects.create(
        unit=world.council, year=world.year, number=9, date=world.today, created_by=world.people["chair"]
    )
    question = AgendaItem.objects.create(meeting=meeting, position=1, title="Об итогах методической работы")

    login(page, live_server, "deputy")
    open_menu_page(page, "/reports/annual/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Отчёт о методической работе")
    page.get_by_role("link", name=world.year.title).click()
    expect(page.locator("#section-composition")).to_contain_text("Качественный состав педагогических работников")
    assert axe_violations(page) == ""

    page.get_by_role("link", name="Разделы, выводы и задачи").click()
    page.get_by_label("Опытно-экспериментальная работа").uncheck()
    page.get_by_label("Выводы").fill("План методической службы выполнен на 90 %.")
    page.get_by_label("Задачи на следующий учебный год").fill("Провести семинар\nОбновить программы")
    assert axe_violations(page) == ""
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert-success"))).to_contain_text("Отчёт сохранён")
    expect(page.locator(".annual-report")).to_contain_text("План методической службы выполнен на 90 %.")
    expect(page.locator("#section-experiments")).to_have_count(0)

    page.get_by_role("link", name="Зафиксировать для заседания").click()
    page.get_by_label("Вопрос заседания").select_option(str(question.pk))
    page.get_by_label("Я понимаю").check()
    assert axe_violations(page) == ""
    page.get_by_role("button", name="Зафиксировать").click()
    frozen = FrozenReport.objects.get()
    expect(page).to_have_url(re.compile(rf"/reports/frozen/{frozen.pk}/$"))
    expect(page.locator("main")).to_contain_text(frozen.content_sha256)
    assert axe_violations(page) == ""
    assert "experiments" not in frozen.sections
    assert AnnualReport.objects.get().conclusions == "План методической службы выполнен на 90 %."

    # The council's chair opens the meeting: the frozen report beside its question, and its stored PDF.
    page.context.clear_cookies()
    login(page, live_server, "chair")
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    link = page.locator(f"main a[href$='/reports/frozen/{frozen.pk}/']")
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.year.title)
    frozen.refresh_from_db()
    pdf = page.request.get(f"{live_server.url}/reports/frozen/{frozen.pk}/pdf/")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.body()).hexdigest() == frozen.pdf_sha256
