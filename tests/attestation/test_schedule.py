"""The rules of attestation/schedule.py as a table of cases worked out by hand, one row per rule and per edge.

Every date is written out: a row reads «this record, on this day, gives this». The rules are DOMAIN.md's
("Attestation", "Professional development"), with the readings the README states ("The attestation schedule").
No database and no clock: the functions are pure, so these tests are not `dated`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest

from attestation.schedule import (
    CATEGORY,
    DUE_SOON,
    EXEMPT,
    MATERNITY,
    NEW_IN_POSITION,
    NOT_APPLICABLE,
    OVERDUE,
    PARENTAL,
    PREGNANCY,
    SCHEDULED,
    SICK_LEAVE,
    Absence,
    CategoryHeld,
    PersonRecord,
    Training,
    add_months,
    category_until,
    schedule,
    training_compliance,
)


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def teacher(
    since: str | None = "2015-09-01",
    *,
    categories: tuple[tuple[str, str], ...] = (),
    absences: tuple[tuple[str, str, str | None], ...] = (),
    attested: tuple[str, ...] = (),
    trainings: tuple[tuple[str, str, int], ...] = (),
    professional_cycle: bool = False,
    pedagogical: bool = True,
) -> PersonRecord:
    return PersonRecord(
        pedagogical=pedagogical,
        position_since=d(since) if since else None,
        categories=tuple(CategoryHeld(kind, d(set_on)) for kind, set_on in categories),
        absences=tuple(Absence(kind, d(start), d(end) if end else None) for kind, start, end in absences),
        attested=tuple(d(day) for day in attested),
        trainings=tuple(Training(kind, d(end), hours) for kind, end, hours in trainings),
        professional_cycle=professional_cycle,
    )


@dataclass(frozen=True)
class Row:
    """Expected: the status; `due_by` and `cycle_start` (conformity); the exemptions as (reason, until), the
    longest first; the category's last day and its «apply now» window (3 or 6 months)."""

    record: PersonRecord
    day: str
    status: str
    due_by: str | None = None
    cycle_start: str | None = None
    exemptions: tuple[tuple[str, str | None], ...] = ()
    category_until: str | None = None
    ends_within: int | None = None
    notes: tuple[str, ...] = field(default=())


