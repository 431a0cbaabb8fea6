"""Writes of a person's absence periods (pregnancy, maternity and parental leave, a sick leave of over 4 months):
the part of the person's record the attestation schedule reads (attestation.schedule; Приказ № 196, п. 6–7).

Kept by the deputy and the methodist (structure.rules: `structure.manage_absences`, never one's own). Every refusal
is a ValidationError with a code, and nothing is written then; each change is in the period's history
(simple_history), which the person's page shows to those who may see the periods.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from metodservice.common.dates import add_months

from ..models import AbsenceKind, AbsencePeriod, Person

#: A sick leave moves attestation only when it lasted over this many months in a row.
SICK_LEAVE_MONTHS = 4


def _overlaps(start: datetime.date, end: datetime.date | None, other: AbsencePeriod) -> bool:
    """Whether [start, end] and the other period share a day; an open end lasts for ever."""
    far = datetime.date.max
    return start <= (other.end or far) and other.start <= (end or far)


def _check(
    *, person: Person, kind: str, start: datetime.date, end: datetime.date | None, absence: AbsencePeriod | None
) -> None:
    if person.is_external:
        raise ValidationError(
            _("Absence periods are kept for staff members only, not for external researchers."), code="not_staff"
        )
    if end is not None and end < start:
        raise ValidationError(
            {"end": ValidationError(_("An absence cannot end before it starts."), code="absence_end_before_start")}
        )
    if kind == AbsenceKind.SICK_LEAVE and end is not None and end < add_months(start, SICK_LEAVE_MONTHS):
        raise ValidationError(
            {
                "end": ValidationError(
                    _(
                        "Only a sick leave of over 4 months in a row moves attestation: from %(start)s it must last "
                        "at least until %(day)s. A shorter one is not recorded here."
                    )
                    % {"start": f"{start:%d.%m.%Y}", "day": f"{add_months(start, SICK_LEAVE_MONTHS):%d.%m.%Y}"},
                    code="sick_leave_short",
                )
            }
        )
    same_kind = AbsencePeriod.objects.select_for_update().filter(person=person, kind=kind)
    if absence is not None and absence.pk is not None:
        same_kind = same_kind.exclude(pk=absence.pk)
    clash = next((other for other in same_kind.order_by("start", "pk") if _overlaps(start, end, other)), None)
    if clash is not None:
        until = f"{clash.end:%d.%m.%Y}" if clash.end else _("now")
        raise ValidationError(
            _("This period overlaps another period of the same kind (%(kind)s, %(start)s – %(end)s): change that one.")
            % {"kind": clash.get_kind_display(), "start": f"{clash.start:%d.%m.%Y}", "end": until},
            code="absence_overlap",
        )


def _check_not_own(by: Person | None, person: Person) -> None:
    if by is not None and by.pk == person.pk:
        raise ValidationError(
            _("You cannot record your own absence periods: ask the deputy director or the methodist."),
            code="own_record",
        )


@transaction.atomic
def absence_save(
    *,
    person: Person,
    kind: str,
    start: datetime.date,
    end: datetime.date | None = None,
    note: str = "",
    absence: AbsencePeriod | None = None,
    by: Person | None = None,
) -> AbsencePeriod:
    """Add an absence period to `person`'s record, or change `absence` (of the same person). Refused: the end before
    the start (`absence_end_before_start`), a sick leave of 4 months or less (`sick_leave_short`), a period that
    overlaps another of the same kind (`absence_overlap`: periods of different kinds may overlap — a parental leave
    during a pregnancy), an external researcher (`not_staff`), one's own record (`own_record`)."""
    _check_not_own(by, person)
    # Lock the person: two periods added at once are checked against each other.
    person = Person.objects.select_for_update().get(pk=person.pk)
    if absence is not None:
        absence = AbsencePeriod.objects.select_for_update().get(pk=absence.pk)
        if absence.person_id != person.pk:
            raise ValueError("the absence period belongs to another person")
    else:
        absence = AbsencePeriod(person=person)
    _check(person=person, kind=kind, start=start, end=end, absence=absence)
    absence.kind, absence.start, absence.end, absence.note = kind, start, end, note.strip()
    if by is not None and by.user_id:
        absence._history_user = by.user  # type: ignore[attr-defined]  # outside a request history still names who
    absence.full_clean()
    absence.save()
    return absence


@transaction.atomic
def absence_delete(*, absence: AbsencePeriod, by: Person | None = None) -> None:
    """Remove a period entered by mistake; its history keeps what it was and who removed it."""
    absence = AbsencePeriod.objects.select_for_update().select_related("person").get(pk=absence.pk)
    _check_not_own(by, absence.person)
    if by is not None and by.user_id:
        absence._history_user = by.user  # type: ignore[attr-defined]
    absence.delete()
