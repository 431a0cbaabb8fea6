"""The association's plan in the browser: the head drafts and submits it, the council chair returns it with a
comment, the head fixes it and submits again, the chair approves it, and the PDF carries the approval.

Assertions on the page use selectors and data rather than exact Russian wording, which the translators
are still filling in; the database is checked as well.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from planning import services
from planning.models import Plan, PlanItem, PlanLevel, PlanStatus, WorkDirection, WorkForm
from tests.browser.conftest import login, logout, open_menu_page
from tests.planning.world import academic_year_of
from tests.world import World, build_world

pytestmark = pytest.mark.dated  # the plan is for the academic year containing today

COMMENT = "Уточните форму результата по диагностике"
FIXED = "Диагностика затруднений молодых педагогов ПЦК"


@pytest.fixture
def world(today) -> World:
    """The college of tests.world and a current academic year containing today; no plans yet."""
    world = build_world()
    start, end = academic_year_of(today)
    world.year = services.year_save(title=f"{start.year}/{end.year}", start=start, end=end, is_current=True)
    return world


def pdf_text(pdf: bytes) -> str:
    """The text of every page, whitespace collapsed so that wrapped lines still match."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def fill_item(page: Page, *, content: str, direction: int, form: str, due: datetime.date, responsible: list) -> None:
    """Fill the item form: the direction by its code, the responsible people by their records."""
    page.locator("#id_content").fill(content)
    page.locator("#id_direction").select_option(str(WorkDirection.objects.get(code=direction).pk))
    page.locator("#id_form").select_option(form)
    page.locator("#id_due_date").fill(due.isoformat())
    page.locator("#id_responsible").select_option([str(person.pk) for person in responsible])


