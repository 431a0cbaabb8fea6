"""The schedule and the professional-development list at scale: the database sorts everyone into the statuses
(attestation.selectors.schedule.with_status, attestation.selectors.training.with_compliance) from the bounds the
rules give (attestation.schedule.status_bounds, training_bounds), and only a page of people has its records read.

The answers must be the rules' own: each person of a small college with the edge cases (nobody on record, a
category ending on the very day, a leap day, every kind of absence, records older than 3 years, unconfirmed and
future records) and a few hundred people with random records are compared, on hundreds of days, with
attestation.schedule.schedule() and training_compliance() on their full records. The days are given, never
today's: the comparisons are not `dated`. Then the pages: what they list on every page and filter is what the
computation of every row in Python listed, in a number of queries that does not grow with the people.
"""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attestation import schedule as rules
from attestation.models import (
    AttestationCase,
    CaseDecision,
    CaseKind,
    Category,
    CategoryKind,
    DocumentKind,
    TrainingKind,
    TrainingRecord,
    TrainingStatus,
)
from attestation.selectors import schedule as schedule_selectors
from attestation.selectors import training as training_selectors
from structure.models import AbsenceKind, AbsencePeriod, Person, Position
from structure.selectors import roles_of
from tests.factories import position
from tests.world import client_for

pytestmark = pytest.mark.django_db

