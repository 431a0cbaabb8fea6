"""Forms of the assignments the service answers: the director's assignment, passing a pedagogical council's decision
to the service, the answer, the cancelling, and the list's filters. The forms only parse input; the services
(planning/services/assignments.py) decide what is allowed."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metodservice.common.widgets import SearchableSelect
from structure.forms import UnitChoiceField
from structure.models import Unit

from .. import selectors
from ..filters import CurrentYearByDefault, YearFilter
from ..models import AcademicYear, Assignment, AssignmentSource, AssignmentState
from ..services.assignments import ADDRESSEE_KINDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def addressees():
    return Unit.objects.active_on(timezone.localdate()).filter(kind__in=ADDRESSEE_KINDS).order_by("kind", "name")


class AddresseeForm(forms.Form):
    addressee = UnitChoiceField(label=_("Addressed to"), queryset=Unit.objects.none(), empty_label=None)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressee"].queryset = addressees()


class AssignmentForm(AddresseeForm):
    text = forms.CharField(label=_("What is asked"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    field_order = ["text", "addressee", "deadline"]


class AnswerForm(forms.Form):
    plan_item = forms.ModelChoiceField(
        label=_("Plan item"),
        queryset=None,
        required=False,
        widget=SearchableSelect(placeholder=_("Type a part of the item")),
        help_text=_("An item of the plan of the methodological service or of the methodological council."),
    )
    decision = forms.ModelChoiceField(
        label=_("Decision of the methodological council"),
        queryset=None,
        required=False,
        widget=SearchableSelect(placeholder=_("Type a part of the decision")),
        help_text=_("Or a decision of the methodological council taken after the assignment."),
    )

    def __init__(self, *args, assignment: Assignment, **kwargs):
        super().__init__(*args, **kwargs)
        items = self.fields["plan_item"]
        items.queryset = selectors.answering_items(assignment)
        items.label_from_instance = lambda item: f"{item.plan} — {item.position}. {item.content[:120]}"
        decisions = self.fields["decision"]
        decisions.queryset = selectors.answering_decisions(assignment)
        decisions.label_from_instance = lambda decision: (
            f"{decision.agenda_item.meeting.date:%d.%m.%Y}, № {decision.agenda_item.meeting.number} — "
            f"{decision.text[:120]}"
        )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why it is cancelled"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class AssignmentFilter(CurrentYearByDefault, django_filters.FilterSet):
    year = YearFilter(label=_("Academic year"), queryset=AcademicYear.objects.order_by("-start"), empty_label=_("all"))
    source = django_filters.ChoiceFilter(label=_("Source"), choices=AssignmentSource.choices, empty_label=_("all"))
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=AssignmentState.choices, method="filter_state", empty_label=_("all")
    )

    class Meta:
        model = Assignment
        fields = ["year", "source", "state"]

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def filter_state(self, queryset, name, value):
        return selectors.assignment_states(queryset, self.today)[value] if value else queryset
