"""A list filter's field written by `filter_field` (metodservice/common/templatetags/portal.py) is the markup
crispy-bootstrap5 writes for it — for every widget a filter uses, with and without errors, help text and the
required mark — and anything else is left to crispy."""

from __future__ import annotations

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.test.html import parse_html

from metodservice.common.templatetags.portal import filter_field
from metodservice.common.widgets import SearchableSelect

CHOICES = [("", "все"), ("a", "Первый & второй"), ("b", "Третий")]


class Filters(forms.Form):
    text = forms.CharField(label="Фамилия", required=False, help_text="Часть фамилии")
    search = forms.CharField(label="Поиск", required=False, widget=forms.TextInput(attrs={"type": "search"}))
    number = forms.IntegerField(label="Год", required=True, min_value=2000)
    day = forms.DateField(label="С даты", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label="Статус", choices=CHOICES, required=False)
    unit = forms.ChoiceField(label="Подразделение", choices=CHOICES, required=False, widget=SearchableSelect())
    many = forms.MultipleChoiceField(label="Виды", choices=CHOICES[1:], required=False)
    mine = forms.BooleanField(label="Мои", required=False)
    styled = forms.CharField(required=False, widget=forms.TextInput(attrs={"class": "w-auto"}))
    radio = forms.ChoiceField(label="Порядок", choices=CHOICES[1:], required=False, widget=forms.RadioSelect)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"text": "Ив", "number": "1999", "day": "не дата", "status": "zzz", "many": ["zzz"], "mine": "on"},
        {"number": "", "unit": "b", "radio": "a", "hidden": "7"},
    ],
    ids=["unbound", "with errors", "valid"],
)
@pytest.mark.parametrize("name", list(Filters.base_fields))
def test_the_field_is_what_crispy_writes(name, data):
    form = Filters(data)
    if data is not None:
        form.is_valid()
    field = form[name]
    assert parse_html(str(filter_field(field))) == parse_html(str(as_crispy_field(field)))


def test_bootstrap_s_classes_and_the_errors_are_there():
    form = Filters({"number": "1999", "status": "zzz", "mine": "on"})
    form.is_valid()
    number, status, mine = (str(filter_field(form[name])) for name in ("number", "status", "mine"))
    assert 'class="numberinput form-control is-invalid"' in number and 'class="invalid-feedback"' in number
    assert '<span class="asteriskField">*</span>' in number and 'aria-invalid="true"' in number
    assert 'class="select form-select is-invalid"' in status
    assert 'class="checkboxinput form-check-input"' in mine and "checked" in mine
