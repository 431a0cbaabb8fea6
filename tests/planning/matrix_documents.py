"""Role-matrix rows of planning/views/documents.py: plan PDF/XLSX, protocol PDF, decision register XLSX."""

from __future__ import annotations

from django.core.files.base import ContentFile

from tests.matrix import STAFF_AND_ADMIN, Case, get

#: An individual plan: its teacher, the head of the teacher's association, the council chair, management, admin.
TEACHER_PLAN_READERS = ["admin", "director", "deputy", "methodist", "chair", "mo_head", "teacher"]
TEACHER_PLAN_HIDDEN = ["secretary", "group_lead", "lab_head", "researcher"]

MATRIX: dict[str, Case] = {
    # An individual plan (the strictest case) for the PDF, the service's plan for the XLSX.
    "planning:plan_pdf": get(TEACHER_PLAN_READERS, lambda w: {"pk": w.teacher_plan.pk}, hidden=TEACHER_PLAN_HIDDEN),
    "planning:plan_xlsx": get(STAFF_AND_ADMIN, lambda w: {"pk": w.service_plan.pk}, hidden=["researcher"]),
    # The association's meeting: every staff member sees it; the external researcher is not in the association.
    "planning:protocol_pdf": get(STAFF_AND_ADMIN, lambda w: {"pk": w.meeting.pk}, hidden=["researcher"]),
    "planning:decisions_xlsx": get(STAFF_AND_ADMIN),
    # An evidence file of the teacher's individual plan: the same readers as the plan itself.
    "planning:item_evidence": get(TEACHER_PLAN_READERS, lambda w: _with_evidence(w), hidden=TEACHER_PLAN_HIDDEN),
}


def _with_evidence(w) -> dict:
    item = w.teacher_plan.items.first()
    item.evidence_file.save("evidence.txt", ContentFile("Конспект урока".encode()), save=True)
    return {"pk": w.teacher_plan.pk, "item_pk": item.pk}
