"""Drafting an order: its header and approvers, its clauses and their structural actions (each addition is
validated by a dry run of the engine)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from ..models import (
    EDITABLE_STATUSES,
    Action,
    ActionKind,
    Approval,
    Clause,
    MemberRole,
    Order,
    OrderStatus,
    Person,
    SystemRole,
    Unit,
)
from .engine import _order_actions, validate_order_actions


def _require_editable(order: Order) -> None:
    if order.status not in EDITABLE_STATUSES:
        raise ValidationError(_("A signed or sent order cannot be edited."), code="order_not_editable")


def _lock_editable(order_id: int) -> Order:
    """Lock the order's row, as sending, visas and signing do, and check under the lock that it may still be
    edited: a draft open in another tab can't gain a clause after the order was sent."""
    order = Order.objects.select_for_update().get(pk=order_id)
    _require_editable(order)
    return order


def _locked_clause(clause: Clause) -> Clause:
    order = _lock_editable(clause.order_id)
    locked = Clause.objects.filter(pk=clause.pk, order=order).select_related("order").first()
    if locked is None:
        raise ValidationError(_("The clause has been deleted meanwhile."), code="clause_gone")
    return locked


def _check_title(title: str) -> str:
    title = " ".join(title.split())
    first = title.split(" ", 1)[0] if title else ""
    if first not in {"О", "Об", "Обо"}:
        raise ValidationError(
            {
                "title": ValidationError(
                    _("The title of an order starts with «О» or «Об», e.g. «О создании творческой группы»."),
                    code="title_start",
                )
            }
        )
    return title


def _set_approvers(order: Order, approvers: Iterable[Person]) -> None:
    approvers = list(approvers)
    for person in approvers:
        if person.is_external:
            refusal = ValidationError(_("An approver must be a staff member."), code="external_approver")
        elif person.pk == order.author_id:
            refusal = ValidationError(_("The author of the order does not give a visa to it."), code="own_visa")
        elif person.position is not None and person.position.system_role == SystemRole.DIRECTOR:
            refusal = ValidationError(
                _("The director signs the order; a visa is given by others."), code="director_visa"
            )
        else:
            continue
        raise ValidationError({"approvers": refusal})
    order.approvals.exclude(person__in=approvers).delete()
    existing = set(order.approvals.values_list("person_id", flat=True))
    bulk_create_with_history([Approval(order=order, person=p) for p in approvers if p.pk not in existing], Approval)


@transaction.atomic
def order_create(
    *,
    author: Person,
    title: str,
    preamble: str,
    control_text: str = "",
    approvers: Iterable[Person] = (),
) -> Order:
    order = Order(author=author, title=_check_title(title), preamble=preamble.strip())
    if control_text:
        order.control_text = control_text
    order.full_clean()
    order.save()
    _set_approvers(order, approvers)
    return order


@transaction.atomic
def order_update(*, order: Order, title: str, preamble: str, control_text: str, approvers: Iterable[Person]) -> Order:
    order = _lock_editable(order.pk)
    order.title = _check_title(title)
    order.preamble = preamble.strip()
    order.control_text = control_text
    order.full_clean()
    order.save()
    _set_approvers(order, approvers)
    return order


@transaction.atomic
def order_delete(*, order: Order) -> None:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.DRAFT:
        raise ValidationError(_("Only a draft that was never sent can be deleted."), code="not_a_draft")
    units = [
        a.unit
        for a in _order_actions(order)
        if a.kind == ActionKind.CREATE_UNIT and a.unit and a.unit.proposed_by_id is None
    ]
    order.delete()
    for unit in units:
        if not unit.actions.exists():
            unit.delete()


def _clause_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"text": ValidationError(_("Enter the text of the clause."), code="empty_clause")})
    return text


def _renumber(order: Order) -> None:
    for index, clause in enumerate(order.clauses.order_by("position", "pk"), start=1):
        if clause.position != index:
            clause.position = index
            clause.save(update_fields=["position"])


@transaction.atomic
def clause_add(*, order: Order, text: str) -> Clause:
    order = _lock_editable(order.pk)
    text = _clause_text(text)
    last = order.clauses.aggregate(last=Max("position"))["last"] or 0
    return Clause.objects.create(order=order, position=last + 1, text=text)


@transaction.atomic
def clause_update(*, clause: Clause, text: str) -> Clause:
    clause = _locked_clause(clause)
    text = _clause_text(text)
    clause.text = text
    clause.save(update_fields=["text"])
    return clause


@transaction.atomic
def clause_delete(*, clause: Clause) -> None:
    clause = _locked_clause(clause)
    order = clause.order
    for action in list(clause.actions.all()):
        action_delete(action=action)
    clause.delete()
    _renumber(order)


@transaction.atomic
def action_add(
    *,
    clause: Clause,
    kind: str,
    unit: Unit | None = None,
    person: Person | None = None,
    role: str = "",
    new_name: str = "",
    target_order: Order | None = None,
    unit_kind: str = "",
    unit_name: str = "",
    unit_purpose: str = "",
    day: datetime.date | None = None,
) -> Action:
    """Add a structural action to a draft clause; the whole order is then validated against today's structure (the
    checks that need the finished order, such as a new creative group's head, wait for sending)."""
    clause = _locked_clause(clause)
    order = clause.order
    if kind == ActionKind.CREATE_UNIT and unit is None:
        unit_name = " ".join(unit_name.split())
        if not unit_kind or not unit_name:
            raise ValidationError(_("Enter the kind and the name of the new unit."), code="new_unit_incomplete")
        unit = Unit.objects.create(kind=unit_kind, name=unit_name, purpose=unit_purpose.strip())
    if kind == ActionKind.INCLUDE:
        role = MemberRole.MEMBER
    last = clause.actions.aggregate(last=Max("position"))["last"] or 0
    action = Action.objects.create(
        clause=clause,
        position=last + 1,
        kind=kind,
        unit=unit,
        person=person,
        role=role,
        new_name=new_name.strip(),
        target_order=target_order,
    )
    validate_order_actions(order=order, day=day, complete=False)
    return action


@transaction.atomic
def action_delete(*, action: Action) -> None:
    order = _lock_editable(action.clause.order_id)
    found = Action.objects.filter(pk=action.pk, clause__order=order).select_related("unit").first()
    if found is None:
        return  # deleted meanwhile: nothing left to do
    action = found
    unit = action.unit if action.kind == ActionKind.CREATE_UNIT else None
    action.delete()
    if unit and unit.created_on is None and unit.proposed_by_id is None and not unit.actions.exists():
        unit.delete()
