"""The schedule page (attestation:schedule) and its XLSX export: what each role sees, the filters, the counts, the
export of the filtered list, the empty states; the dashboard's attestation rows; the records the selector builds;
and the query count pinned on a college of a few hundred people.

The world is tests/world.py's: every teacher there took the position on 01.09.2015 and was never attested, so on
any day after 2020 the rules call them overdue; the records added here are dated from `today`, so each row lands in
its status on whatever day the tests run (the dated ones are marked).
"""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
import rules
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, reverse_lazy

from attestation import schedule as rules_of_schedule
from attestation.models import (
    AttestationCase,
    CaseDecision,
    CaseKind,
    Category,
    CategoryKind,
    TrainingKind,
    TrainingRecord,
    TrainingStatus,
)
from attestation.selectors import schedule as selectors
from structure.models import AbsenceKind, AbsencePeriod, Person, Position, SystemRole, User
from structure.selectors import roles_of
from tests.attestation.schedule_world import give_statuses
from tests.factories import PersonFactory, position
from tests.world import ROLES, build_world, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(extra_staff=10)]

SCHEDULE = reverse_lazy("attestation:schedule")
EXPORT = reverse_lazy("attestation:schedule_xlsx")
DASHBOARD = reverse_lazy("dashboard")


def names(response) -> set[str]:
    return {row.person.full_name for row in response.context["page"]}


# ---------------------------------------------------------------- who sees whom


def test_management_and_admin_see_every_teaching_staff_member_and_nobody_else(world):
    teaching = set(selectors.teaching_staff().values_list("pk", flat=True))
    assert world.people["methodist"].pk in teaching
    assert world.people["director"].pk not in teaching  # not a teaching position
    assert world.people["researcher"].pk not in teaching  # external
    for role in ("director", "deputy", "methodist", "admin"):
        response = client_for(world, role).get(SCHEDULE)
        assert response.status_code == 200
        assert {row.person.pk for row in response.context["page"]} == teaching, role
        assert response.context["may_filter"]


def test_association_head_sees_the_members_and_themselves(world, today):
    response = client_for(world, "mo_head").get(SCHEDULE)
    members = selectors.association_members(roles_of(world.people["mo_head"].user), today)
    expected = {m.person.pk for m in members.select_related("person")} | {world.people["mo_head"].pk}
    assert world.people["teacher"].pk in expected and len(expected) > 3
    assert {row.person.pk for row in response.context["page"]} == expected
    assert world.people["chair"].full_name not in response.content.decode()


@pytest.mark.parametrize("role", ["teacher", "chair", "group_lead"])
def test_a_teacher_sees_only_their_own_row_without_filters(world, role):
    response = client_for(world, role).get(SCHEDULE)
    assert names(response) == {world.people[role].full_name}
    html = response.content.decode()
    assert not response.context["may_filter"]
    assert 'name="unit"' not in html and str(EXPORT) not in html


def test_non_teaching_staff_without_the_whole_view_get_an_explanation(world):
    clerk = PersonFactory(position=Position.objects.get(name="Заведующий отделением"))
    clerk.user = User.objects.create_user("clerk", password="x")
    clerk.save()
    client = Client()
    client.force_login(clerk.user)
    response = client.get(SCHEDULE)
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert "Аттестация на соответствие проводится для педагогических должностей" in response.content.decode()


def test_external_researcher_and_anonymous_are_refused(world):
    assert client_for(world, "researcher").get(SCHEDULE).status_code == 403
    assert client_for(world, "researcher").get(EXPORT).status_code == 403
    assert Client().get(SCHEDULE).status_code == 302


def test_the_list_is_what_the_rule_allows_person_by_person(world, today):
    """schedule_people (the page's query) and attestation.view_person_schedule (the rule) give the same answer."""
    everyone = list(Person.objects.select_related("position"))
    for role in ROLES:
        if role == "anonymous":
            continue
        user = world.admin if role == "admin" else world.people[role].user
        listed = set(selectors.schedule_people(roles_of(user), today).values_list("pk", flat=True))
        allowed = {p.pk for p in everyone if rules.has_perm("attestation.view_person_schedule", user, p)}
        assert listed == allowed, role
        assert bool(listed) == (role != "researcher"), role


