"""Creative groups: proposing one, asking to join, deciding the requests, drafting the orders that register the group
and include the members accepted.

Who decides a request: the group's head of the day (its HEAD membership active today); while the group is only
proposed it has no head, and its proposer decides (selectors.join_request_decider). Nobody decides their own request.

What accepting does: the structure changes only by the director's order, so accepting drafts that order.
- A registered group: the member is included by an order «О включении в состав творческой группы …», drafted in the
  name of a drafter (selectors.order_drafter_for: the head themself if they draft orders, else the deputy for
  methodical work, else a methodist), who checks it and sends it to the director. Requests accepted while that draft
  is still editable are added to it, one include each, rather than to a new order.
- A proposed group: the member is included in the order registering the group. If that order is being drafted, the
  include is added to it at once; if it was already sent, the request waits until it is signed (refused with
  `registration_sent`); if none exists yet, group_registration_order includes every accepted request.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    EDITABLE_STATUSES,
    Action,
    ActionKind,
    Clause,
    JoinRequest,
    JoinRequestStatus,
    MemberRole,
    Membership,
    Order,
    OrderStatus,
    Person,
    Unit,
    UnitKind,
)
from ..selectors import join_request_decider, order_drafter_for
from .drafting import action_add, clause_add, order_create

#: Orders still on their way to the director's signature.
IN_PROGRESS = [OrderStatus.DRAFT, OrderStatus.ON_APPROVAL, OrderStatus.ON_SIGNING, OrderStatus.RETURNED]


@transaction.atomic
def group_propose(*, person: Person, name: str, purpose: str, goal: str = "") -> Unit:
    if person.is_external:
        raise ValidationError(_("Only staff members propose creative groups."), code="external")
    name = " ".join(name.split())
    if not name or not purpose.strip():
        raise ValidationError(_("Enter the name of the group and the problem it will work on."), code="required")
    if Unit.objects.filter(kind=UnitKind.CREATIVE_GROUP, name__iexact=name, dissolved_on__isnull=True).exists():
        raise ValidationError(
            {"name": ValidationError(_("A creative group with this name already exists."), code="duplicate_name")}
        )
    return Unit.objects.create(
        kind=UnitKind.CREATIVE_GROUP, name=name, purpose=purpose.strip(), goal=goal.strip(), proposed_by=person
    )


def _is_member(unit: Unit, person: Person) -> bool:
    return Membership.objects.active_on(timezone.localdate()).filter(unit=unit, person=person).exists()


@transaction.atomic
def group_join_request(*, unit: Unit, person: Person, message: str = "") -> JoinRequest:
    if unit.kind != UnitKind.CREATIVE_GROUP or unit.dissolved_on:
        raise ValidationError(_("One can ask to join only an open creative group."), code="group_closed")
    if person.is_external:
        raise ValidationError(_("Only staff members join creative groups."), code="external")
    if unit.created_on is None and unit.proposed_by_id == person.pk:
        raise ValidationError(_("You lead this group."), code="own_group")
    if _is_member(unit, person):
        raise ValidationError(_("You are already in this group."), code="already_member")
    if JoinRequest.objects.filter(unit=unit, person=person).exists():
        raise ValidationError(_("You have already asked to join this group."), code="already_requested")
    return JoinRequest.objects.create(unit=unit, person=person, message=message.strip())


class JoinOutcome(StrEnum):
    DECLINED = "declined"
    #: A registered group: an order including the member was drafted (or the member added to such a draft).
    ORDER_DRAFTED = "order_drafted"
    #: A proposed group: the member was added to the draft of the order registering it.
    ADDED_TO_REGISTRATION = "added_to_registration"
    #: A proposed group with no registration order yet: it will include the member when drafted.
    REGISTRATION_LATER = "registration_later"


@dataclass(frozen=True)
class JoinDecision:
    request: JoinRequest
    outcome: JoinOutcome
    #: The draft the member was put in (ORDER_DRAFTED, ADDED_TO_REGISTRATION).
    order: Order | None = None


def _inclusion_title(unit: Unit) -> str:
    return f"О включении в состав творческой группы «{unit.name}»"


def _include_in_registered_group(unit: Unit, person: Person, by: Person) -> Order:
    """Add the member to an editable draft that includes members in this group, else draft a new order."""
    title = _inclusion_title(unit)
    clause = (
        Clause.objects.filter(
            order__status__in=EDITABLE_STATUSES,
            order__title=title,
            actions__kind=ActionKind.INCLUDE,
            actions__unit=unit,
        )
        .select_related("order")
        .order_by("order__created_at", "position")
        .first()
    )
    if clause is None:
        author = order_drafter_for(by)
        if author is None:
            raise ValidationError(
                _("Nobody drafts orders in the college (no deputy for methodical work or methodist has an account)."),
                code="no_drafter",
            )
        order = order_create(
            author=author,
            title=title,
            preamble=(
                "В соответствии с Положением о методической службе техникума, на основании заявлений педагогических "
                "работников, одобренных руководителем творческой группы"
            ),
        )
        clause = clause_add(order=order, text=f"Включить в состав творческой группы «{unit.name}»:")
    action_add(clause=clause, kind=ActionKind.INCLUDE, unit=unit, person=person)
    return clause.order


def _include_in_registration(unit: Unit, person: Person) -> Order | None:
    """Add the member to the draft registering the group; None when no registration order exists yet."""
    creating = (
        Action.objects.filter(unit=unit, kind=ActionKind.CREATE_UNIT, clause__order__status__in=IN_PROGRESS)
        .select_related("clause", "clause__order")
        .first()
    )
    if creating is None:
        return None
    if creating.clause.order.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _(
                "The order registering this group has already been sent to the director. Decide this request once "
                "it is signed: accepting it then drafts the order that includes the member."
            ),
            code="registration_sent",
        )
    action_add(clause=creating.clause, kind=ActionKind.INCLUDE, unit=unit, person=person)
    return creating.clause.order


@transaction.atomic
def join_request_decide(*, request: JoinRequest, by: Person, accept: bool) -> JoinDecision:
    """Accept or decline a request to join a creative group; accepting drafts the order that includes the member."""
    request = JoinRequest.objects.select_for_update().get(pk=request.pk)
    unit = Unit.objects.select_related("proposed_by").get(pk=request.unit_id)
    if request.status != JoinRequestStatus.PENDING:
        raise ValidationError(_("This request has already been decided."), code="already_decided")
    if request.person_id == by.pk:
        raise ValidationError(_("Nobody decides their own request to join."), code="own_request")
    if unit.dissolved_on:
        raise ValidationError(_("The group has been dissolved."), code="group_closed")
    if join_request_decider(unit) != by:
        raise ValidationError(
            _("Only the head of the group decides the requests to join it (its proposer, until it is registered)."),
            code="not_group_head",
        )
    order: Order | None = None
    if not accept:
        outcome = JoinOutcome.DECLINED
    elif _is_member(unit, request.person):
        raise ValidationError(
            _("%(person)s is already in this group.") % {"person": request.person.full_name}, code="already_member"
        )
    elif unit.created_on is not None:
        order = _include_in_registered_group(unit, request.person, by)
        outcome = JoinOutcome.ORDER_DRAFTED
    else:
        order = _include_in_registration(unit, request.person)
        outcome = JoinOutcome.ADDED_TO_REGISTRATION if order else JoinOutcome.REGISTRATION_LATER
    request.status = JoinRequestStatus.ACCEPTED if accept else JoinRequestStatus.DECLINED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    return JoinDecision(request=request, outcome=outcome, order=order)


@transaction.atomic
def group_registration_order(*, unit: Unit, author: Person) -> Order:
    """Draft the order that registers a proposed creative group: create it, appoint the leader, include those accepted."""
    if unit.kind != UnitKind.CREATIVE_GROUP or unit.created_on or unit.dissolved_on:
        raise ValidationError(_("Only a proposed creative group can be registered."), code="not_proposed")
    if Action.objects.filter(unit=unit, kind=ActionKind.CREATE_UNIT, clause__order__status__in=IN_PROGRESS).exists():
        raise ValidationError(
            _("An order registering this group is already being drafted."), code="registration_in_progress"
        )
    order = order_create(
        author=author,
        title=f"О создании творческой группы «{unit.name}»",
        preamble=(
            "В соответствии с Положением о методической службе техникума, в целях развития педагогического "
            f"творчества и решения проблемы «{unit.purpose}»"
        ),
    )
    clause = clause_add(order=order, text=f"Создать творческую группу «{unit.name}» в следующем составе:")
    action_add(clause=clause, kind=ActionKind.CREATE_UNIT, unit=unit)
    if unit.proposed_by:
        action_add(clause=clause, kind=ActionKind.APPOINT, unit=unit, person=unit.proposed_by, role=MemberRole.HEAD)
    for request in unit.join_requests.filter(status=JoinRequestStatus.ACCEPTED).select_related("person"):
        action_add(clause=clause, kind=ActionKind.INCLUDE, unit=unit, person=request.person)
    return order
