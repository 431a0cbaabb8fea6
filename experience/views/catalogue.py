"""Views of experience/: the methodological cabinet's catalogue of published experience items.

- `catalogue`: the published items as cards — title (to the item's page), kind, authors (outside experience: its
  authors and source, marked as such), association, level, date, direction, downloads and a snippet —, with the
  search (Russian full text on PostgreSQL, every word on SQLite: experience.selectors.catalogue), the filters and the
  order of experience.forms.catalogue, paged; the «New this month» tab (published in the last 30 days).
- `catalogue_xlsx`: the same list with the same query parameters as an XLSX table, every page, one row an item.
- `author`: a person's published items (author or co-author) with their counts by kind and level.

Everyone on the staff and the administrator (experience.rules.catalogue); an external researcher 403; an unknown
person 404. Bad query parameters never answer 500: the filter that cannot read its value is left out and says so.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from metodservice.common.viewtools import page as _page
from metodservice.common.viewtools import require as _require
from metodservice.common.xlsx import choice_label, in_chunks, xlsx_response
from structure.models import Person

from ..forms.catalogue import CatalogueFilter
from ..models import ExperienceItem, ItemKind, Level
from ..selectors import catalogue as selectors

#: Items on a page of the catalogue and of an author's page.
PAGE_SIZE = 20
#: The filters shown in the collapsible block (the search and the order stay in view).
FILTER_FIELDS = ("kind", "direction", "association", "level", "year", "author_name", "origin")
#: What «Clear the filters» drops: the filters, the chosen author (a hidden field) and the page number.
CLEARED = (*FILTER_FIELDS, "author", "page")
#: A cell that starts with one of these would be read as a formula by a spreadsheet: it gets an apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _catalogue_filter(request: HttpRequest) -> CatalogueFilter:
    return CatalogueFilter(request.GET, queryset=selectors.catalogue_items(), request=request)


def _without_filters(request: HttpRequest) -> str:
    """The page's address with the search and the order kept, the filters and the page number dropped."""
    params = request.GET.copy()
    for name in CLEARED:
        params.pop(name, None)
    return f"?{params.urlencode()}"


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    _require(request, "experience.view_catalogue")
    catalogue_filter = _catalogue_filter(request)
    catalogue_filter.set_choices()
    page = _page(request, catalogue_filter.qs, PAGE_SIZE)
    selectors.decorate(page, catalogue_filter.search_text)
    narrowed = catalogue_filter.searching or catalogue_filter.filtered or catalogue_filter.new_this_month
    return render(
        request,
        "experience/catalogue/catalogue.html",
        {
            "filter": catalogue_filter,
            "filter_fields": [catalogue_filter.form[name] for name in FILTER_FIELDS],
            "page": page,
            "new_days": selectors.NEW_DAYS,
            "search_max_length": selectors.SEARCH_MAX_LENGTH,
            "without_filters": _without_filters(request),
            # Only asked when the page is empty: is the catalogue itself empty, or only this search?
            "catalogue_empty": not page.object_list and not (narrowed and ExperienceItem.objects.published().exists()),
        },
    )


def _text(value: str | None) -> str:
    """A user's text as a cell: never read as a formula."""
    value = value or ""
    return "'" + value if value.startswith(FORMULA_START) else value


def catalogue_headers() -> list[str]:
    return [
        pgettext("experience item", "Title"),
        _("Kind"),
        _("Authors"),
        _("Subject association"),
        _("Work direction"),
        pgettext("experience item", "Level"),
        _("Date"),
        _("Published on"),
        _("Downloads"),
        _("Outside experience: source"),
    ]


_kind, _level = choice_label("kind", ItemKind), choice_label("level", Level)
#: What catalogue_table_rows reads of an item: its texts and its search vector stay in the database.
EXPORTED_FIELDS = (
    "title",
    "kind",
    "level",
    "date",
    "published_at",
    "is_external",
    "source",
    "external_authors",
    "author__last_name",
    "author__first_name",
    "author__patronymic",
    "association__name",
    "direction__code",
    "direction__name",
)


def catalogue_table_rows(items) -> Iterator[tuple]:
    """One row an item: title, kind, authors, association, direction, level, date, published on, downloads, source."""
    for item in items:
        published = timezone.localdate(item.published_at) if item.published_at else ""
        yield (
            _text(item.title),
            _kind(item),
            _text(selectors.authors_text(item)),
            _text(item.association.name if item.association else ""),
            _text(str(item.direction) if item.direction else ""),
            _level(item),
            item.date,
            published,
            item.downloads_total,
            _text(item.source) if item.is_external else "",
        )


@require_GET
def catalogue_xlsx(request: HttpRequest) -> HttpResponse:
    """The catalogue as filtered, searched and ordered on the page: the same query parameters, every page."""
    _require(request, "experience.export_catalogue")
    items = _catalogue_filter(request).qs
    return xlsx_response(
        f"Каталог_опыта_{timezone.localdate():%d.%m.%Y}.xlsx",
        sheet_title=_("Catalogue of experience"),
        headers=catalogue_headers(),
        rows=catalogue_table_rows(in_chunks(items.only(*EXPORTED_FIELDS))),
    )


@require_GET
def author(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "experience.view_author")
    person = get_object_or_404(Person.objects.select_related("position"), pk=pk)
    page = _page(request, selectors.authored_items(person.pk), PAGE_SIZE)
    selectors.decorate(page)
    return render(
        request,
        "experience/catalogue/author.html",
        {"person": person, "page": page, "counts": selectors.author_counts(person.pk)},
    )


urls: list[URLPattern] = [
    path("catalogue/", catalogue, name="catalogue"),
    path("catalogue/export/", catalogue_xlsx, name="catalogue_xlsx"),
    path("catalogue/authors/<int:pk>/", author, name="author"),
]
