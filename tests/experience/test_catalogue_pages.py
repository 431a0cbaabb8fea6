"""The catalogue's pages: the cards, every filter, the orders, «New this month», paging, the empty states, bad query
parameters, the XLSX export (the same filters, formula-looking cells guarded) and an author's page."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from experience.models import ExperienceItem, ItemKind, ItemStatus, Level
from experience.selectors import catalogue as selectors
from tests.experience.catalogue_data import published_item
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]

CATALOGUE = reverse("experience:catalogue")
EXPORT = reverse("experience:catalogue_xlsx")
DAY = datetime.timedelta(days=1)


@dataclass
class Catalogue:
    lesson: ExperienceItem  # teacher with mo_head, the association, direction 8, regional, this year, new, 7 downloads
    guide: ExperienceItem  # mo_head's, direction 6, college, last year, 20 downloads
    outside: ExperienceItem  # outside experience brought in by the methodist, federal, this year
    draft: ExperienceItem  # teacher's draft: never in the catalogue


def catalogue(world) -> Catalogue:
    people, now = world.people, timezone.now()
    lesson = published_item(
        kind=ItemKind.OPEN_LESSON,
        title="Открытый урок «Электрические цепи»",
        author=people["teacher"],
        co_authors=(people["mo_head"],),
        association=world.association,
        direction=world.directions[8],
        level=Level.REGIONAL,
        date=world.year.start + 3 * DAY,
        topic="Исследовательская деятельность на уроках физики",
        published_at=now - 5 * DAY,
        downloads=(3, 4),
    )
    guide = published_item(
        kind=ItemKind.GUIDE,
        title="Методические рекомендации по курсовому проектированию",
        author=people["mo_head"],
        direction=world.directions[6],
        level=Level.COLLEGE,
        date=world.past_year.start + 30 * DAY,
        results="Пособие используется в трёх группах",
        published_at=now - 90 * DAY,
        downloads=(20,),
    )
    outside = published_item(
        kind=ItemKind.PUBLICATION,
        title="Бережливые технологии в колледже",
        author=people["methodist"],
        is_external=True,
        external_authors="Петрова А.А., Сидоров Б.Б.",
        source="Региональный банк педагогического опыта",
        level=Level.FEDERAL,
        date=world.year.start + DAY,
        published_at=now - 40 * DAY,
    )
    draft = published_item(title="Черновик урока", author=people["teacher"], status=ItemStatus.DRAFT, published_at=None)
    return Catalogue(lesson, guide, outside, draft)


def pks(response) -> list[int]:
    return [item.pk for item in response.context["page"]]


# ---------------------------------------------------------------- the list


def test_the_catalogue_shows_published_items_newest_first(world):
    data = catalogue(world)
    response = client_for(world, "teacher").get(CATALOGUE)
    assert response.status_code == 200
    assert pks(response) == [data.lesson.pk, data.outside.pk, data.guide.pk]
    body = response.content.decode()
    assert data.draft.title not in body
    assert reverse("experience:item_detail", kwargs={"pk": data.lesson.pk}) in body
    assert reverse("experience:author", kwargs={"pk": world.people["mo_head"].pk}) in body


def test_a_card_says_what_the_item_is(world):
    data = catalogue(world)
    response = client_for(world, "deputy").get(CATALOGUE)
    cards = {item.pk: item for item in response.context["page"]}
    lesson, outside = cards[data.lesson.pk], cards[data.outside.pk]
    assert lesson.downloads_total == 7 and cards[data.guide.pk].downloads_total == 20 and outside.downloads_total == 0
    assert lesson.authors == [world.people["teacher"], world.people["mo_head"]]
    assert outside.authors == []  # the methodist who brought it in is not an author
    body = response.content.decode()
    assert "Петрова А.А., Сидоров Б.Б." in body and "Региональный банк педагогического опыта" in body
    assert world.association.name in body and str(world.directions[8]) in body
    assert "Исследовательская деятельность на уроках физики" in body  # the snippet: the start of the text
    assert reverse("experience:author", kwargs={"pk": world.people["methodist"].pk}) not in body


def test_the_outside_item_is_marked(world):
    catalogue(world)
    body = client_for(world, "teacher").get(CATALOGUE).content.decode()
    assert body.count('class="badge text-bg-warning"') == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda w: {"kind": ItemKind.GUIDE}, ["guide"]),
        (lambda w: {"direction": w.directions[8].pk}, ["lesson"]),
        (lambda w: {"association": w.association.pk}, ["lesson"]),
        (lambda w: {"level": Level.FEDERAL}, ["outside"]),
        (lambda w: {"year": w.year.pk}, ["lesson", "outside"]),
        (lambda w: {"year": w.past_year.pk}, ["guide"]),
        (lambda w: {"author": w.people["mo_head"].pk}, ["lesson", "guide"]),
        (lambda w: {"author": w.people["teacher"].pk}, ["lesson"]),
        (lambda w: {"origin": "outside"}, ["outside"]),
        (lambda w: {"origin": "college"}, ["lesson", "guide"]),
        (lambda w: {"origin": "college", "year": w.year.pk, "level": Level.REGIONAL}, ["lesson"]),
        (lambda w: {"kind": ItemKind.CONTEST}, []),
    ],
)
def test_the_filters(world, params, expected):
    data = catalogue(world)
    response = client_for(world, "teacher").get(CATALOGUE, params(world))
    assert pks(response) == [getattr(data, name).pk for name in expected]
    assert response.context["filter"].filtered


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("new", ["lesson", "outside", "guide"]),
        ("old", ["guide", "outside", "lesson"]),
        ("published", ["lesson", "outside", "guide"]),
        ("title", ["outside", "guide", "lesson"]),  # Б, М, О
        ("downloads", ["guide", "lesson", "outside"]),
        ("relevance", ["lesson", "outside", "guide"]),  # no search: the newest first
        ("nonsense", ["lesson", "outside", "guide"]),
    ],
)
def test_the_orders(world, sort, expected):
    data = catalogue(world)
    response = client_for(world, "teacher").get(CATALOGUE, {"sort": sort})
    assert response.status_code == 200
    assert pks(response) == [getattr(data, name).pk for name in expected]


def test_the_title_order_ignores_case(world):
    catalogue(world)
    published_item(title="а что, если урок?", author=world.people["teacher"])
    published_item(title="Яркий урок", author=world.people["teacher"])
    published_item(title="ёмкий урок", author=world.people["teacher"])
    response = client_for(world, "teacher").get(CATALOGUE, {"sort": "title"})
    titles = [item.title[0] for item in response.context["page"]]
    assert titles == ["а", "Б", "ё", "М", "О", "Я"]  # «ё» as «е»


def test_new_this_month_lists_the_last_thirty_days(world):
    data = catalogue(world)
    recent = published_item(title="Мастер-класс", author=world.people["teacher"], published_at=timezone.now() - DAY)
    response = client_for(world, "teacher").get(CATALOGUE, {"period": "month"})
    assert pks(response) == [recent.pk, data.lesson.pk]  # recently published first
    assert response.context["filter"].new_this_month
    edge = published_item(title="На границе", author=world.people["teacher"], published_at=timezone.now() - 31 * DAY)
    assert edge.pk not in pks(client_for(world, "teacher").get(CATALOGUE, {"period": "month"}))


def test_new_this_month_when_nothing_is_new(world):
    data = catalogue(world)
    ExperienceItem.objects.filter(pk=data.lesson.pk).update(published_at=timezone.now() - 60 * DAY)
    response = client_for(world, "teacher").get(CATALOGUE, {"period": "month"})
    assert pks(response) == []
    assert not response.context["catalogue_empty"]
    assert reverse("experience:catalogue") in response.content.decode()


def test_paging(world):
    for number in range(25):
        published_item(title=f"Урок {number:02}", author=world.people["teacher"], date=world.year.start + number * DAY)
    client = client_for(world, "teacher")
    assert len(client.get(CATALOGUE).context["page"]) == 20
    second = client.get(CATALOGUE, {"page": 2})
    assert [item.title for item in second.context["page"]] == [f"Урок {n:02}" for n in range(4, -1, -1)]
    assert client.get(CATALOGUE, {"page": "abc"}).context["page"].number == 1
    assert client.get(CATALOGUE, {"page": 999}).context["page"].number == 2


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "bogus"},
        {"direction": "abc"},
        {"direction": "99999999999999999999"},
        {"association": "99999999999999999999"},
        {"association": "-1"},
        {"year": "1e50"},
        {"author": "99999999999999999999"},
        {"author": "1; DROP TABLE structure_person"},
        {"origin": "both"},
        {"period": "year"},
        {"sort": "-date"},
        {"page": "-1"},
        {"kind": ["guide", "open_lesson"]},
        {"q": ["урок", "физика"]},
    ],
)
def test_bad_parameters_answer_normally(world, params):
    catalogue(world)
    client = client_for(world, "teacher")
    assert client.get(CATALOGUE, params).status_code == 200
    assert client.get(EXPORT, params).status_code == 200


def test_an_unknown_filter_value_is_left_out_and_said(world):
    catalogue(world)
    response = client_for(world, "teacher").get(CATALOGUE, {"author": world.people["methodist"].pk, "level": "federal"})
    form = response.context["filter"].form
    assert "author" in form.errors  # the methodist authored nothing: brought in outside experience only
    assert [item.level for item in response.context["page"]] == [Level.FEDERAL]
    assert "<details" in response.content.decode() and " open>" in response.content.decode()


def test_the_empty_catalogue(world):
    response = client_for(world, "teacher").get(CATALOGUE)
    assert response.context["catalogue_empty"]
    response = client_for(world, "teacher").get(CATALOGUE, {"q": "урок"})
    assert response.context["catalogue_empty"]


def test_a_search_with_no_results_is_not_an_empty_catalogue(world):
    catalogue(world)
    response = client_for(world, "teacher").get(CATALOGUE, {"q": "квантовая хромодинамика", "kind": ItemKind.GUIDE})
    assert pks(response) == []
    assert not response.context["catalogue_empty"]
    assert "квантовая хромодинамика" in response.content.decode()


def test_a_title_with_markup_is_escaped(world):
    published_item(
        title='<script>alert("x")</script> Урок <img src=x onerror=alert(1)>', author=world.people["teacher"]
    )
    for params in ({}, {"q": "урок"}, {"q": "script"}):
        body = client_for(world, "teacher").get(CATALOGUE, params).content.decode()
        assert '<script>alert("x")' not in body and "<img src=x" not in body
        if "q" not in params or params["q"] == "урок":  # PostgreSQL's parser reads <script> as a tag, not a word
            assert "&lt;script&gt;" in body
    body = client_for(world, "teacher").get(reverse("experience:author", args=[world.people["teacher"].pk]))
    assert "<img src=x" not in body.content.decode()


def test_the_search_keeps_the_filters(world):
    data = catalogue(world)
    client = client_for(world, "teacher")
    response = client.get(CATALOGUE, {"q": "урок", "origin": "college"})
    assert pks(response) == [data.lesson.pk]
    assert response.context["filter"].chosen_sort == selectors.RELEVANCE
    assert 'value="урок"' in response.content.decode()


# ---------------------------------------------------------------- the export


def rows(response) -> list[list]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_export_has_one_row_an_item(world):
    data = catalogue(world)
    table = rows(client_for(world, "methodist").get(EXPORT))
    assert len(table) == 4
    lesson = next(row for row in table[1:] if row[0] == data.lesson.title)
    assert lesson[2] == f"{world.people['teacher'].short_name}, {world.people['mo_head'].short_name}"
    assert lesson[3] == world.association.name and lesson[4] == str(world.directions[8])
    assert lesson[6].date() == data.lesson.date and lesson[7].date() == timezone.localdate(data.lesson.published_at)
    assert lesson[8] == 7 and lesson[9] is None
    outside = next(row for row in table[1:] if row[0] == data.outside.title)
    assert outside[2] == "Петрова А.А., Сидоров Б.Б." and outside[9] == "Региональный банк педагогического опыта"


def test_the_export_takes_the_page_filters_and_search(world):
    data = catalogue(world)
    client = client_for(world, "teacher")
    assert [row[0] for row in rows(client.get(EXPORT, {"kind": ItemKind.GUIDE}))[1:]] == [data.guide.title]
    assert [row[0] for row in rows(client.get(EXPORT, {"origin": "outside"}))[1:]] == [data.outside.title]
    assert [row[0] for row in rows(client.get(EXPORT, {"sort": "downloads"}))[1:]][0] == data.guide.title
    assert [row[0] for row in rows(client.get(EXPORT, {"q": "Электрические"}))[1:]] == [data.lesson.title]


def test_formula_looking_cells_stay_text(world):
    for title in ('=HYPERLINK("http://evil","x")', "+7 приёмов", "-1 ошибка", "@SUM(A1)"):
        published_item(title=title, author=world.people["teacher"])
    published_item(
        title="Внешний", author=world.people["methodist"], is_external=True, external_authors="=1+1", source="@cmd"
    )
    table = rows(client_for(world, "teacher").get(EXPORT))
    cells = [cell for row in table[1:] for cell in row if isinstance(cell, str)]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
    assert '\'=HYPERLINK("http://evil","x")' in cells and "'+7 приёмов" in cells and "'@cmd" in cells


# ---------------------------------------------------------------- an author's page


def author_page(world, role: str, person_key: str, **params):
    return client_for(world, role).get(reverse("experience:author", args=[world.people[person_key].pk]), params)


def test_an_authors_page_lists_their_items_as_author_and_co_author(world):
    data = catalogue(world)
    response = author_page(world, "teacher", "mo_head")
    assert response.status_code == 200
    assert pks(response) == [data.lesson.pk, data.guide.pk]
    counts = response.context["counts"]
    assert counts["total"] == 2
    assert counts["levels"] == [Level.COLLEGE.label, Level.REGIONAL.label]
    assert counts["rows"] == [(ItemKind.OPEN_LESSON.label, [0, 1], 1), (ItemKind.GUIDE.label, [1, 0], 1)]
    assert counts["totals"] == [1, 1]


def test_drafts_and_outside_items_are_not_an_authors_items(world):
    data = catalogue(world)
    assert pks(author_page(world, "mo_head", "teacher")) == [data.lesson.pk]
    response = author_page(world, "director", "methodist")
    assert pks(response) == [] and response.context["counts"]["total"] == 0
    assert response.status_code == 200


def test_an_unknown_person_is_404(world):
    client = client_for(world, "teacher")
    assert client.get(reverse("experience:author", args=[999999])).status_code == 404
    assert client.get("/experience/catalogue/authors/99999999999999999999/").status_code == 404


def test_the_researcher_gets_403_even_for_an_unknown_person(world):
    client = client_for(world, "researcher")
    assert client.get(reverse("experience:author", args=[999999])).status_code == 403


# ---------------------------------------------------------------- counts for reports


def test_catalogue_counts_by_kind_in_a_year(world):
    catalogue(world)
    counts = selectors.catalogue_counts(start=world.year.start, end=world.year.end)
    assert counts[ItemKind.OPEN_LESSON] == 1 and counts[ItemKind.PUBLICATION] == 0 and counts[ItemKind.GUIDE] == 0
    assert set(counts) == set(ItemKind.values)
    with_outside = selectors.catalogue_counts(start=world.year.start, end=world.year.end, include_external=True)
    assert with_outside[ItemKind.PUBLICATION] == 1
    assert selectors.catalogue_counts(start=world.past_year.start, end=world.past_year.end)[ItemKind.GUIDE] == 1


def test_no_results_offers_the_search_without_the_filters(world):
    catalogue(world)
    response = client_for(world, "teacher").get(
        CATALOGUE, {"q": "электрические", "kind": ItemKind.GUIDE, "sort": "title", "page": 2}
    )
    assert pks(response) == []
    without = response.context["without_filters"]
    assert without == "?q=%D1%8D%D0%BB%D0%B5%D0%BA%D1%82%D1%80%D0%B8%D1%87%D0%B5%D1%81%D0%BA%D0%B8%D0%B5&sort=title"
    assert f'href="{without.replace("&", "&amp;")}"' in response.content.decode()
    assert [i.pk for i in client_for(world, "teacher").get(CATALOGUE + without).context["page"]] == [
        catalogue_lesson_pk(world)
    ]


def catalogue_lesson_pk(world) -> int:
    return ExperienceItem.objects.get(title="Открытый урок «Электрические цепи»").pk


@pytest.mark.parametrize("role", ["admin", "director", "methodist", "teacher", "lab_head"])
def test_every_listed_item_opens_for_the_reader(world, role):
    """What the catalogue lists is what experience.view_item lets the reader open (the item's page)."""
    import rules

    catalogue(world)
    user = world.admin if role == "admin" else world.people[role].user
    listed = list(client_for(world, role).get(CATALOGUE).context["page"])
    assert listed and all(rules.has_perm("experience.view_item", user, item) for item in listed)
