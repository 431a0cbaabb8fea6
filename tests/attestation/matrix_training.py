"""Role-matrix rows of the professional development pages (attestation/views/training.py).

The record: the teacher's own course (ПК), added by the teacher with a scan, waiting for confirmation — made for
each URL's test (rolled back after it). Who sees it: the teacher, management, the administrator and the head of the
teacher's association (`mo_head`); everyone else gets 404. The teacher edits and deletes it; the methodist edits
any record; the methodist and the deputy confirm and return it. The compliance list and the records waiting for
confirmation: management, the administrator and the heads of associations.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from attestation.models import DocumentKind, TrainingKind, TrainingRecord
from attestation.services import training as services
from tests.matrix import Case, get, post
from tests.security import upload_samples
from tests.world import STAFF_ROLES

#: Who sees the teacher's records: the teacher, the head of the teacher's association, management, the administrator.
VIEWERS = ["admin", "director", "deputy", "methodist", "mo_head", "teacher"]
HIDDEN = ["chair", "secretary", "group_lead", "lab_head", "researcher"]
LISTERS = ["admin", "director", "deputy", "methodist", "mo_head"]


def teacher_record(world) -> TrainingRecord:
    teacher = world.people["teacher"]
    existing = TrainingRecord.objects.filter(person=teacher).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    return services.training_add(
        person=teacher,
        by=teacher,
        kind=TrainingKind.QUALIFICATION,
        programme="Цифровая образовательная среда колледжа",
        provider="Институт развития образования",
        hours=72,
        start=today - datetime.timedelta(days=40),
        end=today - datetime.timedelta(days=30),
        document_kind=DocumentKind.CERTIFICATE,
        document_number="772400012345",
        scan=SimpleUploadedFile("Удостоверение.pdf", upload_samples.PDF),
        today=today,
    )


record = lambda w: {"pk": teacher_record(w).pk}  # noqa: E731
teacher = lambda w: {"pk": w.people["teacher"].pk}  # noqa: E731

MATRIX: dict[str, Case] = {
    "attestation:training_mine": get(STAFF_ROLES),
    "attestation:training_add": get(STAFF_ROLES),
    "attestation:training_compliance": get(LISTERS),
    "attestation:training_pending": get(LISTERS),
    "attestation:training_person": get(VIEWERS, teacher, hidden=HIDDEN),
    "attestation:training_detail": get(VIEWERS, record, hidden=HIDDEN),
    "attestation:training_edit": get(["teacher", "methodist"], record, hidden=HIDDEN),
    "attestation:training_delete": get(["teacher"], record, hidden=HIDDEN),
    "attestation:training_confirm": post(["methodist", "deputy"], record, hidden=HIDDEN),
    "attestation:training_return": post(["methodist", "deputy"], record, hidden=HIDDEN, data={"comment": "Нет номера"}),
    "attestation:training_scan": get(VIEWERS, record, hidden=HIDDEN),
}