SCHEDULE_CASES = {
    # ------------------------------------------------------------ who is attested
    "non-teaching staff: not applicable": Row(teacher(pedagogical=False), "2026-10-14", NOT_APPLICABLE),
    # ------------------------------------------------------------ less than 2 years in the position
    "first day in the position: exempt for 2 years": Row(
        teacher("2026-10-14"), "2026-10-14", EXEMPT, exemptions=((NEW_IN_POSITION, "2028-10-13"),)
    ),
    "2 years in the position less a day: still exempt": Row(
        teacher("2024-10-14"), "2026-10-13", EXEMPT, exemptions=((NEW_IN_POSITION, "2026-10-13"),)
    ),
    "exactly 2 years in the position: no longer exempt, the cycle counts from the position": Row(
        teacher("2024-10-14"), "2026-10-14", SCHEDULED, due_by="2029-10-13", cycle_start="2024-10-14"
    ),
    # ------------------------------------------------------------ the five-year cycle
    "never attested: the cycle from the position, long over": Row(
        teacher("2015-09-01"), "2026-10-14", OVERDUE, due_by="2020-08-31", cycle_start="2015-09-01"
    ),
    "last attestation: due the day before its 5th anniversary, within 6 months": Row(
        teacher(attested=("2022-03-01",)), "2026-10-14", DUE_SOON, due_by="2027-02-28", cycle_start="2022-03-01"
    ),
    "due the day before the 5th anniversary, more than 6 months away: scheduled": Row(
        teacher(attested=("2023-05-20",)), "2026-10-14", SCHEDULED, due_by="2028-05-19", cycle_start="2023-05-20"
    ),
    "due exactly 6 months ahead: due soon": Row(
        teacher(attested=("2022-04-15",)), "2026-10-14", DUE_SOON, due_by="2027-04-14", cycle_start="2022-04-15"
    ),
    "due 6 months and a day ahead: scheduled": Row(
        teacher(attested=("2022-04-16",)), "2026-10-14", SCHEDULED, due_by="2027-04-15", cycle_start="2022-04-16"
    ),
    "the last day of the cycle: due soon, not yet overdue": Row(
        teacher(attested=("2021-10-15",)), "2026-10-14", DUE_SOON, due_by="2026-10-14", cycle_start="2021-10-15"
    ),
    "the day after the cycle: overdue": Row(
        teacher(attested=("2021-10-14",)), "2026-10-14", OVERDUE, due_by="2026-10-13", cycle_start="2021-10-14"
    ),
    "the latest of several attestations counts": Row(
        teacher(attested=("2017-02-01", "2022-03-01")),
        "2026-10-14",
        DUE_SOON,
        due_by="2027-02-28",
        cycle_start="2022-03-01",
    ),
    "an attestation after the day is not yet known": Row(
        teacher(attested=("2027-01-10",)), "2026-10-14", OVERDUE, due_by="2020-08-31", cycle_start="2015-09-01"
    ),
    "a new position after the last attestation: the cycle from the position": Row(
        teacher("2022-09-01", attested=("2021-12-20",)),
        "2026-10-14",
        SCHEDULED,
        due_by="2027-08-31",
        cycle_start="2022-09-01",
    ),
    "no date of taking the position and no attestation: overdue, said so": Row(
        teacher(None), "2026-10-14", OVERDUE, notes=("no_position_date",)
    ),
    # ------------------------------------------------------------ categories
    "an old category on its last day (set 15.03.2021, in force to 14.03.2026): exempt": Row(
        teacher(categories=(("highest", "2021-03-15"),)),
        "2026-03-14",
        EXEMPT,
        exemptions=((CATEGORY, "2026-03-14"),),
        category_until="2026-03-14",
        ends_within=3,
    ),
    "the day after an old category ends: a full cycle from that day": Row(
        teacher(categories=(("highest", "2021-03-15"),)),
        "2026-03-15",
        SCHEDULED,
        due_by="2031-03-14",
        cycle_start="2026-03-15",
    ),
    "a category set on 31.08.2023 ends on 30.08.2028: exempt that day": Row(
        teacher(categories=(("first", "2023-08-31"),)),
        "2028-08-30",
        EXEMPT,
        exemptions=((CATEGORY, "2028-08-30"),),
        category_until="2028-08-30",
        ends_within=3,
    ),
    "a category set on 31.08.2023: not exempt on 31.08.2028": Row(
        teacher(categories=(("first", "2023-08-31"),)),
        "2028-08-31",
        SCHEDULED,
        due_by="2033-08-30",
        cycle_start="2028-08-31",
    ),
    "a category set on 01.09.2023 has no end": Row(
        teacher(categories=(("first", "2023-09-01"),)), "2040-01-01", EXEMPT, exemptions=((CATEGORY, None),)
    ),
    "a category ending within 3 months: apply now (3)": Row(
        teacher(categories=(("first", "2021-12-01"),)),
        "2026-10-14",
        EXEMPT,
        exemptions=((CATEGORY, "2026-11-30"),),
        category_until="2026-11-30",
        ends_within=3,
    ),
    "a category ending exactly 3 months ahead: 3": Row(
        teacher(categories=(("first", "2022-01-15"),)),
        "2026-10-14",
        EXEMPT,
        exemptions=((CATEGORY, "2027-01-14"),),
        category_until="2027-01-14",
        ends_within=3,
    ),
    "a category ending 3 months and a day ahead: 6": Row(
        teacher(categories=(("first", "2022-01-16"),)),
        "2026-10-14",
        EXEMPT,
        exemptions=((CATEGORY, "2027-01-15"),),
        category_until="2027-01-15",
        ends_within=6,
    ),
    "a category ending within 6 months: apply now (6)": Row(
        teacher(categories=(("highest", "2022-03-01"),)),
        "2026-10-14",
        EXEMPT,
        exemptions=((CATEGORY, "2027-02-28"),),
        category_until="2027-02-28",
        ends_within=6,
    ),
    "a category ending exactly 6 months ahead: 6": Row(
        teacher(categories=(("highest", "2022-04-15"),)),
        "2026-10-14",
        EXEMPT,
        exemptions=((CATEGORY, "2027-04-14"),),
        category_until="2027-04-14",
        ends_within=6,
    ),
    "a category ending 6 months and a day ahead: not yet": Row(
        teacher(categories=(("highest", "2022-04-16"),)),
        "2026-10-14",
        EXEMPT,
        exemptions=((CATEGORY, "2027-04-15"),),
        category_until="2027-04-15",
    ),
    "a later category without end replaces an old one": Row(
        teacher(categories=(("first", "2019-05-20"), ("highest", "2024-01-10"))),
        "2026-10-14",
        EXEMPT,
        exemptions=((CATEGORY, None),),
    ),
    "a category set after the day is not held yet": Row(
        teacher(categories=(("first", "2027-01-10"),)),
        "2026-10-14",
        OVERDUE,
        due_by="2020-08-31",
        cycle_start="2015-09-01",
    ),
    # ------------------------------------------------------------ absences
    "pregnancy, still lasting: exempt, no end known": Row(
        teacher(absences=((PREGNANCY, "2026-06-01", None),)), "2026-10-14", EXEMPT, exemptions=((PREGNANCY, None),)
    ),
    "maternity leave, its last day: exempt": Row(
        teacher(absences=((MATERNITY, "2026-03-01", "2026-07-18"),)),
        "2026-07-18",
        EXEMPT,
        exemptions=((MATERNITY, "2026-07-18"),),
    ),
    "after maternity leave: a full cycle from the day after": Row(
        teacher(absences=((MATERNITY, "2026-03-01", "2026-07-18"),)),
        "2026-07-19",
        SCHEDULED,
        due_by="2031-07-18",
        cycle_start="2026-07-19",
    ),
    "parental leave, still lasting: exempt": Row(
        teacher(absences=((PARENTAL, "2025-01-20", None),)), "2026-10-14", EXEMPT, exemptions=((PARENTAL, None),)
    ),
    "parental leave ended 13.10.2024: exempt 2 years after return, to 13.10.2026": Row(
        teacher(absences=((PARENTAL, "2023-01-10", "2024-10-13"),)),
        "2026-10-13",
        EXEMPT,
        exemptions=((PARENTAL, "2026-10-13"),),
    ),
    "parental leave ended 13.10.2024: on 14.10.2026 a full cycle starts": Row(
        teacher(absences=((PARENTAL, "2023-01-10", "2024-10-13"),)),
        "2026-10-14",
        SCHEDULED,
        due_by="2031-10-13",
        cycle_start="2026-10-14",
    ),
    "sick leave over 4 months ended 13.10.2025: exempt 1 year after return": Row(
        teacher(absences=((SICK_LEAVE, "2025-03-01", "2025-10-13"),)),
        "2026-10-13",
        EXEMPT,
        exemptions=((SICK_LEAVE, "2026-10-13"),),
    ),
    "sick leave over 4 months ended 13.10.2025: attested from 14.10.2026": Row(
        teacher(absences=((SICK_LEAVE, "2025-03-01", "2025-10-13"),)),
        "2026-10-14",
        SCHEDULED,
        due_by="2031-10-13",
        cycle_start="2026-10-14",
    ),
    "an absence that starts after the day: not exempt yet": Row(
        teacher(absences=((MATERNITY, "2026-11-01", None),)),
        "2026-10-14",
        OVERDUE,
        due_by="2020-08-31",
        cycle_start="2015-09-01",
    ),
    "overlapping leaves: every reason listed, the longest first": Row(
        teacher(
            absences=(
                (MATERNITY, "2024-01-10", "2024-05-28"),
                (PARENTAL, "2024-05-29", "2025-12-31"),
                (SICK_LEAVE, "2026-02-01", "2026-07-31"),
            )
        ),
        "2026-10-14",
        EXEMPT,
        exemptions=((PARENTAL, "2027-12-31"), (SICK_LEAVE, "2027-07-31")),
    ),
    "overlapping leaves: the cycle starts after the latest end": Row(
        teacher(
            absences=(
                (MATERNITY, "2024-01-10", "2024-05-28"),
                (PARENTAL, "2024-05-29", "2025-12-31"),
                (SICK_LEAVE, "2026-02-01", "2026-07-31"),
            )
        ),
        "2028-01-01",
        SCHEDULED,
        due_by="2032-12-31",
        cycle_start="2028-01-01",
    ),
    "a sick leave inside a longer exemption: the longer wins": Row(
        teacher(absences=((PARENTAL, "2024-05-29", "2025-12-31"), (SICK_LEAVE, "2025-02-01", "2025-06-30"))),
        "2027-01-01",
        EXEMPT,
        exemptions=((PARENTAL, "2027-12-31"),),
    ),
    "a category and a leave at once: both listed": Row(
        teacher(categories=(("first", "2021-03-15"),), absences=((PARENTAL, "2024-01-01", "2025-06-30"),)),
        "2026-03-01",
        EXEMPT,
        exemptions=((PARENTAL, "2027-06-30"), (CATEGORY, "2026-03-14")),
        category_until="2026-03-14",
        ends_within=3,
    ),
    # ------------------------------------------------------------ 29 February
    "in the position from 29.02.2024: exempt to 28.02.2026": Row(
        teacher("2024-02-29"), "2026-02-28", EXEMPT, exemptions=((NEW_IN_POSITION, "2026-02-28"),)
    ),
    "in the position from 29.02.2024: on 01.03.2026 due by 28.02.2029": Row(
        teacher("2024-02-29"), "2026-03-01", SCHEDULED, due_by="2029-02-28", cycle_start="2024-02-29"
    ),
    "attested on 29.02.2024: due by 28.02.2029": Row(
        teacher(attested=("2024-02-29",)), "2026-10-14", SCHEDULED, due_by="2029-02-28", cycle_start="2024-02-29"
    ),
    "a category set on 29.02.2020 is in force to 28.02.2025": Row(
        teacher(categories=(("first", "2020-02-29"),)),
        "2025-02-28",
        EXEMPT,
        exemptions=((CATEGORY, "2025-02-28"),),
        category_until="2025-02-28",
        ends_within=3,
    ),
    "due on 29.02.2028, seen on 31.08.2027: exactly 6 months (to the month's end)": Row(
        teacher(attested=("2023-03-01",)), "2027-08-31", DUE_SOON, due_by="2028-02-29", cycle_start="2023-03-01"
    ),
}


