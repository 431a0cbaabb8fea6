"""Writes of meetings before their protocol is signed: scheduling (numbering), date and signers, attendance,
guests. `_require_open` locks a meeting and refuses once the protocol carries a signature."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from structure.models import MemberRole, Membership, Person, Unit

from .. import selectors
from ..models import AcademicYear, Attendance, Guest, Meeting
from . import guards


@transaction.atomic
def meeting_create(
    *,
    unit: Unit,
    year: AcademicYear,
    date: datetime.date,
    created_by: Person,
    number: int | None = None,
    time: datetime.time | None = None,
    place: str = "",
) -> Meeting:
    """Schedule a meeting of `unit`. A chosen `number` must be free (refused with code "number_taken" otherwise);
    without one the meeting takes the unit's next number in the year. Two people scheduling at once may compute the
    same next number: the loser of the unique constraint takes the next free number again (each try in its own
    savepoint), up to `attempts` times; every lost try means another meeting was committed meanwhile."""
    if not year.contains(date):
        raise ValidationError(
            {
                "date": ValidationError(
                    _("The date must fall within the academic year %(year)s.") % {"year": year},
                    code="date_outside_year",
                )
            }
        )
    if not unit.is_active_on(date):
        raise ValidationError(
            {"date": ValidationError(_("The unit is not in the structure on that date."), code="unit_not_active")}
        )

    def taken(taken_number: int) -> ValidationError:
        message = _("This unit already has a meeting No. %(number)s in %(year)s.")
        return ValidationError(
            {"number": ValidationError(message % {"number": taken_number, "year": year}, code="number_taken")}
        )

    automatic = number is None
    if number is not None and Meeting.objects.filter(unit=unit, year=year, number=number).exists():
        raise taken(number)
    chair = selectors.unit_role_holder(unit, MemberRole.HEAD, date)
    secretary = selectors.unit_role_holder(unit, MemberRole.SECRETARY, date)
    attempts = 20  # far more people than ever schedule one unit's meetings in the same second
    for _attempt in range(attempts):
        if automatic or number is None:
            number = (Meeting.objects.filter(unit=unit, year=year).aggregate(last=Max("number"))["last"] or 0) + 1
        try:
            with transaction.atomic():
                meeting = Meeting.objects.create(
                    unit=unit,
                    year=year,
                    number=number,
                    date=date,
                    time=time,
                    place=place.strip(),
                    created_by=created_by,
                    chair=chair,
                    secretary=secretary,
                )
            break
        except IntegrityError as error:
            if not Meeting.objects.filter(unit=unit, year=year, number=number).exists():
                raise  # not the number: a real fault
            if not automatic:
                raise taken(number) from error
    else:
        raise ValidationError(
            {
                "number": ValidationError(
                    _("Many meetings of this unit are being scheduled at this moment. Try again."),
                    code="number_contended",
                )
            }
        )
    members = Membership.objects.active_on(date).filter(unit=unit).values_list("person_id", flat=True).distinct()
    # Nobody is present or absent before the attendance is marked («не отмечено»), even for a meeting entered after
    # the fact: the protocol counts only what the secretary marked.
    bulk_create_with_history([Attendance(meeting=meeting, person_id=pk, present=None) for pk in members], Attendance)
    return meeting


def _require_open(meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_locked:
        raise ValidationError(_("The protocol is signed and cannot be changed."))
    if meeting.chair_signed_at or meeting.secretary_signed_at:
        raise ValidationError(_("The protocol has a signature; it cannot be changed any more."))
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    date: datetime.date,
    number: int,
    time: datetime.time | None = None,
    place: str = "",
    chair: Person | None = None,
    secretary: Person | None = None,
) -> Meeting:
    meeting = _require_open(meeting)
    if not meeting.year.contains(date):
        raise ValidationError(
            {"date": _("The date must fall within the academic year %(year)s.") % {"year": meeting.year}}
        )
    if Meeting.objects.filter(unit=meeting.unit, year=meeting.year, number=number).exclude(pk=meeting.pk).exists():
        raise ValidationError(
            {
                "number": _("This unit already has a meeting No. %(number)s in %(year)s.")
                % {"number": number, "year": meeting.year}
            }
        )
    if not meeting.unit.is_active_on(date):
        raise ValidationError({"date": _("The unit is not in the structure on that date.")})
    if date != meeting.date:
        guards.check_meeting_date(meeting, date)  # the apps above: e.g. an attestation's 30 days
    meeting.date, meeting.number, meeting.time, meeting.place = date, number, time, place.strip()
    _check_signers(meeting, chair, secretary)
    meeting.chair, meeting.secretary = chair, secretary
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError as error:  # another meeting took the number meanwhile
        raise ValidationError(
            {
                "number": _("This unit already has a meeting No. %(number)s in %(year)s.")
                % {"number": number, "year": meeting.year}
            }
        ) from error
    return meeting


@transaction.atomic
def attendance_set(*, meeting: Meeting, rows: Iterable[tuple[Person, bool | None, str]]) -> None:
    """Mark who was present (True), absent (False, with the reason) or leave a row not marked (None). Votes already
    entered are checked against the attendance again when the protocol is signed."""
    meeting = _require_open(meeting)
    for person, present, reason in rows:
        Attendance.objects.update_or_create(
            meeting=meeting,
            person=person,
            defaults={"present": present, "absence_reason": reason.strip() if present is False else ""},
        )


@transaction.atomic
def guest_add(*, meeting: Meeting, name: str, position: str = "") -> Guest:
    meeting = _require_open(meeting)
    if not name.strip():
        raise ValidationError({"name": _("Enter the guest's name.")})
    return Guest.objects.create(meeting=meeting, name=name.strip(), position=position.strip())


@transaction.atomic
def guest_delete(*, guest: Guest) -> None:
    _require_open(guest.meeting)
    guest.delete()


def _check_signers(meeting: Meeting, chair: Person | None, secretary: Person | None) -> None:
    """A protocol carries two signatures, so the chair and the secretary are two people, both of the unit."""
    if chair is not None and secretary is not None and chair.pk == secretary.pk:
        message = _("The chair and the secretary must be two different people: the protocol needs two signatures.")
        raise ValidationError({"secretary": ValidationError(message, code="same_signer")})
    members = set(
        Membership.objects.active_on(meeting.date).filter(unit_id=meeting.unit_id).values_list("person_id", flat=True)
    )
    for field, person in (("chair", chair), ("secretary", secretary)):
        if person is not None and person.pk not in members:
            message = _("%(person)s is not a member of «%(unit)s» on the day of the meeting.") % {
                "person": person.full_name,
                "unit": meeting.unit.name,
            }
            raise ValidationError({field: ValidationError(message, code="signer_not_member")})
