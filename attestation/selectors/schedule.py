"""Reads of the attestation schedule: the records the rules need, for many people in a fixed number of queries, and
the rows of the schedule page and of the dashboard.

attestation.schedule computes; this module only gathers its inputs (attestation.schedule.PersonRecord) from the
models: the person's position (teaching or not) and the day they took it, their categories, absence periods, the
days of their positive conformity decisions and their confirmed professional-development records. Five queries for
any number of people (the people with their positions, then one per kind of record), never one per person.

Who is listed: teaching staff (Position.is_pedagogical), never external researchers. Who sees whom is
attestation.rules.schedule's: the director, the deputy, the methodist and the administrator see everyone, the head
of a subject association sees its members today (and themselves), anyone else on the staff sees only themselves.
"""

from __future__ import annotations

import copy
import datetime
from collections import Counter
from dataclasses import dataclass
from typing import cast

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from structure.models import AbsenceKind, AbsencePeriod, Membership, Person, Unit
from structure.rules import sees_personal_data_of
from structure.selectors import Roles

from .. import schedule as rules_of_schedule
from ..models import (
    AttestationCase,
    CaseDecision,
    CaseKind,
    Category,
    CategoryKind,
    TrainingKind,
    TrainingRecord,
    TrainingStatus,
)
from .people import association_members, sees_everyone
from .training import with_compliance

# ---------------------------------------------------------------- statuses and reasons, as the pages word them

#: The schedule page's status filter: the four conformity statuses and «a category ends within 6 months».
APPLY_NOW = "apply_now"
STATUS_LABELS: dict[str, str | Promise] = {
    rules_of_schedule.OVERDUE: _("attestation overdue"),
    rules_of_schedule.DUE_SOON: _("attestation due within 6 months"),
    rules_of_schedule.SCHEDULED: _("attestation scheduled"),
    rules_of_schedule.EXEMPT: _("exempt from attestation"),
    APPLY_NOW: _("category ends within 6 months"),
}
#: The colour of each conformity status (Bootstrap's badge classes, contrast checked by axe).
STATUS_BADGES = {
    rules_of_schedule.OVERDUE: "text-bg-danger",
    rules_of_schedule.DUE_SOON: "text-bg-warning",
    rules_of_schedule.SCHEDULED: "text-bg-success",
    rules_of_schedule.EXEMPT: "text-bg-secondary",
    rules_of_schedule.NOT_APPLICABLE: "text-bg-light",
}
REASON_LABELS: dict[str, str | Promise] = {
    rules_of_schedule.CATEGORY: _("holds a qualification category"),
    rules_of_schedule.NEW_IN_POSITION: _("less than 2 years in the position"),
    rules_of_schedule.PREGNANCY: _("pregnancy"),
    rules_of_schedule.MATERNITY: _("maternity leave"),
    rules_of_schedule.PARENTAL: _("parental leave and 2 years after return"),
    rules_of_schedule.SICK_LEAVE: _("sick leave over 4 months and 1 year after return"),
}
#: What an exemption without an end day means, by its reason: a category set on or after 01.09.2023 has no end;
#: an absence still lasting has no end known yet.
OPEN_END_LABELS: dict[str, str | Promise] = {rules_of_schedule.CATEGORY: _("without end date")}
OPEN_END_DEFAULT = _("while the absence lasts")
#: Absences are personal data (structure.rules.sees_personal_data_of): a viewer who may not see the person's
#: absences (an association head, the administrator) reads one neutral line instead of pregnancy, leave or illness.
PERSONAL_REASONS = frozenset(
    {rules_of_schedule.PREGNANCY, rules_of_schedule.MATERNITY, rules_of_schedule.PARENTAL, rules_of_schedule.SICK_LEAVE}
)
PERSONAL = "personal"
PERSONAL_LABEL = _("personal circumstances")


# ---------------------------------------------------------------- the records


def _conformity_passed() -> QuerySet[AttestationCase]:
    return (
        AttestationCase.objects.filter(
            kind=CaseKind.CONFORMITY, decision=CaseDecision.CONFORMS, decided_on__isnull=False
        )
        .only("pk", "person_id", "decided_on")
        .order_by("decided_on", "pk")
    )


