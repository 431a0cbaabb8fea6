"""What the attestation and experience generators build on, read once from the database: the staff, their
associations and heads over time, the units, the academic years, the named demo accounts.

The structure and planning generators (or the demo college) have written these; the later generators only read
them, so that they work over any college the database holds (sixty people of the demo or three thousand of a
region) and derive their per-person volumes from the people that exist.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from planning.models import AcademicYear
from structure.models import ASSOCIATION_KINDS, MemberRole, Membership, Person, SystemRole, Unit

#: The usernames of the named accounts the pages are looked at with (README's demo accounts).
NAMED = ("director", "deputy", "methodist", "chair", "secretary", "mo_head", "group_lead", "lab_head", "teacher")


@dataclass(frozen=True)
class Staff:
    pk: int
    last_name: str
    first_name: str
    patronymic: str
    pedagogical: bool
    role: str  # structure.models.SystemRole
    position: str
    professional_cycle: bool
    hire_date: datetime.date | None
    position_since: datetime.date | None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    @property
    def short_name(self) -> str:
        initials = "".join(f"{part[0]}." for part in (self.first_name, self.patronymic) if part)
        return f"{self.last_name} {initials}".strip()

    def since(self, floor: datetime.date) -> datetime.date:
        """The first day the person can appear in the history: hired, or `floor`."""
        return max(floor, self.hire_date or floor)


@dataclass(frozen=True)
class Period:
    unit_id: int
    person_id: int
    role: str
    start: datetime.date
    end: datetime.date | None

    def holds(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


@dataclass
class College:
    today: datetime.date
    staff: dict[int, Staff]
    #: Teaching staff (attestation, diagnostics and PD apply to them), in a fixed order.
    teaching: list[int]
    methodists: list[int]
    deputies: list[int]
    #: Memberships of subject associations, by person and by unit.
    association_periods: dict[int, list[Period]]
    unit_periods: dict[int, list[Period]]
    units: dict[int, Unit]
    #: Academic years that have started by today, the oldest first; `current` holds today (or is the latest).
    years: list[AcademicYear]
    current: AcademicYear | None
    named: dict[str, int] = field(default_factory=dict)

    @property
    def start(self) -> datetime.date:
        """The first day of the history: the first academic year's start (or three years ago without years)."""
        return self.years[0].start if self.years else self.today - datetime.timedelta(days=3 * 365)

    def person(self, username: str) -> int | None:
        return self.named.get(username)

    def associations_on(self, person_id: int, day: datetime.date) -> list[int]:
        return sorted({p.unit_id for p in self.association_periods.get(person_id, ()) if p.holds(day)})

    def heads_on(self, unit_id: int, day: datetime.date) -> list[int]:
        return sorted(
            {p.person_id for p in self.unit_periods.get(unit_id, ()) if p.role == MemberRole.HEAD and p.holds(day)}
        )

    def members_on(self, unit_id: int, day: datetime.date) -> list[int]:
        return sorted({p.person_id for p in self.unit_periods.get(unit_id, ()) if p.holds(day)})

    def experts_on(self, person_id: int, day: datetime.date) -> list[int]:
        """The heads of the person's associations on `day`, never the person (attestation.services.campaigns)."""
        heads = {head for unit in self.associations_on(person_id, day) for head in self.heads_on(unit, day)}
        heads.discard(person_id)
        return sorted(heads)

    def year_of(self, day: datetime.date) -> AcademicYear | None:
        starts = [year.start for year in self.years]
        index = bisect.bisect_right(starts, day) - 1
        if index < 0:
            return None
        year = self.years[index]
        return year if year.start <= day <= year.end else None

    def methodist_for(self, person_id: int) -> int | None:
        """Who acts for the employer on the person's papers: a methodist, or the deputy for a methodist."""
        for pool in (self.methodists, self.deputies):
            others = [pk for pk in pool if pk != person_id]
            if others:
                return others[0]
        return None


def load(today: datetime.date) -> College:
    staff = {}
    for person in Person.objects.staff().select_related("position").order_by("pk"):
        position = person.position
        staff[person.pk] = Staff(
            pk=person.pk,
            last_name=person.last_name,
            first_name=person.first_name,
            patronymic=person.patronymic,
            pedagogical=bool(position and position.is_pedagogical),
            role=position.system_role if position else SystemRole.OTHER,
            position=position.name if position else "",
            professional_cycle=person.professional_cycle,
            hire_date=person.hire_date,
            position_since=person.position_since,
        )
    teaching = [pk for pk, person in staff.items() if person.pedagogical]
    methodists = [pk for pk, person in staff.items() if person.role == SystemRole.METHODIST]
    deputies = [pk for pk, person in staff.items() if person.role == SystemRole.DEPUTY]
    by_person: dict[int, list[Period]] = defaultdict(list)
    by_unit: dict[int, list[Period]] = defaultdict(list)
    rows = Membership.objects.filter(Q(unit__kind__in=ASSOCIATION_KINDS)).values_list(
        "unit_id", "person_id", "role", "start", "end"
    )
    for unit_id, person_id, role, start, end in rows.order_by("pk"):
        period = Period(unit_id, person_id, role, start, end)
        by_person[person_id].append(period)
        by_unit[unit_id].append(period)
    years = list(AcademicYear.objects.filter(start__lte=today).order_by("start"))
    current = next((year for year in years if year.start <= today <= year.end), years[-1] if years else None)
    named = dict(
        Person.objects.filter(user__username__in=NAMED).values_list("user__username", "pk")  # type: ignore[arg-type]
    )
    return College(
        today=today,
        staff=staff,
        teaching=teaching,
        methodists=methodists,
        deputies=deputies,
        association_periods=dict(by_person),
        unit_periods=dict(by_unit),
        units=Unit.objects.in_bulk(),
        years=years,
        current=current,
        named=named,
    )
