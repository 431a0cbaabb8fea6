"""Diagnostics in the browser: the methodist drafts a campaign for all teaching staff and opens it, the teacher
submits a self-assessment, the head of the teacher's association submits the expert one, and the teacher sees the
radar on their profile and adds a suggested course for a deficit to their individual plan in one click. The
assessment form and the profile are checked with axe-core (as are the campaign's page and «my assessments").

Assertions on the page use selectors and data rather than exact Russian wording; the database is checked too.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from attestation.models import Assessment, AssessmentKind, AssessmentStatus, CampaignStatus, DiagnosticCampaign
from planning.models import PlanItem
from planning.services.approval import plan_return
from tests.browser.conftest import axe_check, login, logout
from tests.planning.world import build_planning
from tests.world import World, build_world

CAMPAIGNS = "/attestation/diagnostics/campaigns/"
MINE = "/attestation/diagnostics/assessments/"
RESULTS = "/attestation/results/"


@pytest.fixture
def world(today) -> World:
    """The college of tests.world with its academic years (tests.planning.world); no campaign yet."""
    return build_planning(build_world())


def fill_levels(page: Page, level: str) -> None:
    radios = page.locator(f"main form input[type=radio][value='{level}']")
    expect(radios).to_have_count(16)
    for radio in radios.all():
        radio.check()


def test_the_methodist_opens_a_campaign_the_teacher_and_the_head_assess(page: Page, live_server, world, today):
    teacher, head = world.people["teacher"], world.people["mo_head"]

    # The methodist drafts a campaign of the current year for all teaching staff, the heads as experts, and opens it.
    login(page, live_server, "methodist")
    page.goto(f"{live_server.url}{CAMPAIGNS}")
    page.locator(f"main a[href$='{CAMPAIGNS}new/']").click()
    page.locator("#id_title").fill("Диагностика профессиональных компетенций")
    page.locator("#id_year").select_option(str(world.year.pk))
    page.locator("#id_framework").select_option(index=1)
    page.locator("input[name=scope][value=all]").check()
    page.locator("#id_starts_on").fill(today.isoformat())
    page.locator("#id_ends_on").fill(min(today + datetime.timedelta(days=14), world.year.end).isoformat())
    page.locator("input[name=experts_mode][value=heads]").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{CAMPAIGNS}\d+/$"))
    campaign = DiagnosticCampaign.objects.get()
    assert campaign.status == CampaignStatus.DRAFT
    page.locator(f"main form[action$='{CAMPAIGNS}{campaign.pk}/open/'] button").click()
    expect(page.locator(f"main form[action$='{CAMPAIGNS}{campaign.pk}/close/']")).to_be_visible()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN
    axe_check(page)
    logout(page)

    # The teacher: the self-assessment waits in «my assessments»; every level, then submit.
    login(page, live_server, "teacher")
    page.goto(f"{live_server.url}{MINE}")
    own = Assessment.objects.get(participant__person=teacher, kind=AssessmentKind.SELF)
    page.locator(f"main a[href$='{MINE}{own.pk}/']").click()
    expect(page).to_have_url(re.compile(rf"{MINE}{own.pk}/$"))
    axe_check(page)
    fill_levels(page, "3")
    page.locator("main form button[name=submit]").click()
    expect(page).to_have_url(re.compile(rf"{MINE}$"))
    own.refresh_from_db()
    assert own.status == AssessmentStatus.SUBMITTED and set(own.scores.values_list("level", flat=True)) == {3}
    logout(page)

    # The head of the teacher's association: the teacher on the expert list; a draft first, then submitted.
    login(page, live_server, "mo_head")
    page.goto(f"{live_server.url}{MINE}")
    expert = Assessment.objects.get(participant__person=teacher, assessor=head, kind=AssessmentKind.EXPERT)
    page.locator(f"main a[href$='{MINE}{expert.pk}/']").click()
    fill_levels(page, "1")
    page.locator("main form textarea").first.fill("Рекомендую курс по оцениванию")
    page.locator("main form button[name=save]").click()
    expect(page).to_have_url(re.compile(rf"{MINE}{expert.pk}/$"))
    expert.refresh_from_db()
    assert expert.status == AssessmentStatus.DRAFT and expert.scores.count() == 16
    expect(page.locator("main form input[type=radio][value='1']:checked")).to_have_count(16)
    axe_check(page)
    page.locator("main form button[name=submit]").click()
    expect(page).to_have_url(re.compile(rf"{MINE}$"))
    axe_check(page)
    expert.refresh_from_db()
    assert expert.status == AssessmentStatus.SUBMITTED
    assert expert.scores.filter(comment="Рекомендую курс по оцениванию").count() == 1

    logout(page)

    # The teacher's plan is returned for changes (it was submitted), so suggestions can be added to it.
    plan_return(plan=world.teacher_plan, person=head, comment="Добавьте мероприятия по итогам диагностики")
    login(page, live_server, "teacher")
    page.goto(f"{live_server.url}{RESULTS}")
    expect(page.locator("main #radar svg[role=img]")).to_be_visible()
    expect(page.locator("main #profile-table tbody tr.table-danger")).to_have_count(16)  # the head put 1 everywhere
    axe_check(page)
    add = page.locator("main form[action$='/suggestions/add/']").filter(
        has=page.locator("input[name=kind][value=training]")
    )
    before = PlanItem.objects.filter(plan=world.teacher_plan).count()
    add.first.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"{RESULTS}"))
    items = PlanItem.objects.filter(plan=world.teacher_plan)
    assert items.count() == before + 1
    assert items.order_by("-pk").first().direction.code == 10  # a course: direction 10, qualification
