"""Reads of experience/: lesson visits (взаимопосещение), adoptions and the dissemination of experience.

Who sees a visit (experience/rules/visits.py asks `sees_visit` for one visit; `visits_visible_to` gives the same
answer as a query): the visitor and the visited teacher; the heads of the subject associations (МО, ПЦК) that either
of them belongs to today; the methodist, the deputy, the director and the administrator.

The dissemination of a published item (`dissemination`): the visits linked to it with the observation filled, who
adopted it in their work and who referenced it. The report «Распространение опыта» (`dissemination_report`): per
subject association and academic year, the published items by kind and by level, the visits and the adoptions —
a visit counts for the associations its visitor (visits made) and its visited teacher (lessons visited) belonged to
on its day, an adoption for the associations of the one who marked it on its day and for the item's association.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from planning.models import AcademicYear
from structure.models import ASSOCIATION_KINDS, Membership, Person, Unit
from structure.selectors import Roles, headed_associations

from ..models import (
    Adoption,
    AdoptionKind,
    ExperienceItem,
    ItemKind,
    LessonVisit,
    Level,
    VisitStatus,
)

#: The kinds of item a visit may be linked to: a lesson one can sit in.
VISITABLE_KINDS = (ItemKind.OPEN_LESSON, ItemKind.MASTER_CLASS)
#: How many academic years the report's dynamics table shows (the chosen one and those before it).
REPORT_YEARS = 5


# ---------------------------------------------------------------- who sees which visit


def sees_all_visits(roles: Roles) -> bool:
    return roles.is_admin or roles.is_director or roles.is_deputy or roles.is_methodist


def association_members(roles: Roles, day: datetime.date) -> QuerySet[Membership]:
    """The memberships on `day` in the subject associations the user heads (the head's own included)."""
    return Membership.objects.active_on(day).filter(unit_id__in=headed_associations(roles))


def sees_visit(roles: Roles, visit: LessonVisit, *, day: datetime.date | None = None) -> bool:
    """One visit: no query unless the user heads an association and is neither its visitor nor its visited."""
    if sees_all_visits(roles):
        return True
    person = roles.person
    if person is None:
        return False
    if person.pk in (visit.visitor_id, visit.visited_id):
        return True
    if not headed_associations(roles):
        return False
    members = association_members(roles, day or timezone.localdate())
    return members.filter(person_id__in=[visit.visitor_id, visit.visited_id]).exists()


def shows_goal(roles: Roles, visit: LessonVisit) -> bool:
    """The visited teacher learns that a visit is planned and its date, lesson and group; the visitor's goal only
    with the observation, once it is filled."""
    person = roles.person
    return not (person is not None and person.pk == visit.visited_id and visit.status != VisitStatus.DONE)


def visit_list() -> QuerySet[LessonVisit]:
    """Visits with what a list shows of them."""
    return LessonVisit.objects.select_related("visitor", "visited", "item")


def visit_detail() -> QuerySet[LessonVisit]:
    return LessonVisit.objects.select_related("visitor__position", "visited__position", "item")


def visits_visible_to(roles: Roles, *, day: datetime.date | None = None) -> QuerySet[LessonVisit]:
    """The visits experience.view_visit lets the user open."""
    visits = visit_list()
    if sees_all_visits(roles):
        return visits
    person = roles.person
    if person is None:
        return visits.none()
    mine = Q(visitor=person) | Q(visited=person)
    if not headed_associations(roles):
        return visits.filter(mine)
    members = association_members(roles, day or timezone.localdate()).values("person_id")
    return visits.filter(mine | Q(visitor_id__in=members) | Q(visited_id__in=members))


# ---------------------------------------------------------------- «Мои посещения» and the dashboard


def visits_made(person: Person) -> QuerySet[LessonVisit]:
    """The visits the person planned or made as the visitor, the latest first."""
    return LessonVisit.objects.filter(visitor=person).select_related("visited", "item")


def visits_to(person: Person) -> QuerySet[LessonVisit]:
    """The visits to the person's lessons, planned, done or cancelled, the latest first."""
    return LessonVisit.objects.filter(visited=person).select_related("visitor", "item")


def visits_to_fill(person: Person, *, today: datetime.date) -> QuerySet[LessonVisit]:
    """The person's planned visits whose lesson has taken place (dated today or earlier): the observation waits."""
    return (
        LessonVisit.objects.filter(visitor=person, status=VisitStatus.PLANNED, date__lte=today)
        .select_related("visited")
        .order_by("date", "pk")
    )


def needs_me(roles: Roles, *, today: datetime.date) -> dict[str, QuerySet]:
    """What waits for the user in lesson visits, for the dashboard and the menu's badge: `visits_to_fill`."""
    if roles.person is None:
        return {}
    return {"visits_to_fill": visits_to_fill(roles.person, today=today)}


# ---------------------------------------------------------------- the visit logs


def filter_visits(
    visits: QuerySet[LessonVisit],
    *,
    day: datetime.date,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    person: Person | None = None,
    unit: Unit | None = None,
    status: str = "",
    year: AcademicYear | None = None,
    surname: str = "",
) -> QuerySet[LessonVisit]:
    """The visits of the academic year, dated in [start, end], the person as visitor or visited, a visitor or visited
    teacher whose surname starts with `surname` (any case), either of them in the unit on `day` (today), of the
    status; each filter only when given."""
    if year is not None:
        visits = visits.filter(date__gte=year.start, date__lte=year.end)
    surname = " ".join(surname.split())
    if surname:
        capital = surname[:1].upper() + surname[1:].lower()  # SQLite folds ASCII letters only
        people = Person.objects.filter(Q(last_name__istartswith=surname) | Q(last_name__startswith=capital))
        ids = people.values("pk")
        visits = visits.filter(Q(visitor_id__in=ids) | Q(visited_id__in=ids))
    if start is not None:
        visits = visits.filter(date__gte=start)
    if end is not None:
        visits = visits.filter(date__lte=end)
    if person is not None:
        visits = visits.filter(Q(visitor=person) | Q(visited=person))
    if unit is not None:
        members = Membership.objects.active_on(day).filter(unit=unit).values("person_id")
        visits = visits.filter(Q(visitor_id__in=members) | Q(visited_id__in=members))
    if status:
        visits = visits.filter(status=status)
    return visits


def log_units(roles: Roles, day: datetime.date) -> QuerySet[Unit]:
    """The associations a visit log filters by: every association in the structure today for those who see every
    visit, else the ones the user heads."""
    units = Unit.objects.active_on(day).filter(kind__in=ASSOCIATION_KINDS).only("pk", "name", "kind").order_by("name")
    if sees_all_visits(roles):
        return units
    return units.filter(pk__in=headed_associations(roles))


def log_people(roles: Roles, day: datetime.date) -> QuerySet[Person]:
    """The people a visit log filters by: the staff for those who see every visit, else the members of the
    associations the user heads today."""
    people = Person.objects.staff()
    if sees_all_visits(roles):
        return people
    return people.filter(pk__in=association_members(roles, day).values("person_id"))


# ---------------------------------------------------------------- lists for the forms


def visitable_items() -> QuerySet[ExperienceItem]:
    """The published open lessons and master classes of the college a visit may be linked to."""
    return (
        ExperienceItem.objects.published()
        .filter(is_external=False, kind__in=VISITABLE_KINDS)
        .select_related("author")
        .order_by("-date", "-pk")
    )


def is_author(item: ExperienceItem, person_id: int) -> bool:
    """The person is the item's author or one of its co-authors (a query unless co_authors is prefetched)."""
    if item.author_id == person_id:
        return True
    return any(person.pk == person_id for person in item.co_authors.all())


# ---------------------------------------------------------------- the dissemination of an item


@dataclass
class Dissemination:
    item: ExperienceItem
    visits: list[LessonVisit]  # linked to it, the observation filled
    adopted: list[Adoption]
    referenced: list[Adoption]

    @property
    def is_empty(self) -> bool:
        return not (self.visits or self.adopted or self.referenced)


def dissemination(item: ExperienceItem) -> Dissemination:
    """Who visited the item (visits linked to it, done), adopted it or referenced it: two queries."""
    visits = list(
        LessonVisit.objects.filter(item=item, status=VisitStatus.DONE).select_related("visitor").order_by("date", "pk")
    )
    adoptions = list(Adoption.objects.filter(item=item).select_related("person").order_by("date", "pk"))
    return Dissemination(
        item=item,
        visits=visits,
        adopted=[a for a in adoptions if a.kind == AdoptionKind.ADOPTED],
        referenced=[a for a in adoptions if a.kind == AdoptionKind.REFERENCED],
    )


@dataclass(frozen=True)
class Counts:
    visits: int = 0
    adopted: int = 0
    referenced: int = 0

    @property
    def total(self) -> int:
        return self.visits + self.adopted + self.referenced


def dissemination_counts(item_ids: Iterable[int]) -> dict[int, Counts]:
    """For each item id: the visits linked to it with the observation filled, its adoptions and references. Two
    queries whatever the number of items; an item with none is absent from the answer (Counts() is its value)."""
    ids = list(item_ids)
    visits = dict(
        LessonVisit.objects.filter(item_id__in=ids, status=VisitStatus.DONE)
        .values_list("item_id")
        .annotate(n=Count("pk"))
        .values_list("item_id", "n")
    )
    marks: dict[int, Counter] = defaultdict(Counter)
    rows = Adoption.objects.filter(item_id__in=ids).values_list("item_id", "kind").annotate(n=Count("pk"))
    for item_id, kind, n in rows:
        marks[item_id][kind] = n
    return {
        item_id: Counts(
            visits=visits.get(item_id, 0),
            adopted=marks[item_id][AdoptionKind.ADOPTED],
            referenced=marks[item_id][AdoptionKind.REFERENCED],
        )
        for item_id in set(visits) | set(marks)
    }


def visits_received(
    person_id: int, start: datetime.date | None = None, end: datetime.date | None = None
) -> QuerySet[LessonVisit]:
    """The visits colleagues made to the person's lessons with the observation filled, dated in [start, end], in
    date order (for the attestation portfolio): one query."""
    visits = LessonVisit.objects.filter(visited_id=person_id, status=VisitStatus.DONE)
    if start is not None:
        visits = visits.filter(date__gte=start)
    if end is not None:
        visits = visits.filter(date__lte=end)
    return visits.select_related("visitor", "item").order_by("date", "pk")


# ---------------------------------------------------------------- the report «Распространение опыта»


def report_units(roles: Roles, year: AcademicYear) -> QuerySet[Unit]:
    """The associations the user's report covers: those in the structure at some time in the year for those who
    see every visit, the ones the user heads today otherwise."""
    units = report_unit_choices(roles)
    if sees_all_visits(roles):
        units = units.filter(created_on__lte=year.end).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=year.start)
        )
    return units


