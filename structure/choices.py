"""The kinds the order's wording needs (of unit, of membership role, of action), apart from the models so that
structure.wording can use them without importing the models. structure.models re-exports them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from metodservice.common.agreement import FEMALE, MALE


class UnitKind(models.TextChoices):
    #: The methodological service itself: its head is appointed by the director's order (regulation 4.1).
    SERVICE = "service", _("methodological service")
    COUNCIL = "council", _("methodological council")
    ASSOCIATION_CYCLE = "association_cycle", _("subject association (subject cycle)")
    ASSOCIATION_EDUCATIONAL = "association_educational", _("subject association (educational work)")
    CREATIVE_GROUP = "creative_group", _("creative group")
    LAB = "lab", _("experimental lab")
    ATTESTATION_COMMISSION = "attestation_commission", _("attestation commission")
    #: The pedagogical council of the college (not part of the service): its decisions and the director's
    #: assignments addressed to the service are tracked as planning.Assignment (regulation 4.2).
    PEDAGOGICAL_COUNCIL = "pedagogical_council", _("pedagogical council")
    OTHER = "other", _("other unit")


class MemberRole(models.TextChoices):
    HEAD = "head", _("head")
    DEPUTY = "deputy", _("deputy head")
    SECRETARY = "secretary", _("secretary")
    MEMBER = "member", _("member")


class ActionKind(models.TextChoices):
    CREATE_UNIT = "create_unit", _("create a unit")
    APPOINT = "appoint", _("appoint head / deputy / secretary")
    INCLUDE = "include", _("include a member")
    EXCLUDE = "exclude", _("exclude from the unit")
    RENAME = "rename", _("rename a unit")
    DISSOLVE = "dissolve", _("dissolve a unit")
    CANCEL_ORDER = "cancel_order", _("cancel an earlier order")


class GenderChoice(models.TextChoices):
    """How the portal's texts agree with a person: found from the name, or set by hand when the name does not tell
    (or tells wrong)."""

    AUTO = "auto", _("from the patronymic (automatically)")
    MALE = MALE, _("masculine")
    FEMALE = FEMALE, _("feminine")
