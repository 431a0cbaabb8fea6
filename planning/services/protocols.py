"""The protocol of a meeting: agenda questions, decisions (and their execution), and signing by the chair and
the secretary.

Votes add up: за + против + воздержались never exceed the members present (guests do not vote), checked when the
votes are entered (the attendance must be marked first) and again over the whole protocol at signing, since the
attendance may change after. A protocol is signed only with the attendance marked and a quorum present
(settings.MEETING_QUORUM, planning.signing.quorum_needed).

The apps above planning guard the questions they own (planning.services.guards): an attestation case's question
changes only through the case, and its vote is checked again when the protocol is signed."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from structure.models import Person

from .. import selectors, signing
from ..models import AgendaItem, Attendance, Decision, DecisionStatus, Meeting, MeetingStatus, Plan, PlanItem
from . import guards
from .meetings import _require_open
from .plans import check_agenda_plan

Votes = tuple[int | None, int | None, int | None]


def _votes_given(votes: Votes) -> bool:
    return any(v is not None for v in votes)


def _check_votes(meeting: Meeting, votes: Votes) -> None:
    """Votes are not negative, and once any is given: the attendance is marked and за + против + воздержались is
    at most the members present."""
    if any(v is not None and v < 0 for v in votes):
        raise ValidationError(_("Votes cannot be negative."), code="votes_negative")
    if not _votes_given(votes):
        return
    counts = signing.attendance_counts(Attendance.objects.filter(meeting=meeting))
    if counts["not_marked"]:
        message = _(
            "Mark the attendance before entering the votes: members not marked — %(count)s; only the members "
            "present vote."
        )
        raise ValidationError(message % {"count": counts["not_marked"]}, code="votes_before_attendance")
    total = sum(v or 0 for v in votes)
    if total > counts["present"]:
        message = _(
            "For, against and abstained add up to %(total)s, more than the members present — %(present)s (guests "
            "do not vote)."
        )
        raise ValidationError(message % {"total": total, "present": counts["present"]}, code="votes_exceed_present")


@transaction.atomic
def agenda_add(
    *,
    meeting: Meeting,
    title: str,
    speaker: Person | None = None,
    plan_item: PlanItem | None = None,
    plan: Plan | None = None,
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstained: int | None = None,
) -> AgendaItem:
    meeting = _require_open(meeting)
    if not title.strip():
        raise ValidationError({"title": _("Enter the question.")})
    check_agenda_plan(meeting=meeting, plan=plan)
    _check_votes(meeting, (votes_for, votes_against, votes_abstained))
    last = meeting.agenda.aggregate(last=Max("position"))["last"] or 0
    return AgendaItem.objects.create(
        meeting=meeting,
        position=last + 1,
        title=title.strip(),
        speaker=speaker,
        plan_item=plan_item,
        plan=plan,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstained=votes_abstained,
    )


@transaction.atomic
def agenda_update(
    *,
    item: AgendaItem,
    title: str,
    speaker: Person | None = None,
    plan_item: PlanItem | None = None,
    plan: Plan | None = None,
    heard: str = "",
    spoke: str = "",
    decided: str = "",
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstained: int | None = None,
    by_owner: bool = False,
) -> AgendaItem:
    """Change a question of an open protocol. A question an app above owns (an attestation case's) is changed only
    as its guard allows (planning.services.guards); the owning app's services pass `by_owner=True` after their own
    checks."""
    meeting = _require_open(item.meeting)
    if not title.strip():
        raise ValidationError({"title": _("Enter the question.")})
    check_agenda_plan(meeting=meeting, plan=plan)
    _check_votes(meeting, (votes_for, votes_against, votes_abstained))
    if not by_owner:
        guards.check_agenda_change(
            item,
            {
                "title": title.strip(),
                "speaker": speaker,
                "plan_item": plan_item,
                "plan": plan,
                "heard": heard.strip(),
                "spoke": spoke.strip(),
                "decided": decided.strip(),
                "votes_for": votes_for,
                "votes_against": votes_against,
                "votes_abstained": votes_abstained,
            },
        )
    item.title, item.speaker, item.plan_item, item.plan = title.strip(), speaker, plan_item, plan
    item.heard, item.spoke, item.decided = heard.strip(), spoke.strip(), decided.strip()
    item.votes_for, item.votes_against, item.votes_abstained = votes_for, votes_against, votes_abstained
    item.save()
    return item


@transaction.atomic
def agenda_delete(*, item: AgendaItem, by_owner: bool = False) -> None:
    """Delete a question of an open protocol (the others are renumbered); a question an app above owns only as its
    guard allows (see agenda_update)."""
    meeting = _require_open(item.meeting)
    if not by_owner:
        guards.check_agenda_change(item, None)
    item.delete()
    for index, other in enumerate(meeting.agenda.order_by("position", "pk"), start=1):
        if other.position != index:
            other.position = index
            other.save(update_fields=["position"])


@transaction.atomic
def decision_add(
    *, agenda_item: AgendaItem, text: str, responsible: Person | None, deadline: datetime.date | None
) -> Decision:
    _require_open(agenda_item.meeting)
    errors = {}
    if not text.strip():
        errors["text"] = _("Write the decision.")
    if responsible is None:
        errors["responsible"] = _("Name the person responsible.")
    if deadline is None:
        errors["deadline"] = _("Set the deadline.")
    elif deadline < agenda_item.meeting.date:
        errors["deadline"] = _("The deadline cannot precede the meeting.")
    if errors or responsible is None or deadline is None:
        raise ValidationError(errors)
    return Decision.objects.create(
        agenda_item=agenda_item, text=text.strip(), responsible=responsible, deadline=deadline
    )


@transaction.atomic
def decision_delete(*, decision: Decision) -> None:
    _require_open(decision.agenda_item.meeting)
    decision.delete()


@transaction.atomic
def decision_mark(*, decision: Decision, status: str, report: str = "") -> Decision:
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if status not in DecisionStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    report = report.strip()
    if status != DecisionStatus.OPEN and not report:
        raise ValidationError({"report": _("Write a short report on the decision.")})
    decision.status = status
    decision.report = report
    decision.done_at = timezone.now() if status == DecisionStatus.DONE else None
    decision.save()
    return decision


@transaction.atomic
def protocol_sign(*, meeting: Meeting, person: Person) -> Meeting:
    """The chair and the secretary, two different people present at the meeting, sign the protocol. The first
    signature freezes the protocol as printed (planning.signing); with both signatures it is locked."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_locked:
        raise ValidationError(_("The protocol is already signed."), code="already_signed")
    if person.pk not in {meeting.chair_id, meeting.secretary_id}:
        raise ValidationError(
            _("Only the chair and the secretary of the meeting sign its protocol."), code="not_signer"
        )
    if meeting.chair_id is None or meeting.secretary_id is None:
        raise ValidationError(_("Name the chair and the secretary of the meeting first."), code="no_signers")
    if meeting.chair_id == meeting.secretary_id:
        raise ValidationError(
            _("The chair and the secretary must be two different people: the protocol needs two signatures."),
            code="same_signer",
        )
    attendance = list(meeting.attendance.all())
    counts = signing.attendance_counts(attendance)
    if counts["not_marked"]:
        raise ValidationError(
            _("Mark the attendance before signing: members marked neither present nor absent — %(count)s.")
            % {"count": counts["not_marked"]},
            code="attendance_not_marked",
        )
    present = {row.person_id for row in attendance if row.present}
    if not present:
        raise ValidationError(
            _("Record the attendance before signing: the protocol lists who was present."), code="no_attendance"
        )
    if not {meeting.chair_id, meeting.secretary_id} <= present:
        raise ValidationError(
            _("The chair and the secretary sign only a meeting they attended: mark them present or name others."),
            code="signer_absent",
        )
    if meeting.date > timezone.localdate():
        raise ValidationError(
            _("The meeting is on %(date)s: its protocol is signed once it has taken place.")
            % {"date": f"{meeting.date:%d.%m.%Y}"},
            code="meeting_in_future",
        )
    if not meeting.agenda.exists():
        raise ValidationError(_("The protocol has no agenda."), code="no_agenda")
    guards.check_protocol(meeting)  # the apps above re-check the questions they own (attestation: the vote, …)
    if meeting.agenda.filter(decided="").exists():
        raise ValidationError(_("Every agenda item needs its decision (РЕШИЛИ) before signing."), code="no_decision")
    if not counts["quorum"]:
        raise ValidationError(
            _(
                "There is no quorum: present %(present)s of %(members)s members, needed at least %(needed)s. A "
                "protocol without a quorum is not signed."
            )
            % {"present": counts["present"], "members": counts["members"], "needed": counts["quorum_needed"]},
            code="no_quorum",
        )
    over = [
        str(item.position)
        for item in meeting.agenda.order_by("position", "pk")
        if (item.votes_for or 0) + (item.votes_against or 0) + (item.votes_abstained or 0) > counts["present"]
    ]
    if over:
        raise ValidationError(
            _(
                "The votes on the questions No. %(items)s add up to more than the members present — %(present)s: "
                "correct the votes or the attendance."
            )
            % {"items": ", ".join(over), "present": counts["present"]},
            code="protocol_votes_exceed_present",
        )
    if meeting.snapshot is None:
        meeting.snapshot = signing.protocol_content(selectors.protocol_document(meeting.pk).get())
    now = timezone.now()
    if person.pk == meeting.chair_id and meeting.chair_signed_at is None:
        meeting.chair_signed_at = now
    if person.pk == meeting.secretary_id and meeting.secretary_signed_at is None:
        meeting.secretary_signed_at = now
    meeting.status = (
        MeetingStatus.SIGNED if meeting.chair_signed_at and meeting.secretary_signed_at else MeetingStatus.HELD
    )
    meeting.content_hash = signing.protocol_hash(meeting)
    meeting.save()
    guards.protocol_signed(meeting)
    return meeting
