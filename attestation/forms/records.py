"""Forms of attestation/: records — a qualification category as the regional order set it. attestation.services.records
checks it against the person and their other categories; its refusals land on the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Category, CategoryKind


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CategoryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Category"), choices=CategoryKind.choices)
    set_on = forms.DateField(
        label=_("Set on"),
        widget=_date_input(),
        help_text=_(
            "The day of the attestation commission's decision: the category is in force from it. Set on or after "
            "01.09.2023 it has no end; set earlier, it lasts 5 years."
        ),
    )
    order_number = forms.CharField(label=_("Number of the regional order"), max_length=100, required=False)
    order_date = forms.DateField(label=_("Date of the regional order"), widget=_date_input(), required=False)

    def __init__(self, *args, category: Category | None = None, **kwargs):
        if category is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": category.kind,
                    "set_on": category.set_on,
                    "order_number": category.order_number,
                    "order_date": category.order_date,
                },
            )
        super().__init__(*args, **kwargs)
