"""Privileges come only from where they should: a position's powers are not granted from below it, nobody promotes
themselves, and a document that needs two signatures gets them from two people.

Written against the fault the probe found: a methodist set a person's position — their own included — to
«Директор» through the ordinary person form and then signed orders as the director.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from planning import services as planning_services
from planning.models import Meeting
from structure import services
from structure.models import Person, Position, SystemRole
from structure.selectors import roles_of
from tests.factories import PersonFactory, create_unit
from tests.world import ROLES

# `world`: tests.world's college, built and used from 10:00 UTC on 14 October 2026; `planning_world` (the tests
# marked PLANNING): the same with tests.planning.world's data.
BUILT_AT = datetime.datetime(2026, 10, 14, 10, 0, tzinfo=datetime.UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.world(at=BUILT_AT)]
PLANNING = pytest.mark.world(planning=True, at=BUILT_AT)

PRIVILEGED = [SystemRole.DIRECTOR, SystemRole.DEPUTY, SystemRole.METHODIST]
#: Who may grant each privileged position (through the person form or the service).
GRANTERS = {
    SystemRole.DIRECTOR: {"admin"},
    SystemRole.DEPUTY: {"admin", "director", "deputy"},
    SystemRole.METHODIST: {"admin", "director", "deputy", "methodist"},
}
#: Roles that may open the person form at all; the others get 403 (or 404) and change nothing.
EDITORS = {"admin", "director", "deputy", "methodist"}


def _position(role: str) -> Position:
    return Position.objects.filter(system_role=role).order_by("pk").first()


def _user(world, role):
    return world.admin if role == "admin" else world.people[role].user


def _person_form_data(person, position: Position) -> dict:
    return {
        "last_name": person.last_name,
        "first_name": person.first_name,
        "patronymic": person.patronymic,
        "position": position.pk,
        "gender": person.gender,
        "email": "",
    }


@pytest.mark.parametrize("position_role", PRIVILEGED)
def test_every_role_against_every_privileged_position(world, position_role):
    target = PersonFactory(position=_position(SystemRole.TEACHER))  # nobody's own record
    position = _position(position_role)
    for role in ROLES:
        if role == "anonymous":
            continue
        client = Client()
        client.force_login(_user(world, role))
        response = client.post(reverse("structure:person_edit", args=[target.pk]), _person_form_data(target, position))
        target.refresh_from_db()
        if role in GRANTERS[position_role]:
            assert response.status_code == 302, role
            assert target.position == position, role
            target.position = _position(SystemRole.TEACHER)
            target.save()
        else:
            assert target.position.system_role == SystemRole.TEACHER, (role, position_role)
            assert response.status_code in ({200} if role in EDITORS else {403, 404}), role
        # The service refuses the same, whatever form a caller builds, with a code naming the refusal.
        if role not in GRANTERS[position_role]:
            with pytest.raises(ValidationError) as refused:
                services.person_save(by=roles_of(_user(world, role)), person=target, position=position)
            expected = "director_position" if position_role == SystemRole.DIRECTOR else "privileged_position"
            assert refused.value.error_dict["position"][0].code == expected, role
            target.refresh_from_db()
            assert target.position.system_role == SystemRole.TEACHER


@pytest.mark.parametrize("role", ["deputy", "methodist", "director"])
def test_nobody_changes_their_own_position(world, role):
    me = world.people[role]
    before = me.position
    for wanted in (_position(SystemRole.DIRECTOR), _position(SystemRole.TEACHER)):
        if wanted == before:
            continue
        with pytest.raises(ValidationError) as refused:
            services.person_save(by=roles_of(me.user), person=me, position=wanted)
        assert refused.value.error_dict["position"][0].code == "own_position"
    # Through the page the field is shown but disabled: a forged value is ignored.
    client = Client()
    client.force_login(me.user)
    response = client.post(
        reverse("structure:person_edit", args=[me.pk]), _person_form_data(me, _position(SystemRole.DIRECTOR))
    )
    me.refresh_from_db()
    assert me.position == before
    assert response.status_code == 302


def test_a_drafter_cannot_remove_the_director_nor_create_one(world):
    director = world.people["director"]
    deputy = roles_of(world.people["deputy"].user)
    with pytest.raises(ValidationError) as refused:
        services.person_save(by=deputy, person=director, position=_position(SystemRole.TEACHER))
    assert refused.value.error_dict["position"][0].code == "director_position"
    with pytest.raises(ValidationError) as refused:
        services.person_save(
            by=deputy, last_name="Новый", first_name="Директор", position=_position(SystemRole.DIRECTOR)
        )
    assert refused.value.error_dict["position"][0].code == "director_position"
    director.refresh_from_db()
    assert director.position.system_role == SystemRole.DIRECTOR


def test_the_person_form_offers_only_grantable_positions(world):
    client = Client()
    client.force_login(world.people["methodist"].user)
    page = client.get(reverse("structure:person_edit", args=[world.people["teacher"].pk])).content.decode()
    assert f">{_position(SystemRole.TEACHER).name}<" in page
    assert f">{_position(SystemRole.METHODIST).name}<" in page  # a methodist's own level
    for role in (SystemRole.DIRECTOR, SystemRole.DEPUTY):  # above it
        assert f">{_position(role).name}<" not in page


def test_a_position_change_is_recorded_with_old_and_new_value(world):
    teacher = world.people["teacher"]
    old = teacher.position
    new = _position(SystemRole.METHODIST)
    services.person_save(by=roles_of(world.admin), person=teacher, position=new)
    latest = teacher.history.first()
    delta = latest.diff_against(latest.prev_record)
    change = next(c for c in delta.changes if c.field == "position")
    assert (change.old, change.new) == (old.pk, new.pk)


# ---------------------------------------------------------------- two signatures, two people


@pytest.fixture
def planning_world(world):
    return world


def _ready_meeting(w) -> tuple[Meeting, object, object]:
    director, deputy = w.people["director"], w.people["deputy"]
    chair, secretary = PersonFactory.create_batch(2)
    unit = create_unit(director, deputy, "association_educational", "МО кураторов", head=chair, secretary=secretary)
    meeting = planning_services.meeting_create(
        unit=unit, year=w.year, date=datetime.date(2026, 10, 14), created_by=chair
    )
    planning_services.attendance_set(meeting=meeting, rows=[(chair, True, ""), (secretary, True, "")])
    item = planning_services.agenda_add(meeting=meeting, title="О плане")
    planning_services.agenda_update(item=item, title="О плане", decided="Утвердить план")
    return meeting, chair, secretary


@PLANNING
def test_chair_and_secretary_must_be_two_people(planning_world):
    with time_machine.travel(datetime.datetime(2026, 10, 14, 12, 0, tzinfo=datetime.UTC)):
        meeting, chair, _secretary = _ready_meeting(planning_world)
        with pytest.raises(ValidationError) as refused:
            planning_services.meeting_update(
                meeting=meeting, date=meeting.date, number=meeting.number, chair=chair, secretary=chair
            )
        assert refused.value.error_dict["secretary"][0].code == "same_signer"
        # Even if the database says so, the protocol is not signed by one person alone.
        Meeting.objects.filter(pk=meeting.pk).update(secretary=chair)
        with pytest.raises(ValidationError) as refused:
            planning_services.protocol_sign(meeting=meeting, person=chair)
        assert refused.value.code == "same_signer"
        meeting.refresh_from_db()
        assert meeting.chair_signed_at is None and meeting.snapshot is None


@PLANNING
def test_signers_are_members_present_at_the_meeting(planning_world):
    with time_machine.travel(datetime.datetime(2026, 10, 14, 12, 0, tzinfo=datetime.UTC)):
        meeting, chair, secretary = _ready_meeting(planning_world)
        outsider = planning_world.people["teacher"]
        with pytest.raises(ValidationError) as refused:
            planning_services.meeting_update(
                meeting=meeting, date=meeting.date, number=meeting.number, chair=outsider, secretary=secretary
            )
        assert refused.value.error_dict["chair"][0].code == "signer_not_member"
        planning_services.attendance_set(meeting=meeting, rows=[(secretary, False, "командировка")])
        with pytest.raises(ValidationError) as refused:
            planning_services.protocol_sign(meeting=meeting, person=chair)
        assert refused.value.code == "signer_absent"
        planning_services.attendance_set(meeting=meeting, rows=[(secretary, True, "")])
        planning_services.protocol_sign(meeting=meeting, person=chair)
        signed = planning_services.protocol_sign(meeting=meeting, person=secretary)
        assert signed.is_locked


@PLANNING
def test_the_meeting_form_refuses_one_person_in_both_roles(planning_world):
    meeting = planning_world.meeting
    client = Client()
    client.force_login(planning_world.people["mo_head"].user)
    response = client.post(
        reverse("planning:meeting_edit", args=[meeting.pk]),
        {
            "number": meeting.number,
            "date": meeting.date.isoformat(),
            "chair": planning_world.people["mo_head"].pk,
            "secretary": planning_world.people["mo_head"].pk,
        },
    )
    assert response.status_code == 200
    assert "двумя разными людьми" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.secretary_id != planning_world.people["mo_head"].pk


# ---------------------------------------------------------------- the staff import is an ordinary form too


def _staff_csv(position_name: str, name: str = "Новиков Пётр Ильич") -> bytes:
    lines = ["ФИО;Должность", f"{name};{position_name}"]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


@pytest.mark.parametrize("role", ["deputy", "methodist"])
def test_a_drafter_cannot_import_a_director(world, role):
    from structure import importing

    data = _staff_csv(_position(SystemRole.DIRECTOR).name)
    by = roles_of(world.people[role].user)
    preview = importing.preview_data(data=data, filename="staff.csv", by=by)
    assert preview.error_count == 1
    assert any(_position(SystemRole.DIRECTOR).name in error for error in preview.rows[0]["errors"])
    with pytest.raises(ValidationError) as refused:
        importing.apply_people_import(data=data, filename="staff.csv", by=by)
    assert refused.value.code == "invalid_rows"
    assert not Person.objects.filter(last_name="Новиков").exists()
    # An ordinary position imports as before; the administrator may import a director.
    assert importing.apply_people_import(data=_staff_csv(_position(SystemRole.TEACHER).name), filename="a.csv", by=by)
    director_row = _staff_csv(_position(SystemRole.DIRECTOR).name, name="Степанов Олег Юрьевич")
    assert importing.preview_data(data=director_row, filename="b.csv", by=roles_of(world.admin)).error_count == 0


def test_only_the_administrator_moves_a_person_across_the_staff_line(world):
    """Staff see the whole service, an external researcher only the lab: the flag is a privilege."""
    researcher = world.people["researcher"]
    for role in ("director", "deputy", "methodist"):
        with pytest.raises(ValidationError) as refused:
            services.person_save(
                by=roles_of(world.people[role].user),
                person=researcher,
                is_external=False,
                position=_position(SystemRole.TEACHER),
            )
        assert refused.value.error_dict["is_external"][0].code == "external_flag", role
    # The form shows the flag but ignores a forged value.
    client = Client()
    client.force_login(world.people["deputy"].user)
    client.post(
        reverse("structure:person_edit", args=[world.people["director"].pk]),
        {**_person_form_data(world.people["director"], world.people["director"].position), "is_external": "on"},
    )
    world.people["director"].refresh_from_db()
    assert world.people["director"].is_external is False
    services.person_save(by=roles_of(world.admin), person=researcher, is_external=False, position=_position("teacher"))
    researcher.refresh_from_db()
    assert researcher.is_external is False


@PLANNING
def test_a_protocol_is_not_signed_before_its_meeting(planning_world):
    with time_machine.travel(datetime.datetime(2026, 10, 14, 12, 0, tzinfo=datetime.UTC)):
        meeting, chair, _secretary = _ready_meeting(planning_world)
        planning_services.meeting_update(
            meeting=meeting,
            date=datetime.date(2026, 10, 20),
            number=meeting.number,
            chair=meeting.chair,
            secretary=meeting.secretary,
        )
        with pytest.raises(ValidationError) as refused:
            planning_services.protocol_sign(meeting=meeting, person=chair)
        assert refused.value.code == "meeting_in_future"
    with time_machine.travel(datetime.datetime(2026, 10, 20, 18, 0, tzinfo=datetime.UTC)):
        assert planning_services.protocol_sign(meeting=meeting, person=chair).chair_signed_at
