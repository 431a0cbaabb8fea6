"""The planning rows of the dashboard (metodservice/views.py), bounded to what needs the person now: their items
and decisions of the current academic year (those left overdue from earlier years are counted, and listed on pages
of their own), the plans waiting for their approval (an approver's only), their meetings this week, and for who
answers for the service the assignments of the pedagogical council and the director without an answer or overdue."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import timezone

from .approval import plans_awaiting_approval, plans_reaching, plans_returned_to
from .assignments import answers_for_service, assignments_to_answer
from .meetings import my_decisions_overdue_earlier, my_meetings_this_week, my_open_decisions
from .plans import my_items_due, my_items_overdue_earlier

#: How many rows of a list the dashboard shows; the card says how many there are and links to them all.
DASHBOARD_LIMIT = 10


def needs_me(roles, *, today=None) -> dict:
    """What in planning waits for this user to act, as querysets (not yet run): plans returned to them, their
    items due within 14 days or overdue this academic year, the decisions they carry out. Plans waiting for their
    approval are not a query (approvers_of decides per plan): see plans_awaiting_approval. The menu's badge counts
    these (metodservice.attention)."""
    person = roles.person
    if person is None:
        return {}
    today = today or timezone.localdate()
    rows = {
        "plans_returned": plans_returned_to(roles),
        "items_due": my_items_due(person, today=today),
        "open_decisions": my_open_decisions(person, today=today),
    }
    if answers_for_service(roles):
        rows["assignments_to_answer"] = assignments_to_answer(today)
    return rows


def also_counted(roles, *, today=None) -> dict:
    """The dashboard's other planning rows, as querysets counted with needs_me's (metodservice.attention.row_counts)
    but not on the badge: the meetings of this week, the items and decisions left overdue from earlier years, and
    for an approver the submitted plans their chain may reach (`plans_reaching`: none, no plan to read)."""
    person = roles.person
    if person is None:
        return {}
    today = today or timezone.localdate()
    rows = {
        "meetings_this_week": my_meetings_this_week(person, today=today),
        "items_overdue_earlier": my_items_overdue_earlier(person, today=today),
        "decisions_overdue_earlier": my_decisions_overdue_earlier(person, today=today),
    }
    if approves_plans(roles):
        rows["plans_reaching"] = plans_reaching(person, today)
    return rows


def approves_plans(roles) -> bool:
    """Whether a chain of approval may reach the user today (the council's chair, an association's head, the
    director): only they read the plans waiting for approval."""
    return roles.is_council_chair or roles.is_association_head or roles.is_director


def _shown(queryset, key: str, counts: Mapping[str, int] | None) -> tuple[list, int]:
    """At most DASHBOARD_LIMIT rows of a list and how many it holds: no query for a list `counts` says is empty."""
    if counts is not None:
        total = counts.get(key, 0)
        return (list(queryset[:DASHBOARD_LIMIT]) if total else []), total
    rows = list(queryset[: DASHBOARD_LIMIT + 1])
    return rows[:DASHBOARD_LIMIT], (len(rows) if len(rows) <= DASHBOARD_LIMIT else queryset.count())


def dashboard_rows(roles, counts: Mapping[str, int] | None = None) -> dict:
    """The planning rows of the dashboard for a user's roles (structure.selectors.Roles): plans waiting for my
    approval, my items due within 14 days or overdue this academic year, decisions assigned to me, my meetings this
    week, each at most DASHBOARD_LIMIT rows with its count (`<row>_count`), and the counts of what was left overdue
    in earlier years. With `counts` (metodservice.attention.row_counts: every list's size, in one query) a query per
    list that is not empty, and the plans waiting for approval (two or three) for an approver only."""
    person = roles.person
    if person is None:
        return {}
    today = timezone.localdate()
    lists = {**needs_me(roles, today=today), **also_counted(roles, today=today)}
    rows: dict = {}
    for key in ("plans_returned", "items_due", "open_decisions", "meetings_this_week", "assignments_to_answer"):
        if key in lists:
            rows[key], rows[key + "_count"] = _shown(lists[key], key, counts)
    for assignment in rows.get("assignments_to_answer", []):
        assignment.overdue = assignment.deadline < today
    for item in rows["items_due"]:
        item.overdue = item.is_overdue(today)
    for decision in rows["open_decisions"]:
        decision.overdue = decision.deadline < today
    for key in ("items_overdue_earlier", "decisions_overdue_earlier"):
        rows[key + "_count"] = counts.get(key, 0) if counts is not None else lists[key].count()
    rows["approves_plans"] = approves_plans(roles)
    reaching = rows["approves_plans"] and (counts is None or counts.get("plans_reaching", 0) > 0)
    rows["plans_awaiting"] = plans_awaiting_approval(person, today=today) if reaching else []
    return rows
