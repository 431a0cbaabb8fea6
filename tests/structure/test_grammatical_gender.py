"""Russian that agrees with the person: «Орлова … направила», «Петров … направил», never «направил(а)» when the name
tells, or the person's override says, who it is.

The gender comes from the patronymic (the first name when there is none), or from the override on the person
(`Person.gender`). Each place that says something of a person is checked with a man, a woman and an override; the
лист ознакомления of a signed order keeps the form it was signed with.
"""

from __future__ import annotations

import io

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import load_workbook

from planning import reports as planning_reports
from planning import selectors as planning_selectors
from planning.forms.meetings import AttendanceForm
from structure import reports, selectors, services
from structure.models import Acknowledgement, GenderChoice, Person
from structure.wording import person_accusative
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]

MAN = {"first_name": "Павел", "patronymic": "Андреевич", "gender": GenderChoice.AUTO}
WOMAN = {"first_name": "Марина", "patronymic": "Геннадьевна", "gender": GenderChoice.AUTO}
#: A name that tells nothing («Саша», no patronymic), and the same with the override.
UNTOLD = {"first_name": "Саша", "patronymic": "", "gender": GenderChoice.AUTO}
UNTOLD_WOMAN = {**UNTOLD, "gender": GenderChoice.FEMALE}
#: The override wins over the name.
WOMAN_SAID_MAN = {**WOMAN, "gender": GenderChoice.MALE}


def become(person: Person, **fields) -> Person:
    for name, value in fields.items():
        setattr(person, name, value)
    person.save()
    return person


# ---------------------------------------------------------------- the gender of a person


@pytest.mark.parametrize(
    ("first_name", "patronymic", "gender", "expected"),
    [
        ("Павел", "Андреевич", "auto", "male"),
        ("Марина", "Геннадьевна", "auto", "female"),
        ("Никита", "Сергеевич", "auto", "male"),  # the patronymic decides over a first name ending in «-а»
        ("Анна", "", "auto", "female"),  # no patronymic: the first name
        ("Иван", "", "auto", "male"),
        ("Эльчин", "Рафик оглы", "auto", "male"),
        ("Арзу", "Лутфияр кызы", "auto", "female"),
        ("Саша", "", "auto", ""),  # nothing tells: texts keep «(а)»
        ("John", "", "auto", ""),
        ("Саша", "", "female", "female"),  # the override
        ("Марина", "Геннадьевна", "male", "male"),  # the override wins over the name
    ],
)
def test_the_grammatical_gender_of_a_person(first_name, patronymic, gender, expected):
    person = Person(last_name="Иванова", first_name=first_name, patronymic=patronymic, gender=gender)
    assert person.grammatical_gender == expected


def test_the_override_is_kept_in_the_history(world):
    teacher = become(world.people["teacher"], **UNTOLD)
    become(teacher, gender=GenderChoice.FEMALE)
    assert [record.gender for record in teacher.history.order_by("-history_id")[:2]] == ["female", "auto"]


