"""Permissions of attestation/: diagnostics results.

- A participant's results (the profile of one campaign, its PDF card): the person; the experts named on the
  participant; the heads of the subject associations the person belongs to today; the director, the deputy, the
  methodist and the administrator (attestation.selectors.results.participants_visible_to lists the same). Nobody
  else: the page answers 404. While the campaign is not closed, an expert (a head too) who has not submitted their
  own expert assessment of the person does not see it, and the person reads no expert level before submitting
  the self-assessment: each judges on their own first.
- A person's results over campaigns (the link from the person's page): whoever sees one of their participations;
  the dynamics and the drop since the previous campaign read only the participations the user sees.
- The heat map of a unit (people × competencies): management and the administrator, any unit; the head of a subject
  association, the associations they head.
- The college summary, its PDF for the pedagogical council and the XLSX export of the whole campaign: management and
  the administrator. The XLSX export of a unit: whoever may open the unit's heat map.
"""

import rules

from structure.rules import is_admin, is_management, is_staff_member
from structure.selectors import roles_of

from ..selectors.people import headed_associations
from ..selectors.results import sees_participant


@rules.predicate
def sees_participant_results(user, participant) -> bool:
    return participant is not None and sees_participant(roles_of(user), participant)


@rules.predicate
def heads_an_association(user) -> bool:
    return bool(headed_associations(roles_of(user)))


@rules.predicate
def heads_the_unit(user, unit) -> bool:
    return unit is not None and unit.pk in headed_associations(roles_of(user))


sees_all_results = is_admin | is_management

rules.add_perm("attestation.view_own_results", is_staff_member)
rules.add_perm("attestation.view_results", sees_participant_results)
rules.add_perm("attestation.list_unit_results", sees_all_results | heads_an_association)
rules.add_perm("attestation.view_unit_results", sees_all_results | heads_the_unit)
rules.add_perm("attestation.view_college_results", sees_all_results)
