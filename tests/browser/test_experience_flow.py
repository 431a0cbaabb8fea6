"""Best practice in the browser: a teacher files a master class and uploads its plan as a PDF, the head of the
teacher's association reviews it with the rubric and recommends it to the council, the methodist puts it on the
agenda of a council meeting and records the council's outcome, the protocol is signed (through the services), the
item links to the meeting, the methodist publishes it, and another teacher finds it in the catalogue by another form
of a word of its title and downloads the file. The item form and the catalogue with results are checked with
axe-core.

The search runs on whichever database the tests use: «урок» finds «уроках» by morphology on PostgreSQL and as a
substring on SQLite. Assertions on the page use selectors and data rather than exact Russian wording; the database is
checked too.
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect
from weasyprint import HTML

from experience.models import ExperienceItem, ItemFile, ItemKind, ItemStatus, Level, Review, ReviewOutcome
from structure.models import SystemRole
from tests.browser.conftest import axe_check, login, logout, open_menu_page
from tests.experience.items_data import council_meeting, mark_all, published, sign
from tests.factories import person_with_account
from tests.planning.world import build_planning
from tests.world import World, build_world

pytestmark = pytest.mark.parametrize("today", [datetime.date(2026, 10, 14)], indirect=True, ids=str)

MINE = "/experience/items/mine/"
NEW = "/experience/items/new/"
REVIEW_QUEUE = "/experience/items/review/"
PROGRESS = "/experience/items/progress/"
CATALOGUE = "/experience/catalogue/"

TITLE = "Мастер-класс: проектные задачи на уроках физики"
FILE_TITLE = "План мастер-класса"


@pytest.fixture
def world(today) -> World:
    """The college of tests.world with planning (tests.planning.world); one item already in the catalogue whose
    words do not match the search below; a meeting of the methodological council today, its agenda still open; and
    `reader`, a teacher of no association, who browses the catalogue."""
    world = build_planning(build_world())
    world.other = published(
        world,
        kind=ItemKind.GUIDE,
        title="Методическое пособие по цифровой лаборатории",
        topic="Датчики и измерения в химии",
        relevance="Мало оборудования для опытов.",
        novelty="Виртуальные опыты с реальными данными.",
        results="Все студенты группы выполнили лабораторные работы.",
    )
    world.council_meeting = council_meeting(world)
    world.people["reader"] = person_with_account("reader", SystemRole.TEACHER, last_name="Читателева")
    return world


def small_pdf() -> bytes:
    return HTML(string="<h1>План мастер-класса</h1><p>Проектные задачи по физике.</p>").write_pdf()


def test_a_master_class_is_filed_reviewed_recommended_published_found_and_downloaded(
    page: Page, live_server, world, today
):
    teacher, head, methodist = world.people["teacher"], world.people["mo_head"], world.people["methodist"]
    meeting = world.council_meeting

    # The teacher files the master class from «my experience»; the association is the teacher's own by default.
    login(page, live_server, "teacher")
    open_menu_page(page, MINE)
    page.locator(f"main a[href$='{NEW}']").click()
    expect(page).to_have_url(re.compile(rf"{NEW}$"))
    expect(page.locator("select#id_association")).to_have_value(str(world.association.pk))
    page.locator("#id_kind").select_option(ItemKind.MASTER_CLASS)
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_direction").select_option(str(world.directions[8].pk))
    page.locator("#id_date").fill((today - datetime.timedelta(days=7)).isoformat())
    page.locator("#id_level").select_option(Level.MUNICIPAL)
    page.locator("#id_topic").fill("Проектные задачи как способ связать физику с профессией")
    page.locator("#id_relevance").fill("Студенты не видят, где законы физики работают в их специальности.")
    page.locator("#id_novelty").fill("Задачи на материале практики студентов на предприятиях города.")
    page.locator("#id_results").fill("Доля студентов, решающих прикладные задачи, выросла с 40 до 65 %.")
    axe_check(page)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/experience/items/\d+/$"))
    item = ExperienceItem.objects.get(title=TITLE)
    assert (item.author, item.status, item.kind) == (teacher, ItemStatus.DRAFT, ItemKind.MASTER_CLASS)
    assert (item.association, item.level, item.direction.code) == (world.association, Level.MUNICIPAL, 8)

    # Its plan as a PDF, on the file form of the item.
    page.locator(f"main #files a[href$='/experience/items/{item.pk}/files/add/']").click()
    page.locator("#id_title").fill(FILE_TITLE)
    page.locator("#id_file").set_input_files(
        {"name": "plan-master-klassa.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}
    )
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/experience/items/{item.pk}/#files$"))
    upload = ItemFile.objects.get(item=item)
    assert (upload.title, upload.original_name, upload.downloads) == (FILE_TITLE, "plan-master-klassa.pdf", 0)
    expect(page.locator(f"main #files a[href$='/experience/items/files/{upload.pk}/']")).to_be_visible()

    # Submitted to the head of the association.
    page.locator(f"main form[action$='/experience/items/{item.pk}/submit/'] button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED
    logout(page)

    # The head: the item waits in «На рецензию»; the rubric, a comment, recommended to the council.
    login(page, live_server, "mo_head")
    open_menu_page(page, REVIEW_QUEUE)
    expect(page).to_have_url(re.compile(rf"{REVIEW_QUEUE}$"))
    page.locator(f"main a[href$='/experience/items/{item.pk}/review/']").click()
    for name, score in (("relevance", 2), ("novelty", 1), ("practical_value", 2), ("presentation", 2)):
        page.locator(f"main form input[name={name}][value='{score}']").check()
    page.locator(f"main form input[name=outcome][value={ReviewOutcome.RECOMMEND}]").check()
    page.locator("#id_comment").fill("Хороший пример межпредметных связей")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{REVIEW_QUEUE}$"))
    expect(page.locator(f"main a[href$='/experience/items/{item.pk}/review/']")).to_have_count(0)
    item.refresh_from_db()
    assert item.status == ItemStatus.REVIEWED
    review = Review.objects.get(item=item)
    assert (review.reviewer, review.outcome, review.by_council) == (head, ReviewOutcome.RECOMMEND, False)
    assert (review.relevance, review.novelty, review.practical_value, review.presentation) == (2, 1, 2, 2)
    logout(page)

    # The methodist finds it among the items in progress and puts it on the agenda of today's council meeting.
    login(page, live_server, "methodist")
    open_menu_page(page, PROGRESS)
    page.locator(f"main a[href$='/experience/items/{item.pk}/']").first.click()
    page.locator(f"main a[href$='/experience/items/{item.pk}/council/']").click()
    page.locator("#id_meeting").select_option(str(meeting.pk))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/experience/items/{item.pk}/$"))
    item.refresh_from_db()
    assert item.status == ItemStatus.REVIEWED and item.council_question.meeting == meeting
    assert item.council_question.speaker == teacher

    # The meeting has taken place (it is today): the council's outcome, then both signatures (the services).
    page.locator(f"main a[href$='/experience/items/{item.pk}/outcome/']").click()
    page.locator(f"main form input[name=outcome][value={ReviewOutcome.RECOMMEND}]").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/experience/items/{item.pk}/$"))
    item.refresh_from_db()
    assert item.council_recommends is True and item.status == ItemStatus.REVIEWED
    expect(page.locator(f"main form[action$='/experience/items/{item.pk}/publish/']")).to_have_count(0)
    mark_all(meeting)
    sign(meeting)
    item.refresh_from_db()
    assert item.status == ItemStatus.RECOMMENDED

    # The item links to the meeting whose protocol recommended it; the methodist publishes it.
    page.reload()
    expect(page.locator(f"main #council a[href$='{meeting.get_absolute_url()}']")).to_be_visible()
    page.locator(f"main form[action$='/experience/items/{item.pk}/publish/'] button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(f"main a[href$='/experience/items/{item.pk}/unpublish/']")).to_be_visible()
    item.refresh_from_db()
    assert (item.status, item.published_by) == (ItemStatus.PUBLISHED, methodist)
    logout(page)

    # Another teacher: both items in the catalogue; «урок» finds «уроках» and only it.
    login(page, live_server, "reader")
    open_menu_page(page, CATALOGUE)
    cards = page.locator("main ol article.card")
    expect(cards).to_have_count(2)
    page.locator("#id_q").fill("урок")
    page.locator("main form[role=search] button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"[?&]q=%D1%83%D1%80%D0%BE%D0%BA"))
    expect(cards).to_have_count(1)
    expect(cards.locator("mark").first).to_be_visible()  # the word found is marked
    link = cards.locator(f"a[href$='/experience/items/{item.pk}/']")
    expect(link).to_be_visible()
    expect(cards.locator(f"a[href$='/experience/items/{world.other.pk}/']")).to_have_count(0)
    axe_check(page)

    # The item's page: the file downloads as a PDF and the download is counted.
    link.click()
    expect(page).to_have_url(re.compile(rf"/experience/items/{item.pk}/$"))
    with page.expect_download() as download_info:
        page.locator(f"main #files a[href$='/experience/items/files/{upload.pk}/']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    assert download.failure() is None
    with open(download.path(), "rb") as received:
        assert received.read(5) == b"%PDF-"
    upload.refresh_from_db()
    assert upload.downloads == 1
