"""Role-matrix rows of the documents being prepared (metodservice.common.documents) and of an approved plan version's
stored PDF and its page of items: a job is seen by the person who asked for it only, 404 to everyone else; the
version, by the plan's readers."""

from __future__ import annotations

from django.core.files.base import ContentFile

from metodservice.common.documents import store_fixed_pdf
from metodservice.common.models import DocumentJob, JobStatus
from tests.matrix import EVERYONE, STAFF_AND_ADMIN, Case, get

PDF = b"%PDF-1.4\n% a document\n"


def _teachers_job(w) -> dict:
    job = DocumentJob(
        kind="planning:plan_pdf",
        title="План",
        filename="План.pdf",
        requested_by=w.people["teacher"].user,
        status=JobStatus.DONE,
        progress=100,
    )
    job.save()
    job.file.save("job.pdf", ContentFile(PDF), save=True)
    return {"pk": job.pk}


def _stored_version(w) -> dict:
    version = w.service_plan.versions.get()
    store_fixed_pdf(version, PDF)
    return {"pk": w.service_plan.pk, "number": version.number}


def _version(w) -> dict:
    return {"pk": w.service_plan.pk, "number": w.service_plan.versions.get().number}


OTHERS = [role for role in EVERYONE if role != "teacher"]

MATRIX: dict[str, Case] = {
    "document_job": get(["teacher"], _teachers_job, hidden=OTHERS),
    "document_job_file": get(["teacher"], _teachers_job, hidden=OTHERS),
    "planning:version_pdf": get(STAFF_AND_ADMIN, _stored_version, hidden=["researcher"]),
    "planning:version_detail": get(STAFF_AND_ADMIN, _version, hidden=["researcher"]),
}
