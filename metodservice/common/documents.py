"""Documents that never hold a web worker.

A PDF is made in two steps of very different cost: the HTML (queries and a template, as cheap as the page) and
WeasyPrint's layout (seconds for a long plan). A view that offers a PDF renders the HTML in the request — where its
permission checks run, so the document holds exactly what the person may read — and hands it to
`document_response`, which records a `DocumentJob` and enqueues `render_document` on Django's Tasks framework. With
PostgreSQL a `manage.py db_worker` process renders it while the person's browser shows the job's page, which
refreshes itself until the file is offered; the SQLite quick start (and the tests) run the task at once and answer
with the PDF itself.

Documents that can no longer change (a signed order, an approved plan version) are rendered once when they are
fixed and stored with their SHA-256 by their app (`store_fixed_pdf`), and served as stored.
"""

from __future__ import annotations

import datetime
import hashlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from .models import DocumentJob, JobStatus
from .pdf import html_to_pdf, pdf_response
from .uploads import delete_on_commit

logger = logging.getLogger(__name__)

__all__ = ["document_response", "fixed_pdf_response", "render_document", "store_fixed_pdf"]

#: A finished job's file is kept this long for the person to download it again, then removed.
KEEP_FINISHED = datetime.timedelta(days=1)
#: While a document is being prepared its page asks the browser to look again after this many seconds.
REFRESH_SECONDS = 2


@task()
def render_document(job_id: int) -> None:
    """The worker's step: the job's HTML to PDF, stored with its SHA-256; a failure is recorded on the job (the person
    sees it and may ask again), never raised to the worker."""
    job = DocumentJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).first()
    if job is None:  # done already, or removed
        return
    _prune(job.requested_by_id, keep=job.pk)  # here, not in the request: the worker pays for the housekeeping
    job.status, job.progress = JobStatus.RUNNING, 30
    job.save(update_fields=["status", "progress"])
    try:
        pdf = html_to_pdf(job.html)
    except Exception as error:  # noqa: BLE001 — any failure of the layout engine is the job's, not the worker's
        logger.exception("Document job %s failed", job.pk)
        job.status, job.error = JobStatus.FAILED, f"{type(error).__name__}: {error}"[:2000]
    else:
        job.file.save(f"{job.pk}.pdf", ContentFile(pdf), save=False)
        job.sha256 = hashlib.sha256(pdf).hexdigest()
        job.status, job.progress, job.html = JobStatus.DONE, 100, ""
    job.finished_at = timezone.now()
    job.save()


def _prune(user_id: int, *, keep: int) -> None:
    """The person's jobs older than KEEP_FINISHED go, with their files (once the transaction commits)."""
    old = DocumentJob.objects.filter(requested_by_id=user_id, created_at__lt=timezone.now() - KEEP_FINISHED).exclude(
        pk=keep
    )
    for name in old.exclude(file="").values_list("file", flat=True):
        delete_on_commit(DocumentJob._meta.get_field("file").storage, name)
    old.delete()


def document_response(request: HttpRequest, template_name: str, context: dict, filename: str) -> HttpResponse:
    """Answer a request for a PDF without rendering it here: the HTML is rendered now (cheap, and as this person may
    read it), the layout by a background task. The same document asked for again while it is being prepared is the
    same job (a double click queues one). Immediately rendered (the quick start, tests): the PDF itself."""
    html = render_to_string(template_name, context)
    user = request.user
    if not isinstance(user, get_user_model()):  # every page asks for a login first; never here without one
        raise PermissionDenied
    kind = request.resolver_match.view_name if request.resolver_match else template_name
    path = request.get_full_path()
    pending = DocumentJob.objects.filter(
        requested_by=user, kind=kind, params__path=path, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    ).first()
    if pending is not None:
        return redirect("document_job", pending.pk)
    title = filename.removesuffix(".pdf").replace("_", " ")
    with transaction.atomic():  # a GET runs without a transaction (AtomicWritesMiddleware): the job and its task
        job = DocumentJob.objects.create(
            kind=kind,
            params={"path": path},
            title=title[:300],
            filename=filename[:300],
            requested_by=user,
            html=html,
        )
        result = render_document.enqueue(job.pk)
    if result.is_finished:  # run at once (the quick start, the tests): the file, or the job's page with its error
        job.refresh_from_db(fields=["status", "file"])
        if job.status == JobStatus.DONE:
            return _serve(job)
    return redirect("document_job", job.pk)


def _serve(job: DocumentJob) -> HttpResponse:
    try:
        with job.file.open("rb") as handle:
            return pdf_response(handle.read(), job.filename)
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error


def _own_job(request: HttpRequest, pk: int) -> DocumentJob:
    """A job is seen by the person who asked for it, and by nobody else (404, as a page out of reach)."""
    return get_object_or_404(DocumentJob.objects.defer("html"), pk=pk, requested_by=request.user)


@require_GET
@login_required
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The document being prepared: its state and a progress bar, refreshed by the browser until it is ready (an
    HTTP Refresh header: no script), then a link to the file."""
    job = _own_job(request, pk)
    response = render(request, "documents/job.html", {"job": job, "refresh": REFRESH_SECONDS})
    if not job.is_finished:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@require_GET
@login_required
def job_file(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    if job.status != JobStatus.DONE:
        return redirect("document_job", job.pk)
    return _serve(job)


# ---------------------------------------------------------------- documents fixed once and for all


def store_fixed_pdf(obj: Model, pdf: bytes) -> None:
    """Store a fixed document's PDF on `obj` (fields `pdf` and `pdf_sha256`), replacing an earlier one."""
    field: FieldFile = obj.pdf  # type: ignore[attr-defined]
    previous = field.name
    field.save(f"{obj.pk}.pdf", ContentFile(pdf), save=False)
    obj.pdf_sha256 = hashlib.sha256(pdf).hexdigest()  # type: ignore[attr-defined]
    obj.save(update_fields=["pdf", "pdf_sha256"])
    if previous and previous != field.name:
        delete_on_commit(field.storage, previous)


def clear_fixed_pdf(obj: Model) -> None:
    """Forget a stored PDF that no longer prints what the document says now (the file goes once committed); until
    it is stored again the document is rendered on request, in the background."""
    field: FieldFile = obj.pdf  # type: ignore[attr-defined]
    if field.name:
        delete_on_commit(field.storage, field.name)
    type(obj)._default_manager.filter(pk=obj.pk).update(pdf="", pdf_sha256="")


def fixed_pdf_response(obj: Model, filename: str) -> HttpResponse | None:
    """The stored PDF of a fixed document, or None when there is none (yet)."""
    field: FieldFile = obj.pdf  # type: ignore[attr-defined]
    if not field.name:
        return None
    try:
        with field.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError):
        logger.warning("The stored PDF of %r is missing: %s", obj, field.name)
        return None
    return pdf_response(data, filename)


def store_on_commit(task_, pk: int) -> None:
    """Enqueue the task that stores a fixed document's PDF once the fixing transaction commits (unless the project
    is set not to: STORE_FIXED_DOCUMENTS, off in most tests, whose worlds sign hundreds of orders)."""
    if getattr(settings, "STORE_FIXED_DOCUMENTS", True):
        transaction.on_commit(lambda: task_.enqueue(pk), robust=True)
