"""Role-matrix rows of the attestation schedule (attestation/views/schedule.py).

The page and its export open for everyone on the staff and for the administrator: each sees the rows
attestation.rules.schedule gives them (everyone, their association's members, or their own row). The external
researcher is not on the staff: 403.
"""

from tests.matrix import STAFF_AND_ADMIN, get

MATRIX = {
    "attestation:schedule": get(STAFF_AND_ADMIN),
    "attestation:schedule_xlsx": get(STAFF_AND_ADMIN),
}
