"""The smaller reports for the pedagogical council, each a page, a PDF and an XLSX of the same tables: the structure
of the service on a day, the attestation schedule, professional development, the qualitative composition of the
teaching staff, the diagnostics summary and plan execution of a year. Each is a few tables (and charts) built from
the annual report's selectors or the apps' own; the page, the PDF and the workbook print those tables alike.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attestation.forms.training import COMPLIANCE_LABELS
from attestation.selectors.schedule import schedule_rows, teaching_staff
from attestation.selectors.training import compliance_rows, with_compliance
from planning.models import AcademicYear
from structure.models import UnitKind

from . import sections, selectors


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]
    #: The columns that hold numbers (right-aligned on the page and in print).
    numbers: set[int] = field(default_factory=set)


@dataclass
class Built:
    tables: list[Table]
    charts: list = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class SmallReport:
    key: str
    title: str | Promise
    #: "day": as of a chosen day; "year": of a chosen academic year.
    by: str
    build: Callable[[AcademicYear | None, datetime.date], Built]


def _date(day: datetime.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def _structure(year: AcademicYear | None, day: datetime.date) -> Built:
    from structure.selectors import structure_overview

    kinds = dict(UnitKind.choices)
    units = structure_overview(day)
    rows = [
        [
            getattr(unit, "name_on_day", unit.name),
            str(kinds.get(unit.kind, unit.kind)),
            ", ".join(head.person.short_name for head in getattr(unit, "heads_on_day", [])),
            getattr(unit, "members_count", 0),
        ]
        for unit in units  # structure_overview's annotations
    ]
    title = _("Units of the service on %(day)s") % {"day": _date(day)}
    return Built([Table(title, [_("Unit"), _("Kind"), _("Head"), _("Members")], rows, {3})])


def _schedule(year: AcademicYear | None, day: datetime.date) -> Built:
    rows = []
    for row in schedule_rows(teaching_staff().order_by("last_name", "first_name", "patronymic", "pk"), day):
        plan = row.schedule
        rows.append(
            [
                row.person.full_name,
                row.person.position.name if row.person.position else "",
                str(row.category_label or ""),
                _date(plan.category_until) if plan.category else "",
                str(row.status_label),
                _date(plan.due_by),
            ]
        )
    headers = [_("Full name"), _("Position"), _("Category"), _("Category in force until"), _("Status"), _("Attest by")]
    return Built([Table(_("Attestation schedule on %(day)s") % {"day": _date(day)}, headers, rows)])


def _training(year: AcademicYear | None, day: datetime.date) -> Built:
    pks = list(
        with_compliance(teaching_staff(), day)
        .order_by("last_name", "first_name", "patronymic", "pk")
        .values_list("pk", flat=True)
    )
    rows = [
        [
            row.person.full_name,
            _date(row.compliance.last_course),
            _date(row.compliance.course_due_by),
            _date(row.compliance.last_internship),
            _date(row.compliance.internship_due_by),
            row.compliance.hours_3_years,
            str(COMPLIANCE_LABELS.get(row.compliance.status, row.compliance.status)),
        ]
        for row in (compliance_rows(pks, day) if pks else [])
    ]
    headers = [
        _("Full name"),
        _("Last course"),
        _("Next course by"),
        _("Last internship"),
        _("Next internship by"),
        _("Hours in 3 years"),
        _("Status"),
    ]
    return Built([Table(_("Professional development on %(day)s") % {"day": _date(day)}, headers, rows, {5})])


def _composition(year: AcademicYear | None, day: datetime.date) -> Built:
    data = selectors.composition_section(year, day)  # type: ignore[arg-type]  # the year is not read
    tables = [
        Table(str(table.title), [str(table.title), _("People"), "%"], [list(row) for row in table.with_percent], {1, 2})
        for table in data["tables"]
    ]
    charts = sections.composition_charts(data) if data["staff"] else []
    return Built(
        tables, charts, _("Teaching staff on %(day)s: %(staff)s.") % {"day": _date(day), "staff": data["staff"]}
    )


def _diagnostics(year: AcademicYear | None, day: datetime.date) -> Built:
    assert year is not None
    data = selectors.diagnostics_section(year, day)
    if data["campaign"] is None:
        return Built([], note=_("No diagnostics campaign opened in the year."))
    summary = data["summary"]
    levels = [f"{level['value']} — {level['name']}" for level in summary.levels]
    profile = Table(
        _("The college profile: experts' medians by level"),
        [_("Competency"), *levels, _("Assessed"), _("Experts' average"), _("Deficits")],
        [
            [f"{row.competency.code} {row.competency.name}", *row.counts, row.assessed, row.average, row.deficits]
            for row in summary.rows
        ],
        set(range(1, len(levels) + 4)),
    )
    change = Table(
        _("Change since the year before"),
        [_("Competency"), _("Experts' average"), _("Year before"), _("Change")],
        [[f"{row['code']} {row['name']}", row["now"], row["before"], row["change"]] for row in data["changes"]],
        {1, 2, 3},
    )
    note = _("Campaign «%(title)s»: %(assessed)s of %(participants)s participants assessed by experts.") % {
        "title": data["campaign"].title,
        "assessed": summary.assessed,
        "participants": summary.participants,
    }
    return Built([profile, change], note=note)


def _execution(year: AcademicYear | None, day: datetime.date) -> Built:
    assert year is not None
    data = selectors.execution_section(year, day)
    headers = [_("Items"), _("Done"), _("Cancelled"), _("Overdue"), _("Done, %")]

    def line(row) -> list:
        return [row.label, row.total, row.done, row.cancelled, row.overdue, row.percent]

    by_direction = Table(
        _("By direction"),
        [_("Direction"), *headers],
        [*(line(row) for row in data["by_direction"]), line(data["total"])],
        {1, 2, 3, 4, 5},
    )
    by_plan = Table(_("By plan"), [_("Plan"), *headers], [line(row) for row in data["by_plan"]], {1, 2, 3, 4, 5})
    chart = sections.execution_chart(data, year) if data["total"].total else None
    return Built([by_direction, by_plan], [chart] if chart else [])


REPORTS: tuple[SmallReport, ...] = (
    SmallReport("structure", gettext_lazy("The structure of the service on a day"), "day", _structure),
    SmallReport("schedule", gettext_lazy("The attestation schedule"), "day", _schedule),
    SmallReport("training", gettext_lazy("Professional development of the staff"), "day", _training),
    SmallReport("composition", gettext_lazy("The qualitative composition of the teaching staff"), "day", _composition),
    SmallReport("diagnostics", gettext_lazy("The diagnostics summary"), "year", _diagnostics),
    SmallReport("execution", gettext_lazy("Execution of the plans"), "year", _execution),
)
BY_KEY = {report.key: report for report in REPORTS}
