"""Role-matrix rows of the qualification categories of a person (attestation/views/records.py).

The teacher's category is seen by the teacher, management, the administrator and the head of the teacher's
association (mo_head); it answers 404 to everyone else. The deputy and the methodist record it; those who see it
and may not change it get 403.
"""

from __future__ import annotations

import datetime

from attestation.models import Category, CategoryKind
from tests.matrix import DRAFTERS, get

#: Who does not see the teacher's categories.
NOT_SEEING = ["chair", "secretary", "group_lead", "lab_head", "researcher"]


def teacher(w) -> dict:
    return {"person_pk": w.people["teacher"].pk}


def teacher_category(w) -> dict:
    """The teacher's первая, set a year before the world's day (added once for the class's world)."""
    category, _created = Category.objects.get_or_create(
        person=w.people["teacher"], kind=CategoryKind.FIRST, set_on=w.today - datetime.timedelta(days=365)
    )
    return {"pk": category.pk}


MATRIX = {
    "attestation:category_add": get(DRAFTERS, teacher, hidden=["researcher"]),
    "attestation:category_edit": get(DRAFTERS, teacher_category, hidden=NOT_SEEING),
    "attestation:category_delete": get(DRAFTERS, teacher_category, hidden=NOT_SEEING),
}