def _date(text: str | None) -> datetime.date | None:
    return d(text) if text else None


@pytest.mark.parametrize("case", SCHEDULE_CASES.values(), ids=SCHEDULE_CASES.keys())
def test_schedule(case: Row):
    result = schedule(case.record, d(case.day))
    assert result.day == d(case.day)
    assert result.status == case.status
    assert result.due_by == _date(case.due_by)
    assert result.cycle_start == _date(case.cycle_start)
    assert [(e.reason, e.until) for e in result.exemptions] == [(r, _date(u)) for r, u in case.exemptions]
    assert result.exempt_until == (_date(case.exemptions[0][1]) if case.exemptions else None)
    if case.category_until is not None:
        assert result.category_until == d(case.category_until)
    assert result.category_ends_within == case.ends_within
    assert result.notes == case.notes


def test_the_category_in_force_and_its_end():
    assert category_until(CategoryHeld("first", d("2023-08-31"))) == d("2028-08-30")
    assert category_until(CategoryHeld("first", d("2023-09-01"))) is None
    result = schedule(teacher(categories=(("first", "2019-05-20"), ("highest", "2024-01-10"))), d("2026-10-14"))
    assert result.category == CategoryHeld("highest", d("2024-01-10"))
    assert result.category_until is None and result.category_ends_within is None
    assert schedule(teacher(), d("2026-10-14")).category is None


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-08-31", 6, "2027-02-28"),
        ("2027-08-31", 6, "2028-02-29"),
        ("2026-10-14", 6, "2027-04-14"),
        ("2026-10-14", 3, "2027-01-14"),
        ("2026-11-30", 3, "2027-02-28"),
    ],
)
def test_months_ahead_end_on_the_months_last_day(day, months, expected):
    assert add_months(d(day), months) == d(expected)


