"""Every write that changes orders, the structure and creative groups.

The structural actions of an order are applied by one engine, `_apply_actions`. Drafting validates an order by
running that engine inside a savepoint that is always rolled back (a dry run on today's structure); signing runs it
for real under a row lock. So what is refused at drafting is refused again at signing by the same code.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from . import signing
from .models import (
    EDITABLE_STATUSES,
    SINGLE_KINDS,
    SINGLE_ROLES,
    Acknowledgement,
    Action,
    ActionKind,
    Approval,
    ApprovalDecision,
    Clause,
    JoinRequest,
    JoinRequestStatus,
    MemberRole,
    Membership,
    Order,
    OrderCounter,
    OrderStatus,
    Person,
    Position,
    SystemRole,
    Unit,
    UnitKind,
    UnitName,
)
from .rules import POSITION_RANK, may_grant_position
from .selectors import Roles, current_director
from .wording import describe_action

# ---------------------------------------------------------------- the engine


def _fail(message: str, action: Action | None = None) -> None:
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


_APPLY = {
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


# ---------------------------------------------------------------- drafting


def _require_editable(order: Order) -> None:
    if order.status not in EDITABLE_STATUSES:
        raise ValidationError(_("A signed or sent order cannot be edited."))


def _check_title(title: str) -> str:
    title = " ".join(title.split())
    first = title.split(" ", 1)[0] if title else ""
    if first not in {"О", "Об", "Обо"}:
        raise ValidationError(
            {"title": _("The title of an order starts with «О» or «Об», e.g. «О создании творческой группы».")}
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
    order = Order.objects.select_for_update().get(pk=order.pk)
    _require_editable(order)
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
        raise ValidationError(_("Only a draft that was never sent can be deleted."))
    units = [
        a.unit
        for a in _order_actions(order)
        if a.kind == ActionKind.CREATE_UNIT and a.unit and a.unit.proposed_by_id is None
    ]
    order.delete()
    for unit in units:
        if not unit.actions.exists():
            unit.delete()


def _renumber(order: Order) -> None:
    for index, clause in enumerate(order.clauses.order_by("position", "pk"), start=1):
        if clause.position != index:
            clause.position = index
            clause.save(update_fields=["position"])


@transaction.atomic
def clause_add(*, order: Order, text: str) -> Clause:
    _require_editable(order)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Enter the text of the clause.")})
    last = order.clauses.aggregate(last=Max("position"))["last"] or 0
    return Clause.objects.create(order=order, position=last + 1, text=text)


@transaction.atomic
def clause_update(*, clause: Clause, text: str) -> Clause:
    _require_editable(clause.order)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Enter the text of the clause.")})
    clause.text = text
    clause.save(update_fields=["text"])
    return clause


@transaction.atomic
def clause_delete(*, clause: Clause) -> None:
    order = clause.order
    _require_editable(order)
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
    """Add a structural action to a draft clause; the whole order is then validated against today's structure."""
    order = clause.order
    _require_editable(order)
    if kind == ActionKind.CREATE_UNIT and unit is None:
        unit_name = " ".join(unit_name.split())
        if not unit_kind or not unit_name:
            raise ValidationError(_("Enter the kind and the name of the new unit."))
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
    validate_order_actions(order=order, day=day)
    return action


@transaction.atomic
def action_delete(*, action: Action) -> None:
    _require_editable(action.clause.order)
    unit = action.unit if action.kind == ActionKind.CREATE_UNIT else None
    action.delete()
    if unit and unit.created_on is None and unit.proposed_by_id is None and not unit.actions.exists():
        unit.delete()


# ---------------------------------------------------------------- approval and signing


