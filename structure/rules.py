"""Who may do what in structure/. Predicates read the user's derived roles (selectors.roles_of)."""

import rules

from .models import EDITABLE_STATUSES, ApprovalDecision, JoinRequestStatus, OrderStatus, Position, SystemRole, UnitKind
from .selectors import Roles, named_in_orders, roles_of


@rules.predicate
def is_admin(user) -> bool:
    return roles_of(user).is_admin


@rules.predicate
def is_staff_member(user) -> bool:
    return roles_of(user).is_staff_member


@rules.predicate
def is_director(user) -> bool:
    return roles_of(user).is_director


@rules.predicate
def is_deputy(user) -> bool:
    return roles_of(user).is_deputy


@rules.predicate
def is_methodist(user) -> bool:
    return roles_of(user).is_methodist


@rules.predicate
def has_person(user) -> bool:
    return roles_of(user).person is not None


is_drafter = is_deputy | is_methodist
is_management = is_director | is_deputy | is_methodist


# ---------------------------------------------------------------- orders


@rules.predicate
def is_order_author(user, order) -> bool:
    person = roles_of(user).person
    return person is not None and order.author_id == person.pk


@rules.predicate
def order_is_editable(user, order) -> bool:
    return order.status in EDITABLE_STATUSES


@rules.predicate
def order_is_draft(user, order) -> bool:
    return order.status == OrderStatus.DRAFT


@rules.predicate
def order_is_signed(user, order) -> bool:
    return order.status in {OrderStatus.SIGNED, OrderStatus.CANCELLED}


def _prefetched(order, name: str) -> list | None:
    """The order's `name` rows when the page loaded them (selectors.order_detail), else None: a rule then reads them
    instead of asking the database again."""
    cache = getattr(order, "_prefetched_objects_cache", {})
    return list(cache[name]) if name in cache else None


@rules.predicate
def has_pending_visa(user, order) -> bool:
    person = roles_of(user).person
    if person is None or order.status != OrderStatus.ON_APPROVAL:
        return False
    approvals = _prefetched(order, "approvals")
    if approvals is not None:
        return any(a.person_id == person.pk and a.decision == ApprovalDecision.PENDING for a in approvals)
    return order.approvals.filter(person=person, decision=ApprovalDecision.PENDING).exists()


@rules.predicate
def order_on_signing(user, order) -> bool:
    return order.status == OrderStatus.ON_SIGNING


@rules.predicate
def has_pending_acknowledgement(user, order) -> bool:
    person = roles_of(user).person
    if person is None:
        return False
    acknowledgements = _prefetched(order, "acknowledgements")
    if acknowledgements is not None:
        return any(a.person_id == person.pk and a.acknowledged_at is None for a in acknowledgements)
    return order.acknowledgements.filter(person=person, acknowledged_at__isnull=True).exists()


@rules.predicate
def is_named_in_order(user, order) -> bool:
    """The user is named in the order: in one of its actions or on its лист ознакомления."""
    person = roles_of(user).person
    if person is None:
        return False
    acknowledgements, clauses = _prefetched(order, "acknowledgements"), _prefetched(order, "clauses")
    if acknowledgements is not None and clauses is not None:
        if any(a.person_id == person.pk for a in acknowledgements):
            return True
        actions = [_prefetched(clause, "actions") for clause in clauses]
        if all(rows is not None for rows in actions):
            return any(action.person_id == person.pk for rows in actions for action in rows or ())
    return named_in_orders(person).filter(pk=order.pk).exists()


@rules.predicate
def may_open_order(user, order) -> bool:
    """selectors.orders_visible_to for one order, for the pages that link to an order: a link is shown only where
    the order opens. Asks the database only for an external researcher or an order not yet signed."""
    roles = roles_of(user)
    if roles.is_admin or roles.is_director or roles.is_deputy or roles.is_methodist:
        return True
    person = roles.person
    if person is None or order is None:
        return False
    signed = order.status in {OrderStatus.SIGNED, OrderStatus.CANCELLED}
    if person.is_external:
        return signed and named_in_orders(person).filter(pk=order.pk).exists()
    if signed or order.author_id == person.pk:
        return True
    approvals = _prefetched(order, "approvals")
    if approvals is not None:
        return any(a.person_id == person.pk for a in approvals)
    return order.approvals.filter(person=person).exists()


rules.add_perm("structure.view_order", may_open_order)
rules.add_perm("structure.add_order", is_drafter)
rules.add_perm("structure.change_order", is_drafter & order_is_editable)
rules.add_perm("structure.delete_order", is_drafter & order_is_draft)
rules.add_perm("structure.send_order", is_drafter & order_is_editable)
rules.add_perm("structure.visa_order", has_pending_visa)
rules.add_perm("structure.sign_order", is_director & order_on_signing)
rules.add_perm("structure.return_order", is_director & order_on_signing)
rules.add_perm("structure.acknowledge_order", has_pending_acknowledgement)
# Management prints any order; a person named in a signed order prints that order (their copy of what names them).
rules.add_perm("structure.pdf_order", is_management | (order_is_signed & is_named_in_order))
rules.add_perm("structure.list_orders", is_admin | has_person)

