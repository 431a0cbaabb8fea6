"""Issue 13: the catalogue, the visit log and the dissemination report at scale — bounded pages in a fixed number of
queries (60 items over two academic years with two co-authors each; 120 visits over two years), and nothing out of
reach: every item and visit is found through the pages and the filters, and the exports hold the page's rows."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from experience.models import ExperienceItem, ItemKind, ItemStatus, LessonVisit, Level, VisitStatus
from planning.models import AcademicYear
from tests.world import client_for

pytestmark = [pytest.mark.django_db]

CATALOGUE = reverse("experience:catalogue")
CATALOGUE_XLSX = reverse("experience:catalogue_xlsx")
LOG = reverse("experience:visit_log")
LOG_XLSX = reverse("experience:visit_log_xlsx")
REPORT = reverse("experience:dissemination")
DAY = datetime.timedelta(days=1)
ITEMS = 60
VISITS = 120


def previous_year(world) -> AcademicYear:
    start = world.year.start.replace(year=world.year.start.year - 1)
    year, _created = AcademicYear.objects.get_or_create(
        start=start, defaults={"title": f"{start.year}/{start.year + 1}", "end": world.year.start - DAY}
    )
    return year


def add_items(world, count: int = ITEMS) -> None:
    """`count` published items of `teacher`, half in the current academic year and half in the one before, two
    co-authors each (`mo_head` always, then `chair` or `secretary`)."""
    people = world.people
    last = previous_year(world)
    items = ExperienceItem.objects.bulk_create(
        [
            ExperienceItem(
                kind=list(ItemKind)[index % len(ItemKind)],
                title=f"Масштаб {index}",
                author=people["teacher"],
                date=(world.year.start if index % 2 else last.start) + (index % 30) * DAY,
                level=list(Level)[index % len(Level)],
                status=ItemStatus.PUBLISHED,
                published_at=datetime.datetime.combine(world.year.start, datetime.time(12), datetime.UTC),
                association=world.association,
            )
            for index in range(count)
        ]
    )
    through = ExperienceItem.co_authors.through
    through.objects.bulk_create(
        [
            through(experienceitem_id=item.pk, person_id=people[name].pk)
            for index, item in enumerate(items)
            for name in ("mo_head", "chair" if index % 2 else "secretary")
        ]
    )


def add_visits(world, count: int = VISITS) -> None:
    """`count` visits among the association's people, half in the current academic year, half in the one before."""
    people = world.people
    pairs = [("teacher", "mo_head"), ("mo_head", "teacher"), ("chair", "teacher")]
    last = previous_year(world)
    LessonVisit.objects.bulk_create(
        [
            LessonVisit(
                visitor=people[pairs[index % 3][0]],
                visited=people[pairs[index % 3][1]],
                date=(world.year.start if index % 2 else last.start) + (index % 60) * DAY,
                lesson=f"Урок {index}",
                status=VisitStatus.DONE if index % 4 else VisitStatus.CANCELLED,
            )
            for index in range(count)
        ]
    )


def rows_of(response) -> list[tuple]:
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(min_row=2, values_only=True))


def every_page(client, address: str, params: dict) -> list:
    """Every row of a paged list, following its pages."""
    first = client.get(address, params).context["page"]
    found = list(first)
    for number in range(2, first.paginator.num_pages + 1):
        found += list(client.get(address, {**params, "page": number}).context["page"])
    return found


# ---------------------------------------------------------------- the catalogue


@pytest.mark.world(planning=True, extend=add_items)
@pytest.mark.parametrize(
    ("params", "queries"),
    [
        (lambda w: {}, 7),
        (lambda w: {"page": 3}, 7),
        (lambda w: {"author_name": "фамилия-ch"}, 7),
        (lambda w: {"year": w.year.pk, "author": w.people["mo_head"].pk}, 9),
    ],
)
def test_the_catalogue_answers_in_a_fixed_number_of_queries(world, django_assert_num_queries, params, queries):
    """The session, the user, the roles (1), the badge; the filters' choices in one query,
    the count and the rows with their co-authors; a chosen year or author checked (1 each)."""
    client = client_for(world, "teacher")
    client.get(CATALOGUE, params(world))
    with django_assert_num_queries(queries):
        response = client.get(CATALOGUE, params(world))
    assert response.status_code == 200 and len(response.context["page"]) > 0
    add_items(world, 30)
    with django_assert_num_queries(queries):
        client.get(CATALOGUE, params(world))


@pytest.mark.world(planning=True, extend=add_items)
def test_every_item_is_on_a_page_with_its_co_authors(world):
    client = client_for(world, "teacher")
    found = every_page(client, CATALOGUE, {})
    assert len(found) == ITEMS == len({item.pk for item in found})
    item = next(item for item in found if item.title == "Масштаб 1")
    assert item.authors[0].pk == world.people["teacher"].pk
    assert {person.pk for person in item.authors} == {world.people[n].pk for n in ("teacher", "chair", "mo_head")}
    html = client.get(CATALOGUE).content.decode()
    assert reverse("experience:author", args=[world.people["mo_head"].pk]) in html
    assert 'name="author_name"' in html and "<option" not in html.split('name="author_name"')[1][:200]