# ---------------------------------------------------------------- statuses, filters, counts


@pytest.mark.dated
def test_each_row_shows_its_status_and_the_counts_link_to_the_filter(world, today):
    chosen = give_statuses(world, today)
    response = client_for(world, "methodist").get(SCHEDULE)
    rows = {row.person.pk: row for row in response.context["page"]}
    for status, person in chosen.items():
        row = rows[person.pk]
        assert row.matches(status), (status, row.schedule)
    assert rows[world.people["teacher"].pk].status == rules_of_schedule.OVERDUE
    secretary = rows[chosen["apply_now"].pk]
    assert secretary.status == rules_of_schedule.EXEMPT and secretary.schedule.category_ends_within == 3
    html = response.content.decode()
    assert "пора подавать заявление" in html
    assert "бессрочно" in html  # the chair's category
    assert f"аттестовать до {chosen['due_soon'] and rows[chosen['due_soon'].pk].schedule.due_by:%d.%m.%Y}" in html
    counts = {key: count for key, _label, count in response.context["counts"]}
    assert counts["apply_now"] == 1 and counts["due_soon"] == 1 and counts["scheduled"] == 1
    assert counts["exempt"] == 2  # the chair and the secretary
    assert "?status=overdue" in html


@pytest.mark.dated
@pytest.mark.parametrize("status", ["exempt", "apply_now", "due_soon", "scheduled", "overdue"])
def test_status_filter(world, today, status):
    chosen = give_statuses(world, today)
    response = client_for(world, "methodist").get(SCHEDULE, {"status": status})
    shown = {row.person.pk for row in response.context["page"]}
    if status == "overdue":
        assert world.people["teacher"].pk in shown and not shown & {p.pk for p in chosen.values()}
    elif status == "exempt":
        assert shown == {chosen["exempt"].pk, chosen["apply_now"].pk}
    else:
        assert shown == {chosen[status].pk}


def test_unit_filter_keeps_the_members_of_the_day(world, today):
    response = client_for(world, "methodist").get(SCHEDULE, {"unit": world.association.pk})
    members = selectors.association_members(roles_of(world.people["mo_head"].user), today)
    assert {row.person.pk for row in response.context["page"]} == set(members.values_list("person_id", flat=True))
    lab = client_for(world, "methodist").get(SCHEDULE, {"unit": world.lab.pk})
    assert names(lab) == {world.people["lab_head"].full_name}  # the researcher is a member, but not on the staff


def test_position_filter(world):
    methodist_position = position(SystemRole.METHODIST)
    response = client_for(world, "methodist").get(SCHEDULE, {"position": methodist_position.pk})
    assert names(response) == {world.people["methodist"].full_name}
    choices = [str(label) for _value, label in response.context["filter"].form.fields["position"].choices]
    assert "Методист" in choices and "Директор" not in choices  # teaching positions only


def test_a_filter_that_leaves_nobody_says_so(world):
    response = client_for(world, "methodist").get(SCHEDULE, {"status": "apply_now"})
    assert list(response.context["page"]) == []
    assert "Под условия фильтра никто не подходит." in response.content.decode()


def test_a_wrong_filter_value_is_ignored_not_an_error(world):
    response = client_for(world, "methodist").get(SCHEDULE, {"status": "nonsense", "unit": "x"})
    assert response.status_code == 200
    assert len(response.context["page"].paginator.object_list) == selectors.teaching_staff().count()


def test_fifty_rows_a_page(world):
    PersonFactory.create_batch(45)
    client = client_for(world, "methodist")
    first, second = client.get(SCHEDULE), client.get(SCHEDULE, {"page": 2})
    assert len(first.context["page"]) == 50
    assert len(second.context["page"]) == selectors.teaching_staff().count() - 50
    assert "?page=2" in first.content.decode()


