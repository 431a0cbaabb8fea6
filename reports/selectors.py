"""The figures of the annual report on methodological work, section by section, each read from its app's data as of
a day (nothing typed twice). Every section is a function of the academic year and the day; what they return is
plain data for the page, the PDF and the tests.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from attestation import schedule as rules_of_schedule
from attestation.models import (
    AttestationCase,
    CampaignStatus,
    CaseDecision,
    CaseKind,
    CategoryKind,
    DiagnosticCampaign,
    TrainingKind,
    TrainingRecord,
    TrainingStatus,
)
from attestation.selectors.results import college_summary
from attestation.selectors.schedule import records_on, teaching_staff
from attestation.selectors.training import compliance_rows, with_compliance
from experience.models import MATERIAL_KINDS, ExperienceItem, ItemKind, Level
from experience.selectors.lab import experiments_of_year
from metodservice.common.dates import add_years
from planning.models import (
    AcademicYear,
    AssignmentSource,
    AssignmentState,
    Decision,
    DecisionStatus,
    Meeting,
    MeetingStatus,
    ThemeStage,
)
from planning.selectors import assignments_list, execution_by_direction, execution_by_plan, execution_total, theme_for
from structure.models import ASSOCIATION_KINDS, Education, Order, OrderStatus, UnitKind
from structure.selectors import structure_overview

from .models import FrozenReport

#: The longest list of names a section prints (the overdue, those due next year); the rest are counted, and the
#: smaller reports list everyone.
NAMES_SHOWN = 100

#: What several sections read alike, read once while one report is computed: `sections.compute` passes the same
#: dict to each section (a section called alone reads its own).
Shared = dict


def _once(shared: Shared | None, key: str, read):
    if shared is None:
        return read()
    if key not in shared:
        shared[key] = read()
    return shared[key]


def _records(day: datetime.date, shared: Shared | None):
    """The teaching staff with their categories and absences on `day` (two queries, once per report)."""
    return _once(shared, "records", lambda: records_on(teaching_staff(), day, trainings=False))


def _by_plan(year: AcademicYear, day: datetime.date, shared: Shared | None):
    return _once(shared, "by_plan", lambda: execution_by_plan(year, today=day))


# ---------------------------------------------------------------- 1. the single methodological theme


def theme_section(year: AcademicYear, day: datetime.date, shared: Shared | None = None) -> dict:
    """The theme the year works on, its stage this year, where the year stands among the theme's years, and how the
    plans of the year that name the theme were carried out."""
    theme = theme_for(year)
    if theme is None:
        return {"theme": None}
    years = list(
        AcademicYear.objects.filter(start__gte=theme.start_year.start, start__lte=theme.end_year.start).order_by(
            "start"
        )
    )
    stages = {stage.year_id: stage for stage in ThemeStage.objects.filter(theme=theme).select_related("year")}
    position = next((index for index, y in enumerate(years, 1) if y.pk == year.pk), None)
    execution = execution_total(_by_plan(year, day, shared), label=_("All plans"))
    return {
        "theme": theme,
        "tasks": theme.task_list,
        "stage": stages.get(year.pk),
        "stages": [(y, stages.get(y.pk)) for y in years],
        "position": position,
        "years_count": len(years),
        "execution": execution,
    }


# ---------------------------------------------------------------- 2. the structure of the service


def structure_section(year: AcademicYear, day: datetime.date, shared: Shared | None = None) -> dict:
    """The units on the day with their heads and member counts, and the orders signed in the year that changed
    the structure. The pedagogical council is a body of the college, not of the service: it is left out."""
    units = [unit for unit in structure_overview(day) if unit.kind != UnitKind.PEDAGOGICAL_COUNCIL]
    orders = list(
        Order.objects.filter(status__in=[OrderStatus.SIGNED, OrderStatus.CANCELLED], date__gte=year.start)
        .filter(date__lte=min(year.end, day))
        .order_by("date", "pk")
        .only("pk", "number", "date", "title", "status")
    )
    kinds = Counter(unit.kind for unit in units)
    return {
        "units": units,
        "orders": orders,
        "by_kind": [(label, kinds[value]) for value, label in UnitKind.choices if kinds[value]],
        "members": sum(getattr(unit, "members_count", 0) for unit in units),
    }


# ---------------------------------------------------------------- 3. the council and the associations


@dataclass
class UnitWork:
    unit: str
    kind: str
    meetings: int = 0
    decisions: int = 0
    done: int = 0
    open_overdue: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.decisions) if self.decisions else None


def council_section(year: AcademicYear, day: datetime.date, shared: Shared | None = None) -> dict:
    """For the methodological council and each subject association: meetings held in the year, decisions made at
    them, done, and open past their deadline on the day. Two queries."""
    kinds = [UnitKind.COUNCIL, *ASSOCIATION_KINDS]
    held = [MeetingStatus.HELD, MeetingStatus.SIGNED]
    rows: dict[int, UnitWork] = {}
    for row in (
        Meeting.objects.filter(year=year, status__in=held, unit__kind__in=kinds, date__lte=day)
        .values("unit_id", "unit__name", "unit__kind")
        .annotate(n=Count("pk"))
    ):
        rows[row["unit_id"]] = UnitWork(row["unit__name"], row["unit__kind"], meetings=row["n"])
    for found in (
        Decision.objects.filter(
            agenda_item__meeting__year=year,
            agenda_item__meeting__status__in=held,
            agenda_item__meeting__unit__kind__in=kinds,
            agenda_item__meeting__date__lte=day,
        )
        .exclude(status=DecisionStatus.CANCELLED)
        .values("agenda_item__meeting__unit_id", "agenda_item__meeting__unit__name", "agenda_item__meeting__unit__kind")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(status=DecisionStatus.DONE)),
            overdue=Count("pk", filter=Q(status=DecisionStatus.OPEN, deadline__lt=day)),
        )
    ):
        work = rows.setdefault(
            found["agenda_item__meeting__unit_id"],
            UnitWork(found["agenda_item__meeting__unit__name"], found["agenda_item__meeting__unit__kind"]),
        )
        work.decisions, work.done, work.open_overdue = found["n"], found["done"], found["overdue"]
    ordered = sorted(rows.values(), key=lambda w: (w.kind != UnitKind.COUNCIL, w.unit))
    total = UnitWork(
        _("In all"),
        "",
        meetings=sum(w.meetings for w in ordered),
        decisions=sum(w.decisions for w in ordered),
        done=sum(w.done for w in ordered),
        open_overdue=sum(w.open_overdue for w in ordered),
    )
    return {"rows": ordered, "total": total}


# ---------------------------------------------------------------- 3a. assignments of the pedagogical council and the director


def assignments_section(year: AcademicYear, day: datetime.date, shared: Shared | None = None) -> dict:
    """The decisions of the pedagogical council and the director's assignments given to the service in the year (up
    to the day), each with what answered it and whether it is done; counted by source and state. One query."""
    found = list(assignments_list().filter(year=year, issued_on__lte=day).order_by("issued_on", "pk"))
    state_of: dict[int, AssignmentState] = {}
    for assignment in found:
        state_of[assignment.pk] = assignment.state(day)
        assignment.current_state = state_of[assignment.pk]  # type: ignore[attr-defined]  # the template's
    states = [AssignmentState.DONE, AssignmentState.IN_PROGRESS, AssignmentState.UNANSWERED, AssignmentState.OVERDUE]
    counted: Counter[tuple[str, str]] = Counter((a.source, state_of[a.pk]) for a in found)
    rows: list[dict] = []
    for source, label in AssignmentSource.choices:
        counts = [counted[(source, state)] for state in states]
        rows.append({"label": label, "counts": counts, "total": sum(counts)})
    done = sum(counted[(source, AssignmentState.DONE)] for source in AssignmentSource.values)
    total = sum(row["total"] for row in rows)
    return {
        "assignments": found[:NAMES_SHOWN],
        "more": max(0, len(found) - NAMES_SHOWN),
        "states": [state.label for state in states],
        "rows": rows,
        "totals": [sum(row["counts"][index] for row in rows) for index in range(len(states))],
        "total": total,
        "done": done,
        "percent": round(100 * done / total) if total else None,
        "cancelled": sum(1 for state in state_of.values() if state == AssignmentState.CANCELLED),
    }


# ---------------------------------------------------------------- 4. plan execution


def execution_section(year: AcademicYear, day: datetime.date, shared: Shared | None = None) -> dict:
    by_direction = execution_by_direction(year, today=day)
    return {
        "by_direction": by_direction,
        "by_plan": _by_plan(year, day, shared),
        "total": execution_total(by_direction, label=_("In all")),
    }


# ---------------------------------------------------------------- 5. methodological materials; 9. dissemination


def _published_in(year: AcademicYear, day: datetime.date):
    return ExperienceItem.objects.published().filter(
        is_external=False, date__gte=year.start, date__lte=min(year.end, day)
    )


def materials_section(year: AcademicYear, day: datetime.date, shared: Shared | None = None) -> dict:
    """The methodological materials (programmes, guides, assessment funds, cases) published with a date in the
    year, with their authors."""
    items = list(
        _published_in(year, day)
        .filter(kind__in=MATERIAL_KINDS)
        .select_related("author", "association")
        .order_by("kind", "date", "pk")
    )
    kinds = Counter(item.kind for item in items)
    return {
        "items": items,
        "by_kind": [(label, kinds[value]) for value, label in ItemKind.choices if value in MATERIAL_KINDS],
    }


#: The kinds of the dissemination section, in the order DOMAIN.md names them.
SPREAD_KINDS = [ItemKind.OPEN_LESSON, ItemKind.MASTER_CLASS, ItemKind.TALK, ItemKind.PUBLICATION, ItemKind.CONTEST]


def dissemination_section(year: AcademicYear, day: datetime.date, shared: Shared | None = None) -> dict:
    """Open lessons, master classes, talks, publications and contests of the year by level: one query."""
    found = {
        (row["kind"], row["level"]): row["n"]
        for row in _published_in(year, day)
        .filter(kind__in=SPREAD_KINDS)
        .values("kind", "level")
        .annotate(n=Count("pk"))
    }
    levels = Level.choices
    rows = []
    for kind in SPREAD_KINDS:
        counts = [found.get((kind.value, value), 0) for value, _label in levels]
        rows.append({"label": kind.label, "counts": counts, "total": sum(counts)})
    totals = [sum(row["counts"][index] for row in rows) for index in range(len(levels))]
    return {"levels": [label for _value, label in levels], "rows": rows, "totals": totals, "total": sum(totals)}


# ---------------------------------------------------------------- 6. attestation


def attestation_section(year: AcademicYear, day: datetime.date, shared: Shared | None = None) -> dict:
    """The cases decided in the year by kind and decision; the categories held on the day by the teaching staff;
    who is due next academic year (conformity attestation, or a category that ends)."""
    decided = Counter(
        (row["kind"], row["decision"])
        for row in AttestationCase.objects.filter(decided_on__gte=year.start, decided_on__lte=min(year.end, day))
        .exclude(decision="")
        .values("kind", "decision")
    )
    decisions = [value for value, _label in CaseDecision.choices]
    cases = [
        {
            "label": label,
            "counts": [decided[(kind, decision)] for decision in decisions],
            "total": sum(decided[(kind, decision)] for decision in decisions),
        }
        for kind, label in CaseKind.choices
    ]
    cases = [row for row in cases if row["total"]]
    records = _records(day, shared)
    held: Counter[str] = Counter()
    next_start, next_end = add_years(year.start, 1), add_years(year.end, 1)
    due = []
    for person, record in records:
        category = rules_of_schedule.current_category(record, day)
        held[category.kind if category else ""] += 1
        plan = rules_of_schedule.schedule(record, day)
        if plan.due_by and next_start <= plan.due_by <= next_end:
            due.append((person, _("conformity to the position"), plan.due_by))
        elif plan.category_until and next_start <= plan.category_until <= next_end and category is not None:
            due.append(
                (
                    person,
                    _("the category «%(category)s» ends") % {"category": category_label(category.kind)},
                    plan.category_until,
                )
            )
    due.sort(key=lambda row: (row[2], row[0].last_name))
    due_more = max(len(due) - NAMES_SHOWN, 0)
    due = due[:NAMES_SHOWN]
    categories = [(str(label), held[value]) for value, label in CategoryKind.choices]
    categories.append((_("without a category"), held[""]))
    return {
        "decision_labels": [label for _value, label in CaseDecision.choices],
        "cases": cases,
        "categories": categories,
        "staff": len(records),
        "due": due,
        "due_more": due_more,
        "next_year": f"{next_start.year}/{next_end.year}",
    }


def category_label(kind: str) -> str:
    return str(dict(CategoryKind.choices).get(kind, kind))


# ---------------------------------------------------------------- 7. professional development


def training_section(year: AcademicYear, day: datetime.date, shared: Shared | None = None) -> dict:
    """Coverage of the teaching staff by professional development on the day (compliant or due soon, of all), the
    hours confirmed in the year by kind, and who is overdue (their records: one query more)."""
    lines = list(
        with_compliance(teaching_staff(), day)
        .order_by("last_name", "first_name", "patronymic", "pk")
        .values_list("pk", "compliance")  # type: ignore[misc]  # the annotation of with_compliance
    )
    counts = Counter(found for _pk, found in lines)
    staff = len(lines)
    covered = counts[rules_of_schedule.DUE_SOON] + counts[rules_of_schedule.COMPLIANT]
    overdue_pks = [pk for pk, found in lines if found == rules_of_schedule.OVERDUE]
    overdue_more = max(len(overdue_pks) - NAMES_SHOWN, 0)
    overdue_pks = overdue_pks[:NAMES_SHOWN]
    hours = {
        row["kind"]: (row["n"], row["hours"] or 0)
        for row in TrainingRecord.objects.filter(
            status=TrainingStatus.CONFIRMED, end__gte=year.start, end__lte=min(year.end, day)
        )
        .values("kind")
        .annotate(n=Count("pk"), hours=Sum("hours"))
    }
    return {
        "staff": staff,
        "covered": covered,
        "percent": round(100 * covered / staff) if staff else None,
        "counts": counts,
        "by_kind": [(label, *hours.get(value, (0, 0))) for value, label in TrainingKind.choices],
        "hours": sum(h for _n, h in hours.values()),
        "overdue": compliance_rows(overdue_pks, day) if overdue_pks else [],
        "overdue_more": overdue_more,
    }


# ---------------------------------------------------------------- 8. diagnostics


def diagnostics_section(year: AcademicYear, day: datetime.date, shared: Shared | None = None) -> dict:
    """The year's latest diagnostics campaign that opened: the college profile (experts' average per competency) and
    its change since the year before (the same framework's campaigns by year)."""
    campaign = (
        DiagnosticCampaign.objects.filter(year=year, starts_on__lte=day)
        .exclude(status=CampaignStatus.DRAFT)
        .select_related("year", "framework")
        .order_by("-starts_on", "-pk")
        .first()
    )
    if campaign is None:
        return {"campaign": None}
    summary = college_summary(campaign)
    changes = []
    for code, name, averages in summary.averages:
        now = averages[-1] if averages else None
        before = averages[-2] if len(averages) > 1 else None
        change = round(now - before, 2) if now is not None and before is not None else None
        changes.append({"code": code, "name": name, "now": now, "before": before, "change": change})
    return {"campaign": campaign, "summary": summary, "changes": changes}


# ---------------------------------------------------------------- 10. experimental work


def experiments_section(year: AcademicYear, day: datetime.date, shared: Shared | None = None) -> dict:
    return {"experiments": experiments_of_year(year.start, min(year.end, day))}


# ---------------------------------------------------------------- 11. the qualitative composition of the staff

#: Bands of pedagogical service and of age, in years: (lower bound, upper bound or None).
SERVICE_BANDS = [(0, 3), (3, 5), (5, 10), (10, 20), (20, None)]
AGE_BANDS = [(0, 30), (30, 40), (40, 50), (50, 60), (60, None)]


def _years_between(start: datetime.date, day: datetime.date) -> int:
    years = day.year - start.year
    return years - 1 if add_years(start, years) > day else years


def _band_label(low: int, high: int | None, *, age: bool) -> str:
    if high is None:
        return _("%(n)s and more") % {"n": low}
    if low == 0:
        return _("under %(n)s") % {"n": high}
    if age:
        return f"{low}–{high - 1}"
    return _("%(low)s to %(high)s") % {"low": low, "high": high}


def _band(value: int | None, bands) -> int | None:
    if value is None:
        return None
    return next(index for index, (low, high) in enumerate(bands) if high is None or value < high)


@dataclass
class Composition:
    title: str
    rows: list[tuple[str, int]] = field(default_factory=list)
    total: int = 0

    def percent(self, count: int) -> int | None:
        return round(100 * count / self.total) if self.total else None

    @property
    def with_percent(self) -> list[tuple[str, int, int | None]]:
        return [(label, count, self.percent(count)) for label, count in self.rows]


def composition_section(year: AcademicYear, day: datetime.date, shared: Shared | None = None) -> dict:
    """The teaching staff on the day by education, qualification category, length of pedagogical service and age:
    two queries (the people, then their categories and absences), shared with the attestation section."""
    records = _records(day, shared)
    total = len(records)
    education = Counter(person.education or "" for person, _record in records)
    categories = Counter(
        (found.kind if (found := rules_of_schedule.current_category(record, day)) else "") for _p, record in records
    )
    service = Counter(
        _band(_years_between(p.pedagogical_since, day) if p.pedagogical_since else None, SERVICE_BANDS)
        for p, _r in records
    )
    ages = Counter(_band(_years_between(p.birth_date, day) if p.birth_date else None, AGE_BANDS) for p, _r in records)
    unknown = _("not recorded")
    tables = [
        Composition(
            _("Education"),
            [(str(label), education[value]) for value, label in Education.choices]
            + ([(unknown, education[""])] if education[""] else []),
            total,
        ),
        Composition(
            _("Qualification category"),
            [(str(label), categories[value]) for value, label in CategoryKind.choices]
            + [(_("without a category"), categories[""])],
            total,
        ),
        Composition(
            _("Length of pedagogical service, years"),
            [(_band_label(low, high, age=False), service[index]) for index, (low, high) in enumerate(SERVICE_BANDS)]
            + ([(unknown, service[None])] if service[None] else []),
            total,
        ),
        Composition(
            _("Age, years"),
            [(_band_label(low, high, age=True), ages[index]) for index, (low, high) in enumerate(AGE_BANDS)]
            + ([(unknown, ages[None])] if ages[None] else []),
            total,
        ),
    ]
    return {"staff": total, "tables": tables}


# ---------------------------------------------------------------- frozen reports beside their meeting's question


def owned_questions(item_ids: list[int]) -> dict[int, tuple[str, str]]:
    """planning.services.guards' agenda owner: a question a frozen report was presented at links to it."""
    found: dict[int, tuple[str, str]] = {}
    for frozen in (
        FrozenReport.objects.filter(agenda_item_id__in=item_ids)
        .select_related("report__year")
        .only("pk", "agenda_item_id", "as_of", "report__year__title")
        .order_by("frozen_at")
    ):
        label = _("Annual report on methodological work %(year)s (as of %(day)s)") % {
            "year": frozen.report.year.title,
            "day": frozen.as_of.strftime("%d.%m.%Y"),
        }
        if frozen.agenda_item_id is not None:
            found[frozen.agenda_item_id] = (label, frozen.get_absolute_url())
    return found


def frozen_list(report) -> list[FrozenReport]:
    return list(report.frozen.select_related("agenda_item__meeting__unit").defer("html").order_by("-frozen_at", "-pk"))


# ---------------------------------------------------------------- the management's indicators (the dashboard)

#: How long the college's indicators are kept for the dashboard (seconds): a few counts over everyone, the same for
#: every manager, that need not be exact to the minute.
INDICATORS_SECONDS = 60


@dataclass(frozen=True)
class Indicators:
    day: datetime.date
    year: AcademicYear | None
    plans_total: int
    plans_percent: int | None  # done of the standing items of the year's approved service and unit plans
    staff: int
    pd_percent: int | None  # teachers who meet the requirements of professional development
    attestation_due: int  # teachers whose conformity attestation is overdue or due within 6 months


def college_indicators(day: datetime.date) -> Indicators:
    """Three figures of the college for the management's dashboard: three queries, kept INDICATORS_SECONDS in the
    cache (read by every manager's dashboard)."""
    from django.core.cache import cache

    from attestation.selectors.schedule import status_list
    from planning.selectors import current_year, execution_by_year

    def compute() -> Indicators:
        year = current_year()
        rows = execution_by_year(years=AcademicYear.objects.filter(pk=year.pk), today=day) if year else []
        compliance = Counter(
            with_compliance(teaching_staff(), day).values_list("compliance", flat=True)  # type: ignore[misc]
        )
        staff = sum(compliance.values())
        covered = compliance[rules_of_schedule.COMPLIANT] + compliance[rules_of_schedule.DUE_SOON]
        statuses = status_list(teaching_staff(), day).counts
        return Indicators(
            day=day,
            year=year,
            plans_total=rows[0].total if rows else 0,
            plans_percent=rows[0].percent if rows else None,
            staff=staff,
            pd_percent=round(100 * covered / staff) if staff else None,
            attestation_due=statuses.get(rules_of_schedule.OVERDUE, 0) + statuses.get(rules_of_schedule.DUE_SOON, 0),
        )

    found = cache.get_or_set(f"reports:indicators:{day.isoformat()}", compute, INDICATORS_SECONDS)
    return found if isinstance(found, Indicators) else compute()
