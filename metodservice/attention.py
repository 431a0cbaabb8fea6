"""The number on the menu's «Что требует внимания»: how many things wait for this user to act, on every page.

The same rows as the dashboard's that ask for an action (structure.selectors.needs_me, planning.selectors.needs_me,
attestation.selectors.attention.needs_me, experience.selectors.attention.needs_me and the plans waiting for the user's approval), counted in one query: the rows' primary keys joined by UNION ALL.
An approver (the council's chair, an association's head, the director) pays up to three more queries, for the plans
(planning.selectors.plans_awaiting_approval decides per plan who approves it).
"""

from __future__ import annotations

from django.utils import timezone

from attestation.selectors import attention as attestation_attention
from experience.selectors import attention as experience_attention
from planning import selectors as planning_selectors
from structure import selectors as structure_selectors


def attention_count(roles) -> int:
    if roles.person is None and not roles.is_director:
        return 0
    today = timezone.localdate()
    rows = [
        *structure_selectors.needs_me(roles).values(),
        *planning_selectors.needs_me(roles, today=today).values(),
        *attestation_attention.needs_me(roles, today=today).values(),
        *experience_attention.needs_me(roles, today=today).values(),
    ]
    keys = [rows_qs.order_by().values_list("pk", flat=True) for rows_qs in rows]
    count = keys[0].union(*keys[1:], all=True).count() if keys else 0
    if roles.person is not None and (roles.is_council_chair or roles.is_association_head or roles.is_director):
        count += len(planning_selectors.plans_awaiting_approval(roles.person, today=today))
    return count


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


def attention(request) -> dict:
    """Context processor: `attention_count`, computed only when a template uses it (base.html, once per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"attention_count": 0}
    return {"attention_count": lambda: attention_count(structure_selectors.roles_of(user))}
