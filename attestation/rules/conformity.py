"""Permissions of attestation/: the conformity attestation (the college's attestation commission).

- Seeing a conformity case (its panel, the extract once the protocol is signed): whoever sees the person's
  attestation records (attestation.selectors.people: the person, management, the administrator, the head of their
  subject association), the members of the attestation commission (they decide it), and whoever the common case
  rule `attestation.view_case` lets see it.
- Opening a case, drafting the представление, planning the sitting: the methodist and the deputy (the employer's
  side), never on their own attestation.
- Acknowledging the представление, adding information (after the acknowledgement, until the day of the sitting),
  acknowledging the extract: the person only.
- Recording the commission's decision and vote: the chair and the secretary of the commission whose meeting holds
  the question (they keep the protocol), and the methodist and the deputy (who often enter it for them); never the
  person being attested.

The services check the case's state; these rules also say when an action is offered (the panel's buttons).
"""

import rules
from django.utils import timezone

from structure.models import MemberRole, UnitKind
from structure.rules import is_deputy, is_methodist
from structure.selectors import roles_of

from ..models import AttestationCase
from ..selectors.people import sees_person_records

OFFICERS = {MemberRole.HEAD, MemberRole.SECRETARY}


def _person_id(user):
    person = roles_of(user).person
    return person.pk if person is not None else None


@rules.predicate
def is_commission_member(user) -> bool:
    return any(kind == UnitKind.ATTESTATION_COMMISSION for kind, _role in roles_of(user).units.values())


@rules.predicate
def sees_conformity_case(user, case: AttestationCase | None) -> bool:
    if case is None:
        return False
    roles = roles_of(user)
    if sees_person_records(roles, case.person_id) or is_commission_member(user):
        return True
    return rules.perm_exists("attestation.view_case") and rules.has_perm("attestation.view_case", user, case)


@rules.predicate
def is_case_person(user, case: AttestationCase | None) -> bool:
    return case is not None and case.person_id == _person_id(user)


@rules.predicate
def is_sitting_officer(user, case: AttestationCase | None) -> bool:
    """The chair or the secretary of the commission whose meeting holds the case's question."""
    item = case.agenda_item if case is not None and case.agenda_item_id is not None else None
    if item is None:
        return False
    unit_id = item.meeting.unit_id
    return roles_of(user).units.get(unit_id, ("", ""))[1] in OFFICERS


@rules.predicate
def case_is_open(user, case: AttestationCase | None) -> bool:
    return case is not None and case.is_open


@rules.predicate
def presentation_not_signed(user, case: AttestationCase | None) -> bool:
    return case is not None and case.acknowledged_on is None


@rules.predicate
def presentation_waits(user, case: AttestationCase | None) -> bool:
    return case is not None and bool(case.presentation) and case.acknowledged_on is None


@rules.predicate
def is_acknowledged(user, case: AttestationCase | None) -> bool:
    return case is not None and case.acknowledged_on is not None


@rules.predicate
def is_planned(user, case: AttestationCase | None) -> bool:
    return case is not None and case.agenda_item_id is not None


@rules.predicate
def sitting_not_held(user, case: AttestationCase | None) -> bool:
    """The case's question is on no agenda yet, or on a meeting after today."""
    if case is None:
        return False
    item = case.agenda_item if case.agenda_item_id is not None else None
    return item is None or item.meeting.date > timezone.localdate()


manages_conformity = is_methodist | is_deputy

rules.add_perm("attestation.open_conformity", manages_conformity)
rules.add_perm("attestation.view_conformity_case", sees_conformity_case)
rules.add_perm(
    "attestation.draft_presentation", manages_conformity & ~is_case_person & case_is_open & presentation_not_signed
)
rules.add_perm("attestation.acknowledge_presentation", is_case_person & case_is_open & presentation_waits)
rules.add_perm(
    "attestation.add_teacher_information", is_case_person & case_is_open & is_acknowledged & sitting_not_held
)
rules.add_perm("attestation.plan_sitting", manages_conformity & ~is_case_person & case_is_open & is_acknowledged)
rules.add_perm(
    "attestation.record_conformity_decision",
    (manages_conformity | is_sitting_officer) & ~is_case_person & is_planned,
)
rules.add_perm("attestation.acknowledge_extract", is_case_person)
