"""axe-core (WCAG 2.0/2.1, levels A and AA) on the planning pages, as the people who use them.

The data is tests.planning.world with a little more, so that every part of the pages shows: an item marked done and
an overdue one, an absent member with a reason, a guest, a protocol with СЛУШАЛИ / РЕШИЛИ and votes, a signed
protocol of the council, a decision done. An item of this year's plan can't be overdue on the year's first day, so
these pages are checked on a day of the autumn term whatever the date of the run.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from planning import services
from planning.models import DecisionStatus, ItemStatus, WorkForm
from tests.browser.conftest import axe_violations, login, logout
from tests.planning.world import build_planning
from tests.world import World, build_world

pytestmark = pytest.mark.parametrize("today", [datetime.date(2026, 10, 14)], indirect=True, ids=str)


@pytest.fixture
def world(today) -> World:
    world = build_planning(build_world())
    people, year = world.people, world.year

    # The approved service plan: one item done with a report and a link, one overdue.
    services.item_mark(
        item=world.teacher_item,
        status=ItemStatus.DONE,
        report="Урок проведён, разработка размещена",
        evidence_link="https://example.org/lesson",
    )
    plan = services.plan_start_amendment(plan=world.service_plan, reason="Добавить семинар")
    services.item_add(
        plan=plan,
        content="Семинар по оцениванию",
        direction=world.directions[3],
        form=WorkForm.SEMINAR,
        due_date=today - datetime.timedelta(days=3),
        responsible=[people["teacher"]],
    )
    services.plan_submit(plan=plan, person=people["methodist"])
    world.service_plan = services.plan_approve(plan=plan, person=people["chair"])

    # The association's meeting: somebody absent with a reason, a guest, the protocol's sections and votes.
    meeting = world.meeting
    services.attendance_set(
        meeting=meeting,
        rows=[
            (a.person, a.person != people["teacher"], "болезнь" if a.person == people["teacher"] else "")
            for a in meeting.attendance.select_related("person")
        ],
    )
    services.guest_add(meeting=meeting, name="Иванова Мария Петровна", position="методист РМЦ")
    services.agenda_update(
        item=world.agenda_item,
        title=world.agenda_item.title,
        speaker=people["mo_head"],
        plan_item=world.teacher_item,
        heard="Руководителя ПЦК о плане работы",
        spoke="Преподаватели поддержали план",
        decided="Утвердить план работы ПЦК",
        votes_for=1,
        votes_against=0,
        votes_abstained=0,
    )
    second = services.agenda_add(meeting=meeting, title="Об открытых уроках")
    done = services.decision_add(
        agenda_item=second, text="Составить график открытых уроков", responsible=people["mo_head"], deadline=today
    )
    services.decision_mark(decision=done, status=DecisionStatus.DONE, report="График составлен")

    # A signed protocol of the council.
    council_meeting = services.meeting_create(unit=world.council, year=year, date=today, created_by=people["chair"])
    services.attendance_set(
        meeting=council_meeting,
        rows=[(a.person, True, "") for a in council_meeting.attendance.select_related("person")],
    )
    agenda = services.agenda_add(meeting=council_meeting, title="О плане методической работы")
    services.agenda_update(item=agenda, title=agenda.title, heard="Методиста", decided="Принять план")
    services.protocol_sign(meeting=council_meeting, person=people["chair"])
    world.council_meeting = services.protocol_sign(meeting=council_meeting, person=people["secretary"])
    return world


def check_pages(page: Page, base_url: str, paths: list[str], *, submit_empty: tuple[str, ...] = ()) -> None:
    """axe on each page in turn (one login for all), with every <details> open so that axe sees what it holds;
    forms in `submit_empty` are also checked showing their errors. Every violation of every page in one report."""
    reports = []
    for path in paths:
        response = page.goto(f"{base_url}{path}")
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        assert page.url == f"{base_url}{path}", f"{path} redirected to {page.url}"
        expect(page.locator("main h1")).to_be_visible()
        page.locator("details").evaluate_all("elements => elements.forEach(element => { element.open = true; })")
        reports.append(axe_violations(page))
        if path in submit_empty:
            page.locator("main form[method=post] button[type=submit]").first.click()
            expect(page.locator("main .invalid-feedback, main .alert-danger").first).to_be_visible()
            reports.append(axe_violations(page))
    report = "\n\n".join(filter(None, reports))
    assert not report, report


def test_plan_pages_as_the_methodist(page: Page, live_server, world):
    """The approved service plan (items done and overdue, versions), the lists, the statistics, the years."""
    login(page, live_server, "methodist")
    page.goto(f"{live_server.url}{world.service_plan.get_absolute_url()}")
    expect(page.locator(".approval-stamp")).to_be_visible()
    check_pages(
        page,
        live_server.url,
        [
            world.service_plan.get_absolute_url(),
            "/planning/plans/",
            "/planning/plans/new/",
            "/planning/stats/",
            f"/planning/stats/?year={world.past_year.pk}",
            "/planning/years/",
            "/planning/decisions/",
        ],
    )


def test_plan_pages_as_the_chair(page: Page, live_server, world):
    """A submitted plan as its approver sees it (the approval and return forms), and the plan list."""
    login(page, live_server, "chair")
    page.goto(f"{live_server.url}{world.association_plan.get_absolute_url()}")
    expect(page.locator("section[aria-labelledby='approval-actions']")).to_be_visible()
    check_pages(
        page,
        live_server.url,
        [
            world.association_plan.get_absolute_url(),
            world.council_plan.get_absolute_url(),  # the chair's own draft, empty
            f"/planning/plans/{world.council_plan.pk}/items/add/",
            "/planning/plans/",
            world.council_meeting.get_absolute_url(),  # a signed protocol
        ],
        submit_empty=(f"/planning/plans/{world.council_plan.pk}/items/add/",),
    )


def test_meeting_and_calendar_pages_as_the_association_head(page: Page, live_server, world):
    """The meeting page with its editing forms, the meeting list, the decision register, the calendar in both
    views, the teacher's submitted plan, the dashboard with the planning cards."""
    login(page, live_server, "mo_head")
    expect(page.locator("section[aria-labelledby='plans-to-approve']")).to_be_visible()  # the teacher's plan
    expect(page.locator("section[aria-labelledby='my-meetings'] a")).to_have_count(1)
    month = f"{world.today:%Y-%m}"
    check_pages(
        page,
        live_server.url,
        [
            "/",
            world.meeting.get_absolute_url(),
            "/planning/meetings/",
            "/planning/decisions/",
            f"/planning/calendar/?month={month}&view=month",
            f"/planning/calendar/?month={month}&view=list",
            world.teacher_plan.get_absolute_url(),
        ],
    )


