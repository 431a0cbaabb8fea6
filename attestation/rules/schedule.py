"""Permissions of attestation/: schedule.

The attestation schedule (attestation.views.schedule) opens for everyone on the staff and for the administrator;
what it lists depends on who asks (attestation.selectors.schedule.schedule_people, the same answer as a query):

- the director, the deputy, the methodist and the administrator see every teaching staff member;
- the head of a subject association (ПЦК, МО) sees the members of the associations they head today, and themselves;
- anyone else on the staff sees only their own row: the same page, without filters, is their own status (their
  category and until when, whether and by when they are due, why they are exempt). One page for everyone, so a
  teacher's link and the methodist's are the same and nothing is shown twice.

External researchers (not the college's staff) are not attested and do not see the schedule.
"""

import rules

from planning.rules import is_association_head
from structure.rules import is_admin, is_management, is_staff_member
from structure.selectors import roles_of

from ..selectors import people


@rules.predicate
def is_self(user, person) -> bool:
    me = roles_of(user).person
    return me is not None and person is not None and me.pk == person.pk


@rules.predicate
def heads_association_of(user, person) -> bool:
    """`person` is a member today of a subject association the user heads."""
    return person is not None and people.heads_association_of(roles_of(user), person.pk)


@rules.predicate
def is_teaching_staff(user, person) -> bool:
    """Only teaching staff are on the schedule (Position.is_pedagogical; never an external researcher)."""
    position = getattr(person, "position", None)
    return person is not None and not person.is_external and position is not None and position.is_pedagogical


# The page (and its XLSX export): everyone on the staff, each seeing the rows below.
rules.add_perm("attestation.view_schedule", is_admin | is_staff_member)
# One person's row: management and the administrator, the person themselves, the head of their association.
rules.add_perm(
    "attestation.view_person_schedule",
    is_teaching_staff & (is_admin | is_management | is_self | heads_association_of),
)
# Filters and the export button: for those who see more than themselves.
rules.add_perm("attestation.filter_schedule", is_admin | is_management | is_association_head)
