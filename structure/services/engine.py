"""The engine that applies an order's structural actions: one `_apply_*` per ActionKind, run by `_apply_actions`.

Drafting validates an order by running the engine inside a savepoint that is always rolled back (a dry run on
today's structure, `validate_order_actions`); signing runs it for real under a row lock. So what is refused at
drafting is refused again at signing by the same code."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    SINGLE_KINDS,
    SINGLE_ROLES,
    Action,
    ActionKind,
    MemberRole,
    Membership,
    Order,
    OrderStatus,
    Person,
    Unit,
    UnitKind,
    UnitName,
)


def _fail(message: str, action: Action | None = None) -> NoReturn:
    if action is not None:
        message = _("Clause %(clause)s: %(message)s") % {"clause": action.clause.position, "message": message}
    raise ValidationError(message)


def _active_memberships(unit: Unit, day: datetime.date):
    return Membership.objects.active_on(day).filter(unit=unit)


def _end_memberships(memberships, *, day: datetime.date, order: Order) -> None:
    for membership in memberships:
        membership.end = day
        membership.end_order = order
        membership.save(update_fields=["end", "end_order"])


def _require_active(action: Action, unit: Unit | None, day: datetime.date) -> Unit:
    if unit is None:
        _fail(_("choose a unit."), action)
    unit.refresh_from_db()
    if not unit.is_active_on(day):
        _fail(
            _("the unit «%(unit)s» is not in the structure on %(day)s.")
            % {"unit": unit.name, "day": f"{day:%d.%m.%Y}"},
            action,
        )
    return unit


def _require_person(action: Action, *, allow_external: bool) -> Person:
    person = action.person
    if person is None:
        _fail(_("choose a person."), action)
    if person.is_external and not allow_external:
        _fail(_("%(person)s is not a staff member of the college.") % {"person": person.full_name}, action)
    return person


def _apply_create(action: Action, order: Order, day: datetime.date) -> None:
    unit = action.unit
    if unit is None:
        _fail(_("the new unit has no name."), action)
    unit.refresh_from_db()
    if unit.created_on or unit.dissolved_on:
        _fail(_("the unit «%(unit)s» already exists.") % {"unit": unit.name}, action)
    if unit.kind in SINGLE_KINDS and Unit.objects.active_on(day).filter(kind=unit.kind).exists():
        _fail(_("the college already has a %(kind)s; dissolve it first.") % {"kind": unit.get_kind_display()}, action)
    if Unit.objects.active_on(day).filter(kind=unit.kind, name__iexact=unit.name).exists():
        _fail(_("a unit named «%(unit)s» already exists.") % {"unit": unit.name}, action)
    unit.created_on = day
    unit.created_by_order = order
    unit.save(update_fields=["created_on", "created_by_order"])
    UnitName.objects.create(unit=unit, name=unit.name, start=day, order=order)


def _apply_appoint(action: Action, order: Order, day: datetime.date) -> None:
    unit = _require_active(action, action.unit, day)
    allow_external = unit.kind == UnitKind.LAB and action.role != MemberRole.HEAD
    person = _require_person(action, allow_external=allow_external)
    if action.role not in SINGLE_ROLES:
        _fail(_("choose head, deputy or secretary."), action)
    current = _active_memberships(unit, day)
    if current.filter(person=person, role=action.role).exists():
        _fail(
            _("%(person)s already holds this role in «%(unit)s».") % {"person": person.full_name, "unit": unit.name},
            action,
        )
    # The previous holder of the role steps down; the appointee's former role in the unit ends.
    _end_memberships(current.filter(Q(role=action.role) | Q(person=person)), day=day, order=order)
    Membership.objects.create(unit=unit, person=person, role=action.role, start=day, start_order=order)


def _apply_include(action: Action, order: Order, day: datetime.date) -> None:
    unit = _require_active(action, action.unit, day)
    person = _require_person(action, allow_external=unit.kind == UnitKind.LAB)
    if _active_memberships(unit, day).filter(person=person).exists():
        _fail(_("%(person)s is already in «%(unit)s».") % {"person": person.full_name, "unit": unit.name}, action)
    Membership.objects.create(unit=unit, person=person, role=MemberRole.MEMBER, start=day, start_order=order)


def _apply_exclude(action: Action, order: Order, day: datetime.date) -> None:
    unit = _require_active(action, action.unit, day)
    person = _require_person(action, allow_external=True)
    current = _active_memberships(unit, day).filter(person=person)
    if not current.exists():
        _fail(_("%(person)s is not in «%(unit)s».") % {"person": person.full_name, "unit": unit.name}, action)
    _end_memberships(current, day=day, order=order)


def _apply_rename(action: Action, order: Order, day: datetime.date) -> None:
    unit = _require_active(action, action.unit, day)
    new_name = action.new_name.strip()
    if not new_name:
        _fail(_("enter the new name."), action)
    if new_name == unit.name:
        _fail(_("the new name is the same as the current one."), action)
    _close_names(unit, day)
    UnitName.objects.create(unit=unit, name=new_name, start=day, order=order)
    unit.name = new_name
    unit.save(update_fields=["name"])


def _close_names(unit: Unit, day: datetime.date) -> None:
    """End the unit's current name on `day` (one by one: history records each)."""
    for name in UnitName.objects.filter(unit=unit, end__isnull=True):
        name.end = day
        name.save(update_fields=["end"])


