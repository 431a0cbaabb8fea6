"""Documents never hold a web worker (issue 13): a PDF asked for is queued as a job that a worker renders while the
person sees its progress; a signed order and an approved plan version are rendered once when fixed and served as
stored with their SHA-256."""

from __future__ import annotations

import datetime
import hashlib
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from metodservice.common import documents
from metodservice.common.models import DocumentJob, JobStatus
from planning import services as planning_services
from structure import services
from structure.models import Order
from tests.structure.test_order_pdf import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]


def _use_backend(backend):
    from django.tasks import task_backends

    original = getattr(task_backends._connections, "default", None)
    task_backends["default"] = backend
    return task_backends, original


@pytest.fixture
def queued():
    """Tasks wait in a queue that nobody works on (as with the database queue before the worker takes them)."""
    from django.tasks.backends.dummy import DummyBackend

    task_backends, original = _use_backend(DummyBackend(alias="default", params={}))
    yield
    if original is None:
        delattr(task_backends._connections, "default")
    else:
        task_backends["default"] = original


def _client(world, role: str) -> Client:
    client = Client()
    client.force_login(world.people[role].user)
    return client


def test_a_queued_pdf_shows_its_progress_then_the_file(world, queued):
    client = _client(world, "methodist")
    url = reverse("planning:plan_pdf", args=[world.service_plan.pk])

    response = client.get(url)
    job = DocumentJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("document_job", args=[job.pk])
    assert job.status == JobStatus.QUEUED and job.html and job.requested_by == world.people["methodist"].user

    page = client.get(reverse("document_job", args=[job.pk]))
    assert page.status_code == 200
    assert page["Refresh"] == str(documents.REFRESH_SECONDS)
    assert "Документ ждёт своей очереди" in page.text
    assert '<progress id="job-progress"' in page.text
    # Not ready yet: the file's address leads back to the page.
    assert client.get(reverse("document_job_file", args=[job.pk]))["Location"] == reverse("document_job", args=[job.pk])

    # A second click while it waits: the same job.
    assert client.get(url)["Location"] == reverse("document_job", args=[job.pk])
    assert DocumentJob.objects.count() == 1

    documents.render_document.call(job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100 and job.html == ""
    page = client.get(reverse("document_job", args=[job.pk]))
    assert "Refresh" not in page
    assert reverse("document_job_file", args=[job.pk]) in page.text
    pdf = client.get(reverse("document_job_file", args=[job.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert hashlib.sha256(body).hexdigest() == job.sha256
    assert "ПЛАН" in pdf_text(body).upper()


def test_a_job_is_seen_by_the_person_who_asked_only(world, queued):
    _client(world, "methodist").get(reverse("planning:plan_pdf", args=[world.service_plan.pk]))
    job = DocumentJob.objects.get()
    documents.render_document.call(job.pk)
    for role in ("chair", "director", "teacher"):
        other = _client(world, role)
        assert other.get(reverse("document_job", args=[job.pk])).status_code == 404
        assert other.get(reverse("document_job_file", args=[job.pk])).status_code == 404
    assert Client().get(reverse("document_job", args=[job.pk])).status_code == 302  # to the login page


def test_a_document_out_of_reach_queues_nothing(world, queued):
    response = _client(world, "group_lead").get(reverse("planning:plan_pdf", args=[world.teacher_plan.pk]))
    assert response.status_code == 404
    assert not DocumentJob.objects.exists()


def test_a_failed_job_says_so_and_may_be_asked_again(world, queued):
    client = _client(world, "methodist")
    url = reverse("planning:plan_pdf", args=[world.service_plan.pk])
    client.get(url)
    job = DocumentJob.objects.get()
    with mock.patch.object(documents, "html_to_pdf", side_effect=RuntimeError("layout")):
        documents.render_document.call(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "layout" in job.error
    page = client.get(reverse("document_job", args=[job.pk]))
    assert "Не удалось подготовить документ" in page.text and "Refresh" not in page
    # Asking again makes a new job (the failed one is not waiting).
    assert client.get(url)["Location"] != reverse("document_job", args=[job.pk])
    assert DocumentJob.objects.count() == 2


def test_old_jobs_and_their_files_are_removed(world):
    client = _client(world, "methodist")
    url = reverse("planning:plan_pdf", args=[world.service_plan.pk])
    assert client.get(url)["Content-Type"] == "application/pdf"  # rendered at once (the quick start, tests)
    old = DocumentJob.objects.get()
    storage, name = old.file.storage, old.file.name
    assert storage.exists(name)
    long_ago = timezone.now() - documents.KEEP_FINISHED - datetime.timedelta(minutes=1)
    DocumentJob.objects.filter(pk=old.pk).update(created_at=long_ago)
    with mock.patch("django.db.transaction.on_commit", side_effect=lambda f, robust=False: f()):
        client.get(url)
    assert DocumentJob.objects.count() == 1
    assert DocumentJob.objects.get().created_at > long_ago
    assert not storage.exists(name)


# ---------------------------------------------------------------- fixed documents, stored once


@pytest.fixture
def storing(settings, django_capture_on_commit_callbacks):
    settings.STORE_FIXED_DOCUMENTS = True
    return django_capture_on_commit_callbacks


def _sign(world, order: Order) -> Order:
    return services.order_sign(order=order, person=world.people["director"])


def test_a_signed_order_is_stored_once_and_served_as_stored(world, storing):
    order = world.on_signing
    with storing(execute=True):
        _sign(world, order)
    order.refresh_from_db()
    assert order.pdf.name and len(order.pdf_sha256) == 64
    with order.pdf.open("rb") as handle:
        stored = handle.read()
    assert hashlib.sha256(stored).hexdigest() == order.pdf_sha256
    assert order.registration_number in pdf_text(stored)

    with mock.patch.object(documents, "html_to_pdf") as render:
        response = _client(world, "deputy").get(reverse("structure:order_pdf", args=[order.pk]))
    render.assert_not_called()  # no rendering in the request
    assert response.content == stored
    assert not DocumentJob.objects.exists()


def test_an_acknowledgement_stores_the_order_again(world, storing):
    order = world.on_signing
    with storing(execute=True):
        _sign(world, order)
    order.refresh_from_db()
    before = order.pdf_sha256
    person = order.acknowledgements.first().person
    with storing(execute=True):
        services.order_acknowledge(order=order, person=person)
    order.refresh_from_db()
    assert order.pdf_sha256 and order.pdf_sha256 != before
    with order.pdf.open("rb") as handle:
        assert "ознакомлен" in pdf_text(handle.read())


def test_an_approved_version_is_stored_and_offered_on_the_plan_page(world, storing):
    plan = world.association_plan
    with storing(execute=True):
        planning_services.plan_approve(plan=plan, person=world.people["chair"])
    version = plan.versions.get()
    assert version.pdf.name and len(version.pdf_sha256) == 64
    url = reverse("planning:version_pdf", args=[plan.pk, version.number])
    client = _client(world, "mo_head")
    assert url in client.get(plan.get_absolute_url()).text
    response = client.get(url)
    with version.pdf.open("rb") as handle:
        assert response.content == handle.read()
    assert "_версия_1.pdf" in response["Content-Disposition"] or "%D0%B2%D0%B5%D1%80" in response["Content-Disposition"]
    # Out of reach: 404, as the plan's page.
    assert _client(world, "researcher").get(url).status_code == 404
    assert client.get(reverse("planning:version_pdf", args=[plan.pk, 9])).status_code == 404


def test_store_documents_fills_in_what_is_missing_once(world, settings):
    from io import StringIO

    from django.core.management import call_command

    signed = Order.objects.filter(status__in=["signed", "cancelled"])
    assert signed.exists() and not signed.exclude(pdf="").exists()  # the world was built without storing
    out = StringIO()
    call_command("store_documents", stdout=out)  # the tasks run at once here
    assert f"orders: {signed.count()}, plan versions: 1 queued" in out.getvalue()
    assert not signed.filter(pdf="").exists()
    assert world.service_plan.versions.exclude(pdf="").count() == 1
    out = StringIO()
    call_command("store_documents", stdout=out)
    assert "orders: 0, plan versions: 0 queued" in out.getvalue()


def test_the_database_queue_and_its_worker_render_the_document(world):
    """Production's path: the request leaves a task in the database; `db_worker` takes it and renders the PDF."""
    from django.core.management import call_command
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    task_backends, original = _use_backend(DatabaseBackend(alias="default", params={}))
    try:
        client = _client(world, "methodist")
        response = client.get(reverse("planning:plan_pdf", args=[world.service_plan.pk]))
        job = DocumentJob.objects.get()
        assert response.status_code == 302 and job.status == JobStatus.QUEUED
        assert DBTaskResult.objects.filter(task_path="metodservice.common.documents.render_document").count() == 1
        # The worker closes stale connections between tasks; in a test that would close the test's transaction.
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("db_worker", "--batch", "--no-startup-delay")
    finally:
        if original is None:
            delattr(task_backends._connections, "default")
        else:
            task_backends["default"] = original
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert client.get(reverse("document_job_file", args=[job.pk]))["Content-Type"] == "application/pdf"


def test_a_cancellation_stores_the_cancelled_order_again_with_the_mark(world, storing):
    from structure.models import ActionKind, UnitKind
    from tests.factories import create_unit, signed_order

    director, deputy = world.people["director"], world.people["deputy"]
    with storing(execute=True):
        unit = create_unit(
            director,
            deputy,
            UnitKind.CREATIVE_GROUP,
            "Проектное обучение",
            head=world.people["teacher"],
            at=timezone.now() - datetime.timedelta(days=10),
        )
    target = unit.created_by_order
    target.refresh_from_db()
    before = target.pdf_sha256
    assert before
    with storing(execute=True):
        cancel = signed_order(director, deputy, [{"kind": ActionKind.CANCEL_ORDER, "target_order": target}])
    target.refresh_from_db()
    assert target.pdf_sha256 and target.pdf_sha256 != before
    with target.pdf.open("rb") as handle:
        text = pdf_text(handle.read())
    assert f"Приказ отменён приказом от {cancel.date:%d.%m.%Y} № {cancel.registration_number}" in text
