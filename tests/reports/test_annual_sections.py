"""The annual report's sections against figures worked out by hand: each test writes the rows it counts on the test
college (tests/world.py with its planning data) and states what the section must say of them."""

from __future__ import annotations

import datetime

import pytest

from attestation.models import (
    AttestationCase,
    CaseDecision,
    CaseKind,
    CaseStatus,
    Category,
    CategoryKind,
    DocumentKind,
    TrainingKind,
    TrainingRecord,
    TrainingStatus,
)
from attestation.selectors.schedule import teaching_staff
from experience.models import ItemKind, ItemStatus, Level
from planning.models import AgendaItem, Decision, DecisionStatus, Meeting, MeetingStatus
from reports import selectors
from structure.models import Education
from tests.experience.catalogue_data import PublishedItemFactory

# dated: every figure is counted on the day; `make test-dates` runs them on the calendar's awkward days.
pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True), pytest.mark.dated]

D = datetime.date


def _meeting(world, unit, number: int, day: datetime.date, status: str) -> Meeting:
    return Meeting.objects.create(
        unit=unit, year=world.year, number=100 + number, date=day, status=status, created_by=world.people["deputy"]
    )


def _decision(meeting: Meeting, status: str, deadline: datetime.date, responsible) -> Decision:
    question = AgendaItem.objects.create(meeting=meeting, position=meeting.agenda.count() + 1, title="Вопрос")
    return Decision.objects.create(
        agenda_item=question, text="Решение", responsible=responsible, deadline=deadline, status=status
    )


def test_the_council_and_the_associations_count_held_meetings_and_their_decisions(world):
    day = world.today
    teacher = world.people["teacher"]
    held = _meeting(world, world.council, 1, day - datetime.timedelta(days=10), MeetingStatus.SIGNED)
    also_held = _meeting(world, world.council, 2, day - datetime.timedelta(days=5), MeetingStatus.HELD)
    _meeting(world, world.council, 3, day + datetime.timedelta(days=5), MeetingStatus.PLANNED)  # not held
    _decision(held, DecisionStatus.DONE, day - datetime.timedelta(days=1), teacher)
    _decision(held, DecisionStatus.OPEN, day - datetime.timedelta(days=1), teacher)  # open past its deadline
    _decision(also_held, DecisionStatus.OPEN, day + datetime.timedelta(days=30), teacher)
    _decision(also_held, DecisionStatus.CANCELLED, day - datetime.timedelta(days=1), teacher)  # not counted
    association = _meeting(world, world.association, 4, day - datetime.timedelta(days=3), MeetingStatus.SIGNED)
    _decision(association, DecisionStatus.DONE, day, teacher)

    section = selectors.council_section(world.year, day)

    rows = {row.unit: (row.meetings, row.decisions, row.done, row.open_overdue, row.percent) for row in section["rows"]}
    assert rows[world.council.name] == (2, 3, 1, 1, 33)
    assert rows[world.association.name] == (1, 1, 1, 0, 100)
    assert section["rows"][0].unit == world.council.name  # the council first
    total = section["total"]
    assert (total.meetings, total.decisions, total.done, total.open_overdue) == (3, 4, 2, 1)
    # The same year as of an earlier day: what was held later is not yet there.
    earlier = selectors.council_section(world.year, day - datetime.timedelta(days=7))
    assert {row.unit: row.meetings for row in earlier["rows"]} == {world.council.name: 1}


