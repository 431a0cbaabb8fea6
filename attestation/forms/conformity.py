"""Forms of the conformity attestation. They collect input; attestation.services.conformity checks it (the
exemptions, the 30 days, the votes against the attendance, the majority) and its refusals land on the fields."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from planning.models import Meeting
from structure.forms import PersonChoiceField
from structure.models import Person

from ..models import CaseDecision


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class OpenForm(forms.Form):
    person = PersonChoiceField(
        label=_("Teacher"),
        queryset=Person.objects.none(),
        help_text=_("A teaching staff member without a qualification category and not exempt from attestation."),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class PresentationForm(forms.Form):
    text = forms.CharField(
        label=_("Representation (представление)"),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,  # the service refuses an empty one with its own message
        help_text=_(
            "The employer's assessment of the teacher's professional and personal qualities and of the results of "
            "their professional work. The teacher acknowledges it under signature at least 30 calendar days "
            "before the sitting; after that the text cannot change."
        ),
    )


class AcknowledgeForm(forms.Form):
    acknowledged = forms.BooleanField(label=_("I confirm I have read the representation"))
    on = forms.DateField(label=_("Date"), widget=_date_input())
    addition = forms.CharField(
        label=_("Information you wish to add (optional)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("For example, results not mentioned in the representation. You may change it until the decision."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class AdditionForm(forms.Form):
    text = forms.CharField(
        label=_("Information you add for the commission"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("Leave it empty to remove your information."),
    )


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return str(obj)


class SittingForm(forms.Form):
    meeting = MeetingChoiceField(label=_("Sitting of the attestation commission"), queryset=Meeting.objects.none())

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision of the commission"),
        choices=[
            (CaseDecision.CONFORMS, CaseDecision.CONFORMS.label),
            (CaseDecision.DOES_NOT_CONFORM, CaseDecision.DOES_NOT_CONFORM.label),
        ],
        widget=forms.RadioSelect,
    )
    votes_for = forms.IntegerField(label=_("For"), min_value=0, max_value=1000)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, max_value=1000, initial=0)
    votes_abstained = forms.IntegerField(label=_("Abstained"), min_value=0, max_value=1000, initial=0)


class ExtractAcknowledgeForm(forms.Form):
    on = forms.DateField(label=_("Date of receiving the extract"), widget=_date_input())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
