"""Forms of the portfolio pages. They collect input; attestation.services.portfolio checks it (the period, the
file by content) and its refusals land on the fields. The picks are the checkboxes of the portfolio's page,
read straight from the request (`pick`, one per entry ticked) and checked by the service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from metodservice.common import uploads

from ..models import Portfolio


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PortfolioForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Leave it empty for «Портфолио за 2021–2026 годы» with the years of the period."),
    )
    period_start = forms.DateField(label=_("From"), widget=_date_input())
    period_end = forms.DateField(
        label=_("To"),
        widget=_date_input(),
        help_text=_(
            "As a rule, the years since your last attestation (at most 6 years). The portfolio gathers what the "
            "portal holds for these dates."
        ),
    )

    def __init__(self, *args, portfolio: Portfolio | None = None, **kwargs):
        if portfolio is not None:
            kwargs.setdefault(
                "initial",
                {"title": portfolio.title, "period_start": portfolio.period_start, "period_end": portfolio.period_end},
            )
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"title": data["title"], "period_start": data["period_start"], "period_end": data["period_end"]}


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=300, help_text=_("For example: a diploma of a contest, a letter of thanks.")
    )
    issued_on = forms.DateField(label=_("Date of the document"), widget=_date_input(), required=False)
    # The service checks the file (type by content, size, name) and its refusal lands on this field.
    file = forms.FileField(label=_("File"), allow_empty_file=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = uploads.PORTFOLIO_DOCUMENT.rule()
        self.fields["file"].widget.attrs["accept"] = uploads.PORTFOLIO_DOCUMENT.accept

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"title": data["title"], "issued_on": data["issued_on"], "file": data["file"] or None}