def report_unit_choices(roles: Roles) -> QuerySet[Unit]:
    """The associations the report may be narrowed to: every one that has existed for those who see every visit,
    the ones the user heads today otherwise (report_units keeps those of the year)."""
    units = Unit.objects.filter(kind__in=ASSOCIATION_KINDS, created_on__isnull=False).order_by("name")
    if sees_all_visits(roles):
        return units
    return units.filter(pk__in=headed_associations(roles))


def report_years(*, day: datetime.date) -> QuerySet[AcademicYear]:
    """The academic years the report may be asked for: those begun by `day`, the latest first."""
    return AcademicYear.objects.filter(start__lte=day).order_by("-start")


@dataclass
class Row:
    """The counts of one association (or of the whole scope) in one academic year."""

    unit: Unit | None
    by_kind: Counter = field(default_factory=Counter)
    by_level: Counter = field(default_factory=Counter)
    visits_made: int = 0  # by the association's members, the observation filled
    lessons_visited: int = 0  # of the association's members
    adopted: int = 0  # marks «внедрил(а)» by the association's members
    referenced: int = 0  # marks «ссылался(-ась)» by the association's members
    marks_received: int = 0  # marks of either kind on the association's items (the total: on the scope's items)

    @property
    def items(self) -> int:
        return sum(self.by_kind.values())

    def kind_counts(self) -> list[int]:
        return [self.by_kind[kind] for kind in ItemKind.values]

    def level_counts(self) -> list[int]:
        return [self.by_level[level] for level in Level.values]