def test_dissemination_counts_the_years_published_items_by_kind_and_level(world):
    year, day = world.year, world.today
    author = world.people["teacher"]
    inside = max(year.start, day - datetime.timedelta(days=20))  # within the year on its first day too
    for kind, level in [
        (ItemKind.OPEN_LESSON, Level.COLLEGE),
        (ItemKind.OPEN_LESSON, Level.COLLEGE),
        (ItemKind.OPEN_LESSON, Level.REGIONAL),
        (ItemKind.MASTER_CLASS, Level.MUNICIPAL),
        (ItemKind.PUBLICATION, Level.FEDERAL),
        (ItemKind.CONTEST, Level.REGIONAL),
    ]:
        PublishedItemFactory(kind=kind, level=level, author=author, date=inside)
    PublishedItemFactory(kind=ItemKind.OPEN_LESSON, author=author, date=year.start - datetime.timedelta(days=1))
    PublishedItemFactory(kind=ItemKind.OPEN_LESSON, author=author, date=inside, status=ItemStatus.REVIEWED)
    PublishedItemFactory(kind=ItemKind.OPEN_LESSON, author=author, date=inside, is_external=True)
    PublishedItemFactory(kind=ItemKind.GUIDE, author=author, date=inside)  # a material: section 5

    section = selectors.dissemination_section(year, day)

    levels = [value for value, _label in Level.choices]
    rows = {row["label"]: dict(zip(levels, row["counts"], strict=True)) for row in section["rows"]}
    assert rows[ItemKind.OPEN_LESSON.label] == {"college": 2, "municipal": 0, "regional": 1, "federal": 0,
                                                "international": 0}  # fmt: skip
    assert rows[ItemKind.MASTER_CLASS.label]["municipal"] == 1
    assert rows[ItemKind.PUBLICATION.label]["federal"] == 1
    assert rows[ItemKind.CONTEST.label]["regional"] == 1
    assert sum(rows[ItemKind.TALK.label].values()) == 0
    assert section["totals"] == [2, 1, 2, 1, 0] and section["total"] == 6
    materials = selectors.materials_section(year, day)
    assert [item.kind for item in materials["items"]] == [ItemKind.GUIDE]


def _teaching_staff(world) -> list:
    people = list(teaching_staff().order_by("pk"))
    assert len(people) == 7  # the test college's: methodist, chair, secretary, mo_head, group_lead, lab_head, teacher
    return people


def test_the_composition_of_the_staff_by_education_category_service_and_age(world):
    day = world.today
    people = _teaching_staff(world)
    # The anniversaries: on 29 February, of the 28th (reached that day in every year).
    base = day - datetime.timedelta(days=1) if (day.month, day.day) == (2, 29) else day

    def ago(years: int) -> datetime.date:
        return base.replace(year=base.year - years)

    educations = [Education.HIGHER, Education.HIGHER, Education.HIGHER_PED, Education.SECONDARY_VOC,
                  Education.OTHER, Education.HIGHER_PED, ""]  # fmt: skip
    # Years of pedagogical service on the day: 2 (under 3), 3 (3 to 5: a day before the 3rd anniversary is 2),
    # 7, 12, 25, unknown, and 20 exactly (20 and more).
    since = [ago(2), ago(3), ago(7),
             ago(12), ago(25), None, ago(20)]  # fmt: skip
    # Ages: 25, 29 (the day before the 30th birthday), 30, 45, 59, 64, unknown.
    born = [ago(25), ago(30) + datetime.timedelta(days=1),
            ago(30), ago(45), ago(59),
            ago(64), None]  # fmt: skip
    for person, education, start, birth in zip(people, educations, since, born, strict=True):
        person.education, person.pedagogical_since, person.birth_date = education, start, birth
        person.save(update_fields=["education", "pedagogical_since", "birth_date"])
    Category.objects.create(person=people[0], kind=CategoryKind.HIGHEST, set_on=D(2024, 3, 1))  # in force, no end
    Category.objects.create(person=people[1], kind=CategoryKind.FIRST, set_on=D(2018, 3, 1))  # ended in 2023
    Category.objects.create(person=people[2], kind=CategoryKind.FIRST, set_on=D(2023, 10, 1))

    tables = {table.title: dict(table.rows) for table in selectors.composition_section(world.year, day)["tables"]}

    assert tables["Образование"] == {"высшее": 2, "высшее педагогическое": 2, "среднее профессиональное": 1,
                                     "среднее профессиональное педагогическое": 0, "другое": 1, "не записано": 1}  # fmt: skip
    categories = tables["Квалификационная категория"]
    assert categories["высшая квалификационная категория"] == 1
    assert categories["первая квалификационная категория"] == 1
    assert categories["без категории"] == 5
    assert tables["Педагогический стаж, лет"] == {"до 3": 1, "от 3 до 5": 1, "от 5 до 10": 1, "от 10 до 20": 1,
                                                 "20 и более": 2, "не записано": 1}  # fmt: skip
    assert tables["Возраст, лет"] == {"до 30": 2, "30–39": 1, "40–49": 1, "50–59": 1, "60 и более": 1,
                                      "не записано": 1}  # fmt: skip


