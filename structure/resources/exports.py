"""The XLSX exports of people, orders and the structure on a date: their columns (metodservice.common.xlsx).

Each export reads the queryset of its list page (the page's filters applied by the caller) in chunks: people cost two
queries a chunk (the people, their units today), orders and the structure one query in all. The people's columns are
the staff import's (so an exported file reads back) plus their units and roles today."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Case, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from metodservice.common.widgets import DATE_DISPLAY_FORMAT
from metodservice.common.xlsx import Column, choice_label, in_chunks, table

from ..models import Education, MemberRole, Membership, Order, OrderStatus, Person, UnitKind, UnitName

# ---------------------------------------------------------------- people


def with_current_memberships(queryset: QuerySet[Person], day: datetime.date | None = None) -> QuerySet[Person]:
    """People with `current_memberships` (units and roles on `day`, default today): one more query (a chunk)."""
    day = day or timezone.localdate()
    return queryset.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.active_on(day).select_related("unit").order_by("unit__name", "pk"),
            to_attr="current_memberships",
        )
    )


_role = choice_label("role", MemberRole)
_education_level = choice_label("education", Education)


def _units_today(person: Person) -> str:
    return "; ".join(f"{m.unit.name} ({_role(m)})" for m in person.current_memberships)


def _education(person: Person) -> str:
    """As cells.education_display (what the import reads back), the level's label translated once per export."""
    return person.education_details or (_education_level(person) if person.education else "")


PERSON_COLUMNS: list[Column[Person]] = [
    Column(_("Full name"), lambda p: p.full_name),
    Column(_("Position"), lambda p: p.position.name if p.position else None),
    Column(_("Hire date"), lambda p: p.hire_date),
    Column(_("In the position since"), lambda p: p.position_since),
    Column(_("Pedagogical service since"), lambda p: p.pedagogical_since),
    Column(_("Education"), _education),
    Column(_("Academic degree"), lambda p: p.academic_degree),
    Column(_("Awards"), lambda p: p.awards),
    Column(_("Subjects"), lambda p: p.subjects),
    Column(_("E-mail"), lambda p: p.email),
    Column(_("Organisation (external researchers)"), lambda p: p.organisation if p.is_external else ""),
    Column(_("Units and roles today"), _units_today),
]


def people_table(people: QuerySet[Person]) -> tuple[list[str], Iterator[tuple]]:
    """The staff list (selectors.people_list(), filtered as on its page): two queries a chunk of people."""
    return table(PERSON_COLUMNS, in_chunks(with_current_memberships(people)))


# ---------------------------------------------------------------- orders


def _acknowledged(order: Order) -> str:
    if not order.acknowledgements_total:
        return ""
    return gettext("%(done)s of %(total)s") % {
        "done": order.acknowledgements_done,
        "total": order.acknowledgements_total,
    }


ORDER_COLUMNS: list[Column[Order]] = [
    Column(_("Number"), lambda o: o.registration_number),
    Column(_("Date"), lambda o: o.date),
    Column(_("Title"), lambda o: o.title),
    Column(_("Status"), choice_label("status", OrderStatus)),
    Column(_("Author"), lambda o: o.author.full_name),
    Column(_("Signed by"), lambda o: o.signer.full_name if o.signer else None),
    Column(_("Acknowledged"), _acknowledged),
]


def orders_table(orders: QuerySet[Order]) -> tuple[list[str], Iterator[tuple]]:
    """The orders of selectors.orders_list() (its acknowledgement counts annotated), filtered as on their page: one
    query."""
    return table(ORDER_COLUMNS, in_chunks(orders))


# ---------------------------------------------------------------- the structure on a date


def memberships_on(day: datetime.date, *, search: str = "") -> QuerySet[Membership]:
    """Memberships in the structure on `day`, in the order of the structure page, with the unit's name on
    that day (`unit_name_on_day`) and everything the export prints joined: one query. With `search`, the members of
    the units the structure page keeps for it (selectors.structure_overview): a unit whose name that day holds it, or
    that has a member that day whose surname holds it."""
    name_on_day = (
        UnitName.objects.filter(unit=OuterRef("unit"), start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gt=day))
        .order_by("-start", "-pk")
        .values("name")[:1]
    )
    role_rank = Case(
        When(role=MemberRole.HEAD, then=Value(0)),
        When(role=MemberRole.DEPUTY, then=Value(1)),
        When(role=MemberRole.SECRETARY, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    kind_rank = Case(
        *(When(unit__kind=kind, then=Value(index)) for index, kind in enumerate(UnitKind.values)),
        default=Value(99),
        output_field=IntegerField(),
    )
    memberships = (
        Membership.objects.active_on(day)
        .filter(unit__created_on__lte=day)
        .filter(Q(unit__dissolved_on__isnull=True) | Q(unit__dissolved_on__gt=day))
        .select_related("unit", "person", "start_order")
        .annotate(
            unit_name_on_day=Coalesce(Subquery(name_on_day), F("unit__name")), role_rank=role_rank, kind_rank=kind_rank
        )
        .order_by(
            "kind_rank",
            "unit_name_on_day",
            "unit_id",
            "role_rank",
            "person__last_name",
            "person__first_name",
            "person__patronymic",
        )
    )
    if search:
        found = Membership.objects.active_on(day).filter(person__last_name__icontains=search).values("unit_id")
        memberships = memberships.filter(Q(unit_name_on_day__icontains=search) | Q(unit_id__in=found))
    return memberships


def _by_order(membership: Membership) -> str:
    order = membership.start_order
    if not order.number:
        return str(order)
    return gettext("No. %(number)s of %(date)s") % {
        "number": order.registration_number,
        "date": order.date.strftime(DATE_DISPLAY_FORMAT) if order.date else "",
    }


MEMBERSHIP_COLUMNS: list[Column[Membership]] = [
    Column(_("Unit"), lambda m: m.unit_name_on_day),
    Column(_("Kind"), choice_label("unit.kind", UnitKind)),
    Column(_("Full name"), lambda m: m.person.full_name),
    Column(_("Role"), _role),
    Column(_("Since"), lambda m: m.start),
    Column(_("By order"), _by_order),
]


def structure_table(memberships: QuerySet[Membership]) -> tuple[list[str], Iterator[tuple]]:
    """The members of the structure, from memberships_on(day) (filtered as on the structure page): one query."""
    return table(MEMBERSHIP_COLUMNS, in_chunks(memberships))
