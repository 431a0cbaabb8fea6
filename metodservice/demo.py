"""The demo college, composed from each app's part: structure (people, units, orders), then planning (years, plans,
meetings), then experience (items, the catalogue, lesson visits, the lab's experiment), then attestation
(categories, professional development, attestation cases, diagnostics, the portfolio). Used by
`manage.py seed_demo`; development only. No app imports this module."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from attestation import demo as attestation_demo
from attestation.selectors.attention import dashboard_rows as attestation_attention_rows
from experience import demo as experience_demo
from experience.selectors.attention import dashboard_rows as experience_attention_rows
from planning import demo as planning_demo
from planning.selectors import dashboard_rows
from reports import demo as reports_demo
from structure.demo import Builder, account_rows
from structure.demo_data import USERNAMES
from structure.models import Order, OrderStatus, Person, Unit, User
from structure.selectors import dashboard_for, roles_of

from .common import notifications


@dataclass
class Result:
    created: bool
    staff: int = 0
    units: int = 0
    signed_orders: int = 0
    orders_in_progress: int = 0


@dataclass(frozen=True)
class Account:
    """A demo account as the banner lists it: the part it plays and what waits for it now."""

    username: str
    name: str
    role: str
    hints: tuple[str, ...] = field(default=())


#: What waits for an account, in the dashboard's words: a row of the dashboard (structure.selectors.dashboard_for,
#: planning.selectors.dashboard_rows, attestation.selectors.attention.dashboard_rows) and how the banner says how
#: many it holds.
HINTS = [
    (
        "to_sign",
        lambda n: ngettext("%(count)s order waits for your signature", "%(count)s orders wait for your signature", n),
    ),
    ("to_visa", lambda n: ngettext("%(count)s order waits for your visa", "%(count)s orders wait for your visa", n)),
    (
        "returned",
        lambda n: ngettext(
            "%(count)s of your orders was returned for rework", "%(count)s of your orders were returned for rework", n
        ),
    ),
    (
        "to_acknowledge",
        lambda n: ngettext(
            "%(count)s order waits for your acknowledgement", "%(count)s orders wait for your acknowledgement", n
        ),
    ),
    (
        "join_requests",
        lambda n: ngettext(
            "%(count)s join request waits for your decision", "%(count)s join requests wait for your decision", n
        ),
    ),
    (
        "plans_awaiting",
        lambda n: ngettext("%(count)s plan waits for your approval", "%(count)s plans wait for your approval", n),
    ),
    (
        "plans_returned",
        lambda n: ngettext("%(count)s plan was returned for rework", "%(count)s plans were returned for rework", n),
    ),
    (
        "items_due",
        lambda n: ngettext(
            "%(count)s plan item of yours is due within 14 days or overdue",
            "%(count)s plan items of yours are due within 14 days or overdue",
            n,
        ),
    ),
    (
        "open_decisions",
        lambda n: ngettext(
            "%(count)s decision of a meeting is yours to carry out",
            "%(count)s decisions of meetings are yours to carry out",
            n,
        ),
    ),
    (
        "assignments_to_answer",
        lambda n: ngettext(
            "%(count)s assignment to the service waits for an answer or is overdue",
            "%(count)s assignments to the service wait for an answer or are overdue",
            n,
        ),
    ),
    (
        "trainings_to_confirm",
        lambda n: ngettext(
            "%(count)s professional development record waits for your confirmation",
            "%(count)s professional development records wait for your confirmation",
            n,
        ),
    ),
    (
        "trainings_returned",
        lambda n: ngettext(
            "%(count)s of your professional development records was returned for correction",
            "%(count)s of your professional development records were returned for correction",
            n,
        ),
    ),
    (
        "presentations_to_acknowledge",
        lambda n: ngettext(
            "%(count)s representation for your attestation waits for your acknowledgement",
            "%(count)s representations for your attestation wait for your acknowledgement",
            n,
        ),
    ),
    (
        "self_assessments_due",
        lambda n: ngettext("%(count)s self-assessment waits for you", "%(count)s self-assessments wait for you", n),
    ),
    (
        "expert_assessments_due",
        lambda n: ngettext(
            "%(count)s colleague waits for your expert assessment",
            "%(count)s colleagues wait for your expert assessment",
            n,
        ),
    ),
    (
        "decisions_to_record",
        lambda n: ngettext(
            "%(count)s conformity attestation waits for the commission's decision to be recorded",
            "%(count)s conformity attestations wait for the commission's decision to be recorded",
            n,
        ),
    ),
    (
        "items_to_review",
        lambda n: ngettext(
            "%(count)s experience item waits for your review", "%(count)s experience items wait for your review", n
        ),
    ),
    (
        "items_returned",
        lambda n: ngettext(
            "%(count)s of your experience items was returned with a comment",
            "%(count)s of your experience items were returned with a comment",
            n,
        ),
    ),
    (
        "items_for_council",
        lambda n: ngettext(
            "%(count)s experience item recommended by an association waits to go before the council",
            "%(count)s experience items recommended by associations wait to go before the council",
            n,
        ),
    ),
    (
        "items_to_publish",
        lambda n: ngettext(
            "%(count)s experience item recommended by the council waits for publication",
            "%(count)s experience items recommended by the council wait for publication",
            n,
        ),
    ),
    (
        "visits_to_fill",
        lambda n: ngettext(
            "%(count)s visited lesson waits for your observation",
            "%(count)s visited lessons wait for your observation",
            n,
        ),
    ),
    (
        "measurements_due",
        lambda n: ngettext(
            "%(count)s ended experiment stage lacks measurements",
            "%(count)s ended experiment stages lack measurements",
            n,
        ),
    ),
]


def hints_for(user: User) -> tuple[str, ...]:
    """What waits for `user` now, read from the data with the dashboard's own selectors: the banner says «1 приказ
    ждёт вашей подписи» only while one does."""
    roles = roles_of(user)
    rows = {
        **dashboard_for(roles),
        **dashboard_rows(roles),
        **attestation_attention_rows(roles, today=timezone.localdate()),
        **experience_attention_rows(roles, today=timezone.localdate()),
    }
    counts = {key: rows.get(key + "_count", len(rows.get(key) or ())) for key, _say in HINTS}
    return tuple(say(counts[key]) % {"count": counts[key]} for key, say in HINTS if counts[key])


def accounts() -> list[Account]:
    """Every demo account with its part and, computed now, what waits for it."""
    users = {user.username: user for user in User.objects.filter(username__in=USERNAMES)}
    return [
        Account(username, name, role, hints_for(users[username]) if username in users else ())
        for username, name, role in account_rows()
    ]


class SeedRefused(Exception):
    """The database is not empty and does not hold the demo college either."""


def is_seeded() -> bool:
    return User.objects.filter(username="director", person__isnull=False).exists()


def seed(today: datetime.date | None = None) -> Result:
    """Build the demo college in an empty database; do nothing if it is already there."""
    if is_seeded():
        return Result(created=False)
    taken = sorted(User.objects.filter(username__in=USERNAMES).values_list("username", flat=True))
    if taken:
        raise SeedRefused(f"accounts {', '.join(taken)} already exist but the demo college does not")
    if Unit.objects.exists() or Order.objects.exists():
        raise SeedRefused("the database already holds units or orders; the demo fills an empty database only")
    with transaction.atomic(), notifications.without_email():  # listed in the portal, not printed as letters
        builder = Builder(today or timezone.localdate())
        builder.build()
        planning_demo.build(builder)
        experience_demo.build(builder)
        attestation_demo.build(builder)
        reports_demo.build(builder)
    return Result(
        created=True,
        staff=Person.objects.staff().count(),
        units=Unit.objects.filter(created_on__isnull=False).count(),
        signed_orders=Order.objects.filter(status=OrderStatus.SIGNED).count(),
        orders_in_progress=Order.objects.filter(status__in=[OrderStatus.ON_APPROVAL, OrderStatus.ON_SIGNING]).count(),
    )
