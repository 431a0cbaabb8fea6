"""People, units of the methodological service, memberships over time and the director's orders.

The structure changes only through signed orders: a Unit enters the structure when an order's action
creates it, a Membership starts and ends on the dates of the orders that made and ended it. Nothing here
is deleted once an order has touched it, so the structure on any date is a query.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import ActionKind, GenderChoice, MemberRole, UnitKind
from .wording import describe_action, gender_of_name


class User(AbstractUser):
    """The login account. Business data lives on Person, linked one-to-one."""

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class SystemRole(models.TextChoices):
    DIRECTOR = "director", _("director")
    DEPUTY = "deputy", _("deputy director for methodical work")
    METHODIST = "methodist", _("methodist")
    TEACHER = "teacher", _("teacher / master")
    OTHER = "other", _("other staff")


class Position(models.Model):
    """A staff position; teaching ones follow the federal nomenclature (Постановление № 225 of 21.02.2022)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    system_role = models.CharField(_("system role"), max_length=20, choices=SystemRole.choices)
    is_pedagogical = models.BooleanField(_("teaching position"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.name


class Education(models.TextChoices):
    HIGHER = "higher", _("higher")
    HIGHER_PED = "higher_ped", _("higher pedagogical")
    SECONDARY_VOC = "secondary_voc", _("secondary vocational")
    SECONDARY_VOC_PED = "secondary_voc_ped", _("secondary vocational pedagogical")
    OTHER = "other", _("other")


class PersonQuerySet(models.QuerySet):
    def staff(self):
        return self.filter(is_external=False)


class Person(models.Model):
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    #: How texts agree with the person («направил» / «направила»): `grammatical_gender` reads it.
    gender = models.CharField(
        _("grammatical gender"),
        max_length=10,
        choices=GenderChoice.choices,
        default=GenderChoice.AUTO,
        help_text=_(
            "How the portal's texts agree with the person («направил» or «направила»). Usually found from the "
            "patronymic; choose it when the name does not tell."
        ),
    )
    position = models.ForeignKey(Position, verbose_name=_("position"), on_delete=models.PROTECT, null=True, blank=True)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    position_since = models.DateField(_("in the position since"), null=True, blank=True)
    pedagogical_since = models.DateField(_("start of pedagogical service"), null=True, blank=True)
    education = models.CharField(_("education"), max_length=30, choices=Education.choices, blank=True)
    education_details = models.TextField(_("education details"), blank=True)
    academic_degree = models.CharField(_("academic degree"), max_length=200, blank=True)
    awards = models.TextField(_("honorary titles and awards"), blank=True)
    subjects = models.TextField(_("subjects taught"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    #: A work phone, printed in the order's отметка об исполнителе when the person drafted it.
    phone = models.CharField(
        _("work phone"),
        max_length=50,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[0-9()\- ]{3,30}( ?(доб\.?|ext\.?) ?[0-9]{1,6})?$",
                _("Enter a phone number: digits, spaces, brackets, hyphens, «+» at the start, «доб. 123» at the end."),
                code="invalid_phone",
            )
        ],
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    is_external = models.BooleanField(_("external researcher"), default=False)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    # What the attestation and professional-development rules need (DOMAIN.md; attestation.schedule).
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    professional_cycle = models.BooleanField(
        _("teaches the professional cycle"),
        default=False,
        help_text=_(
            "Teachers of professional modules and masters of vocational training: their professional development "
            "must include an internship (стажировка) in an organisation of the field every 3 years."
        ),
    )
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "patronymic"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            # the lists and pickers of people, by name
            models.Index(fields=["last_name", "first_name", "patronymic"], name="person_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_external=True) | Q(position__isnull=False),
                name="person_staff_has_position",
                violation_error_message=_("A staff member must have a position."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("structure:person_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    @property
    def short_name(self) -> str:
        """«Фамилия И.О.», as in lists."""
        initials = "".join(f"{part[0]}." for part in (self.first_name, self.patronymic) if part)
        return f"{self.last_name} {initials}".strip()

    @property
    def signature_name(self) -> str:
        """«И.О. Фамилия», as in a signature block."""
        initials = "".join(f"{part[0]}." for part in (self.first_name, self.patronymic) if part)
        return f"{initials} {self.last_name}".strip()

    @property
    def grammatical_gender(self) -> str:
        """MALE or FEMALE (metodservice.common.agreement) as set on the person, else as the patronymic (or the
        first name) tells; "" when nothing tells, and texts keep the form that fits both («направил(а)»)."""
        if self.gender in (GenderChoice.MALE, GenderChoice.FEMALE):
            return str(self.gender)
        return gender_of_name(self.first_name, self.patronymic)


def signature_form(full_name: str) -> str:
    """«Фамилия Имя Отчество» → «И.О. Фамилия», as in a signature block; works on a frozen name."""
    last, *rest = full_name.split() or [""]
    initials = "".join(f"{part[0]}." for part in rest if part)
    return f"{initials} {last}".strip()


def short_form(full_name: str) -> str:
    """«Фамилия Имя Отчество» → «Фамилия И.О.», as in lists; works on a frozen name."""
    last, *rest = full_name.split() or [""]
    initials = "".join(f"{part[0]}." for part in rest if part)
    return f"{last} {initials}".strip()


#: Kinds of which at most one may exist at a time.
SINGLE_KINDS = {
    UnitKind.SERVICE,
    UnitKind.COUNCIL,
    UnitKind.ATTESTATION_COMMISSION,
    UnitKind.PEDAGOGICAL_COUNCIL,
}
ASSOCIATION_KINDS = {UnitKind.ASSOCIATION_CYCLE, UnitKind.ASSOCIATION_EDUCATIONAL}


class UnitStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACTIVE = "active", _("active")
    DISSOLVED = "dissolved", _("dissolved")


class UnitQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date):
        return self.filter(created_on__lte=day).filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))


class Unit(models.Model):
    """A body of the service. Created with created_on empty (a proposal or a draft order's new unit);
    it enters the structure when a signed order sets created_on."""

    kind = models.CharField(_("kind"), max_length=30, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=300)
    purpose = models.TextField(_("problem / purpose"), blank=True)
    goal = models.TextField(_("goal"), blank=True)
    organisation_note = models.CharField(_("note"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        Person,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposed_units",
    )
    created_on = models.DateField(_("created on"), null=True, blank=True)
    created_by_order = models.ForeignKey(
        "Order", on_delete=models.PROTECT, null=True, blank=True, related_name="created_units"
    )
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    dissolved_by_order = models.ForeignKey(
        "Order", on_delete=models.PROTECT, null=True, blank=True, related_name="dissolved_units"
    )
    history = HistoricalRecords()

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("structure:unit_detail", args=[self.pk])

    @property
    def status(self) -> str:
        if self.dissolved_on:
            return UnitStatus.DISSOLVED
        if self.created_on:
            return UnitStatus.ACTIVE
        return UnitStatus.PROPOSED

    def get_status_display(self) -> str:
        return UnitStatus(self.status).label

    def is_active_on(self, day: datetime.date) -> bool:
        return bool(self.created_on and self.created_on <= day and (not self.dissolved_on or self.dissolved_on > day))

    @property
    def is_council(self) -> bool:
        return self.kind == UnitKind.COUNCIL

    @property
    def is_creative_group(self) -> bool:
        return self.kind == UnitKind.CREATIVE_GROUP


class UnitName(models.Model):
    """The name a unit bore over a period; renames by order close one period and open the next."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=300)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    order = models.ForeignKey("Order", on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return self.name


#: Roles of which a unit has at most one at a time.
SINGLE_ROLES = {MemberRole.HEAD, MemberRole.DEPUTY, MemberRole.SECRETARY}


class MembershipQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date):
        return self.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gt=day))


class Membership(models.Model):
    """A person's place in a unit over [start, end). Never deleted; `end` is the first day without it."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    start_order = models.ForeignKey(
        "Order", verbose_name=_("by order"), on_delete=models.PROTECT, related_name="started_memberships"
    )
    end_order = models.ForeignKey(
        "Order",
        verbose_name=_("ended by order"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ended_memberships",
    )
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "start", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="membership_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} — {self.unit}"

    @property
    def is_member(self) -> bool:
        return self.role == MemberRole.MEMBER


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ON_APPROVAL = "on_approval", _("on approval")
    RETURNED = "returned", _("returned for rework")
    ON_SIGNING = "on_signing", _("on signing")
    SIGNED = "signed", _("signed")
    CANCELLED = "cancelled", _("cancelled")


EDITABLE_STATUSES = {OrderStatus.DRAFT, OrderStatus.RETURNED}


class OrderSeries(models.TextChoices):
    MAIN = "од", _("main activity (од)")


class Order(models.Model):
    """A director's order (приказ). Number and date are assigned at signing; a signed order never changes."""

    series = models.CharField(_("series"), max_length=10, choices=OrderSeries.choices, default=OrderSeries.MAIN)
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=500, help_text=_("Starts with «О» or «Об»."))
    preamble = models.TextField(_("preamble"), help_text=_("«В соответствии с …», «В целях …»"))
    control_text = models.CharField(
        _("control clause"),
        max_length=500,
        default="Контроль за исполнением настоящего приказа оставляю за собой.",
    )
    status = models.CharField(_("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.DRAFT)
    author = models.ForeignKey(
        Person, verbose_name=_("author"), on_delete=models.PROTECT, related_name="authored_orders"
    )
    return_comment = models.TextField(_("comment on return"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    signer = models.ForeignKey(
        Person, verbose_name=_("signer"), on_delete=models.PROTECT, null=True, blank=True, related_name="signed_orders"
    )
    signer_name = models.CharField(_("signer's name as signed"), max_length=300, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=200, blank=True)
    #: The отметка об исполнителе as it was when the order was signed (its author and their phone or e-mail).
    executor_name = models.CharField(_("executor's name as signed"), max_length=300, blank=True)
    executor_contact = models.CharField(_("executor's phone or e-mail as signed"), max_length=254, blank=True)
    organisation = models.CharField(_("organisation as signed"), max_length=500, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    content_hash = models.CharField(_("SHA-256 of the signed content"), max_length=64, blank=True)
    #: The signed order's PDF, rendered once by a background task after signing (again when a later order cancels
    #: it, for the mark) and served as stored: a web worker never renders a signed order.
    pdf = models.FileField(_("PDF as signed"), upload_to="documents/orders/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the stored PDF"), max_length=64, blank=True)
    cancelled_by = models.ForeignKey(
        "self", verbose_name=_("cancelled by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["pdf", "pdf_sha256"])

    class Meta:
        ordering = ["-year", "-number", "-created_at"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [
            # the orders waiting for a signature, a visa or rework (the dashboard, the menu's badge)
            models.Index(fields=["status"], name="order_status"),
            # the list of orders, newest first
            models.Index(fields=["-year", "-number", "-created_at"], name="order_list_order"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["series", "year", "number"], name="order_number_unique_per_year"),
        ]

    def __str__(self) -> str:
        if self.number:
            return f"{self.registration_number} {self.title}"
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("structure:order_detail", args=[self.pk])

    @property
    def registration_number(self) -> str:
        return f"{self.number}-{self.series}" if self.number else ""

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_signed(self) -> bool:
        return self.status in {OrderStatus.SIGNED, OrderStatus.CANCELLED}

    @property
    def is_returned(self) -> bool:
        return self.status == OrderStatus.RETURNED

    @property
    def signer_full_name(self) -> str:
        """The signer as signed; a draft names the director it was sent to (live, it is not signed yet)."""
        if self.is_signed:
            return self.signer_name
        return self.signer.full_name if self.signer else ""

    @property
    def signer_signature_name(self) -> str:
        return signature_form(self.signer_full_name)


class OrderCounter(models.Model):
    """The last number given in a series and year; locked with SELECT … FOR UPDATE while signing."""

    series = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="order_counter_unique")]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last_number}"


class Clause(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="clauses")
    position = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        constraints = [models.UniqueConstraint(fields=["order", "position"], name="clause_position_unique")]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


class Action(models.Model):
    """A structural action carried by a clause; applied when the order is signed."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("action"), max_length=20, choices=ActionKind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, blank=True)
    new_name = models.CharField(_("new name"), max_length=300, blank=True)
    target_order = models.ForeignKey(
        Order,
        verbose_name=_("order to cancel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cancelling_actions",
    )
    text = models.TextField(_("wording as signed"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["clause__position", "position", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [models.UniqueConstraint(fields=["clause", "position"], name="action_position_unique")]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        """A Russian sentence for the action, used on the order page, in the PDF and in the hash.

        Frozen into `text` at signing, so a signed order reads (and hashes) the same forever."""
        if self.text:
            return self.text
        return describe_action(self)


class ApprovalDecision(models.TextChoices):
    PENDING = "pending", _("waiting")
    AGREED = "agreed", _("agreed")
    RETURNED = "returned", _("returned")


class Approval(models.Model):
    """A visa on an order by an approver named on it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="approvals")
    person = models.ForeignKey(Person, verbose_name=_("approver"), on_delete=models.PROTECT, related_name="approvals")
    decision = models.CharField(
        _("decision"), max_length=20, choices=ApprovalDecision.choices, default=ApprovalDecision.PENDING
    )
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    #: The approver as the visa was given: printed on the signed order, never read live after signing.
    person_name = models.CharField(_("approver's name as given"), max_length=300, blank=True)
    person_position = models.CharField(_("approver's position as given"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["order", "person"], name="approval_unique_person")]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_decision_display()}"

    @property
    def approver_name(self) -> str:
        """As the visa was given; a visa still pending shows today's name."""
        return self.person_name or self.person.full_name


class Acknowledgement(models.Model):
    """A line of the лист ознакомления: created at signing for everyone the order names."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="acknowledgements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="acknowledgements")
    #: The name printed on the лист ознакомления, frozen when the order is signed.
    person_name = models.CharField(_("name as listed"), max_length=300, blank=True)
    #: The person's grammatical gender when the order was signed: the mark «ознакомлен» / «ознакомлена» agrees with
    #: it; empty on lines listed before it was recorded (they print «ознакомлен(а)», as they always did).
    person_gender = models.CharField(_("grammatical gender as listed"), max_length=10, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person__last_name", "person__first_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["order", "person"], name="acknowledgement_unique_person")]

    def __str__(self) -> str:
        return f"{self.person} — {self.order}"

    @property
    def listed_name(self) -> str:
        """The name on the лист ознакомления, frozen at signing."""
        return self.person_name or self.person.full_name


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class JoinRequest(models.Model):
    """A teacher's request to join a proposed or active creative group; the leader decides."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="join_requests")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="join_requests")
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["unit", "person"], name="join_request_unique")]

    def __str__(self) -> str:
        return f"{self.person} → {self.unit}"


class AbsenceKind(models.TextChoices):
    """Absences that move conformity attestation (Приказ № 196, п. 6–7): the schedule reads them."""

    PREGNANCY = "pregnancy", _("pregnancy")
    MATERNITY = "maternity", _("maternity leave")
    PARENTAL = "parental", _("parental leave (child under 3)")
    SICK_LEAVE = "sick_leave", _("sick leave over 4 months in a row")


class AbsencePeriod(models.Model):
    """A period in which a person was absent or exempt, from the person's record; `end` empty while it lasts."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField(_("kind"), max_length=20, choices=AbsenceKind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True, help_text=_("Leave empty while the absence lasts."))
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "start", "pk"]
        verbose_name = _("absence period")
        verbose_name_plural = _("absence periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="absence_ends_after_start",
                violation_error_message=_("An absence cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"
