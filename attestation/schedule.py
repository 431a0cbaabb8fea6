"""The attestation schedule and professional-development compliance: pure functions of a person's record and a day.

Nothing here reads the database or the clock: the inputs are plain values (attestation.selectors builds them from
the models), so every rule can be checked against a case worked out by hand (tests/attestation/test_schedule.py,
README "The attestation schedule"). The rules are DOMAIN.md's (Приказ Минпросвещения № 196; 273-ФЗ ст. 47;
Приказ Минобрнауки № 266; ФГОС СПО), with the project's readings of what the rules leave open written next to them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from metodservice.common.dates import add_months, add_years

#: Conformity attestation: once every 5 years (п. 12 of the Procedure).
CONFORMITY_YEARS = 5
#: Not attested in the first 2 years in the position at this college.
NEW_IN_POSITION_YEARS = 2
#: Parental leave: attested no earlier than 2 years after return; long sick leave: no earlier than 1 year after.
AFTER_PARENTAL_YEARS = 2
AFTER_SICK_LEAVE_YEARS = 1
#: The absences that exempt for some years after return, by kind (structure.models.AbsenceKind); any other kind
#: (pregnancy, maternity leave) exempts while it lasts.
YEARS_AFTER_ABSENCE = {"parental": AFTER_PARENTAL_YEARS, "sick_leave": AFTER_SICK_LEAVE_YEARS}
#: Categories set on or after this day have no end; those set before keep 5 years.
OPEN_ENDED_FROM = datetime.date(2023, 9, 1)
CATEGORY_YEARS = 5
#: Professional development (ДПО) and, for the professional cycle, an internship: at least once every 3 years.
TRAINING_YEARS = 3
#: "Due soon" windows, in months: conformity and ДПО due within 6; a category ending within 3 or 6 ("apply now").
SOON_MONTHS = 6
APPLY_NOW_MONTHS = (3, 6)


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class CategoryHeld:
    kind: str  # attestation.models.CategoryKind
    set_on: datetime.date


@dataclass(frozen=True)
class Absence:
    kind: str  # structure.models.AbsenceKind: pregnancy | maternity | parental | sick_leave
    start: datetime.date
    end: datetime.date | None  # None while it lasts


@dataclass(frozen=True)
class Training:
    kind: str  # attestation.models.TrainingKind: qualification | retraining | internship
    end: datetime.date
    hours: int


@dataclass(frozen=True)
class PersonRecord:
    """What the rules read about a person. `attested` = the days of positive conformity decisions."""

    pedagogical: bool  # holds a teaching position (the rules apply to teaching staff only)
    position_since: datetime.date | None
    categories: tuple[CategoryHeld, ...] = ()
    absences: tuple[Absence, ...] = ()
    attested: tuple[datetime.date, ...] = ()
    trainings: tuple[Training, ...] = ()  # confirmed records only
    professional_cycle: bool = False


# ---------------------------------------------------------------- date arithmetic


def last_day_of_term(start: datetime.date, years: int) -> datetime.date:
    """The last day of a term of `years` years that starts on `start`: the day before its anniversary."""
    return add_years(start, years) - datetime.timedelta(days=1)


# ---------------------------------------------------------------- categories


def category_until(category: CategoryHeld) -> datetime.date | None:
    """The last day the category is in force; None: no end (set on or after 01.09.2023)."""
    if category.set_on >= OPEN_ENDED_FROM:
        return None
    return last_day_of_term(category.set_on, CATEGORY_YEARS)


def current_category(record: PersonRecord, day: datetime.date) -> CategoryHeld | None:
    """The category in force on `day`: the latest set on or before it that has not ended."""
    held = [c for c in record.categories if c.set_on <= day and ((until := category_until(c)) is None or until >= day)]
    return max(held, key=lambda c: c.set_on, default=None)


# ---------------------------------------------------------------- the schedule


EXEMPT = "exempt"
OVERDUE = "overdue"
DUE_SOON = "due_soon"
SCHEDULED = "scheduled"
NOT_APPLICABLE = "not_applicable"

# Reasons of an exemption (the view words them).
CATEGORY = "category"
NEW_IN_POSITION = "new_in_position"
PREGNANCY = "pregnancy"
MATERNITY = "maternity"
PARENTAL = "parental"
SICK_LEAVE = "sick_leave"


@dataclass(frozen=True)
class Exemption:
    reason: str
    until: datetime.date | None  # the last exempt day; None: no end known (an open absence, a category without end)


@dataclass(frozen=True)
class Schedule:
    """The attestation status of a person on `day`."""

    day: datetime.date
    status: str  # exempt | overdue | due_soon | scheduled | not_applicable
    category: CategoryHeld | None = None
    category_until: datetime.date | None = None  # None with a category: no end
    category_ends_within: int | None = None  # 3 or 6 (months) when the category ends that soon: apply now
    exemptions: tuple[Exemption, ...] = ()  # every reason that holds on `day`, the longest first
    due_by: datetime.date | None = None  # conformity attestation: the last day of the current five-year cycle
    cycle_start: datetime.date | None = None  # where that cycle counts from
    notes: tuple[str, ...] = field(default=())

    @property
    def exempt_until(self) -> datetime.date | None:
        return self.exemptions[0].until if self.exemptions else None


def _absence_exemption(absence: Absence, day: datetime.date) -> Exemption | None:
    """The exemption an absence gives on `day`, if any: during it, and after a parental or a long sick leave for 2
    years / 1 year after return (the day after it ends)."""
    if absence.start > day:
        return None
    until = _exemption_end(absence)
    if until is None:
        return Exemption(absence.kind, None)
    return Exemption(absence.kind, until) if until >= day else None


def _exemption_end(absence: Absence) -> datetime.date | None:
    """The last exempt day an absence gives, whatever the day (None while it lasts)."""
    if absence.end is None:
        return None
    after = YEARS_AFTER_ABSENCE.get(absence.kind, 0)
    return last_day_of_term(absence.end + datetime.timedelta(days=1), after) if after else absence.end


def _longest_first(exemptions: Iterable[Exemption]) -> tuple[Exemption, ...]:
    far = datetime.date.max
    return tuple(sorted(exemptions, key=lambda e: (e.until or far, e.reason), reverse=True))


def schedule(record: PersonRecord, day: datetime.date) -> Schedule:
    """Who must be attested for conformity to the position, by when, or why not, on `day`.

    - Only teaching staff (`pedagogical`) are attested: anyone else is not_applicable.
    - Exempt while any of these holds (all are listed, the longest first): a category in force (until its end, or
      without end); less than 2 years in the position (to the day before the 2nd anniversary of `position_since`);
      pregnancy or maternity leave (to its end); parental leave and 2 years after return; a sick leave of over 4
      months and 1 year after return. Overlapping periods simply add up: the latest end wins.
    - The five-year cycle counts from the latest of: the last positive conformity decision, the day the position
      was taken, and the day after the end of the last exemption by a category or an absence (a lapsed category,
      a return from leave: the teacher gets a full cycle, not an attestation the day after). The last day of the
      cycle (`due_by`) is the day before its 5th anniversary: overdue after it, due_soon within 6 months of it,
      else scheduled.
    """
    if not record.pedagogical:
        return Schedule(day=day, status=NOT_APPLICABLE)
    category = current_category(record, day)
    until = category_until(category) if category else None
    ends_within = None
    if category is not None and until is not None:
        ends_within = next((m for m in APPLY_NOW_MONTHS if until <= add_months(day, m)), None)

    exemptions = []
    if category is not None:
        exemptions.append(Exemption(CATEGORY, until))
    if record.position_since is not None:
        new_until = last_day_of_term(record.position_since, NEW_IN_POSITION_YEARS)
        if record.position_since <= day <= new_until:
            exemptions.append(Exemption(NEW_IN_POSITION, new_until))
    exemptions.extend(e for a in record.absences if (e := _absence_exemption(a, day)) is not None)

    # Where the current cycle counts from: never before the position was taken or the last attestation, and after
    # the end of any exemption by a category or an absence that has ended by `day`.
    starts = [d for d in (record.position_since, *[a for a in record.attested if a <= day]) if d is not None]
    for held in record.categories:
        held_until = category_until(held)
        if held.set_on <= day and held_until is not None and held_until < day:
            starts.append(held_until + datetime.timedelta(days=1))
    for absence in record.absences:
        end = _exemption_end(absence)
        if absence.start <= day and end is not None and end < day:
            starts.append(end + datetime.timedelta(days=1))
    cycle_start = max(starts, default=None)
    due_by = last_day_of_term(cycle_start, CONFORMITY_YEARS) if cycle_start else None

    notes: tuple[str, ...]
    if exemptions:
        status, notes = EXEMPT, ()
    elif due_by is None:
        status, notes = OVERDUE, ("no_position_date",)
    elif due_by < day:
        status, notes = OVERDUE, ()
    elif due_by <= add_months(day, SOON_MONTHS):
        status, notes = DUE_SOON, ()
    else:
        status, notes = SCHEDULED, ()
    return Schedule(
        day=day,
        status=status,
        category=category,
        category_until=until,
        category_ends_within=ends_within,
        exemptions=_longest_first(exemptions),
        due_by=None if exemptions else due_by,
        cycle_start=None if exemptions else cycle_start,
        notes=notes,
    )


# ---------------------------------------------------------------- the statuses as bounds on the columns


def first_start_running_on(day: datetime.date, years: int) -> datetime.date:
    """The earliest start of a term of `years` years still running on `day` (last_day_of_term is `day` or later).
    last_day_of_term never goes back as the start moves on, so a term runs on `day` exactly when it starts on or
    after this day: one comparison answers for every start, 29 February included."""
    start = add_years(day, -years)
    while last_day_of_term(start, years) >= day:
        start -= datetime.timedelta(days=1)
    while last_day_of_term(start, years) < day:
        start += datetime.timedelta(days=1)
    return start


def category_set_from(day: datetime.date) -> datetime.date:
    """The earliest `set_on` of a category still in force on `day` (category_until is None or `day` or later)."""
    return min(OPEN_ENDED_FROM, first_start_running_on(day, CATEGORY_YEARS))


def absence_end_from(kind: str, day: datetime.date) -> datetime.date:
    """The earliest `end` of an absence of `kind` that still exempts on `day` (_exemption_end is `day` or later)."""
    after = YEARS_AFTER_ABSENCE.get(kind, 0)
    return first_start_running_on(day, after) - datetime.timedelta(days=1) if after else day


@dataclass(frozen=True)
class StatusBounds:
    """schedule()'s status on `day` and its «apply now», as comparisons of a teacher's own columns with fixed days,
    for a database to sort many people at once (attestation.selectors.schedule.with_status; the tests check it
    against schedule() person by person):

    - exempt: a category set on a day in [category_from, day]; `position_since` in [new_in_position_from, day]; an
      absence started by `day` that has not ended or ends on or after absence_end_from(kind, day);
    - apply now: exempt by a category, and the latest category in force was set before `apply_before`;
    - otherwise every category set and every absence started by `day` has ended (else the person would be exempt),
      and the cycle starts on or after a day X when one of its sources does (cycle_sources_from): `position_since`
      on or after X, a positive conformity decision in [X, day], a category set by `day` and on or after
      category_set_from(X - 1), an absence started by `day` that ends on or after absence_end_from(kind, X - 1).
      A cycle from `scheduled_from` on is scheduled, from `due_from` on due soon, anything earlier (or none) overdue.
    """

    day: datetime.date
    category_from: datetime.date
    apply_before: datetime.date
    new_in_position_from: datetime.date
    due_from: datetime.date
    scheduled_from: datetime.date


def status_bounds(day: datetime.date) -> StatusBounds:
    after_soon = add_months(day, SOON_MONTHS) + datetime.timedelta(days=1)
    return StatusBounds(
        day=day,
        category_from=category_set_from(day),
        apply_before=category_set_from(add_months(day, max(APPLY_NOW_MONTHS)) + datetime.timedelta(days=1)),
        new_in_position_from=first_start_running_on(day, NEW_IN_POSITION_YEARS),
        # due_by (the cycle's last day) is `day` or later; it is after `day` + 6 months
        due_from=first_start_running_on(day, CONFORMITY_YEARS),
        scheduled_from=first_start_running_on(after_soon, CONFORMITY_YEARS),
    )


# ---------------------------------------------------------------- professional development


COMPLIANT = "compliant"
#: The kinds of record that are ДПО (attestation.models.TrainingKind): a ПК course or retraining.
COURSE_KINDS = ("qualification", "retraining")
INTERNSHIP = "internship"


@dataclass(frozen=True)
class TrainingCompliance:
    """Professional development of a person on `day`: ДПО (a ПК course or retraining) within 3 years and, for the
    professional cycle, an internship within 3 years."""

    day: datetime.date
    status: str  # compliant | due_soon | overdue (the worse of the two requirements) | not_applicable
    last_course: datetime.date | None  # the end of the last ПК or retraining
    course_due_by: datetime.date | None
    last_internship: datetime.date | None
    internship_due_by: datetime.date | None  # None when no internship is required
    hours_3_years: int  # hours of every record that ended within the last 3 years (day included)


def _due_status(due_by: datetime.date | None, day: datetime.date) -> str:
    if due_by is None or due_by < day:
        return OVERDUE
    return DUE_SOON if due_by <= add_months(day, SOON_MONTHS) else COMPLIANT


def training_compliance(record: PersonRecord, day: datetime.date) -> TrainingCompliance:
    """From the confirmed records that ended on or before `day`: the next course is due the day before the 3rd
    anniversary of the last one's end (none yet: overdue); the same for an internship when `professional_cycle`."""
    done = [t for t in record.trainings if t.end <= day]
    courses = [t.end for t in done if t.kind in COURSE_KINDS]
    internships = [t.end for t in done if t.kind == INTERNSHIP]
    last_course = max(courses, default=None)
    last_internship = max(internships, default=None)
    course_due = last_day_of_term(last_course, TRAINING_YEARS) if last_course else None
    internship_due = last_day_of_term(last_internship, TRAINING_YEARS) if last_internship else None
    # Within the last 3 years = the record still counts on `day` (the same arithmetic as the due day, 29.02 included).
    hours = sum(t.hours for t in done if last_day_of_term(t.end, TRAINING_YEARS) >= day)
    if not record.pedagogical:
        status = NOT_APPLICABLE
    else:
        statuses = [_due_status(course_due, day)]
        if record.professional_cycle:
            statuses.append(_due_status(internship_due, day))
        status = next(s for s in (OVERDUE, DUE_SOON, COMPLIANT) if s in statuses)
    return TrainingCompliance(
        day=day,
        status=status,
        last_course=last_course,
        course_due_by=course_due,
        last_internship=last_internship,
        internship_due_by=internship_due if record.professional_cycle else None,
        hours_3_years=hours,
    )


@dataclass(frozen=True)
class TrainingBounds:
    """training_compliance() on `day` as bounds on the ends of confirmed records (for a database, as StatusBounds):
    a requirement is overdue without a record ended in [due_from, day], due soon without one in
    [compliant_from, day]; the hours of the last 3 years are those of the records ended in [due_from, day]."""

    day: datetime.date
    due_from: datetime.date
    compliant_from: datetime.date


def training_bounds(day: datetime.date) -> TrainingBounds:
    return TrainingBounds(
        day=day,
        due_from=first_start_running_on(day, TRAINING_YEARS),
        compliant_from=first_start_running_on(
            add_months(day, SOON_MONTHS) + datetime.timedelta(days=1), TRAINING_YEARS
        ),
    )
