"""Reads of the methodological cabinet's catalogue: the published experience items (ExperienceItem.objects.published()),
their search, order, highlighted snippets, an author's items and the counts for reports.

**Search.** `search(queryset, text)` keeps the items that match and annotates `rank`:

- *PostgreSQL*: full-text search with the `russian` configuration — the title weighs A, the topic and the authors'
  names (author, co-authors, outside authors) B, the relevance, novelty, results and the source C; the query is read
  by `websearch_to_tsquery` (quotes, `-word`, `or` are its syntax and never an error), ranked with `ts_rank`, and
  `decorate()` shows `ts_headline` snippets. Russian morphology: «урок» finds «уроки», «уроков», «уроком». The
  vector is computed by every query (the models hold no stored vector): measured on 2,000 items with co-authors
  (the page's count and rows, PostgreSQL 15, a loaded 2-core machine), 0.15 s a search that finds one item, 0.3 s
  one that finds them all, against 0.02 s for the page without a search. A college's catalogue of a few hundred
  items searches in a few tens of milliseconds; for thousands, a stored `SearchVectorField` with a GIN index
  (a model change) makes it a few milliseconds.
- *SQLite* (the quick start): every word of the query must appear somewhere in the same texts, and no «-word».
  SQLite's LOWER() and LIKE fold ASCII letters only, so the portal registers its own SQL functions on every SQLite
  connection: `metod_match` compares the folded texts (Python's casefold, «ё» read as «е») with the folded words and
  gives the rank (how many of the words the title holds), `metod_fold` orders titles. «урок» finds «Урок», «УРОКИ»;
  no morphology (a word is found where it is a part of the text: «урок» finds «уроков», «уроки» doesn't find
  «урок»). Measured on the same 2,000 items: 0.07–0.1 s a search page, against 0.05–0.06 s to fetch every item's
  texts and filter them in Python — close, and the SQL function keeps the count, the order (any of them) and the
  paging in the database, as on PostgreSQL.

What the user types is cleaned first (`clean_search`): control characters (NUL included) removed, spaces collapsed,
at most SEARCH_MAX_LENGTH characters (the page says when it cut the query). The words of the query are read by
`search_terms` for the simple search and the snippets: runs of letters and digits, matched as they are (`%`, `_`,
quotes and SQL are never syntax there).

**Snippets.** The highlighted parts are marked by the database (PostgreSQL: ts_headline with private-use characters as
the marks) or by a regular expression (SQLite); either way the item's own text is escaped and only the marks become
`<mark>` tags (`_marked`), balanced whatever the text holds.

Who sees the catalogue is experience.rules.catalogue's (everyone on the staff and the administrator).
"""

from __future__ import annotations

