"""Every write of planning/, one module per area: years and the theme, plans, their approval, execution, meetings
and protocols, the assignments the service answers, the calendar token. The public services are re-exported here: callers use `services.plan_submit(…)`."""

from .approval import plan_approve, plan_return, plan_start_amendment, plan_submit
from .assignments import assignment_answer, assignment_cancel, assignment_from_decision, assignment_issue
from .calendar import calendar_token_for
from .execution import item_mark
from .meetings import attendance_set, guest_add, guest_delete, meeting_create, meeting_update
from .plans import item_add, item_delete, item_update, plan_create, plan_update
from .protocols import (
    agenda_add,
    agenda_delete,
    agenda_update,
    decision_add,
    decision_delete,
    decision_mark,
    protocol_sign,
)
from .years import theme_save, year_make_current, year_save

__all__ = [
    "assignment_answer",
    "assignment_cancel",
    "assignment_from_decision",
    "assignment_issue",
    "agenda_add",
    "agenda_delete",
    "agenda_update",
    "attendance_set",
    "calendar_token_for",
    "decision_add",
    "decision_delete",
    "decision_mark",
    "guest_add",
    "guest_delete",
    "item_add",
    "item_delete",
    "item_mark",
    "item_update",
    "meeting_create",
    "meeting_update",
    "plan_approve",
    "plan_create",
    "plan_return",
    "plan_start_amendment",
    "plan_submit",
    "plan_update",
    "protocol_sign",
    "theme_save",
    "year_make_current",
    "year_save",
]
