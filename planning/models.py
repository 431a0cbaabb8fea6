"""Academic years, the ten work directions, the single methodological theme, plans with their items and versions,
meetings of units with agenda, attendance, protocol and decisions, and the assignments of the pedagogical council
and the director that the service answers.

Plans are approved by the structure of the day: every plan has an approver, the first of its chain of candidates
who neither owns, drafted nor submitted it (planning/selectors/approval.py).
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from structure.models import Person, Unit


class AcademicYear(models.Model):
    """An academic year, 1 September to 31 August by default; exactly one is current."""

    title = models.CharField(_("title"), max_length=20, unique=True, help_text=_("For example 2026/2027."))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    is_current = models.BooleanField(_("current"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_year"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="year_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


class WorkDirection(models.Model):
    """One of the ten directions of the regulation (section 3), seeded by a data migration; never deleted."""

    code = models.PositiveSmallIntegerField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("work direction")
        verbose_name_plural = _("work directions")

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class MethodologicalTheme(models.Model):
    """The college's single methodological theme for a multi-year period."""

    title = models.CharField(_("title"), max_length=500)
    goal = models.TextField(_("goal"))
    tasks = models.TextField(_("tasks"), help_text=_("One task per line."))
    start_year = models.ForeignKey(
        AcademicYear, verbose_name=_("first year"), on_delete=models.PROTECT, related_name="+"
    )
    end_year = models.ForeignKey(AcademicYear, verbose_name=_("last year"), on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year__start"]
        verbose_name = _("single methodological theme")
        verbose_name_plural = _("single methodological themes")

    def __str__(self) -> str:
        return self.title

    def covers(self, year: AcademicYear) -> bool:
        return self.start_year.start <= year.start and year.start <= self.end_year.start

    @property
    def task_list(self) -> list[str]:
        return [line.strip() for line in self.tasks.splitlines() if line.strip()]


class ThemeStage(models.Model):
    """What the single theme's work is about in one year (e.g. «диагностико-прогностический этап»)."""

    theme = models.ForeignKey(MethodologicalTheme, on_delete=models.CASCADE, related_name="stages")
    year = models.ForeignKey(AcademicYear, verbose_name=_("academic year"), on_delete=models.PROTECT)
    stage = models.CharField(_("stage"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year__start"]
        constraints = [models.UniqueConstraint(fields=["theme", "year"], name="one_stage_per_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.stage}"


class PlanLevel(models.TextChoices):
    SERVICE = "service", _("plan of the methodological service")
    UNIT = "unit", _("plan of a unit")
    INDIVIDUAL = "individual", _("individual plan")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for approval")
    RETURNED = "returned", _("returned for rework")
    APPROVED = "approved", _("approved")
    AMENDING = "amending", _("amendment in progress")
    AMENDMENT_SUBMITTED = "amendment_submitted", _("amendment submitted")


#: Statuses in which the owner may change the plan's content.
EDITABLE_PLAN_STATUSES = {PlanStatus.DRAFT, PlanStatus.RETURNED, PlanStatus.AMENDING}
#: Statuses waiting for the approver.
SUBMITTED_PLAN_STATUSES = {PlanStatus.SUBMITTED, PlanStatus.AMENDMENT_SUBMITTED}


class Plan(models.Model):
    """A year's plan of the whole service, of a unit, or of a person (individual plan)."""

    level = models.CharField(_("level"), max_length=20, choices=PlanLevel.choices)
    year = models.ForeignKey(
        AcademicYear, verbose_name=_("academic year"), on_delete=models.PROTECT, related_name="plans"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="plans"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("teacher"), on_delete=models.PROTECT, null=True, blank=True, related_name="plans"
    )
    theme = models.ForeignKey(
        MethodologicalTheme,
        verbose_name=_("single methodological theme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
    )
    self_education_theme = models.CharField(_("self-education theme"), max_length=500, blank=True)
    goal = models.TextField(_("goal"), blank=True)
    tasks = models.TextField(_("tasks"), blank=True, help_text=_("One task per line."))
    status = models.CharField(_("status"), max_length=30, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=0, help_text=_("Number of approved versions."))
    amendment_reason = models.TextField(_("reason for the amendment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        Person, verbose_name=_("submitted by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        Person, verbose_name=_("approved by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by_position = models.CharField(_("approver's position"), max_length=300, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    return_comment = models.TextField(_("comment on return"), blank=True)
    returned_by = models.ForeignKey(
        Person, verbose_name=_("returned by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year__start", "level", "pk"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        indexes = [
            # the plans waiting for approval, returned to their owners, the list's status filter
            models.Index(fields=["status"], name="plan_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year"], condition=Q(level="service"), name="one_service_plan_per_year"),
            models.UniqueConstraint(fields=["year", "unit"], condition=Q(level="unit"), name="one_plan_per_unit_year"),
            models.UniqueConstraint(
                fields=["year", "person"], condition=Q(level="individual"), name="one_individual_plan_per_year"
            ),
            models.CheckConstraint(
                condition=(
                    Q(level="service", unit__isnull=True, person__isnull=True)
                    | Q(level="unit", unit__isnull=False, person__isnull=True)
                    | Q(level="individual", unit__isnull=True, person__isnull=False)
                ),
                name="plan_owner_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_label}, {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("planning:plan_detail", args=[self.pk])

    @property
    def owner_label(self) -> str:
        if self.level == PlanLevel.UNIT and self.unit_id:
            return str(_("Plan of «%(unit)s»") % {"unit": self.unit.name})
        if self.level == PlanLevel.INDIVIDUAL and self.person_id:
            return str(_("Individual plan of %(person)s") % {"person": self.person.full_name})
        return str(_("Plan of the methodological service"))

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_PLAN_STATUSES

    @property
    def is_approved_once(self) -> bool:
        return self.version > 0

    @property
    def is_unit_level(self) -> bool:
        return self.level == PlanLevel.UNIT

    @property
    def is_individual_level(self) -> bool:
        return self.level == PlanLevel.INDIVIDUAL

    @property
    def is_submitted(self) -> bool:
        return self.status == PlanStatus.SUBMITTED

    @property
    def is_returned(self) -> bool:
        return self.status == PlanStatus.RETURNED

    @property
    def is_approved(self) -> bool:
        return self.status == PlanStatus.APPROVED

    @property
    def is_amending(self) -> bool:
        return self.status == PlanStatus.AMENDING

    @property
    def is_amendment_submitted(self) -> bool:
        return self.status == PlanStatus.AMENDMENT_SUBMITTED

    @property
    def task_list(self) -> list[str]:
        return [line.strip() for line in self.tasks.splitlines() if line.strip()]


class PlanVersion(models.Model):
    """An approved version of a plan, frozen as it was approved («УТВЕРЖДАЮ» with who and when)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("content"))
    reason = models.TextField(_("reason for the amendment"), blank=True)
    approved_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    #: The approver as approved («УТВЕРЖДАЮ»): printed from here, never read live afterwards.
    approved_by_name = models.CharField(_("approver's name as approved"), max_length=300, blank=True)
    approved_by_position = models.CharField(_("approver's position as approved"), max_length=300, blank=True)
    approved_at = models.DateTimeField(_("approved at"))
    content_hash = models.CharField(_("SHA-256 of the approved content"), max_length=64, blank=True)
    #: The approved version's PDF, rendered once by a background task after approval and served as stored.
    pdf = models.FileField(_("PDF as approved"), upload_to="documents/plans/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the stored PDF"), max_length=64, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class WorkForm(models.TextChoices):
    SEMINAR = "seminar", _("seminar")
    MEETING = "meeting", _("meeting")
    OPEN_LESSON = "open_lesson", _("open lesson")
    MASTER_CLASS = "master_class", _("master class")
    COURSE = "course", _("course")
    CONSULTATION = "consultation", _("consultation")
    ROUND_TABLE = "round_table", _("round table")
    CONFERENCE = "conference", _("conference")
    CONTEST = "contest", _("contest")
    PUBLICATION = "publication", _("publication")
    DEVELOPMENT = "development", _("methodological development")
    DIAGNOSTICS = "diagnostics", _("diagnostics")
    SELF_EDUCATION = "self_education", _("self-education")
    OTHER = "other", _("other")


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    POSTPONED = "postponed", _("postponed")
    CANCELLED = "cancelled", pgettext_lazy("execution", "cancelled")


CLOSED_ITEM_STATUSES = {ItemStatus.DONE, ItemStatus.CANCELLED}


class PlanItemQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date):
        return self.filter(due_date__lt=today).exclude(status__in=CLOSED_ITEM_STATUSES)


class PlanItem(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("No."))
    content = models.TextField(_("content of the work"))
    direction = models.ForeignKey(WorkDirection, verbose_name=_("direction"), on_delete=models.PROTECT)
    form = models.CharField(_("form"), max_length=30, choices=WorkForm.choices)
    start_date = models.DateField(_("from"), null=True, blank=True)
    due_date = models.DateField(_("deadline"))
    period = models.CharField(
        _("period"), max_length=100, blank=True, help_text=_("As written in the plan, e.g. «в течение года».")
    )
    responsible = models.ManyToManyField(Person, verbose_name=_("responsible"), related_name="plan_items")
    expected_result = models.CharField(_("form of the result"), max_length=500, blank=True)
    status = models.CharField(_("execution"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    report = models.TextField(_("report"), blank=True)
    evidence_file = models.FileField(_("evidence (file)"), upload_to="plan_evidence/%Y/", blank=True)
    # Intranet addresses often have no dot (http://fileserver/…), which URLField would refuse.
    evidence_link = models.CharField(
        _("evidence (link)"),
        max_length=500,
        blank=True,
        validators=[RegexValidator(r"^https?://\S+$", _("Enter a link starting with http:// or https://."))],
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[responsible])

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        indexes = [
            # the calendar's month, the dashboard's items due and overdue, the statistics' overdue items
            models.Index(fields=["due_date"], name="plan_item_due_date"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.content[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("planning:plan_detail", args=[self.plan_id]) + f"#item-{self.pk}"

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due_date < today and self.status not in CLOSED_ITEM_STATUSES

    @property
    def is_done(self) -> bool:
        return self.status == ItemStatus.DONE

    @property
    def is_postponed(self) -> bool:
        return self.status == ItemStatus.POSTPONED

    @property
    def is_cancelled(self) -> bool:
        return self.status == ItemStatus.CANCELLED


# ---------------------------------------------------------------- meetings


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held, protocol in progress")
    SIGNED = "signed", _("protocol signed")


class Meeting(models.Model):
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="meetings")
    year = models.ForeignKey(
        AcademicYear, verbose_name=_("academic year"), on_delete=models.PROTECT, related_name="meetings"
    )
    number = models.PositiveIntegerField(_("No."))
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    chair = models.ForeignKey(
        Person, verbose_name=_("chair"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    secretary = models.ForeignKey(
        Person, verbose_name=_("secretary"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chair_signed_at = models.DateTimeField(_("signed by the chair"), null=True, blank=True)
    secretary_signed_at = models.DateTimeField(_("signed by the secretary"), null=True, blank=True)
    #: The protocol as printed, frozen at the first signature (names, attendance, agenda, decisions); the page and
    #: the PDF of a signed protocol read it, never the live rows.
    snapshot = models.JSONField(_("protocol as signed"), null=True, blank=True)
    content_hash = models.CharField(_("SHA-256 of the signed protocol"), max_length=64, blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-number"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            # the calendar's month, the meetings of the week, the list newest first
            models.Index(fields=["date"], name="meeting_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "number"],
                name="meeting_number_unique",
                violation_error_message=_("This unit already has a meeting with this number in this year."),
            )
        ]

    def __str__(self) -> str:
        return str(
            _("Meeting No. %(number)s of «%(unit)s» on %(date)s")
            % {
                "number": self.number,
                "unit": self.unit.name,
                "date": f"{self.date:%d.%m.%Y}",
            }
        )

    def get_absolute_url(self) -> str:
        return reverse("planning:meeting_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == MeetingStatus.SIGNED

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD

    @property
    def is_signed(self) -> bool:
        return self.status == MeetingStatus.SIGNED


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    #: None until the attendance is marked («не отмечено»): a meeting not yet held has nobody present or absent.
    present = models.BooleanField(_("present"), null=True, default=None)
    absence_reason = models.CharField(_("reason for absence"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person__last_name", "person__first_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.person}: {'?' if self.present is None else '+' if self.present else '-'}"


class Guest(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("full name"), max_length=300)
    position = models.CharField(_("position, organisation"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveIntegerField(_("No."))
    title = models.CharField(_("question"), max_length=500)
    speaker = models.ForeignKey(
        Person, verbose_name=_("speaker"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("plan item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    #: The plan the question considers («РАССМОТРЕНО на заседании …» on the plan, from a signed protocol).
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan considered"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    heard = models.TextField(_("heard (СЛУШАЛИ)"), blank=True)
    spoke = models.TextField(_("spoke (ВЫСТУПИЛИ)"), blank=True)
    decided = models.TextField(_("decided (РЕШИЛИ)"), blank=True)
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    votes_abstained = models.PositiveIntegerField(_("abstained"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", pgettext_lazy("execution", "cancelled")


class Decision(models.Model):
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    responsible = models.ForeignKey(
        Person,
        verbose_name=pgettext_lazy("one person", "responsible"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.OPEN)
    report = models.TextField(_("report"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [
            # the register by deadline; the open decisions past their deadline (its «overdue» filter, the dashboard)
            models.Index(fields=["deadline"], name="decision_deadline"),
            models.Index(fields=["status", "deadline"], name="decision_status_deadline"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_open(self) -> bool:
        return self.status == DecisionStatus.OPEN

    @property
    def is_done(self) -> bool:
        return self.status == DecisionStatus.DONE

    @property
    def is_cancelled(self) -> bool:
        return self.status == DecisionStatus.CANCELLED


class AssignmentSource(models.TextChoices):
    PEDAGOGICAL_COUNCIL = "pedagogical_council", _("decision of the pedagogical council")
    DIRECTOR = "director", _("director's assignment")


class AssignmentState(models.TextChoices):
    """Where an assignment stands on a day (computed, never stored: it follows its answer's execution)."""

    UNANSWERED = "unanswered", _("no answer yet")
    IN_PROGRESS = "in_progress", _("answered, in progress")
    OVERDUE = "overdue", _("overdue")
    DONE = "done", _("done")
    CANCELLED = "cancelled", pgettext_lazy("execution", "cancelled")


class Assignment(models.Model):
    """A decision of the pedagogical council or a director's assignment addressed to the methodological service
    (regulation 4.2: the council works «на основе решений и поручений Педагогического совета, директора»). The
    service answers it with an item of its plan or a decision of the methodological council; it is done when that
    answer is done. The text is copied when it is issued: the assignment reads as it was given."""

    year = models.ForeignKey(
        AcademicYear, verbose_name=_("academic year"), on_delete=models.PROTECT, related_name="assignments"
    )
    source = models.CharField(_("source"), max_length=30, choices=AssignmentSource.choices)
    #: The pedagogical council's decision this assignment tracks (None for a director's assignment).
    decision = models.OneToOneField(
        Decision,
        verbose_name=_("decision of the pedagogical council"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignment",
    )
    text = models.TextField(_("what is asked"))
    issued_by = models.ForeignKey(Person, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("issued on"))
    deadline = models.DateField(_("deadline"))
    addressee = models.ForeignKey(
        Unit, verbose_name=_("addressed to"), on_delete=models.PROTECT, related_name="assignments"
    )
    answer_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("answered by the plan item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
    )
    answer_decision = models.ForeignKey(
        Decision,
        verbose_name=_("answered by the decision of the methodological council"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_assignments",
    )
    answered_by = models.ForeignKey(
        Person, verbose_name=_("answered by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(answer_item__isnull=True) | Q(answer_decision__isnull=True), name="assignment_one_answer"
            ),
            models.CheckConstraint(
                condition=Q(source="director", decision__isnull=True)
                | Q(source="pedagogical_council", decision__isnull=False),
                name="assignment_source_decision",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("planning:assignment_detail", args=[self.pk])

    @property
    def answer(self) -> PlanItem | Decision | None:
        return self.answer_item or self.answer_decision

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_done(self) -> bool:
        answer = self.answer
        return not self.is_cancelled and answer is not None and answer.is_done

    def state(self, today: datetime.date) -> AssignmentState:
        if self.is_cancelled:
            return AssignmentState.CANCELLED
        if self.is_done:
            return AssignmentState.DONE
        if self.deadline < today:
            return AssignmentState.OVERDUE
        if self.answer is None or self.answer.is_cancelled:
            return AssignmentState.UNANSWERED
        return AssignmentState.IN_PROGRESS


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a person's iCal feed URL; a new one can be issued, which revokes the old URL."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user}"
