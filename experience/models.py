"""Models of experience/: the best-practice bank (work direction 8), the methodological cabinet's catalogue
(direction 6), lesson visits and the dissemination of experience, and the experimental lab's work (direction 5,
regulation 4.5).

- **ExperienceItem**: one piece of a teacher's experience (an open lesson, a master class, a talk, a publication, a
  methodological material, a contest, generalised experience) or, marked `is_external`, a piece of federal or
  regional best practice the methodist brings into the catalogue (regulation 1.4). Its way: draft → submitted →
  reviewed by the association head (a `Review` with the rubric) → on the methodological council's agenda (a question
  of a council meeting, `council_question`) → recommended by the council once the protocol is signed → published in
  the catalogue by the methodist; the head may return it (a `Review` with the comment), and so may the council.
  Its files (`ItemFile`, through metodservice.common.uploads) and links (`ItemLink`).
- **ItemStage**: the stages of generalised experience (выявление → изучение → обобщение → распространение →
  внедрение), each with a date, a responsible person and a note.
- **LessonVisit** (взаимопосещение): a teacher plans a visit to a colleague's lesson, then fills the observation.
- **Adoption**: who adopted or referenced a published item (a visit to an open lesson counts by itself).
- **Experiment**, **ExperimentStage**, **Indicator**, **Measurement**: the lab's experiment — its programme fixed by
  an order, the indicators it tracks and their measurements per stage.

Services (experience/services/) keep every rule; the models keep the data and its constraints.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from planning.models import AgendaItem, WorkDirection
from structure.models import Order, Person, Unit

# ---------------------------------------------------------------- experience items


class ItemKind(models.TextChoices):
    OPEN_LESSON = "open_lesson", _("open lesson")
    MASTER_CLASS = "master_class", _("master class")
    TALK = "talk", _("talk at a conference or seminar")
    PUBLICATION = "publication", _("publication")
    PROGRAMME = "programme", _("methodological material: programme")
    GUIDE = "guide", _("methodological material: guide")
    ASSESSMENT_FUND = "assessment_fund", _("methodological material: assessment fund")
    CASE = "case", _("methodological material: case")
    CONTEST = "contest", _("professional contest")
    GENERALISED = "generalised", _("generalised experience")


#: The kinds that are methodological materials (for the annual report's «методические материалы»).
MATERIAL_KINDS = {ItemKind.PROGRAMME, ItemKind.GUIDE, ItemKind.ASSESSMENT_FUND, ItemKind.CASE}


class Level(models.TextChoices):
    COLLEGE = "college", _("college")
    MUNICIPAL = "municipal", _("municipal")
    REGIONAL = "regional", _("regional")
    FEDERAL = "federal", _("federal")
    INTERNATIONAL = "international", _("international")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for review")
    RETURNED = "returned", _("returned to the author")
    #: The association head recommends it to the methodological council.
    REVIEWED = "reviewed", _("recommended by the association")
    #: The council recommended it (the protocol with its question is signed).
    RECOMMENDED = "recommended", _("recommended by the council")
    PUBLISHED = "published", _("published")


class ExperienceItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ItemStatus.PUBLISHED)


class ExperienceItem(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    title = models.CharField(_("title"), max_length=500)
    #: Who filed it (the first author); for an outside item, the methodist who added it.
    author = models.ForeignKey(Person, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")
    co_authors = models.ManyToManyField(Person, verbose_name=_("co-authors"), blank=True, related_name="+")
    direction = models.ForeignKey(
        WorkDirection, verbose_name=_("work direction"), on_delete=models.PROTECT, null=True, blank=True
    )
    association = models.ForeignKey(
        Unit,
        verbose_name=_("subject association"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experience_items",
    )
    date = models.DateField(_("date"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.COLLEGE)
    topic = models.CharField(_("topic"), max_length=500, blank=True)
    relevance = models.TextField(_("relevance"), blank=True)
    novelty = models.TextField(_("novelty"), blank=True)
    results = models.TextField(_("results"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    #: Outside experience (regulation 1.4): federal or regional best practice brought in by the methodist.
    is_external = models.BooleanField(_("outside experience"), default=False)
    source = models.CharField(_("source"), max_length=500, blank=True)
    external_authors = models.CharField(_("authors (outside the college)"), max_length=500, blank=True)
    #: The question of a methodological council meeting that considers it (planning's agenda).
    council_question = models.ForeignKey(
        AgendaItem,
        verbose_name=_("question of the council"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="experience_items",
    )
    #: The council's outcome on it, recorded with the question (None: not yet).
    council_recommends = models.BooleanField(_("recommended by the council"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        Person, verbose_name=_("published by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    #: The catalogue's weighted search vector, written by experience.services.search (PostgreSQL only; a GIN index,
    #: created by migration 0002 on PostgreSQL). Not a history field: it follows the text.
    search_vector = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(m2m_fields=[co_authors], excluded_fields=["search_vector"])

    objects = ExperienceItemQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("experience item")
        verbose_name_plural = _("experience items")
        indexes = [
            models.Index(fields=["status", "-date"], name="experience_status_date"),
            models.Index(fields=["author", "-date"], name="experience_author_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("experience:item_detail", kwargs={"pk": self.pk})


class ItemFile(models.Model):
    item = models.ForeignKey(ExperienceItem, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="experience/%Y/")
    #: The name the file had on the author's computer (shown, never used on disk).
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)
    uploaded_by = models.ForeignKey(Person, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("file of an experience item")
        verbose_name_plural = _("files of experience items")

    def __str__(self) -> str:
        return self.title


class ItemLink(models.Model):
    item = models.ForeignKey(ExperienceItem, on_delete=models.CASCADE, related_name="links")
    url = models.CharField(_("link"), max_length=1000)
    title = models.CharField(_("title"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("link of an experience item")
        verbose_name_plural = _("links of experience items")

    def __str__(self) -> str:
        return self.title or self.url


class ReviewOutcome(models.TextChoices):
    RECOMMEND = "recommend", _("recommend to the council")
    RETURN = "return", _("return to the author")


#: The rubric of a review: each criterion 0–2.
RUBRIC = (
    ("relevance", _("relevance")),
    ("novelty", _("novelty")),
    ("practical_value", _("practical value")),
    ("presentation", _("quality of presentation")),
)
RUBRIC_MAX = 2


class Review(models.Model):
    """The association head's review of a submitted item (or the council's return, `by_council`)."""

    item = models.ForeignKey(ExperienceItem, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(Person, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+")
    relevance = models.PositiveSmallIntegerField(_("relevance"), null=True, blank=True)
    novelty = models.PositiveSmallIntegerField(_("novelty"), null=True, blank=True)
    practical_value = models.PositiveSmallIntegerField(_("practical value"), null=True, blank=True)
    presentation = models.PositiveSmallIntegerField(_("quality of presentation"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ReviewOutcome.choices)
    by_council = models.BooleanField(_("by the council"), default=False)
    created_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(relevance__lte=RUBRIC_MAX)
                & models.Q(novelty__lte=RUBRIC_MAX)
                & models.Q(practical_value__lte=RUBRIC_MAX)
                & models.Q(presentation__lte=RUBRIC_MAX),
                name="experience_review_rubric_0_2",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_outcome_display()}"

    @property
    def total(self) -> int | None:
        values = [getattr(self, name) for name, _label in RUBRIC]
        return None if any(v is None for v in values) else sum(values)


class Stage(models.TextChoices):
    IDENTIFICATION = "identification", _("identification (выявление)")
    STUDY = "study", _("study (изучение)")
    GENERALISATION = "generalisation", _("generalisation and description (обобщение)")
    DISSEMINATION = "dissemination", _("dissemination (распространение)")
    ADOPTION = "adoption", _("adoption (внедрение)")


#: The stages in their order.
STAGE_ORDER = [Stage.IDENTIFICATION, Stage.STUDY, Stage.GENERALISATION, Stage.DISSEMINATION, Stage.ADOPTION]


class ItemStage(models.Model):
    """A stage of generalised experience reached: when, who was responsible, a note."""

    item = models.ForeignKey(ExperienceItem, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    date = models.DateField(_("date"))
    responsible = models.ForeignKey(Person, verbose_name=_("responsible"), on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("stage of generalised experience")
        verbose_name_plural = _("stages of generalised experience")
        constraints = [models.UniqueConstraint(fields=["item", "stage"], name="experience_one_stage_each")]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_stage_display()}"


# ---------------------------------------------------------------- lesson visits and dissemination


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    DONE = "done", _("observation filled")
    CANCELLED = "cancelled", _("cancelled")


#: The criteria of an observation, each rated 0–2.
VISIT_CRITERIA = (
    ("goals", _("the lesson's goals are clear and reached")),
    ("methods", _("methods and forms of work")),
    ("engagement", _("students' engagement")),
    ("assessment", _("feedback and assessment")),
    ("time", _("use of time")),
)
VISIT_RATING_MAX = 2


class LessonVisit(models.Model):
    visitor = models.ForeignKey(Person, verbose_name=_("visitor"), on_delete=models.PROTECT, related_name="+")
    visited = models.ForeignKey(Person, verbose_name=_("visited teacher"), on_delete=models.PROTECT, related_name="+")
    #: The open lesson visited, when it is an experience item (the visit counts toward its dissemination).
    item = models.ForeignKey(
        ExperienceItem,
        verbose_name=_("open lesson"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    date = models.DateField(_("date"))
    lesson = models.CharField(_("lesson (subject, topic)"), max_length=500)
    group = models.CharField(_("group"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    goal = models.TextField(_("goal of the visit"), blank=True)
    worked = models.TextField(_("what worked"), blank=True)
    to_adopt = models.TextField(_("what to adopt"), blank=True)
    #: {criterion: 0–2} for VISIT_CRITERIA.
    ratings = models.JSONField(_("ratings"), default=dict, blank=True)
    filled_at = models.DateTimeField(_("observation filled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("lesson visit")
        verbose_name_plural = _("lesson visits")
        indexes = [
            # the visits whose day has come with the observation not filled (the dashboard), the lists by date
            models.Index(fields=["status", "date"], name="experience_visit_status_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(visitor=models.F("visited")), name="experience_visit_not_oneself"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lesson} ({self.date:%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("experience:visit_detail", kwargs={"pk": self.pk})


class AdoptionKind(models.TextChoices):
    ADOPTED = "adopted", _("adopted in my work")
    REFERENCED = "referenced", _("referenced")


class Adoption(models.Model):
    item = models.ForeignKey(ExperienceItem, on_delete=models.CASCADE, related_name="adoptions")
    person = models.ForeignKey(Person, verbose_name=_("who"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=AdoptionKind.choices)
    date = models.DateField(_("date"))
    note = models.TextField(_("how"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        constraints = [models.UniqueConstraint(fields=["item", "person", "kind"], name="experience_adoption_once")]

    def __str__(self) -> str:
        return f"{self.item}: {self.person}"


# ---------------------------------------------------------------- the experimental lab


class Experiment(models.Model):
    """The lab's experiment: its programme (fixed by the order that created the lab or a later one), stages,
    indicators and their measurements, and the results."""

    lab = models.ForeignKey(Unit, verbose_name=_("lab"), on_delete=models.PROTECT, related_name="experiments")
    topic = models.CharField(_("topic"), max_length=500)
    hypothesis = models.TextField(_("hypothesis"))
    aim = models.TextField(_("aim"))
    base_groups = models.CharField(_("base groups"), max_length=500, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    order = models.ForeignKey(
        Order,
        verbose_name=_("order fixing the programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    results = models.TextField(_("results"), blank=True)
    #: Published results are seen by everyone on the staff; until then the lab and the council.
    results_published = models.BooleanField(_("results published"), default=False)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="experiment_period")
        ]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("experience:experiment_detail", kwargs={"pk": self.pk})


class ExperimentStage(models.Model):
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveIntegerField(_("No."))
    title = models.CharField(_("stage"), max_length=300)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("stage of the experiment")
        verbose_name_plural = _("stages of the experiment")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="experiment_stage_period"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveIntegerField(_("No."), default=0)
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit of measurement"), max_length=50, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    #: The direction of good: True when more is better (a pass rate), False when less is (absences).
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    stage = models.ForeignKey(
        ExperimentStage,
        verbose_name=_("stage"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measurements",
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    measured_on = models.DateField(_("date"))
    source = models.CharField(_("source document"), max_length=500, blank=True)
    entered_by = models.ForeignKey(Person, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measured_on", "pk"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"
