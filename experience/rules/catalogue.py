"""Permissions of experience/: the methodological cabinet's catalogue of published items.

- The catalogue, its search, its XLSX export and an author's page: everyone on the staff and the administrator; an
  external researcher (a lab member from outside the college) none of them.
"""

import rules

from structure.rules import is_admin, is_staff_member

reads_catalogue = is_admin | is_staff_member

rules.add_perm("experience.view_catalogue", reads_catalogue)
rules.add_perm("experience.export_catalogue", reads_catalogue)
rules.add_perm("experience.view_author", reads_catalogue)