D = datetime.date
ONE = datetime.timedelta(days=1)
#: The day most edge cases are built around, and the days around the edges they make.
PIVOT = D(2026, 10, 14)
EDGE_DAYS = [
    PIVOT - ONE,
    PIVOT,
    PIVOT + ONE,
    D(2025, 2, 28),
    D(2025, 3, 1),
    D(2024, 2, 29),
    D(2028, 2, 29),
    D(2028, 8, 30),
    D(2028, 8, 31),
    D(2027, 4, 13),
    D(2027, 4, 14),
    D(2027, 4, 15),
    D(2026, 4, 13),
    D(2026, 4, 14),
    D(2023, 8, 31),
    D(2023, 9, 1),
]
#: And every 23rd day over twelve years.
SPREAD_DAYS = [D(2018, 1, 1) + datetime.timedelta(days=23 * n) for n in range(0, 12 * 366 // 23)]


# ---------------------------------------------------------------- the people


LONG_AGO = D(2010, 9, 1)


def teacher(name: str, position_since: datetime.date | None = LONG_AGO, **fields) -> Person:
    return Person.objects.create(
        last_name=name, first_name="Анна", position=position(), position_since=position_since, **fields
    )


def category(person: Person, set_on: datetime.date, kind: str = CategoryKind.FIRST) -> None:
    Category.objects.create(person=person, kind=kind, set_on=set_on)


def absence(person: Person, kind: str, start: datetime.date, end: datetime.date | None) -> None:
    AbsencePeriod.objects.create(person=person, kind=kind, start=start, end=end)


def decision(person: Person, decided_on: datetime.date, verdict: str = CaseDecision.CONFORMS, kind=CaseKind.CONFORMITY):
    AttestationCase.objects.create(person=person, kind=kind, decision=verdict, decided_on=decided_on)


def training(
    person: Person, kind: str, end: datetime.date, hours: int = 36, status: str = TrainingStatus.CONFIRMED
) -> TrainingRecord:
    document = {
        TrainingKind.QUALIFICATION: DocumentKind.CERTIFICATE,
        TrainingKind.RETRAINING: DocumentKind.DIPLOMA,
        TrainingKind.INTERNSHIP: DocumentKind.STATEMENT,
    }[kind]
    return TrainingRecord(
        person=person,
        kind=kind,
        programme="Программа",
        provider="Институт",
        hours=hours,
        start=end - datetime.timedelta(days=10),
        end=end,
        document_kind=document,
        status=status,
    )


def edge_cases() -> None:
    """One teacher per edge of the rules (their names say which), around PIVOT."""
    teacher("Безданных", position_since=None)  # nothing on record: overdue, no date to count from
    teacher("Новичкова", position_since=PIVOT - datetime.timedelta(days=730))  # 2 years in the position on PIVOT
    teacher("Будущева", position_since=D(2027, 1, 1))  # takes the position later
    teacher("Некатегорийная")  # no records: overdue since 2015
    # a category ending exactly on PIVOT - 1 (set 14.10.2021): exempt and «apply now» up to that day, a new cycle after
    category(teacher("Границына"), D(2021, 10, 14))
    category(teacher("Високосная"), D(2020, 2, 29))  # in force to 28.02.2025
    category(teacher("Бессрочная"), rules.OPEN_ENDED_FROM)
    category(teacher("Накануне"), rules.OPEN_ENDED_FROM - ONE, kind=CategoryKind.HIGHEST)  # the last with an end
    two = teacher("Двухкатегорийная")
    category(two, D(2015, 5, 20))
    category(two, D(2019, 6, 1), kind=CategoryKind.HIGHEST)
    category(two, D(2027, 3, 1), kind=CategoryKind.METHODIST)  # set later than some days asked
    absence(teacher("Отпускная"), AbsenceKind.PARENTAL, D(2020, 1, 10), PIVOT - datetime.timedelta(days=731))
    absence(teacher("Больничная"), AbsenceKind.SICK_LEAVE, D(2025, 3, 1), D(2025, 10, 13))
    absence(teacher("Беременная"), AbsenceKind.PREGNANCY, D(2026, 1, 1), None)
    absence(teacher("Декретная"), AbsenceKind.MATERNITY, D(2021, 4, 1), D(2021, 10, 13))
    leap = teacher("Високосный")
    absence(leap, AbsenceKind.PARENTAL, D(2019, 3, 1), D(2024, 2, 28))
    absence(leap, AbsenceKind.SICK_LEAVE, D(2027, 3, 1), None)
    attested = teacher("Аттестованная")
    decision(attested, D(2021, 10, 14))
    decision(attested, D(2023, 1, 1), verdict=CaseDecision.DOES_NOT_CONFORM)
    decision(attested, D(2028, 1, 1))
    for days in (0, 1, 2):  # due_by 13, 14 and 15.04.2027: due within 6 months of PIVOT or not
        decision(teacher(f"Полугодова{days}"), D(2022, 4, 14) + datetime.timedelta(days=days))
    decision(teacher("Категорийная"), D(2024, 5, 5), kind=CaseKind.HIGHEST)
    mixed = teacher("Смешанная", position_since=D(2018, 9, 1))
    category(mixed, D(2017, 1, 1))
    absence(mixed, AbsenceKind.SICK_LEAVE, D(2022, 1, 1), D(2022, 6, 30))
    decision(mixed, D(2019, 12, 1))
    Person.objects.create(
        last_name="Бухгалтерова",
        first_name="Ольга",
        position=Position.objects.filter(is_pedagogical=False).first(),
        position_since=D(2010, 1, 1),
    )
    Person.objects.create(last_name="Беспозиционная", first_name="Ольга", is_external=True, organisation="ВУЗ")
    Person.objects.create(
        last_name="Исследователева", first_name="Ольга", position=position(), is_external=True, organisation="ВУЗ"
    )
    trainees = [
        teacher("Безкурсов", professional_cycle=True),
        teacher("Курсова"),
        teacher("Свежекурсова"),
        teacher("Стажёрова", professional_cycle=True),
        teacher("Старокурсова"),
        teacher("Високоскурсова", professional_cycle=True),
    ]
    none, course, fresh, intern, old, leap_course = trainees
    TrainingRecord.objects.bulk_create(
        [
            training(none, TrainingKind.QUALIFICATION, PIVOT - ONE, status=TrainingStatus.SUBMITTED),  # not counted
            training(course, TrainingKind.QUALIFICATION, D(2023, 10, 14), hours=72),  # due 13.10.2026
            training(course, TrainingKind.QUALIFICATION, D(2023, 10, 15), hours=16),  # counts on PIVOT, due 14.10
            training(course, TrainingKind.RETRAINING, D(2023, 10, 13), hours=250),  # older than 3 years on PIVOT
            training(course, TrainingKind.QUALIFICATION, D(2027, 1, 20), hours=18),  # ends later
            training(fresh, TrainingKind.QUALIFICATION, D(2026, 3, 1)),
            training(intern, TrainingKind.QUALIFICATION, D(2025, 6, 1)),
            training(intern, TrainingKind.INTERNSHIP, D(2024, 4, 14), hours=72),  # due 13.04.2027
            training(intern, TrainingKind.INTERNSHIP, D(2020, 1, 1), hours=72),
            training(old, TrainingKind.RETRAINING, D(2019, 6, 30), hours=500),
            training(old, TrainingKind.QUALIFICATION, D(2022, 6, 30), status=TrainingStatus.RETURNED),
            training(leap_course, TrainingKind.RETRAINING, D(2024, 2, 29), hours=260),
            training(leap_course, TrainingKind.INTERNSHIP, D(2024, 2, 29), hours=36),
        ]
    )


def random_people(count: int, seed: int = 13) -> None:
    """`count` teachers with random records between 2008 and 2030 (a fixed seed: the same every run)."""
    chance = random.Random(seed)

    def day(start: int = 2008, end: int = 2030) -> datetime.date:
        return D(start, 1, 1) + datetime.timedelta(days=chance.randrange((D(end, 12, 31) - D(start, 1, 1)).days))

    kinds = list(AbsenceKind.values)
    trainings = []
    for n in range(count):
        person = teacher(
            f"Случайная{n:03}",
            position_since=None if chance.random() < 0.05 else day(2005, 2029),
            professional_cycle=chance.random() < 0.4,
        )
        for _ in range(chance.choice((0, 0, 1, 1, 2, 3))):
            category(person, day(), kind=chance.choice(CategoryKind.values))
        for _ in range(chance.choice((0, 0, 0, 1, 1, 2))):
            start = day()
            end = None if chance.random() < 0.15 else start + datetime.timedelta(days=chance.randrange(1, 1500))
            absence(person, chance.choice(kinds), start, end)
        for _ in range(chance.choice((0, 1, 1, 2))):
            verdict = CaseDecision.CONFORMS if chance.random() < 0.8 else CaseDecision.DOES_NOT_CONFORM
            decision(person, day(), verdict=verdict)
        for _ in range(chance.choice((0, 1, 3, 6))):
            status = TrainingStatus.CONFIRMED if chance.random() < 0.85 else TrainingStatus.SUBMITTED
            kind = chance.choice(TrainingKind.values)
            trainings.append(
                training(person, kind, day(2012, 2030), hours=chance.choice((16, 36, 72, 250)), status=status)
            )
    TrainingRecord.objects.bulk_create(trainings)


# ---------------------------------------------------------------- the database answers as the rules do


def full_records() -> list[tuple[Person, rules.PersonRecord]]:
    """Everyone's whole record, as the person pages read it (every training, every decision)."""
    return schedule_selectors.person_records(Person.objects.all())


def check_schedule(days: list[datetime.date]) -> int:
    records = full_records()
    compared = 0
    for day in days:
        found = dict(
            (pk, (status, apply_now))
            for pk, status, apply_now in schedule_selectors.with_status(Person.objects.all(), day).values_list(
                "pk", "status", "apply_now"
            )
        )
        for person, record in records:
            plan = rules.schedule(record, day)
            expected = (plan.status, plan.category_ends_within is not None)
            assert found[person.pk] == expected, (person.last_name, day, record)
            compared += 1
    return compared


def check_training(days: list[datetime.date]) -> int:
    records = full_records()
    compared = 0
    for day in days:
        statuses = dict(training_selectors.with_compliance(Person.objects.all(), day).values_list("pk", "compliance"))
        rows = {
            row.person.pk: row.compliance
            for row in training_selectors.compliance_rows([p.pk for p, _r in records], day)
        }
        for person, record in records:
            expected = rules.training_compliance(record, day)
            assert statuses[person.pk] == expected.status, (person.last_name, day, record)
            assert rows[person.pk] == expected, (person.last_name, day, record)
            compared += 1
    return compared


def test_the_edges_of_the_schedule_as_the_rules_say():
    edge_cases()
    assert check_schedule(EDGE_DAYS + SPREAD_DAYS) > 5000


def test_the_edges_of_professional_development_as_the_rules_say():
    edge_cases()
    assert check_training(EDGE_DAYS + SPREAD_DAYS) > 5000


def test_random_records_as_the_rules_say():
    random_people(250)
    days = EDGE_DAYS + SPREAD_DAYS[::2]
    assert check_schedule(days) > 25_000
    assert check_training(days) > 25_000


def test_the_dashboards_counts_are_the_rules_counts():
    """The methodist's dashboard counts everyone in one query (staff_summary): the counts the rules give."""
    edge_cases()
    random_people(120, seed=3)
    records = schedule_selectors.person_records(schedule_selectors.teaching_staff())
    for day in (PIVOT - ONE, PIVOT, D(2027, 4, 14), D(2025, 3, 1)):
        plans = [rules.schedule(record, day) for _person, record in records]
        training = [rules.training_compliance(record, day).status for _person, record in records]
        assert schedule_selectors.staff_summary(day) == schedule_selectors.StaffSummary(
            overdue=sum(plan.status == rules.OVERDUE for plan in plans),
            due_soon=sum(plan.status == rules.DUE_SOON for plan in plans),
            apply_now=sum(plan.category_ends_within is not None for plan in plans),
            training_overdue=training.count(rules.OVERDUE),
            training_due_soon=training.count(rules.DUE_SOON),
        )


def test_every_status_occurs_among_the_edges():
    """The edge cases are not all of one status (the comparisons above would then prove little)."""
    edge_cases()
    statuses = {
        found
        for day in (PIVOT - ONE, PIVOT)
        for found in schedule_selectors.with_status(Person.objects.all(), day).values_list("status", "apply_now")
    }
    assert {status for status, _ in statuses} == {
        rules.EXEMPT,
        rules.OVERDUE,
        rules.DUE_SOON,
        rules.SCHEDULED,
        rules.NOT_APPLICABLE,
    }
    assert (rules.EXEMPT, True) in statuses
    compliance = set(
        training_selectors.with_compliance(Person.objects.all(), PIVOT).values_list("compliance", flat=True)
    )
    assert compliance == {rules.OVERDUE, rules.DUE_SOON, rules.COMPLIANT, rules.NOT_APPLICABLE}


@pytest.mark.parametrize("day", [D(2024, 2, 29), D(2025, 2, 28), D(2025, 3, 1), D(2026, 8, 31), D(2027, 12, 31)])
@pytest.mark.parametrize("years", [1, 2, 3, 5])
def test_first_start_running_on_is_the_boundary_of_last_day_of_term(day, years):
    start = rules.first_start_running_on(day, years)
    assert rules.last_day_of_term(start, years) >= day > rules.last_day_of_term(start - ONE, years)


# ---------------------------------------------------------------- the pages


SCHEDULE = reverse("attestation:schedule")
COMPLIANCE = reverse("attestation:training_compliance")


def many(world) -> None:
    """Three hundred teachers with random records, a third of them in the world's association."""
    random_people(300, seed=7)
    from structure.models import MemberRole, Membership

    start = world.today - datetime.timedelta(days=30)
    Membership.objects.bulk_create(
        Membership(unit=world.association, person=person, role=MemberRole.MEMBER, start=start, start_order=world.signed)
        for person in Person.objects.filter(last_name__startswith="Случайная")[:100]
    )


def walk(client, address: str, params: dict) -> tuple[list, list]:
    """Every row of every page of a list: (person pk, what the row says), and the counts shown."""
    rows, number = [], 1
    while True:
        response = client.get(address, {**params, "page": number})
        assert response.status_code == 200
        page = response.context["page"]
        rows += [page_row(row) for row in page]
        if not page.has_next():
            return rows, response.context["counts"]
        number += 1


def page_row(row):
    if isinstance(row, schedule_selectors.ScheduleRow):
        return row.person.pk, row.schedule, row.private
    return row.person.pk, row.compliance


@pytest.mark.world(extend=many)
@pytest.mark.parametrize("role", ["methodist", "mo_head"])
def test_the_schedule_lists_what_the_rules_gave_every_row(world, today, role):
    """The page, filtered by each status and by the association, is what computing every row in Python gave (the
    old page): the same people in the same order with the same schedule, the same counts."""
    client = client_for(world, role)
    viewer = roles_of(world.people[role].user)
    for params in ({}, {"unit": world.association.pk}):
        people = schedule_selectors.schedule_people(viewer, today)
        if params:
            people = schedule_selectors.in_unit(people, world.association, today)
        everyone = schedule_selectors.schedule_rows(people, today, viewer=viewer)  # the old computation
        old_counts = schedule_selectors.status_counts(everyone)
        for status in ["", *schedule_selectors.STATUS_LABELS]:
            rows, counts = walk(client, SCHEDULE, {**params, "status": status} if status else params)
            expected = [(r.person.pk, r.schedule, r.private) for r in everyone if r.matches(status)]
            assert rows == expected, (params, status)
            if role == "methodist":
                assert [count for _key, _label, count in counts] == list(old_counts.values())
    assert len(everyone) > 50


@pytest.mark.world(extend=many)
def test_the_compliance_list_lists_what_the_rules_gave_every_row(world, today):
    client = client_for(world, "methodist")
    for params in ({}, {"unit": world.association.pk}):
        people = training_selectors.teaching_staff_visible_to(roles_of(world.people["methodist"].user), day=today)
        if params:
            people = schedule_selectors.in_unit(people, world.association, today)
        records = schedule_selectors.person_records(people.order_by("last_name", "first_name", "patronymic", "pk"))
        everyone = [(person.pk, rules.training_compliance(record, today)) for person, record in records]
        for status in ["", *training_selectors.STATUSES]:
            rows, counts = walk(client, COMPLIANCE, {**params, "status": status} if status else params)
            assert rows == [(pk, c) for pk, c in everyone if not status or c.status == status], (params, status)
            assert {key: count for key, _l, _b, count in counts} == {
                key: sum(c.status == key for _pk, c in everyone) for key in training_selectors.STATUSES
            }


@pytest.mark.world(extend=many)
@pytest.mark.parametrize(
    ("address", "params"),
    [
        (SCHEDULE, {}),
        (SCHEDULE, {"status": rules.OVERDUE, "page": 2}),
        (SCHEDULE, {"status": schedule_selectors.APPLY_NOW}),
        (COMPLIANCE, {}),
        (COMPLIANCE, {"status": rules.DUE_SOON, "page": 2}),
    ],
)
def test_the_pages_take_as_many_queries_for_more_people(world, address, params):
    """Three hundred people more with their records: not one query more, and at most 12 in all (the session, the
    user, the roles and the badge included)."""
    client = client_for(world, "methodist")
    client.get(address, params)
    with CaptureQueriesContext(connection) as before:
        client.get(address, params)
    random_people(300, seed=8)
    with CaptureQueriesContext(connection) as after:
        response = client.get(address, params)
    assert response.status_code == 200 and len(response.context["page"]) > 0
    assert len(after) == len(before) <= 12, [q["sql"][:120] for q in after]
