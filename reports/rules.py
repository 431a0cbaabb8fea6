"""Who may read and write the annual report (rules, autodiscovered as `reports.rules`).

The report is prepared by the deputy director for methodical work and the head of the methodological service, who
alone write its conclusions and freeze it; the management and the council's chair read it while it is prepared.
A frozen report has been presented to a council: everyone on the staff reads it.
"""

import rules

from planning.rules import heads_the_service, is_council_chair
from structure.rules import is_admin, is_deputy, is_management, is_staff_member

prepares_report = is_deputy | heads_the_service

rules.add_perm("reports.view_annual_reports", is_admin | is_management | heads_the_service | is_council_chair)
rules.add_perm("reports.change_annual_report", prepares_report)
rules.add_perm("reports.freeze_annual_report", prepares_report)
rules.add_perm("reports.view_frozen_report", is_admin | is_staff_member)
