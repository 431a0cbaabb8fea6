"""Attestation and professional development (DOMAIN.md "Attestation", "Professional development").

- TrainingRecord: a course of повышение квалификации, профессиональная переподготовка or a стажировка, added by the
  teacher (or the methodist) and confirmed by the methodist.
- Category: a qualification category a person holds, set by the regional commission; its end date is computed
  (none for categories set on or after 01.09.2023, else five years).
- AttestationCase: one attestation of a person: conformity to the position (the college's commission) or a
  category (the regional commission), from planning to the decision.
- Portfolio: a person's portfolio for a period, assembled from what the portal holds.
- Diagnostics (the regulation's task 2.2): CompetencyFramework → Competency (a tree with codes and a level scale),
  DiagnosticCampaign (a year, a framework, who is assessed and by whom, a window) → CampaignParticipant → Assessment
  (self or expert, draft or submitted) → Score (a level per competency). Self and expert results are kept apart.

The schedule (who is due for what, exempt and why) is not stored: attestation.schedule computes it from these and
the person's record.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from planning.models import AcademicYear, AgendaItem
from structure.models import Person

from . import schedule


class TrainingKind(models.TextChoices):
    QUALIFICATION = "qualification", _("professional development course (ПК)")
    RETRAINING = "retraining", _("professional retraining")
    INTERNSHIP = "internship", _("internship (стажировка)")


#: The least number of hours of each kind (Приказ Минобрнауки № 266 от 24.03.2025); a стажировка has no minimum.
MIN_HOURS = {TrainingKind.QUALIFICATION: 16, TrainingKind.RETRAINING: 250, TrainingKind.INTERNSHIP: 1}


class DocumentKind(models.TextChoices):
    CERTIFICATE = "certificate", _("certificate of professional development (удостоверение)")
    DIPLOMA = "diploma", _("diploma of professional retraining")
    STATEMENT = "statement", _("statement of an internship (справка)")
    OTHER = "other", _("other document")


class TrainingStatus(models.TextChoices):
    SUBMITTED = "submitted", _("waiting for confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    RETURNED = "returned", _("returned for correction")


class TrainingRecord(models.Model):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="trainings")
    kind = models.CharField(_("kind"), max_length=20, choices=TrainingKind.choices)
    programme = models.CharField(_("programme"), max_length=500)
    provider = models.CharField(_("provider"), max_length=300)
    hours = models.PositiveIntegerField(_("hours"))
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    document_kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    scan = models.FileField(_("scan of the document"), upload_to="training/%Y/", blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TrainingStatus.choices, default=TrainingStatus.SUBMITTED
    )
    return_comment = models.TextField(_("comment on return"), blank=True)
    confirmed_by = models.ForeignKey(
        Person, verbose_name=_("confirmed by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        Person, verbose_name=_("added by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-end", "-pk"]
        verbose_name = _("professional development record")
        verbose_name_plural = _("professional development records")
        indexes = [
            # the lists of records, the latest first; the queue waiting for confirmation, oldest first
            models.Index(fields=["-end", "-id"], name="training_end"),
            models.Index(fields=["status", "created_at"], name="training_status_created"),
            # who has a confirmed record of a kind ended in a span (the compliance list of everyone): index only
            models.Index(fields=["status", "kind", "end", "person"], name="training_compliance"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="training_ends_after_start",
                violation_error_message=_("A course cannot end before it starts."),
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.programme}"

    def get_absolute_url(self) -> str:
        return reverse("attestation:training_detail", kwargs={"pk": self.pk})

    @property
    def is_confirmed(self) -> bool:
        return self.status == TrainingStatus.CONFIRMED


class CategoryKind(models.TextChoices):
    FIRST = "first", _("first category")
    HIGHEST = "highest", _("highest category")
    METHODIST = "methodist", _("«педагог-методист»")
    MENTOR = "mentor", _("«педагог-наставник»")


class Category(models.Model):
    """A qualification category a person holds or held, as the regional authority's order set it."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="categories")
    kind = models.CharField(_("category"), max_length=20, choices=CategoryKind.choices)
    set_on = models.DateField(_("set on"))
    order_number = models.CharField(_("number of the regional order"), max_length=100, blank=True)
    order_date = models.DateField(_("date of the regional order"), null=True, blank=True)
    case = models.OneToOneField(
        "AttestationCase",
        verbose_name=_("attestation case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="category_set",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "-set_on", "-pk"]
        verbose_name = _("qualification category")
        verbose_name_plural = _("qualification categories")

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"

    @property
    def valid_until(self) -> datetime.date | None:
        """The last day in force; None: no end (set on or after 01.09.2023). attestation.schedule decides."""
        return schedule.category_until(schedule.CategoryHeld(self.kind, self.set_on))


class CaseKind(models.TextChoices):
    CONFORMITY = "conformity", _("conformity to the position")
    FIRST = "first", _("first category")
    HIGHEST = "highest", _("highest category")
    METHODIST = "methodist", _("«педагог-методист»")
    MENTOR = "mentor", _("«педагог-наставник»")


class CaseStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    DOCUMENTS = "documents", _("documents being prepared")
    SUBMITTED = "submitted", _("submitted")
    DECIDED = "decided", _("decided")
    WITHDRAWN = "withdrawn", _("withdrawn")


class CaseDecision(models.TextChoices):
    CONFORMS = "conforms", _("conforms to the position")
    DOES_NOT_CONFORM = "does_not_conform", _("does not conform to the position")
    GRANTED = "granted", _("category set")
    REFUSED = "refused", _("category refused")


class AttestationCase(models.Model):
    """One attestation of one person. The workflow and its checks live in attestation.services.cases (both kinds)
    and attestation.services.conformity (the college's commission).

    Conformity: the methodist opens the case, drafts the employer's представление (`presentation`), the teacher
    acknowledges it (`acknowledged_on`) and may add information (`teacher_addition`); the sitting is an agenda
    question (`agenda_item`) at a meeting of the attestation commission (planning), at least 30 days after the
    acknowledgement; the decision and the vote are the question's; the extract is printed from the signed
    protocol's snapshot, never from live rows.

    Categories: the teacher's application (`submitted_on`) with a portfolio frozen at submission
    (`portfolio_snapshot`), the employer's ходатайство (`petition`) for методист / наставник, the regional
    commission's date (`sitting_on`, at most 30 days after the submission) and decision (`decided_on`, at most 60 days
    after the sitting), the regional order's number and date; a granted case creates the Category."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="attestations")
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.PLANNED)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    sitting_on = models.DateField(_("date of the commission's sitting"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=CaseDecision.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    # conformity: the employer's представление, shown to the teacher under signature
    presentation = models.TextField(_("representation (представление)"), blank=True)
    presentation_by = models.ForeignKey(
        Person,
        verbose_name=_("representation drafted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    presentation_at = models.DateTimeField(_("representation drafted at"), null=True, blank=True)
    acknowledged_on = models.DateField(_("acknowledged by the teacher on"), null=True, blank=True)
    teacher_addition = models.TextField(_("information added by the teacher"), blank=True)
    agenda_item = models.OneToOneField(
        AgendaItem,
        verbose_name=_("question at the commission's sitting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attestation_case",
    )
    #: The teacher's signature under the extract of the protocol (within 3 working days of receiving it).
    extract_acknowledged_on = models.DateField(_("extract acknowledged by the teacher on"), null=True, blank=True)
    # categories: the employer's ходатайство, the portfolio as submitted, the regional order
    petition = models.TextField(_("petition of the employer (ходатайство)"), blank=True)
    petition_by = models.ForeignKey(
        Person,
        verbose_name=_("petition drafted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    petition_at = models.DateTimeField(_("petition drafted at"), null=True, blank=True)
    portfolio = models.ForeignKey(
        "Portfolio",
        verbose_name=_("portfolio"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    #: What the portfolio held when the application was submitted; the case prints this, never the live portfolio.
    portfolio_snapshot = models.JSONField(_("portfolio as submitted"), null=True, blank=True)
    portfolio_hash = models.CharField(_("SHA-256 of the portfolio as submitted"), max_length=64, blank=True)
    order_number = models.CharField(_("number of the regional order"), max_length=100, blank=True)
    order_date = models.DateField(_("date of the regional order"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_by = models.ForeignKey(
        Person, verbose_name=_("created by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("attestation case")
        verbose_name_plural = _("attestation cases")
        indexes = [
            # the list of cases, the newest first; its kind and status filters (the commission's conformity cases)
            models.Index(fields=["-created_at", "-id"], name="case_created"),
            models.Index(fields=["kind", "status"], name="case_kind_status"),
            # who was attested (a positive conformity decision) in a span (the schedule of everyone): index only
            models.Index(fields=["kind", "decision", "decided_on", "person"], name="case_decided"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True)
                | Q(submitted_on__isnull=True)
                | Q(decided_on__gte=F("submitted_on")),
                name="case_decided_after_submission",
                violation_error_message=_("A decision cannot come before the submission."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("attestation:case_detail", kwargs={"pk": self.pk})

    @property
    def is_conformity(self) -> bool:
        return self.kind == CaseKind.CONFORMITY

    @property
    def is_open(self) -> bool:
        return self.status not in (CaseStatus.DECIDED, CaseStatus.WITHDRAWN)


class CaseDocumentKind(models.TextChoices):
    APPLICATION = "application", _("application (заявление)")
    PETITION = "petition", _("petition (ходатайство)")
    PRESENTATION = "presentation", _("representation (представление)")
    PORTFOLIO = "portfolio", _("portfolio")
    DECISION = "decision", _("decision, order")
    OTHER = "other", _("other document")


class CaseDocument(models.Model):
    """A signed scan or a file of an attestation case (through the one safe upload path)."""

    case = models.ForeignKey(AttestationCase, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=CaseDocumentKind.choices)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="attestation/%Y/")
    uploaded_by = models.ForeignKey(Person, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("document of an attestation case")
        verbose_name_plural = _("documents of attestation cases")

    def __str__(self) -> str:
        return self.title


class Portfolio(models.Model):
    """A person's portfolio for a period: it gathers what the portal holds (attestation.selectors.portfolio) and
    the documents uploaded to it; `picks` lists the keys of the entries the person chose to include."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="portfolios")
    title = models.CharField(_("title"), max_length=300)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    picks = models.JSONField(_("entries included"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolios")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="portfolio_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("attestation:portfolio_detail", kwargs={"pk": self.pk})


class PortfolioDocument(models.Model):
    """A file the person uploaded to the portfolio (a diploma, a letter of thanks, a publication)."""

    portfolio = models.ForeignKey(Portfolio, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="portfolio/%Y/")
    uploaded_by = models.ForeignKey(Person, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["issued_on", "pk"]
        verbose_name = _("portfolio document")
        verbose_name_plural = _("portfolio documents")

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------- diagnostics


def default_levels() -> list[dict]:
    """The default level scale: 0–3 with Russian names and descriptors (document text, not translated)."""
    return [
        {
            "value": 0,
            "name": "не проявляется",
            "descriptor": "Действие не выполняется или выполняется с грубыми ошибками.",
        },
        {"value": 1, "name": "начальный", "descriptor": "Выполняет с помощью коллег, по образцу, в типовых ситуациях."},
        {"value": 2, "name": "базовый", "descriptor": "Выполняет самостоятельно и уверенно в типовых ситуациях."},
        {
            "value": 3,
            "name": "продвинутый",
            "descriptor": "Выполняет в нестандартных ситуациях, обобщает опыт, помогает коллегам.",
        },
    ]


class CompetencyFramework(models.Model):
    """A tree of competencies and its level scale. A framework used in a campaign is frozen: a change goes into a new
    version (a copy, `based_on`)."""

    name = models.CharField(_("name"), max_length=300)
    version = models.PositiveIntegerField(_("version"), default=1)
    based_on = models.ForeignKey(
        "self", verbose_name=_("copied from"), on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    source = models.CharField(_("source"), max_length=500, blank=True)
    #: The level scale: [{"value": 0, "name": "…", "descriptor": "…"}, …], values consecutive from 0.
    levels = models.JSONField(_("level scale"), default=default_levels)
    created_by = models.ForeignKey(
        Person, verbose_name=_("created by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"],
                name="framework_version_unique",
                violation_error_message=_("A framework with this name and version already exists."),
            )
        ]

    def __str__(self) -> str:
        return str(_("%(name)s, version %(version)s") % {"name": self.name, "version": self.version})

    def get_absolute_url(self) -> str:
        return reverse("attestation:framework_detail", kwargs={"pk": self.pk})

    @property
    def level_values(self) -> list[int]:
        return [level["value"] for level in self.levels]


class CompetencyKind(models.TextChoices):
    GENERALISED = "generalised", _("generalised labour function")
    FUNCTION = "function", _("labour function")
    INDICATOR = "indicator", _("indicator")


class Competency(models.Model):
    """A node of a framework: a generalised function (A), a function (A/01.6) or an indicator under a function.
    Functions and indicators are what is assessed."""

    framework = models.ForeignKey(
        CompetencyFramework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="competencies"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=CompetencyKind.choices)
    position = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "position", "code"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="competency_code_unique",
                violation_error_message=_("This framework already has a competency with this code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CampaignScope(models.TextChoices):
    ALL = "all", _("all teaching staff")
    UNIT = "unit", _("the members of a unit")
    CHOSEN = "chosen", _("chosen people")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", pgettext_lazy("campaign", "open")
    CLOSED = "closed", pgettext_lazy("campaign", "closed")


class DiagnosticCampaign(models.Model):
    """A diagnostics campaign of a year: a framework, who is assessed (fixed as participants when it opens), the
    experts (by default each person's association head, or named experts), the window for assessments."""

    title = models.CharField(_("title"), max_length=300)
    year = models.ForeignKey(
        AcademicYear, verbose_name=_("academic year"), on_delete=models.PROTECT, related_name="campaigns"
    )
    framework = models.ForeignKey(
        CompetencyFramework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="campaigns"
    )
    scope = models.CharField(_("who is assessed"), max_length=20, choices=CampaignScope.choices)
    unit = models.ForeignKey(
        "structure.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_on = models.DateField(_("window opens"))
    ends_on = models.DateField(_("window closes"))
    status = models.CharField(_("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    created_by = models.ForeignKey(
        Person, verbose_name=_("created by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("diagnostics campaign")
        verbose_name_plural = _("diagnostics campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="campaign_window_ordered",
                violation_error_message=_("The window cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("attestation:campaign_detail", kwargs={"pk": self.pk})


class CampaignParticipant(models.Model):
    """A person assessed in a campaign, with the experts who assess them."""

    campaign = models.ForeignKey(DiagnosticCampaign, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    experts = models.ManyToManyField(Person, verbose_name=_("experts"), blank=True, related_name="+")
    history = HistoricalRecords(m2m_fields=[experts])

    class Meta:
        ordering = ["campaign", "person__last_name", "person__first_name", "pk"]
        verbose_name = _("campaign participant")
        verbose_name_plural = _("campaign participants")
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="participant_unique")]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.person}"


class AssessmentKind(models.TextChoices):
    SELF = "self", _("self-assessment")
    EXPERT = "expert", _("expert assessment")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", pgettext_lazy("assessment", "submitted")


class Assessment(models.Model):
    """One assessor's assessment of one participant: self or expert, a draft until submitted (then fixed)."""

    participant = models.ForeignKey(CampaignParticipant, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(Person, verbose_name=_("assessor"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=AssessmentKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["participant", "kind", "pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["participant", "assessor", "kind"], name="assessment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.get_kind_display()} ({self.assessor})"

    def get_absolute_url(self) -> str:
        return reverse("attestation:assessment_form", kwargs={"pk": self.pk})


class Score(models.Model):
    """A level for one competency in one assessment, with an optional comment and evidence link."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    competency = models.ForeignKey(Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"))
    comment = models.TextField(_("comment"), blank=True)
    evidence_url = models.URLField(_("evidence (link)"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "competency__position", "competency__code"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["assessment", "competency"], name="score_unique")]

    def __str__(self) -> str:
        return f"{self.competency.code}: {self.level}"
