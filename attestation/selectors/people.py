"""Who sees whose attestation records (the schedule, training records, categories): one answer for the whole app.

The person; the director, the deputy, the methodist and the administrator (everyone); the heads of the subject
associations (МО, ПЦК) the person belongs to today. The rules (attestation/rules/) ask this for one person; the
list selectors use `association_members` for the same answer as a query.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from structure.models import Membership
from structure.selectors import Roles, headed_associations


def sees_everyone(roles: Roles) -> bool:
    return roles.is_admin or roles.is_director or roles.is_deputy or roles.is_methodist


def association_members(roles: Roles, day: datetime.date) -> QuerySet[Membership]:
    """The memberships on `day` in the subject associations the user heads (the association's head included)."""
    return Membership.objects.active_on(day).filter(unit_id__in=headed_associations(roles))


def heads_association_of(roles: Roles, person_id: int, day: datetime.date | None = None) -> bool:
    """The user heads a subject association the person belongs to on `day` (today). No query unless the user heads
    one."""
    if not headed_associations(roles):
        return False
    return association_members(roles, day or timezone.localdate()).filter(person_id=person_id).exists()


def sees_person_records(roles: Roles, person_id: int, day: datetime.date | None = None) -> bool:
    if sees_everyone(roles):
        return True
    if roles.person is None:
        return False
    return roles.person.pk == person_id or heads_association_of(roles, person_id, day)
