"""The planning rows of the dashboard (metodservice/views.py)."""

from __future__ import annotations

from django.utils import timezone

from .approval import plans_awaiting_approval, plans_returned_to
from .meetings import my_meetings_this_week, my_open_decisions
from .plans import my_items_due


def needs_me(roles, *, today=None) -> dict:
    """What in planning waits for this user to act, as querysets (not yet run): plans returned to them, their
    items due within 14 days or overdue, the decisions they carry out. Plans waiting for their approval are not a
    query (approvers_of decides per plan): see plans_awaiting_approval. The menu's badge counts these
    (metodservice.attention)."""
    person = roles.person
    if person is None:
        return {}
    today = today or timezone.localdate()
    return {
        "plans_returned": plans_returned_to(roles),
        "items_due": my_items_due(person, today=today),
        "open_decisions": my_open_decisions(person),
    }


def dashboard_rows(roles) -> dict:
    """The planning rows of the dashboard for a user's roles (structure.selectors.Roles): plans waiting for my
    approval, my items due within 14 days or overdue, decisions assigned to me, my meetings this week.
    Six or seven queries whatever the amount of data."""
    person = roles.person
    if person is None:
        return {}
    today = timezone.localdate()
    items = list(my_items_due(person, today=today))
    for item in items:
        item.overdue = item.is_overdue(today)  # type: ignore[attr-defined]  # for the template
    decisions = list(my_open_decisions(person))
    for decision in decisions:
        decision.overdue = decision.deadline < today  # type: ignore[attr-defined]  # for the template
    return {
        "plans_returned": list(plans_returned_to(roles)),
        "plans_awaiting": plans_awaiting_approval(person, today=today),
        "approves_plans": roles.is_council_chair or roles.is_association_head or roles.is_director,
        "items_due": items,
        "open_decisions": decisions,
        "meetings_this_week": list(my_meetings_this_week(person, today=today)),
    }
