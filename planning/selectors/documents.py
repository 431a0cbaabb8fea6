"""Reads for the printed documents (planning/reports.py): plans and protocols with the unit's name on the
document's date, a teacher's associations on a day, the titles of approvers from the structure and where a plan
was considered."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from structure.models import (
    ASSOCIATION_KINDS,
    Action,
    ActionKind,
    MemberRole,
    Membership,
    Person,
    UnitKind,
    UnitName,
)
from structure.wording import KIND_FORMS, quoted, role_nominative, unit_phrase

from ..models import AgendaItem, Meeting, MeetingStatus, Plan, PlanLevel
from .meetings import meeting_detail
from .plans import plan_detail


def _unit_name_on(unit_ref: str, day_ref) -> Coalesce:
    """The name a unit bore on a day (UnitName), else its current name: for a Subquery annotation."""
    names = (
        UnitName.objects.filter(unit=OuterRef(unit_ref), start__lte=day_ref)
        .filter(Q(end__isnull=True) | Q(end__gt=day_ref))
        .order_by("-start", "-pk")
        .values("name")[:1]
    )
    return Coalesce(Subquery(names), F(f"{unit_ref}__name"))


def plan_document(pk: int, day: datetime.date) -> QuerySet[Plan]:
    """plan_detail with the unit's name on `day` (the document's date) as `unit_name_on_day`."""
    return plan_detail(pk).annotate(unit_name_on_day=_unit_name_on("unit", day))


def associations_of(person: Person, day: datetime.date) -> list[str]:
    """Names (on `day`) of the subject associations (МО/ПЦК) the person belongs to on `day`. One query."""
    return list(
        Membership.objects.active_on(day)
        .filter(person=person, unit__kind__in=ASSOCIATION_KINDS)
        .annotate(unit_name_on_day=_unit_name_on("unit", day))
        .order_by("unit_name_on_day", "unit_id")
        .values_list("unit_name_on_day", flat=True)
        .distinct()
    )


# ---------------------------------------------------------------- facts about a teacher from the apps above
#
# The individual plan prints the teacher's qualification category and last professional development, which live in
# attestation/ — an app above planning, which planning never imports (the layers). An app above registers a provider
# when Django starts (attestation.apps.AttestationConfig.ready); the plan asks the providers and prints «—» for what
# none of them knows.

#: A provider: (person, day) → some of the facts: {"category": "высшая, установлена …", "last_training": "ПК «…», …"}.
PersonFacts = Callable[[Person, datetime.date], dict[str, str]]
_person_fact_providers: list[PersonFacts] = []


def register_person_facts(provider: PersonFacts) -> None:
    """Add a provider of facts about a person for the individual plan (once: registering it again does nothing)."""
    if provider not in _person_fact_providers:
        _person_fact_providers.append(provider)


def person_facts(person: Person, day: datetime.date) -> dict[str, str]:
    """The facts every registered provider gives about `person` as of `day` (the document's date), merged."""
    facts: dict[str, str] = {}
    for provider in _person_fact_providers:
        facts.update(provider(person, day))
    return facts


def protocol_document(pk: int) -> QuerySet[Meeting]:
    """meeting_detail with the unit's name on the meeting's date as `unit_name_on_day`."""
    return meeting_detail(pk).annotate(unit_name_on_day=_unit_name_on("unit", OuterRef("date")))


# ---------------------------------------------------------------- titles from the structure
#
# Document text (Russian, not translated): the titles under «УТВЕРЖДАЮ» and the unit in «РАССМОТРЕНО на заседании …»
# come from the unit's kind, the unit's name and the order that appointed its head (the kinds' word forms are
# structure.wording's, the order's own), never from a fixed string.

HEAD_WORDS = {"председател": "Председатель", "руководител": "Руководитель"}
#: The abbreviation a head's title uses for the kind: «Председатель ПЦК …», «Руководитель МО …».
TITLE_ABBREVIATIONS: dict[str, str] = {UnitKind.ASSOCIATION_CYCLE: "ПЦК", UnitKind.ASSOCIATION_EDUCATIONAL: "МО"}


def unit_genitive(kind: str, name: str) -> str:
    """The unit as «на заседании …» says it: «методического совета техникума» (name «Методический совет
    техникума»), «ПЦК общепрофессиональных дисциплин» (an abbreviation does not decline), «творческой группы
    «Цифровая дидактика»»."""
    return unit_phrase(kind, name, "genitive")


def head_title(kind: str, name: str, *, word: str = "") -> str:
    """The title of a unit's head on a document: «Председатель ПЦК общепрофессиональных дисциплин», «Руководитель
    МО классных руководителей и воспитателей», «Председатель методического совета». `word` (Председатель,
    Руководитель: as the appointing order said it) overrides the kind's usual one."""
    word = word or role_nominative(MemberRole.HEAD, kind).capitalize()
    forms = KIND_FORMS.get(kind)
    if kind in {UnitKind.COUNCIL, UnitKind.SERVICE} and forms is not None:  # one per college: the kind names it
        return f"{word} {forms.genitive}"
    abbreviation = TITLE_ABBREVIATIONS.get(kind)
    if abbreviation is not None:
        if forms is not None and name.split(" ", 1)[0] in forms.abbreviations:
            return f"{word} {name}"
        return f"{word} {abbreviation} {quoted(name)}"
    return f"{word} {unit_genitive(kind, name)}"


def appointed_word(membership: Membership) -> str:
    """The head's title as the order that appointed them words it (its frozen action text): «Председатель» for
    «Назначить председателем …», «Руководитель» for «… руководителем …»; "" when the order names neither."""
    actions = Action.objects.filter(
        clause__order_id=membership.start_order_id,
        kind=ActionKind.APPOINT,
        unit_id=membership.unit_id,
        person_id=membership.person_id,
        role=MemberRole.HEAD,
    ).order_by("pk")
    for action in actions:
        found = re.search(r"(председател|руководител)\w*", action.describe().lower())
        if found:
            return HEAD_WORDS[found.group(1)]
    return ""


def approver_title(plan: Plan, person: Person, day: datetime.date) -> str:
    """The approver's title in the «УТВЕРЖДАЮ» block, from the structure of `day`: the head of the teacher's
    association approves as «Председатель ПЦК …» / «Руководитель МО …», the council chair with the title the
    appointing order gave («Председатель методического совета» when it names none), anyone else (the director)
    with their position. At most three queries."""
    heads = Membership.objects.active_on(day).filter(person=person, role=MemberRole.HEAD).select_related("unit")
    if plan.level == PlanLevel.INDIVIDUAL:
        teacher_units = Membership.objects.active_on(day).filter(
            person_id=plan.person_id, unit__kind__in=ASSOCIATION_KINDS
        )
        association = (
            heads.filter(unit__in=teacher_units.values("unit"))
            .annotate(unit_name_on_day=_unit_name_on("unit", day))
            .order_by("unit_name_on_day", "unit_id")
            .first()
        )
        if association is not None:
            return head_title(association.unit.kind, association.unit_name_on_day)
    chair = heads.filter(unit__kind=UnitKind.COUNCIL).order_by("start", "pk").first()
    if chair is not None:
        return head_title(UnitKind.COUNCIL, chair.unit.name, word=appointed_word(chair))
    return person.position.name if person.position else ""


def plan_consideration(plan: Plan) -> dict | None:
    """Where the plan was last considered: the latest agenda question about it in a signed protocol, as the
    protocol froze it — {"kind", "unit" (name on the meeting's day), "number", "date" (ISO)}. One query."""
    item = (
        AgendaItem.objects.filter(plan=plan, meeting__status=MeetingStatus.SIGNED)
        .select_related("meeting", "meeting__unit")
        .order_by("-meeting__date", "-meeting__number", "-pk")
        .first()
    )
    if item is None:
        return None
    meeting = item.meeting
    frozen = meeting.snapshot or {}
    return {
        "kind": meeting.unit.kind,
        "unit": frozen.get("unit") or meeting.unit.name,
        "number": frozen.get("number") or meeting.number,
        "date": frozen.get("date") or meeting.date.isoformat(),
    }