@dataclass
class YearRow:
    year: AcademicYear
    items: int = 0
    visits: int = 0
    adopted: int = 0
    referenced: int = 0


@dataclass
class Report:
    year: AcademicYear
    rows: list[Row]  # one per association of the scope
    total: Row  # the scope counted once: the whole college for those who see every visit
    years: list[YearRow]  # the dynamics, the earliest first, the chosen year last
    college: bool  # the total is the whole college's

    def rows_by_kind(self) -> list[tuple[str, list[int], int]]:
        """(kind label, count per association, the total) for each kind."""
        return [
            (str(label), [row.by_kind[kind] for row in self.rows], self.total.by_kind[kind])
            for kind, label in ItemKind.choices
        ]

    def rows_by_level(self) -> list[tuple[str, list[int], int]]:
        return [
            (str(label), [row.by_level[level] for row in self.rows], self.total.by_level[level])
            for level, label in Level.choices
        ]


def _year_of(day: datetime.date, years: list[AcademicYear]) -> AcademicYear | None:
    for year in years:
        if year.start <= day <= year.end:
            return year
    return None


class _Memberships:
    """Who belonged to which of the units on a day, from one query of their memberships."""

    def __init__(self, unit_ids: list[int], *, during: AcademicYear | None = None) -> None:
        self.by_person: dict[int, list[tuple[int, datetime.date, datetime.date | None]]] = defaultdict(list)
        memberships = Membership.objects.filter(unit_id__in=unit_ids)
        if during is not None:  # only days of that year are asked
            memberships = memberships.filter(start__lte=during.end).filter(
                Q(end__isnull=True) | Q(end__gt=during.start)
            )
        rows = memberships.values_list("person_id", "unit_id", "start", "end")
        for person_id, unit_id, start, end in rows:
            self.by_person[person_id].append((unit_id, start, end))

    def units_of(self, person_id: int, day: datetime.date) -> set[int]:
        return {
            unit_id
            for unit_id, start, end in self.by_person.get(person_id, ())
            if start <= day and (end is None or end > day)
        }

    def people(self) -> list[int]:
        return list(self.by_person)


