"""Reads of attestation/: what to suggest for a participant's deficits, to be added to their individual plan.

For each deficit (attestation.diagnostics: the experts' median at most DEFICIT_LEVEL, or dropped since the person's
previous campaign) the panel suggests:

- `training`: a professional development course (ПК) on the competency (its name is the topic);
- `mentor`: a colleague of the same campaign whose experts' median in that competency is the scale's top level;
- `group`: a creative group active today whose name or purpose shares a word with the competency's name (words
  compared by their first STEM letters, a few too common ones left out), the person not already a member;
- `lesson`: an open lesson to visit: an item of a service or unit plan of the campaign's year whose form is «open
  lesson» or whose content says «открытый урок», not done or cancelled, due today or later, the person not among
  its responsible; those sharing a word with the competency first, at most LESSONS_PER_DEFICIT.

Each suggestion carries the plan item it would become (content, direction by its kind: DIRECTION_OF_KIND, form,
deadline, form of the result); the content is the document's text (Russian), not the interface's, and is what
tells an item already in the plan (`already_in_plan`). The panel answers in a fixed number of queries whatever
the number of deficits (tests/attestation/test_suggestions_pages.py pins it).
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import OuterRef, Q, QuerySet, Subquery

from planning.models import CLOSED_ITEM_STATUSES, Plan, PlanItem, PlanLevel, WorkForm
from structure.models import Membership, Person, Unit, UnitKind

from .. import diagnostics
from ..models import CampaignParticipant, Competency
from .results import (
    _expert_params,
    _key,
    _medians_sql,
    _rows,
    _tables,
    cache_seconds,
    campaign_fingerprints,
    person_results,
    top_level,
)

TRAINING = "training"
MENTOR = "mentor"
GROUP = "group"
LESSON = "lesson"
KINDS = (TRAINING, MENTOR, GROUP, LESSON)

#: The work direction (planning.WorkDirection.code) an added suggestion goes under.
DIRECTION_OF_KIND: dict[str, int] = {TRAINING: 10, MENTOR: 2, GROUP: 2, LESSON: 8}
#: The form of the plan item an added suggestion becomes.
FORM_OF_KIND: dict[str, str] = {
    TRAINING: WorkForm.COURSE,
    MENTOR: WorkForm.CONSULTATION,
    GROUP: WorkForm.OTHER,
    LESSON: WorkForm.OTHER,  # a visit: the lesson itself is its teacher's
}
#: The form of the result an added suggestion's item expects (document text).
RESULT_OF_KIND: dict[str, str] = {
    TRAINING: "Удостоверение о повышении квалификации",
    MENTOR: "Отчёт о консультациях наставника",
    GROUP: "Отчёт об участии в работе творческой группы",
    LESSON: "Анализ посещённого урока",
}

#: Words are compared by their first STEM letters (a simple Russian stemming); shorter words are ignored.
STEM = 5
#: Stems too common in competency names to tell anything.
COMMON_STEMS = frozenset({"обуча", "деяте", "образ", "препо", "прогр", "обесп", "орган"})
#: At most this many open lessons, and mentors, per deficit.
LESSONS_PER_DEFICIT = 3
MENTORS_PER_DEFICIT = 3
#: How long a lesson's content may be in a suggestion.
LESSON_CHARS = 200

_WORD = re.compile(r"[^\W\d_]+")


def stems(text: str) -> set[str]:
    """The stems of the words of `text`: the first STEM letters, casefolded, of each word of STEM letters or more,
    the common ones left out. «Цифровая дидактика» → {"цифро", "дидак"}."""
    found = {word.casefold()[:STEM] for word in _WORD.findall(text) if len(word) >= STEM}
    return {stem.replace("ё", "е") for stem in found} - COMMON_STEMS


def _shortened(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Suggestion:
    """One suggestion for one deficit, and the plan item it becomes. `target_id`: the mentor's person, the group's
    unit or the lesson's plan item (None for a course)."""

    kind: str
    competency: Competency
    target_id: int | None
    label: str
    content: str
    due_date: datetime.date
    url: str = ""
    note: str = ""

    @property
    def direction_code(self) -> int:
        return DIRECTION_OF_KIND[self.kind]

    @property
    def form(self) -> str:
        return FORM_OF_KIND[self.kind]

    @property
    def expected_result(self) -> str:
        return RESULT_OF_KIND[self.kind]

    @property
    def key(self) -> tuple[str, int, int | None]:
        return (self.kind, self.competency.pk, self.target_id)

    def same_content(self, contents: set[str]) -> bool:
        return content_key(self.content) in contents


def content_key(content: str) -> str:
    """What tells two items' contents alike: spaces and case aside."""
    return " ".join(content.split()).casefold()


