"""The calendar's query parameters: month, view, unit, direction and «only mine». A parameter that doesn't parse
is dropped (the view falls back to its default and says so), never an error page."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from structure.forms import UnitChoiceField
from structure.models import Unit

from ..models import WorkDirection

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
#: The years the calendar shows; the month field states them (min / max) and refuses the others with a message.
FIRST_YEAR, LAST_YEAR = 1900, 2999


class DirectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: WorkDirection) -> str:
        return str(obj)


class CalendarFilterForm(forms.Form):
    VIEWS = [("month", _("Month")), ("list", _("List"))]

    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "min": f"{FIRST_YEAR}-01", "max": f"{LAST_YEAR}-12"}),
    )
    view = forms.ChoiceField(label=_("Display"), choices=VIEWS, required=False)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units"))
    direction = DirectionChoiceField(
        label=_("Direction"), queryset=WorkDirection.objects.all(), required=False, empty_label=_("All directions")
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active_on(timezone.localdate()).order_by("kind", "name")

    def clean_month(self) -> datetime.date | None:
        value = self.cleaned_data.get("month", "").strip()
        if not value:
            return None
        match = MONTH_RE.match(value)
        if match is None:
            raise forms.ValidationError(_("Give the month as YYYY-MM."))
        year, month = int(match[1]), int(match[2])
        if not (1 <= month <= 12 and FIRST_YEAR <= year <= LAST_YEAR):
            raise forms.ValidationError(_("There is no such month."))
        return datetime.date(year, month, 1)

    def values(self) -> dict:
        """The parameters that parsed, with defaults for the rest (call after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        return {
            "month": data.get("month") or timezone.localdate().replace(day=1),
            "view": data.get("view") or "month",
            "unit": data.get("unit"),
            "direction": data.get("direction"),
            "mine": bool(data.get("mine")),
        }
