"""Permissions of attestation/: the suggestions for a participant's deficits.

- Seeing them: whoever sees the participant's results (attestation.selectors.results.sees_participant: the person,
  the experts named on the participant, the heads of the associations the person belongs to today, the director,
  the deputy, the methodist and the administrator).
- Adding one to the person's individual plan: the person and the heads of the subject associations the person
  belongs to today.
"""

import rules

from structure.selectors import roles_of

from ..selectors.people import heads_association_of
from ..selectors.results import sees_participant


@rules.predicate
def sees_suggestions(user, participant) -> bool:
    """Whoever sees the participant's results; a results page that read the participant among those the user sees
    marks it (`seen_by`, attestation.views.results) and is taken at its word."""
    if participant is None:
        return False
    if getattr(participant, "seen_by", None) == user.pk:
        return True
    return sees_participant(roles_of(user), participant)


@rules.predicate
def plans_for_participant(user, participant) -> bool:
    """The participant themself, or the head of an association they belong to today (read with the participant by
    the results page as `in_headed_association`, attestation.views.results, when it has it)."""
    if participant is None:
        return False
    roles = roles_of(user)
    if roles.person is None:
        return False
    if participant.person_id == roles.person.pk:
        return True
    known = getattr(participant, "in_headed_association", None)
    return bool(known) if known is not None else heads_association_of(roles, participant.person_id)


rules.add_perm("attestation.view_suggestions", sees_suggestions)
rules.add_perm("attestation.add_suggestion", plans_for_participant)  # both see the results