@dataclass
class DeficitSuggestions:
    competency: Competency
    result: diagnostics.CompetencyResult
    suggestions: list[Suggestion] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Suggestion]:
        return [s for s in self.suggestions if s.kind == kind]


@dataclass
class Panel:
    participant: CampaignParticipant
    deficits: list[DeficitSuggestions]
    #: The person's individual plan for the campaign's year, if there is one.
    plan: Plan | None
    #: content_key of every item of that plan.
    in_plan: set[str]

    @property
    def plan_takes_items(self) -> bool:
        return self.plan is not None and self.plan.is_editable

    def rows(self) -> list[tuple[DeficitSuggestions, list[tuple[Suggestion, bool]]]]:
        """Each deficit with its suggestions, each marked whether the plan already holds it."""
        return [
            (deficit, [(s, s.same_content(self.in_plan)) for s in deficit.suggestions]) for deficit in self.deficits
        ]

    def find(self, kind: str, competency_id: int, target_id: int | None) -> Suggestion | None:
        for deficit in self.deficits:
            for suggestion in deficit.suggestions:
                if suggestion.key == (kind, competency_id, target_id):
                    return suggestion
        return None


# ---------------------------------------------------------------- each kind


def _training(competency: Competency, due: datetime.date) -> Suggestion:
    return Suggestion(
        kind=TRAINING,
        competency=competency,
        target_id=None,
        label=competency.name,
        content=f"Повышение квалификации по теме «{competency.name}» ({competency.code})",
        due_date=due,
    )


def _partial(model, values: dict):
    """An instance of `model` from the fields read (the others deferred: read on access, which nothing here does)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


def _mentors(participant: CampaignParticipant, competencies: list[Competency], top: int) -> dict[int, list[Person]]:
    """competency id → the colleagues of the campaign whose experts' median in it is the top level, the first
    MENTORS_PER_DEFICIT by full name (and id), the participant left out. The campaign's best per competency are the
    same for every participant: their ids are kept in the cache under the campaign's fingerprint (as its figures,
    results.campaign_fingerprints; none in the tests), read for the competencies not kept yet in one query, and the
    kept ones' names read afresh in one more (a name changed since shows as it is now)."""
    if not competencies:
        return {}
    campaign = participant.campaign
    fingerprint = campaign_fingerprints([campaign]).get(campaign.pk)  # a query for an open campaign, when kept
    keys = {c.pk: _key(f"mentors.{top}.{c.pk}", campaign, fingerprint) for c in competencies}
    kept = cache.get_many([key for key in keys.values() if key]) if any(keys.values()) else {}
    kept_ids = {pk: kept[key] for pk, key in keys.items() if key in kept}
    best: dict[int, list[dict]] = {}
    if kept_ids:
        wanted = {person_id for ids in kept_ids.values() for person_id in ids}
        names = Person.objects.filter(pk__in=wanted).values("id", "last_name", "first_name", "patronymic")
        by_id: dict[int, dict] = {values["id"]: dict(values) for values in names}
        best = {pk: [by_id[i] for i in ids if i in by_id] for pk, ids in kept_ids.items()}
    missing = [c for c in competencies if c.pk not in kept_ids]
    if missing:
        found = _best(participant.campaign_id, missing, top)
        best.update({c.pk: found.get(c.pk, []) for c in missing})
        to_keep = {keys[c.pk]: [values["id"] for values in best[c.pk]] for c in missing if keys[c.pk]}
        if to_keep:
            cache.set_many(to_keep, cache_seconds())
    result = {}
    for pk, people in best.items():
        others = [_partial(Person, values) for values in people if values["id"] != participant.person_id]
        if others:
            result[pk] = others[:MENTORS_PER_DEFICIT]
    return result


