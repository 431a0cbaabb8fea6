"""The demo college, composed from each app's part: structure (people, units, orders) and then planning (years, plans,
meetings). Used by `manage.py seed_demo`; development only. No app imports this module."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from planning import demo as planning_demo
from structure.demo import Builder, account_rows
from structure.demo_data import USERNAMES
from structure.models import Order, OrderStatus, Person, Unit, User


@dataclass
class Result:
    created: bool
    staff: int = 0
    units: int = 0
    signed_orders: int = 0
    orders_in_progress: int = 0
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


class SeedRefused(Exception):
    """The database is not empty and does not hold the demo college either."""


def is_seeded() -> bool:
    return User.objects.filter(username="director", person__isnull=False).exists()


def seed(today: datetime.date | None = None) -> Result:
    """Build the demo college in an empty database; do nothing if it is already there."""
    if is_seeded():
        return Result(created=False, accounts=account_rows())
    taken = sorted(User.objects.filter(username__in=USERNAMES).values_list("username", flat=True))
    if taken:
        raise SeedRefused(f"accounts {', '.join(taken)} already exist but the demo college does not")
    if Unit.objects.exists() or Order.objects.exists():
        raise SeedRefused("the database already holds units or orders; the demo fills an empty database only")
    with transaction.atomic():
        builder = Builder(today or timezone.localdate())
        builder.build()
        planning_demo.build(builder)
    return Result(
        created=True,
        staff=Person.objects.staff().count(),
        units=Unit.objects.filter(created_on__isnull=False).count(),
        signed_orders=Order.objects.filter(status=OrderStatus.SIGNED).count(),
        orders_in_progress=Order.objects.filter(status__in=[OrderStatus.ON_APPROVAL, OrderStatus.ON_SIGNING]).count(),
        accounts=account_rows(),
    )