def _dissolve(unit: Unit, *, order: Order, day: datetime.date) -> None:
    _end_memberships(_active_memberships(unit, day), day=day, order=order)
    _close_names(unit, day)
    unit.dissolved_on = day
    unit.dissolved_by_order = order
    unit.save(update_fields=["dissolved_on", "dissolved_by_order"])


def _apply_dissolve(action: Action, order: Order, day: datetime.date) -> None:
    unit = _require_active(action, action.unit, day)
    _dissolve(unit, order=order, day=day)


def _apply_cancel(action: Action, order: Order, day: datetime.date) -> None:
    target = action.target_order
    if target is None:
        _fail(_("choose the order to cancel."), action)
    target.refresh_from_db()
    if target.pk == order.pk:
        _fail(_("an order cannot cancel itself."), action)
    if target.status != OrderStatus.SIGNED:
        _fail(_("only a signed order in force can be cancelled."), action)
    if target.date and target.date > day:
        _fail(_("the order to cancel is dated later than this one."), action)
    # Everything the cancelled order started ends from today.
    _end_memberships(Membership.objects.active_on(day).filter(start_order=target), day=day, order=order)
    for unit in Unit.objects.filter(created_by_order=target, dissolved_on__isnull=True):
        _dissolve(unit, order=order, day=day)
    for name in UnitName.objects.filter(order=target, end__isnull=True).exclude(unit__created_by_order=target):
        previous = UnitName.objects.filter(unit=name.unit, start__lt=name.start).exclude(pk=name.pk).last()
        name.end = day
        name.save(update_fields=["end"])
        if previous:
            UnitName.objects.create(unit=name.unit, name=previous.name, start=day, order=order)
            unit = Unit.objects.get(pk=name.unit_id)
            unit.name = previous.name
            unit.save(update_fields=["name"])
    target.status = OrderStatus.CANCELLED
    target.cancelled_by = order
    target.cancelled_on = day
    target.save(update_fields=["status", "cancelled_by", "cancelled_on"])


_APPLY: dict[str, Callable[[Action, Order, datetime.date], None]] = {
    ActionKind.CREATE_UNIT: _apply_create,
    ActionKind.APPOINT: _apply_appoint,
    ActionKind.INCLUDE: _apply_include,
    ActionKind.EXCLUDE: _apply_exclude,
    ActionKind.RENAME: _apply_rename,
    ActionKind.DISSOLVE: _apply_dissolve,
    ActionKind.CANCEL_ORDER: _apply_cancel,
}


def _order_actions(order: Order) -> list[Action]:
    return list(
        Action.objects.filter(clause__order=order)
        .select_related("clause", "unit", "person", "target_order")
        .order_by("clause__position", "position", "pk")
    )


def _apply_actions(order: Order, day: datetime.date) -> None:
    for action in _order_actions(order):
        _APPLY[action.kind](action, order, day)


class _DryRun(Exception):
    pass


def validate_order_actions(*, order: Order, day: datetime.date | None = None) -> None:
    """Run every action against the structure of `day` and roll back; raises ValidationError on the first refusal."""
    day = day or timezone.localdate()
    try:
        with transaction.atomic():
            _apply_actions(order, day)
            raise _DryRun
    except _DryRun:
        pass