# ---------------------------------------------------------------- people and structure

rules.add_perm("structure.view_structure", is_admin | is_staff_member)
rules.add_perm("structure.list_people", is_admin | is_staff_member)
# The director edits people too: the deputy's and the methodist's positions are the director's to grant.
rules.add_perm("structure.add_person", is_admin | is_drafter | is_director)
rules.add_perm("structure.import_people", is_admin | is_drafter)


@rules.predicate
def is_self(user, person) -> bool:
    me = roles_of(user).person
    return me is not None and person is not None and me.pk == person.pk


@rules.predicate
def shares_unit(user, unit) -> bool:
    return unit is not None and unit.pk in roles_of(user).units


rules.add_perm("structure.view_person", is_admin | is_staff_member | is_self)
rules.add_perm("structure.change_person", is_admin | is_drafter | is_director)

# ---------------------------------------------------------------- personal data: the date of birth, absences


def sees_personal_data_of(roles: Roles, person=None) -> bool:
    """The date of birth and the absence periods (pregnancy, leave, sick leave: personal data, 152-ФЗ) are for the
    person themself and for those who keep the record and the attestation schedule: the director, the deputy and
    the methodist. Not for colleagues, association heads included, nor for the administrator of accounts. `person`
    None: a person not yet saved (the form of a new person)."""
    if roles.is_director or roles.is_deputy or roles.is_methodist:
        return True
    return person is not None and roles.person is not None and roles.person.pk == person.pk


@rules.predicate
def sees_personal_data(user, person) -> bool:
    return person is not None and sees_personal_data_of(roles_of(user), person)


@rules.predicate
def is_staff_person(user, person) -> bool:
    return person is not None and not person.is_external


rules.add_perm("structure.view_personal_data", sees_personal_data)
# The deputy and the methodist keep the absence periods of staff; never their own (an absence exempts from
# attestation, so nobody records their own exemption).
rules.add_perm("structure.manage_absences", is_drafter & is_staff_person & ~is_self)
rules.add_perm("structure.view_unit", is_admin | is_staff_member | shares_unit)

# ---------------------------------------------------------------- creative groups


@rules.predicate
def is_group_proposer(user, unit) -> bool:
    person = roles_of(user).person
    return person is not None and unit is not None and unit.proposed_by_id == person.pk


@rules.predicate
def group_is_open(user, unit) -> bool:
    return unit is not None and unit.kind == UnitKind.CREATIVE_GROUP and unit.dissolved_on is None


@rules.predicate
def group_is_proposed(user, unit) -> bool:
    return (
        unit is not None
        and unit.kind == UnitKind.CREATIVE_GROUP
        and unit.created_on is None
        and unit.dissolved_on is None
    )


@rules.predicate
def is_unit_member(user, unit) -> bool:
    return unit is not None and unit.pk in roles_of(user).units


@rules.predicate
def decides_join_request(user, request) -> bool:
    """The group's head of the day decides (the proposer while the group is not registered), never on their own
    request; as selectors.join_request_decider, from the roles already read."""
    roles = roles_of(user)
    person = roles.person
    unit = request.unit
    return (
        person is not None
        and request.status == JoinRequestStatus.PENDING
        and request.person_id != person.pk
        and unit.dissolved_on is None
        and (roles.heads(unit.pk) or (unit.created_on is None and unit.proposed_by_id == person.pk))
    )


rules.add_perm("structure.propose_group", is_staff_member)
rules.add_perm(
    "structure.join_group",
    is_staff_member & group_is_open & ~is_unit_member & ~(is_group_proposer & group_is_proposed),
)
rules.add_perm("structure.decide_join_request", decides_join_request)
rules.add_perm("structure.register_group", is_drafter & group_is_proposed)


# ---------------------------------------------------------------- positions (powers follow from them)


#: A position's rank among those with powers; a position is granted or removed only by someone not below it.
POSITION_RANK: dict[str | None, int] = {SystemRole.DIRECTOR: 3, SystemRole.DEPUTY: 2, SystemRole.METHODIST: 1}


def may_grant_position(by: Roles, position: Position | None) -> bool:
    """Whether `by` may give or take away `position`. Powers follow from positions, so nobody grants one from
    below it: the director's position is the administrator's alone; the deputy's, the administrator's, the
    director's or a deputy's; the methodist's, also a methodist's; an ordinary position, anyone who edits people."""
    if by.is_admin:
        return True
    rank = POSITION_RANK.get(position.system_role, 0) if position is not None else 0
    mine = POSITION_RANK.get(by.system, 0)
    return mine > 0 and rank < POSITION_RANK[SystemRole.DIRECTOR] and mine >= rank


def grantable_positions(by: Roles):
    """The positions `by` may set, for the person form's choices."""
    allowed = [role for role in SystemRole.values if may_grant_position(by, Position(system_role=role))]
    return Position.objects.filter(system_role__in=allowed)