def test_the_person_form_sets_the_override(world):
    teacher = become(world.people["teacher"], **UNTOLD)
    client = client_for(world, "deputy")
    url = reverse("structure:person_edit", args=[teacher.pk])
    page = client.get(url).content.decode()
    assert 'name="gender"' in page
    assert "Грамматический род" in page
    data = {
        "last_name": teacher.last_name,
        "first_name": teacher.first_name,
        "patronymic": "",
        "gender": "female",
        "position": teacher.position_id,
        "hire_date": "2015-09-01",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.gender == "female" and teacher.grammatical_gender == "female"


def test_the_form_says_what_auto_means_for_the_person(world):
    teacher = become(world.people["teacher"], **WOMAN)
    page = client_for(world, "deputy").get(reverse("structure:person_edit", args=[teacher.pk])).content.decode()
    assert "по отчеству (автоматически): женский" in page


def test_an_order_declines_a_name_by_the_override(world):
    teacher = become(world.people["teacher"], last_name="Иванова", **UNTOLD)
    assert person_accusative(teacher) is None  # «Саша» alone: the order keeps the nominative after a colon
    become(teacher, gender=GenderChoice.FEMALE)
    assert person_accusative(teacher) == "Иванову Сашу, преподавателя"


# ---------------------------------------------------------------- attendance: «присутствовал» / «присутствовала»


@pytest.mark.parametrize(
    ("fields", "present", "absent"),
    [
        (MAN, "присутствовал", "отсутствовал"),
        (WOMAN, "присутствовала", "отсутствовала"),
        (UNTOLD, "присутствовал(а)", "отсутствовал(а)"),
        (UNTOLD_WOMAN, "присутствовала", "отсутствовала"),
        (WOMAN_SAID_MAN, "присутствовал", "отсутствовал"),
    ],
)
def test_the_attendance_marks_agree_with_each_member(world, fields, present, absent):
    teacher = become(world.people["teacher"], **fields)
    form = AttendanceForm(rows=planning_selectors.attendance_rows(world.meeting))
    marks = [label for _value, label in form.fields[f"present_{teacher.pk}"].choices]
    assert marks == [present, absent]


def test_the_attendance_page_words_each_row_for_its_person(world):
    become(world.people["teacher"], **WOMAN)
    become(world.people["mo_head"], **MAN)
    page = client_for(world, "mo_head").get(reverse("planning:attendance_edit", args=[world.meeting.pk]))
    html = page.content.decode()
    assert ">присутствовала</label>" in html and ">присутствовал</label>" in html
    assert "(а)" not in html


# ---------------------------------------------------------------- a join request accepted: «включён» / «включена»


@pytest.mark.parametrize(
    ("fields", "word"),
    [(MAN, "будет включён"), (WOMAN, "будет включена"), (UNTOLD, "будет включён(а)"), (UNTOLD_WOMAN, "будет включена")],
)
def test_accepting_a_join_request_words_the_message_for_the_person(world, fields, word):
    become(world.people["teacher"], **fields)
    response = client_for(world, "group_lead").post(
        reverse("structure:join_request_decide", args=[world.join_request.pk]), {"decision": "accept"}, follow=True
    )
    [message] = [str(m) for m in response.context["messages"]]
    assert word in message, message


# ---------------------------------------------------------------- a plan submitted: «направил» / «направила»


@pytest.mark.parametrize(
    ("fields", "word"),
    [
        (MAN, "направил план"),
        (WOMAN, "направила план"),
        (UNTOLD, "направил(а) план"),
        (WOMAN_SAID_MAN, "направил план"),
    ],
)
def test_the_plan_page_says_who_submitted_it_in_agreement(world, fields, word):
    teacher = become(world.people["teacher"], **fields)
    html = client_for(world, "mo_head").get(reverse("planning:plan_detail", args=[world.teacher_plan.pk]))
    assert f"{teacher.full_name} {word} на утверждение" in html.content.decode()


# ---------------------------------------------------------------- the approver in the plan's XLSX: «утвердил(а)»


@pytest.mark.parametrize(("fields", "word"), [(MAN, "утвердил "), (WOMAN, "утвердила "), (UNTOLD, "утвердил(а) ")])
def test_the_plan_table_says_who_approved_it_in_agreement(world, fields, word):
    become(world.people["chair"], **fields)  # the chair approved the service's plan
    sheet = load_workbook(io.BytesIO(planning_reports.plan_xlsx(world.service_plan))).active
    status = next(cell.value for row in sheet.iter_rows() for cell in row if str(cell.value).startswith("Статус"))
    assert f", {word}" in status


# ---------------------------------------------------------------- the order: the button and the лист ознакомления


@pytest.mark.parametrize(
    ("fields", "button"),
    [
        (MAN, "С приказом ознакомлен<"),
        (WOMAN, "С приказом ознакомлена<"),
        (UNTOLD, "С приказом ознакомлен(а)<"),
        (UNTOLD_WOMAN, "С приказом ознакомлена<"),
    ],
)
def test_the_acknowledge_button_agrees_with_the_reader(world, fields, button):
    become(world.people["teacher"], **fields)
    html = client_for(world, "teacher").get(reverse("structure:order_detail", args=[world.signed.pk]))
    assert button in html.content.decode()


def sign_and_read(world) -> tuple:
    """The director signs the order waiting for signature (it names `teacher`); `teacher` reads it."""
    teacher = world.people["teacher"]
    order = services.order_sign(order=world.on_signing, person=world.people["director"])
    services.order_acknowledge(order=order, person=teacher)
    return order, teacher


def marks(order) -> list[str]:
    context = reports.order_context(selectors.order_detail(order.pk).get())
    return [row.mark for row in context["acknowledgements"] if row.acknowledged_at]


@pytest.mark.parametrize(
    ("fields", "mark"),
    [
        (MAN, "ознакомлен в электронном виде"),
        (WOMAN, "ознакомлена в электронном виде"),
        (UNTOLD, "ознакомлен(а) в электронном виде"),
        (UNTOLD_WOMAN, "ознакомлена в электронном виде"),
    ],
)
def test_the_acknowledgement_sheet_agrees_as_signed(world, fields, mark):
    become(world.people["teacher"], **fields)
    order, teacher = sign_and_read(world)
    assert marks(order) == [mark]
    assert mark in render_to_string("reports/order.html", reports.order_context(selectors.order_detail(order.pk).get()))


def test_a_signed_sheet_keeps_the_form_it_was_signed_with(world):
    become(world.people["teacher"], **WOMAN)
    order, teacher = sign_and_read(world)
    become(teacher, gender=GenderChoice.MALE)  # changed after signing: the signed sheet does not follow
    assert marks(order) == ["ознакомлена в электронном виде"]


def test_a_sheet_signed_before_the_gender_was_recorded_prints_what_it_did(world):
    become(world.people["teacher"], **WOMAN)
    order, _teacher = sign_and_read(world)
    Acknowledgement.objects.filter(order=order).update(person_gender="")  # as migration 0008 leaves older lines
    assert marks(order) == ["ознакомлен(а) в электронном виде"]