@transaction.atomic
def order_send(*, order: Order, day: datetime.date | None = None) -> Order:
    """Send a draft (or a reworked order) for visas, or straight to the director when nobody is to agree."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    _require_editable(order)
    if not order.clauses.exists():
        raise ValidationError(_("An order needs at least one clause."))
    validate_order_actions(order=order, day=day)
    director = current_director()
    if director is None:
        raise ValidationError(_("The college has no director in the staff list: nobody could sign the order."))
    order.signer = director
    order.return_comment = ""
    order.sent_at = timezone.now()
    for approval in order.approvals.all():  # one by one, so each visa's history records the reset
        approval.decision, approval.comment, approval.decided_at = ApprovalDecision.PENDING, "", None
        approval.person_name = approval.person_position = ""
        approval.save()
    order.status = OrderStatus.ON_APPROVAL if order.approvals.exists() else OrderStatus.ON_SIGNING
    order.save()
    return order


def _freeze_approver(approval: Approval) -> None:
    """The approver's name and position as the visa was given: the signed order prints these."""
    person = approval.person
    approval.person_name = person.full_name
    approval.person_position = person.position.name if person.position else person.organisation


@transaction.atomic
def order_visa(*, order: Order, person: Person, agree: bool, comment: str = "") -> Order:
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.ON_APPROVAL:
        raise ValidationError(_("The order is not on approval any more."))
    approval = order.approvals.filter(person=person, decision=ApprovalDecision.PENDING).first()
    if approval is None:
        raise ValidationError(_("You have no visa pending on this order."))
    comment = comment.strip()
    if not agree and not comment:
        raise ValidationError({"comment": _("Say what to fix when returning an order.")})
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
    return order


@transaction.atomic
def order_return(*, order: Order, person: Person, comment: str) -> Order:
    """The director returns an order for rework instead of signing it."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.ON_SIGNING:
        raise ValidationError(_("The order is not waiting for signature."))
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what to fix when returning an order.")})
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
        raise ValidationError(_("The order is not waiting for signature."))
    if person.position is None or person.position.system_role != SystemRole.DIRECTOR:
        raise ValidationError(_("Only the director signs orders."))
    at = at or timezone.now()
    day = timezone.localdate(at)
    # Freeze the wording before the actions change the units it names (a rename would read «B» → «B» after).
    for action in _order_actions(order):
        action.text = describe_action(action)
        action.save(update_fields=["text"])
    _apply_actions(order, day)
    order.year = day.year
    order.number = _next_number(order.series, day.year)
    order.date = day
    order.signer = person
    # Everything the signed order prints is frozen now: it never reads a live name again.
    order.signer_name = person.full_name
    order.signer_position = person.position.name
    order.organisation = settings.COLLEGE_NAME
    order.signed_at = at
    order.status = OrderStatus.SIGNED
    for approval in order.approvals.select_related("person__position").filter(person_name=""):
        _freeze_approver(approval)
        approval.save(update_fields=["person_name", "person_position"])
    order.content_hash = signing.order_hash(order)
    order.save()
    named = Person.objects.filter(pk__in={a.person_id for a in _order_actions(order) if a.person_id})
    bulk_create_with_history(
        [
            Acknowledgement(order=order, person=person, person_name=person.full_name)
            for person in sorted(named, key=lambda p: p.pk)
        ],
        Acknowledgement,
    )
    return order


@transaction.atomic
def order_acknowledge(*, order: Order, person: Person) -> Acknowledgement:
    ack = Acknowledgement.objects.select_for_update().filter(order=order, person=person).first()
    if ack is None:
        raise ValidationError(_("You are not on the acknowledgement list of this order."))
    if ack.acknowledged_at is None:
        ack.acknowledged_at = timezone.now()
        ack.save(update_fields=["acknowledged_at"])
    return ack


# ---------------------------------------------------------------- people and positions

#: The fields of a person that an ordinary edit may set; `user` (the account) is the administrator's.
PERSON_FIELDS = (
    "last_name",
    "first_name",
    "patronymic",
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
    "email",
)


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
        if POSITION_RANK.get(position.system_role if position else None, 0) == 0:
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
    for name, value in fields.items():
        setattr(person, name, value)
    if by.person is not None and by.person.user_id:
        person._history_user = by.person.user  # outside a request (the demo, scripts) history still names who
    # Only what this call sets is validated: an old record's odd e-mail does not block a change of position.
    person.full_clean(exclude=[name for name in PERSON_FIELDS if name not in fields] if person.pk else None)
    person.save()
    return person


# ---------------------------------------------------------------- creative groups


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
