"""Reads that cross relations: the structure on a date, a person's roles, lists with their joins applied."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, FilteredRelation, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import (
    ASSOCIATION_KINDS,
    Acknowledgement,
    Action,
    Approval,
    ApprovalDecision,
    JoinRequest,
    JoinRequestStatus,
    MemberRole,
    Membership,
    Order,
    OrderStatus,
    Person,
    SystemRole,
    Unit,
    UnitKind,
    UnitName,
)


@dataclass(frozen=True)
class Roles:
    """What a user is in the college today: a system role from the position, structural roles from memberships."""

    person: Person | None = None
    system: str | None = None
    is_admin: bool = False
    #: unit id -> (unit kind, member role) for every current membership
    units: dict[int, tuple[str, str]] = field(default_factory=dict)
    #: unit id -> the unit's name, for the same memberships (the dashboard's «my places in the service»)
    unit_names: dict[int, str] = field(default_factory=dict)

    def holds(self, kind: str | set, role: str) -> bool:
        kinds = kind if isinstance(kind, set) else {kind}
        return any(k in kinds and r == role for k, r in self.units.values())

    def heads(self, unit_id: int) -> bool:
        return self.units.get(unit_id, ("", ""))[1] == MemberRole.HEAD

    @property
    def is_staff_member(self) -> bool:
        return self.person is not None and not self.person.is_external

    @property
    def is_director(self) -> bool:
        return self.system == SystemRole.DIRECTOR

    @property
    def is_deputy(self) -> bool:
        return self.system == SystemRole.DEPUTY

    @property
    def is_methodist(self) -> bool:
        return self.system == SystemRole.METHODIST

    @property
    def is_council_chair(self) -> bool:
        return self.holds(UnitKind.COUNCIL, MemberRole.HEAD)

    @property
    def is_council_secretary(self) -> bool:
        return self.holds(UnitKind.COUNCIL, MemberRole.SECRETARY)

    @property
    def is_association_head(self) -> bool:
        return self.holds(set(ASSOCIATION_KINDS), MemberRole.HEAD)

    @property
    def is_group_lead(self) -> bool:
        return self.holds(UnitKind.CREATIVE_GROUP, MemberRole.HEAD)

    @property
    def is_lab_head(self) -> bool:
        return self.holds(UnitKind.LAB, MemberRole.HEAD)


ANONYMOUS_ROLES = Roles()


def headed_associations(roles: Roles) -> list[int]:
    """The subject associations the user heads today (from the roles already read: no query)."""
    return [uid for uid, (kind, role) in roles.units.items() if kind in ASSOCIATION_KINDS and role == MemberRole.HEAD]


def roles_of(user) -> Roles:
    """The user's roles today, computed once per request (cached on the user object): one query — the person and
    their position, joined to their memberships of today and those units (a row per membership, one with none)."""
    if not getattr(user, "is_authenticated", False):
        return ANONYMOUS_ROLES
    cached = getattr(user, "_metod_roles", None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    rows = list(
        Person.objects.select_related("position")
        .filter(user=user)
        .annotate(
            today=FilteredRelation(
                "memberships",
                condition=Q(memberships__start__lte=today)
                & (Q(memberships__end__isnull=True) | Q(memberships__end__gt=today)),
            ),
            m_unit=F("today__unit_id"),
            m_kind=F("today__unit__kind"),
            m_name=F("today__unit__name"),
            m_role=F("today__role"),
        )
        .order_by("pk", "today__unit_id")
    )
    person = rows[0] if rows else None
    units: dict[int, tuple[str, str]] = {}
    names: dict[int, str] = {}
    for row in rows:
        if row.m_unit is not None:
            units[row.m_unit] = (row.m_kind, row.m_role)
            names[row.m_unit] = row.m_name
    roles = Roles(
        person=person,
        system=person.position.system_role if person and person.position else None,
        is_admin=user.is_superuser,
        units=units,
        unit_names=names,
    )
    user._metod_roles = roles
    return roles


# ---------------------------------------------------------------- the structure on a date


def structure_on(day: datetime.date) -> list[Unit]:
    """Units in the structure on `day`, each with `members_on_day` (heads first) and `name_on_day`. Three queries.
    Every membership of the day: for a document or a test, not a page (the structure page lists units collapsed,
    structure_overview)."""
    units = list(
        Unit.objects.active_on(day)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.active_on(day)
                .select_related("person", "person__position", "start_order")
                .order_by("person__last_name", "person__first_name"),
                to_attr="members_on_day",
            ),
            Prefetch(
                "names",
                queryset=UnitName.objects.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gt=day)),
                to_attr="names_on_day",
            ),
        )
        .order_by("kind", "name")
    )
    for unit in units:
        unit.members_on_day.sort(key=lambda m: ROLE_ORDER.get(m.role, 9))
        unit.name_on_day = unit.names_on_day[-1].name if unit.names_on_day else unit.name
    return _in_structure_order(units)


#: Heads first, then the deputy, the secretary and the members (each group by name).
ROLE_ORDER = {MemberRole.HEAD: 0, MemberRole.DEPUTY: 1, MemberRole.SECRETARY: 2, MemberRole.MEMBER: 3}
#: The longest search the structure page reads (longer text is cut).
SEARCH_MAX_LENGTH = 100


def _in_structure_order(units: list[Unit]) -> list[Unit]:
    kind_order = {kind: index for index, kind in enumerate(UnitKind.values)}
    return sorted(units, key=lambda u: (kind_order.get(u.kind, 99), u.name_on_day))  # type: ignore[attr-defined]


def _name_on(day: datetime.date):
    """The unit's name on `day` (the latest name period that covers it), for an annotation of units."""
    return (
        UnitName.objects.filter(unit=OuterRef("pk"), start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gt=day))
        .order_by("-start", "-pk")
        .values("name")[:1]
    )


