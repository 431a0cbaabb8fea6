"""Forms of the experimental lab's pages. They collect input; experience.services.lab checks it (the lab, the order
that fixes the programme, the period, stages inside it and not overlapping, the target on the right side of the
baseline, the measurement's date and stage, who enters it) and its refusals land on the fields.

Numbers are typed as people write them: «12,5» (the Russian decimal comma) or «12.5», spaces between thousands
allowed («1 250»); anything else — «1e309», «NaN», «∞», letters — is refused as not a number, and so are more than
two decimals or more than ten whole digits (the database keeps 12 digits, 2 of them decimals)."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from structure.forms import SignedOrderChoiceField, UnitChoiceField
from structure.models import Order, Unit

from ..models import Experiment, ExperimentStage, Indicator

#: A number as typed: digits, an optional sign, one decimal separator (comma or point).
NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
#: Spaces people put between thousands (a no-break space too, as office programs copy it).
THOUSANDS = re.compile(r"[\s\u00a0\u202f]")


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NumberField(forms.DecimalField):
    """A decimal number with the comma or the point; never scientific notation, NaN or infinity."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Enter a number, e.g. 12,5.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # A text box (a number box would refuse the comma in some browsers), with the numeric keyboard on a phone;
        # none of the number box's min, max or step.
        return {"inputmode": "decimal", "autocomplete": "off"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return value
        text = THOUSANDS.sub("", str(value))
        if len(text) > 40 or not NUMBER.match(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return Decimal(text.replace(",", "."))

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_number(value)
        return value


def format_number(value: Decimal | None) -> str:
    """«12,5», «80», «-3,25»: the decimal comma, no trailing zeros; "" for nothing."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


class ExperimentForm(forms.Form):
    """The programme. The lab is chosen only when the experiment is created (among the labs the user may keep)."""

    lab = UnitChoiceField(label=_("Lab"), queryset=Unit.objects.none())
    topic = forms.CharField(label=_("Topic"), max_length=500)
    hypothesis = forms.CharField(
        label=_("Hypothesis"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("If … then …: what the experiment checks."),
    )
    aim = forms.CharField(label=_("Aim"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    base_groups = forms.CharField(
        label=_("Base groups"),
        max_length=500,
        required=False,
        help_text=_("The study groups the experiment runs in, e.g. «ТМ-24, ТМ-25»."),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=_date_input())
    ends_on = forms.DateField(label=_("Ends on"), widget=_date_input())
    order = SignedOrderChoiceField(
        label=_("Order fixing the programme"),
        queryset=Order.objects.none(),
        required=False,
        empty_label=_("not fixed by an order yet"),
        help_text=_("A signed order that acts on the lab: the order that created it or a later one."),
    )

    def __init__(self, *args, labs=None, orders, experiment: Experiment | None = None, **kwargs):
        if experiment is not None:
            kwargs.setdefault(
                "initial",
                {
                    "topic": experiment.topic,
                    "hypothesis": experiment.hypothesis,
                    "aim": experiment.aim,
                    "base_groups": experiment.base_groups,
                    "starts_on": experiment.starts_on,
                    "ends_on": experiment.ends_on,
                    "order": experiment.order_id,
                },
            )
        super().__init__(*args, **kwargs)
        if labs is None:
            del self.fields["lab"]
        else:
            self.fields["lab"].queryset = labs
        self.fields["order"].queryset = orders

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name] for name in ("topic", "hypothesis", "aim", "base_groups", "starts_on", "ends_on", "order")
        }


class StageForm(forms.Form):
    title = forms.CharField(
        label=_("Stage"), max_length=300, help_text=_("E.g. «Подготовительный», «Формирующий», «Обобщающий».")
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=_date_input())
    ends_on = forms.DateField(label=_("Ends on"), widget=_date_input())

    def __init__(self, *args, stage: ExperimentStage | None = None, **kwargs):
        if stage is not None:
            kwargs.setdefault("initial", {"title": stage.title, "starts_on": stage.starts_on, "ends_on": stage.ends_on})
        super().__init__(*args, **kwargs)


HIGHER, LOWER = "higher", "lower"


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=300)
    unit = forms.CharField(
        label=_("Unit of measurement"), max_length=50, required=False, help_text=_("E.g. «%», «часов на студента».")
    )
    direction = forms.ChoiceField(
        label=_("Direction of good"),
        choices=[(HIGHER, _("higher is better")), (LOWER, _("lower is better"))],
        widget=forms.RadioSelect,
        initial=HIGHER,
    )
    baseline = NumberField(label=_("Baseline"), help_text=_("The value before the experiment."))
    target = NumberField(
        label=_("Target"),
        help_text=_("Above the baseline when higher is better, below it when lower is better."),
    )

    def __init__(self, *args, indicator: Indicator | None = None, **kwargs):
        if indicator is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "direction": HIGHER if indicator.higher_is_better else LOWER,
                    "baseline": indicator.baseline,
                    "target": indicator.target,
                },
            )
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "unit": data["unit"],
            "baseline": data["baseline"],
            "target": data["target"],
            "higher_is_better": data["direction"] == HIGHER,
        }


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        return f"{obj.name}, {obj.unit}" if obj.unit else obj.name


class MeasurementForm(forms.Form):
    indicator = IndicatorChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    value = NumberField(label=_("Value"))
    measured_on = forms.DateField(
        label=_("Date of the measurement"),
        widget=_date_input(),
        help_text=_("The stage is found from the date."),
    )
    source = forms.CharField(
        label=_("Source document"),
        max_length=500,
        required=False,
        help_text=_("Where the value comes from, e.g. «Сводная ведомость успеваемости за I семестр»."),
    )

    def __init__(self, *args, experiment: Experiment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = experiment.indicators.order_by("position", "pk")


class ResultsForm(forms.Form):
    results = forms.CharField(
        label=_("Results"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        required=False,
        help_text=_("What the experiment has shown: the indicators against their targets, conclusions, proposals."),
    )
