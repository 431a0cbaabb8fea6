"""Forms of the annual report: its sections and the texts written by hand; freezing it for a meeting."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from planning.models import AcademicYear, AgendaItem

from . import sections as report_sections
from .services import TEXT_MAX_LENGTH

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportForm(forms.Form):
    sections = forms.MultipleChoiceField(
        label=_("Sections of the report"),
        choices=[(section.key, section.title) for section in report_sections.SECTIONS],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Switch a section off for a shorter report. The conclusions and the tasks always close it."),
        error_messages={"required": _("Keep at least one section of the report.")},
    )
    conclusions = forms.CharField(
        label=_("Conclusions"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the year's figures show: the results, the problems, their causes."),
    )
    tasks = forms.CharField(
        label=_("Tasks for next year"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One task per line: the report numbers them."),
    )


class QuestionChoice(forms.ModelChoiceField):
    def label_from_instance(self, item: AgendaItem) -> str:
        meeting = item.meeting
        return f"{meeting.unit.name}, {meeting.date:%d.%m.%Y}, № {meeting.number}: {item.position}. {item.title}"


class FreezeForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"), widget=DATE_WIDGET, help_text=_("The figures are counted up to this day.")
    )
    agenda_item = QuestionChoice(
        label=_("Question of the meeting"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("— not linked to a meeting —"),
        help_text=_("The meeting's protocol links the frozen report beside this question."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the frozen report will not change, whatever the data says later."),
        error_messages={"required": _("Confirm that the report is to be frozen.")},
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = questions


class SmallReportForm(forms.Form):
    """What a smaller report is of: a day (the structure, the schedule, …) or an academic year (diagnostics,
    execution). An empty field takes its default: today, the current year."""

    day = forms.DateField(label=_("As of"), required=False, widget=DATE_WIDGET)
    year = forms.ModelChoiceField(
        label=_("Academic year"), queryset=AcademicYear.objects.none(), required=False, empty_label=None
    )

    def __init__(self, *args, by: str, years, **kwargs):
        super().__init__(*args, **kwargs)
        if by == "day":
            del self.fields["year"]
        else:
            del self.fields["day"]
            self.fields["year"].queryset = years
