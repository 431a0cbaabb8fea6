"""The catalogue's search: Russian full text on PostgreSQL (morphology, weights, websearch syntax, highlighted and
escaped snippets), the simple search on SQLite (every word, any case, Cyrillic included), and what a careless or
malicious query does (quotes, `%`, `_`, SQL, 1,000 characters, only spaces, NUL): plain results or none, never a 500.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from experience.selectors import catalogue as selectors
from structure.models import SystemRole
from tests.experience.catalogue_data import published_item
from tests.factories import PersonFactory, person_with_account

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search needs PostgreSQL")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the simple search runs on SQLite")
CATALOGUE = reverse("experience:catalogue")


def found(text: str, sort: str = selectors.RELEVANCE) -> list:
    queryset = selectors.search(selectors.catalogue_items(), text)
    return list(selectors.order(queryset, sort, searching=True))


def titles(text: str) -> list[str]:
    return [item.title for item in found(text)]


# ---------------------------------------------------------------- what the user typed


def test_the_search_text_is_cleaned_and_cut():
    assert selectors.clean_search("  открытый\x00 урок \t\n ") == ("открытый урок", False)
    assert selectors.clean_search(None) == ("", False)
    assert selectors.clean_search("   ") == ("", False)
    text, cut = selectors.clean_search("урок " * 200)
    assert cut and len(text) <= selectors.SEARCH_MAX_LENGTH
    assert selectors.clean_search("a\ue000b\u200bc") == ("a b c", False)


def test_the_words_of_a_query():
    assert selectors.search_terms('"Открытый урок" -лекция or семинар') == (["Открытый", "урок", "семинар"], ["лекция"])
    assert selectors.search_terms("урок УРОК Урок") == (["урок"], [])
    assert selectors.search_terms("100% _ ' ; --") == (["100", "_"], [])
    assert len(selectors.search_words(" ".join(f"слово{n}" for n in range(50)))) == selectors.SEARCH_MAX_WORDS


def test_a_snippet_is_escaped_and_only_the_marks_are_markup():
    snippet = selectors.simple_snippet("<script>alert(1)</script> Открытый урок & «уроки»", ["урок"])
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "<mark>урок</mark>" in snippet and "<mark>урок</mark>и" in snippet
    assert "&amp;" in snippet


def test_the_marks_stay_balanced_whatever_the_text_holds():
    start, stop = selectors.MARK_START, selectors.MARK_STOP
    assert selectors._marked(f"{stop}a{start}b{start}c") == "a<mark>bc</mark>"
    assert selectors._marked(f"<b>{start}x{stop}</b>") == "&lt;b&gt;<mark>x</mark>&lt;/b&gt;"
    assert selectors._marked(None) == ""


def test_a_snippet_is_cut_around_the_first_hit():
    text = "Вступление. " * 60 + "Главное: проектный урок. " + "Заключение. " * 60
    snippet = selectors.simple_snippet(text, ["урок"])
    assert "<mark>урок</mark>" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet) < selectors.SNIPPET_LENGTH + 40


def test_e_and_yo_are_one_letter_in_snippets():
    assert "<mark>ёлк</mark>" in selectors.simple_snippet("Новогодняя ёлка", ["елк"])


# ---------------------------------------------------------------- PostgreSQL: Russian full text


@on_postgresql
@pytest.mark.postgres
def test_a_word_finds_its_forms():
    published_item(title="Современные уроки информатики")
    published_item(title="Методика проведения уроков")
    published_item(title="Работа над уроком")
    published_item(title="Лекция по истории")
    assert sorted(titles("урок")) == [
        "Методика проведения уроков",
        "Работа над уроком",
        "Современные уроки информатики",
    ]
    assert sorted(titles("УРОКАМИ")) == sorted(titles("урок"))


@on_postgresql
@pytest.mark.postgres
def test_a_title_hit_ranks_above_a_results_hit():
    results_hit = published_item(title="Проектная деятельность", results="Уроки стали интереснее")
    topic_hit = published_item(title="Кейс-метод", topic="Кейсы на уроках экономики")
    title_hit = published_item(title="Открытый урок экономики")
    assert [item.pk for item in found("урок")] == [title_hit.pk, topic_hit.pk, results_hit.pk]
    ranks = [item.rank for item in found("урок")]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] > ranks[-1]


@on_postgresql
@pytest.mark.postgres
def test_authors_and_the_source_are_searched():
    co_author = PersonFactory(last_name="Стрельникова")
    by_co_author = published_item(title="Деловая игра", co_authors=(co_author,))
    outside = published_item(
        title="Наставничество", is_external=True, external_authors="Гладкова Е.П.", source="Журнал «СПО»"
    )
    assert [item.pk for item in found("Стрельникова")] == [by_co_author.pk]
    assert [item.pk for item in found("Гладкова")] == [outside.pk]
    assert [item.pk for item in found("журнал")] == [outside.pk]


@on_postgresql
@pytest.mark.postgres
def test_the_websearch_syntax():
    open_lesson = published_item(title="Открытый урок математики")
    lesson = published_item(title="Урок с открытым финалом")
    seminar = published_item(title="Семинар наставников")
    assert [item.pk for item in found('"открытый урок"')] == [open_lesson.pk]
    assert {item.pk for item in found("урок -математики")} == {lesson.pk}
    assert {item.pk for item in found("математика or семинар")} == {open_lesson.pk, seminar.pk}


@on_postgresql
@pytest.mark.postgres
def test_headlines_mark_the_forms_and_escape_the_text():
    published_item(
        title="<script>alert(1)</script> Уроки & игры",
        results="Ученики на уроках <b>работают</b> в группах.",
    )
    (item,) = found("урок")
    selectors.decorate([item], "урок")
    assert "<script>" not in item.title_html and "&lt;script&gt;" in item.title_html
    assert "<mark>Уроки</mark>" in item.title_html and "&amp;" in item.title_html
    assert "<mark>уроках</mark>" in item.snippet_html
    assert "<b>" not in item.snippet_html  # ts_headline's fragments leave tags out; the title keeps them, escaped


# ---------------------------------------------------------------- SQLite: every word, any case


@on_sqlite
def test_the_simple_search_ignores_case_cyrillic_included():
    lesson = published_item(title="Урок-исследование")
    upper = published_item(title="ПРАКТИКУМ", results="Серия УРОКОВ по физике")
    published_item(title="Лекция")
    assert {item.pk for item in found("урок")} == {lesson.pk, upper.pk}
    assert {item.pk for item in found("УРОК")} == {lesson.pk, upper.pk}
    assert [item.pk for item in found("практикум")] == [upper.pk]


@on_sqlite
def test_every_word_must_appear_and_minus_leaves_out():
    both = published_item(title="Урок физики", topic="Лабораторная работа")
    physics = published_item(title="Физика вокруг нас")
    published_item(title="Урок истории")
    assert [item.pk for item in found("физик урок")] == [both.pk]
    assert [item.pk for item in found("физик -урок")] == [physics.pk]


@on_sqlite
def test_the_simple_search_reads_authors_and_the_yo():
    co_author = PersonFactory(last_name="Семёнова")
    item = published_item(title="Деловая игра", co_authors=(co_author,))
    published_item(title="Другая игра")
    assert [i.pk for i in found("семенова")] == [item.pk]
    assert [i.pk for i in found("СЕМЁНОВА игра")] == [item.pk]


@on_sqlite
def test_percent_and_underscore_are_plain_characters():
    percent = published_item(title="Успеваемость 100% группы")
    underscore = published_item(title="Файл отчёт_2025")
    published_item(title="Отчёт за год")
    # A word of letters beside the digits: the factories' people are numbered, so «100» alone may be in a name.
    assert [i.pk for i in found("успеваемость 100%")] == [percent.pk]
    assert [i.pk for i in found("файл отчёт_2025")] == [underscore.pk]


@on_sqlite
def test_the_simple_rank_puts_title_hits_first():
    in_results = published_item(title="Проектная деятельность", results="Урок стал интереснее")
    in_title = published_item(title="Проектный урок", date=in_results.date - datetime.timedelta(days=365))
    assert [i.pk for i in found("урок")] == [in_title.pk, in_results.pk]


@on_sqlite
def test_the_simple_snippets_mark_every_word():
    published_item(title="Урок <i>физики</i>", results="На уроке физики ученики работали в парах.")
    (item,) = found("урок физик")
    selectors.decorate([item], "урок физик")
    assert item.title_html == "<mark>Урок</mark> &lt;i&gt;<mark>физик</mark>и&lt;/i&gt;"
    assert "<mark>урок</mark>е <mark>физик</mark>и" in item.snippet_html


# ---------------------------------------------------------------- through the page: never a 500

NASTY = [
    '"',
    '"урок',
    "'; DROP TABLE experience_experienceitem; --",
    "%",
    "_",
    "%_%",
    "\\",
    "урок & | ! : * ( ) <->",
    "or",
    "-",
    "- - -",
    "!!!",
    "<script>alert(1)</script>",
    "урок\x00физика",
    "\x00",
    "   ",
    "урок " * 200,
    "я" * 1000,
    "😀 урок",
    "SELECT * FROM auth_user",
]


@pytest.fixture
def staff_client(client):
    client.force_login(person_with_account("catalogue_reader", SystemRole.TEACHER).user)
    return client


@pytest.mark.parametrize("query", NASTY)
def test_no_query_is_an_error(staff_client, query):
    published_item(title="Урок физики <b>жирный</b>")
    response = staff_client.get(CATALOGUE, {"q": query, "sort": "relevance"})
    assert response.status_code == 200
    assert "<b>жирный</b>" not in response.content.decode()
    export = staff_client.get(reverse("experience:catalogue_xlsx"), {"q": query})
    assert export.status_code == 200


def test_a_long_query_is_cut_and_the_page_says_so(staff_client):
    published_item(title="Урок физики")
    response = staff_client.get(CATALOGUE, {"q": "урок " + "x" * 1000})
    assert response.status_code == 200
    assert response.context["filter"].search_cut
    assert len(response.context["filter"].search_text) <= selectors.SEARCH_MAX_LENGTH
    assert 'role="status">' in response.content.decode()


def test_only_spaces_is_no_search(staff_client):
    published_item(title="Урок физики")
    published_item(title="Лекция")
    response = staff_client.get(CATALOGUE, {"q": "    "})
    assert not response.context["filter"].searching
    assert response.context["page"].paginator.count == 2


def test_a_nul_character_is_dropped_not_refused(staff_client):
    item = published_item(title="Урок физики")
    response = staff_client.get(CATALOGUE, {"q": "урок\x00"})
    assert response.context["filter"].search_text == "урок"
    assert [i.pk for i in response.context["page"]] == [item.pk]


def test_the_page_finds_urok_for_urok(staff_client):
    item = published_item(title="Урок физики")
    published_item(title="Лекция")
    response = staff_client.get(CATALOGUE, {"q": "урок"})
    assert [i.pk for i in response.context["page"]] == [item.pk]
    assert "<mark>Урок</mark> физики" in response.content.decode()