# ---------------------------------------------------------------- professional development


@dataclass(frozen=True)
class TrainingRow:
    record: PersonRecord
    day: str
    status: str
    course_due_by: str | None = None
    internship_due_by: str | None = None
    hours: int = 0


def trained(*trainings: tuple[str, str, int], cycle: bool = False, pedagogical: bool = True) -> PersonRecord:
    return teacher(trainings=trainings, professional_cycle=cycle, pedagogical=pedagogical)


TRAINING_CASES = {
    "ПК more than 3 years ago: overdue": TrainingRow(
        trained(("qualification", "2023-10-13", 72)), "2026-10-14", OVERDUE, course_due_by="2026-10-12"
    ),
    "ПК exactly 3 years ago: overdue": TrainingRow(
        trained(("qualification", "2023-10-14", 72)), "2026-10-14", OVERDUE, course_due_by="2026-10-13"
    ),
    "ПК 3 years less a day ago: due soon (its last day), its hours count": TrainingRow(
        trained(("qualification", "2023-10-15", 72)), "2026-10-14", DUE_SOON, course_due_by="2026-10-14", hours=72
    ),
    "ПК due exactly 6 months ahead: due soon": TrainingRow(
        trained(("qualification", "2024-04-15", 36)), "2026-10-14", DUE_SOON, course_due_by="2027-04-14", hours=36
    ),
    "ПК due 6 months and a day ahead: compliant": TrainingRow(
        trained(("qualification", "2024-04-16", 36)), "2026-10-14", "compliant", course_due_by="2027-04-15", hours=36
    ),
    "no ПК on record: overdue": TrainingRow(trained(), "2026-10-14", OVERDUE),
    "retraining counts as ДПО": TrainingRow(
        trained(("retraining", "2025-06-30", 260)), "2026-10-14", "compliant", course_due_by="2028-06-29", hours=260
    ),
    "an internship is not a ПК course": TrainingRow(
        trained(("internship", "2025-06-30", 72)), "2026-10-14", OVERDUE, hours=72
    ),
    "no internship needed outside the professional cycle": TrainingRow(
        trained(("qualification", "2025-06-30", 36)), "2026-10-14", "compliant", course_due_by="2028-06-29", hours=36
    ),
    "professional cycle without an internship: overdue": TrainingRow(
        trained(("qualification", "2025-06-30", 36), cycle=True),
        "2026-10-14",
        OVERDUE,
        course_due_by="2028-06-29",
        hours=36,
    ),
    "professional cycle, internship due within 6 months: due soon": TrainingRow(
        trained(("qualification", "2025-06-30", 36), ("internship", "2024-01-10", 72), cycle=True),
        "2026-10-14",
        DUE_SOON,
        course_due_by="2028-06-29",
        internship_due_by="2027-01-09",
        hours=108,
    ),
    "professional cycle, both recent: compliant": TrainingRow(
        trained(("qualification", "2025-06-30", 36), ("internship", "2025-02-10", 72), cycle=True),
        "2026-10-14",
        "compliant",
        course_due_by="2028-06-29",
        internship_due_by="2028-02-09",
        hours=108,
    ),
    "hours in 3 years: the day 3 years back is out, records after the day too": TrainingRow(
        trained(
            ("qualification", "2023-10-14", 72),
            ("qualification", "2023-10-15", 36),
            ("qualification", "2025-05-20", 16),
            ("qualification", "2026-12-01", 40),
        ),
        "2026-10-14",
        "compliant",
        course_due_by="2028-05-19",
        hours=52,
    ),
    "on 29.02.2028 a ПК of 01.03.2025 still counts, hours and all": TrainingRow(
        trained(("qualification", "2025-03-01", 72)), "2028-02-29", DUE_SOON, course_due_by="2028-02-29", hours=72
    ),
    "on 29.02.2028 a ПК of 28.02.2025 no longer counts": TrainingRow(
        trained(("qualification", "2025-02-28", 72)), "2028-02-29", OVERDUE, course_due_by="2028-02-27"
    ),
    "non-teaching staff: not applicable": TrainingRow(
        trained(("qualification", "2025-06-30", 36), pedagogical=False),
        "2026-10-14",
        NOT_APPLICABLE,
        course_due_by="2028-06-29",
        hours=36,
    ),
}


@pytest.mark.parametrize("case", TRAINING_CASES.values(), ids=TRAINING_CASES.keys())
def test_training_compliance(case: TrainingRow):
    result = training_compliance(case.record, d(case.day))
    assert result.status == case.status
    assert result.course_due_by == _date(case.course_due_by)
    assert result.internship_due_by == _date(case.internship_due_by)
    assert result.hours_3_years == case.hours