def _prefetches() -> list[Prefetch]:
    """What record_of() reads, each into its own attribute (to_attr): a person's own prefetch cache is not touched.
    Ordered by their own columns: the models' default orderings would join the people again."""
    return [
        Prefetch(
            "categories",
            queryset=Category.objects.only("pk", "person_id", "kind", "set_on").order_by("set_on", "pk"),
            to_attr="held",
        ),
        Prefetch("absences", queryset=AbsencePeriod.objects.order_by("start", "pk"), to_attr="absence_periods"),
        Prefetch("attestations", queryset=_conformity_passed(), to_attr="conformity_passed"),
        Prefetch(
            "trainings",
            queryset=TrainingRecord.objects.filter(status=TrainingStatus.CONFIRMED)
            .only("pk", "person_id", "kind", "end", "hours")
            .order_by("end", "pk"),
            to_attr="confirmed_trainings",
        ),
    ]


def with_records(people: QuerySet[Person]) -> QuerySet[Person]:
    """`people` with their position and everything record_of() reads: four prefetch queries for any number."""
    return people.select_related("position").prefetch_related(*_prefetches())


#: The columns of the rows a union of records reads (_tagged): every one an annotation, so that each part of the
#: union names them in this order (a model's own fields would come first in its part's SELECT).
_COLUMNS = ("row_tag", "row_person", "row_kind", "row_first", "row_second", "row_hours", "row_key")


def _tagged(queryset: QuerySet, tag: str, *, first: str, kind: str = "", second: str = "", hours: str = "") -> QuerySet:
    """A part of a UNION ALL of records of different kinds: (tag, person, kind, first day, second day, hours, pk)."""
    return (
        queryset.order_by()
        .annotate(
            row_tag=Value(tag, output_field=CharField()),
            row_person=F("person_id"),
            row_kind=F(kind) if kind else Value("", output_field=CharField()),
            row_first=F(first),
            # Typed NULLs: PostgreSQL types a union's column part by part, and two bare NULLs make it text.
            row_second=F(second) if second else Cast(Value(None), DateField()),
            row_hours=F(hours) if hours else Cast(Value(None), IntegerField()),
            row_key=F("pk"),
        )
        .values_list(*_COLUMNS)
    )


def own_record(person: Person) -> rules_of_schedule.PersonRecord:
    """The record of one person already in hand (with their position), read as with_records() reads it for many —
    the same rows in the same order — but in one query: the four kinds of rows joined by UNION ALL (the dashboard
    shows every teacher their own dates)."""
    categories, absences, passed, trainings = (cast(QuerySet, prefetch.queryset) for prefetch in _prefetches())
    union = (
        _tagged(categories.filter(person=person), "category", kind="kind", first="set_on")
        .union(
            _tagged(absences.filter(person=person), "absence", kind="kind", first="start", second="end"),
            _tagged(passed.filter(person=person), "passed", first="decided_on"),
            _tagged(trainings.filter(person=person), "training", kind="kind", first="end", hours="hours"),
            all=True,
        )
        .order_by()
    )  # the union would take Category's default ordering, which names no column of the rows
    found: dict[str, list] = {"category": [], "absence": [], "passed": [], "training": []}
    for tag, _person, kind, first, second, hours, pk in union:
        found[tag].append((first, pk, kind, second, hours))
    for values in found.values():
        values.sort(key=lambda row: (row[0], row[1]))  # as the prefetches order them: by their day, then pk
    mine = copy.copy(person)
    mine.held = [  # type: ignore[attr-defined]
        Category(pk=pk, kind=kind, set_on=on) for on, pk, kind, _, _ in found["category"]
    ]
    mine.absence_periods = [  # type: ignore[attr-defined]
        AbsencePeriod(pk=pk, kind=kind, start=on, end=end) for on, pk, kind, end, _ in found["absence"]
    ]
    mine.conformity_passed = [  # type: ignore[attr-defined]
        AttestationCase(pk=pk, decided_on=on) for on, pk, _, _, _ in found["passed"]
    ]
    mine.confirmed_trainings = [  # type: ignore[attr-defined]
        TrainingRecord(pk=pk, kind=kind, end=on, hours=hours) for on, pk, kind, _, hours in found["training"]
    ]
    return record_of(mine)


