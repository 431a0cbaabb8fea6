"""Reads of professional development that cross relations: a person's records, the records and the teaching staff a
user may see, and each person's compliance (attestation.schedule.training_compliance) from the training part of a
PersonRecord — pedagogical from Position.is_pedagogical, professional_cycle, the confirmed records — built in
bounded queries: one for the people, one for all their confirmed records, whatever their number.

Who sees what (attestation/rules/training.py says the same for one object): the person; the director, the deputy,
the methodist and the administrator; the heads of the subject associations the person belongs to today.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.db.models import Case, CharField, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.utils import timezone

from structure.models import ASSOCIATION_KINDS, Membership, Person, Unit
from structure.selectors import Roles

from .. import schedule
from ..models import TrainingRecord, TrainingStatus
from .people import association_members, headed_associations, sees_everyone, sees_person_records

#: The compliance statuses in the order the pages list and filter them, the worst first.
STATUSES = (schedule.OVERDUE, schedule.DUE_SOON, schedule.COMPLIANT)


# ---------------------------------------------------------------- who sees whom


# The same answer as for the schedule and the categories (attestation.selectors.people), under this module's names.
sees_all_trainings = sees_everyone
sees_person_trainings = sees_person_records


# ---------------------------------------------------------------- records


def record_detail() -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.select_related("person", "person__position", "created_by", "confirmed_by")


def person_trainings(person: Person) -> QuerySet[TrainingRecord]:
    return (
        TrainingRecord.objects.filter(person=person)
        .select_related("created_by", "confirmed_by")
        .order_by("-end", "-pk")
    )


def trainings_visible_to(roles: Roles, *, day: datetime.date | None = None) -> QuerySet[TrainingRecord]:
    """The records attestation.view_training lets the user open."""
    records = TrainingRecord.objects.select_related("person", "person__position", "created_by")
    if sees_all_trainings(roles):
        return records
    if roles.person is None:
        return records.none()
    if not headed_associations(roles):
        return records.filter(person=roles.person)
    members = association_members(roles, day or timezone.localdate()).values("person_id")
    return records.filter(Q(person=roles.person) | Q(person_id__in=members))


def pending_trainings(roles: Roles, *, day: datetime.date | None = None) -> QuerySet[TrainingRecord]:
    """The visible records waiting for confirmation, the longest waiting first."""
    return trainings_visible_to(roles, day=day).filter(status=TrainingStatus.SUBMITTED).order_by("created_at", "pk")


# ---------------------------------------------------------------- compliance


def teaching_staff() -> QuerySet[Person]:
    """The people the professional-development rules apply to: staff in a teaching position."""
    return Person.objects.staff().filter(position__is_pedagogical=True)


def teaching_staff_visible_to(roles: Roles, *, day: datetime.date | None = None) -> QuerySet[Person]:
    """The teaching staff whose records the user may see: everyone for management and the administrator, the
    members of the associations the user heads for a head, nobody else (a teacher has their own page)."""
    people = teaching_staff().select_related("position")
    if sees_all_trainings(roles):
        return people
    if roles.person is None or not headed_associations(roles):
        return people.none()
    return people.filter(pk__in=association_members(roles, day or timezone.localdate()).values("person_id"))


def units_for_filter(roles: Roles, day: datetime.date) -> QuerySet[Unit]:
    """The units the compliance list filters by: every unit in the structure today for those who see everyone,
    else the associations the user heads."""
    units = Unit.objects.active_on(day).order_by("kind", "name")
    if sees_all_trainings(roles):
        return units
    return units.filter(pk__in=headed_associations(roles))


def training_record(person: Person, trainings: Iterable[schedule.Training]) -> schedule.PersonRecord:
    """The training part of the person's PersonRecord (person.position must be loaded): what
    attestation.schedule.training_compliance reads."""
    pedagogical = not person.is_external and person.position is not None and person.position.is_pedagogical
    return schedule.PersonRecord(
        pedagogical=pedagogical,
        position_since=person.position_since,
        professional_cycle=person.professional_cycle,
        trainings=tuple(trainings),
    )


def confirmed_trainings(people) -> dict[int, list[schedule.Training]]:
    """The confirmed records of `people` (a queryset of Person, or a list), by person id: one query."""
    confirmed = TrainingRecord.objects.filter(status=TrainingStatus.CONFIRMED)
    if isinstance(people, QuerySet):
        confirmed = confirmed.filter(person_id__in=people.values("pk"))
    else:
        confirmed = confirmed.filter(person_id__in=[person.pk for person in people])
    by_person: dict[int, list[schedule.Training]] = defaultdict(list)
    rows = confirmed.values_list("person_id", "kind", "end", "hours")
    for person_id, kind, end, hours in rows:
        by_person[person_id].append(schedule.Training(kind, end, hours))
    return by_person


def person_compliance(person: Person, day: datetime.date) -> schedule.TrainingCompliance:
    """One person's compliance on `day` (person.position must be loaded): one query."""
    trainings = confirmed_trainings([person]).get(person.pk, [])
    return schedule.training_compliance(training_record(person, trainings), day)


