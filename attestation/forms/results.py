"""Forms of the diagnostics results pages: the choice of a campaign (and of a unit for the heat map). Bad input
(another campaign's id, a unit out of the user's reach) is not an error page: the form falls back to the latest
campaign and the first unit the user may open."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from structure.forms import UnitChoiceField
from structure.models import Unit

from ..models import DiagnosticCampaign


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DiagnosticCampaign) -> str:
        return f"{obj.title} ({obj.year.title})"


class ResultsFilterForm(forms.Form):
    """The campaign of a results page and, for the heat map, the unit."""

    campaign = CampaignChoiceField(label=_("Campaign"), queryset=DiagnosticCampaign.objects.none(), required=False)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, campaigns, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].empty_label = None
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units
            self.fields["unit"].empty_label = None

    def chosen(self, name: str, fallback):
        """The value chosen, or the fallback when nothing (or nothing valid) was chosen."""
        if not self.is_bound:
            return fallback
        self.is_valid()  # the fields that are valid are kept, whatever the others
        value = self.cleaned_data.get(name)
        return fallback if value is None else value
