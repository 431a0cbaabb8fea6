"""Planning data on top of tests.world: years, the theme, plans in every state, a meeting with its protocol.

`build_planning(world)` attaches attributes to the structure world so the role matrix and page tests can use them:

- year (current, the academic year containing `world.today`: 1 September to 31 August), past_year (the one before)
- theme (the single methodological theme over both years)
- service_plan (approved; item `teacher_item` with `teacher` responsible, due in 7 days — or on the year's last
  day, 31 August, when that comes sooner; so it is due today when the world is built on 31 August)
- association_plan (submitted by `mo_head`; the `chair` approves it)
- council_plan (draft of the council, owned by `chair`; the director approves the council's own plan)
- teacher_plan (individual plan of `teacher`, submitted; `mo_head` approves it)
- meeting (association meeting today: attendance, one agenda item with a decision for `teacher`, due with the item)
- decision

Every date is derived from `world.today`, so the world is consistent on any day (tests/conftest.py sets the clock).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from planning import selectors, services
from planning.models import PlanLevel, WorkDirection, WorkForm
from structure.models import Unit, UnitKind
from tests.factories import create_unit
from tests.world import World


def academic_year_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    start_year = day.year if day.month >= 9 else day.year - 1
    return datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 8, 31)


def build_planning(world: World) -> World:
    today = world.today
    start, end = academic_year_of(today)
    people = world.people
    past_year = services.year_save(
        title=f"{start.year - 1}/{start.year}",
        start=start.replace(year=start.year - 1),
        end=end.replace(year=end.year - 1),
    )
    year = services.year_save(title=f"{start.year}/{end.year}", start=start, end=end, is_current=True)
    theme = services.theme_save(
        title="Развитие профессиональных компетенций педагогов в условиях цифровой трансформации",
        goal="Повышение качества подготовки специалистов",
        tasks="Освоить цифровые инструменты\nОбобщить опыт",
        start_year=past_year,
        end_year=year,
        stages={past_year: "Диагностический этап", year: "Практический этап"},
    )
    directions = {d.code: d for d in WorkDirection.objects.all()}
    due = min(today + datetime.timedelta(days=7), end)

    service_plan = services.plan_create(level=PlanLevel.SERVICE, year=year, created_by=people["methodist"], goal="Цель")
    teacher_item = services.item_add(
        plan=service_plan,
        content="Открытый урок по цифровым технологиям",
        direction=directions[8],
        form=WorkForm.OPEN_LESSON,
        due_date=due,
        responsible=[people["teacher"]],
        expected_result="Методическая разработка",
    )
    services.item_add(
        plan=service_plan,
        content="Диагностика профессиональных дефицитов",
        direction=directions[2],
        form=WorkForm.DIAGNOSTICS,
        due_date=end,
        responsible=[people["methodist"]],
    )
    services.plan_submit(plan=service_plan, person=people["methodist"])
    service_plan = services.plan_approve(plan=service_plan, person=people["chair"])

    association_plan = services.plan_create(
        level=PlanLevel.UNIT, year=year, unit=world.association, created_by=people["mo_head"]
    )
    services.item_add(
        plan=association_plan,
        content="Заседание ПЦК",
        direction=directions[3],
        form=WorkForm.MEETING,
        due_date=due,
        responsible=[people["mo_head"]],
    )
    association_plan = services.plan_submit(plan=association_plan, person=people["mo_head"])

    council_plan = services.plan_create(level=PlanLevel.UNIT, year=year, unit=world.council, created_by=people["chair"])

    teacher_plan = services.plan_create(
        level=PlanLevel.INDIVIDUAL,
        year=year,
        person=people["teacher"],
        created_by=people["teacher"],
        self_education_theme="Цифровые образовательные ресурсы",
    )
    services.item_add(
        plan=teacher_plan,
        content="Изучить литературу по теме самообразования",
        direction=directions[7],
        form=WorkForm.SELF_EDUCATION,
        due_date=end,
        responsible=[people["teacher"]],
    )
    teacher_plan = services.plan_submit(plan=teacher_plan, person=people["teacher"])

    meeting = services.meeting_create(
        unit=world.association, year=year, date=today, created_by=people["mo_head"], place="Ауд. 204"
    )
    agenda = services.agenda_add(meeting=meeting, title="О плане работы ПЦК", speaker=people["mo_head"])
    decision = services.decision_add(
        agenda_item=agenda, text="Подготовить открытый урок", responsible=people["teacher"], deadline=due
    )

    world.year, world.past_year, world.theme = year, past_year, theme
    world.service_plan, world.teacher_item = service_plan, teacher_item
    world.association_plan, world.council_plan, world.teacher_plan = association_plan, council_plan, teacher_plan
    world.meeting, world.agenda_item, world.decision = meeting, agenda, decision
    world.directions = directions
    return world


# ---------------------------------------------------------------- the pedagogical council and assignments (on demand)


def pedagogical_council(world: World):
    """The pedagogical council, chaired by the director with the deputy as its secretary (built when a test asks:
    the shared world stays as the other pages' pinned counts expect it)."""
    found = Unit.objects.filter(kind=UnitKind.PEDAGOGICAL_COUNCIL).first()
    if found:
        return found
    people = world.people
    return create_unit(
        people["director"],
        people["deputy"],
        UnitKind.PEDAGOGICAL_COUNCIL,
        "Педагогический совет",
        head=people["director"],
        secretary=people["deputy"],
        members=[people["teacher"]],
        at=timezone.now() - datetime.timedelta(days=30),
    )


def pedagogical_meeting(world: World, *, sign: bool = True, decisions: int = 1):
    """A meeting of the pedagogical council today with one question and `decisions` decisions (each due with the
    service's diagnostics item), signed by the director and the deputy unless `sign` is False."""
    people = world.people
    unit = pedagogical_council(world)
    meeting = services.meeting_create(unit=unit, year=world.year, date=world.today, created_by=people["deputy"])
    services.attendance_set(
        meeting=meeting,
        rows=[(person, True, "") for person, _present, _reason in selectors.attendance_rows(meeting)],
    )
    item = services.agenda_add(meeting=meeting, title="Об итогах методической работы")
    services.agenda_update(item=item, title=item.title, decided="Поручить методической службе.")
    for number in range(decisions):
        services.decision_add(
            agenda_item=item,
            text=f"Методической службе провести диагностику ({number + 1})",
            responsible=people["deputy"],
            deadline=world.year.end,
        )
    if sign:
        services.protocol_sign(meeting=meeting, person=people["director"])
        services.protocol_sign(meeting=meeting, person=people["deputy"])
    meeting.refresh_from_db()
    return meeting


def service_unit(world: World):
    """The methodological service (the assignments' default addressee), headed by the deputy."""
    found = Unit.objects.filter(kind=UnitKind.SERVICE).first()
    if found:
        return found
    people = world.people
    return create_unit(
        people["director"],
        people["deputy"],
        UnitKind.SERVICE,
        "Методическая служба",
        head=people["deputy"],
        members=[people["methodist"]],
        at=timezone.now() - datetime.timedelta(days=30),
    )


def director_assignment(world: World, **extra):
    """A director's assignment to the service given today, due at the end of the year, not answered."""
    fields = {"text": "Подготовить аналитическую справку", "deadline": world.year.end, "addressee": service_unit(world)}
    return services.assignment_issue(by=world.people["director"], **{**fields, **extra})
