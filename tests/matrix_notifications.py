"""Role-matrix rows of the notifications: everyone logged in has their own list; marking read or choosing the
e-mailed kinds touches only one's own (another's notification leaves it unread: tests/test_notifications.py)."""

from __future__ import annotations

from metodservice.common.models import Notification, NotificationKind
from tests.matrix import EVERYONE, get, post


def _teachers(w) -> dict:
    found = Notification.objects.create(
        user=w.people["teacher"].user, kind=NotificationKind.DEADLINE_SOON, text="Срок", key="matrix"
    )
    return {"pk": found.pk}


MATRIX = {
    "notifications": get(EVERYONE),
    "notification_read": post(EVERYONE, _teachers),
    "notification_read_all": post(EVERYONE, lambda w: {}),
    "notification_email": post(EVERYONE, lambda w: {}, data={"kinds": [NotificationKind.DEADLINE_SOON]}),
}
