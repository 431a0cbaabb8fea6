"""The XLSX exports of people, orders and the structure on a date.

Exports take the list querysets of structure.selectors (joins applied), so they cost a fixed number of
queries whatever the number of rows."""

from __future__ import annotations

import datetime

from django.db.models import Case, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from metodservice.common.widgets import DATE_DISPLAY_FORMAT, RuDateWidget

from ..models import MemberRole, Membership, Order, Person, UnitKind, UnitName
from .cells import education_display


def with_current_memberships(queryset: QuerySet[Person], day: datetime.date | None = None) -> QuerySet[Person]:
    """People with `current_memberships` (units and roles on `day`, default today): one more query."""
    day = day or timezone.localdate()
    return queryset.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.active_on(day).select_related("unit").order_by("unit__name", "pk"),
            to_attr="current_memberships",
        )
    )


class PersonExportResource(resources.ModelResource):
    """The staff list: the import's columns (so the file reads back) plus units and roles today."""

    full_name = fields.Field(attribute="full_name", column_name=_("Full name"))
    position = fields.Field(attribute="position__name", column_name=_("Position"))
    hire_date = fields.Field(attribute="hire_date", column_name=_("Hire date"), widget=RuDateWidget())
    position_since = fields.Field(
        attribute="position_since", column_name=_("In the position since"), widget=RuDateWidget()
    )
    pedagogical_since = fields.Field(
        attribute="pedagogical_since", column_name=_("Pedagogical service since"), widget=RuDateWidget()
    )
    education = fields.Field(column_name=_("Education"))
    academic_degree = fields.Field(attribute="academic_degree", column_name=_("Academic degree"))
    awards = fields.Field(attribute="awards", column_name=_("Awards"))
    subjects = fields.Field(attribute="subjects", column_name=_("Subjects"))
    email = fields.Field(attribute="email", column_name=_("E-mail"))
    organisation = fields.Field(column_name=_("Organisation (external researchers)"))
    units = fields.Field(column_name=_("Units and roles today"))

    class Meta:
        model = Person
        fields = (
            "full_name",
            "position",
            "hire_date",
            "position_since",
            "pedagogical_since",
            "education",
            "academic_degree",
            "awards",
            "subjects",
            "email",
            "organisation",
            "units",
        )
        export_order = fields

    def dehydrate_education(self, person: Person) -> str:
        return education_display(person)

    def dehydrate_organisation(self, person: Person) -> str:
        return person.organisation if person.is_external else ""

    def dehydrate_units(self, person: Person) -> str:
        memberships = getattr(person, "current_memberships", None)
        if memberships is None:  # not prefetched: one query for this person
            memberships = (
                Membership.objects.active_on(timezone.localdate()).filter(person=person).select_related("unit")
            )
        return "; ".join(f"{m.unit.name} ({m.get_role_display()})" for m in memberships)


class OrderExportResource(resources.ModelResource):
    """The list of orders; expects the annotations of selectors.orders_list()."""

    number = fields.Field(attribute="registration_number", column_name=_("Number"))
    date = fields.Field(attribute="date", column_name=_("Date"), widget=RuDateWidget())
    title = fields.Field(attribute="title", column_name=_("Title"))
    status = fields.Field(attribute="get_status_display", column_name=_("Status"))
    author = fields.Field(attribute="author__full_name", column_name=_("Author"))
    signer = fields.Field(attribute="signer__full_name", column_name=_("Signed by"))
    acknowledged = fields.Field(column_name=_("Acknowledged"))

    class Meta:
        model = Order
        fields = ("number", "date", "title", "status", "author", "signer", "acknowledged")
        export_order = fields

    def dehydrate_acknowledged(self, order: Order) -> str:
        total = getattr(order, "acknowledgements_total", None)
        if total is None:  # not annotated: two queries for this order
            total = order.acknowledgements.count()
            done = order.acknowledgements.filter(acknowledged_at__isnull=False).count()
        else:
            done = order.acknowledgements_done
        if not total:
            return ""
        return gettext("%(done)s of %(total)s") % {"done": done, "total": total}


def memberships_on(day: datetime.date) -> QuerySet[Membership]:
    """Memberships in the structure on `day`, in the order of the structure page, with the unit's name on
    that day (`unit_name_on_day`) and everything the export prints joined: one query."""
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
    return (
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


class MembershipExportResource(resources.ModelResource):
    """The structure on a date, a member a row; expects memberships_on(day)."""

    unit = fields.Field(column_name=_("Unit"))
    kind = fields.Field(attribute="unit__get_kind_display", column_name=_("Kind"))
    person = fields.Field(attribute="person__full_name", column_name=_("Full name"))
    role = fields.Field(attribute="get_role_display", column_name=_("Role"))
    start = fields.Field(attribute="start", column_name=_("Since"), widget=RuDateWidget())
    order = fields.Field(column_name=_("By order"))

    class Meta:
        model = Membership
        fields = ("unit", "kind", "person", "role", "start", "order")
        export_order = fields

    def dehydrate_unit(self, membership: Membership) -> str:
        return getattr(membership, "unit_name_on_day", None) or membership.unit.name

    def dehydrate_order(self, membership: Membership) -> str:
        order = membership.start_order
        if not order.number:
            return str(order)
        return gettext("No. %(number)s of %(date)s") % {
            "number": order.registration_number,
            "date": order.date.strftime(DATE_DISPLAY_FORMAT) if order.date else "",
        }