def structure_overview(day: datetime.date, *, search: str = "") -> list[Unit]:
    """The structure page: the units in the structure on `day`, collapsed — each with `name_on_day`,
    `members_count` (its memberships that day, counted by the database) and `heads_on_day` (its HEAD memberships that
    day, with the people); no other member is read. With `search`, only the units whose name that day holds it or
    that have a member that day whose surname holds it, those members as `matches`. Two queries, three with a
    search, whatever the number of memberships."""
    members = (
        Membership.objects.active_on(day)
        .filter(unit=OuterRef("pk"))
        .order_by()
        .values("unit")
        .annotate(count=Count("pk"))
        .values("count")
    )
    units = Unit.objects.active_on(day).annotate(
        name_on_day=Coalesce(Subquery(_name_on(day)), F("name")),
        members_count=Coalesce(Subquery(members), 0),
    )
    prefetch: list[Prefetch] = [
        Prefetch(
            "memberships",
            queryset=Membership.objects.active_on(day).filter(role=MemberRole.HEAD).select_related("person"),
            to_attr="heads_on_day",
        )
    ]
    if search:
        found = Membership.objects.active_on(day).filter(person__last_name__icontains=search)
        units = units.filter(Q(name_on_day__icontains=search) | Q(pk__in=found.values("unit_id")))
        prefetch.append(
            Prefetch(
                "memberships",
                queryset=found.select_related("person").order_by("person__last_name", "person__first_name", "pk"),
                to_attr="matches",
            )
        )
    return _in_structure_order(list(units.prefetch_related(*prefetch)))


def unit_members_on(unit: Unit, day: datetime.date) -> list[Membership]:
    """The members of one unit on `day`, heads first, with the people and the orders that included them. One query."""
    members = list(
        Membership.objects.active_on(day)
        .filter(unit=unit)
        .select_related("person", "start_order")
        .order_by("person__last_name", "person__first_name", "person__patronymic", "pk")
    )
    members.sort(key=lambda m: ROLE_ORDER.get(m.role, 9))
    return members


def unit_history(unit: Unit) -> QuerySet[Membership]:
    return unit.memberships.select_related("person", "start_order", "end_order").order_by("start", "pk")


def person_memberships(person: Person) -> QuerySet[Membership]:
    return person.memberships.select_related("unit", "start_order", "end_order").order_by("-start", "pk")


def people_list() -> QuerySet[Person]:
    return Person.objects.select_related("position", "user")


#: Which of a person's units a people picker names when they belong to several: their subject association first.
HOME_UNIT_ORDER = [
    UnitKind.ASSOCIATION_CYCLE,
    UnitKind.ASSOCIATION_EDUCATIONAL,
    UnitKind.SERVICE,
    UnitKind.LAB,
    UnitKind.CREATIVE_GROUP,
    UnitKind.COUNCIL,
    UnitKind.ATTESTATION_COMMISSION,
    UnitKind.PEDAGOGICAL_COUNCIL,
    UnitKind.OTHER,
]


def people_for_picker(people: QuerySet[Person], day: datetime.date | None = None) -> QuerySet[Person]:
    """`people` with what a picker's option shows of each: the position, and the memberships on `day` (default
    today) with their units as `current_memberships`. Two queries for any number of people."""
    day = day or timezone.localdate()
    return people.select_related("position").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.active_on(day).select_related("unit"),
            to_attr="current_memberships",
        )
    )