def in_year(units: Iterable[Unit], year: AcademicYear) -> list[Unit]:
    """The units in the structure at some time in the year (report_units' condition, on units already read)."""
    return [
        u
        for u in units
        if u.created_on is not None
        and u.created_on <= year.end
        and (u.dissolved_on is None or u.dissolved_on > year.start)
    ]


def dissemination_report(
    roles: Roles,
    *,
    year: AcademicYear,
    unit: Unit | None = None,
    units: list[Unit] | None = None,
    years: list[AcademicYear] | None = None,
    _row_by_row: bool = False,
) -> Report:
    """The report «Распространение опыта» of `year` for the user's scope (report_units; narrowed to `unit` when
    given and in it), with the dynamics over the REPORT_YEARS years up to it. Six queries, whatever the numbers;
    four when the caller passes the `units` the user may choose (report_unit_choices) and the academic `years`.
    The whole college's report is counted by the database (_college_report); a head's, over the few people of their
    associations, row by row here (`_row_by_row` counts the college's that way too: the tests compare the two)."""
    if units is None:
        units = list(report_units(roles, year))
    elif sees_all_visits(roles):
        units = in_year(units, year)
    if unit is not None:
        units = [u for u in units if u.pk == unit.pk]
    college = sees_all_visits(roles) and unit is None
    unit_ids = [u.pk for u in units]
    if years is None:
        years = list(AcademicYear.objects.filter(start__lte=year.start).order_by("-start")[:REPORT_YEARS])
    else:
        years = sorted((y for y in years if y.start <= year.start), key=lambda y: y.start, reverse=True)
        years = years[:REPORT_YEARS]
    years = years[::-1]
    first, last = years[0].start, year.end
    if college and not _row_by_row:
        return _college_report(year, units, years)
    members = _Memberships(unit_ids)

    rows = {u.pk: Row(unit=u) for u in units}
    total = Row(unit=None)
    dynamics = {y.pk: YearRow(year=y) for y in years}

    def chosen(day_: datetime.date) -> bool:
        return year.start <= day_ <= year.end

    items = ExperienceItem.objects.published().filter(is_external=False, date__gte=first, date__lte=last)
    if not college:
        items = items.filter(association_id__in=unit_ids)
    for association_id, kind, level, item_day in items.values_list("association_id", "kind", "level", "date"):
        bucket = _year_of(item_day, years)
        if bucket is not None:
            dynamics[bucket.pk].items += 1
        if not chosen(item_day):
            continue
        for row in (rows.get(association_id), total):
            if row is not None:
                row.by_kind[kind] += 1
                row.by_level[level] += 1

    visits = LessonVisit.objects.filter(status=VisitStatus.DONE, date__gte=first, date__lte=last)
    if not college:
        people = members.people()
        visits = visits.filter(Q(visitor_id__in=people) | Q(visited_id__in=people))
    for visitor_id, visited_id, visit_day in visits.values_list("visitor_id", "visited_id", "date"):
        if college and not chosen(visit_day):  # the college's dynamics: no memberships to look up
            bucket = _year_of(visit_day, years)
            if bucket is not None:
                dynamics[bucket.pk].visits += 1
            continue
        made, received = members.units_of(visitor_id, visit_day), members.units_of(visited_id, visit_day)
        if not college and not (made or received):
            continue
        bucket = _year_of(visit_day, years)
        if bucket is not None:
            dynamics[bucket.pk].visits += 1
        if not chosen(visit_day):
            continue
        total.visits_made += 1
        total.lessons_visited += 1
        for unit_id in made:
            rows[unit_id].visits_made += 1
        for unit_id in received:
            rows[unit_id].lessons_visited += 1

    marks = Adoption.objects.filter(date__gte=first, date__lte=last)
    if not college:
        marks = marks.filter(Q(person_id__in=members.people()) | Q(item__association_id__in=unit_ids))
    for person_id, kind, mark_day, association_id, external in marks.values_list(
        "person_id", "kind", "date", "item__association_id", "item__is_external"
    ):
        by = members.units_of(person_id, mark_day) if not college or chosen(mark_day) else set()
        by_scope = college or bool(by)  # a mark of the scope's people: the total's and the dynamics' too
        bucket = _year_of(mark_day, years)
        adopted = kind == AdoptionKind.ADOPTED
        if by_scope and bucket is not None:
            if adopted:
                dynamics[bucket.pk].adopted += 1
            else:
                dynamics[bucket.pk].referenced += 1
        if not chosen(mark_day):
            continue
        for row in [*([total] if by_scope else []), *(rows[unit_id] for unit_id in by)]:
            if adopted:
                row.adopted += 1
            else:
                row.referenced += 1
        if association_id in rows:
            rows[association_id].marks_received += 1
        if association_id in rows or (college and not external):
            total.marks_received += 1

    return Report(
        year=year,
        rows=[rows[u.pk] for u in units],
        total=total,
        years=[dynamics[y.pk] for y in years],
        college=college,
    )


