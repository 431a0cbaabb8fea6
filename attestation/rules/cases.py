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
- Submitting the application with its portfolio (`submit_case`): the person only, before the submission — a
  category application is the teacher's own (the methodist and the deputy keep the ходатайство, the date of the
  sitting and the decision); attestation.services.cases.category_submit refuses anyone else (`not_applicant`).
- Withdrawing (`withdraw_case`): while the case is open, a category case by the person, the methodist or the
  deputy; a conformity case (compulsory) by the methodist or the deputy only, never the person.
- Documents: adding (`add_case_document`) — the person while they add documents (a category case before the
  submission, a conformity case while open: attestation.services.cases.person_adds_documents; their own kinds
  only, attestation.services.cases.document_kinds), the methodist or the deputy (not on their own case) any kind
  while the case is open; downloading — whoever sees the case (the documents of the portfolio as submitted too);
  deleting (`delete_case_document`, obj: the document) — whoever uploaded it, while the case is open, the person
  only while they add documents.
"""

from __future__ import annotations

import rules

from structure.rules import is_admin, is_drafter, is_management, is_staff_member
from structure.selectors import Roles, roles_of

from ..models import CaseStatus
from ..selectors import people
from ..selectors.cases import sits_on_commission
from ..services.cases import person_adds_documents


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
def is_conformity_case(user, case) -> bool:
    return case is not None and case.kind == "conformity"


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
def awaits_submission(user, case) -> bool:
    """A category case whose application has not been submitted yet."""
    return case is not None and not case.is_conformity and case.status == CaseStatus.DOCUMENTS


@rules.predicate
def person_adds(user, case) -> bool:
    """The case's person may add documents to it now (see attestation.services.cases.person_adds_documents)."""
    return case is not None and person_adds_documents(case)


@rules.predicate
def uploaded_document(user, document) -> bool:
    me = roles_of(user).person
    return document is not None and me is not None and document.uploaded_by_id == me.pk


@rules.predicate
def document_case_open(user, document) -> bool:
    return document is not None and document.case.is_open


@rules.predicate
def document_still_changes(user, document) -> bool:
    """A document the case's person uploaded changes only while they add documents (their application stays once
    submitted); others' documents while the case is open."""
    if document is None:
        return False
    case = document.case
    return document.uploaded_by_id != case.person_id or person_adds_documents(case)


rules.add_perm("attestation.view_case", sees_case)
rules.add_perm("attestation.list_cases", is_admin | is_management | heads_an_association)
rules.add_perm("attestation.view_own_cases", is_staff_member)
rules.add_perm("attestation.open_category_case", opens_category_case_for)
rules.add_perm("attestation.manage_case", is_drafter & ~is_case_person)
rules.add_perm("attestation.submit_case", is_case_person & awaits_submission)
rules.add_perm(
    "attestation.withdraw_case",
    case_is_open
    & ((~is_conformity_case & (is_case_person | is_drafter)) | (is_conformity_case & is_drafter & ~is_case_person)),
)
rules.add_perm(
    "attestation.add_case_document", case_is_open & ((is_case_person & person_adds) | (is_drafter & ~is_case_person))
)
rules.add_perm("attestation.view_case_document", sees_case)  # obj: the case
rules.add_perm("attestation.delete_case_document", uploaded_document & document_case_open & document_still_changes)