def _best(campaign_id: int, competencies: list[Competency], top: int) -> dict[int, list[dict]]:
    """competency id → the MENTORS_PER_DEFICIT + 1 participants (one may be the one asking) whose experts' median is
    the top level, by full name (and id), as the fields of a Person: one query, the medians computed, ranked and cut
    in the database (the names compared code point by code point, as Python compares them)."""
    tables = _tables()
    person = connection.ops.quote_name(Person._meta.db_table)
    ids = [c.pk for c in competencies]
    condition = (
        f"a.participant_id IN (SELECT id FROM {tables['participant']} WHERE campaign_id = %s)"
        f" AND s.competency_id IN ({', '.join(['%s'] * len(ids))})"
    )
    full_name = (
        "p.last_name || CASE WHEN p.first_name <> '' THEN ' ' || p.first_name ELSE '' END"
        " || CASE WHEN p.patronymic <> '' THEN ' ' || p.patronymic ELSE '' END"
    )
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    sql = (
        _medians_sql(condition)
        + f"""
        SELECT competency_id, person_id, last_name, first_name, patronymic
        FROM (
            SELECT m.competency_id, p.id AS person_id, p.last_name, p.first_name, p.patronymic,
                   ROW_NUMBER() OVER (PARTITION BY m.competency_id ORDER BY ({full_name}){collate}, p.id) AS rn
            FROM medians m
            INNER JOIN {tables["participant"]} cp ON cp.id = m.participant_id
            INNER JOIN {person} p ON p.id = cp.person_id
            WHERE m.twice >= %s
        ) ranked
        WHERE rn <= %s
        ORDER BY competency_id, rn
    """
    )
    params = [*_expert_params(), campaign_id, *ids, 2 * top, MENTORS_PER_DEFICIT + 1]
    found: dict[int, list[dict]] = defaultdict(list)
    for competency_id, person_id, last_name, first_name, patronymic in _rows(sql, params):
        found[competency_id].append(
            {"id": person_id, "last_name": last_name, "first_name": first_name, "patronymic": patronymic}
        )
    return dict(found)


def _mentor(competency: Competency, mentor: Person, due: datetime.date) -> Suggestion:
    return Suggestion(
        kind=MENTOR,
        competency=competency,
        target_id=mentor.pk,
        label=mentor.full_name,
        content=f"Консультации наставника {mentor.full_name} по компетенции {competency.code} «{competency.name}»",
        due_date=due,
        url=mentor.get_absolute_url(),
    )


def _groups(person_id: int, today: datetime.date) -> list[tuple[Unit, set[str]]]:
    """The creative groups active today the person is not a member of, with the stems of their name and purpose:
    one query."""
    member_of = Membership.objects.active_on(today).filter(person_id=person_id).values("unit_id")
    groups = (
        Unit.objects.active_on(today)
        .filter(kind=UnitKind.CREATIVE_GROUP)
        .exclude(pk__in=member_of)
        .order_by("name", "pk")
    )
    return [(group, stems(f"{group.name} {group.purpose}")) for group in groups]


def _group(competency: Competency, group: Unit, due: datetime.date) -> Suggestion:
    return Suggestion(
        kind=GROUP,
        competency=competency,
        target_id=group.pk,
        label=group.name,
        content=f"Участие в работе творческой группы «{group.name}» (компетенция {competency.code})",
        due_date=due,
        url=group.get_absolute_url(),
    )


def _lesson_items(participant: CampaignParticipant, today: datetime.date) -> Q:
    """The open lessons ahead in the service's and units' plans of the campaign's year, the person not responsible."""
    responsible = PlanItem.responsible.through.objects.filter(person_id=participant.person_id)
    plans = Plan.objects.filter(year_id=participant.campaign.year_id, level__in=[PlanLevel.SERVICE, PlanLevel.UNIT])
    return (
        Q(plan_id__in=plans.values("pk"))  # a subquery, not a join: the plan's own items are asked for beside (OR)
        & Q(due_date__gte=today)
        # «ткрыт»: «Открытый» and «открытый» alike (SQLite folds the case of Latin letters only).
        & (Q(form=WorkForm.OPEN_LESSON) | Q(content__contains="ткрыт"))
        & ~Q(status__in=CLOSED_ITEM_STATUSES)
        & ~Q(pk__in=responsible.values("planitem_id"))
    )


def _plan_and_lessons(
    participant: CampaignParticipant, plan: Plan | None, today: datetime.date
) -> tuple[set[str], list[tuple[PlanItem, set[str], list[Person]]]]:
    """The content_key of each item of the individual `plan`, and the open lessons ahead (`_lesson_items`), the
    nearest first, with the stems of their content and their responsible: one query (an item a row per responsible
    person)."""
    condition = _lesson_items(participant, today)
    if plan is not None:
        condition |= Q(plan_id=plan.pk)
    rows = (
        PlanItem.objects.filter(condition)
        .values_list(
            "pk",
            "plan_id",
            "content",
            "due_date",
            "form",
            "responsible__id",
            "responsible__last_name",
            "responsible__first_name",
            "responsible__patronymic",
        )
        .order_by("due_date", "pk")
    )
    in_plan: set[str] = set()
    lessons: dict[int, tuple[PlanItem, set[str], list[Person]]] = {}
    for pk, plan_id, content, due_date, form, person_id, last_name, first_name, patronymic in rows:
        if plan is not None and plan_id == plan.pk:
            in_plan.add(content_key(content))
            continue
        if pk not in lessons:
            text = content.casefold()
            if not (form == WorkForm.OPEN_LESSON or ("открыт" in text and "урок" in text)):
                continue
            values = {"id": pk, "plan_id": plan_id, "content": content, "due_date": due_date, "form": form}
            lessons[pk] = (_partial(PlanItem, values), stems(content), [])
        if person_id is not None:
            values = {"id": person_id, "last_name": last_name, "first_name": first_name, "patronymic": patronymic}
            lessons[pk][2].append(_partial(Person, values))
    return in_plan, list(lessons.values())


