"""The catalogue, its export and an author's page answer in a fixed number of queries whatever the number of items:
2,000 items (1,700 or so published, every tenth outside experience) with two co-authors and two files each, searched,
filtered, ordered, on any page; and the same count again after 500 more."""

from __future__ import annotations

import pytest
from django.urls import reverse

from experience.models import ExperienceItem, ItemKind, Level
from tests.experience.catalogue_data import bulk_catalogue
from tests.world import client_for

COUNT = 2000


def add_items(world, count: int = COUNT, prefix: str = "Урок") -> None:
    people = world.people
    co_authors = [people[name] for name in ("mo_head", "chair", "secretary", "group_lead", "lab_head")]
    bulk_catalogue(people["teacher"], co_authors, count=count, prefix=prefix)


pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, extend=add_items)]

CATALOGUE = reverse("experience:catalogue")
EXPORT = reverse("experience:catalogue_xlsx")


def author(world, key: str = "teacher") -> str:
    return reverse("experience:author", args=[world.people[key].pk])


# role, address, query parameters (a function of the world), queries — including the session and the user, the
# roles (1) and the menu's badge; the catalogue's filter form asks for its
# choices in one query (directions, associations, years; the author is a hidden field, no picker of every author),
# the list for its count and its rows with their co-authors (2); a chosen year or author is checked against its
# choices (1 each). Issue 13: 15 -> 10 (17 -> 12 with a year and an author), the export 8 -> 7, the author page
# 12 -> 11.
PINNED = [
    ("teacher", CATALOGUE, lambda w: {}, 7),
    ("teacher", CATALOGUE, lambda w: {"page": 7}, 7),
    ("teacher", CATALOGUE, lambda w: {"q": "урок"}, 7),
    ("teacher", CATALOGUE, lambda w: {"q": "проектная деятельность", "page": 3}, 7),
    ("teacher", CATALOGUE, lambda w: {"q": "урок", "kind": ItemKind.MASTER_CLASS, "level": Level.MUNICIPAL}, 7),
    (
        "teacher",
        CATALOGUE,
        lambda w: {"year": w.year.pk, "author": w.people["mo_head"].pk, "origin": "college", "sort": "downloads"},
        9,
    ),
    ("teacher", CATALOGUE, lambda w: {"sort": "title", "direction": "", "association": ""}, 7),
    ("methodist", CATALOGUE, lambda w: {"period": "month"}, 7),
    ("admin", CATALOGUE, lambda w: {"q": "компетенций"}, 6),  # no person: no memberships to read
    ("teacher", EXPORT, lambda w: {}, 4),  # no menu, no form
    ("teacher", EXPORT, lambda w: {"q": "урок", "origin": "college"}, 4),
    ("teacher", None, lambda w: {}, 8),  # the teacher's author page
    ("teacher", None, lambda w: {"page": 4}, 8),
]


@pytest.mark.parametrize(("role", "address", "params", "queries"), PINNED)
def test_the_pages_answer_in_a_fixed_number_of_queries(
    world, django_assert_num_queries, role, address, params, queries
):
    address = address or author(world)
    client = client_for(world, role)
    client.get(address, params(world))  # warm caches (content types, sessions)
    with django_assert_num_queries(queries):
        response = client.get(address, params(world))
    assert response.status_code == 200
    if "page" in (response.context or {}):
        assert len(response.context["page"]) > 0


def test_the_count_does_not_grow_with_the_items(world, django_assert_num_queries):
    client = client_for(world, "teacher")
    client.get(CATALOGUE, {"q": "урок"})
    with django_assert_num_queries(7):
        first = client.get(CATALOGUE, {"q": "урок"})
    add_items(world, 500, prefix="Урок-практикум")
    with django_assert_num_queries(7):
        second = client.get(CATALOGUE, {"q": "урок"})
    assert second.context["page"].paginator.count > first.context["page"].paginator.count
    with django_assert_num_queries(8):
        client.get(author(world), {"page": 2})


def test_the_export_holds_every_published_item(world):
    import io

    import openpyxl

    response = client_for(world, "teacher").get(EXPORT)
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet.max_row - 1 == ExperienceItem.objects.published().count()