import datetime
import html
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import (
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from structure.models import Person

from ..models import ExperienceItem, ItemFile, ItemKind, Level

#: The longest search the catalogue takes; a longer one is cut (and the page says so).
SEARCH_MAX_LENGTH = 200
#: At most this many words of a query are read by the simple search (SQLite) and marked in snippets.
SEARCH_MAX_WORDS = 12
#: «New this month»: published in the last NEW_DAYS days (not the calendar month: the view is never empty on the 1st).
NEW_DAYS = 30
#: The characters of a snippet without a search (the start of the item's text).
SNIPPET_LENGTH = 240

#: The ways the catalogue is ordered; RELEVANCE only with a search.
NEWEST, OLDEST, RECENTLY_PUBLISHED, TITLE, DOWNLOADS, RELEVANCE = (
    "new",
    "old",
    "published",
    "title",
    "downloads",
    "relevance",
)

#: The marks a snippet's highlights get in the database's answer (private-use characters), turned into <mark> tags.
MARK_START, MARK_STOP = "\ue000", "\ue001"

Through = ExperienceItem.co_authors.through


# ---------------------------------------------------------------- the items


def _downloads() -> Coalesce:
    """The sum of the item's files' downloads, as a subquery (no join to multiply the rows)."""
    total = (
        ItemFile.objects.filter(item=OuterRef("pk"))
        .order_by()
        .values("item")
        .annotate(total=Sum("downloads"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


#: The separators of the co-authors' list annotated on an item (ASCII unit and record separators: never in a name).
UNIT_SEPARATOR, RECORD_SEPARATOR = "\x1f", "\x1e"


def _co_author_list() -> Coalesce:
    """The item's co-authors as one text, «id␟surname␟name␟patronymic» joined by ␞ (a subquery of the row's query:
    no prefetch, so a page and every chunk of the export read the co-authors with their items)."""
    entry = Concat(
        Cast("person_id", TextField()),
        Value(UNIT_SEPARATOR),
        F("person__last_name"),
        Value(UNIT_SEPARATOR),
        F("person__first_name"),
        Value(UNIT_SEPARATOR),
        F("person__patronymic"),
        output_field=TextField(),
    )
    rows = (
        Through.objects.filter(experienceitem_id=OuterRef("pk"))  # type: ignore[misc]
        .order_by()
        .values("experienceitem_id")
        .annotate(people=StringAgg(entry, Value(RECORD_SEPARATOR)))
        .values("people")
    )
    return Coalesce(Subquery(rows, output_field=TextField()), Value(""), output_field=TextField())


def co_authors_of(item: ExperienceItem) -> list[Person]:
    """The item's co-authors by surname: from `co_author_list` (catalogue_items) when annotated, else the database."""
    text = getattr(item, "co_author_list", None)
    if text is None:
        return list(item.co_authors.order_by("last_name", "first_name", "patronymic", "pk"))
    people = []
    for entry in text.split(RECORD_SEPARATOR) if text else ():
        pk, last_name, first_name, patronymic = (entry.split(UNIT_SEPARATOR) + ["", "", ""])[:4]
        people.append(Person(pk=int(pk), last_name=last_name, first_name=first_name, patronymic=patronymic))
    return sorted(people, key=lambda person: (person.last_name, person.first_name, person.patronymic, person.pk))


def catalogue_items() -> QuerySet[ExperienceItem]:
    """The published items with what a card shows: the author, the association, the direction, `co_author_list`
    (co_authors_of reads it) and `downloads_total`. Two queries for a page (count, rows), and one for any number of
    rows of the export."""
    return (
        ExperienceItem.objects.published()
        .select_related("author", "association", "direction")
        .annotate(downloads_total=_downloads(), co_author_list=_co_author_list())
    )


def coauthored_by(person_id: int) -> QuerySet:
    """The ids of the items `person_id` is a co-author of (a subquery)."""
    return Through.objects.filter(person_id=person_id).values("experienceitem_id")


def by_author(queryset: QuerySet[ExperienceItem], person_id: int) -> QuerySet[ExperienceItem]:
    """The college's own items of which the person is the author or a co-author. An outside item's `author` is the
    methodist who brought it in, not an author: outside items are left out."""
    written = ExperienceItem.objects.filter(author_id=person_id).values("pk").union(coauthored_by(person_id))
    return queryset.filter(is_external=False, pk__in=written)  # a UNION of index reads, not an OR over every item


def authored_items(person_id: int) -> QuerySet[ExperienceItem]:
    """The person's published items (author or co-author), the newest first: the author page, and what the
    attestation portfolio reads."""
    return by_author(catalogue_items(), person_id).order_by("-date", "-pk")


def author_counts(person_id: int) -> dict:
    """The person's published items counted by kind and level, in one query:
    {"rows": [(kind label, [count per level], total)], "levels": [level labels], "totals": [per level], "total": n}
    with the kinds and levels that have items only."""
    counts: Counter = Counter()
    for kind, level, number in (
        by_author(ExperienceItem.objects.published(), person_id)
        .order_by()
        .values_list("kind", "level")
        .annotate(number=Count("pk"))
    ):
        counts[(kind, level)] += number
    kinds = [kind for kind in ItemKind if any(k == kind for k, _level in counts)]
    levels = [level for level in Level if any(lv == level for _kind, lv in counts)]
    rows = [
        (kind.label, [counts[(kind, level)] for level in levels], sum(counts[(kind, level)] for level in levels))
        for kind in kinds
    ]
    return {
        "rows": rows,
        "levels": [level.label for level in levels],
        "totals": [sum(counts[(kind, level)] for kind in kinds) for level in levels],
        "total": sum(counts.values()),
    }


def authors_for_filter() -> QuerySet[Person]:
    """The people the author filter offers: authors and co-authors of the college's published items."""
    published = ExperienceItem.objects.published().filter(is_external=False)
    return Person.objects.filter(
        Q(pk__in=published.values("author_id"))
        | Q(pk__in=Through.objects.filter(experienceitem__in=published).values("person_id"))
    ).order_by("last_name", "first_name", "patronymic", "pk")


SURNAME_MAX_LENGTH = 100


def by_surname(queryset: QuerySet[ExperienceItem], text: str) -> QuerySet[ExperienceItem]:
    """The items with an author or co-author whose surname starts with `text` (any case), and the outside items
    whose authors' line holds it. SQLite folds only ASCII letters: the text is also tried as a capitalised word."""
    text = " ".join(text.split())[:SURNAME_MAX_LENGTH]
    if not text:
        return queryset
    capital = text[:1].upper() + text[1:].lower()
    people = Person.objects.filter(Q(last_name__istartswith=text) | Q(last_name__startswith=capital)).values("pk")
    own = Q(is_external=False) & (
        Q(author_id__in=people) | Q(pk__in=Through.objects.filter(person_id__in=people).values("experienceitem_id"))
    )
    outside = Q(is_external=True) & (Q(external_authors__icontains=text) | Q(external_authors__contains=capital))
    return queryset.filter(own | outside)


def published_within(queryset: QuerySet[ExperienceItem], *, days: int = NEW_DAYS) -> QuerySet[ExperienceItem]:
    """«New this month»: published in the last `days` days, up to now."""
    return queryset.filter(published_at__gte=timezone.now() - datetime.timedelta(days=days))


def in_period(queryset: QuerySet[ExperienceItem], start: datetime.date, end: datetime.date) -> QuerySet:
    """The items dated within [start, end] (an academic year)."""
    return queryset.filter(date__gte=start, date__lte=end)


def catalogue_counts(*, start: datetime.date, end: datetime.date, include_external: bool = False) -> dict[str, int]:
    """Published items dated within [start, end] by kind, {kind: count} with every kind (0 when none), for the
    dashboard and the annual report. One query."""
    queryset = in_period(ExperienceItem.objects.published(), start, end)
    if not include_external:
        queryset = queryset.filter(is_external=False)
    found = dict(queryset.order_by().values_list("kind").annotate(number=Count("pk")))
    return {kind.value: found.get(kind.value, 0) for kind in ItemKind}


# ---------------------------------------------------------------- the search text

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ue000\ue001]")


def clean_search(text: str | None) -> tuple[str, bool]:
    """What the user typed, as searched: control and invisible characters (NUL included) removed, spaces collapsed,
    at most SEARCH_MAX_LENGTH characters. Returns (text, cut): `cut` when it was longer."""
    text = " ".join(_CONTROL.sub(" ", text or "").split())
    if len(text) <= SEARCH_MAX_LENGTH:
        return text, False
    return text[:SEARCH_MAX_LENGTH].rstrip(), True


_WORD = re.compile(r"\w+", re.UNICODE)


def search_terms(text: str) -> tuple[list[str], list[str]]:
    """The words a query asks for and the words it excludes («-word»), as the simple search and the snippets read
    them: runs of letters and digits (quotes and «or» of the websearch syntax are punctuation here), each once, at
    most SEARCH_MAX_WORDS in all."""
    wanted: list[str] = []
    unwanted: list[str] = []
    seen: set[str] = set()
    for token in text.split():
        excluded = token.startswith("-")
        for word in _WORD.findall(token):
            key = fold(word)
            if key in seen or key == "or" or len(wanted) + len(unwanted) >= SEARCH_MAX_WORDS:
                continue
            seen.add(key)
            (unwanted if excluded else wanted).append(word)
    return wanted, unwanted


def search_words(text: str) -> list[str]:
    """The words a query looks for (search_terms), the ones a snippet marks."""
    return search_terms(text)[0]


def fold(value):
    """Text compared without case: Python's casefold, «ё» as «е». Registered in SQLite as metod_fold."""
    if not isinstance(value, str):
        return value
    return value.casefold().replace("ё", "е")


#: Between the words of a query passed to metod_match (never inside a word: words are runs of letters and digits).
WORD_SEPARATOR = "\x1f"


def match(wanted: str, unwanted: str, title: str | None, *texts: str | None) -> int:
    """The simple search of one item, as SQLite's metod_match: 0 unless every wanted word (folded, WORD_SEPARATOR
    between them) is a part of the title or one of the texts and no unwanted word is; else 1 + how many wanted words
    the title holds (the rank)."""
    haystack = fold(" ".join(text for text in (title, *texts) if text))
    wanted_words = [word for word in (wanted or "").split(WORD_SEPARATOR) if word]
    unwanted_words = [word for word in (unwanted or "").split(WORD_SEPARATOR) if word]
    if any(word not in haystack for word in wanted_words) or any(word in haystack for word in unwanted_words):
        return 0
    folded_title = fold(title or "")
    return 1 + sum(word in folded_title for word in wanted_words)


FOLD_FUNCTION, MATCH_FUNCTION = "metod_fold", "metod_match"


def _register_functions(sender=None, connection=None, **kwargs) -> None:
    if connection is not None and connection.vendor == "sqlite":
        connection.connection.create_function(FOLD_FUNCTION, 1, fold, deterministic=True)
        connection.connection.create_function(MATCH_FUNCTION, -1, match, deterministic=True)


connection_created.connect(_register_functions, dispatch_uid="experience.catalogue.functions")


def _functions_ready(alias: str) -> None:
    """metod_fold and metod_match on the SQLite connection `alias` (one opened before this module was imported gets
    them now)."""
    connection = connections[alias]
    connection.ensure_connection()
    _register_functions(connection=connection)


class Fold(Func):
    """Text without case, «ё» as «е»: metod_fold(text) on SQLite; on PostgreSQL, which lowers every alphabet, LOWER
    and REPLACE."""

    function = FOLD_FUNCTION
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="REPLACE(LOWER(%(expressions)s), 'ё', 'е')", **extra_context)


# ---------------------------------------------------------------- search


def _person_name(prefix: str) -> Concat:
    return Concat(
        F(f"{prefix}last_name"),
        Value(" "),
        F(f"{prefix}first_name"),
        Value(" "),
        F(f"{prefix}patronymic"),
        output_field=TextField(),
    )


def _co_author_names() -> Coalesce:
    """The co-authors' full names, one text (a subquery)."""
    names = (
        Through.objects.filter(experienceitem_id=OuterRef("pk"))  # type: ignore[misc]  # the stubs miss `names`
        .order_by()
        .values("experienceitem_id")
        .annotate(names=StringAgg(_person_name("person__"), Value(" ")))
        .values("names")
    )
    return Coalesce(Subquery(names, output_field=TextField()), Value(""), output_field=TextField())


def _body() -> Concat:
    """The item's own text a snippet is cut from: topic, relevance, novelty, results."""
    parts: list = []
    for name in ("topic", "relevance", "novelty", "results"):
        parts += [F(name), Value(" ")]
    return Concat(*parts[:-1], output_field=TextField())


def search(queryset: QuerySet[ExperienceItem], text: str) -> QuerySet[ExperienceItem]:
    """The items of `queryset` that match `text` (cleaned by clean_search), annotated with `rank`; on PostgreSQL
    also `title_headline` and `body_headline` for decorate(). An empty query leaves the queryset as it is."""
    wanted, unwanted = search_terms(text)
    if not wanted and not unwanted:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        return _search_postgresql(queryset, text)
    return _search_simple(queryset, wanted, unwanted)


def _search_postgresql(queryset: QuerySet[ExperienceItem], text: str) -> QuerySet[ExperienceItem]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    # The stored, GIN-indexed vector (kept by the triggers of experience.services.search).
    config = "russian"
    query = SearchQuery(text, config=config, search_type="websearch")
    headlines: dict[str, Any] = {"config": config, "start_sel": MARK_START, "stop_sel": MARK_STOP}
    return queryset.filter(search_vector=query).annotate(
        rank=SearchRank(F("search_vector"), query),
        title_headline=SearchHeadline("title", query, highlight_all=True, **headlines),
        body_headline=SearchHeadline(
            _body(), query, max_words=35, min_words=15, max_fragments=2, fragment_delimiter=" … ", **headlines
        ),
    )


def _search_simple(
    queryset: QuerySet[ExperienceItem], wanted: list[str], unwanted: list[str]
) -> QuerySet[ExperienceItem]:
    _functions_ready(queryset.db)
    score = Func(
        Value(WORD_SEPARATOR.join(fold(word) for word in wanted)),
        Value(WORD_SEPARATOR.join(fold(word) for word in unwanted)),
        F("title"),
        F("topic"),
        F("relevance"),
        F("novelty"),
        F("results"),
        F("source"),
        F("external_authors"),
        F("author__last_name"),
        F("author__first_name"),
        F("author__patronymic"),
        _co_author_names(),
        function=MATCH_FUNCTION,
        output_field=IntegerField(),
    )
    return queryset.annotate(rank=score).filter(rank__gt=0)


# ---------------------------------------------------------------- order


def order(queryset: QuerySet[ExperienceItem], sort: str, *, searching: bool) -> QuerySet[ExperienceItem]:
    """The items in the order asked for; by relevance only when searching (else the newest first)."""
    if sort == RELEVANCE and searching:
        return queryset.order_by(F("rank").desc(), "-date", "-pk")
    if sort == OLDEST:
        return queryset.order_by("date", "pk")
    if sort == RECENTLY_PUBLISHED:
        return queryset.order_by(F("published_at").desc(nulls_last=True), "-pk")
    if sort == TITLE:
        if connections[queryset.db].vendor == "sqlite":
            _functions_ready(queryset.db)
        return queryset.order_by(Fold("title"), "pk")
    if sort == DOWNLOADS:
        return queryset.order_by(F("downloads_total").desc(), "-date", "-pk")
    return queryset.order_by("-date", "-pk")


# ---------------------------------------------------------------- snippets


def _marked(text: str | None) -> SafeString:
    """Text with the database's highlight marks: escaped, each mark a <mark> tag, always balanced."""
    out, open_ = [], False
    for piece in re.split(f"([{MARK_START}{MARK_STOP}])", text or ""):
        if piece == MARK_START:
            if not open_:
                out.append("<mark>")
                open_ = True
        elif piece == MARK_STOP:
            if open_:
                out.append("</mark>")
                open_ = False
        else:
            out.append(html.escape(piece, quote=False))
    if open_:
        out.append("</mark>")
    return mark_safe("".join(out))  # every piece of the text is escaped above


def _pattern(words: Iterable[str]) -> re.Pattern | None:
    """A pattern that finds any of the words, case-insensitively, «е» and «ё» alike."""
    alternatives = []
    for word in sorted(set(words), key=len, reverse=True):
        escaped = re.escape(word)
        alternatives.append(re.sub("[её]", "[её]", escaped, flags=re.IGNORECASE))
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def _highlighted(text: str, pattern: re.Pattern | None) -> str:
    """Text with MARK_START/MARK_STOP around every match of `pattern` (then _marked escapes it)."""
    text = text.replace(MARK_START, "").replace(MARK_STOP, "")
    if pattern is None:
        return text
    return pattern.sub(lambda match: f"{MARK_START}{match.group(0)}{MARK_STOP}", text)


def _cut(text: str, start: int, length: int = SNIPPET_LENGTH) -> str:
    """About `length` characters of `text` from around `start`, cut at spaces, «…» where it was cut."""
    begin = max(0, start - length // 3)
    if begin:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < start else begin
    end = begin + length
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > start else end
    piece = text[begin:end].strip()
    return ("… " if begin else "") + piece + (" …" if end < len(text) else "")


def _plain_body(item: ExperienceItem) -> str:
    return " ".join(part for part in (item.topic, item.relevance, item.novelty, item.results) if part)


def simple_snippet(text: str, words: list[str]) -> SafeString:
    """The part of `text` around the first of the words, the words marked; the start of the text without a hit."""
    text = " ".join(text.split())
    pattern = _pattern(words)
    match = pattern.search(text) if pattern else None
    return _marked(_highlighted(_cut(text, match.start() if match else 0), pattern))


def decorate(items: Iterable[Any], text: str = "") -> None:
    """Set `title_html` and `snippet_html` (escaped, the search's words marked) and `authors` on the items of a page."""
    words = search_words(text)
    pattern = _pattern(words)
    for item in items:
        item.authors = [] if item.is_external else [item.author, *co_authors_of(item)]
        headline = getattr(item, "title_headline", None)
        if headline is not None:
            item.title_html = _marked(headline)
            body = getattr(item, "body_headline", "") or ""
            item.snippet_html = _marked(body) if body.strip() else simple_snippet(_plain_body(item), [])
        else:
            item.title_html = _marked(_highlighted(item.title, pattern))
            item.snippet_html = simple_snippet(_plain_body(item), words)


# ---------------------------------------------------------------- the export


def authors_text(item: ExperienceItem) -> str:
    """The authors as a line: the college's people (author, co-authors) or, outside experience, its authors."""
    if item.is_external:
        return item.external_authors
    return ", ".join(person.short_name for person in [item.author, *co_authors_of(item)])
