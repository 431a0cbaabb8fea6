"""The conformity panel of a case's page: `{% load conformity %}{% conformity_panel case %}` (the common case page
includes it for conformity cases).

The panel shows the steps (представление, acknowledgement, sitting, decision, extract) and the forms of the steps
the user may take now (attestation.rules.conformity). Once the protocol carries a signature the decision's votes are
printed from its snapshot (selectors.conformity.frozen_question), never from live rows. Its queries are a fixed few
whatever the case: the case again with its relations, the rules' (the user's roles, cached per request), the
commission's open meetings when the sitting may be planned, the attendance when the decision may be recorded (with
those who vote: not the person being attested).
"""

from __future__ import annotations

import rules
from django import template
from django.utils import timezone

from planning.models import Attendance
from planning.signing import attendance_counts

from ..forms.conformity import DecisionForm, ExtractAcknowledgeForm, SittingForm
from ..models import CaseKind
from ..selectors import conformity as selectors
from ..services.conformity import earliest_sitting, voters

register = template.Library()


@register.inclusion_tag("attestation/conformity/panel.html", takes_context=True)
def conformity_panel(context, case):
    request = context.get("request")
    base = {"request": request, "csrf_token": context.get("csrf_token")}
    if case is None or case.kind != CaseKind.CONFORMITY:
        return {**base, "case": None}
    case = selectors.case_detail().get(pk=case.pk)
    user = request.user if request is not None else None
    today = timezone.localdate()

    def may(perm: str) -> bool:
        return user is not None and rules.has_perm(perm, user, case)

    can = {
        "draft": may("attestation.draft_presentation"),
        "acknowledge": may("attestation.acknowledge_presentation"),
        "add": may("attestation.add_teacher_information"),
        "plan": may("attestation.plan_sitting"),
        "decide": may("attestation.record_conformity_decision"),
        "acknowledge_extract": may("attestation.acknowledge_extract"),
    }
    item = case.agenda_item
    meeting = item.meeting if item is not None else None
    earliest = earliest_sitting(case.acknowledged_on) if case.acknowledged_on else None
    extract_ready = selectors.extract_meeting(case) is not None
    meeting_open = meeting is not None and not (
        meeting.is_locked or meeting.chair_signed_at or meeting.secretary_signed_at
    )
    panel = {
        **base,
        "case": case,
        "can": can,
        "today": today,
        "item": item,
        "meeting": meeting,
        "meeting_open": meeting_open,
        "earliest": earliest,
        "moved_too_soon": bool(meeting and earliest and meeting.date < earliest),
        "extract_ready": extract_ready,
        "votes": _votes(case),
    }
    if can["plan"]:
        panel["sitting_form"] = SittingForm(meetings=selectors.open_meetings(day=earliest))
    can["decide"] = can["decide"] and meeting_open and meeting is not None and meeting.date <= today
    if can["decide"]:
        assert item is not None and meeting is not None
        initial = {"votes_against": 0, "votes_abstained": 0}
        if case.decision:
            initial = {
                "decision": case.decision,
                "votes_for": item.votes_for,
                "votes_against": item.votes_against or 0,
                "votes_abstained": item.votes_abstained or 0,
            }
        panel["decision_form"] = DecisionForm(initial=initial, auto_id="decision_%s")
        rows = list(Attendance.objects.filter(meeting=meeting))
        panel["counts"] = {**attendance_counts(rows), "voters": voters(case, rows)}
    can["acknowledge_extract"] = can["acknowledge_extract"] and extract_ready and not case.extract_acknowledged_on
    if can["acknowledge_extract"]:
        panel["extract_form"] = ExtractAcknowledgeForm(auto_id="extract_%s")
    return panel


def _votes(case) -> dict | None:
    """The decision's votes {"for", "against", "abstained"}: from the signed protocol's snapshot once it carries a
    signature, else from the question (the protocol still open); None without votes."""
    item = case.agenda_item
    if item is None or not case.decision:
        return None
    if item.meeting.snapshot is not None:
        frozen = selectors.frozen_question(case)
        return frozen.get("votes") if frozen else None
    if item.votes_for is None:
        return None
    return {"for": item.votes_for, "against": item.votes_against or 0, "abstained": item.votes_abstained or 0}
