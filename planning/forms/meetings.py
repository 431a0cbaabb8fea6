"""Forms and list filters of the meeting pages: a meeting's heading, attendance, guests, agenda questions with
СЛУШАЛИ / ВЫСТУПИЛИ / РЕШИЛИ and votes, decisions and their marking, the meeting list and the decision register.

The forms only parse input; the services (planning/services/) decide what is allowed.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from metodservice.common.agreement import agree
from structure.forms import PersonChoiceField, UnitChoiceField
from structure.models import Person, Unit
from structure.selectors import roles_of

from .. import selectors
from ..filters import CurrentYearByDefault, UnitFilter, YearFilter, units_for_filter
from ..models import AcademicYear, DecisionStatus, Meeting, MeetingStatus, Plan, PlanItem, PlanLevel

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")

#: The numbers the meeting forms take, with bounds a meeting can really have (the form says them and refuses the
#: rest with a message, instead of the database refusing an out-of-range integer with a 500).
MEETING_NUMBER_MIN, MEETING_NUMBER_MAX = 1, 999
VOTES_MAX = 1000


def _votes_field(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=VOTES_MAX,
        error_messages={"min_value": _("Votes cannot be negative.")},  # the service's own words
    )


class MeetingCreateForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    number = forms.IntegerField(
        label=_("No."),
        min_value=MEETING_NUMBER_MIN,
        max_value=MEETING_NUMBER_MAX,
        required=False,
        help_text=_("The next number of the unit in the academic year is proposed; leave empty to take it."),
    )
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    time = forms.TimeField(label=_("Time"), required=False, widget=TIME_WIDGET)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class MeetingEditForm(forms.Form):
    number = forms.IntegerField(label=_("No."), min_value=MEETING_NUMBER_MIN, max_value=MEETING_NUMBER_MAX)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    time = forms.TimeField(label=_("Time"), required=False, widget=TIME_WIDGET)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    chair = PersonChoiceField(label=_("Chair"), queryset=Person.objects.none(), required=False)
    secretary = PersonChoiceField(label=_("Secretary"), queryset=Person.objects.none(), required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "number": meeting.number,
                "date": meeting.date,
                "time": meeting.time,
                "place": meeting.place,
                "chair": meeting.chair_id,
                "secretary": meeting.secretary_id,
            },
        )
        super().__init__(*args, **kwargs)
        people = selectors.meeting_people(meeting.unit)
        self.fields["chair"].queryset = people
        self.fields["secretary"].queryset = people


#: The marks of one member's attendance: present, absent, or nothing chosen — not marked («не отмечено»).
PRESENT, ABSENT = "on", "off"
_MARK_OF = {True: PRESENT, False: ABSENT, None: ""}


def attendance_marks(person: Person) -> list[tuple[str, str]]:
    """The two marks, worded for the person: «присутствовал» / «присутствовала» («присутствовал(а)» when the name
    does not tell)."""
    gender = person.grammatical_gender
    return [
        (
            PRESENT,
            agree(
                gender,
                masculine=pgettext("masculine", "present"),
                feminine=pgettext("feminine", "present"),
                neutral=gettext("present"),
            ),
        ),
        (
            ABSENT,
            agree(
                gender,
                masculine=pgettext("masculine", "absent"),
                feminine=pgettext("feminine", "absent"),
                neutral=gettext("absent"),
            ),
        ),
    ]


class AttendanceForm(forms.Form):
    """A row per person: present / absent (nothing chosen: not marked yet) and the reason for absence, each with its
    own label naming the person. A reason given without a mark marks the person absent."""

    def __init__(self, *args, rows: list[tuple[Person, bool | None, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.people = [person for person, _present, _reason in rows]
        for person, present, reason in rows:
            self.fields[f"present_{person.pk}"] = forms.ChoiceField(
                label=gettext("Attendance: %(name)s") % {"name": person.full_name},
                choices=attendance_marks(person),
                required=False,
                initial=_MARK_OF[present],
                widget=forms.RadioSelect,
            )
            self.fields[f"reason_{person.pk}"] = forms.CharField(
                label=gettext("Reason for absence: %(name)s") % {"name": person.full_name},
                max_length=300,
                required=False,
                initial=reason,
            )

    def rows(self):
        """(person, present field, reason field) for the template."""
        return [(p, self[f"present_{p.pk}"], self[f"reason_{p.pk}"]) for p in self.people]

    def cleaned_rows(self, *, rest_present: bool = False) -> list[tuple[Person, bool | None, str]]:
        """(person, present, reason); a member with neither a mark nor a reason stays not marked (None), or is
        marked present with `rest_present` (the button «mark the rest present»)."""
        data = self.cleaned_data
        rows: list[tuple[Person, bool | None, str]] = []
        for person in self.people:
            mark, reason = data[f"present_{person.pk}"], data[f"reason_{person.pk}"]
            present = True if mark == PRESENT else False if mark == ABSENT or reason.strip() else None
            rows.append((person, True if present is None and rest_present else present, reason))
        return rows


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Guest's full name"), max_length=300)
    position = forms.CharField(label=_("Position, organisation"), max_length=300, required=False)


class PlanItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PlanItem) -> str:
        return f"{obj.plan.owner_label}: {obj.position}. {obj.content[:120]}"


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Plan) -> str:
        return f"{obj.owner_label}, {obj.year.title}"


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("Question"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    speaker = PersonChoiceField(label=_("Speaker"), queryset=Person.objects.none(), required=False)
    plan_item = PlanItemChoiceField(
        label=_("Plan item"),
        queryset=PlanItem.objects.none(),
        required=False,
        help_text=_("An item of the unit's plan or of the service's plan of this year that the question carries out."),
    )
    plan = PlanChoiceField(
        label=_("Plan considered"),
        queryset=Plan.objects.none(),
        required=False,
        help_text=_(
            "The plan this question considers: once the protocol is signed, the plan prints «РАССМОТРЕНО» "
            "with this meeting and protocol."
        ),
    )

    def __init__(self, *args, meeting: Meeting, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = selectors.meeting_people(meeting.unit)
        self.fields["plan_item"].queryset = selectors.agenda_plan_items(meeting)
        # Plans the user may see (without the user: no individual plan, which not everyone running a unit sees).
        plans = selectors.agenda_plans(meeting, roles_of(user) if user is not None else None)
        self.fields["plan"].queryset = plans if user is not None else plans.exclude(level=PlanLevel.INDIVIDUAL)


class AgendaEditForm(AgendaForm):
    heard = forms.CharField(label=_("Heard (СЛУШАЛИ)"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    spoke = forms.CharField(label=_("Spoke (ВЫСТУПИЛИ)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    decided = forms.CharField(
        label=_("Decided (РЕШИЛИ)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Every question needs its decision before the protocol is signed."),
    )
    votes_for = _votes_field(_("Votes for"))
    votes_against = _votes_field(_("Votes against"))
    votes_abstained = _votes_field(_("Abstained"))


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible = PersonChoiceField(label=pgettext_lazy("one person", "Responsible"), queryset=Person.objects.none())
    deadline = forms.DateField(label=_("Deadline"), widget=DATE_WIDGET)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = selectors.meeting_people(meeting.unit)


class DecisionMarkForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=DecisionStatus.choices)
    report = forms.CharField(
        label=_("Report"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What was done, or why the decision is cancelled. Required unless it is still in progress."),
    )


# ---------------------------------------------------------------- list filters


class MeetingFilter(CurrentYearByDefault, django_filters.FilterSet):
    unit = UnitFilter(label=_("Unit"), queryset=units_for_filter)
    year = YearFilter(label=_("Academic year"), queryset=AcademicYear.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MeetingStatus.choices)

    class Meta:
        model = Meeting
        fields = ["unit", "year", "status"]


class DecisionFilter(django_filters.FilterSet):
    """Filters of the decision register; the XLSX export (planning:decisions_xlsx) takes the same parameters."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=DecisionStatus.choices)
    mine = django_filters.BooleanFilter(label=_("Assigned to me"), method="filter_mine", widget=forms.CheckboxInput)
    unit = UnitFilter(label=_("Unit"), field_name="agenda_item__meeting__unit", queryset=units_for_filter)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue", widget=forms.CheckboxInput)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        person = roles_of(self.request.user).person if self.request else None
        return queryset.filter(responsible=person) if person else queryset.none()

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return selectors.decisions_filtered(queryset, overdue=True, today=self.today)
