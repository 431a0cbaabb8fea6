"""Forms of the lesson visits and adoptions. They collect input; experience.services.visits checks it (the colleague,
the date, the open lesson linked, the ratings) and its refusals land on the fields. The visitor is never a field:
it is the user."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from metodservice.common.widgets import SearchableSelect
from structure.forms import PersonChoiceField, UnitChoiceField
from structure.models import Person, Unit

from ..models import VISIT_CRITERIA, VISIT_RATING_MAX, AdoptionKind, ExperienceItem, LessonVisit, VisitStatus
from ..services.visits import GROUP_MAX, LESSON_MAX, TEXT_MAX


class _DateInput(forms.DateInput):
    """A date picker that never echoes back text it cannot show: "31.02.2026" or "bad" is not a value of an
    <input type="date"> (the field's error says what was wrong)."""

    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")

    def format_value(self, value):
        if isinstance(value, str):
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                return None
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                return None
        return super().format_value(value)


def _date_input() -> forms.DateInput:
    return _DateInput()


class ItemChoiceField(forms.ModelChoiceField):
    """A published open lesson or master class, picked by searching: «title — author, date»."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", SearchableSelect(placeholder=_("Type a part of the title")))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: ExperienceItem) -> str:
        return f"{obj.title} — {obj.author.short_name}, {obj.date:%d.%m.%Y}"


class VisitForm(forms.Form):
    visited = PersonChoiceField(
        label=_("Colleague whose lesson you visit"), queryset=Person.objects.none(), help_text=_("A staff member.")
    )
    date = forms.DateField(label=_("Date of the lesson"), widget=_date_input())
    lesson = forms.CharField(
        label=_("Lesson (subject, topic)"),
        max_length=LESSON_MAX,
        help_text=_("For example: «История России. Реформы Петра I»."),
    )
    group = forms.CharField(label=_("Group"), max_length=GROUP_MAX, required=False)
    goal = forms.CharField(
        label=_("Goal of the visit"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you want to see or learn. The colleague sees it with your observation."),
    )
    item = ItemChoiceField(
        label=_("Open lesson in the catalogue"),
        queryset=ExperienceItem.objects.none(),
        required=False,
        help_text=_(
            "If the lesson is a published open lesson or master class of the colleague: the visit then counts "
            "toward its dissemination."
        ),
    )

    def __init__(self, *args, me: Person, items, visit: LessonVisit | None = None, **kwargs):
        if visit is not None:
            kwargs.setdefault(
                "initial",
                {
                    "visited": visit.visited_id,
                    "date": visit.date,
                    "lesson": visit.lesson,
                    "group": visit.group,
                    "goal": visit.goal,
                    "item": visit.item_id,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["visited"].queryset = Person.objects.staff().exclude(pk=me.pk)
        self.fields["item"].queryset = items

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "visited": data["visited"],
            "date": data["date"],
            "lesson": data["lesson"],
            "group": data["group"],
            "goal": data["goal"],
            "item": data["item"],
        }


RATING_CHOICES = [(str(value), str(value)) for value in range(VISIT_RATING_MAX + 1)]


class ObservationForm(forms.Form):
    """The observation: the goal (restated if need be), what worked, what to adopt, a rating 0–2 per criterion
    (fields rating_<criterion>)."""

    goal = forms.CharField(
        label=_("Goal of the visit"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    worked = forms.CharField(label=_("What worked"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}))
    to_adopt = forms.CharField(
        label=_("What to adopt in my work"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, visit: LessonVisit | None = None, **kwargs):
        if visit is not None:
            kwargs.setdefault("initial", {"goal": visit.goal})
        super().__init__(*args, **kwargs)
        for name, label in VISIT_CRITERIA:
            self.fields[f"rating_{name}"] = forms.TypedChoiceField(
                label=label,
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
            )

    def text_fields(self):
        return [self[name] for name in ("goal", "worked", "to_adopt")]

    def rating_fields(self):
        return [self[f"rating_{name}"] for name, _label in VISIT_CRITERIA]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "goal": data["goal"],
            "worked": data["worked"],
            "to_adopt": data["to_adopt"],
            "ratings": {name: data[f"rating_{name}"] for name, _label in VISIT_CRITERIA},
        }


class AdoptionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Mark"), choices=AdoptionKind.choices)
    note = forms.CharField(
        label=_("How (optional)"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


STATUS_CHOICES = [("", _("all")), *VisitStatus.choices]


#: The log's filters besides the page: when none is given, the log opens on the current academic year.
LOG_FILTERS = ("start", "end", "person", "person_name", "unit", "status", "year")
SURNAME_MAX_LENGTH = 100


class VisitLogFilterForm(forms.Form):
    """The visit log's filters (and its XLSX's): an academic year (the view sets the current one when the request
    names no filter; «all years» reaches the older ones), a period, a teacher's surname (visitor or visited), a
    person by id (a hidden field: a picker of the whole staff would list thousands of people at a region's scale),
    an association (its members today), a status. A field with bad input is reported and left out of the filter."""

    year = forms.TypedChoiceField(label=_("Academic year"), coerce=int, required=False, empty_value=None)
    start = forms.DateField(label=_("From"), required=False, widget=_date_input())
    end = forms.DateField(label=_("To"), required=False, widget=_date_input())
    person_name = forms.CharField(
        label=_("Teacher's surname (visitor or visited)"),
        max_length=SURNAME_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    person = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, widget=forms.HiddenInput)
    unit = UnitChoiceField(label=_("Association"), queryset=Unit.objects.none(), required=False, empty_label=_("all"))
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)

    def __init__(self, *args, people, units, years, **kwargs):
        """`years`: the academic years, the latest first (a list: its choices cost no query of their own)."""
        super().__init__(*args, **kwargs)
        self.years = {year.pk: year for year in years}
        self.fields["year"].choices = [("", _("all years")), *((year.pk, year.title) for year in years)]
        self.fields["person"].queryset = people
        self.fields["unit"].queryset = units

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != "person"]

    def filters(self) -> dict:
        """The filters the valid fields give (the form need not be valid as a whole)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "year": self.years.get(data.get("year")),
            "start": data.get("start"),
            "end": data.get("end"),
            "person": data.get("person"),
            "surname": data.get("person_name") or "",
            "unit": data.get("unit"),
            "status": data.get("status") or "",
        }


class DisseminationFilterForm(forms.Form):
    year = forms.ModelChoiceField(label=_("Academic year"), queryset=None, empty_label=None)
    unit = UnitChoiceField(label=_("Association"), queryset=Unit.objects.none(), required=False, empty_label=_("all"))

    def __init__(self, *args, years, units, year_list=None, **kwargs):
        """`years`: a queryset (a chosen year is checked against it), `year_list` its rows when already read (the
        options then cost no query); `units`: the list the report may be narrowed to, already read."""
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = years
        if year_list is not None:
            self.fields["year"].choices = [(year.pk, year.title) for year in year_list]
        self.units = {unit.pk: unit for unit in units}
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=list(self.units))
        self.fields["unit"].choices = [("", self.fields["unit"].empty_label)] + [
            (unit.pk, self.fields["unit"].label_from_instance(unit)) for unit in units
        ]
