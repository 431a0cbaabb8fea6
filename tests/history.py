"""Years of history on top of the test college (tests/world.py with tests/planning/world.py), for the tests that pin
what a page costs: a page that shows the same amount whatever the history answers in the same number of queries and
lists only what it is bounded to.

`add_history(world)` bulk-inserts what a college accumulates over the years — the volume is what matters here, not
how each row was entered (the services are tested elsewhere): older academic years, units with their heads, members
and former members (and dissolved units), the service's, units' and teachers' plans of every year with their items,
meetings with decisions. The world's own people get history too: `teacher` is responsible for items left open in
every past year and for decisions of past years' meetings, so an unbounded «overdue» list would show them.

It attaches:

- `history_years`: the academic years before `past_year`, oldest first (`past_year` and `year` get plans too);
- `history_units`: the units in today's structure it added (subject associations and creative groups), each with a
  head and members; `dissolved_units`: units dissolved in an earlier year;
- `history_people`: the staff it added; `history_head(unit)` / `history_members(unit)` answer from the rows below;
- `old_overdue_items` / `old_open_decisions`: `teacher`'s open items and decisions of years before the current one;
- `submitted_plans`: the current year's individual plans waiting for approval (the units' heads approve them).
"""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from planning.models import (
    AcademicYear,
    AgendaItem,
    Decision,
    ItemStatus,
    Meeting,
    MeetingStatus,
    Plan,
    PlanItem,
    PlanLevel,
    PlanStatus,
    WorkForm,
)
from structure.models import MemberRole, Membership, Person, Unit, UnitKind, UnitName
from tests.factories import position

STATUSES = [ItemStatus.DONE, ItemStatus.DONE, ItemStatus.CANCELLED, ItemStatus.PLANNED, ItemStatus.POSTPONED]


