"""Writes of attestation/: records — the qualification categories a person holds (DOMAIN.md "Attestation").

The methodist (or the deputy) records a category as the regional authority's order set it: kind, the day it was
set (the commission's decision: in force from that day), the order's number and date. Its end is never typed: it
is computed (Category.valid_until, attestation.schedule.category_until). Every refusal is a ValidationError with a
code and nothing is written:

- `own_record`: nobody records their own category;
- `not_staff` / `not_pedagogical`: categories are for teaching staff;
- `from_case`: a category set through an attestation case changes only through the case;
- `set_on_future`: the day it was set is not in the future;
- `order_date_future`, `order_before_decision`: the order is dated on or after the decision, not in the future;
- `duplicate`: the same category set on the same day is already recorded;
- `methodist_post`: «педагог-методист» is not set for someone in a методист / старший методист post;
- `highest_required`: «педагог-методист» and «педагог-наставник» need a высшая in force on the day they are set;
- `needed_by`: a высшая is not changed or removed while a методист / наставник category rests on it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from structure.models import Person, SystemRole

from .. import schedule
from ..models import AttestationCase, Category, CategoryKind

#: Categories that need a высшая in force on the day they are set, and the employer's ходатайство.
NEED_HIGHEST = {CategoryKind.METHODIST, CategoryKind.MENTOR}


def _highest_in_force(categories: list[schedule.CategoryHeld], day: datetime.date) -> bool:
    for held in categories:
        until = schedule.category_until(held)
        if held.kind == CategoryKind.HIGHEST and held.set_on <= day and (until is None or until >= day):
            return True
    return False


def _date(day: datetime.date) -> str:
    return f"{day:%d.%m.%Y}"


def _check_person(person: Person, by: Person | None) -> None:
    if by is not None and by.pk == person.pk:
        raise ValidationError(
            _("You cannot record your own qualification category: ask the methodist or the deputy director."),
            code="own_record",
        )
    if person.is_external:
        raise ValidationError(
            _("Qualification categories are recorded for staff members, not for external researchers."),
            code="not_staff",
        )
    if person.position is None or not person.position.is_pedagogical:
        raise ValidationError(
            _("Qualification categories are set for teaching staff; «%(position)s» is not a teaching position.")
            % {"position": person.position.name if person.position else "—"},
            code="not_pedagogical",
        )


def _check_dates(set_on: datetime.date, order_date: datetime.date | None) -> None:
    today = timezone.localdate()
    if set_on > today:
        raise ValidationError(
            {
                "set_on": ValidationError(
                    _("A category is recorded once it has been set: %(day)s is in the future.")
                    % {"day": _date(set_on)},
                    code="set_on_future",
                )
            }
        )
    if order_date is not None and order_date > today:
        raise ValidationError(
            {"order_date": ValidationError(_("The order's date cannot be in the future."), code="order_date_future")}
        )
    if order_date is not None and order_date < set_on:
        raise ValidationError(
            {
                "order_date": ValidationError(
                    _("The order cannot be dated before the commission's decision (%(day)s) that it formalises.")
                    % {"day": _date(set_on)},
                    code="order_before_decision",
                )
            }
        )


def _check_kind(person: Person, kind: str, set_on: datetime.date, others: list[Category]) -> None:
    held = [schedule.CategoryHeld(c.kind, c.set_on) for c in others]
    if any(c.kind == kind and c.set_on == set_on for c in others):
        raise ValidationError(
            _("This category set on %(day)s is already recorded.") % {"day": _date(set_on)}, code="duplicate"
        )
    position = person.position
    if kind == CategoryKind.METHODIST and position is not None and position.system_role == SystemRole.METHODIST:
        raise ValidationError(
            {
                "kind": ValidationError(
                    _(
                        "«Педагог-методист» is not set for staff in the position «%(position)s»: the rules exclude "
                        "методист and старший методист posts."
                    )
                    % {"position": position.name},
                    code="methodist_post",
                )
            }
        )
    if kind in NEED_HIGHEST and not _highest_in_force(held, set_on):
        raise ValidationError(
            {
                "kind": ValidationError(
                    _(
                        "%(category)s is set only to someone who holds the highest category: on %(day)s no highest "
                        "category of this person was in force. Record it first."
                    )
                    % {"category": capfirst(CategoryKind(kind).label), "day": _date(set_on)},
                    code="highest_required",
                )
            }
        )


def _check_dependents(remaining: list[Category]) -> None:
    """After a change, every методист / наставник category still rests on a высшая in force on its day."""
    held = [schedule.CategoryHeld(c.kind, c.set_on) for c in remaining]
    for category in remaining:
        if category.kind in NEED_HIGHEST and not _highest_in_force(held, category.set_on):
            raise ValidationError(
                _(
                    "%(category)s set on %(day)s rests on the highest category in force that day: this change "
                    "would leave it without one."
                )
                % {"category": capfirst(category.get_kind_display()), "day": _date(category.set_on)},
                code="needed_by",
            )


def _check_not_from_case(category: Category) -> None:
    if category.case_id is not None:
        raise ValidationError(
            _("This category was set through an attestation case: change it there."), code="from_case"
        )


@transaction.atomic
def category_save(
    *,
    person: Person,
    kind: str,
    set_on: datetime.date,
    order_number: str = "",
    order_date: datetime.date | None = None,
    category: Category | None = None,
    case: AttestationCase | None = None,
    by: Person | None = None,
) -> Category:
    """Record a category `person` holds, or correct `category` (of the same person). `case`: the attestation case
    whose decision set it (the case workflow records its category through here)."""
    person = Person.objects.select_for_update(of=("self",)).select_related("position").get(pk=person.pk)
    _check_person(person, by)
    others = list(Category.objects.select_for_update().filter(person=person).order_by("set_on", "pk"))
    if category is not None:
        category = next((c for c in others if c.pk == category.pk), None)
        if category is None:
            raise ValueError("the category belongs to another person")
        if case is None:
            _check_not_from_case(category)
        others = [c for c in others if c.pk != category.pk]
    else:
        category = Category(person=person)
    _check_dates(set_on, order_date)
    _check_kind(person, kind, set_on, others)
    category.kind, category.set_on = kind, set_on
    category.order_number, category.order_date = order_number.strip(), order_date
    if case is not None:
        category.case = case
    _check_dependents([*others, category])
    if by is not None and by.user_id:
        category._history_user = by.user  # type: ignore[attr-defined]  # outside a request history still names who
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def category_delete(*, category: Category, by: Person | None = None) -> None:
    """Remove a category recorded by mistake; its history keeps what it was and who removed it."""
    category = Category.objects.select_for_update().select_related("person").get(pk=category.pk)
    if by is not None and by.pk == category.person_id:
        raise ValidationError(
            _("You cannot record your own qualification category: ask the methodist or the deputy director."),
            code="own_record",
        )
    _check_not_from_case(category)
    remaining = list(Category.objects.filter(person_id=category.person_id).exclude(pk=category.pk))
    _check_dependents(remaining)
    if by is not None and by.user_id:
        category._history_user = by.user  # type: ignore[attr-defined]
    category.delete()