def test_no_teaching_staff_yet(db):
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", password="x"))
    response = admin.get(SCHEDULE)
    assert response.status_code == 200
    assert "Педагогических работников пока нет." in response.content.decode()


# ---------------------------------------------------------------- the export


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))


@pytest.mark.dated
def test_export_is_the_filtered_list_with_dates_as_dates(world, today):
    chosen = give_statuses(world, today)
    rows = _sheet(client_for(world, "methodist").get(EXPORT, {"status": "apply_now"}))
    headers, body = rows[0], rows[1:]
    assert headers[:4] == ("ФИО", "Должность", "В должности с", "Категория")
    assert [line[0] for line in body] == [chosen["apply_now"].full_name]
    line = dict(zip(headers, body[0], strict=True))
    assert line["Категория"] == "первая квалификационная категория"
    assert line["Пора подавать заявление"] == "да"
    until = rules_of_schedule.category_until(
        rules_of_schedule.CategoryHeld("first", chosen["apply_now"].categories.get().set_on)
    )
    assert line["Категория действует до"].date() == until
    assert line["Освобождение до"].date() == until


@pytest.mark.dated
def test_export_words_what_has_no_end(world, today):
    chosen = give_statuses(world, today)
    rows = _sheet(client_for(world, "methodist").get(EXPORT, {"status": "exempt"}))
    lines = {line[0]: dict(zip(rows[0], line, strict=True)) for line in rows[1:]}
    chair = lines[chosen["exempt"].full_name]
    assert (chair["Категория действует до"], chair["Освобождение до"]) == ("бессрочно", "бессрочно")
    assert chair["Основания освобождения"] == "имеет квалификационную категорию — бессрочно"
    assert chair["Статус"] == "не подлежит аттестации" and chair["Аттестовать до"] is None


def test_export_has_every_row_not_one_page(world):
    PersonFactory.create_batch(45)
    rows = _sheet(client_for(world, "methodist").get(EXPORT))
    assert len(rows) - 1 == selectors.teaching_staff().count() > 50


def test_a_teachers_export_is_their_own_row(world):
    rows = _sheet(client_for(world, "teacher").get(EXPORT))
    assert [line[0] for line in rows[1:]] == [world.people["teacher"].full_name]


# ---------------------------------------------------------------- the records the selector builds


def test_the_record_takes_only_positive_conformity_decisions_and_confirmed_trainings(world, today):
    teacher = world.people["teacher"]
    for decision, kind, decided in (
        (CaseDecision.CONFORMS, CaseKind.CONFORMITY, datetime.date(2024, 5, 20)),
        (CaseDecision.DOES_NOT_CONFORM, CaseKind.CONFORMITY, datetime.date(2025, 5, 20)),
        (CaseDecision.GRANTED, CaseKind.FIRST, datetime.date(2025, 6, 20)),
        (CaseDecision.CONFORMS, CaseKind.CONFORMITY, None),
    ):
        AttestationCase.objects.create(person=teacher, kind=kind, decision=decision, decided_on=decided)
    for status, end in ((TrainingStatus.CONFIRMED, datetime.date(2025, 3, 1)), (TrainingStatus.SUBMITTED, today)):
        TrainingRecord.objects.create(
            person=teacher,
            kind=TrainingKind.QUALIFICATION,
            programme="Цифровые инструменты",
            provider="ИРО",
            hours=36,
            start=end - datetime.timedelta(days=10),
            end=end,
            document_kind="certificate",
            status=status,
        )
    AbsencePeriod.objects.create(person=teacher, kind=AbsenceKind.PARENTAL, start=datetime.date(2020, 1, 1), end=None)
    Category.objects.create(person=teacher, kind=CategoryKind.FIRST, set_on=datetime.date(2019, 4, 1))
    [(person, record)] = selectors.person_records(Person.objects.filter(pk=teacher.pk))
    assert record == rules_of_schedule.PersonRecord(
        pedagogical=True,
        position_since=datetime.date(2015, 9, 1),
        categories=(rules_of_schedule.CategoryHeld("first", datetime.date(2019, 4, 1)),),
        absences=(rules_of_schedule.Absence("parental", datetime.date(2020, 1, 1), None),),
        attested=(datetime.date(2024, 5, 20),),
        trainings=(rules_of_schedule.Training("qualification", datetime.date(2025, 3, 1), 36),),
        professional_cycle=False,
    )


