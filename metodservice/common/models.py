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


class NotificationKind(models.TextChoices):
    """What a notification asks someone to do (each person may switch the e-mail of a kind off)."""

    ORDER_TO_SIGN = "order_to_sign", _("an order waits for my signature")
    ORDER_TO_ACKNOWLEDGE = "order_to_acknowledge", _("an order names me: acknowledge it")
    PLAN_SUBMITTED = "plan_submitted", _("a plan waits for my approval")
    PLAN_RETURNED = "plan_returned", _("my plan is returned for rework")
    PLAN_APPROVED = "plan_approved", _("my plan is approved")
    REVIEW_REQUESTED = "review_requested", _("an experience item waits for my review")
    ASSESSMENT_OPENED = "assessment_opened", _("a diagnostics assessment is open for me")
    DEADLINE_SOON = "deadline_soon", _("a plan item or a decision of mine is due within 7 days")
    ASSIGNMENT_ISSUED = "assignment_issued", _("an assignment to the methodological service waits for an answer")
    ATTESTATION_DUE = "attestation_due", _("my attestation or professional development is due within 90 days")


class Notification(models.Model):
    """Something that asks a person to act, in the portal's list (and by e-mail unless they switched its kind off).
    `key` names what it is about: one person is never notified twice of the same thing (a reminder run twice sends
    nothing twice)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("address"), max_length=500, blank=True)
    key = models.CharField(_("about"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notified_once")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text


class EmailOptOut(models.Model):
    """A person does not want e-mail of this kind (the portal's list still shows it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs")
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"
