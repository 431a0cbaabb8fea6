"""Notifications: what asks a person to act, in the portal's list and by e-mail (Django's mail settings; the
console in development), each person free to switch the e-mail of a kind off.

The apps' services call `notify` where something starts to wait for someone (an order to sign, a plan to approve,
an item to review …); the reminders (deadlines within 7 days, attestation and professional development within 90)
come from `manage.py send_reminders`, meant for cron once a day. A notification's `key` names what it is about:
one person is never notified twice of the same thing, so a reminder run twice sends nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import EmailOptOut, Notification, NotificationKind

logger = logging.getLogger(__name__)

__all__ = ["NotificationKind", "mark_read", "notify", "set_email_kinds", "unread", "without_email"]

#: While set, notify() records notifications without e-mailing them (the demo college's seeding).
_silent: ContextVar[bool] = ContextVar("notifications_silent", default=False)


@contextmanager
def without_email() -> Iterator[None]:
    """Notifications recorded inside are listed in the portal but never e-mailed (the demo: `make run` would
    otherwise print dozens of letters to the console before its banner)."""
    token = _silent.set(True)
    try:
        yield
    finally:
        _silent.reset(token)


def notify(user_ids: Iterable[int | None], *, kind: str, text: str, url: str = "", key: str) -> list[Notification]:
    """Notify each user of `user_ids` (None: a person without an account, skipped) once of `key`; those notified of
    it before are left alone. The e-mails go once the transaction commits."""
    wanted = {pk for pk in user_ids if pk is not None}
    if not wanted:
        return []
    known = set(Notification.objects.filter(user_id__in=wanted, key=key).values_list("user_id", flat=True))
    new = sorted(wanted - known)
    if not new:
        return []
    # One INSERT for everyone (a campaign opened for hundreds of assessors); a reminder running beside that wrote
    # some of them first: the constraint keeps theirs and skips these.
    Notification.objects.bulk_create(
        [Notification(user_id=user_id, kind=kind, text=text[:500], url=url[:500], key=key) for user_id in new],
        ignore_conflicts=True,
    )
    created = list(Notification.objects.filter(user_id__in=new, key=key).order_by("user_id"))
    if created and not _silent.get():
        pks = [notification.pk for notification in created]
        transaction.on_commit(lambda: send_emails(pks), robust=True)
    return created


def send_emails(pks: list[int]) -> int:
    """E-mail the notifications `pks` not e-mailed yet to those who have an address and want their kind."""
    sent = 0
    for notification in Notification.objects.filter(pk__in=pks, emailed_at__isnull=True).select_related("user"):
        address = notification.user.email
        if not address or EmailOptOut.objects.filter(user=notification.user, kind=notification.kind).exists():
            continue
        link = f"{settings.PORTAL_URL}{notification.url}" if notification.url.startswith("/") else notification.url
        body = "\n\n".join(
            part
            for part in (
                notification.text,
                link,
                _("You receive this because the methodological service's portal asks you to act. Which e-mails "
                  "you get is set on the portal's page of notifications."),
            )
            if part
        )  # fmt: skip
        send_mail(notification.text[:150], body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def unread(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True)


def mark_read(user, pk: int | None = None) -> int:
    """Mark the user's notification `pk` read (or every unread one): how many were marked."""
    found = unread(user)
    if pk is not None:
        found = found.filter(pk=pk)
    return found.update(read_at=timezone.now())


@transaction.atomic
def set_email_kinds(user, kinds: Iterable[str]) -> None:
    """The kinds the user wants by e-mail; every other kind is switched off."""
    wanted = set(kinds)
    EmailOptOut.objects.filter(user=user).delete()
    EmailOptOut.objects.bulk_create(
        [EmailOptOut(user=user, kind=kind) for kind in NotificationKind.values if kind not in wanted]
    )