@dataclass
class ComplianceRow:
    person: Person
    compliance: schedule.TrainingCompliance
    units: list[str] = field(default_factory=list)  # the person's subject associations today (add_units)


def _having(queryset: QuerySet) -> Q:
    """The people with a row in `queryset` (an uncorrelated IN: the database reads it once for everyone)."""
    return Q(pk__in=queryset.order_by().values("person_id"))


def _done(day: datetime.date) -> QuerySet[TrainingRecord]:
    return TrainingRecord.objects.filter(status=TrainingStatus.CONFIRMED, end__lte=day)


def with_compliance(people: QuerySet[Person], day: datetime.date) -> QuerySet[Person]:
    """`people` with `compliance`: attestation.schedule.training_compliance()'s status on `day`, computed by the
    database from the bounds the rules give (attestation.schedule.TrainingBounds), so that the list counts, filters
    and pages everyone without reading their records."""
    bounds = schedule.training_bounds(day)
    courses = _done(day).filter(kind__in=schedule.COURSE_KINDS)
    internships = _done(day).filter(kind=schedule.INTERNSHIP)

    def lacking(start: datetime.date) -> Q:
        """A requirement without a record ended in [start, day]."""
        return ~_having(courses.filter(end__gte=start)) | (
            Q(professional_cycle=True) & ~_having(internships.filter(end__gte=start))
        )

    teaching = Q(is_external=False, position__is_pedagogical=True)
    return people.annotate(
        compliance=Case(
            When(~teaching, then=Value(schedule.NOT_APPLICABLE)),
            When(lacking(bounds.due_from), then=Value(schedule.OVERDUE)),
            When(lacking(bounds.compliant_from), then=Value(schedule.DUE_SOON)),
            default=Value(schedule.COMPLIANT),
            output_field=CharField(),
        )
    )


@dataclass
class ComplianceList:
    pks: list[int]  # the people listed, after the status filter, in the list's order
    counts: Counter  # status -> number of people, before the status filter


def compliance_list(
    people: QuerySet[Person], day: datetime.date, *, unit: Unit | None = None, status: str = ""
) -> ComplianceList:
    """Each of `people` (in the unit today, if given) by name, with the count of each compliance status on `day`;
    only those of `status` when given. One query, whatever the number of people and records (with_compliance):
    compliance_rows reads the records of a page of them."""
    if unit is not None:
        people = people.filter(pk__in=Membership.objects.active_on(day).filter(unit=unit).values("person_id"))
    lines = list(
        with_compliance(people, day)
        .order_by("last_name", "first_name", "patronymic", "pk")
        .values_list("pk", "compliance")  # type: ignore[misc]  # the annotation of with_compliance
    )
    counts = Counter(found for _pk, found in lines)
    return ComplianceList(pks=[pk for pk, found in lines if not status or found == status], counts=counts)


def compliance_rows(pks: list[int], day: datetime.date) -> list[ComplianceRow]:
    """The rows of the people `pks` (a page of compliance_list), in that order, with their compliance on `day`: one
    query. The rules read the last course and the last internship ended by `day` (training_compliance on them); the
    database sums the hours of the records that still count on `day` (TrainingBounds: those ended on or after
    `due_from`), the same sum as training_compliance's over every record."""

    def latest(queryset: QuerySet) -> Subquery:
        rows = queryset.filter(person=OuterRef("pk")).order_by().values("person")
        return Subquery(rows.annotate(latest=Max("end")).values("latest"))

    bounds = schedule.training_bounds(day)
    hours = _done(day).filter(person=OuterRef("pk"), end__gte=bounds.due_from).order_by().values("person")
    people = (
        Person.objects.filter(pk__in=pks)
        .select_related("position")
        .annotate(
            last_course=latest(_done(day).filter(kind__in=schedule.COURSE_KINDS)),
            last_internship=latest(_done(day).filter(kind=schedule.INTERNSHIP)),
            hours_3_years=Subquery(hours.annotate(total=Sum("hours")).values("total")),
        )
    )
    rows = {}
    for person in people:
        latest_ones = [
            schedule.Training(kind, end, 0)
            for kind, end in (
                (schedule.COURSE_KINDS[0], person.last_course),
                (schedule.INTERNSHIP, person.last_internship),
            )
            if end is not None
        ]
        compliance = schedule.training_compliance(training_record(person, latest_ones), day)
        rows[person.pk] = ComplianceRow(person, replace(compliance, hours_3_years=person.hours_3_years or 0))
    return [rows[pk] for pk in pks if pk in rows]


def add_units(rows: list[ComplianceRow], day: datetime.date) -> None:
    """Name each row's subject associations today: one query for the rows given (a page of the list)."""
    names: dict[int, list[str]] = defaultdict(list)
    memberships = (
        Membership.objects.active_on(day)
        .filter(person_id__in=[row.person.pk for row in rows], unit__kind__in=ASSOCIATION_KINDS)
        .select_related("unit")
        .order_by("unit__name")
    )
    for membership in memberships:
        names[membership.person_id].append(membership.unit.name)
    for row in rows:
        row.units = names.get(row.person.pk, [])
