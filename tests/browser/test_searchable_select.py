"""People pickers in the browser: type a part of the surname, pick with the keyboard, submit; axe-core finds nothing
with the list open or closed, and the page runs within the CSP (the `page` fixture fails on a CSP report).

Assertions on the page use selectors and data rather than exact Russian wording, which the translators are still
filling in; the database is checked as well.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from structure import services
from structure.models import Action, ActionKind, Approval, Membership, Order, SystemRole, UnitKind
from tests.browser.conftest import axe_check, login
from tests.factories import PersonFactory, create_unit, person_with_account


@pytest.fixture
def staff():
    """A director, a deputy, two teachers to be picked and thirty more, in a subject association."""
    people = {
        "director": person_with_account("director", SystemRole.DIRECTOR, last_name="Директорова"),
        "deputy": person_with_account("deputy", SystemRole.DEPUTY, last_name="Заместителев"),
        "orlova": PersonFactory(last_name="Орлова", first_name="Анна", patronymic="Сергеевна"),
        "orlov": PersonFactory(last_name="Орловский", first_name="Пётр", patronymic="Ильич"),
        "sokolova": PersonFactory(last_name="Соколова", first_name="Елена", patronymic="Андреевна"),
    }
    others = PersonFactory.create_batch(30)
    people["association"] = create_unit(
        people["director"],
        people["deputy"],
        UnitKind.ASSOCIATION_CYCLE,
        "ПЦК общеобразовательных дисциплин",
        head=people["sokolova"],
        members=[people["orlova"], *others],
    )
    return people


def picker(page: Page, field: str):
    """The box of the picker that replaced the select `#id_<field>` (the select stays in the form, hidden): the
    chosen items and the search input `#id_<field>-ts-control`."""
    return page.locator(f".ts-control:has(#id_{field}-ts-control)")


def test_two_approvers_are_picked_by_typing_and_the_keyboard(page: Page, live_server, staff):
    orlova, sokolova = staff["orlova"], staff["sokolova"]
    login(page, live_server, "deputy")
    page.goto(f"{live_server.url}/structure/orders/new/")
    page.locator("#id_title").fill("О проведении недели методики")
    page.locator("#id_preamble").fill("В целях распространения опыта")

    # The select became a picker; its label names the search box, which is a combobox.
    select = page.locator("select#id_approvers")
    expect(select).to_have_attribute("data-searchable", "")
    expect(select).to_have_class(re.compile(r"\btomselected\b"))
    box = picker(page, "approvers")
    expect(page.locator("#id_approvers-ts-control")).to_have_attribute("role", "combobox")
    expect(page.locator("label[for='id_approvers-ts-control']")).to_have_count(1)
    axe_check(page)  # the picker closed

    # «Орл» finds Орлова and Орловский only, each with position and unit; Enter picks the first.
    box.click()
    page.keyboard.type("Орл")
    options = page.locator("#id_approvers-ts-dropdown [data-selectable]")
    expect(options).to_have_count(2)
    expect(options.first).to_contain_text(orlova.short_name)
    expect(options.first).to_contain_text("Преподаватель, ПЦК общеобразовательных дисциплин")
    axe_check(page)  # the picker open, an option active
    page.keyboard.press("Enter")

    # The list stays open for the next name: «Сокол», the arrow key, Enter.
    page.keyboard.type("Сокол")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text(sokolova.short_name)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    chosen = box.locator(".item")
    expect(chosen).to_have_count(2)
    expect(chosen.first).to_contain_text(orlova.short_name)
    expect(select).to_have_values([str(orlova.pk), str(sokolova.pk)])
    axe_check(page)  # two chosen, each with its remove button

    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/structure/orders/\d+/$"))
    order = Order.objects.get(title="О проведении недели методики")
    assert set(Approval.objects.filter(order=order).values_list("person", flat=True)) == {orlova.pk, sokolova.pk}


def test_a_member_is_picked_for_an_order_action_and_a_choice_can_be_removed(page: Page, live_server, staff):
    order = services.order_create(author=staff["deputy"], title="О составе ПЦК", preamble="В целях")
    clause = services.clause_add(order=order, text="Включить в состав ПЦК.")
    association, orlov = staff["association"], staff["orlov"]

    login(page, live_server, "deputy")
    page.goto(f"{live_server.url}/structure/orders/{order.pk}/clauses/{clause.pk}/actions/add/")
    page.locator("#id_kind").select_option(ActionKind.INCLUDE)
    # A unit by a part of its kind's or its name's words, a person by a part of the surname; keyboard only.
    picker(page, "unit").click()
    page.keyboard.type("общеобраз")
    expect(page.locator("#id_unit-ts-dropdown [data-selectable]")).to_have_count(1)
    page.keyboard.press("Enter")
    picker(page, "person").click()
    page.keyboard.type("Орловск")
    expect(page.locator("#id_person-ts-dropdown [data-selectable]")).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page.locator("select#id_person")).to_have_value(str(orlov.pk))
    expect(page.locator("select#id_unit")).to_have_value(str(association.pk))
    axe_check(page)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/structure/orders/{order.pk}/$"))
    action = Action.objects.get(clause=clause)
    assert (action.kind, action.unit_id, action.person_id) == (ActionKind.INCLUDE, association.pk, orlov.pk)
    assert not Membership.objects.filter(person=orlov).exists()  # the order is a draft

    # On the order's edit form a chosen approver is removed with its button.
    services.order_update(
        order=order,
        approvers=[staff["orlova"], staff["sokolova"]],
        title=order.title,
        preamble=order.preamble,
        control_text=order.control_text,
    )
    page.goto(f"{live_server.url}/structure/orders/{order.pk}/edit/")
    items = picker(page, "approvers").locator(".item")
    expect(items).to_have_count(2)
    items.filter(has_text=staff["orlova"].short_name).locator(".remove").click()
    expect(items).to_have_count(1)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/structure/orders/{order.pk}/$"))
    assert list(Approval.objects.filter(order=order).values_list("person", flat=True)) == [staff["sokolova"].pk]