def record_of(person: Person) -> rules_of_schedule.PersonRecord:
    """The rules' input for a person fetched through with_records()."""
    position = person.position
    held: list[Category] = person.held  # type: ignore[attr-defined]
    absences: list[AbsencePeriod] = person.absence_periods  # type: ignore[attr-defined]
    passed: list[AttestationCase] = person.conformity_passed  # type: ignore[attr-defined]
    trainings: list[TrainingRecord] = person.confirmed_trainings  # type: ignore[attr-defined]
    return rules_of_schedule.PersonRecord(
        pedagogical=bool(position is not None and position.is_pedagogical and not person.is_external),
        position_since=person.position_since,
        categories=tuple(rules_of_schedule.CategoryHeld(c.kind, c.set_on) for c in held),
        absences=tuple(rules_of_schedule.Absence(a.kind, a.start, a.end) for a in absences),
        attested=tuple(case.decided_on for case in passed if case.decided_on),
        trainings=tuple(rules_of_schedule.Training(t.kind, t.end, t.hours) for t in trainings),
        professional_cycle=person.professional_cycle,
    )


def records_on(
    people: QuerySet[Person], day: datetime.date, *, trainings: bool = True
) -> list[tuple[Person, rules_of_schedule.PersonRecord]]:
    """Each person of `people` with a record that answers the rules on `day` and on no other day: of their
    trainings and positive decisions only the latest up to `day` that the rules read there (the last course, the
    last internship, the last decision; the hours of the last 3 years are left out), with every category and
    absence. The dashboard's summary of everyone reads a row per person so, not the years of their trainings:
    two queries (the people with those latest days, then their categories and absences together). Without
    `trainings` the records have none (the schedule reads none)."""

    def latest(queryset: QuerySet, field: str) -> Subquery:
        rows = queryset.filter(person=OuterRef("pk"), **{f"{field}__lte": day}).order_by().values("person")
        return Subquery(rows.annotate(latest=Max(field)).values("latest"))

    confirmed = TrainingRecord.objects.filter(status=TrainingStatus.CONFIRMED)
    no_day = Value(None, output_field=DateField())
    found = list(
        people.select_related("position").annotate(
            last_course=latest(confirmed.filter(kind__in=COURSE_KINDS), "end") if trainings else no_day,
            last_internship=latest(confirmed.filter(kind=TrainingKind.INTERNSHIP), "end") if trainings else no_day,
            last_passed=latest(_conformity_passed(), "decided_on"),
        )
    )
    held: dict[int, list] = {}
    absent: dict[int, list] = {}
    ids = people.values("pk")
    categories = _tagged(Category.objects.filter(person_id__in=ids), "category", kind="kind", first="set_on")
    absences = _tagged(
        AbsencePeriod.objects.filter(person_id__in=ids), "absence", kind="kind", first="start", second="end"
    )
    rows = categories.union(absences, all=True).order_by()
    for tag, person_id, kind, start, end, _hours, _pk in sorted(rows, key=lambda row: (row[3], row[6])):
        if tag == "category":
            held.setdefault(person_id, []).append(rules_of_schedule.CategoryHeld(kind, start))
        else:
            absent.setdefault(person_id, []).append(rules_of_schedule.Absence(kind, start, end))
    result: list[tuple[Person, rules_of_schedule.PersonRecord]] = []
    for person in found:
        latest_trainings = [
            rules_of_schedule.Training(kind, end, 0)
            for kind, end in (
                (TrainingKind.QUALIFICATION, person.last_course),
                (TrainingKind.INTERNSHIP, person.last_internship),
            )
            if end is not None
        ]
        position = person.position
        record = rules_of_schedule.PersonRecord(
            pedagogical=bool(position is not None and position.is_pedagogical and not person.is_external),
            position_since=person.position_since,
            categories=tuple(held.get(person.pk, ())),
            absences=tuple(absent.get(person.pk, ())),
            attested=(person.last_passed,) if person.last_passed else (),
            trainings=tuple(latest_trainings),
            professional_cycle=person.professional_cycle,
        )
        result.append((person, record))
    return result


# ---------------------------------------------------------------- the statuses of many people, in the database


def _absences_exempting_on(day: datetime.date) -> Q:
    """The absences whose exemption (attestation.schedule._exemption_end) runs on `day`, whatever their start."""
    after = list(rules_of_schedule.YEARS_AFTER_ABSENCE)
    condition = ~Q(kind__in=after) & Q(end__gte=rules_of_schedule.absence_end_from(AbsenceKind.PREGNANCY, day))
    for kind in rules_of_schedule.YEARS_AFTER_ABSENCE:
        condition |= Q(kind=kind, end__gte=rules_of_schedule.absence_end_from(kind, day))
    return condition