def add_history(
    world,
    *,
    older_years: int = 3,
    units: int = 12,
    members: int = 12,
    dissolved: int = 3,
    individual_plans: int = 24,
    items: int = 8,
    meetings_per_year: int = 4,
):
    """Add years of history to a planning world (tests.planning.world.build_planning): see the module docstring."""
    today = world.today
    people = world.people
    teacher = people["teacher"]
    chair = people["chair"]
    signed = world.signed  # the order every bulk row names: the pages only print its number
    history_start = world.past_year.start.replace(year=world.past_year.start.year - older_years)

    # ---------------------------------------------------------------- the structure
    staff = Person.objects.bulk_create(
        [
            Person(
                last_name=f"Историков{n:03d}",
                first_name="Пётр",
                patronymic="Петрович",
                position=position(),
                hire_date=history_start,
                position_since=history_start,
            )
            for n in range(units * (members + 2) + dissolved * 3)
        ]
    )
    pool = iter(staff)
    kinds = itertools.cycle([UnitKind.ASSOCIATION_CYCLE, UnitKind.ASSOCIATION_EDUCATIONAL, UnitKind.CREATIVE_GROUP])
    new_units = Unit.objects.bulk_create(
        [
            Unit(
                kind=next(kinds),
                name=f"Объединение истории № {n:02d}",
                created_on=history_start,
                created_by_order=signed,
            )
            for n in range(units)
        ]
    )
    gone = Unit.objects.bulk_create(
        [
            Unit(
                kind=UnitKind.CREATIVE_GROUP,
                name=f"Распущенная группа № {n}",
                created_on=history_start,
                created_by_order=signed,
                dissolved_on=world.past_year.start,
                dissolved_by_order=signed,
            )
            for n in range(dissolved)
        ]
    )
    UnitName.objects.bulk_create(
        [UnitName(unit=unit, name=unit.name, start=history_start, order=signed) for unit in [*new_units, *gone]]
    )
    memberships = []
    heads, unit_members = {}, {}
    for unit in new_units:
        head, *current = [next(pool) for _ in range(members + 1)]
        former = next(pool)
        heads[unit.pk], unit_members[unit.pk] = head, current
        memberships.append(_membership(unit, head, MemberRole.HEAD, history_start, None, signed))
        memberships += [_membership(unit, p, MemberRole.MEMBER, history_start, None, signed) for p in current]
        # A former member: the composition's history, not today's structure.
        memberships.append(_membership(unit, former, MemberRole.MEMBER, history_start, world.past_year.start, signed))
    for unit in gone:
        for index in range(3):
            role = MemberRole.HEAD if index == 0 else MemberRole.MEMBER
            memberships.append(_membership(unit, next(pool), role, history_start, world.past_year.start, signed))
    # The world's teacher also belongs to the first of them, so «my units» and the structure search find them there.
    memberships.append(_membership(new_units[0], teacher, MemberRole.MEMBER, history_start, None, signed))
    Membership.objects.bulk_create(memberships)

    # ---------------------------------------------------------------- academic years and plans
    older = [
        AcademicYear.objects.create(
            title=f"{history_start.year + n}/{history_start.year + n + 1}",
            start=history_start.replace(year=history_start.year + n),
            end=datetime.date(history_start.year + n + 1, 8, 31),
        )
        for n in range(older_years)
    ]
    directions = list(world.directions.values())
    plans: list[Plan] = []
    for year in [*older, world.past_year, world.year]:
        current = year.pk == world.year.pk
        if not current and not Plan.objects.filter(year=year, level=PlanLevel.SERVICE).exists():
            plans.append(_plan(year, PlanLevel.SERVICE, chair, created_by=people["methodist"]))
        for unit in new_units:
            plans.append(_plan(year, PlanLevel.UNIT, chair, unit=unit, created_by=heads[unit.pk]))
        for unit in new_units[: max(1, individual_plans // members)]:
            for person in unit_members[unit.pk]:
                status = PlanStatus.SUBMITTED if current else PlanStatus.APPROVED
                plans.append(
                    _plan(year, PlanLevel.INDIVIDUAL, heads[unit.pk], person=person, created_by=person, status=status)
                )
    Plan.objects.bulk_create(plans)

    # `teacher` answers for the first two items of every unit's and the service's plan, left open: those of past
    # years are overdue and stay so.
    plan_items: list[PlanItem] = []
    teachers_items: list[PlanItem] = []
    for plan in plans:
        for n in range(items):
            due = min(plan.year.start + datetime.timedelta(days=20 + 37 * n), plan.year.end)
            teachers = plan.level != PlanLevel.INDIVIDUAL and n < 2
            item = PlanItem(
                plan=plan,
                position=n + 1,
                content=f"Мероприятие {n + 1} плана {plan.year.title}",
                direction=directions[n % len(directions)],
                form=WorkForm.SEMINAR,
                due_date=due,
                status=STATUSES[n % len(STATUSES)] if due < today and not teachers else ItemStatus.PLANNED,
            )
            plan_items.append(item)
            if teachers:
                teachers_items.append(item)
    PlanItem.objects.bulk_create(plan_items)
    responsible = PlanItem.responsible.through
    links = [responsible(planitem_id=i.pk, person_id=i.plan.person_id or i.plan.created_by_id) for i in plan_items]
    links += [responsible(planitem_id=item.pk, person_id=teacher.pk) for item in teachers_items]
    responsible.objects.bulk_create(links)
    old_overdue = [item for item in teachers_items if item.plan.year_id != world.year.pk]

    # ---------------------------------------------------------------- meetings and decisions
    meetings = []
    for year in [*older, world.past_year]:
        for n in range(meetings_per_year):
            unit = new_units[n % len(new_units)]
            meetings.append(
                Meeting(
                    unit=unit,
                    year=year,
                    number=100 + n,
                    date=year.start + datetime.timedelta(days=30 + 60 * n),
                    status=MeetingStatus.HELD,
                    chair=heads[unit.pk],
                    created_by=heads[unit.pk],
                )
            )
    Meeting.objects.bulk_create(meetings)
    agenda = AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=meeting, position=1, title="О ходе работы") for meeting in meetings]
    )
    decisions = Decision.objects.bulk_create(
        [
            Decision(
                agenda_item=item,
                text=f"Старое поручение {item.meeting.date:%d.%m.%Y}",
                responsible=teacher,
                deadline=item.meeting.date + datetime.timedelta(days=14),
            )
            for item in agenda
        ]
    )

    world.history_years = older
    world.history_units, world.dissolved_units = new_units, gone
    world.history_people = staff
    world.history_heads, world.history_unit_members = heads, unit_members
    world.old_overdue_items = old_overdue
    world.old_open_decisions = decisions
    world.submitted_plans = [p for p in plans if p.year_id == world.year.pk and p.status == PlanStatus.SUBMITTED]
    world.history_built_at = timezone.now()
    return world


def _membership(unit, person, role, start, end, order) -> Membership:
    return Membership(
        unit=unit, person=person, role=role, start=start, end=end, start_order=order, end_order=order if end else None
    )


def _plan(year, level, approver, *, unit=None, person=None, created_by, status=PlanStatus.APPROVED) -> Plan:
    approved = status == PlanStatus.APPROVED
    moment = timezone.make_aware(datetime.datetime.combine(year.start, datetime.time(12)))
    return Plan(
        level=level,
        year=year,
        unit=unit,
        person=person,
        created_by=created_by,
        status=status,
        version=1 if approved else 0,
        approved_by=approver if approved else None,
        approved_at=moment if approved else None,
        submitted_at=moment,
        submitted_by=created_by,
    )
