"""The engine that applies an order's structural actions: one `_apply_*` per ActionKind, run by `run_order`.

The order is applied as a whole, in the order of its clauses and actions: `run_order` first refuses actions that
contradict each other, then applies every action to the structure of the day, then checks the invariants of the
structure (`structure.services.invariants`, where the rules are written down). Drafting validates an order by
running it inside a savepoint that is always rolled back (a dry run on today's structure,
`validate_order_actions`), at every action added and at sending; signing runs it for real under a row lock. So
what is refused at drafting is refused again at signing by the same code."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import NoReturn

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
from .invariants import Run, check_actions, check_invariants, expected_after, refuse, snapshot


def _fail(message: str, action: Action, *, code: str) -> NoReturn:
    refuse(message, code=code, actions=[action])


def _active_memberships(unit: Unit, day: datetime.date):
    return Membership.objects.active_on(day).filter(unit=unit)


def _end_memberships(memberships, *, day: datetime.date, order: Order) -> None:
    for membership in memberships:
        membership.end = day
        membership.end_order = order
        membership.save(update_fields=["end", "end_order"])


def _require_active(action: Action, unit: Unit | None, day: datetime.date) -> Unit:
    if unit is None:
        _fail(_("choose a unit."), action, code="no_unit")
    unit.refresh_from_db()
    if not unit.is_active_on(day):
        _fail(
            _("the unit «%(unit)s» is not in the structure on %(day)s.")
            % {"unit": unit.name, "day": f"{day:%d.%m.%Y}"},
            action,
            code="unit_not_active",
        )
    return unit


def _require_person(action: Action, *, allow_external: bool) -> Person:
    person = action.person
    if person is None:
        _fail(_("choose a person."), action, code="no_person")
    if person.is_external and not allow_external:
        _fail(
            _("%(person)s is not a staff member of the college.") % {"person": person.full_name},
            action,
            code="not_staff",
        )
    return person


def _apply_create(action: Action, order: Order, day: datetime.date) -> None:
    unit = action.unit
    if unit is None:
        _fail(_("the new unit has no name."), action, code="no_new_unit")
    unit.refresh_from_db()
    if unit.created_on or unit.dissolved_on:
        _fail(_("the unit «%(unit)s» already exists.") % {"unit": unit.name}, action, code="unit_exists")
    if unit.kind in SINGLE_KINDS and Unit.objects.active_on(day).filter(kind=unit.kind).exists():
        _fail(
            _("the college already has a %(kind)s; dissolve it first.") % {"kind": unit.get_kind_display()},
            action,
            code="single_kind_exists",
        )
    if Unit.objects.active_on(day).filter(kind=unit.kind, name__iexact=unit.name).exists():
        _fail(_("a unit named «%(unit)s» already exists.") % {"unit": unit.name}, action, code="unit_name_taken")
    unit.created_on = day
    unit.created_by_order = order
    unit.save(update_fields=["created_on", "created_by_order"])
    UnitName.objects.create(unit=unit, name=unit.name, start=day, order=order)


def _apply_appoint(action: Action, order: Order, day: datetime.date) -> None:
    unit = _require_active(action, action.unit, day)
    allow_external = unit.kind == UnitKind.LAB and action.role != MemberRole.HEAD
    person = _require_person(action, allow_external=allow_external)
    if action.role not in SINGLE_ROLES:
        _fail(_("choose head, deputy or secretary."), action, code="not_a_single_role")
    current = _active_memberships(unit, day)
    if current.filter(person=person, role=action.role).exists():
        _fail(
            _("%(person)s already holds this role in «%(unit)s».") % {"person": person.full_name, "unit": unit.name},
            action,
            code="already_holds_role",
        )
    # The previous holder of the role steps down and stays in the unit as a member (no action of the order
    # excludes them); the appointee's former role in the unit ends.
    holders = [m.person for m in current.filter(role=action.role).exclude(person=person).select_related("person")]
    _end_memberships(current.filter(Q(role=action.role) | Q(person=person)), day=day, order=order)
    for holder in holders:
        Membership.objects.create(unit=unit, person=holder, role=MemberRole.MEMBER, start=day, start_order=order)
    Membership.objects.create(unit=unit, person=person, role=action.role, start=day, start_order=order)


def _apply_include(action: Action, order: Order, day: datetime.date) -> None:
    unit = _require_active(action, action.unit, day)
    person = _require_person(action, allow_external=unit.kind == UnitKind.LAB)
    if _active_memberships(unit, day).filter(person=person).exists():
        _fail(
            _("%(person)s is already in «%(unit)s».") % {"person": person.full_name, "unit": unit.name},
            action,
            code="already_member",
        )
    Membership.objects.create(unit=unit, person=person, role=MemberRole.MEMBER, start=day, start_order=order)


def _apply_exclude(action: Action, order: Order, day: datetime.date) -> None:
    unit = _require_active(action, action.unit, day)
    person = _require_person(action, allow_external=True)
    current = _active_memberships(unit, day).filter(person=person)
    if not current.exists():
        _fail(
            _("%(person)s is not in «%(unit)s».") % {"person": person.full_name, "unit": unit.name},
            action,
            code="not_a_member",
        )
    _end_memberships(current, day=day, order=order)


def _apply_rename(action: Action, order: Order, day: datetime.date) -> None:
    unit = _require_active(action, action.unit, day)
    new_name = action.new_name.strip()
    if not new_name:
        _fail(_("enter the new name."), action, code="no_new_name")
    if new_name == unit.name:
        _fail(_("the new name is the same as the current one."), action, code="same_name")
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
        _fail(_("choose the order to cancel."), action, code="no_order_to_cancel")
    target.refresh_from_db()
    if target.pk == order.pk:
        _fail(_("an order cannot cancel itself."), action, code="cancels_itself")
    if target.status != OrderStatus.SIGNED:
        _fail(_("only a signed order in force can be cancelled."), action, code="order_not_in_force")
    if target.date and target.date > day:
        _fail(_("the order to cancel is dated later than this one."), action, code="order_dated_later")
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


def run_order(order: Order, day: datetime.date, *, complete: bool = True) -> None:
    """Apply the whole order to the structure of `day`: refuse contradictions, apply every action in order, check
    the invariants on the result. `complete=False` while drafting: checks that need the finished order wait."""
    actions = _order_actions(order)
    check_actions(actions)
    before = snapshot(day)
    run = Run(
        order=order,
        day=day,
        actions=actions,
        complete=complete,
        before=before,
        expected=expected_after(before, actions, order),
    )
    for action in actions:
        _APPLY[action.kind](action, order, day)
    run.after = snapshot(day)
    check_invariants(run)


class _DryRun(Exception):
    pass


def validate_order_actions(*, order: Order, day: datetime.date | None = None, complete: bool = True) -> None:
    """Run the whole order against the structure of `day` and roll back; raises ValidationError on the first
    refusal. `complete=False` while an action is being added (the order may still lack the rest)."""
    day = day or timezone.localdate()
    try:
        with transaction.atomic():
            run_order(order, day, complete=complete)
            raise _DryRun
    except _DryRun:
        pass