def _lesson(competency: Competency, item: PlanItem, responsible: list[Person]) -> Suggestion:
    who = ", ".join(person.short_name for person in sorted(responsible, key=lambda p: p.full_name))
    lesson = _shortened(item.content, LESSON_CHARS)
    details = ", ".join(part for part in (who, f"{item.due_date:%d.%m.%Y}") if part)
    return Suggestion(
        kind=LESSON,
        competency=competency,
        target_id=item.pk,
        label=lesson,
        content=f"Посещение открытого урока: {lesson} ({details})",
        due_date=item.due_date,
        url=item.get_absolute_url(),
        note=details,
    )


# ---------------------------------------------------------------- the panel


def with_individual_plan(participants: QuerySet[CampaignParticipant]) -> QuerySet[CampaignParticipant]:
    """`participants` each with the id and status of the person's individual plan for the campaign's year, read in
    the same query: `individual_plan` then reads nothing."""
    plans = Plan.objects.filter(
        level=PlanLevel.INDIVIDUAL, person_id=OuterRef("person_id"), year_id=OuterRef("campaign__year_id")
    )
    return participants.annotate(
        individual_plan_id=Subquery(plans.values("pk")[:1]),
        individual_plan_status=Subquery(plans.values("status")[:1]),
    )


def individual_plan(participant: CampaignParticipant) -> Plan | None:
    """The person's individual plan for the campaign's year: one query, none when the participant was read
    `with_individual_plan` (then the plan has its id, level, year, person and status; the rest is deferred)."""
    if hasattr(participant, "individual_plan_id"):
        if participant.individual_plan_id is None:
            return None
        values = {
            "id": participant.individual_plan_id,
            "level": PlanLevel.INDIVIDUAL.value,
            "year_id": participant.campaign.year_id,
            "person_id": participant.person_id,
            "status": participant.individual_plan_status,  # type: ignore[attr-defined]  # annotated by the page
        }
        plan = _partial(Plan, values)
        plan.year = participant.campaign.year
        return plan
    return (
        Plan.objects.filter(level=PlanLevel.INDIVIDUAL, person_id=participant.person_id)
        .filter(year_id=participant.campaign.year_id)
        .select_related("year")
        .first()
    )


def deficit_panel(
    participant: CampaignParticipant,
    *,
    today: datetime.date,
    results: list[tuple[Competency, diagnostics.CompetencyResult]] | None = None,
) -> Panel:
    """The participant's deficits with what to suggest for each, and their individual plan for the campaign's year
    with what it already holds. `participant` with campaign, its year and framework loaded
    (results.participant_detail()); `results` the participant's results when the caller has them already (the
    profile page), else read (results.person_results). Four queries whatever the data (the plan, its items' contents
    with the open lessons and their responsible, the mentors, the groups), three for a participant read
    `with_individual_plan`; without deficits, none."""
    campaign = participant.campaign
    due = campaign.year.end
    if results is None:
        results = person_results(participant)
    deficits = [DeficitSuggestions(competency, result) for competency, result in results if result.deficit]
    if not deficits:
        return Panel(participant=participant, deficits=[], plan=None, in_plan=set())
    plan = individual_plan(participant)
    in_plan, lessons = _plan_and_lessons(participant, plan, today)
    mentors = _mentors(participant, [d.competency for d in deficits], top_level(campaign.framework.levels))
    groups = _groups(participant.person_id, today)
    for deficit in deficits:
        competency = deficit.competency
        wanted = stems(competency.name)
        deficit.suggestions.append(_training(competency, due))
        deficit.suggestions.extend(_mentor(competency, mentor, due) for mentor in mentors.get(competency.pk, []))
        deficit.suggestions.extend(_group(competency, group, due) for group, words in groups if words & wanted)
        matching = [(item, who) for item, words, who in lessons if words & wanted]
        others = [(item, who) for item, words, who in lessons if not words & wanted]
        for item, who in (matching + others)[:LESSONS_PER_DEFICIT]:
            deficit.suggestions.append(_lesson(competency, item, who))
    return Panel(participant=participant, deficits=deficits, plan=plan, in_plan=in_plan)