def test_attestation_counts_the_years_decisions_and_who_is_due_next_year(world):
    year, day = world.year, world.today
    people = _teaching_staff(world)
    decided = max(year.start, day - datetime.timedelta(days=10))  # within the year on its first day too
    for person, kind, decision in [
        (people[0], CaseKind.CONFORMITY, CaseDecision.CONFORMS),
        (people[1], CaseKind.CONFORMITY, CaseDecision.CONFORMS),
        (people[2], CaseKind.CONFORMITY, CaseDecision.DOES_NOT_CONFORM),
        (people[3], CaseKind.FIRST, CaseDecision.GRANTED),
    ]:
        AttestationCase.objects.create(
            person=person, kind=kind, status=CaseStatus.DECIDED, decision=decision, decided_on=decided
        )
    AttestationCase.objects.create(  # the year before: not this year's
        person=people[4], kind=CaseKind.HIGHEST, status=CaseStatus.DECIDED, decision=CaseDecision.GRANTED,
        decided_on=year.start - datetime.timedelta(days=1),
    )  # fmt: skip

    section = selectors.attestation_section(year, day)

    labels = section["decision_labels"]
    rows = {row["label"]: dict(zip(labels, row["counts"], strict=True)) for row in section["cases"]}
    assert rows[CaseKind.CONFORMITY.label][CaseDecision.CONFORMS.label] == 2
    assert rows[CaseKind.CONFORMITY.label][CaseDecision.DOES_NOT_CONFORM.label] == 1
    assert rows[CaseKind.FIRST.label][CaseDecision.GRANTED.label] == 1
    assert CaseKind.HIGHEST.label not in rows
    assert section["staff"] == 7


def test_professional_development_sums_the_years_confirmed_hours_and_lists_the_overdue(world):
    year, day = world.year, world.today
    people = _teaching_staff(world)
    inside = max(year.start, day - datetime.timedelta(days=30))  # within the year on its first day too
    for person, kind, hours, status, end in [
        (people[0], TrainingKind.QUALIFICATION, 72, TrainingStatus.CONFIRMED, inside),
        (people[1], TrainingKind.QUALIFICATION, 36, TrainingStatus.CONFIRMED, inside),
        (people[1], TrainingKind.INTERNSHIP, 16, TrainingStatus.CONFIRMED, inside),
        (people[2], TrainingKind.QUALIFICATION, 500, TrainingStatus.SUBMITTED, inside),  # not confirmed
        (people[3], TrainingKind.QUALIFICATION, 100, TrainingStatus.CONFIRMED, year.start - datetime.timedelta(days=1)),
    ]:
        TrainingRecord.objects.create(
            person=person, kind=kind, programme="Курсы", provider="ИРО", hours=hours, status=status,
            start=end - datetime.timedelta(days=5), end=end, document_kind=DocumentKind.CERTIFICATE, created_by=person,
        )  # fmt: skip

    section = selectors.training_section(year, day)

    by_kind = {label: (count, hours) for label, count, hours in section["by_kind"]}
    assert by_kind[TrainingKind.QUALIFICATION.label] == (2, 108)
    assert by_kind[TrainingKind.INTERNSHIP.label] == (1, 16)
    assert section["hours"] == 124
    assert section["staff"] == 7
    assert section["covered"] + len(section["overdue"]) <= 7
    assert section["percent"] == round(100 * section["covered"] / 7)


def test_the_theme_section_names_the_stage_and_the_years_place(world):
    section = selectors.theme_section(world.year, world.today)
    assert section["theme"] is not None
    assert section["stage"].stage == "Практический этап"
    assert (section["position"], section["years_count"]) == (2, 2)


def test_the_structure_section_lists_the_units_and_the_years_orders(world):
    section = selectors.structure_section(world.year, world.today)
    names = [unit.name_on_day for unit in section["units"]]
    assert world.council.name in names and world.association.name in names
    assert world.signed in section["orders"]
    assert world.draft not in section["orders"] and world.on_signing not in section["orders"]