def _having(queryset: QuerySet) -> Q:
    """The people with a row in `queryset` (an uncorrelated IN: the database reads it once for everyone)."""
    return Q(pk__in=queryset.order_by().values("person_id"))


def with_status(people: QuerySet[Person], day: datetime.date) -> QuerySet[Person]:
    """`people` with `status` — attestation.schedule.schedule()'s on `day` — and `apply_now` (the category in force
    ends within 6 months) computed by the database from the bounds the rules give (attestation.schedule.StatusBounds:
    the same answers as comparisons), so that a page counts, filters and pages everyone without reading their
    records; a few reads of each table of records, whatever the number of people."""
    bounds = rules_of_schedule.status_bounds(day)
    one_day = datetime.timedelta(days=1)
    in_force = Category.objects.filter(set_on__gte=bounds.category_from, set_on__lte=day)
    started = AbsencePeriod.objects.filter(start__lte=day)
    passed = _conformity_passed().filter(decided_on__lte=day)
    categories = Category.objects.filter(set_on__lte=day)

    def cycle_from(start: datetime.date) -> Q:
        """The cycle starts on or after `start` (among the people exempt by nothing)."""
        before = start - one_day
        return (
            Q(position_since__gte=start)
            | _having(passed.filter(decided_on__gte=start))
            | _having(categories.filter(set_on__gte=rules_of_schedule.category_set_from(before)))
            | _having(started.filter(_absences_exempting_on(before)))
        )

    teaching = Q(is_external=False, position__is_pedagogical=True)
    exempt = (
        _having(in_force)
        | Q(position_since__gte=bounds.new_in_position_from, position_since__lte=day)
        | _having(started.filter(Q(end__isnull=True) | _absences_exempting_on(day)))
    )
    # the latest category in force was set before apply_before: one is in force, and none set on or after that day
    apply_now = teaching & _having(in_force) & ~_having(in_force.filter(set_on__gte=bounds.apply_before))
    return people.annotate(
        status=Case(
            When(~teaching, then=Value(rules_of_schedule.NOT_APPLICABLE)),
            When(exempt, then=Value(rules_of_schedule.EXEMPT)),
            When(cycle_from(bounds.scheduled_from), then=Value(rules_of_schedule.SCHEDULED)),
            When(cycle_from(bounds.due_from), then=Value(rules_of_schedule.DUE_SOON)),
            default=Value(rules_of_schedule.OVERDUE),
            output_field=CharField(),
        ),
        apply_now=Case(When(apply_now, then=Value(True)), default=Value(False), output_field=BooleanField()),
    )


@dataclass(frozen=True)
class StatusList:
    pks: list[int]  # the people the status filter leaves, in the schedule's order (by name)
    counts: dict[str, int]  # how many people each status filter of the page would leave (status_counts)


def status_list(people: QuerySet[Person], day: datetime.date, status: str = "") -> StatusList:
    """Everyone of `people` sorted into the statuses on `day` (with_status), the counts of each status filter, and
    the people `status` leaves: one query, a row of three values a person."""
    rows = list(
        with_status(people, day)
        .order_by("last_name", "first_name", "patronymic", "pk")
        .values_list("pk", "status", "apply_now")  # type: ignore[misc]  # annotations of with_status
    )
    found = Counter(found for _pk, found, _apply in rows)
    counts = {key: found[key] for key in STATUS_LABELS}
    counts[APPLY_NOW] = sum(apply for _pk, _found, apply in rows)
    if not status:
        pks = [pk for pk, _found, _apply in rows]
    elif status == APPLY_NOW:
        pks = [pk for pk, _found, apply in rows if apply]
    else:
        pks = [pk for pk, found, _apply in rows if found == status]
    return StatusList(pks=pks, counts=counts)


def schedule_rows_of(pks: list[int], day: datetime.date, viewer: Roles | None = None) -> list[ScheduleRow]:
    """The rows of the people `pks` (a page of status_list), in that order: schedule_rows, two queries."""
    rows = {row.person.pk: row for row in schedule_rows(Person.objects.filter(pk__in=pks), day, viewer)}
    return [rows[pk] for pk in pks if pk in rows]


#: The kinds of training that count as ДПО (a course or retraining), as attestation.schedule reads them.
COURSE_KINDS = (TrainingKind.QUALIFICATION, TrainingKind.RETRAINING)


def person_records(people: QuerySet[Person]) -> list[tuple[Person, rules_of_schedule.PersonRecord]]:
    """Each person of `people` with their record, in the queryset's order. Five queries."""
    return [(person, record_of(person)) for person in with_records(people)]


