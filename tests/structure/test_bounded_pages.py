"""The structure page and the order page cost the same whatever the history: on a college with years of units,
members and former members (tests/history.py) they answer in the queries pinned on the small college
(tests/structure/test_pages.py) and show a bounded amount — the structure page lists units collapsed, each with its
head and the number of its members, and one unit's members when it is opened.
"""

from __future__ import annotations

import pytest
from django.urls import reverse, reverse_lazy

from structure.models import Membership
from tests.history import add_history
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, extend=add_history)]

STRUCTURE = reverse_lazy("structure:overview")
#: session, user, roles, the units with their names and counts, their heads, the menu's badge
COLLAPSED = 6


def test_the_history_is_there(world):
    """Enough to expose a page that reads every membership: hundreds of them, former members and dissolved units."""
    assert len(world.history_units) >= 12
    assert Membership.objects.count() >= 180
    assert Membership.objects.filter(end__isnull=False).count() >= 20


def test_the_page_lists_units_collapsed_whatever_the_memberships(world, django_assert_num_queries):
    client = client_for(world, "teacher")
    client.get(STRUCTURE)
    with django_assert_num_queries(COLLAPSED):
        response = client.get(STRUCTURE)
    html = response.content.decode()
    unit = world.history_units[1]
    head = world.history_heads[unit.pk]
    members = world.history_unit_members[unit.pk]
    assert unit.name in html and head.full_name in html
    assert f"unit={unit.pk}" in html  # the link that opens it
    assert not any(member.full_name in html for member in members)  # collapsed: no member is listed
    assert not any(gone.name in html for gone in world.dissolved_units)
    counts = {u.pk: u.members_count for u in response.context["units"]}
    assert counts[unit.pk] == len(members) + 1  # the head and the members today; the former member is not counted


def test_an_opened_unit_lists_its_members_and_only_its(world, django_assert_num_queries):
    unit, other = world.history_units[1], world.history_units[2]
    client = client_for(world, "teacher")
    client.get(STRUCTURE, {"unit": unit.pk})
    with django_assert_num_queries(COLLAPSED + 1):  # + the opened unit's members
        response = client.get(STRUCTURE, {"unit": unit.pk})
    html = response.content.decode()
    assert all(member.full_name in html for member in world.history_unit_members[unit.pk])
    assert not any(member.full_name in html for member in world.history_unit_members[other.pk])
    assert response.context["opened"] == unit


def test_the_search_finds_units_by_name_and_by_a_members_surname(world, django_assert_num_queries):
    client = client_for(world, "teacher")
    unit = world.history_units[3]
    by_name = client.get(STRUCTURE, {"q": unit.name})
    assert [u.pk for u in by_name.context["units"]] == [unit.pk]

    member = world.history_unit_members[unit.pk][0]
    client.get(STRUCTURE, {"q": member.last_name})
    with django_assert_num_queries(COLLAPSED + 1):  # + the members whose surname holds the search
        by_surname = client.get(STRUCTURE, {"q": member.last_name})
    assert [u.pk for u in by_surname.context["units"]] == [unit.pk]
    html = by_surname.content.decode()
    assert member.full_name in html  # named under the unit as found
    assert world.history_unit_members[unit.pk][1].full_name not in html

    nothing = client.get(STRUCTURE, {"q": "Несуществующая фамилия"})
    assert list(nothing.context["units"]) == []
    assert "Несуществующая фамилия" in nothing.content.decode()


def test_the_search_and_the_date_are_kept_when_a_unit_is_opened(world):
    unit = world.history_units[0]
    response = client_for(world, "teacher").get(STRUCTURE, {"q": "Объединение", "date": world.today.isoformat()})
    assert f"?q=%D0%9E%D0%B1%D1%8A%D0%B5%D0%B4%D0%B8%D0%BD%D0%B5%D0%BD%D0%B8%D0%B5&amp;unit={unit.pk}" in (
        response.content.decode()
    )


def test_a_former_member_is_listed_on_an_earlier_date(world):
    unit = world.history_units[0]
    former = Membership.objects.get(unit=unit, end__isnull=False).person
    day = world.past_year.start.replace(year=world.past_year.start.year - 1)
    response = client_for(world, "teacher").get(STRUCTURE, {"unit": unit.pk, "date": day.isoformat()})
    assert former.full_name in response.content.decode()
    assert former.full_name not in client_for(world, "teacher").get(STRUCTURE, {"unit": unit.pk}).content.decode()


@pytest.mark.parametrize(("role", "order", "queries"), [("teacher", "signed", 10), ("deputy", "draft", 10)])
def test_the_order_page_on_years_of_history(world, django_assert_num_queries, role, order, queries):
    """The order page reads the order, its clauses and actions (with units, people and positions together), its
    visas and лист ознакомления, its change log, and nothing that grows with the other orders."""
    address = reverse("structure:order_detail", args=[getattr(world, order).pk])
    client = client_for(world, role)
    client.get(address)
    with django_assert_num_queries(queries):
        assert client.get(address).status_code == 200
