"""Role-matrix rows of meetings, protocols and the decision register (planning/views/meetings.py).

The world's meeting belongs to the association: `mo_head` heads it (and chairs the meeting; the association has no
secretary), `teacher` is a member and answers for the decision. Staff see every meeting; the external `researcher`
(a lab member) is not in the association, so its meeting and decision are out of reach (404).
"""

from planning.models import Guest
from tests.matrix import STAFF_AND_ADMIN, get, post

RUN_UNITS = ["deputy", "methodist", "chair", "secretary", "mo_head", "group_lead", "lab_head"]
OUTSIDER = ["researcher"]

meeting = lambda w: {"pk": w.meeting.pk}  # noqa: E731
item = lambda w: {"pk": w.meeting.pk, "item_pk": w.agenda_item.pk}  # noqa: E731


def guest(w) -> dict:
    """The world's meeting has no guests; one is added for this row (the test's transaction drops it)."""
    g, _ = Guest.objects.get_or_create(meeting=w.meeting, name="Гостева Галина Петровна")
    return {"pk": w.meeting.pk, "guest_pk": g.pk}


MATRIX = {
    "planning:meeting_list": get([*STAFF_AND_ADMIN, "researcher"]),  # the researcher sees their lab's only
    "planning:meeting_create": get(RUN_UNITS),
    "planning:meeting_detail": get(STAFF_AND_ADMIN, meeting, hidden=OUTSIDER),
    "planning:meeting_edit": get(["mo_head"], meeting, hidden=OUTSIDER),
    "planning:attendance_edit": get(["mo_head"], meeting, hidden=OUTSIDER),
    "planning:guest_add": post(["mo_head"], meeting, hidden=OUTSIDER, data={"name": "Гостев Пётр Иванович"}),
    "planning:guest_delete": post(["mo_head"], guest, hidden=OUTSIDER),
    "planning:agenda_add": get(["mo_head"], meeting, hidden=OUTSIDER),
    "planning:agenda_edit": get(["mo_head"], item, hidden=OUTSIDER),
    "planning:agenda_delete": post(["mo_head"], item, hidden=OUTSIDER),
    "planning:decision_add": get(["mo_head"], item, hidden=OUTSIDER),
    "planning:decision_delete": post(
        ["mo_head"], lambda w: {"pk": w.meeting.pk, "decision_pk": w.decision.pk}, hidden=OUTSIDER
    ),
    # The meeting's chair may sign (the service then asks to name the secretary first: a message and a redirect).
    "planning:protocol_sign": post(["mo_head"], meeting, hidden=OUTSIDER),
    "planning:decision_list": get(STAFF_AND_ADMIN),
    "planning:decision_mark": get(["teacher", "mo_head"], lambda w: {"pk": w.decision.pk}, hidden=OUTSIDER),
}