def test_head_drafts_the_association_plan_and_the_chair_approves_it_after_a_return(page: Page, live_server, world):
    people, year, association = world.people, world.year, world.association
    head, chair, teacher = people["mo_head"], people["chair"], people["teacher"]
    items = [
        ("Заседание ПЦК по плану работы на год", 3, WorkForm.MEETING, year.start + datetime.timedelta(days=20), [head]),
        ("Открытый урок по цифровым технологиям", 8, WorkForm.OPEN_LESSON, year.start + datetime.timedelta(days=75),
         [teacher]),
        ("Диагностика затруднений педагогов", 3, WorkForm.DIAGNOSTICS, year.end - datetime.timedelta(days=60),
         [head, teacher]),
    ]  # fmt: skip

    # The head creates the association's plan for the current year.
    login(page, live_server, "mo_head")
    open_menu_page(page, "/planning/plans/")
    expect(page.locator("header a[aria-current='page']")).to_have_attribute("href", "/planning/plans/")
    page.locator("main a[href$='/planning/plans/new/']").click()
    page.locator(f"input[name=level][value={PlanLevel.UNIT}]").check()
    expect(page.locator("#id_year")).to_have_value(str(year.pk))
    page.locator("#id_unit").select_option(str(association.pk))
    page.locator("#id_goal").fill("Совершенствование методического мастерства педагогов ПЦК")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/planning/plans/\d+/$"))
    expect(page.locator("main h1")).to_contain_text(association.name)
    plan = Plan.objects.get(level=PlanLevel.UNIT, unit=association, year=year)
    assert plan.status == PlanStatus.DRAFT

    # Three items in two directions: «save and add another» twice, then «save».
    page.locator(f"main a[href$='/plans/{plan.pk}/items/add/']").click()
    for number, (content, direction, form, due, responsible) in enumerate(items, start=1):
        fill_item(page, content=content, direction=direction, form=form, due=due, responsible=responsible)
        last = number == len(items)
        page.locator("main form button[type=submit]" + ("" if last else "[name=another]")).first.click()
        expect(page.locator(".alert-success")).to_be_visible()
        expect(page).to_have_url(re.compile(rf"/plans/{plan.pk}/" + (r"(#item-\d+)?$" if last else r"items/add/$")))
    rows = page.locator("table.plan-items tbody tr")
    expect(rows).to_have_count(3)
    for content, *_rest in items:
        expect(page.locator("table.plan-items")).to_contain_text(content)
    expect(page.locator("table.plan-items")).to_contain_text(teacher.short_name)
    assert set(plan.items.values_list("direction__code", flat=True)) == {3, 8}

    page.locator(f"form[action$='/plans/{plan.pk}/submit/'] button[type=submit]").click()
    expect(page.locator(".badge.plan-status-submitted")).to_be_visible()
    expect(page.locator(f"main a[href$='/plans/{plan.pk}/items/add/']")).to_have_count(0)  # locked while submitted
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    logout(page)

    # The chair finds it on the dashboard and returns it with a comment.
    login(page, live_server, "chair")
    waiting = page.locator("section[aria-labelledby='plans-to-approve']")
    expect(waiting.locator(".badge")).to_have_text("1")
    waiting.locator(f"a[href$='/planning/plans/{plan.pk}/']").click()
    expect(page).to_have_url(re.compile(rf"/planning/plans/{plan.pk}/$"))
    expect(page.locator("section[aria-labelledby='approval-actions']")).to_be_visible()
    page.locator("#return-comment").fill(COMMENT)
    page.locator(f"form[action$='/plans/{plan.pk}/return/'] button[type=submit]").click()
    expect(page.locator(".badge.plan-status-returned")).to_be_visible()
    expect(page.locator("section[aria-labelledby='approval-actions']")).to_have_count(0)
    plan.refresh_from_db()
    assert (plan.status, plan.return_comment, plan.returned_by) == (PlanStatus.RETURNED, COMMENT, chair)
    logout(page)

    # The head sees the comment, fixes the third item and submits again.
    login(page, live_server, "mo_head")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    expect(page.locator("main .alert-warning")).to_contain_text(COMMENT)
    expect(page.locator("main .alert-warning")).to_contain_text(chair.full_name)
    third = plan.items.get(position=3)
    page.locator(f"a[href$='/plans/{plan.pk}/items/{third.pk}/edit/']").click()
    expect(page.locator("#id_content")).to_have_value(items[2][0])
    page.locator("#id_content").fill(FIXED)
    page.locator("#id_expected_result").fill("Аналитическая справка")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(f"#item-{third.pk}")).to_contain_text(FIXED)
    expect(page.locator(f"#item-{third.pk}")).to_contain_text("Аналитическая справка")
    page.locator(f"form[action$='/plans/{plan.pk}/submit/'] button[type=submit]").click()
    expect(page.locator(".badge.plan-status-submitted")).to_be_visible()
    logout(page)

    # The chair approves it (after confirming); the plan shows the approval block.
    login(page, live_server, "chair")
    open_menu_page(page, "/planning/plans/")
    page.locator("main table").get_by_role("link", name=association.name).click()
    dialogs: list[str] = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.locator(f"form[action$='/plans/{plan.pk}/approve/'] button[data-confirm]").click()
    expect(page.locator(".badge.plan-status-approved")).to_be_visible()
    assert dialogs == ["confirm"]
    stamp = page.locator(".approval-stamp")
    expect(stamp).to_contain_text("УТВЕРЖДАЮ")
    expect(stamp).to_contain_text(chair.signature_name)
    expect(stamp).to_contain_text(f"{world.today:%d.%m.%Y}")
    expect(page.locator("main .alert-warning")).to_have_count(0)  # the comment is gone with the approval
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by, plan.version) == (PlanStatus.APPROVED, chair, 1)
    assert plan.return_comment == ""

    # The PDF, downloaded with the chair's session, carries the approval and the three items.
    pdf_link = page.locator(f"main a[href$='/plans/{plan.pk}/pdf/']")
    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert "УТВЕРЖДАЮ" in text
    assert chair.signature_name in text
    assert "ПРОЕКТ" not in text
    for content in (items[0][0], items[1][0], FIXED):
        assert content in text
    assert items[2][0] not in text


def test_a_deadline_outside_the_year_is_refused_on_the_item_form(page: Page, live_server, world):
    head = world.people["mo_head"]
    plan = services.plan_create(level=PlanLevel.UNIT, year=world.year, unit=world.association, created_by=head)

    login(page, live_server, "mo_head")
    page.goto(f"{live_server.url}/planning/plans/{plan.pk}/items/add/")
    fill_item(
        page,
        content="Семинар после окончания учебного года",
        direction=3,
        form=WorkForm.SEMINAR,
        due=world.year.end + datetime.timedelta(days=1),
        responsible=[head],
    )
    page.locator("main form button[type=submit]").first.click()

    # The form comes back with the refusal on the deadline; the plan is unchanged.
    expect(page).to_have_url(re.compile(r"/items/add/$"))
    error = page.locator("#id_due_date ~ .invalid-feedback, [id^='error_1_id_due_date']")
    expect(error.first).to_be_visible()
    expect(error.first).to_contain_text(world.year.end.strftime("%d.%m.%Y"))
    expect(page.locator("#id_content")).to_have_value("Семинар после окончания учебного года")  # input is kept
    assert not PlanItem.objects.filter(plan=plan).exists()
    page.locator("main form a.btn-link").click()  # «Cancel» back to the plan
    expect(page.locator("table.plan-items tbody tr")).to_have_count(1)  # the empty-state row
