"""Reads of planning/ that cross relations, with their joins applied, and the execution statistics; one module per
area: years, plans, approval, meetings, execution, calendar, documents, dashboard. The public selectors are
re-exported here: callers use `selectors.approvers_of(…)`."""

from .approval import approvers_of, plan_owners, plans_awaiting_approval, plans_returned_to
from .calendar import CalendarEvent, calendar_events
from .dashboard import dashboard_rows, needs_me
from .documents import (
    approver_title,
    associations_of,
    head_title,
    person_facts,
    plan_consideration,
    plan_document,
    protocol_document,
    register_person_facts,
    unit_genitive,
)
from .execution import Execution, execution_by_direction, execution_by_plan, execution_by_year, execution_total
from .meetings import (
    agenda_plan_items,
    attendance_rows,
    decisions_filtered,
    decisions_register,
    meeting_detail,
    meeting_people,
    meetings_concerning,
    meetings_list,
    meetings_visible_to,
    my_meetings_this_week,
    my_open_decisions,
    next_meeting_number,
    unit_role_holder,
)
from .plans import (
    agenda_plans,
    my_items_due,
    plan_detail,
    plan_person_associations,
    plans_list,
    plans_visible_to,
)
from .years import academic_year_of, current_year, theme_for, years_overview

__all__ = [
    "CalendarEvent",
    "Execution",
    "academic_year_of",
    "agenda_plan_items",
    "agenda_plans",
    "approver_title",
    "approvers_of",
    "associations_of",
    "attendance_rows",
    "calendar_events",
    "current_year",
    "dashboard_rows",
    "needs_me",
    "decisions_filtered",
    "decisions_register",
    "execution_by_direction",
    "execution_by_plan",
    "execution_by_year",
    "execution_total",
    "head_title",
    "meeting_detail",
    "meeting_people",
    "meetings_list",
    "meetings_concerning",
    "meetings_visible_to",
    "my_items_due",
    "my_meetings_this_week",
    "my_open_decisions",
    "next_meeting_number",
    "person_facts",
    "plan_consideration",
    "plan_detail",
    "plan_document",
    "plan_owners",
    "plan_person_associations",
    "plans_awaiting_approval",
    "plans_list",
    "plans_returned_to",
    "plans_visible_to",
    "protocol_document",
    "register_person_facts",
    "theme_for",
    "unit_genitive",
    "unit_role_holder",
    "years_overview",
]
