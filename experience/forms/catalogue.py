"""The catalogue's search, filters and order (django-filter). The XLSX export (experience:catalogue_xlsx) takes the same
query parameters as the page.

- `q`: the search (experience.selectors.catalogue.search); cleaned by clean_search — control characters removed, cut
  at SEARCH_MAX_LENGTH characters (`search_cut` says so) —, never refused.
- `kind`, `direction`, `association`, `level`, `year` (the item's date within the academic year), `author_name` (an
  author's or co-author's surname, or a part of an outside item's authors), `author` (a person's id: the author page's
  link «search among these items»; a hidden field, shown as a removable badge — a picker of every author would list
  thousands of people at a region's scale), `origin` (the college's own or outside experience), `period=month`
  (published in the last 30 days: the «New this month» tab).
- The choices of the direction, association and year filters are read in one query (`set_choices`).
- `sort`: newest, oldest, recently published, title, most downloaded, and relevance when searching (its default then).

A value the form refuses (an unknown id, a word where a number goes) leaves that filter out and shows its error; the
other filters still apply.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import BigIntegerField, CharField, Exists, F, IntegerField, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from planning.filters import UnitFilter
from planning.models import AcademicYear, WorkDirection
from structure.models import ASSOCIATION_KINDS, Unit

from ..models import ExperienceItem, ItemKind, ItemStatus, Level
from ..selectors import catalogue as selectors

SORT_CHOICES = [
    (selectors.RELEVANCE, _("relevance")),
    (selectors.NEWEST, _("newest first")),
    (selectors.OLDEST, _("oldest first")),
    (selectors.RECENTLY_PUBLISHED, _("recently published")),
    (selectors.TITLE, pgettext_lazy("experience item", "title")),
    (selectors.DOWNLOADS, _("most downloaded")),
]
INTERNAL, EXTERNAL = "college", "outside"
ORIGIN_CHOICES = [(INTERNAL, _("the college's own experience")), (EXTERNAL, _("outside experience"))]
MONTH = "month"
#: Between an association's name and its kind in the choices' query (ASCII unit separator: never in a name).
SEPARATOR = "\x1f"


class SearchField(forms.CharField):
    """The search text, cleaned and cut to SEARCH_MAX_LENGTH characters instead of refused: a search is never an
    error. `cut` tells that it was cut."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
        super().__init__(required=False, **kwargs)
        self.validators = []  # NUL characters are removed by to_python, not refused
        self.cut = False

    def to_python(self, value):
        text, self.cut = selectors.clean_search(value if isinstance(value, str) else "")
        return text


def _associations(request):
    return (
        Unit.objects.filter(kind__in=ASSOCIATION_KINDS, experience_items__status=ItemStatus.PUBLISHED)
        .distinct()
        .order_by("name", "pk")
    )


def _authors(request):
    return selectors.authors_for_filter()


class CatalogueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search the catalogue"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ItemKind.choices, empty_label=_("all"))
    direction = django_filters.ModelChoiceFilter(
        label=_("Work direction"), queryset=WorkDirection.objects.order_by("code"), empty_label=_("all")
    )
    association = UnitFilter(label=_("Subject association"), queryset=_associations, empty_label=_("all"))
    level = django_filters.ChoiceFilter(
        label=pgettext_lazy("experience item", "Level"), choices=Level.choices, empty_label=_("all")
    )
    year = django_filters.ModelChoiceFilter(
        label=_("Academic year"),
        queryset=AcademicYear.objects.order_by("-start"),
        empty_label=_("all"),
        method="filter_year",
    )
    author_name = django_filters.CharFilter(
        label=_("Author's surname"),
        method="filter_author_name",
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "maxlength": selectors.SURNAME_MAX_LENGTH}
        ),
    )
    author = django_filters.ModelChoiceFilter(
        label=_("Author"), queryset=_authors, method="filter_author", widget=forms.HiddenInput
    )
    origin = django_filters.ChoiceFilter(
        label=_("Origin"), choices=ORIGIN_CHOICES, empty_label=_("all"), method="filter_origin"
    )
    period = django_filters.ChoiceFilter(
        label=_("Period"), choices=[(MONTH, _("new this month"))], method="filter_period", widget=forms.HiddenInput
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, empty_label=None, method="filter_nothing"
    )

    class Meta:
        model = ExperienceItem
        fields: list[str] = []  # every filter is declared above

    def __init__(self, data=None, *args, **kwargs):
        """`data`: the query parameters (the request's GET). The order is always set: the one asked for when it
        applies, else relevance when searching, else the newest first (recently published in «New this month»)."""
        data = data.copy() if data is not None else QueryDict(mutable=True)
        searching = any(selectors.search_terms(selectors.clean_search(data.get("q"))[0]))
        sort = data.get("sort")
        if sort not in dict(SORT_CHOICES) or (sort == selectors.RELEVANCE and not searching):
            if searching:
                data["sort"] = selectors.RELEVANCE
            else:
                data["sort"] = selectors.RECENTLY_PUBLISHED if data.get("period") == MONTH else selectors.NEWEST
        super().__init__(data, *args, **kwargs)
        self.form.fields["q"] = SearchField(label=self.filters["q"].label)
        self.form.fields["sort"].required = False
        if not searching:
            self.form.fields["sort"].choices = [c for c in SORT_CHOICES if c[0] != selectors.RELEVANCE]

    # ------------------------------------------------------------ the filters

    def filter_search(self, queryset, name, value):
        return queryset  # applied last, in filter_queryset: the order depends on it

    def filter_year(self, queryset, name, value):
        return selectors.in_period(queryset, value.start, value.end)

    def filter_author(self, queryset, name, value):
        return selectors.by_author(queryset, value.pk)

    def filter_author_name(self, queryset, name, value):
        return selectors.by_surname(queryset, value)

    def filter_origin(self, queryset, name, value):
        return queryset.filter(is_external=value == EXTERNAL)

    def filter_period(self, queryset, name, value):
        return selectors.published_within(queryset) if value == MONTH else queryset

    def filter_nothing(self, queryset, name, value):
        return queryset  # the order: filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        queryset = selectors.search(queryset, self.search_text)
        return selectors.order(queryset, self.chosen_sort, searching=self.searching)

    # ------------------------------------------------------------ what the page shows

    def _cleaned(self, name: str):
        self.form.is_valid()
        return self.form.cleaned_data.get(name)

    @property
    def search_text(self) -> str:
        return self._cleaned("q") or ""

    @property
    def search_cut(self) -> bool:
        self.search_text  # noqa: B018  (cleans the form)
        return bool(self.form.fields["q"].cut)

    @property
    def searching(self) -> bool:
        wanted, unwanted = selectors.search_terms(self.search_text)
        return bool(wanted or unwanted)

    @property
    def chosen_sort(self) -> str:
        """The order (set in __init__ when the request names none or one that doesn't apply)."""
        return self._cleaned("sort") or selectors.NEWEST

    @property
    def new_this_month(self) -> bool:
        return self._cleaned("period") == MONTH

    @property
    def filtered(self) -> bool:
        """Any filter beyond the search, the period and the order is set."""
        return any(
            self._cleaned(name) not in (None, "")
            for name in ("kind", "direction", "association", "level", "year", "author", "author_name", "origin")
        )

    @property
    def chosen_author(self):
        """The person of `author` when valid (the badge above the list), else None."""
        return self._cleaned("author")

    def set_choices(self) -> None:
        """The options of the direction, association and year filters, read in one query (a UNION of the three
        lists) instead of one each; a chosen value is still checked against the filter's own queryset."""
        text, number = CharField(), IntegerField()

        def listed(queryset, group: int, label, key):
            # every column an annotation, so that the three SELECTs list them in the same order
            return (
                queryset.order_by()
                .annotate(
                    list_group=Value(group, output_field=number),
                    list_pk=Cast("pk", BigIntegerField()),
                    list_label=Cast(label, text),
                    list_key=Cast(key, text),
                )
                .values_list("list_group", "list_pk", "list_label", "list_key")
            )

        published = ExperienceItem.objects.published().filter(association_id=OuterRef("pk"))
        parts = [
            listed(WorkDirection.objects, 0, Concat(F("code"), Value(". "), F("name"), output_field=text), "code"),
            listed(AcademicYear.objects, 1, "title", "start"),
            listed(
                Unit.objects.filter(Exists(published), kind__in=ASSOCIATION_KINDS),
                2,
                Concat(F("name"), Value(SEPARATOR), F("kind"), output_field=text),
                "name",
            ),
        ]
        lists: dict[int, list] = {0: [], 1: [], 2: []}
        for group, pk, label, key in parts[0].union(*parts[1:], all=True).order_by():
            lists[group].append((key, pk, label))
        kinds = dict(Unit._meta.get_field("kind").flatchoices)
        units = []
        for _key, pk, label in sorted(lists[2]):
            name, _sep, kind = label.rpartition(SEPARATOR)
            units.append((pk, f"{name} — {kinds.get(kind, kind)}"))
        fields = self.form.fields
        for name, choices in (
            ("direction", [(pk, label) for _key, pk, label in sorted(lists[0])]),
            ("year", [(pk, label) for _key, pk, label in sorted(lists[1], reverse=True)]),
            ("association", units),
        ):
            fields[name].widget.choices = [("", fields[name].empty_label), *choices]
