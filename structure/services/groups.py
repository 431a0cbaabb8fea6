"""Creative groups: proposing one, asking to join, deciding the requests, drafting the registering order."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Action,
    ActionKind,
    JoinRequest,
    JoinRequestStatus,
    MemberRole,
    Order,
    OrderStatus,
    Person,
    Unit,
    UnitKind,
)
from .drafting import action_add, clause_add, order_create
from .engine import _active_memberships


@transaction.atomic
def group_propose(*, person: Person, name: str, purpose: str, goal: str = "") -> Unit:
    if person.is_external:
        raise ValidationError(_("Only staff members propose creative groups."))
    name = " ".join(name.split())
    if not name or not purpose.strip():
        raise ValidationError(_("Enter the name of the group and the problem it will work on."))
    if Unit.objects.filter(kind=UnitKind.CREATIVE_GROUP, name__iexact=name, dissolved_on__isnull=True).exists():
        raise ValidationError({"name": _("A creative group with this name already exists.")})
    return Unit.objects.create(
        kind=UnitKind.CREATIVE_GROUP, name=name, purpose=purpose.strip(), goal=goal.strip(), proposed_by=person
    )


@transaction.atomic
def group_join_request(*, unit: Unit, person: Person, message: str = "") -> JoinRequest:
    if unit.kind != UnitKind.CREATIVE_GROUP or unit.dissolved_on:
        raise ValidationError(_("One can ask to join only an open creative group."))
    if person.is_external:
        raise ValidationError(_("Only staff members join creative groups."))
    if unit.proposed_by_id == person.pk:
        raise ValidationError(_("You lead this group."))
    if _active_memberships(unit, timezone.localdate()).filter(person=person).exists():
        raise ValidationError(_("You are already in this group."))
    if JoinRequest.objects.filter(unit=unit, person=person).exists():
        raise ValidationError(_("You have already asked to join this group."))
    return JoinRequest.objects.create(unit=unit, person=person, message=message.strip())


@transaction.atomic
def join_request_decide(*, request: JoinRequest, accept: bool) -> JoinRequest:
    request = JoinRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != JoinRequestStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    request.status = JoinRequestStatus.ACCEPTED if accept else JoinRequestStatus.DECLINED
    request.decided_at = timezone.now()
    request.save()
    return request


@transaction.atomic
def group_registration_order(*, unit: Unit, author: Person) -> Order:
    """Draft the order that registers a proposed creative group: create it, appoint the leader, include those accepted."""
    if unit.kind != UnitKind.CREATIVE_GROUP or unit.created_on or unit.dissolved_on:
        raise ValidationError(_("Only a proposed creative group can be registered."))
    if Action.objects.filter(
        unit=unit,
        kind=ActionKind.CREATE_UNIT,
        clause__order__status__in=[
            OrderStatus.DRAFT,
            OrderStatus.ON_APPROVAL,
            OrderStatus.ON_SIGNING,
            OrderStatus.RETURNED,
        ],
    ).exists():
        raise ValidationError(_("An order registering this group is already being drafted."))
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
