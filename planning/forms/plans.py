"""Forms of the plan pages. They collect input; the services check it against the data and say what is wrong,
so the fields the services check (content, direction, deadline, responsible, report, comment, reason) are optional
here and the service's message lands on the field."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from metodservice.common import uploads
from structure.forms import PersonMultipleChoiceField, UnitChoiceField
from structure.models import MemberRole, Person, Unit
from structure.selectors import Roles

from ..models import AcademicYear, ItemStatus, Plan, PlanItem, PlanLevel, WorkDirection, WorkForm
from ..services.execution import evidence_link_validator
from .years import ListedYearChoiceField


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _PlanField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Plan) -> str:
        return f"{obj.owner_label}, {obj.year.title}"


class PlanCreateForm(forms.Form):
    """Level, year and owner of a new plan; only the levels and units the user may create plans for are offered."""

    level = forms.ChoiceField(label=_("Level"), widget=forms.RadioSelect)
    year = forms.ModelChoiceField(label=_("Academic year"), queryset=AcademicYear.objects.none(), empty_label=None)
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("For a plan of a unit."),
    )
    self_education_theme = forms.CharField(
        label=_("Self-education theme"),
        max_length=500,
        required=False,
        help_text=_("For an individual plan: your theme, linked to the single methodological theme."),
    )
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    tasks = forms.CharField(
        label=_("Tasks"), widget=forms.Textarea(attrs={"rows": 4}), required=False, help_text=_("One task per line.")
    )
    copy_from = _PlanField(
        label=_("Start as a copy of an earlier plan"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=_("— start with an empty plan —"),
        help_text=_(
            "The same owner's plan of an earlier year: its items are copied with their dates moved to the new year."
        ),
    )

    confirm_ended_year = forms.BooleanField(
        label=_("Yes, draft a plan for this academic year although it has ended"),
        required=False,
        help_text=_("A plan for a year that is over records past work; confirm that this is what you mean."),
    )

    def __init__(self, *args, roles: Roles, levels: list[str], current: AcademicYear | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = roles
        # The confirmation is a second step: shown once an ended year was chosen (clean() asks for it).
        self.ended_years = set(AcademicYear.objects.filter(end__lt=timezone.localdate()).values_list("pk", flat=True))
        if not (self.is_bound and str(self.data.get("year", "")) in {str(pk) for pk in self.ended_years}):
            self.fields["confirm_ended_year"].widget = forms.HiddenInput()
        self.fields["level"].choices = [(value, label) for value, label in PlanLevel.choices if value in levels]
        if len(levels) == 1:
            self.fields["level"].initial = levels[0]
        self.fields["year"].queryset = AcademicYear.objects.order_by("-start")
        self.fields["year"].initial = current.pk if current else None
        units = self.units_for(roles) if PlanLevel.UNIT in levels else Unit.objects.none()
        self.fields["unit"].queryset = units
        if PlanLevel.UNIT not in levels:
            del self.fields["unit"]
        if PlanLevel.INDIVIDUAL not in levels:
            del self.fields["self_education_theme"]
        owners = Q(pk__in=[])
        if PlanLevel.SERVICE in levels:
            owners |= Q(level=PlanLevel.SERVICE)
        if PlanLevel.UNIT in levels:
            owners |= Q(level=PlanLevel.UNIT, unit__in=units)
        if PlanLevel.INDIVIDUAL in levels and roles.person is not None:
            owners |= Q(level=PlanLevel.INDIVIDUAL, person=roles.person)
        latest = AcademicYear.objects.order_by("-start").first()
        earlier = Plan.objects.filter(owners).exclude(year=latest) if latest else Plan.objects.none()
        self.fields["copy_from"].queryset = earlier.select_related("year", "unit", "person").order_by(
            "-year__start", "level", "unit__name", "pk"
        )

    @staticmethod
    def units_for(roles: Roles):
        """Units in the structure today: all of them for the deputy and the methodist, else the ones the user heads."""
        active = Unit.objects.active_on(timezone.localdate()).order_by("kind", "name")
        if roles.is_deputy or roles.is_methodist:
            return active
        headed = [unit_id for unit_id, (_kind, role) in roles.units.items() if role == MemberRole.HEAD]
        return active.filter(pk__in=headed)

    def clean(self):
        data = super().clean()
        copy_from, year = data.get("copy_from"), data.get("year")
        if copy_from and year and copy_from.year.start >= year.start:
            self.add_error("copy_from", _("Choose a plan of an earlier year than the new plan's."))
        if year and year.pk in self.ended_years and not data.get("confirm_ended_year"):
            self.add_error(
                "confirm_ended_year",
                forms.ValidationError(
                    _("The academic year %(year)s ended on %(end)s. Confirm that you are drafting a plan for it."),
                    code="year_ended",
                    params={"year": year.title, "end": f"{year.end:%d.%m.%Y}"},
                ),
            )
        return data


class PlanHeaderForm(forms.Form):
    """The header of a plan: goal and tasks; the self-education theme for an individual plan."""

    self_education_theme = forms.CharField(label=_("Self-education theme"), max_length=500, required=False)
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    tasks = forms.CharField(
        label=_("Tasks"), widget=forms.Textarea(attrs={"rows": 5}), required=False, help_text=_("One task per line.")
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        kwargs.setdefault(
            "initial", {"self_education_theme": plan.self_education_theme, "goal": plan.goal, "tasks": plan.tasks}
        )
        super().__init__(*args, **kwargs)
        if plan.level != PlanLevel.INDIVIDUAL:
            del self.fields["self_education_theme"]


class ItemForm(forms.Form):
    """One line of a plan. The service checks content, direction, dates within the year and the responsible."""

    content = forms.CharField(label=_("Content of the work"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    direction = forms.ModelChoiceField(
        label=_("Direction"), queryset=WorkDirection.objects.order_by("code"), required=False, empty_label="—"
    )
    form = forms.ChoiceField(label=_("Form"), choices=WorkForm.choices)
    start_date = forms.DateField(label=_("From"), widget=_date_input(), required=False)
    due_date = forms.DateField(label=_("Deadline"), widget=_date_input(), required=False)
    period = forms.CharField(
        label=_("Period"),
        max_length=100,
        required=False,
        help_text=_("As written in the plan, e.g. «в течение года»."),
    )
    responsible = PersonMultipleChoiceField(
        label=_("Responsible"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Type a part of the surname; several people may be chosen."),
    )
    expected_result = forms.CharField(label=_("Form of the result"), max_length=500, required=False)

    def __init__(self, *args, plan: Plan, item: PlanItem | None = None, **kwargs):
        if item is not None:
            kwargs.setdefault(
                "initial",
                {
                    "content": item.content,
                    "direction": item.direction_id,
                    "form": item.form,
                    "start_date": item.start_date,
                    "due_date": item.due_date,
                    "period": item.period,
                    "responsible": [person.pk for person in item.responsible.all()],
                    "expected_result": item.expected_result,
                },
            )
        elif plan.level == PlanLevel.INDIVIDUAL:
            kwargs.setdefault("initial", {"responsible": [plan.person_id], "form": WorkForm.SELF_EDUCATION})
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Person.objects.staff().select_related("position")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "content": data["content"],
            "direction": data["direction"],
            "form": data["form"],
            "start_date": data["start_date"],
            "due_date": data["due_date"],
            "period": data["period"],
            "responsible": data["responsible"],
            "expected_result": data["expected_result"],
        }


class EvidenceLinkField(forms.URLField):
    """A link as the model takes it: http(s) with any host, an intranet name without a dot included
    (http://fileserver/x, which Django's URLValidator refuses); javascript:, data: and other schemes are refused
    (code `evidence_link`)."""

    default_validators = [evidence_link_validator]


class MarkForm(forms.Form):
    """Execution of an item: a status, a short report, evidence as a file or a link."""

    status = forms.ChoiceField(label=_("Execution"), choices=ItemStatus.choices)
    report = forms.CharField(
        label=_("Report"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What was done, or why not. Required for done, postponed and cancelled."),
    )
    # The service checks the file (metodservice.common.uploads: type by content, size, name, empty files too) and its
    # refusal lands on this field.
    evidence_file = forms.FileField(label=_("Evidence (file)"), required=False, allow_empty_file=True)
    evidence_link = EvidenceLinkField(label=_("Evidence (link)"), required=False, assume_scheme="https", max_length=500)

    def __init__(self, *args, item: PlanItem, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "status": ItemStatus.DONE if item.status == ItemStatus.PLANNED else item.status,
                "report": item.report,
                "evidence_link": item.evidence_link,
            },
        )
        super().__init__(*args, **kwargs)
        evidence = self.fields["evidence_file"]
        evidence.help_text = uploads.EVIDENCE.rule()  # the limit is a setting: stated per request
        evidence.widget.attrs["accept"] = uploads.EVIDENCE.accept


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What to fix"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AmendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the amendment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class StatsYearForm(forms.Form):
    year = ListedYearChoiceField(
        label=_("Academic year"),
        queryset=AcademicYear.objects.order_by("-start"),
        required=False,
        empty_label=_("the current year"),
    )
