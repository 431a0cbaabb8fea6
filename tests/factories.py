"""Factories for tests and benchmarks. Structure is built the way users build it: through signed orders."""

from __future__ import annotations

import datetime
import zoneinfo

import factory
from django.conf import settings
from django.utils import timezone

from structure import services
from structure.models import ActionKind, MemberRole, Order, Person, Position, SystemRole, Unit, User

POSITION_BY_ROLE = {
    SystemRole.DIRECTOR: "Директор",
    SystemRole.DEPUTY: "Заместитель директора по учебно-методической работе",
    SystemRole.METHODIST: "Методист",
    SystemRole.TEACHER: "Преподаватель",
}


def noon(day: datetime.date) -> datetime.datetime:
    """Midday of `day` in the college's time zone: where tests travel the clock to for a given date."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def position(role: str = SystemRole.TEACHER) -> Position:
    return Position.objects.get(name=POSITION_BY_ROLE[role])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    last_name = factory.Sequence(lambda n: f"Иванов{n}")
    first_name = "Иван"
    patronymic = "Иванович"
    position = factory.LazyFunction(position)
    hire_date = datetime.date(2015, 9, 1)
    position_since = datetime.date(2015, 9, 1)
    pedagogical_since = datetime.date(2012, 9, 1)
    email = factory.LazyAttribute(lambda p: f"{p.last_name.lower()}@example.org")


class ExternalPersonFactory(PersonFactory):
    position = None
    is_external = True
    organisation = "Педагогический университет"


def person_with_account(username: str, role: str = SystemRole.TEACHER, **kwargs) -> Person:
    user = UserFactory(username=username)
    return PersonFactory(user=user, position=position(role), **kwargs)


def signed_order(
    director: Person,
    author: Person,
    actions: list[dict],
    *,
    title: str = "О методической службе",
    at: datetime.datetime | None = None,
) -> Order:
    """Draft an order with one clause carrying `actions`, send it and sign it as `director` at `at` (default now)."""
    at = at or timezone.now()
    order = services.order_create(
        author=author, title=title, preamble="В соответствии с Положением о методической службе"
    )
    clause = services.clause_add(order=order, text="Утвердить изменения в структуре методической службы.")
    day = timezone.localdate(at)
    for spec in actions:
        services.action_add(clause=clause, day=day, **spec)
    services.order_send(order=order, day=day)
    return services.order_sign(order=order, person=director, at=at)


def create_unit(director, author, kind, name, *, head=None, members=(), secretary=None, at=None) -> Unit:
    """A unit brought into the structure by one signed order."""
    actions: list[dict] = [{"kind": ActionKind.CREATE_UNIT, "unit_kind": kind, "unit_name": name}]
    order = services.order_create(
        author=author, title=f"О создании «{name}»", preamble="В целях развития методической работы"
    )
    at = at or timezone.now()
    day = timezone.localdate(at)
    clause = services.clause_add(order=order, text=f"Создать «{name}».")
    unit = services.action_add(clause=clause, day=day, **actions[0]).unit
    if head:
        services.action_add(
            clause=clause, kind=ActionKind.APPOINT, unit=unit, person=head, role=MemberRole.HEAD, day=day
        )
    if secretary:
        services.action_add(
            clause=clause, kind=ActionKind.APPOINT, unit=unit, person=secretary, role=MemberRole.SECRETARY, day=day
        )
    for member in members:
        services.action_add(clause=clause, kind=ActionKind.INCLUDE, unit=unit, person=member, day=day)
    services.order_send(order=order, day=day)
    services.order_sign(order=order, person=director, at=at)
    unit.refresh_from_db()
    return unit
