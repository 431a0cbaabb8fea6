"""Fixed documents of planning/: the signed protocol and the approved plan version, frozen and verifiable.

A protocol is frozen at its first signature: `protocol_content` writes down everything the protocol prints
(the unit's name on the day, names of the chair, the secretary, those present and absent, speakers and people
responsible for decisions, the agenda, СЛУШАЛИ/ВЫСТУПИЛИ/РЕШИЛИ, votes) into `Meeting.snapshot`; the page and
the PDF of a signed protocol read the snapshot only. The hash covers the snapshot and both signature times.
An approved plan version is its `snapshot` with the approver's frozen name, position and time.
"""

from __future__ import annotations

from django.conf import settings

from metodservice.common.signing import Verification, moment, sha256_of, verify

from .models import Meeting, PlanVersion


def _person(person) -> dict | None:
    if person is None:
        return None
    return {"name": person.full_name, "short": person.short_name, "signature": person.signature_name}


def protocol_content(meeting: Meeting) -> dict:
    """What the protocol prints, from a meeting loaded by `selectors.protocol_document` (no further queries)."""
    attendance = list(meeting.attendance.all())
    return {
        "college": settings.COLLEGE_NAME,
        "city": settings.COLLEGE_CITY,
        "unit": getattr(meeting, "unit_name_on_day", None) or meeting.unit.name,
        "number": meeting.number,
        "date": meeting.date.isoformat(),
        "time": meeting.time.strftime("%H:%M") if meeting.time else None,
        "place": meeting.place,
        "chair": _person(meeting.chair),
        "secretary": _person(meeting.secretary),
        "present": [_person(row.person) for row in attendance if row.present],
        "absent": [{**_person(row.person), "reason": row.absence_reason} for row in attendance if not row.present],
        "guests": [{"name": guest.name, "position": guest.position} for guest in meeting.guests.all()],
        "agenda": [
            {
                "title": item.title,
                "speaker": _person(item.speaker),
                "heard": item.heard,
                "spoke": item.spoke,
                "decided": item.decided,
                "votes": None
                if item.votes_for is None and item.votes_against is None and item.votes_abstained is None
                else {
                    "for": item.votes_for or 0,
                    "against": item.votes_against or 0,
                    "abstained": item.votes_abstained or 0,
                },
                "decisions": [
                    {
                        "text": decision.text.strip().rstrip("."),
                        "responsible": _person(decision.responsible),
                        "deadline": decision.deadline.isoformat(),
                    }
                    for decision in item.decisions.all()
                ],
            }
            for item in meeting.agenda.all()
        ],
    }


def protocol_payload(meeting: Meeting) -> dict:
    return {
        "protocol": meeting.snapshot,
        "chair_signed_at": moment(meeting.chair_signed_at),
        "secretary_signed_at": moment(meeting.secretary_signed_at),
    }


def protocol_hash(meeting: Meeting) -> str:
    return sha256_of(protocol_payload(meeting))


def protocol_verification(meeting: Meeting) -> Verification | None:
    """None while nobody has signed; else the stored and the recomputed hash."""
    if meeting.snapshot is None and not (meeting.chair_signed_at or meeting.secretary_signed_at):
        return None
    return verify(meeting.content_hash, protocol_payload(meeting))


def version_payload(version: PlanVersion) -> dict:
    return {
        "plan": version.plan_id,
        "number": version.number,
        "content": version.snapshot,
        "reason": version.reason,
        "approved_by": version.approved_by_name,
        "approved_by_position": version.approved_by_position,
        "approved_at": moment(version.approved_at),
    }


def version_hash(version: PlanVersion) -> str:
    return sha256_of(version_payload(version))


def version_verification(version: PlanVersion) -> Verification:
    return verify(version.content_hash, version_payload(version))
