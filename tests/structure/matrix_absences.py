"""Role-matrix rows of a person's absence periods (structure/views_absences.py).

The periods are personal data: the teacher's period answers 404 to whoever may not see the teacher's personal data
(colleagues, association heads included, the administrator, the external researcher), 403 to the teacher and the
director, who see it but do not keep it; the deputy and the methodist keep it.
"""

from __future__ import annotations

import datetime

from structure.models import AbsenceKind, AbsencePeriod
from tests.matrix import DRAFTERS, get

#: Who may not see the teacher's personal data (404); the teacher and the director see it (403 on the actions).
NOT_PERSONAL = ["admin", "chair", "secretary", "mo_head", "group_lead", "lab_head", "researcher"]


def teacher(w) -> dict:
    return {"pk": w.people["teacher"].pk}


def teacher_absence(w) -> dict:
    """The teacher's parental leave, added once for the class's world (each request is rolled back)."""
    absence, _created = AbsencePeriod.objects.get_or_create(
        person=w.people["teacher"],
        kind=AbsenceKind.PARENTAL,
        start=w.today - datetime.timedelta(days=400),
        defaults={"end": w.today - datetime.timedelta(days=30)},
    )
    return {"pk": w.people["teacher"].pk, "absence_pk": absence.pk}


MATRIX = {
    "structure:absence_add": get(DRAFTERS, teacher, hidden=["researcher"]),
    "structure:absence_edit": get(DRAFTERS, teacher_absence, hidden=NOT_PERSONAL),
    "structure:absence_delete": get(DRAFTERS, teacher_absence, hidden=NOT_PERSONAL),
}