@pytest.mark.world(planning=True, extend=add_items)
def test_the_author_filters_reach_every_authors_items(world):
    client = client_for(world, "teacher")

    def count(**params):
        return client.get(CATALOGUE, params).context["page"].paginator.count

    assert count(author_name="фамилия-chair") == ITEMS // 2  # a co-author, typed in lower case
    assert count(author_name="Фамилия-secretary") == ITEMS // 2
    assert count(author_name="фамилия-mo") == ITEMS
    assert count(author_name="Нетакогоавтора") == 0
    chair = world.people["chair"]
    response = client.get(CATALOGUE, {"author": chair.pk})
    assert response.context["page"].paginator.count == ITEMS // 2
    assert chair.short_name in response.content.decode()  # the badge names the chosen author
    assert count(author=chair.pk, year=world.year.pk) == ITEMS // 2  # chair's items are the current year's
    assert count(year=previous_year(world).pk) == ITEMS // 2


@pytest.mark.world(planning=True, extend=add_items)
@pytest.mark.parametrize("params", [{}, {"author_name": "фамилия-chair"}, {"year": "previous", "kind": "x"}])
def test_the_catalogue_export_holds_the_pages_rows(world, params):
    if params.get("year") == "previous":
        params = {"year": previous_year(world).pk}
    client = client_for(world, "teacher")
    shown = every_page(client, CATALOGUE, params)
    rows = rows_of(client.get(CATALOGUE_XLSX, params))
    assert [row[0] for row in rows] == [item.title for item in shown]
    chair = world.people["chair"]
    assert all(chair.short_name in row[2] for row in rows if row[0].endswith(("1", "3", "5", "7", "9")))


@pytest.mark.world(planning=True, extend=add_items)
def test_the_catalogue_export_answers_in_the_same_number_of_queries_for_more_items(world, django_assert_num_queries):
    client = client_for(world, "teacher")
    client.get(CATALOGUE_XLSX)
    with django_assert_num_queries(4):
        rows_of(client.get(CATALOGUE_XLSX))
    add_items(world, 120)
    with django_assert_num_queries(4):
        assert len(rows_of(client.get(CATALOGUE_XLSX))) == ITEMS + 120


# ---------------------------------------------------------------- the visit log


@pytest.mark.world(planning=True, extend=add_visits)
def test_the_log_opens_on_the_current_year_and_reaches_the_others(world):
    client = client_for(world, "methodist")
    default = every_page(client, LOG, {})
    assert len(default) == VISITS // 2
    assert all(world.year.start <= visit.date <= world.year.end for visit in default)
    html = client.get(LOG).content.decode()
    assert f'<option value="{world.year.pk}" selected' in html  # the year filter says which year is shown
    assert len(every_page(client, LOG, {"year": previous_year(world).pk})) == VISITS // 2
    everything = every_page(client, LOG, {"year": ""})
    assert len(everything) == VISITS == len({visit.pk for visit in everything})
    # a filter without a year (a link, a bookmark) spans every year
    assert client.get(LOG, {"status": VisitStatus.DONE}).context["page"].paginator.count == VISITS * 3 // 4


@pytest.mark.world(planning=True, extend=add_visits)
def test_the_log_filters_by_surname_and_by_person(world):
    client = client_for(world, "methodist")

    def count(**params):
        return client.get(LOG, {"year": "", **params}).context["page"].paginator.count

    assert count(person_name="фамилия-chair") == VISITS // 3
    assert count(person_name="Фамилия-teacher") == VISITS
    assert count(person=world.people["chair"].pk) == VISITS // 3
    response = client.get(LOG, {"person": world.people["chair"].pk})
    assert world.people["chair"].full_name in response.content.decode()
    assert client.get(LOG, {"person": "99999999"}).status_code == 200


@pytest.mark.world(planning=True, extend=add_visits)
@pytest.mark.parametrize("params", [{}, {"year": ""}, {"person_name": "фамилия-chair", "year": ""}, {"page": 2}])
def test_the_log_export_holds_the_pages_rows(world, params):
    client = client_for(world, "methodist")
    listed = {k: v for k, v in params.items() if k != "page"}
    shown = every_page(client, LOG, listed)
    rows = rows_of(client.get(LOG_XLSX, params))
    assert [row[3] for row in rows] == [visit.lesson for visit in shown]


@pytest.mark.world(planning=True, extend=add_visits)
@pytest.mark.parametrize(
    ("role", "params", "queries"),
    [
        ("methodist", lambda w: {}, 8),
        ("methodist", lambda w: {"year": "", "page": 2}, 8),
        ("methodist", lambda w: {"person_name": "фамилия", "year": ""}, 8),
        ("methodist", lambda w: {"person": w.people["chair"].pk}, 9),
    ],
)
def test_the_log_answers_in_a_fixed_number_of_queries(world, django_assert_num_queries, role, params, queries):
    """The request's seven (see the catalogue's), the years, the count, the associations and the rows."""
    client = client_for(world, role)
    client.get(LOG, params(world))
    with django_assert_num_queries(queries):
        assert client.get(LOG, params(world)).status_code == 200
    add_visits(world, 60)
    with django_assert_num_queries(queries):
        client.get(LOG, params(world))


# ---------------------------------------------------------------- the dissemination report


@pytest.mark.world(planning=True, extend=lambda w: (add_items(w), add_visits(w)))
def test_the_report_reads_its_lists_once(world, django_assert_num_queries):
    """The request's seven; the years and the associations (once each, for the form and the report), the
    memberships, the items, the visits and the marks."""
    client = client_for(world, "methodist")
    client.get(REPORT)
    with django_assert_num_queries(10):
        response = client.get(REPORT)
    row = next(row for row in response.context["report"].rows if row.unit == world.association)
    assert row.items == ITEMS // 2  # the current year's
    with django_assert_num_queries(12):  # a chosen year and association are checked
        client.get(REPORT, {"year": world.year.pk, "unit": world.association.pk})