def home_unit(person: Person) -> Unit | None:
    """The unit a picker names for `person` (HOME_UNIT_ORDER, then by name); None outside every unit. Reads
    `current_memberships` of people_for_picker, or asks the database for today's."""
    memberships = getattr(person, "current_memberships", None)
    if memberships is None:
        memberships = list(
            Membership.objects.active_on(timezone.localdate()).filter(person=person).select_related("unit")
        )
    rank = {kind: index for index, kind in enumerate(HOME_UNIT_ORDER)}
    units = [membership.unit for membership in memberships]
    return min(units, key=lambda unit: (rank.get(unit.kind, len(rank)), unit.name, unit.pk), default=None)


def units_for_choice(day: datetime.date | None = None) -> QuerySet[Unit]:
    day = day or timezone.localdate()
    return Unit.objects.active_on(day).order_by("kind", "name")


# ---------------------------------------------------------------- orders


def _acknowledgements(**done) -> Coalesce:
    """How many of the order's (OuterRef) acknowledgements match `done`: a correlated subquery, computed for the
    rows fetched (a page) and left out of the page's count."""
    rows = Acknowledgement.objects.filter(order=OuterRef("pk"), **done).order_by().values("order")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


def orders_list() -> QuerySet[Order]:
    """Orders with acknowledgement counts: drafts in progress first, then signed ones, newest first. The counts are
    subqueries of the rows shown, so a page of the list counts its own orders' acknowledgements, not every order's."""
    return (
        Order.objects.select_related("author", "signer")
        .annotate(
            acknowledgements_total=_acknowledgements(),
            acknowledgements_done=_acknowledgements(acknowledged_at__isnull=False),
        )
        .order_by(F("year").desc(nulls_first=True), F("number").desc(nulls_first=True), "-created_at")
    )


def orders_visible_to(roles: Roles, queryset: QuerySet[Order] | None = None) -> QuerySet[Order]:
    """Orders a user may open: drafters and the director see all; approvers their orders; everyone signed ones;
    an external researcher only signed orders that name them (in an action or on the лист ознакомления).
    `queryset` (default orders_list()) is narrowed: the order page asks of bare orders, without the list's counts."""
    qs = orders_list() if queryset is None else queryset
    if roles.is_admin or roles.is_director or roles.is_deputy or roles.is_methodist:
        return qs
    if roles.person is None:
        return qs.none()
    signed = Q(status__in=[OrderStatus.SIGNED, OrderStatus.CANCELLED])
    mine = Q(approvals__person=roles.person) | Q(author=roles.person)
    if roles.person.is_external:
        named = Q(pk__in=named_in_orders(roles.person).values("pk"))
        return qs.filter(signed & named)
    return qs.filter(signed | mine).distinct()


def named_in_orders(person: Person) -> QuerySet[Order]:
    """The orders naming `person`: in one of their actions or on their лист ознакомления."""
    return Order.objects.filter(Q(acknowledgements__person=person) | Q(clauses__actions__person=person))


def order_detail(pk: int) -> QuerySet[Order]:
    """One order with everything its page and its paper print: the clauses, their actions with the units, people
    (and positions) and cancelled orders they name, the visas and the лист ознакомления. Five queries."""
    return (
        Order.objects.select_related("author", "signer", "cancelled_by")
        .prefetch_related(
            "clauses",
            Prefetch(
                "clauses__actions",
                queryset=Action.objects.select_related("unit", "person__position", "target_order"),
            ),
            Prefetch("approvals", queryset=Approval.objects.select_related("person", "person__position")),
            Prefetch("acknowledgements", queryset=Acknowledgement.objects.select_related("person", "person__position")),
        )
        .filter(pk=pk)
    )


# ---------------------------------------------------------------- what needs me now


def needs_me(roles: Roles) -> dict[str, QuerySet]:
    """What in the structure waits for this user to act, as querysets (not yet run): orders to sign (the director),
    to visa, returned to their author, to acknowledge, and join requests to decide. The dashboard lists them; the
    menu's badge counts them (metodservice.attention)."""
    person = roles.person
    rows: dict[str, QuerySet] = {}
    if roles.is_director:
        rows["to_sign"] = Order.objects.filter(status=OrderStatus.ON_SIGNING)
    if person is None:
        return rows
    rows["to_visa"] = Order.objects.filter(
        status=OrderStatus.ON_APPROVAL, approvals__person=person, approvals__decision=ApprovalDecision.PENDING
    )
    rows["returned"] = Order.objects.filter(status=OrderStatus.RETURNED, author=person)
    rows["to_acknowledge"] = Order.objects.filter(
        acknowledgements__person=person, acknowledgements__acknowledged_at__isnull=True
    )
    rows["join_requests"] = join_requests_to_decide(person)
    return rows


