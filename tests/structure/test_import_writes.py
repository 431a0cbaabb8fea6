"""The staff import writes every person through structure.services.person_save, as the person form does: so the
history of an imported person names who imported them even outside a request (a script, the shell), and the
service's own checks run on each row."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from structure import importing
from structure.models import Person, SystemRole
from structure.resources import staff_import
from structure.selectors import roles_of
from tests.factories import person_with_account

pytestmark = pytest.mark.django_db

CSV = "ФИО;Должность;Дата приёма\r\nЗайцев Илья Ильич;Преподаватель;15.01.2019\r\n".encode("cp1251")


def test_the_history_of_an_imported_person_names_the_importer():
    methodist = person_with_account("methodist", SystemRole.METHODIST)

    created = importing.apply_people_import(data=CSV, filename="staff.csv", by=roles_of(methodist.user))

    assert created == 1
    record = Person.history.get(last_name="Зайцев")
    assert record.history_type == "+"
    assert record.history_user == methodist.user


def test_the_service_refuses_a_row_the_resource_let_through(monkeypatch):
    """The service is the last word: were the resource's own position check lost, person_save still refuses."""

    teacher = person_with_account("teacher", SystemRole.TEACHER)
    monkeypatch.setattr(staff_import, "may_grant_position", lambda by, position: True)
    data = "ФИО;Должность;Дата приёма\r\nЗайцев Илья Ильич;Методист;15.01.2019\r\n".encode("cp1251")

    preview = importing.preview_data(data=data, filename="staff.csv", by=roles_of(teacher.user))
    with pytest.raises(ValidationError) as refused:
        importing.apply_people_import(data=data, filename="staff.csv", by=roles_of(teacher.user))

    assert refused.value.code == "invalid_rows"
    assert not Person.objects.filter(last_name="Зайцев").exists()
    [row] = preview.rows
    assert any("Методист" in error or "position" in error.lower() for error in row["errors"]), row["errors"]
