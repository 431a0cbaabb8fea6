"""The one model of the shared helpers: a document rendered in the background (metodservice.common.documents)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("being prepared")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class DocumentJob(models.Model):
    """A document (a draft's PDF, a long report) asked for by a person and rendered by a worker of Django's Tasks
    framework, so that no web worker waits on WeasyPrint; the page shows its progress and then offers the file."""

    kind = models.CharField(_("document"), max_length=100)
    params = models.JSONField(_("parameters"), default=dict)
    #: The document as HTML, rendered in the request that asked for it (where the permission checks ran); the worker
    #: turns it into PDF and clears it.
    html = models.TextField(_("HTML"), blank=True)
    title = models.CharField(_("title"), max_length=300)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    file = models.FileField(_("file"), upload_to="documents/jobs/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=300, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("document being prepared")
        verbose_name_plural = _("documents being prepared")
        indexes = [models.Index(fields=["requested_by", "kind", "status"], name="documentjob_lookup")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}