# ---------------------------------------------------------------- who is listed, who sees whom


def teaching_staff() -> QuerySet[Person]:
    """Everyone the schedule lists: staff in a teaching position (external researchers are not the college's)."""
    return Person.objects.staff().filter(position__is_pedagogical=True)


def schedule_people(roles: Roles, day: datetime.date) -> QuerySet[Person]:
    """The teaching staff whose schedule the user sees (attestation.view_person_schedule, as a query)."""
    people = teaching_staff()
    if sees_everyone(roles):
        return people
    me = roles.person
    if me is None or me.is_external:
        return people.none()
    if roles.is_association_head:
        members = association_members(roles, day).values("person_id")
        return people.filter(Q(pk=me.pk) | Q(pk__in=members))
    return people.filter(pk=me.pk)


def in_unit(people: QuerySet[Person], unit: Unit, day: datetime.date) -> QuerySet[Person]:
    """Those of `people` with a membership in `unit` on `day` (any role)."""
    return people.filter(pk__in=Membership.objects.active_on(day).filter(unit=unit).values("person_id"))


# ---------------------------------------------------------------- the rows of the page


@dataclass(frozen=True)
class ExemptionLine:
    reason: str
    label: str | Promise
    until: datetime.date | None
    open_end: str | Promise  # what `until` None means for this reason


@dataclass(frozen=True)
class ScheduleRow:
    person: Person
    schedule: rules_of_schedule.Schedule
    private: bool = False  # the viewer may not see this person's absences: their reasons are not named

    @property
    def status(self) -> str:
        return self.schedule.status

    @property
    def status_label(self) -> str | Promise:
        return STATUS_LABELS.get(self.status, "")

    @property
    def badge(self) -> str:
        return STATUS_BADGES.get(self.status, "text-bg-light")

    @property
    def apply_now(self) -> bool:
        """The category ends within 6 months: time to apply for it again (DOMAIN.md: 3 months before at least)."""
        return self.schedule.category_ends_within is not None

    @property
    def category_label(self) -> str:
        category = self.schedule.category
        if category is None:
            return ""
        return str(CategoryKind(category.kind).label) if category.kind in CategoryKind.values else category.kind

    @property
    def exemptions(self) -> list[ExemptionLine]:
        lines: list[ExemptionLine] = []
        for e in self.schedule.exemptions:
            if self.private and e.reason in PERSONAL_REASONS:
                if any(line.reason == PERSONAL for line in lines):
                    continue  # one neutral line, with the longest of those ends (the list is longest first)
                lines.append(ExemptionLine(PERSONAL, PERSONAL_LABEL, e.until, OPEN_END_DEFAULT))
                continue
            lines.append(
                ExemptionLine(
                    e.reason,
                    REASON_LABELS.get(e.reason, e.reason),
                    e.until,
                    OPEN_END_LABELS.get(e.reason, OPEN_END_DEFAULT),
                )
            )
        return lines

    def matches(self, status: str | None) -> bool:
        if not status:
            return True
        if status == APPLY_NOW:
            return self.apply_now
        return self.status == status


def schedule_rows(people: QuerySet[Person], day: datetime.date, viewer: Roles | None = None) -> list[ScheduleRow]:
    """The schedule of each person on `day`; with `viewer`, the reasons that are personal data (absences) are named
    only to those who may see them (structure.rules.sees_personal_data_of). Two queries for any number of people,
    whatever the years of their records (records_on: the schedule reads no training, and of the decisions only the
    latest)."""
    return [
        ScheduleRow(
            person,
            rules_of_schedule.schedule(record, day),
            private=viewer is not None and not sees_personal_data_of(viewer, person),
        )
        for person, record in records_on(people.only(*SHOWN), day, trainings=False)
    ]


#: What the schedule's rows (its page, its export) and its rules read of a person: nothing of their CV.
SHOWN = (
    "last_name",
    "first_name",
    "patronymic",
    "position__name",
    "position__is_pedagogical",
    "position_since",
    "is_external",
    "professional_cycle",
)


def status_counts(rows: list[ScheduleRow]) -> dict[str, int]:
    """How many rows each status filter of the page would leave."""
    counts = Counter(row.status for row in rows)
    return {
        status: (sum(row.apply_now for row in rows) if status == APPLY_NOW else counts[status])
        for status in STATUS_LABELS
    }


