"""A page links to a person, a unit or an order only where its reader may open it; otherwise it names it.

The pages of the structure (a unit's composition, a person's memberships, an order cancelled by another) ask the
rules before they link: `structure.view_person`, `structure.view_unit`, and `structure.view_order`, which must be
the order list's own answer (selectors.orders_visible_to), order by order, for every role of the college of
tests/test_visibility_matches_rules.py. tests/test_site_crawl.py checks every link of every page; this file keeps
the case the issue found: the external researcher's lab page linked to a member and to an order that answered 404.
"""

from __future__ import annotations

import pytest

from structure.models import ActionKind, Order
from structure.selectors import orders_visible_to, roles_of
from tests.crawl import internal, parse_page
from tests.factories import signed_order
from tests.test_visibility_matches_rules import (
    MANAGEMENT_AND_ADMIN,
    add_visibility_cases,
    allowed,
    assert_same,
    assert_telling,
    pks,
    user_of,
)
from tests.world import ROLES, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, extra_staff=8, extend=add_visibility_cases)]


@pytest.mark.parametrize("role", ROLES)
def test_orders_visible_to_is_view_order(world, role):
    user = user_of(world, role)
    rule = allowed(user, "structure.view_order", Order.objects.all())
    assert_same(Order, pks(orders_visible_to(roles_of(user))), rule)
    assert_telling(role, Order, rule, sees_all=MANAGEMENT_AND_ADMIN)


def test_the_researcher_sees_the_lab_without_links_that_refuse(world):
    """A colleague included in the lab by an order that does not name the researcher: the researcher reads the
    colleague's name and the order's number, and every link on the page opens."""
    people = world.people
    colleague = people["secretary"]
    include = {"kind": ActionKind.INCLUDE, "unit": world.lab, "person": colleague}
    order = signed_order(people["director"], people["deputy"], [include], title="О включении в состав лаборатории")
    client = client_for(world, "researcher")

    response = client.get(world.lab.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert colleague.full_name in html and f"№ {order.registration_number}" in html
    links = {internal(href, world.lab.get_absolute_url()) for href in parse_page(html).links} - {None}
    assert colleague.get_absolute_url() not in links and order.get_absolute_url() not in links
    assert world.people["researcher"].get_absolute_url() in links  # their own record opens, and is linked
    refused = {link: status for link in links if (status := client.get(link).status_code) not in (200, 302)}
    assert not refused


def test_staff_get_the_links(world):
    """The same page for a teacher of the college: the colleague and the order open, so they are links."""
    people = world.people
    include = {"kind": ActionKind.INCLUDE, "unit": world.lab, "person": people["secretary"]}
    order = signed_order(people["director"], people["deputy"], [include], title="О включении в состав лаборатории")

    html = client_for(world, "teacher").get(world.lab.get_absolute_url()).content.decode()

    assert f'href="{people["secretary"].get_absolute_url()}"' in html
    assert f'href="{order.get_absolute_url()}"' in html
