"""Permissions of attestation/: records — the qualification categories a person holds.

Who sees a person's attestation record: the person, the director, the deputy and the methodist, the administrator
(as on the schedule and the training records), and the heads of the subject associations (МО/ПЦК) the person is a
member of today. Who records a category: the deputy or the
methodist (the methodist keeps the cabinet's records), for a staff member, never for themself (a category exempts
from the attestation for conformity). A category set through an attestation case is the case's and changes only
there.
"""

from __future__ import annotations

import rules

from structure.rules import is_drafter, is_self
from structure.selectors import roles_of

from ..selectors import people


@rules.predicate
def sees_person_records(user, person) -> bool:
    """attestation.selectors.people.sees_person_records, for a person."""
    return person is not None and people.sees_person_records(roles_of(user), person.pk)


@rules.predicate
def holds_teaching_position(user, person) -> bool:
    """Categories are for teaching staff (Position.is_pedagogical), never for an external researcher."""
    position = getattr(person, "position", None)
    return person is not None and not person.is_external and position is not None and position.is_pedagogical


records_categories = is_drafter & holds_teaching_position & ~is_self


@rules.predicate
def keeps_category(user, category) -> bool:
    """A category recorded by hand (not set through an attestation case), of someone the user records for."""
    return category is not None and category.case_id is None and records_categories(user, category.person)


@rules.predicate
def sees_category(user, category) -> bool:
    return category is not None and sees_person_records(user, category.person)


rules.add_perm("attestation.view_categories", sees_person_records)  # obj: the person
rules.add_perm("attestation.add_category", records_categories)  # obj: the person
rules.add_perm("attestation.view_category", sees_category)
rules.add_perm("attestation.change_category", keeps_category)
rules.add_perm("attestation.delete_category", keeps_category)
