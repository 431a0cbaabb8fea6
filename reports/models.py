"""The annual report on methodological work (for the pedagogical council), and its frozen copies.

The report itself is computed from the data each time it is shown; what is kept is only what a person writes (the
conclusions and the tasks for next year) and which sections are switched off. Freezing it «as of» a date keeps the
printed document as it was: its HTML, the SHA-256 of that HTML, the PDF laid out once from it with its own SHA-256,
and the meeting's question it was presented at.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from planning.models import AcademicYear, AgendaItem
from structure.models import Person


class AnnualReport(models.Model):
    year = models.OneToOneField(
        AcademicYear, verbose_name=_("academic year"), on_delete=models.PROTECT, related_name="annual_report"
    )
    #: The keys of the sections switched off for a shorter report (reports.sections.SECTIONS).
    sections_off = models.JSONField(_("sections switched off"), default=list, blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    tasks = models.TextField(_("tasks for next year"), blank=True, help_text=_("One task per line."))
    updated_by = models.ForeignKey(
        Person, verbose_name=_("updated by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year__start"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")

    def __str__(self) -> str:
        return str(self.year)

    def get_absolute_url(self) -> str:
        return reverse("reports:annual", args=[self.year_id])


class FrozenReport(models.Model):
    """The annual report as it was printed «as of» a date: never changed once made."""

    report = models.ForeignKey(
        AnnualReport, verbose_name=_("annual report"), on_delete=models.PROTECT, related_name="frozen"
    )
    as_of = models.DateField(_("as of"))
    frozen_at = models.DateTimeField(_("frozen at"))
    frozen_by = models.ForeignKey(Person, verbose_name=_("frozen by"), on_delete=models.PROTECT, related_name="+")
    #: «И.О. Фамилия, должность» as it was when the report was frozen.
    frozen_by_name = models.CharField(_("frozen by (as printed)"), max_length=300)
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("question of the meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="frozen_reports",
    )
    sections = models.JSONField(_("sections"), default=list)
    html = models.TextField(_("document"))
    content_sha256 = models.CharField(_("SHA-256 of the document"), max_length=64)
    pdf = models.FileField(_("PDF"), upload_to="reports/frozen/", blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)

    class Meta:
        ordering = ["-frozen_at", "-pk"]
        verbose_name = _("frozen report")
        verbose_name_plural = _("frozen reports")

    def __str__(self) -> str:
        return f"{self.report} ({self.as_of:%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return reverse("reports:frozen", args=[self.pk])
