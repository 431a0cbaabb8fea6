"""Permissions of attestation/: competency frameworks.

- Seeing the frameworks, a framework's tree and scale, and exporting it as CSV: everyone on the staff and the
  administrator (the list selector, attestation.selectors.frameworks.frameworks, lists them all).
- Creating, importing, renaming, editing the scale and the tree, copying into a new version: the methodist and the
  deputy. A framework used in a campaign is frozen: attestation.services.frameworks refuses every change to it
  (`framework_frozen`), and the pages offer only its copy.
"""

import rules

from structure.rules import is_admin, is_deputy, is_methodist, is_staff_member

from ..selectors.frameworks import is_frozen


@rules.predicate
def framework_frozen(user, framework) -> bool:
    return framework is not None and is_frozen(framework)


sees_frameworks = is_staff_member | is_admin
edits_frameworks = is_methodist | is_deputy

rules.add_perm("attestation.view_frameworks", sees_frameworks)
rules.add_perm("attestation.view_framework", sees_frameworks)
rules.add_perm("attestation.add_framework", edits_frameworks)
rules.add_perm("attestation.copy_framework", edits_frameworks)
#: Whether the pages offer the edits: the editors, on a framework not frozen (the views let an editor through to the
#: service on a frozen one, which refuses with `framework_frozen`).
rules.add_perm("attestation.change_framework", edits_frameworks & ~framework_frozen)
#: Deleting a framework no campaign has used: the editors (the service also keeps the last framework).
rules.add_perm("attestation.delete_framework", edits_frameworks & ~framework_frozen)
