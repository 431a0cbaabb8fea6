"""The order's life in the browser: the deputy drafts it, the director signs it, the structure shows the result.

Assertions on the page use selectors and data rather than exact Russian wording, which the translators
are still filling in; the database is checked as well.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from structure import services
from structure.models import Action, ActionKind, MemberRole, Membership, Order, OrderStatus, SystemRole, Unit, UnitKind
from tests.browser.conftest import login, logout, open_menu_page
from tests.factories import create_unit, person_with_account

TITLE = "О создании творческой группы «Цифровой класс»"
PREAMBLE = "В целях внедрения цифровых технологий в образовательный процесс"
CLAUSE = "Создать творческую группу «Цифровой класс» в следующем составе."
GROUP = "Цифровой класс"


@pytest.fixture
def staff():
    """A director, a deputy and three teachers, each with an account (password «pass»)."""
    return {
        "director": person_with_account("director", SystemRole.DIRECTOR, last_name="Директорова"),
        "deputy": person_with_account("deputy", SystemRole.DEPUTY, last_name="Заместителев"),
        "leader": person_with_account("leader", last_name="Лидерова"),
        "member1": person_with_account("member1", last_name="Первова"),
        "member2": person_with_account("member2", last_name="Вторых"),
    }


def add_action(page: Page, kind: str, **fields: str) -> None:
    """Fill the action form (selects by option value, text inputs by text) and return to the order page."""
    page.locator("a[href$='/actions/add/']").first.click()
    page.locator("#id_kind").select_option(kind)
    for name, value in fields.items():
        field = page.locator(f"#id_{name}")
        expect(field).to_be_visible()  # portal.js shows only the fields the chosen action needs
        if name in {"unit", "person", "role", "unit_kind"}:
            field.select_option(value)
        else:
            field.fill(value)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/structure/orders/\d+/$"))
    expect(page.locator(".alert-success")).to_be_visible()


def test_deputy_drafts_and_director_signs_an_order_creating_a_group(page: Page, live_server, staff, today):
    leader, member1, member2 = staff["leader"], staff["member1"], staff["member2"]

    # The deputy drafts the order.
    login(page, live_server, "deputy")
    open_menu_page(page, "/structure/orders/")
    expect(page).to_have_url(re.compile(r"/structure/orders/$"))
    expect(page.locator("header a[aria-current='page']")).to_have_attribute("href", "/structure/orders/")
    page.locator("main a[href$='/structure/orders/new/']").click()
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_preamble").fill(PREAMBLE)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/structure/orders/\d+/$"))
    expect(page.locator("article.order-text h2")).to_have_text(TITLE)
    order = Order.objects.get(title=TITLE)
    assert order.status == OrderStatus.DRAFT

    page.locator("#id_text").fill(CLAUSE)
    page.locator("form[action$='/clauses/add/'] button[type=submit]").click()
    expect(page.locator("article.order-text")).to_contain_text(CLAUSE)

    add_action(page, ActionKind.CREATE_UNIT, unit_kind=UnitKind.CREATIVE_GROUP, unit_name=GROUP)
    unit = Unit.objects.get(name=GROUP)
    assert unit.created_on is None  # a draft's new unit is not in the structure yet
    add_action(page, ActionKind.APPOINT, unit=str(unit.pk), person=str(leader.pk), role=MemberRole.HEAD)
    add_action(page, ActionKind.INCLUDE, unit=str(unit.pk), person=str(member1.pk))
    add_action(page, ActionKind.INCLUDE, unit=str(unit.pk), person=str(member2.pk))
    actions = page.locator("ul.clause-actions > li")
    expect(actions).to_have_count(4)
    for person in (leader, member1, member2):  # the names are declined («Лидерову»): the stem is there
        expect(page.locator("ul.clause-actions")).to_contain_text(person.last_name[:-1])

    # Nobody is to agree, so the order goes straight to the director.
    page.locator("form[action$='/send/'] button[type=submit]").click()
    expect(page.locator(".badge.status-on_signing")).to_be_visible()
    expect(page.locator("form[action$='/send/']")).to_have_count(0)
    order.refresh_from_db()
    assert order.status == OrderStatus.ON_SIGNING
    logout(page)

    # The director finds it on the dashboard and signs it.
    login(page, live_server, "director")
    waiting = page.locator("section[aria-labelledby='to-sign']")
    link = waiting.get_by_role("link", name=TITLE)
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(rf"/structure/orders/{order.pk}/$"))
    sign = page.locator("form[action$='/sign/'] button[data-confirm]")
    dialogs: list[str] = []
    # Dismissing the confirmation signs nothing...
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    sign.click()
    expect(page.locator(".badge.status-on_signing")).to_be_visible()
    assert dialogs == ["confirm"]
    # ...accepting it signs.
    page.once("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    sign.click()
    expect(page.locator("main h1")).to_contain_text(re.compile(r"\d+-од"))
    expect(page.locator(".badge.status-signed")).to_be_visible()
    expect(page.locator(".hash")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    assert dialogs == ["confirm", "confirm"]
    order.refresh_from_db()
    assert order.status == OrderStatus.SIGNED
    assert order.registration_number in page.locator("main h1").inner_text()
    assert page.locator(".hash").inner_text() == order.content_hash

    # Today's structure shows the group collapsed with its leader; opened, with both members.
    open_menu_page(page, "/structure/")
    card = page.locator("section.unit-card").filter(has=page.get_by_role("heading", name=GROUP))
    expect(card).to_have_count(1)
    expect(card.get_by_role("link", name=leader.full_name)).to_be_visible()
    expect(card.get_by_role("link", name=member1.full_name)).to_have_count(0)
    card.locator(f"a[href*='unit={unit.pk}']").click()
    expect(page).to_have_url(re.compile(rf"/structure/\?unit={unit.pk}#unit-{unit.pk}$"))
    card = page.locator("section.unit-card").filter(has=page.get_by_role("heading", name=GROUP))
    for person in (leader, member1, member2):
        expect(card.get_by_role("link", name=person.full_name)).to_be_visible()
    expect(card.locator("li", has=page.get_by_role("link", name=leader.full_name)).locator("strong")).to_be_visible()

    unit.refresh_from_db()
    assert unit.created_on == today
    assert unit.created_by_order == order
    memberships = Membership.objects.filter(unit=unit, end__isnull=True)
    assert memberships.count() == 3
    assert set(memberships.values_list("person", "role")) == {
        (leader.pk, MemberRole.HEAD),
        (member1.pk, MemberRole.MEMBER),
        (member2.pk, MemberRole.MEMBER),
    }


def test_an_action_the_structure_refuses_is_shown_on_the_form_and_not_added(page: Page, live_server, staff):
    director, deputy = staff["director"], staff["deputy"]
    unit = create_unit(
        director, deputy, UnitKind.CREATIVE_GROUP, GROUP, head=staff["leader"], members=[staff["member1"]]
    )
    order = services.order_create(author=deputy, title="Об изменении состава творческой группы", preamble=PREAMBLE)
    services.clause_add(order=order, text="Исключить из состава группы.")
    before = Action.objects.filter(clause__order=order).count()

    login(page, live_server, "deputy")
    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    page.locator("a[href$='/actions/add/']").first.click()
    page.locator("#id_kind").select_option(ActionKind.EXCLUDE)
    page.locator("#id_unit").select_option(str(unit.pk))
    page.locator("#id_person").select_option(str(staff["member2"].pk))  # not in the group
    page.locator("main form button[type=submit]").click()

    # The form comes back with the refusal on it; the order is unchanged.
    expect(page).to_have_url(re.compile(r"/actions/add/$"))
    error = page.locator("main form").locator(".alert-danger, .invalid-feedback, [id^='error_1_id_']")
    expect(error.first).to_be_visible()
    expect(error.first).not_to_be_empty()
    assert Action.objects.filter(clause__order=order).count() == before

    page.locator("main form a.btn-link").click()  # «Cancel» back to the order
    expect(page.locator("ul.clause-actions")).to_have_count(0)
