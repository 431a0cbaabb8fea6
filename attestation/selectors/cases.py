"""Reads of attestation cases: the cases a user may open (the same answer as attestation/rules/cases.py's
`view_case`, as a query), the list with its filters, a person's cases, a case with its documents.

Who sees a case: the person; management and the administrator (everyone's); the heads of the subject associations
the person belongs to today; for conformity cases also the current members of the attestation commission.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from structure.models import Membership, Person, Unit, UnitKind
from structure.selectors import Roles

from ..models import AttestationCase, CaseKind, CaseStatus, Portfolio
from .people import association_members, headed_associations, sees_everyone

#: The statuses in the order the filter lists them.
STATUSES = (CaseStatus.PLANNED, CaseStatus.DOCUMENTS, CaseStatus.SUBMITTED, CaseStatus.DECIDED, CaseStatus.WITHDRAWN)


def sits_on_commission(roles: Roles) -> bool:
    """A current member of the college's attestation commission (any role in it): sees the conformity cases."""
    return any(kind == UnitKind.ATTESTATION_COMMISSION for kind, _role in roles.units.values())


def base_queryset() -> QuerySet[AttestationCase]:
    """What every list row shows: the person, their position, who opened the case."""
    return AttestationCase.objects.select_related("person", "person__position", "created_by")


def cases_visible_to(roles: Roles, *, day: datetime.date | None = None) -> QuerySet[AttestationCase]:
    """The cases attestation.view_case lets the user open."""
    cases = base_queryset()
    if sees_everyone(roles):
        return cases
    if roles.person is None:
        return cases.none()
    reach = Q(person=roles.person)
    if headed_associations(roles):
        reach |= Q(person_id__in=association_members(roles, day or timezone.localdate()).values("person_id"))
    if sits_on_commission(roles):
        reach |= Q(kind=CaseKind.CONFORMITY)
    return cases.filter(reach)


def case_list(
    roles: Roles,
    *,
    day: datetime.date | None = None,
    kind: str = "",
    status: str = "",
    unit: Unit | None = None,
    person: str = "",
) -> QuerySet[AttestationCase]:
    """The visible cases, filtered: by kind, status, the unit the person belongs to on `day`, a part of the
    person's name (any of last, first name and patronymic). The open ones first, then the newest."""
    day = day or timezone.localdate()
    cases = cases_visible_to(roles, day=day)
    if kind:
        cases = cases.filter(kind=kind)
    if status:
        cases = cases.filter(status=status)
    if unit is not None:
        cases = cases.filter(person_id__in=Membership.objects.active_on(day).filter(unit=unit).values("person_id"))
    for word in person.split()[:3]:
        cases = cases.filter(
            Q(person__last_name__icontains=word)
            | Q(person__first_name__icontains=word)
            | Q(person__patronymic__icontains=word)
        )
    return cases.order_by("-created_at", "-pk")


class PagedByKeys:
    """A list of rows for a Paginator that reads a page through its keys: the page's ids are picked from the ordered,
    filtered rows with nothing joined (the list's index alone, even deep in ten years of cases), then only those
    rows are read with what they show (select_related). One query for the count, one for a page."""

    def __init__(self, queryset: QuerySet):
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, index: slice) -> list:
        keys = self.queryset.values("pk")[index]
        return list(self.queryset.filter(pk__in=keys))


def units_for_filter(roles: Roles, day: datetime.date) -> QuerySet[Unit]:
    """Every unit today for those who see everyone, else the associations the user heads."""
    units = Unit.objects.active_on(day).order_by("kind", "name")
    if sees_everyone(roles):
        return units
    return units.filter(pk__in=headed_associations(roles))


def person_cases(person: Person) -> QuerySet[AttestationCase]:
    """A person's cases, the newest first."""
    return base_queryset().filter(person=person).order_by("-created_at", "-pk")


def case_detail() -> QuerySet[AttestationCase]:
    """A case with what its page shows: the person, who wrote what, the portfolio, the documents and who uploaded
    them, the category it set."""
    return AttestationCase.objects.select_related(
        "person",
        "person__position",
        "created_by",
        "petition_by",
        "presentation_by",
        "portfolio",
        "category_set",
    ).prefetch_related("documents__uploaded_by")


def portfolios_of(person: Person) -> QuerySet[Portfolio]:
    """The person's portfolios, for the submission's choice: the latest period first."""
    return Portfolio.objects.filter(person=person).order_by("-period_end", "-pk")