def my_units(roles: Roles) -> list[Membership]:
    """The user's places in the service today, from their roles (no query): unsaved memberships whose units carry
    the pk, the kind and the name, by name."""
    places = [
        Membership(unit=Unit(pk=uid, kind=kind, name=roles.unit_names.get(uid, "")), person=roles.person, role=role)
        for uid, (kind, role) in roles.units.items()
    ]
    return sorted(places, key=lambda m: (m.unit.name, m.unit.pk))


#: How many rows of a list the dashboard shows when it knows how many there are (`<row>_count`).
DASHBOARD_LIMIT = 10


def dashboard_for(roles: Roles, counts: Mapping[str, int] | None = None) -> dict:
    """Rows of the dashboard, a query each, each with its count (`<row>_count`); with `counts`
    (metodservice.attention.row_counts: every list's size, in one query) at most DASHBOARD_LIMIT rows of a list, and
    no query for a list that is empty."""
    rows = needs_me(roles)
    data: dict = {}

    def fetch(key: str, queryset: QuerySet) -> list:
        if counts is None:
            shown = list(queryset)
            data[key + "_count"] = len(shown)
            return shown
        data[key + "_count"] = counts.get(key, 0)
        return list(queryset[:DASHBOARD_LIMIT]) if data[key + "_count"] else []

    for key in ("to_sign", "to_visa", "returned"):
        if key in rows:
            data[key] = fetch(key, rows[key].select_related("author"))
    if roles.person is None:
        return data
    data["to_acknowledge"] = fetch("to_acknowledge", rows["to_acknowledge"].order_by("-signed_at"))
    data["join_requests"] = fetch("join_requests", rows["join_requests"])
    data["my_units"] = my_units(roles)
    return data


# ---------------------------------------------------------------- creative groups: who decides a join request


def join_request_decider(unit: Unit, day: datetime.date | None = None) -> Person | None:
    """Who decides the requests to join `unit` on `day`: the group's head that day (its HEAD membership); a group
    not yet registered has no head, so its proposer decides. A dissolved group has nobody. One query."""
    day = day or timezone.localdate()
    if unit.dissolved_on is not None and unit.dissolved_on <= day:
        return None
    head = (
        Membership.objects.active_on(day)
        .filter(unit=unit, role=MemberRole.HEAD)
        .select_related("person", "person__position")
        .first()
    )
    if head is not None:
        return head.person
    return unit.proposed_by if unit.created_on is None else None


def join_requests_to_decide(person: Person, day: datetime.date | None = None) -> QuerySet[JoinRequest]:
    """Pending requests `person` decides on `day` (see join_request_decider), never their own. One query."""
    day = day or timezone.localdate()
    headed = (
        Membership.objects.active_on(day)
        .filter(person=person, role=MemberRole.HEAD, unit__kind=UnitKind.CREATIVE_GROUP)
        .values("unit_id")
    )
    proposed = Q(unit__created_on__isnull=True, unit__proposed_by=person)
    return (
        JoinRequest.objects.filter(status=JoinRequestStatus.PENDING, unit__kind=UnitKind.CREATIVE_GROUP)
        .filter(Q(unit__dissolved_on__isnull=True) | Q(unit__dissolved_on__gt=day))
        .filter(Q(unit__in=headed) | proposed)
        .exclude(person=person)
        .select_related("person", "unit")
        .order_by("created_at", "pk")
    )


def group_join_requests(unit: Unit) -> list[JoinRequest]:
    """The requests to join `unit`, oldest first, with the people. One query."""
    return list(unit.join_requests.select_related("unit", "person", "person__position").order_by("created_at", "pk"))


def order_drafter_for(person: Person) -> Person | None:
    """In whose name an order prepared on `person`'s decision is drafted: `person` themself when they draft orders
    (the deputy for methodical work or a methodist); else the deputy for methodical work, else a methodist (with an
    active account, the earliest entered first). Orders stay drafted by drafters. One query at most."""
    drafting = {SystemRole.DEPUTY, SystemRole.METHODIST}
    if person.position is not None and person.position.system_role in drafting and not person.is_external:
        return person
    return (
        Person.objects.staff()
        .filter(position__system_role__in=drafting, user__is_active=True)
        .select_related("position")
        .order_by(Case(When(position__system_role=SystemRole.DEPUTY, then=0), default=1), "pk")
        .first()
    )


def current_director() -> Person | None:
    return (
        Person.objects.filter(position__system_role=SystemRole.DIRECTOR, is_external=False)
        .select_related("position")
        .order_by("pk")
        .first()
    )
