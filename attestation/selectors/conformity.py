"""Reads of the conformity attestation: the case with what its panel shows, the commission's meetings a sitting may
be planned at, the people a case may be opened for, and the extract of the protocol — from the signed snapshot only.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from planning.models import Meeting
from planning.signing import protocol_verification
from structure.models import Person, UnitKind

from ..models import AttestationCase, CaseKind, CaseStatus


def case_detail() -> QuerySet[AttestationCase]:
    """A conformity case with everything its panel and the extract read, in one query."""
    return AttestationCase.objects.filter(kind=CaseKind.CONFORMITY).select_related(
        "person__position", "presentation_by", "agenda_item__meeting__unit"
    )


def candidates() -> QuerySet[Person]:
    """Whom a conformity case may be opened for: the teaching staff (the service checks exemptions)."""
    return Person.objects.staff().filter(position__is_pedagogical=True).select_related("position")


def open_meetings(day: datetime.date | None = None) -> QuerySet[Meeting]:
    """Meetings of the attestation commission whose protocol carries no signature yet (from `day` on, if given), the
    soonest first."""
    meetings = Meeting.objects.filter(
        unit__kind=UnitKind.ATTESTATION_COMMISSION,
        chair_signed_at__isnull=True,
        secretary_signed_at__isnull=True,
    ).exclude(status="signed")
    if day is not None:
        meetings = meetings.filter(date__gte=day)
    return meetings.select_related("unit").order_by("date", "number")


def extract_meeting(case: AttestationCase) -> Meeting | None:
    """The meeting whose signed protocol the case's extract prints, or None until it is signed."""
    item = case.agenda_item
    if case.kind != CaseKind.CONFORMITY or case.status != CaseStatus.DECIDED or item is None:
        return None
    meeting = item.meeting
    if not meeting.is_signed or meeting.snapshot is None:
        return None
    return meeting


def frozen_question(case: AttestationCase) -> dict | None:
    """The case's question as the protocol froze it at its first signature (title, РЕШИЛИ, votes: planning.signing
    .protocol_content), found by its position on the agenda; None while nobody has signed. No queries beyond the
    case's own (case_detail)."""
    item = case.agenda_item
    if item is None or item.meeting.snapshot is None:
        return None
    agenda = item.meeting.snapshot.get("agenda") or []
    return agenda[item.position - 1] if 1 <= item.position <= len(agenda) else None


def extract_content(case: AttestationCase) -> dict | None:
    """What the extract prints, read from the signed protocol's snapshot (never live rows): the college, the unit,
    the number and date, the counts, the case's question (found by its position on the agenda) with what was heard,
    decided and the votes, the chair and the secretary. None until the protocol is signed."""
    meeting = extract_meeting(case)
    if meeting is None or case.agenda_item is None:
        return None
    protocol = meeting.snapshot or {}
    agenda = protocol.get("agenda") or []
    position = case.agenda_item.position
    if not 1 <= position <= len(agenda):
        return None
    counts = protocol.get("counts") or {}
    return {
        "college": protocol.get("college", ""),
        "city": protocol.get("city", ""),
        "unit": protocol.get("unit", ""),
        "number": protocol.get("number"),
        "date": datetime.date.fromisoformat(protocol["date"]),
        "members": counts.get("members"),
        "present": counts.get("present", len(protocol.get("present") or [])),
        "quorum": counts.get("quorum"),
        "position": position,
        "item": agenda[position - 1],
        "chair": protocol.get("chair"),
        "secretary": protocol.get("secretary"),
        "content_hash": meeting.content_hash,
        "verification": protocol_verification(meeting),
    }


def extract_filename(case: AttestationCase, content: dict) -> str:
    """«Выписка_из_протокола_3_от_05.11.2026.pdf»."""
    return f"Выписка_из_протокола_{content['number']}_от_{content['date']:%d.%m.%Y}.pdf"


def owned_questions(item_ids: list[int]) -> dict[int, tuple[str, str]]:
    """The questions among `item_ids` that are attestation cases' (planning's meeting page links them to the case
    instead of offering to remove them): one query."""
    cases = AttestationCase.objects.filter(agenda_item_id__in=item_ids).select_related("person")
    return {
        case.agenda_item_id: (
            _("Attestation case: %(name)s") % {"name": case.person.short_name},
            case.get_absolute_url(),
        )
        for case in cases
        if case.agenda_item_id is not None
    }
