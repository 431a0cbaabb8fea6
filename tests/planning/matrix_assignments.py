"""Role-matrix rows of the assignments to the methodological service (planning/views/assignments.py).

Who answers for the service — the deputy, the methodist, the council's chair — and the director and the admin see
the list; the director alone gives and cancels an assignment; the pedagogical council's chair (the director) and
secretary (the deputy) pass its decisions. Anyone else is sent a 404 from an assignment, a 403 from the list.
"""

from tests.matrix import MANAGEMENT, STAFF_ROLES, get
from tests.planning.world import director_assignment, pedagogical_meeting

LISTERS = [*MANAGEMENT, "chair", "admin"]
NOT_LISTERS = [r for r in [*STAFF_ROLES, "researcher"] if r not in LISTERS]


def assignment(w) -> dict:
    """A director's assignment without an answer (created for the row; the test's transaction drops it)."""
    return {"pk": director_assignment(w).pk}


def pedagogical_decision(w) -> dict:
    """A decision of the pedagogical council's signed protocol, not yet passed to the service."""
    return {"pk": pedagogical_meeting(w).agenda.get().decisions.get().pk}


MATRIX = {
    "planning:assignment_list": get(LISTERS),
    "planning:assignment_create": get(["director"]),
    "planning:assignment_detail": get(LISTERS, assignment, hidden=NOT_LISTERS),
    "planning:assignment_answer": get(["deputy", "methodist", "chair"], assignment, hidden=NOT_LISTERS),
    "planning:assignment_cancel": get(["director"], assignment, hidden=NOT_LISTERS),
    # the researcher may not see the college's meetings at all
    "planning:decision_pass": get(["director", "deputy"], pedagogical_decision, hidden=["researcher"]),
}
