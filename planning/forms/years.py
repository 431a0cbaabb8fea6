"""Forms of the academic years and the single methodological theme; the services do the checks that need the data."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from ..models import AcademicYear, MethodologicalTheme


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class YearForm(forms.Form):
    title = forms.CharField(label=_("Academic year"), max_length=20, help_text=_("For example 2026/2027."))
    start = forms.DateField(label=_("First day"), widget=_date_input())
    end = forms.DateField(label=_("Last day"), widget=_date_input())
    is_current = forms.BooleanField(label=_("Make it the current year"), required=False)

    def __init__(self, *args, year: AcademicYear | None = None, **kwargs):
        if year is not None:
            kwargs.setdefault("initial", {"title": year.title, "start": year.start, "end": year.end})
        super().__init__(*args, **kwargs)
        if year is not None and year.is_current:
            # The current year stops being current only when another one is made current.
            del self.fields["is_current"]


class YearChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AcademicYear) -> str:
        return obj.title


class _ListedIterator(ModelChoiceIterator):
    """The options from the years the field has read (ListedYearChoiceField.years): no query of its own."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.years:
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.years) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.years)


class ListedYearChoiceField(forms.ModelChoiceField):
    """An academic year picked from a list read once (the years are few): the options, the check of the chosen one
    and the view's look-up of the current year (`current`) share one query instead of three."""

    iterator = _ListedIterator

    @property
    def years(self) -> list[AcademicYear]:
        if getattr(self, "_years", None) is None:
            self._years = list(self.queryset)
        return self._years

    @property
    def current(self) -> AcademicYear | None:
        return next((year for year in self.years if year.is_current), None)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._years = None  # every form reads its own
        return result

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        key = str(value.pk if isinstance(value, AcademicYear) else value)
        for year in self.years:
            if str(year.pk) == key:
                return year
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class ThemeForm(forms.Form):
    """The theme's fields, then one stage field per academic year (`stage_<year pk>`), oldest year first."""

    title = forms.CharField(label=_("Theme"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}))
    tasks = forms.CharField(
        label=_("Tasks"), widget=forms.Textarea(attrs={"rows": 5}), help_text=_("One task per line.")
    )
    start_year = YearChoiceField(label=_("First year"), queryset=AcademicYear.objects.none())
    end_year = YearChoiceField(label=_("Last year"), queryset=AcademicYear.objects.none())

    def __init__(self, *args, theme: MethodologicalTheme | None = None, **kwargs):
        self.years = list(AcademicYear.objects.order_by("start"))
        if theme is not None:
            initial = {
                "title": theme.title,
                "goal": theme.goal,
                "tasks": theme.tasks,
                "start_year": theme.start_year_id,
                "end_year": theme.end_year_id,
            }
            for stage in theme.stages.all():
                initial[f"stage_{stage.year_id}"] = stage.stage
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for field in ("start_year", "end_year"):
            self.fields[field].queryset = AcademicYear.objects.order_by("start")
        for year in self.years:
            self.fields[f"stage_{year.pk}"] = forms.CharField(
                label=_("Stage in %(year)s") % {"year": year.title},
                max_length=300,
                required=False,
            )

    def stage_fields(self):
        return [self[f"stage_{year.pk}"] for year in self.years]

    def main_fields(self):
        return [self[name] for name in ("title", "goal", "tasks", "start_year", "end_year")]

    def clean(self):
        data = super().clean()
        first, last = data.get("start_year"), data.get("end_year")
        if first is None or last is None:
            return data
        for year in self.years:
            name = f"stage_{year.pk}"
            outside = year.start < first.start or year.start > last.start
            if outside and data.get(name, "").strip():
                self.add_error(
                    name,
                    _("%(year)s is outside the theme's period: clear this stage or widen the period.")
                    % {"year": year.title},
                )
        return data

    def stages(self) -> dict[AcademicYear, str]:
        """The stage of every year: the text for a year in the period, empty (removing the stage) outside it."""
        first, last = self.cleaned_data["start_year"], self.cleaned_data["end_year"]
        return {
            year: self.cleaned_data.get(f"stage_{year.pk}", "") if first.start <= year.start <= last.start else ""
            for year in self.years
        }
