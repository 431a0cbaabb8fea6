"""The lesson visit pages answer in a fixed number of queries, whatever the number of visits: 120 teachers more in
the association, each visiting `teacher` and `mo_head` and visited by `teacher` (360 visits, half of them filled, a
third of those to `mo_head` linked to a published open lesson), with a mark of adoption each on that lesson."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.experience.visits_data import many_rows
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, extend=many_rows)]

MINE = reverse("experience:visit_mine")
LOG = reverse("experience:visit_log")
REPORT = reverse("experience:dissemination")

# role, address, query parameters (a function of the world), queries — including the session and the user, the
# roles (1) and the menu's badge.
PINNED = [
    ("teacher", MINE, lambda w: {}, 8),
    ("teacher", MINE, lambda w: {"show": "received", "page": 2}, 8),
    # the log: no picker of every person (issue 13: 14 -> 13; the years for its default, the current one)
    ("mo_head", LOG, lambda w: {}, 10),
    ("mo_head", LOG, lambda w: {"page": 3, "status": "done"}, 10),
    ("methodist", LOG, lambda w: {"unit": w.association.pk, "person": w.people["teacher"].pk}, 10),
    # the report reads the years and the associations once for the form and the report (issue 13: 17 -> 13, 20 -> 16)
    ("methodist", REPORT, lambda w: {}, 10),
    ("mo_head", REPORT, lambda w: {"year": w.year.pk}, 13),
]


@pytest.mark.parametrize(("role", "address", "params", "queries"), PINNED)
def test_the_pages_answer_in_a_fixed_number_of_queries(
    world, django_assert_num_queries, role, address, params, queries
):
    client = client_for(world, role)
    client.get(address, params(world))  # warm caches (content types, sessions)
    with django_assert_num_queries(queries):
        response = client.get(address, params(world))
    assert response.status_code == 200


def test_the_counts_do_not_grow_with_the_rows(world, django_assert_num_queries):
    for role, address, queries in (("teacher", MINE, 8), ("mo_head", LOG, 10), ("methodist", REPORT, 10)):
        client = client_for(world, role)
        client.get(address)
        first = client.get(address)
        many_rows(world, 40)
        with django_assert_num_queries(queries):
            second = client.get(address)
        assert second.status_code == first.status_code == 200


def test_the_lists_show_the_rows(world):
    mine = client_for(world, "teacher").get(MINE, {"show": "received"})
    assert mine.context["received_count"] == 120 and len(mine.context["page"]) == 50
    log = client_for(world, "mo_head").get(LOG)
    assert log.context["page"].paginator.count == 360
    report = client_for(world, "methodist").get(REPORT).context["report"]
    row = next(row for row in report.rows if row.unit == world.association)
    assert row.marks_received == 120 and row.adopted + row.referenced == 120
