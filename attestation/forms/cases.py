"""Forms of the attestation case pages. They collect input; attestation.services.cases checks it (the kind's
prerequisites, the 30- and 60-day limits, the order, the file by content) and its refusals land on the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from metodservice.common import uploads
from structure.forms import PersonChoiceField, UnitChoiceField
from structure.models import Person, Unit

from ..models import CaseDecision, CaseDocumentKind, CaseKind, CaseStatus, Portfolio
from ..services.cases import CATEGORY_KINDS


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseFilterForm(forms.Form):
    """The case list's filters: kind, status, a unit (its members today), a part of the person's name."""

    person = forms.CharField(label=_("Staff member"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("all")), *CaseKind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("all")), *CaseStatus.choices])
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("all"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["person"].widget.attrs["placeholder"] = _("a part of the name")


class CategoryOpenForm(forms.Form):
    """A category case: for whom (only when the user opens cases for others) and which category."""

    person = PersonChoiceField(label=_("Staff member"), queryset=Person.objects.none())
    kind = forms.ChoiceField(
        label=_("Category"),
        choices=[(kind.value, kind.label) for kind in CATEGORY_KINDS],
        widget=forms.RadioSelect,
        help_text=_(
            "«Педагог-методист» and «педагог-наставник» need the highest category in force and the employer's "
            "petition; «педагог-методист» is not for staff in методист posts."
        ),
    )

    def __init__(self, *args, choose_person: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if choose_person:
            self.fields["person"].queryset = (
                Person.objects.staff().filter(position__is_pedagogical=True).select_related("position")
            )
        else:
            del self.fields["person"]


class PetitionForm(forms.Form):
    text = forms.CharField(
        label=_("Petition of the employer (ходатайство)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20_000,
        help_text=_("The employer's assessment of the teacher's work that supports the application."),
    )


class SubmitForm(forms.Form):
    on = forms.DateField(label=_("Submitted on"), widget=_date_input())
    portfolio = forms.ModelChoiceField(
        label=_("Portfolio"),
        queryset=Portfolio.objects.none(),
        empty_label="—",
        help_text=_("The portfolio is frozen as it is on submission: later changes to it do not reach the case."),
    )

    def __init__(self, *args, portfolios=None, **kwargs):
        super().__init__(*args, **kwargs)
        if portfolios is not None:
            self.fields["portfolio"].queryset = portfolios
        self.fields["portfolio"].label_from_instance = lambda p: (
            f"{p.title} ({p.period_start:%d.%m.%Y}–{p.period_end:%d.%m.%Y})"
        )


class SittingForm(forms.Form):
    on = forms.DateField(
        label=_("Date of the commission's sitting"),
        widget=_date_input(),
        help_text=_("Within 30 calendar days of the application."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (CaseDecision.GRANTED.value, CaseDecision.GRANTED.label),
            (CaseDecision.REFUSED.value, CaseDecision.REFUSED.label),
        ],
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label=_("Decided on"), widget=_date_input(), help_text=_("Within 60 days of the sitting."))
    order_number = forms.CharField(label=_("Number of the regional order"), max_length=100, required=False)
    order_date = forms.DateField(label=_("Date of the regional order"), widget=_date_input(), required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class DocumentForm(forms.Form):
    """A document of a case. `kinds`: those the user may add now (attestation.services.cases.document_kinds); any
    other kind posted is refused as an invalid choice, and the service checks again."""

    kind = forms.ChoiceField(label=_("Kind of document"), choices=CaseDocumentKind.choices)
    title = forms.CharField(
        label=_("Title"), max_length=300, required=False, help_text=_("If empty, the file's name is used.")
    )
    # The service checks the file (type by content, size, name) and its refusal lands on this field.
    file = forms.FileField(label=_("File"), allow_empty_file=True)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        allowed = set(kinds)
        self.fields["kind"].choices = [(value, label) for value, label in CaseDocumentKind.choices if value in allowed]
        self.fields["file"].help_text = uploads.CASE_DOCUMENT.rule()
        self.fields["file"].widget.attrs["accept"] = uploads.CASE_DOCUMENT.accept