# ---------------------------------------------------------------- the dashboard


@dataclass(frozen=True)
class Reminder:
    """One of a person's due dates on the dashboard: what, by when (None: nothing on record yet), and whether it is
    already late or (`apply_now`) a category to apply for again."""

    text: str | Promise
    day: datetime.date | None
    overdue: bool = False
    apply_now: bool = False


def reminders(record: rules_of_schedule.PersonRecord, day: datetime.date) -> list[Reminder]:
    """A person's own due dates on `day`: conformity attestation due within 6 months or overdue, a category ending
    within 6 months, ДПО (and, for the professional cycle, an internship) due within 6 months or overdue, or none on
    record. The earliest first."""
    if not record.pedagogical:
        return []
    found: list[Reminder] = []
    plan = rules_of_schedule.schedule(record, day)
    if plan.status in (rules_of_schedule.OVERDUE, rules_of_schedule.DUE_SOON):
        text = (
            _("Conformity attestation due by")
            if plan.due_by
            else _("Conformity attestation: no date of taking the position on record")
        )
        found.append(Reminder(text, plan.due_by, overdue=plan.status == rules_of_schedule.OVERDUE))
    if plan.category_ends_within is not None and plan.category_until is not None:
        found.append(Reminder(_("Your qualification category is in force until"), plan.category_until, apply_now=True))
    training = rules_of_schedule.training_compliance(record, day)
    soon = rules_of_schedule.add_months(day, rules_of_schedule.SOON_MONTHS)
    wanted = [
        (
            _("Professional development course (ПК) due by"),
            _("No professional development course (ПК) on record"),
            training.course_due_by,
        )
    ]
    if record.professional_cycle:
        wanted.append(
            (_("Internship (стажировка) due by"), _("No internship (стажировка) on record"), training.internship_due_by)
        )
    for text, none_yet, due in wanted:
        if due is None:
            found.append(Reminder(none_yet, None, overdue=True))
        elif due <= soon:
            found.append(Reminder(text, due, overdue=due < day))
    return sorted(found, key=lambda r: r.day or datetime.date.min)


@dataclass(frozen=True)
class StaffSummary:
    """Everyone due soon or overdue, as the methodist's dashboard counts them (each links to the filtered list)."""

    overdue: int
    due_soon: int
    apply_now: int
    training_overdue: int
    training_due_soon: int

    @property
    def total(self) -> int:
        return self.overdue + self.due_soon + self.apply_now + self.training_overdue + self.training_due_soon


def dashboard_rows(roles: Roles, day: datetime.date) -> dict:
    """The attestation rows of the dashboard (metodservice/views.py) on `day`:

    - `attestation_mine`: the user's own due dates (a list of Reminder), for a person in a teaching position;
    - `attestation_staff`: for the methodist and the deputy, the counts of everyone due soon or overdue
      (StaffSummary).

    One query for a teacher (own_record), one for the methodist or the deputy (staff_summary: everyone's statuses
    worked out by the database) and one more for their own record if they teach, none for anyone else."""
    person = roles.person
    rows: dict = {}
    if person is None or person.is_external:
        return rows
    teaching = person.position is not None and person.position.is_pedagogical
    if roles.is_methodist or roles.is_deputy:
        rows["attestation_staff"] = staff_summary(day)
    if teaching:
        rows["attestation_mine"] = reminders(own_record(person), day)
    return rows


def staff_summary(day: datetime.date) -> StaffSummary:
    """The counts of the teaching staff due soon or overdue on `day`: one query, grouped by the rules' answers
    worked out by the database (with_status, training.with_compliance), so a few rows whatever the staff."""
    summary = Counter[str]()
    rows = (
        with_compliance(with_status(teaching_staff(), day), day)
        .order_by()
        .values_list("status", "apply_now", "compliance")  # type: ignore[misc]
        .annotate(people=Count("pk"))
    )
    for status, apply_now, compliance, people in rows:
        summary[status] += people
        summary[APPLY_NOW] += people if apply_now else 0
        summary["training_" + compliance] += people
    return StaffSummary(
        overdue=summary[rules_of_schedule.OVERDUE],
        due_soon=summary[rules_of_schedule.DUE_SOON],
        apply_now=summary[APPLY_NOW],
        training_overdue=summary["training_" + rules_of_schedule.OVERDUE],
        training_due_soon=summary["training_" + rules_of_schedule.DUE_SOON],
    )
