"""A small college with one account per role, built through signed orders, for the role matrix and page tests.

The usernames are the demo accounts' names, so a failure reads like the README: `chair` could not open …
Dates are relative to the clock (tests/conftest.py travels it): the units were created by orders signed 30 days
before `today`, the orders in progress are dated today, so the world is the same on any day of the calendar.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.test import Client
from django.utils import timezone

from structure import services
from structure.models import ActionKind, JoinRequest, MemberRole, Order, Person, SystemRole, Unit, UnitKind, User
from structure.services.drafting import _set_approvers
from tests.factories import ExternalPersonFactory, PersonFactory, UserFactory, create_unit, person_with_account

ROLES = [
    "anonymous",
    "admin",
    "director",
    "deputy",
    "methodist",
    "chair",
    "secretary",
    "mo_head",
    "group_lead",
    "lab_head",
    "teacher",
    "researcher",
]
STAFF_ROLES = ["director", "deputy", "methodist", "chair", "secretary", "mo_head", "group_lead", "lab_head", "teacher"]


@dataclass
class World:
    today: datetime.date  # the day the world was built on
    people: dict[str, Person]
    admin: User
    council: Unit
    association: Unit
    group: Unit
    lab: Unit
    proposed_group: Unit
    join_request: JoinRequest
    signed: Order  # names `teacher`, whose acknowledgement is pending
    draft: Order  # by `deputy`, one clause with one action
    on_approval: Order  # `chair`'s visa pending
    on_signing: Order


def build_world(*, extra_staff: int = 0) -> World:
    now = timezone.now()
    past = now - datetime.timedelta(days=30)
    people = {
        "director": person_with_account("director", SystemRole.DIRECTOR, last_name="Директоров"),
        "deputy": person_with_account("deputy", SystemRole.DEPUTY, last_name="Заместителева"),
        "methodist": person_with_account("methodist", SystemRole.METHODIST, last_name="Методистова"),
    }
    for name in ("chair", "secretary", "mo_head", "group_lead", "lab_head", "teacher"):
        people[name] = person_with_account(name, SystemRole.TEACHER, last_name=f"Фамилия-{name}")
    people["researcher"] = ExternalPersonFactory(user=UserFactory(username="researcher"), last_name="Исследователев")
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    others = PersonFactory.create_batch(extra_staff)
    director, deputy = people["director"], people["deputy"]

    council = create_unit(
        director,
        deputy,
        UnitKind.COUNCIL,
        "Методический совет",
        head=people["chair"],
        secretary=people["secretary"],
        members=[people["methodist"], *others[:5]],
        at=past,
    )
    association = create_unit(
        director,
        deputy,
        UnitKind.ASSOCIATION_CYCLE,
        "ПЦК общепрофессиональных дисциплин",
        head=people["mo_head"],
        members=others[5:],
        at=past,
    )
    group = create_unit(
        director, deputy, UnitKind.CREATIVE_GROUP, "Цифровая дидактика", head=people["group_lead"], at=past
    )
    lab = create_unit(
        director,
        deputy,
        UnitKind.LAB,
        "Экспериментальная лаборатория",
        head=people["lab_head"],
        members=[people["researcher"]],
        at=past,
    )
    signed = _order_with(deputy, "О включении в состав ПЦК", ActionKind.INCLUDE, association, people["teacher"])
    services.order_send(order=signed)
    signed = services.order_sign(order=signed, person=director)

    proposed_group = services.group_propose(person=people["group_lead"], name="Проектное обучение", purpose="Проекты")
    join_request = services.group_join_request(unit=proposed_group, person=people["teacher"])

    draft = _order_with(deputy, "О включении в состав совета", ActionKind.INCLUDE, council, people["mo_head"])
    on_approval = _order_with(deputy, "О включении в состав лаборатории", ActionKind.INCLUDE, lab, people["teacher"])
    _set_approvers(on_approval, [people["chair"]])
    services.order_send(order=on_approval)
    on_signing = _order_with(deputy, "О включении в состав группы", ActionKind.INCLUDE, group, people["teacher"])
    services.order_send(order=on_signing)
    return World(
        today=timezone.localdate(now),
        people=people,
        admin=admin,
        council=council,
        association=association,
        group=group,
        lab=lab,
        proposed_group=proposed_group,
        join_request=join_request,
        signed=signed,
        draft=draft,
        on_approval=on_approval,
        on_signing=on_signing,
    )


def _order_with(author: Person, title: str, kind: str, unit: Unit, person: Person) -> Order:
    order = services.order_create(author=author, title=title, preamble="В соответствии с Положением")
    clause = services.clause_add(order=order, text=title.replace("О ", "Изменить ", 1))
    services.action_add(clause=clause, kind=kind, unit=unit, person=person, role=MemberRole.MEMBER)
    return order


def client_for(world: World, role: str) -> Client:
    """A test client logged in as `role` of the world (`admin`: the superuser)."""
    client = Client()
    client.force_login(world.admin if role == "admin" else world.people[role].user)
    return client