def test_the_records_of_many_people_take_five_queries(world, django_assert_num_queries):
    with django_assert_num_queries(5):
        records = selectors.person_records(selectors.teaching_staff())
    assert len(records) == selectors.teaching_staff().count()


# ---------------------------------------------------------------- the dashboard


def test_a_teachers_dashboard_shows_their_own_due_dates(world):
    response = client_for(world, "teacher").get(DASHBOARD)
    mine = response.context["attestation_mine"]
    assert [r.overdue for r in mine] == [True, True]  # conformity since 2020, and no ПК on record
    html = response.content.decode()
    assert 'id="my-attestation"' in html
    assert "Аттестация на соответствие занимаемой должности — до 31.08.2020" in html
    assert str(SCHEDULE) in html
    assert "attestation_staff" not in response.context


@pytest.mark.dated
def test_a_teachers_dashboard_says_when_to_apply_for_the_category(world, today):
    chosen = give_statuses(world, today)
    secretary = client_for(world, "secretary").get(DASHBOARD)
    [apply] = [r for r in secretary.context["attestation_mine"] if r.apply_now]
    assert apply.day == chosen["apply_now"].categories.get().valid_until and not apply.overdue
    assert "пора подавать заявление" in secretary.content.decode()
    # The chair holds a category without end: only the missing ПК is left to remind of.
    chair = client_for(world, "chair").get(DASHBOARD).context["attestation_mine"]
    assert [(r.day, r.overdue, r.apply_now) for r in chair] == [(None, True, False)]


def test_nothing_due_is_said_so(world, today):
    teacher = world.people["teacher"]
    Category.objects.create(person=teacher, kind=CategoryKind.HIGHEST, set_on=datetime.date(2024, 1, 10))
    TrainingRecord.objects.create(
        person=teacher,
        kind=TrainingKind.QUALIFICATION,
        programme="Курс",
        provider="ИРО",
        hours=36,
        start=today - datetime.timedelta(days=20),
        end=today - datetime.timedelta(days=10),
        document_kind="certificate",
        status=TrainingStatus.CONFIRMED,
    )
    response = client_for(world, "teacher").get(DASHBOARD)
    assert response.context["attestation_mine"] == []
    assert "В ближайшие 6 месяцев сроков по аттестации и повышению квалификации у вас нет." in response.content.decode()


def test_the_methodists_dashboard_counts_everyone_due_and_links_to_the_list(world):
    response = client_for(world, "methodist").get(DASHBOARD)
    summary = response.context["attestation_staff"]
    teaching = selectors.teaching_staff().count()
    assert summary.overdue == teaching and summary.training_overdue == teaching  # nobody attested, no ПК anywhere
    html = response.content.decode()
    assert 'id="staff-attestation"' in html
    assert f"{SCHEDULE}?status=overdue" in html
    assert "attestation_mine" in response.context  # the methodist teaches too


@pytest.mark.dated
def test_the_methodists_counts_are_the_lists_counts(world, today):
    """The dashboard counts what the lists it links to show: the schedule's and the compliance list's statuses."""
    give_statuses(world, today)
    for person, years in ((world.people["teacher"], 3), (world.people["chair"], 1)):  # due soon, compliant
        end = rules_of_schedule.add_years(today, -years) + datetime.timedelta(days=60)
        TrainingRecord.objects.create(
            person=person,
            kind=TrainingKind.QUALIFICATION,
            programme="Курс",
            provider="ИРО",
            hours=36,
            start=end - datetime.timedelta(days=5),
            end=end,
            document_kind="certificate",
            status=TrainingStatus.CONFIRMED,
        )
    client = client_for(world, "methodist")
    summary = client.get(DASHBOARD).context["attestation_staff"]
    assert summary.training_due_soon == 1
    schedule_counts = {key: count for key, _label, count in client.get(SCHEDULE).context["counts"]}
    assert (summary.overdue, summary.due_soon, summary.apply_now) == (
        schedule_counts["overdue"],
        schedule_counts["due_soon"],
        schedule_counts["apply_now"],
    )
    compliance = client.get(reverse("attestation:training_compliance")).context["counts"]
    compliance_counts = {row[0]: row[-1] for row in compliance}
    assert (summary.training_overdue, summary.training_due_soon) == (
        compliance_counts["overdue"],
        compliance_counts["due_soon"],
    )


