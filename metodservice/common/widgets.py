"""Widgets every app shares. import-export's for the tables: dates as DD.MM.YYYY (also Excel's date cells and serial
numbers), trimmed text, e-mail addresses, and how a cell is shown back to the user. And the form's searchable select
(SearchableSelect, SearchableSelectMultiple) that the people and unit pickers use."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from import_export import widgets
from openpyxl.utils.datetime import from_excel

DATE_DISPLAY_FORMAT = "%d.%m.%Y"
DATE_INPUT_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M")
EARLIEST_YEAR = 1900


def display_value(value) -> str:
    """A cell as the user typed it, for the preview table."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime(DATE_DISPLAY_FORMAT)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class RuDateWidget(widgets.DateWidget):
    """Dates as DD.MM.YYYY; reads also YYYY-MM-DD, Excel date cells and Excel serial numbers."""

    def __init__(self, **kwargs):
        super().__init__(format=DATE_DISPLAY_FORMAT, **kwargs)
        # The first format renders exports; all of them are tried on import.
        self.formats = DATE_INPUT_FORMATS

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime.datetime):
            day = value.date()
        elif isinstance(value, datetime.date):
            day = value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            day = self._from_excel(value)
        else:
            text = " ".join(str(value).split())
            try:
                day = super().clean(text, row, **kwargs)
            except ValueError:
                raise ValueError(gettext("invalid date «%(value)s» (expected DD.MM.YYYY)") % {"value": text}) from None
            if isinstance(day, datetime.datetime):
                day = day.date()
        if not EARLIEST_YEAR <= day.year <= timezone.localdate().year + 1:
            raise ValueError(gettext("the date «%(value)s» is out of range") % {"value": display_value(value)})
        return day

    @staticmethod
    def _from_excel(number: float) -> datetime.date:
        try:
            return from_excel(number).date()
        except (ValueError, OverflowError, AttributeError):
            raise ValueError(
                gettext("invalid date «%(value)s» (expected DD.MM.YYYY)") % {"value": display_value(number)}
            ) from None


class TextWidget(widgets.CharWidget):
    """Free text: surrounding spaces trimmed, empty cells become empty strings."""

    def clean(self, value, row=None, **kwargs):
        return display_value(value) if not isinstance(value, str) else value.strip()


class EmailWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        return "".join(super().clean(value, row, **kwargs).split()).lower()


# ---------------------------------------------------------------- searchable selects


class SearchableSelect(forms.Select):
    """A plain <select> with every option rendered here, marked `data-searchable` for static/js/searchable.js, which
    turns it into a Tom Select picker (static/vendor/tom-select): type a part of a name to narrow the list, pick with
    the arrow keys and Enter. Without JavaScript it is the same select and posts the same values.

    An option's text «Name — details» is shown by the picker as the name with the details on a second line (the
    chosen item shows the name alone). The picker's own words come from data attributes, translated here."""

    def __init__(self, attrs=None, choices=(), *, placeholder: str | None = None):
        """`placeholder`: what the empty picker asks for (a lazy translation), «Type to search» by default."""
        super().__init__(attrs, choices)
        self.placeholder = placeholder

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-searchable": True,
                "data-placeholder": str(self.placeholder) if self.placeholder else gettext("Type to search"),
                "data-no-results": gettext("Nothing found"),
                "data-remove-label": gettext("Remove from the choice"),
            }
        )
        return context


class SearchableSelectMultiple(SearchableSelect, forms.SelectMultiple):
    """Several choices; without JavaScript a list of ten rows where Ctrl (⌘) adds to the choice."""

    def __init__(self, attrs=None, choices=(), *, placeholder: str | None = None):
        super().__init__({"size": 10, **(attrs or {})}, choices, placeholder=placeholder)
