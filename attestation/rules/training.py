"""Permissions of attestation/: professional development records (training).

- Seeing a record, a person's records and compliance: the person; the director, the deputy, the methodist and the
  administrator; the heads of the subject associations the person belongs to today (attestation.selectors.training
  lists the same).
- Adding: every staff member for themself; the methodist for anyone on the staff.
- Editing: the record's person or author while it is not confirmed; the methodist at any time, except their own
  confirmed record (they would be confirming their own changes).
- Deleting: the record's person or author while it is not confirmed.
- Confirming and returning with a comment: the methodist and the deputy, a record waiting for confirmation, never
  their own.
- The compliance list and the list of records waiting for confirmation: management, the administrator and the
  heads of subject associations (their members only).
"""

import rules

from structure.rules import is_admin, is_deputy, is_management, is_methodist, is_staff_member
from structure.selectors import roles_of

from ..models import TrainingStatus
from ..selectors.training import headed_associations, sees_person_trainings


def _person_id(user):
    person = roles_of(user).person
    return person.pk if person is not None else None


@rules.predicate
def sees_person(user, person) -> bool:
    return person is not None and sees_person_trainings(roles_of(user), person.pk)


@rules.predicate
def sees_record(user, record) -> bool:
    return record is not None and sees_person_trainings(roles_of(user), record.person_id)


@rules.predicate
def is_record_person(user, record) -> bool:
    return record is not None and record.person_id == _person_id(user)


@rules.predicate
def owns_record(user, record) -> bool:
    """The record's person or its author."""
    me = _person_id(user)
    return record is not None and me is not None and me in {record.person_id, record.created_by_id}


@rules.predicate
def record_not_confirmed(user, record) -> bool:
    return record is not None and record.status != TrainingStatus.CONFIRMED


@rules.predicate
def record_waiting(user, record) -> bool:
    return record is not None and record.status == TrainingStatus.SUBMITTED


@rules.predicate
def heads_an_association(user) -> bool:
    return bool(headed_associations(roles_of(user)))


confirms_trainings = is_methodist | is_deputy
sees_staff_trainings = is_admin | is_management | heads_an_association

rules.add_perm("attestation.view_own_trainings", is_staff_member)
rules.add_perm("attestation.add_training", is_staff_member)
rules.add_perm("attestation.add_training_for_others", is_methodist)
rules.add_perm("attestation.view_person_trainings", sees_person)
rules.add_perm("attestation.view_training", sees_record)
rules.add_perm("attestation.change_training", (owns_record & record_not_confirmed) | (is_methodist & ~is_record_person))
rules.add_perm("attestation.delete_training", owns_record & record_not_confirmed)
rules.add_perm("attestation.confirm_training", confirms_trainings & record_waiting & ~is_record_person)
rules.add_perm("attestation.return_training", confirms_trainings & record_waiting & ~is_record_person)
rules.add_perm("attestation.list_training_compliance", sees_staff_trainings)
rules.add_perm("attestation.list_pending_trainings", sees_staff_trainings)
