"""Permissions of attestation/: attestation cases (both kinds) and the steps of the category cases.

- Seeing a case (`view_case`, its documents, the portfolio as submitted): the person; whoever sees the person's
  records (attestation.selectors.people: management, the administrator, the heads of the person's subject
  associations); for a conformity case also the current members of the college's attestation commission.
  attestation.selectors.cases.cases_visible_to lists the same.
- The list of cases (`list_cases`): management, the administrator, the heads of subject associations (their
  members' cases). Everyone on the staff has «my attestation» (`view_own_cases`).
- Opening a category case (`open_category_case`, obj: the person): a teacher for themself, the methodist or the
  deputy for anyone on the teaching staff.
- Running a case (`manage_case`: the ходатайство, the dates, the decision): the methodist and the deputy, never on
  their own case.
- Submitting the application with its portfolio (`submit_case`): the person, the methodist or the deputy, while
  the case is open.
- Withdrawing (`withdraw_case`): the person, the methodist or the deputy, while the case is open.
- Documents: adding (`add_case_document`) — the person, the methodist or the deputy while the case is open;
  downloading — whoever sees the case; deleting (`delete_case_document`, obj: the document) — whoever uploaded it,
  while the case is open.
"""

from __future__ import annotations

import rules

from structure.rules import is_admin, is_drafter, is_management, is_staff_member
from structure.selectors import Roles, roles_of

from ..selectors import people
from ..selectors.cases import sits_on_commission


def sees_case_of(roles: Roles, case) -> bool:
    if case.kind == "conformity" and sits_on_commission(roles):
        return True
    return people.sees_person_records(roles, case.person_id)


@rules.predicate
def sees_case(user, case) -> bool:
    return case is not None and sees_case_of(roles_of(user), case)


@rules.predicate
def is_case_person(user, case) -> bool:
    me = roles_of(user).person
    return case is not None and me is not None and case.person_id == me.pk


@rules.predicate
def case_is_open(user, case) -> bool:
    return case is not None and case.is_open


@rules.predicate
def heads_an_association(user) -> bool:
    return bool(people.headed_associations(roles_of(user)))


@rules.predicate
def opens_category_case_for(user, person) -> bool:
    """With a person: may the user open a category case of that person (their own, or anyone's for the methodist
    and the deputy); without one: may the user open one at all (the form's page)."""
    roles = roles_of(user)
    me = roles.person
    if me is None or me.is_external:
        return False
    drafter = roles.is_methodist or roles.is_deputy
    if person is None:
        return drafter or _teaches(me)
    return _teaches(person) and (person.pk == me.pk or drafter)


def _teaches(person) -> bool:
    position = getattr(person, "position", None)
    return not person.is_external and position is not None and position.is_pedagogical


@rules.predicate
def uploaded_document(user, document) -> bool:
    me = roles_of(user).person
    return document is not None and me is not None and document.uploaded_by_id == me.pk


@rules.predicate
def document_case_open(user, document) -> bool:
    return document is not None and document.case.is_open


rules.add_perm("attestation.view_case", sees_case)
rules.add_perm("attestation.list_cases", is_admin | is_management | heads_an_association)
rules.add_perm("attestation.view_own_cases", is_staff_member)
rules.add_perm("attestation.open_category_case", opens_category_case_for)
rules.add_perm("attestation.manage_case", is_drafter & ~is_case_person)
rules.add_perm("attestation.submit_case", (is_case_person | is_drafter) & case_is_open)
rules.add_perm("attestation.withdraw_case", (is_case_person | is_drafter) & case_is_open)
rules.add_perm("attestation.add_case_document", (is_case_person | is_drafter) & case_is_open)
rules.add_perm("attestation.view_case_document", sees_case)  # obj: the case
rules.add_perm("attestation.delete_case_document", uploaded_document & document_case_open)
