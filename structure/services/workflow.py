"""An order's way after drafting: sending for visas, visas, return, signing (numbering, applying the actions,
freezing and hashing what is printed) and acknowledgement."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from metodservice.common.documents import clear_fixed_pdf, store_on_commit
from metodservice.common.models import NotificationKind
from metodservice.common.notifications import notify

from .. import signing
from ..models import Acknowledgement, Approval, ApprovalDecision, Order, OrderCounter, OrderStatus, Person, SystemRole
from ..selectors import current_director
from ..tasks import store_order_pdf
from ..wording import describe_action
from .drafting import _require_editable
from .engine import _order_actions, run_order, validate_order_actions


@transaction.atomic
def order_send(*, order: Order, day: datetime.date | None = None) -> Order:
    """Send a draft (or a reworked order) for visas, or straight to the director when nobody is to agree."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    _require_editable(order)
    if not order.clauses.exists():
        raise ValidationError(_("An order needs at least one clause."), code="no_clauses")
    validate_order_actions(order=order, day=day)
    director = current_director()
    if director is None:
        raise ValidationError(
            _("The college has no director in the staff list: nobody could sign the order."), code="no_director"
        )
    order.signer = director
    order.return_comment = ""
    order.sent_at = timezone.now()
    for approval in order.approvals.all():  # one by one, so each visa's history records the reset
        approval.decision, approval.comment, approval.decided_at = ApprovalDecision.PENDING, "", None
        approval.person_name = approval.person_position = ""
        approval.save()
    order.status = OrderStatus.ON_APPROVAL if order.approvals.exists() else OrderStatus.ON_SIGNING
    order.save()
    if order.status == OrderStatus.ON_SIGNING:
        _notify_signer(order)
    return order


def _notify_signer(order: Order) -> None:
    """The director: an order waits for the signature (once each time it is sent)."""
    notify(
        [order.signer.user_id] if order.signer else [],
        kind=NotificationKind.ORDER_TO_SIGN,
        text=_("The order «%(title)s» waits for your signature.") % {"title": order.title},
        url=order.get_absolute_url(),
        key=f"order:{order.pk}:sign:{order.sent_at.isoformat() if order.sent_at else ''}",
    )


def _freeze_approver(approval: Approval) -> None:
    """The approver's name and position as the visa was given: the signed order prints these."""
    person = approval.person
    approval.person_name = person.full_name
    approval.person_position = person.position.name if person.position else person.organisation


@transaction.atomic
def order_visa(*, order: Order, person: Person, agree: bool, comment: str = "") -> Order:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.ON_APPROVAL:
        raise ValidationError(_("The order is not on approval any more."), code="not_on_approval")
    approval = order.approvals.filter(person=person, decision=ApprovalDecision.PENDING).first()
    if approval is None:
        raise ValidationError(_("You have no visa pending on this order."), code="no_visa_pending")
    comment = comment.strip()
    if not agree and not comment:
        raise ValidationError(
            {"comment": ValidationError(_("Say what to fix when returning an order."), code="no_return_comment")}
        )
    approval.decision = ApprovalDecision.AGREED if agree else ApprovalDecision.RETURNED
    approval.comment = comment
    approval.decided_at = timezone.now()
    _freeze_approver(approval)
    approval.save()
    if not agree:
        order.status = OrderStatus.RETURNED
        order.return_comment = comment
    elif not order.approvals.exclude(decision=ApprovalDecision.AGREED).exists():
        order.status = OrderStatus.ON_SIGNING
    order.save()
    if order.status == OrderStatus.ON_SIGNING:
        _notify_signer(order)
    return order


@transaction.atomic
def order_return(*, order: Order, person: Person, comment: str) -> Order:
    """The director returns an order for rework instead of signing it."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.ON_SIGNING:
        raise ValidationError(_("The order is not waiting for signature."), code="not_on_signing")
    comment = comment.strip()
    if not comment:
        raise ValidationError(
            {"comment": ValidationError(_("Say what to fix when returning an order."), code="no_return_comment")}
        )
    order.status = OrderStatus.RETURNED
    order.return_comment = comment
    order.save()
    return order


def _next_number(series: str, year: int) -> int:
    counter, _created = OrderCounter.objects.select_for_update().get_or_create(series=series, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def order_sign(*, order: Order, person: Person, at: datetime.datetime | None = None) -> Order:
    """Sign: lock, re-validate and apply every action on the signing day, number, hash, list for acknowledgement."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.ON_SIGNING:
        raise ValidationError(_("The order is not waiting for signature."), code="not_on_signing")
    if person.position is None or person.position.system_role != SystemRole.DIRECTOR:
        raise ValidationError(_("Only the director signs orders."), code="not_the_director")
    at = at or timezone.now()
    day = timezone.localdate(at)
    # Freeze the wording before the actions change the units it names (a rename would read «B» → «B» after).
    for action in _order_actions(order):
        action.text = describe_action(action)
        action.save(update_fields=["text"])
    run_order(order, day)
    order.year = day.year
    order.number = _next_number(order.series, day.year)
    order.date = day
    order.signer = person
    # Everything the signed order prints is frozen now: it never reads a live name again.
    order.signer_name = person.full_name
    order.signer_position = person.position.name
    order.executor_name, order.executor_contact = signing.executor_of(order.author)
    order.organisation = settings.COLLEGE_NAME
    order.signed_at = at
    order.status = OrderStatus.SIGNED
    for approval in order.approvals.select_related("person__position").filter(person_name=""):
        _freeze_approver(approval)
        approval.save(update_fields=["person_name", "person_position"])
    order.content_hash = signing.order_hash(order)
    order.save()
    # The PDF is rendered once by a worker and stored; an order this one cancels prints the mark from now on.
    store_on_commit(store_order_pdf, order.pk)
    for cancelled in Order.objects.filter(cancelled_by=order):
        clear_fixed_pdf(cancelled)
        store_on_commit(store_order_pdf, cancelled.pk)
    named = Person.objects.filter(pk__in={a.person_id for a in _order_actions(order) if a.person_id})
    bulk_create_with_history(
        [
            Acknowledgement(
                order=order, person=person, person_name=person.full_name, person_gender=person.grammatical_gender
            )
            for person in sorted(named, key=lambda p: p.pk)
        ],
        Acknowledgement,
    )
    notify(
        [person.user_id for person in named],
        kind=NotificationKind.ORDER_TO_ACKNOWLEDGE,
        text=_("Order No. %(number)s «%(title)s» names you: acknowledge it.")
        % {"number": order.number, "title": order.title},
        url=order.get_absolute_url(),
        key=f"order:{order.pk}:acknowledge",
    )
    return order


@transaction.atomic
def order_acknowledge(*, order: Order, person: Person) -> Acknowledgement:
    ack = Acknowledgement.objects.select_for_update().filter(order=order, person=person).first()
    if ack is None:
        raise ValidationError(
            _("You are not on the acknowledgement list of this order."), code="not_on_acknowledgement_list"
        )
    if ack.acknowledged_at is None:
        ack.acknowledged_at = timezone.now()
        ack.save(update_fields=["acknowledged_at"])
        # The лист ознакомления prints the date: the stored PDF is rendered again.
        clear_fixed_pdf(order)
        store_on_commit(store_order_pdf, order.pk)
    return ack