@pytest.mark.parametrize("role", ["director", "researcher", "admin"])
def test_no_attestation_rows_for_whom_they_do_not_concern(world, role):
    context = client_for(world, role).get(DASHBOARD).context
    assert "attestation_mine" not in context and "attestation_staff" not in context


def test_the_deputy_sees_the_counts_but_has_no_due_dates(world):
    context = client_for(world, "deputy").get(DASHBOARD).context
    assert "attestation_staff" in context and "attestation_mine" not in context


# ---------------------------------------------------------------- the query count


class PinnedQueriesTest(TestCase):
    """The schedule page and its export answer in a fixed number of queries on a college of 300+ people, each with
    categories, absences, conformity decisions and ПК records."""

    PAGE = 9  # see test_counts
    EXPORT = 5

    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        people = PersonFactory.create_batch(300)
        cls.many = people
        Category.objects.bulk_create(
            Category(person=p, kind=CategoryKind.FIRST, set_on=datetime.date(2021 + i % 4, 3, 15))
            for i, p in enumerate(people[::2])
        )
        AbsencePeriod.objects.bulk_create(
            AbsencePeriod(
                person=p, kind=AbsenceKind.SICK_LEAVE, start=datetime.date(2025, 1, 10), end=datetime.date(2025, 6, 1)
            )
            for p in people[::3]
        )
        AttestationCase.objects.bulk_create(
            AttestationCase(
                person=p, kind=CaseKind.CONFORMITY, decision=CaseDecision.CONFORMS, decided_on=datetime.date(2022, 5, 1)
            )
            for p in people[1::2]
        )
        TrainingRecord.objects.bulk_create(
            TrainingRecord(
                person=p,
                kind=TrainingKind.QUALIFICATION,
                programme="Курс",
                provider="ИРО",
                hours=36,
                start=datetime.date(2024, 2, 1),
                end=datetime.date(2024, 2, 20),
                document_kind="certificate",
                status=TrainingStatus.CONFIRMED,
            )
            for p in people
        )

    def test_counts(self):
        # The session, the user, the roles (1), the menu's badge (1), the
        # filter's units (1) and positions (1), everyone's status (selectors.schedule.status_list), the two of the
        # records of the page's people on the day (selectors.schedule.records_on); the export has no menu, no
        # choices and no statuses apart.
        client = client_for(self.world, "methodist")
        for url, queries in ((SCHEDULE, self.PAGE), (EXPORT, self.EXPORT)):
            with self.subTest(url=str(url)):
                client.get(url)
                with self.assertNumQueries(queries):
                    response = client.get(url, {"unit": ""})
                self.assertEqual(response.status_code, 200)

    def test_the_count_does_not_grow_with_the_people(self):
        client = client_for(self.world, "methodist")
        client.get(SCHEDULE)
        PersonFactory.create_batch(60)
        with self.assertNumQueries(self.PAGE):
            client.get(SCHEDULE, {"unit": ""})

    def test_the_dashboards_do_not_grow_with_the_people(self):
        """The methodist's counts read everyone's records in two queries, a teacher's own due dates in one."""
        for role in ("methodist", "teacher"):
            with self.subTest(role=role):
                client = client_for(self.world, role)
                client.get(DASHBOARD)
                with CaptureQueriesContext(connection) as before:
                    client.get(DASHBOARD)
                PersonFactory.create_batch(30)
                with self.assertNumQueries(len(before)):
                    client.get(DASHBOARD)