def test_dashboard_and_calendar_as_a_teacher(page: Page, live_server, world):
    login(page, live_server, "teacher")
    expect(page.locator("section[aria-labelledby='items-due'] li").first).to_be_visible()
    expect(page.locator("section[aria-labelledby='my-decisions'] li").first).to_be_visible()
    month = f"{world.today:%Y-%m}"
    check_pages(
        page,
        live_server.url,
        [
            "/",
            f"/planning/calendar/?month={month}&view=month&mine=on",
            f"/planning/calendar/?month={month}&view=list",
            world.meeting.get_absolute_url(),
            "/planning/meetings/",
            world.teacher_plan.get_absolute_url(),
            f"/planning/plans/{world.service_plan.pk}/items/{world.teacher_item.pk}/mark/",
        ],
    )


def test_planning_forms(page: Page, live_server, world):
    """The forms of years, themes, meetings and protocols, empty and with their errors; the teacher's forms."""
    meeting, agenda = world.meeting, world.agenda_item
    login(page, live_server, "methodist")
    check_pages(
        page,
        live_server.url,
        [
            "/planning/years/new/",
            f"/planning/years/{world.year.pk}/edit/",
            "/planning/themes/new/",
            f"/planning/themes/{world.theme.pk}/edit/",
            "/planning/calendar/feed/",
        ],
        submit_empty=("/planning/years/new/", "/planning/themes/new/"),
    )
    logout(page)

    login(page, live_server, "mo_head")
    meeting_pages = [
        "/planning/meetings/new/",
        f"/planning/meetings/{meeting.pk}/edit/",
        f"/planning/meetings/{meeting.pk}/attendance/",
        f"/planning/meetings/{meeting.pk}/agenda/add/",
        f"/planning/meetings/{meeting.pk}/agenda/{agenda.pk}/edit/",
        f"/planning/meetings/{meeting.pk}/agenda/{agenda.pk}/decisions/add/",
    ]
    check_pages(
        page,
        live_server.url,
        ["/planning/plans/new/", *meeting_pages],
        submit_empty=(f"/planning/meetings/{meeting.pk}/agenda/add/", meeting_pages[-1]),
    )
    logout(page)

    login(page, live_server, "teacher")
    check_pages(page, live_server.url, [f"/planning/decisions/{world.decision.pk}/mark/", "/planning/plans/new/"])