def test_a_long_list_of_names_is_cut_and_the_rest_counted(world, monkeypatch):
    monkeypatch.setattr(selectors, "NAMES_SHOWN", 2)
    section = selectors.training_section(world.year, world.today)
    overdue = len(section["overdue"]) + section["overdue_more"]
    assert len(section["overdue"]) == 2 and overdue == 7  # nobody in the test college has a course


def test_plan_execution_by_direction_counts_done_cancelled_and_overdue(world):
    from planning.models import ItemStatus, PlanItem, WorkDirection

    plan, day = world.service_plan, world.today
    direction = WorkDirection.objects.get(code=5)  # the world's plans have no item in direction 5
    form = PlanItem._meta.get_field("form").choices[0][0]
    for position, status, due in [
        (50, ItemStatus.DONE, day),
        (51, ItemStatus.CANCELLED, day - datetime.timedelta(days=3)),
        (52, ItemStatus.PLANNED, day - datetime.timedelta(days=1)),  # overdue
        (53, ItemStatus.PLANNED, day + datetime.timedelta(days=10)),
    ]:
        PlanItem.objects.create(
            plan=plan, position=position, content=f"Работа {position}", direction=direction, form=form,
            due_date=due, status=status,
        )  # fmt: skip

    section = selectors.execution_section(world.year, day)

    row = next(row for row in section["by_direction"] if row.label.startswith("5."))
    assert (row.total, row.done, row.cancelled, row.overdue, row.percent) == (4, 1, 1, 1, 33)
    service = next(row for row in section["by_plan"] if row.total >= 4)
    assert service.done >= 1 and section["total"].total == sum(r.total for r in section["by_direction"])


def test_the_assignments_section_says_which_were_done(world):
    """Two director's assignments (one done through its plan item, one past its deadline without an answer), two
    decisions of the pedagogical council (one answered and in progress, one without an answer), one cancelled, and
    one of the past year that the report leaves out; as of ten days on."""
    from planning import services
    from planning.models import Assignment, AssignmentSource, ItemStatus
    from tests.planning.world import director_assignment, pedagogical_meeting, service_unit

    today = world.today
    days = lambda n: today + datetime.timedelta(days=n)  # noqa: E731
    people = world.people
    diagnostics = world.service_plan.items.get(content="Диагностика профессиональных дефицитов")
    lesson = world.service_plan.items.get(content__startswith="Открытый урок")
    done = director_assignment(world, deadline=days(20))
    services.assignment_answer(assignment=done, by=people["deputy"], plan_item=diagnostics)
    services.item_mark(item=diagnostics, status=ItemStatus.DONE, report="Сделано")
    director_assignment(world, deadline=days(5))  # overdue by the report's day
    first, second = pedagogical_meeting(world, decisions=2).agenda.get().decisions.all()
    answered = services.assignment_from_decision(
        decision=first, by=people["director"], addressee=service_unit(world), deadline=days(30)
    )
    services.assignment_answer(assignment=answered, by=people["deputy"], plan_item=lesson)
    services.assignment_from_decision(
        decision=second, by=people["director"], addressee=service_unit(world), deadline=days(30)
    )
    services.assignment_cancel(assignment=director_assignment(world), by=people["director"], reason="Снято")
    Assignment.objects.create(
        year=world.past_year,
        source=AssignmentSource.DIRECTOR,
        text="Прошлый год",
        issued_by=people["director"],
        issued_on=world.past_year.end,
        deadline=world.past_year.end,
        addressee=service_unit(world),
    )

    section = selectors.assignments_section(world.year, days(10))

    # columns: done, in progress, no answer, overdue
    assert {row["label"]: (row["counts"], row["total"]) for row in section["rows"]} == {
        str(AssignmentSource.PEDAGOGICAL_COUNCIL.label): ([0, 1, 1, 0], 2),
        str(AssignmentSource.DIRECTOR.label): ([1, 0, 0, 1], 2),
    }
    assert (section["totals"], section["total"], section["done"], section["percent"]) == ([1, 1, 1, 1], 4, 1, 25)
    assert section["cancelled"] == 1
    assert len(section["assignments"]) == 5 and "Прошлый год" not in {a.text for a in section["assignments"]}
    # as of the day before they were given: none yet
    assert selectors.assignments_section(world.year, days(-1))["total"] == 0
