"""Writes of people: the fields an ordinary edit may set and the check of who may change a position."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Person, Position, SystemRole
from ..rules import POSITION_RANK, may_grant_position
from ..selectors import Roles

#: The fields of a person that an ordinary edit may set; `user` (the account) is the administrator's.
PERSON_FIELDS = (
    "last_name",
    "first_name",
    "patronymic",
    "gender",
    "birth_date",
    "is_external",
    "organisation",
    "position",
    "hire_date",
    "position_since",
    "pedagogical_since",
    "education",
    "education_details",
    "academic_degree",
    "awards",
    "subjects",
    "professional_cycle",
    "email",
    "phone",
)


#: The youngest a staff member's recorded date of birth may make them, in years (a typing error otherwise).
YOUNGEST_AGE = 14
EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)


def _check_birth_date(day: datetime.date | None) -> None:
    """A date of birth is in the past and plausible for someone who works: not in the future, not before 1900,
    at least YOUNGEST_AGE years ago (a typo such as 2019 for 1979 is caught)."""
    if day is None:
        return
    today = timezone.localdate()
    try:
        latest = today.replace(year=today.year - YOUNGEST_AGE)
    except ValueError:  # 29 February
        latest = datetime.date(today.year - YOUNGEST_AGE, 2, 28)
    if day > today:
        message, code = _("The date of birth cannot be in the future."), "birth_date_future"
    elif day < EARLIEST_BIRTH_DATE or day > latest:
        message = _("Check the date of birth: a staff member is at least %(years)s years old.") % {
            "years": YOUNGEST_AGE
        }
        code = "birth_date_implausible"
    else:
        return
    raise ValidationError({"birth_date": ValidationError(message, code=code)})


def _check_position_change(by: Roles, person: Person, old: Position | None, new: Position | None) -> None:
    if (old.pk if old else None) == (new.pk if new else None):
        return
    if by.person is not None and person.pk is not None and by.person.pk == person.pk:
        raise ValidationError(
            {
                "position": ValidationError(
                    _("You cannot change your own position: ask the administrator or the director."),
                    code="own_position",
                )
            }
        )
    for position in (new, old):
        if may_grant_position(by, position):
            continue
        if position is None or POSITION_RANK.get(position.system_role, 0) == 0:
            message, code = _("You may not change positions."), "not_allowed"
        elif position.system_role == SystemRole.DIRECTOR:
            message, code = _("Only the administrator assigns or removes the director's position."), "director_position"
        else:
            message = _("Only someone in this position or above assigns or removes the position «%(position)s».") % {
                "position": position.name
            }
            code = "privileged_position"
        raise ValidationError({"position": ValidationError(message, code=code)})


@transaction.atomic
def person_save(*, by: Roles, person: Person | None = None, **fields) -> Person:
    """Create or change a person. A change of position is checked against who makes it (`may_grant_position`,
    never one's own) and recorded in the person's history with the old and the new value."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"not a person field: {', '.join(sorted(unknown))}")
    if person is None:
        person = Person()
        old_position = None
    else:
        person = Person.objects.select_for_update(of=("self",)).select_related("position").get(pk=person.pk)
        old_position = person.position
    new_position = fields.get("position", old_position)
    # Staff see the whole service, an external researcher only the lab: moving a person across that line changes
    # what they may see, so it is the administrator's.
    crosses = person.pk is not None and "is_external" in fields and fields["is_external"] != person.is_external
    if crosses and not by.is_admin:
        raise ValidationError(
            {
                "is_external": ValidationError(
                    _("Only the administrator makes a staff member external or an external researcher staff."),
                    code="external_flag",
                )
            }
        )
    _check_position_change(by, person, old_position, new_position)
    if "birth_date" in fields:
        _check_birth_date(fields["birth_date"])
    for name, value in fields.items():
        setattr(person, name, value)
    if by.person is not None and by.person.user_id:
        # Outside a request (the demo, scripts) history still names who: simple_history reads `_history_user`.
        person._history_user = by.person.user  # type: ignore[attr-defined]
    # Only what this call sets is validated: an old record's odd e-mail does not block a change of position.
    person.full_clean(exclude=[name for name in PERSON_FIELDS if name not in fields] if person.pk else None)
    person.save()
    return person
