"""Fixed documents of planning/: the signed protocol and the approved plan version, frozen and verifiable.

A protocol is frozen at its first signature: `protocol_content` writes down everything the protocol prints
(the unit's name on the day, names of the chair, the secretary, those present and absent, the number of members,
of those present and whether there was a quorum, speakers and people responsible for decisions, the agenda,
СЛУШАЛИ/ВЫСТУПИЛИ/РЕШИЛИ, votes) into `Meeting.snapshot`; the page and the PDF of a signed protocol read the
snapshot only. The hash covers the snapshot and both signature times.
An approved plan version is its `snapshot` with the approver's frozen name, position and time.
"""

from __future__ import annotations

import math
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from metodservice.common.signing import Verification, moment, sha256_of, verify

from .models import Meeting, PlanVersion


def _person(person) -> dict | None:
    if person is None:
        return None
    return {"name": person.full_name, "short": person.short_name, "signature": person.signature_name}


def quorum_fraction() -> Fraction:
    """settings.MEETING_QUORUM as a fraction: a quorum is MORE than this share of the members present."""
    try:
        fraction = Fraction(str(settings.MEETING_QUORUM).strip())
    except (ValueError, ZeroDivisionError) as error:
        raise ImproperlyConfigured(f"MEETING_QUORUM must be a fraction such as 1/2 or 0.5: {error}") from error
    if not 0 <= fraction < 1:
        raise ImproperlyConfigured("MEETING_QUORUM must be at least 0 and less than 1, e.g. 1/2 (more than half).")
    return fraction


def quorum_needed(members: int) -> int:
    """The fewest members present that make a quorum: the least whole number above MEETING_QUORUM × members (with
    the default 1/2, 3 of 4 and 3 of 5; exactly half is no quorum). A unit with no members never has a quorum."""
    return math.floor(quorum_fraction() * members) + 1


def attendance_counts(rows) -> dict:
    """What the protocol says of the attendance, from Attendance rows: members (guests are not members), present,
    absent, not marked yet, and the quorum by MEETING_QUORUM."""
    rows = list(rows)
    members = len(rows)
    present = sum(1 for row in rows if row.present is True)
    needed = quorum_needed(members)
    return {
        "members": members,
        "present": present,
        "absent": sum(1 for row in rows if row.present is False),
        "not_marked": sum(1 for row in rows if row.present is None),
        "quorum_needed": needed,
        "quorum": present >= needed,
    }


def protocol_content(meeting: Meeting) -> dict:
    """What the protocol prints, from a meeting loaded by `selectors.protocol_document` (no further queries).
    `counts` (members, present, quorum) is frozen with the rest: a signed protocol prints what was true at signing."""
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
        "present": [_person(row.person) for row in attendance if row.present is True],
        "absent": [{**_person(row.person), "reason": row.absence_reason} for row in attendance if row.present is False],
        "not_marked": [_person(row.person) for row in attendance if row.present is None],
        "counts": attendance_counts(attendance),
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
