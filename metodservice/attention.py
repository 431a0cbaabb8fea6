"""The number on the menu's «Что требует внимания»: how many things wait for this user to act, on every page.

The same rows as the dashboard's that ask for an action (structure.selectors.needs_me, planning.selectors.needs_me,
attestation.selectors.attention.needs_me, experience.selectors.attention.needs_me and the plans waiting for the
user's approval), counted in one query: a COUNT of each row's queryset, each a scalar subquery of one SELECT
(row_counts). The dashboard asks the same query for its lists' sizes (and for its rows that ask for no action) and
then reads only the lists that are not empty.
An approver (the council's chair, an association's head, the director) pays up to three more queries when a submitted
plan may be theirs to approve (planning.selectors.plans_reaching, counted in the same query): for the plans
(planning.selectors.plans_awaiting_approval decides per plan who approves it).

The badge is on every page, and counting costs more than most pages' own work (tens of SQL conditions compiled and
run, more for an approver), so the session keeps the last count for ATTENTION_SECONDS (a minute): a page shows it
again until then. What the user does themselves shows at once — any form they send drops the kept count
(AttentionMiddleware) — and the dashboard, always counted afresh, keeps its own count; what others do shows within
the minute.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Mapping

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from attestation.selectors import attention as attestation_attention
from experience.selectors import attention as experience_attention
from planning import selectors as planning_selectors
from structure import selectors as structure_selectors

from .common import notifications


def action_lists(roles, *, today: datetime.date) -> dict[str, QuerySet]:
    """The rows that ask the user for an action, by the dashboard's names, as querysets (not yet run)."""
    return {
        **structure_selectors.needs_me(roles),
        **planning_selectors.needs_me(roles, today=today),
        **attestation_attention.needs_me(roles, today=today),
        **experience_attention.needs_me(roles, today=today),
    }


def count_each(lists: Mapping[str, QuerySet]) -> dict[str, int]:
    """How many rows each queryset holds, all in one query: `SELECT (SELECT COUNT(*) FROM (…)), …`, one scalar
    subquery per list over its primary keys (DISTINCT where the list is). A list that can hold nothing costs no SQL."""
    counts: dict[str, int] = {}
    parts: list[str] = []
    params: list = []
    keys: list[str] = []
    for key, queryset in lists.items():
        try:
            sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            counts[key] = 0
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) list_{len(keys)})")
        params.extend(query_params)
        keys.append(key)
    if keys:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            counts.update(zip(keys, cursor.fetchone(), strict=True))
    return counts


#: The key of the user's unread notifications among the counted lists (not a row of the dashboard, not in the badge).
UNREAD = "notifications_unread"


def row_counts(roles, *, today: datetime.date | None = None, user=None) -> dict[str, int]:
    """The size of every list of the dashboard that is a query — those that ask for an action and the planning
    rows that don't (planning.selectors.also_counted) — and, given the `user`, their unread notifications
    (UNREAD), in one query."""
    today = today or timezone.localdate()
    lists = {**action_lists(roles, today=today), **planning_selectors.also_counted(roles, today=today)}
    if user is not None:
        lists[UNREAD] = notifications.unread(user)
    return count_each(lists)


def attention_counts(roles, user=None) -> tuple[int, int]:
    """The badge (what waits for the user to act) and, given the `user`, their unread notifications: one query (an
    approver's plans cost up to three more)."""
    if roles.person is None and not roles.is_director:
        return 0, 0
    today = timezone.localdate()
    lists = action_lists(roles, today=today)
    if user is not None:
        lists[UNREAD] = notifications.unread(user)
    approver = roles.person is not None and planning_selectors.approves_plans(roles)
    if approver:
        lists["plans_reaching"] = planning_selectors.plans_reaching(roles.person, today)
    counts = count_each(lists)
    reaching = counts.pop("plans_reaching", 0)
    unread = counts.pop(UNREAD, 0)
    count = sum(counts.values())
    if approver and reaching:
        count += len(planning_selectors.plans_awaiting_approval(roles.person, today=today))
    return count, unread


def attention_count(roles) -> int:
    return attention_counts(roles)[0]


#: The dashboard's rows that ask for an action (metodservice.views.dashboard): the badge there is their total.
ROWS = (
    "to_sign",
    "to_visa",
    "returned",
    "to_acknowledge",
    "join_requests",
    "plans_returned",
    "items_due",
    "open_decisions",
    "assignments_to_answer",
    "plans_awaiting",
    "trainings_to_confirm",
    "trainings_returned",
    "presentations_to_acknowledge",
    "decisions_to_record",
    "self_assessments_due",
    "expert_assessments_due",
    "items_to_review",
    "items_returned",
    "items_for_council",
    "items_to_publish",
    "visits_to_fill",
    "measurements_due",
)


def count_from_rows(rows: dict) -> int:
    """The badge from the dashboard's own rows, so the dashboard pays no query for it. A row shown in part carries
    its full count beside it (`<row>_count`)."""
    return sum(rows.get(key + "_count", len(rows.get(key) or ())) for key in ROWS)


#: Where the session keeps the badge's last count: {"count", "at" (seconds since the epoch), "day", "user"}.
SESSION_KEY = "_attention"


def _kept(request: HttpRequest) -> dict | None:
    """The count the session kept, if it is younger than ATTENTION_SECONDS, of today and of this user."""
    kept = request.session.get(SESSION_KEY)
    if (
        kept
        and kept.get("user") == request.user.pk
        and kept.get("day") == timezone.localdate().isoformat()
        and 0 <= time.time() - kept.get("at", 0) < settings.ATTENTION_SECONDS
    ):
        return kept
    return None


def remember(request: HttpRequest, count: int, unread: int = 0) -> None:
    """Keep `count` as the user's badge, and their unread notifications, for ATTENTION_SECONDS (nothing is kept when
    that is 0; a kept pair that is still fresh and the same is left as it is, so the session is not written for
    nothing)."""
    if settings.ATTENTION_SECONDS <= 0:
        return
    kept = _kept(request)
    if kept is not None and kept["count"] == count and kept.get("unread", 0) == unread:
        return
    request.session[SESSION_KEY] = {
        "count": count,
        "unread": unread,
        "at": time.time(),
        "day": timezone.localdate().isoformat(),
        "user": request.user.pk,
    }


def remembered_counts(request: HttpRequest) -> tuple[int, int]:
    """The badge and the unread notifications: what the session kept (_kept), else counted and kept; once per
    request."""
    found = getattr(request, "_attention_counts", None)
    if found is not None:
        return found
    kept = _kept(request)
    if kept is not None:
        found = kept["count"], kept.get("unread", 0)
    else:
        found = attention_counts(structure_selectors.roles_of(request.user), request.user)
        remember(request, *found)
    request._attention_counts = found  # type: ignore[attr-defined]
    return found


def remembered_count(request: HttpRequest) -> int:
    return remembered_counts(request)[0]


def attention(request) -> dict:
    """Context processor: `attention_count` and `notifications_unread`, computed only when a template uses them
    (base.html, once per page, both in one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"attention_count": 0, "notifications_unread": 0}
    return {
        "attention_count": lambda: remembered_counts(request)[0],
        "notifications_unread": lambda: remembered_counts(request)[1],
    }


class AttentionMiddleware:
    """A request that may change something (a form sent: anything but GET, HEAD, OPTIONS) drops the badge the session
    kept, so the page the user lands on after acting counts afresh."""

    SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in self.SAFE_METHODS and hasattr(request, "session"):
            request.session.pop(SESSION_KEY, None)
        return self.get_response(request)
