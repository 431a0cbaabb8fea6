"""Forms of the professional development pages. They collect input; attestation.services.training checks it
(hours against the kind's minimum, dates, the document against the kind, the scan by content) and its refusals
land on the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from metodservice.common import uploads
from structure.forms import PersonChoiceField, UnitChoiceField
from structure.models import Person, Unit

from .. import schedule
from ..models import MIN_HOURS, DocumentKind, TrainingKind, TrainingRecord

#: How the pages word a compliance status (attestation.schedule.training_compliance).
COMPLIANCE_LABELS = {
    schedule.COMPLIANT: pgettext_lazy("training compliance", "up to date"),
    schedule.DUE_SOON: pgettext_lazy("training compliance", "due within 6 months"),
    schedule.OVERDUE: pgettext_lazy("training compliance", "overdue"),
    schedule.NOT_APPLICABLE: pgettext_lazy("training compliance", "not required"),
}
#: Its colour: green, amber, red (Bootstrap's badges; the text says it, the colour only helps).
COMPLIANCE_BADGES = {
    schedule.COMPLIANT: "text-bg-success",
    schedule.DUE_SOON: "text-bg-warning",
    schedule.OVERDUE: "text-bg-danger",
    schedule.NOT_APPLICABLE: "text-bg-secondary",
}


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TrainingForm(forms.Form):
    """A professional development record. `person` only when the user may add records for others (the methodist)."""

    person = PersonChoiceField(
        label=_("Staff member"),
        queryset=Person.objects.none(),
        help_text=_("Whose training this is."),
    )
    kind = forms.ChoiceField(label=_("Kind of training"), choices=TrainingKind.choices, widget=forms.RadioSelect)
    programme = forms.CharField(label=_("Programme"), max_length=500)
    provider = forms.CharField(
        label=_("Organisation"), max_length=300, help_text=_("The organisation that ran the training.")
    )
    hours = forms.IntegerField(label=_("Hours"), max_value=10_000)
    start = forms.DateField(label=_("From"), widget=_date_input())
    end = forms.DateField(label=_("To"), widget=_date_input(), help_text=_("The training must be over."))
    document_kind = forms.ChoiceField(
        label=_("Document"),
        choices=[("", "—"), *DocumentKind.choices],
        help_text=_(
            "A course (ПК) ends with a certificate (удостоверение), retraining with a diploma; an internship with a "
            "statement, a certificate or another document."
        ),
    )
    document_number = forms.CharField(label=_("Document number"), max_length=100, required=False)
    # The service checks the file (metodservice.common.uploads: type by content, size, name, empty files too) and
    # its refusal lands on this field.
    scan = forms.FileField(label=_("Scan of the document"), required=False, allow_empty_file=True)
    remove_scan = forms.BooleanField(label=_("Remove the scan"), required=False)

    def __init__(self, *args, record: TrainingRecord | None = None, choose_person: bool = False, **kwargs):
        if record is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": record.kind,
                    "programme": record.programme,
                    "provider": record.provider,
                    "hours": record.hours,
                    "start": record.start,
                    "end": record.end,
                    "document_kind": record.document_kind,
                    "document_number": record.document_number,
                },
            )
        super().__init__(*args, **kwargs)
        if choose_person:
            self.fields["person"].queryset = Person.objects.staff().select_related("position")
        else:
            del self.fields["person"]
        if record is None or not record.scan:
            del self.fields["remove_scan"]
        self.fields["hours"].help_text = gettext(
            "A course (ПК): at least %(qualification)s hours; retraining: at least %(retraining)s hours."
        ) % {"qualification": MIN_HOURS[TrainingKind.QUALIFICATION], "retraining": MIN_HOURS[TrainingKind.RETRAINING]}
        scan = self.fields["scan"]
        scan.help_text = uploads.TRAINING_SCAN.rule()  # the limit is a setting: stated per request
        if record is not None and record.scan:
            scan.help_text = f"{gettext('A new file replaces the current one.')} {scan.help_text}"
        scan.widget.attrs["accept"] = uploads.TRAINING_SCAN.accept

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "programme": data["programme"],
            "provider": data["provider"],
            "hours": data["hours"],
            "start": data["start"],
            "end": data["end"],
            "document_kind": data["document_kind"],
            "document_number": data["document_number"],
            "scan": data["scan"] or None,
        }


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What to correct"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ComplianceFilterForm(forms.Form):
    """The compliance list's filters: a unit (its members today) and a status."""

    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("all"))
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["status"].choices = [
            ("", _("all")),
            *(
                (status, COMPLIANCE_LABELS[status])
                for status in (schedule.OVERDUE, schedule.DUE_SOON, schedule.COMPLIANT)
            ),
        ]