# ---------------------------------------------------------------- the whole college's report, counted by the database


def _bucket(years: list[AcademicYear]) -> Case:
    """The academic year (its pk) of a row's `date`, among `years`."""
    return Case(
        *(When(date__gte=y.start, date__lte=y.end, then=Value(y.pk)) for y in years),
        default=None,
        output_field=IntegerField(),
    )


def _in(year: AcademicYear, field: str, output) -> Case:
    """`field` for the rows of `year`, NULL for the others: the earlier years group into one row each."""
    return Case(When(date__gte=year.start, date__lte=year.end, then=F(field)), default=None, output_field=output)


def _college_report(year: AcademicYear, units: list[Unit], years: list[AcademicYear]) -> Report:
    """dissemination_report for those who see every visit, the whole college: the same figures, grouped by the
    database — the earlier years only counted, the chosen year's rows grouped by what the report tells apart — and
    the memberships of the chosen year only. Four queries (a region's five years: 106 -> 40 ms)."""
    first, last = years[0].start, year.end
    unit_ids = [u.pk for u in units]
    rows = {u.pk: Row(unit=u) for u in units}
    total = Row(unit=None)
    dynamics = {y.pk: YearRow(year=y) for y in years}
    members = _Memberships(unit_ids, during=year)
    number = IntegerField()

    items = ExperienceItem.objects.published().filter(is_external=False, date__gte=first, date__lte=last)
    grouped = (
        items.order_by()
        .values(
            bucket_=_bucket(years),
            unit_=_in(year, "association_id", number),
            kind_=_in(year, "kind", CharField()),
            level_=_in(year, "level", CharField()),
        )
        .annotate(n=Count("pk"))
    )
    for row in grouped:
        if row["bucket_"] is not None:
            dynamics[row["bucket_"]].items += row["n"]
        if row["bucket_"] != year.pk:
            continue
        for counted in (rows.get(row["unit_"]), total):
            if counted is not None:
                counted.by_kind[row["kind_"]] += row["n"]
                counted.by_level[row["level_"]] += row["n"]

    visits = LessonVisit.objects.filter(status=VisitStatus.DONE, date__gte=first, date__lte=last)
    grouped = (
        visits.order_by()
        .values(
            bucket_=_bucket(years),
            by_=_in(year, "visitor_id", number),
            to_=_in(year, "visited_id", number),
            day_=_in(year, "date", DateField()),
        )
        .annotate(n=Count("pk"))
    )
    for row in grouped:
        if row["bucket_"] is not None:
            dynamics[row["bucket_"]].visits += row["n"]
        if row["bucket_"] != year.pk:
            continue
        total.visits_made += row["n"]
        total.lessons_visited += row["n"]
        for unit_id in members.units_of(row["by_"], row["day_"]):
            rows[unit_id].visits_made += row["n"]
        for unit_id in members.units_of(row["to_"], row["day_"]):
            rows[unit_id].lessons_visited += row["n"]

    marks = Adoption.objects.filter(date__gte=first, date__lte=last)
    grouped = (
        marks.order_by()
        .values(
            "kind",
            bucket_=_bucket(years),
            who_=_in(year, "person_id", number),
            day_=_in(year, "date", DateField()),
            unit_=_in(year, "item__association_id", number),
            external_=_in(year, "item__is_external", BooleanField()),
        )
        .annotate(n=Count("pk"))
    )
    for row in grouped:
        adopted = row["kind"] == AdoptionKind.ADOPTED
        if row["bucket_"] is not None:
            if adopted:
                dynamics[row["bucket_"]].adopted += row["n"]
            else:
                dynamics[row["bucket_"]].referenced += row["n"]
        if row["bucket_"] != year.pk:
            continue
        for counted in [total, *(rows[unit_id] for unit_id in members.units_of(row["who_"], row["day_"]))]:
            if adopted:
                counted.adopted += row["n"]
            else:
                counted.referenced += row["n"]
        if row["unit_"] in rows:
            rows[row["unit_"]].marks_received += row["n"]
        if row["unit_"] in rows or not row["external_"]:
            total.marks_received += row["n"]

    return Report(
        year=year,
        rows=[rows[u.pk] for u in units],
        total=total,
        years=[dynamics[y.pk] for y in years],
        college=True,
    )
