"""Reads of diagnostics results: a person's profile in a campaign, their dynamics over campaigns, the heat map of a
unit and the college summary. Only SUBMITTED assessments count; self and expert levels stay apart, the arithmetic is
attestation.diagnostics (pure).

Who sees whose results (attestation/rules/results.py asks this for one participant, the lists below filter the same
way): the person; the heads of the subject associations the person belongs to today and the experts named on the
participant; the director, the deputy, the methodist and the administrator.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from metodservice.common.xlsx import in_chunks
from structure.models import Membership, Person, Unit
from structure.selectors import Roles

from .. import diagnostics
from ..models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    CampaignParticipant,
    CampaignStatus,
    Competency,
    CompetencyKind,
    DiagnosticCampaign,
    Score,
)
from .people import association_members, headed_associations, heads_association_of, sees_everyone

# ---------------------------------------------------------------- who sees whom


def sees_all_results(roles: Roles) -> bool:
    return sees_everyone(roles)


def _expert_of(person_id: int):
    """The participants the person is a named expert of (a values queryset)."""
    return CampaignParticipant.experts.through.objects.filter(person_id=person_id).values("campaignparticipant_id")


def _submitted_expert(person_id: int):
    """The participants the person has submitted an expert assessment of (a values queryset)."""
    return Assessment.objects.filter(
        assessor_id=person_id, kind=AssessmentKind.EXPERT, status=AssessmentStatus.SUBMITTED
    ).values("participant_id")


def _still_judging() -> Q:
    """For `_blind`: the campaign is not closed (a closed campaign shows its results to all who may see them)."""
    return ~Q(campaign__status=CampaignStatus.CLOSED)


def _blind(person_id: int) -> Q:
    """The participants the person is an expert of and has not judged yet, in a campaign not closed: an expert forms
    their own judgement before reading the self-assessment or another expert's levels."""
    return Q(pk__in=_expert_of(person_id)) & _still_judging() & ~Q(pk__in=_submitted_expert(person_id))


def sees_participant(roles: Roles, participant: CampaignParticipant, day: datetime.date | None = None) -> bool:
    """The user may see this participant's results: everyone for management and the administrator, the person, the
    participant's experts and the heads of an association the person belongs to on `day` (today) — except, while
    the campaign is not closed, an expert (a head too) who has not submitted their own expert assessment of them."""
    if sees_everyone(roles):
        return True
    if roles.person is None:
        return False
    me = roles.person.pk
    if participant.person_id == me:
        return True
    if participant.experts.filter(pk=me).exists():
        judged = Assessment.objects.filter(
            participant=participant, assessor_id=me, kind=AssessmentKind.EXPERT, status=AssessmentStatus.SUBMITTED
        ).exists()
        return judged or participant.campaign.status == CampaignStatus.CLOSED
    return heads_association_of(roles, participant.person_id, day)


def participants_visible_to(roles: Roles, *, day: datetime.date | None = None) -> QuerySet[CampaignParticipant]:
    """The participants whose results the user may open (the same answer as sees_participant)."""
    participants = CampaignParticipant.objects.select_related("person", "campaign", "campaign__year")
    if sees_everyone(roles):
        return participants
    if roles.person is None:
        return participants.none()
    me = roles.person.pk
    others = Q(pk__in=_expert_of(me))
    if headed_associations(roles):
        others |= Q(person_id__in=association_members(roles, day or timezone.localdate()).values("person_id"))
    return participants.filter(Q(person_id=me) | (others & ~_blind(me)))


def withheld_participant_ids(roles: Roles, campaign: DiagnosticCampaign) -> set[int]:
    """The campaign's participants whose levels the user may not read yet (see `_blind`), for the unit's heat map and
    export: none for management and the administrator. One query, none for them."""
    if sees_everyone(roles) or roles.person is None or campaign.status == CampaignStatus.CLOSED:
        return set()
    return set(campaign.participants.filter(_blind(roles.person.pk)).values_list("pk", flat=True))


def heads_a_unit_for_heat_map(roles: Roles) -> bool:
    return bool(headed_associations(roles))


# ---------------------------------------------------------------- the competencies of a framework


def assessed_competencies(framework_id: int) -> list[Competency]:
    """The competencies a framework assesses (functions and indicators), in the framework's order: one query."""
    return list(
        Competency.objects.filter(framework_id=framework_id)
        .exclude(kind=CompetencyKind.GENERALISED)
        .order_by("position", "code", "pk")
    )


def top_level(levels: list[dict]) -> int:
    values = [int(level["value"]) for level in levels]
    return max(values) if values else 3


def level_names(levels: list[dict]) -> dict[int, str]:
    return {int(level["value"]): str(level.get("name", "")) for level in levels}


# ---------------------------------------------------------------- one person in one campaign


@dataclass(frozen=True)
class ExpertColumn:
    person_id: int
    name: str


@dataclass(frozen=True)
class ProfileRow:
    competency: Competency
    result: diagnostics.CompetencyResult
    #: The level each expert column gave (None where that expert left it out), in the order of Profile.experts.
    expert_levels: tuple[int | None, ...]


@dataclass
class Profile:
    participant: CampaignParticipant
    experts: list[ExpertColumn]
    rows: list[ProfileRow]
    levels: list[dict]
    self_submitted: bool
    #: The experts' levels are kept from the person until they submit their self-assessment (or the campaign closes).
    experts_withheld: bool = False
    #: The person's submitted expert levels in this campaign (unless withheld) and the earlier ones the reader sees:
    #: (campaign id, code, name, position, level), for the dynamics (`person_dynamics(levels=...)`).
    history: list[tuple[int, str, str, int, int]] = field(default_factory=list)

    @property
    def deficits(self) -> list[ProfileRow]:
        return [row for row in self.rows if row.result.deficit]

    @property
    def strengths(self) -> list[ProfileRow]:
        return [row for row in self.rows if row.result.strength]

    @property
    def gaps(self) -> list[ProfileRow]:
        return [row for row in self.rows if row.result.gap]

    @property
    def has_expert_results(self) -> bool:
        return bool(self.experts)

    @property
    def top_level(self) -> int:
        return top_level(self.levels)


def _submitted_scores(participant_ids) -> QuerySet[Score]:
    return Score.objects.filter(
        assessment__participant_id__in=participant_ids, assessment__status=AssessmentStatus.SUBMITTED
    )


def previous_medians(participant: CampaignParticipant, *, campaign_ids=None) -> dict[str, float]:
    """For each competency code: the experts' median in the person's latest earlier campaign (among `campaign_ids`
    if given: those the reader may see) where that code has submitted expert levels. One query (the many-person
    reading, for one person)."""
    medians = _previous_medians_of_all(participant.campaign, [participant.person_id], campaign_ids=campaign_ids)
    return {code: median for (_person_id, code), median in medians.items()}


def person_profile(participant: CampaignParticipant, *, reader_id: int | None = None, campaign_ids=None) -> Profile:
    """The participant's profile: per assessed competency the self level, each expert's level, the median and the
    flags (attestation.diagnostics). Submitted assessments only. Read by `reader_id` (a person id), it keeps from the
    reader what is not theirs to read yet: the person themselves reads no expert level before submitting their
    self-assessment while the campaign is open; the drop compares with the latest earlier campaign among
    `campaign_ids` (those the reader may see; every one if None). One query whatever the size and the data
    (`_profile_levels`), once per participant object: the page reads it first, its suggestions and its dynamics
    share it."""
    cached = getattr(participant, "_results_profile", None)
    if cached is not None:
        return cached
    profile = _person_profile(participant, reader_id=reader_id, campaign_ids=campaign_ids)
    participant._results_profile = profile  # type: ignore[attr-defined]
    return profile


def readable_profile(roles: Roles, participant: CampaignParticipant, *, campaign_ids=None) -> Profile:
    """The participant's profile as the user may read it (person_profile with the user as its reader): the drop
    only from the campaigns among `campaign_ids` — the person's participations the user sees, read here (one query)
    unless given. The page, the card and the suggestions read through it first: the suggestions share the result."""
    if campaign_ids is None:
        campaign_ids = set(
            participants_visible_to(roles).filter(person_id=participant.person_id).values_list("campaign_id", flat=True)
        )
    reader_id = roles.person.pk if roles.person is not None else None
    return person_profile(participant, reader_id=reader_id, campaign_ids=campaign_ids)


def experts_withheld(participant: CampaignParticipant, reader_id: int | None, self_submitted: bool) -> bool:
    """The person reads their own results before submitting their self-assessment in a campaign not closed: the
    experts' levels wait (the self-assessment is their own view, formed without the experts')."""
    return (
        reader_id is not None
        and reader_id == participant.person_id
        and not self_submitted
        and participant.campaign.status != CampaignStatus.CLOSED
    )


#: The fields of a Competency, as `_profile_levels` builds one.
_COMPETENCY_FIELDS = ["id", "framework_id", "parent_id", "code", "name", "kind", "position"]


def _profile_levels(participant: CampaignParticipant, campaign_ids) -> tuple[list[Competency], list[tuple], bool]:
    """One query for the profile: the competencies the campaign's framework assesses (in the framework's order), the
    submitted levels of the participant (self and expert, the experts by name) and the person's submitted expert
    levels in their earlier campaigns (among `campaign_ids` if given), for the drop and the dynamics, and whether the
    participant's self-assessment is submitted (even without a level). Three parts of one UNION ALL: the levels as
    (campaign id, campaign start, kind, assessor id, last name, first name, patronymic, competency id, code, name,
    position, level), the campaign's own first."""
    tables = _tables()
    person = connection.ops.quote_name(Person._meta.db_table)
    campaign = participant.campaign
    earlier = "(k.starts_on < %s OR (k.starts_on = %s AND k.id < %s))"
    earlier_params: list = [campaign.starts_on, campaign.starts_on, campaign.pk]
    if campaign_ids is not None:
        ids = sorted(set(campaign_ids))
        earlier += f" AND cp.campaign_id IN ({', '.join(['%s'] * len(ids))})" if ids else " AND 1 = 0"
        earlier_params += ids
    sql = f"""
        SELECT 0 AS part, cp.campaign_id, k.starts_on, a.kind, a.assessor_id, p.last_name, p.first_name,
               p.patronymic, s.competency_id, c.code, c.name, c.position, s.level, a.id, c.parent_id, c.kind
        FROM {tables["score"]} s
        INNER JOIN {tables["assessment"]} a ON a.id = s.assessment_id
        INNER JOIN {tables["participant"]} cp ON cp.id = a.participant_id
        INNER JOIN {tables["campaign"]} k ON k.id = cp.campaign_id
        INNER JOIN {tables["competency"]} c ON c.id = s.competency_id
        INNER JOIN {person} p ON p.id = a.assessor_id
        WHERE cp.person_id = %s AND a.status = %s
            AND (cp.id = %s OR (a.kind = %s AND {earlier}))
        UNION ALL
        SELECT 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, c.id, c.code, c.name, c.position, NULL, NULL, c.parent_id,
               c.kind
        FROM {tables["competency"]} c
        WHERE c.framework_id = %s AND c.kind <> %s
        UNION ALL
        SELECT 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        WHERE EXISTS (
            SELECT 1 FROM {tables["assessment"]} x WHERE x.participant_id = %s AND x.kind = %s AND x.status = %s
        )
        ORDER BY 1, 6, 7, 14
    """
    submitted, expert, self_kind = AssessmentStatus.SUBMITTED.value, AssessmentKind.EXPERT.value, AssessmentKind.SELF
    params = [
        participant.person_id,
        submitted,
        participant.pk,
        expert,
        *earlier_params,
        campaign.framework_id,
        CompetencyKind.GENERALISED.value,
        participant.pk,
        self_kind.value,
        submitted,
    ]
    competencies: list[Competency] = []
    levels: list[tuple] = []
    self_submitted = False
    for row in _rows(sql, params):
        part = row[0]
        if part == 0:
            levels.append(row[1:13])
        elif part == 1:
            competency_id, code, name, position, parent_id, kind = row[8], row[9], row[10], row[11], row[14], row[15]
            values = (competency_id, campaign.framework_id, parent_id, code, name, kind, position)
            competencies.append(Competency.from_db(connection.alias, _COMPETENCY_FIELDS, values))
        else:
            self_submitted = True
    competencies.sort(key=lambda c: (c.position, c.code, c.pk))
    return competencies, levels, self_submitted


def _person_profile(participant: CampaignParticipant, *, reader_id: int | None, campaign_ids) -> Profile:
    campaign = participant.campaign
    framework = campaign.framework
    competencies, levels, self_submitted = _profile_levels(participant, campaign_ids)
    self_levels: dict[int, int] = {}
    expert_levels: dict[int, dict[int, int]] = defaultdict(dict)
    experts: dict[int, ExpertColumn] = {}
    self_submitted = self_submitted or any(row[0] == campaign.pk and row[2] == AssessmentKind.SELF for row in levels)
    withhold = experts_withheld(participant, reader_id, self_submitted)
    # the person's expert levels of earlier campaigns (campaign, start) → code → levels, and the history kept for
    # the dynamics: (campaign id, code, name, position, level)
    earlier: dict[str, dict[tuple, list[int]]] = defaultdict(lambda: defaultdict(list))
    history: list[tuple[int, str, str, int, int]] = []
    for (
        campaign_id,
        starts_on,
        kind,
        assessor_id,
        last,
        first,
        patronymic,
        competency_id,
        code,
        name,
        position,
        level,
    ) in levels:
        if campaign_id == campaign.pk:
            if kind == AssessmentKind.SELF:
                self_levels[competency_id] = level
                continue
            if withhold:
                continue
            if assessor_id not in experts:
                assessor = Person(pk=assessor_id, last_name=last, first_name=first, patronymic=patronymic or "")
                experts[assessor_id] = ExpertColumn(assessor_id, assessor.short_name)
            expert_levels[competency_id][assessor_id] = level
        else:
            earlier[code][(starts_on, campaign_id)].append(level)
        history.append((campaign_id, code, name, position, level))
    previous: dict[str, float] = {}
    if not withhold:
        for code, per_campaign in earlier.items():
            median = diagnostics.experts_median(per_campaign[max(per_campaign)])
            if median is not None:
                previous[code] = median
    top = top_level(framework.levels)
    columns = list(experts.values())
    rows = []
    for competency in competencies:
        given = expert_levels.get(competency.pk, {})
        result = diagnostics.competency_result(
            self_level=self_levels.get(competency.pk),
            expert_levels=[given[column.person_id] for column in columns if column.person_id in given],
            previous_median=previous.get(competency.code),
            top_level=top,
        )
        rows.append(ProfileRow(competency, result, tuple(given.get(column.person_id) for column in columns)))
    return Profile(
        participant=participant,
        experts=columns,
        rows=rows,
        levels=framework.levels,
        self_submitted=self_submitted,
        experts_withheld=withhold,
        history=history,
    )


def person_results(participant: CampaignParticipant) -> list[tuple[Competency, diagnostics.CompetencyResult]]:
    """(competency, CompetencyResult) for each competency the participant's campaign assesses: submitted assessments
    only; the previous median from the person's latest earlier campaign with the same competency code."""
    return [(row.competency, row.result) for row in person_profile(participant).rows]


def participant_detail() -> QuerySet[CampaignParticipant]:
    return CampaignParticipant.objects.select_related(
        "person", "person__position", "campaign", "campaign__year", "campaign__framework"
    )


def person_participations(person: Person) -> QuerySet[CampaignParticipant]:
    """The person's participations, the latest campaign first."""
    return participant_detail().filter(person=person).order_by("-campaign__starts_on", "-campaign_id")


# ---------------------------------------------------------------- the dynamics over campaigns


def campaign_label(campaign: DiagnosticCampaign) -> str:
    """A campaign on a chart's axis: its academic year (campaign.year loaded)."""
    return campaign.year.title


@dataclass
class Dynamics:
    #: The campaigns, oldest first: (campaign id, label).
    campaigns: list[tuple[int, str]]
    #: code → (name, [median or None per campaign]).
    series: dict[str, tuple[str, list[float | None]]] = field(default_factory=dict)

    @property
    def has_points(self) -> bool:
        return len(self.campaigns) > 1 and any(v is not None for _, values in self.series.values() for v in values)


def person_dynamics(
    person_id: int, *, until: DiagnosticCampaign | None = None, campaign_ids=None, participations=None, levels=None
) -> Dynamics:
    """The experts' median of each competency code over the person's campaigns (up to `until`; among
    `campaign_ids` if given: those the reader may see), oldest first. Two queries; one when the person's
    `participations` are given (read already by the page, with their campaign and its year), none when their expert
    `levels` are given too (Profile.history: (campaign id, code, name, position, level))."""
    if participations is None:
        participations = CampaignParticipant.objects.filter(person_id=person_id).select_related("campaign__year")
    else:
        participations = [p for p in participations if p.person_id == person_id]
    if campaign_ids is not None:
        visible = set(campaign_ids)
        participations = [p for p in participations if p.campaign_id in visible]
    if until is not None:
        participations = [
            p for p in participations if (p.campaign.starts_on, p.campaign_id) <= (until.starts_on, until.pk)
        ]
    campaigns = sorted((p.campaign for p in participations), key=lambda c: (c.starts_on, c.pk))
    index = {c.pk: i for i, c in enumerate(campaigns)}
    if levels is None:
        levels = (
            Score.objects.filter(
                assessment__participant__person_id=person_id,
                assessment__participant__campaign_id__in=[c.pk for c in campaigns],
                assessment__status=AssessmentStatus.SUBMITTED,
                assessment__kind=AssessmentKind.EXPERT,
            )
            .values_list(
                "assessment__participant__campaign_id",
                "competency__code",
                "competency__name",
                "competency__position",
                "level",
            )
            .order_by("competency__position", "competency__code")
        )
    else:
        levels = sorted((row for row in levels if row[0] in index), key=lambda row: (row[3], row[1], index[row[0]]))
    collected: dict[str, tuple[str, list[list[int]]]] = {}
    for campaign_id, code, name, _position, level in levels:
        entry = collected.setdefault(code, (name, [[] for _ in campaigns]))
        entry[1][index[campaign_id]].append(level)
    dynamics = Dynamics(campaigns=[(c.pk, campaign_label(c)) for c in campaigns])
    for code, (name, per_campaign) in collected.items():
        dynamics.series[code] = (name, [diagnostics.experts_median(values) for values in per_campaign])
    return dynamics


# ---------------------------------------------------------------- a unit's heat map


@dataclass(frozen=True)
class HeatRow:
    participant: CampaignParticipant
    medians: tuple[float | None, ...]
    #: The reader has yet to submit their own expert assessment of this person: no level is shown (see `_blind`).
    withheld: bool = False


@dataclass
class HeatMap:
    campaign: DiagnosticCampaign
    competencies: list[Competency]
    rows: list[HeatRow]
    levels: list[dict]


def _expert_medians(participant_ids) -> dict[int, dict[int, float]]:
    """participant id → competency id → experts' median, from submitted expert assessments: one query."""
    collected: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    rows = (
        _submitted_scores(participant_ids)
        .filter(assessment__kind=AssessmentKind.EXPERT)
        .values_list("assessment__participant_id", "competency_id", "level")
        .order_by()
    )
    for participant_id, competency_id, level in rows:
        collected[participant_id][competency_id].append(level)
    return {
        pid: {cid: float(diagnostics.experts_median(levels) or 0) for cid, levels in by_comp.items()}
        for pid, by_comp in collected.items()
    }


def unit_heat_map(
    campaign: DiagnosticCampaign, *, person_ids=None, withheld: set[int] | frozenset = frozenset()
) -> HeatMap:
    """People × competencies of the campaign, the experts' medians; `person_ids` (a list or a values queryset)
    limits the people (a unit's members); the participants in `withheld` (withheld_participant_ids) show no level.
    Three queries."""
    competencies = assessed_competencies(campaign.framework_id)
    participants = campaign.participants.select_related("person").order_by(
        "person__last_name", "person__first_name", "pk"
    )
    if person_ids is not None:
        participants = participants.filter(person_id__in=person_ids)
    participants_list = list(participants)
    medians = _expert_medians([p.pk for p in participants_list if p.pk not in withheld])
    rows = [
        HeatRow(p, tuple(medians.get(p.pk, {}).get(c.pk) for c in competencies), withheld=p.pk in withheld)
        for p in participants_list
    ]
    return HeatMap(campaign=campaign, competencies=competencies, rows=rows, levels=campaign.framework.levels)


def unit_member_ids(unit: Unit, day: datetime.date):
    return Membership.objects.active_on(day).filter(unit=unit).values("person_id")


def unit_person_ids(unit: Unit, day: datetime.date) -> list[int]:
    return list(unit_member_ids(unit, day).values_list("person_id", flat=True))


def heat_map_units(roles: Roles, day: datetime.date) -> QuerySet[Unit]:
    """The units whose heat map the user may open: every unit in the structure today for those who see all results,
    else the subject associations the user heads."""
    units = Unit.objects.active_on(day).order_by("kind", "name")
    if sees_everyone(roles):
        return units
    return units.filter(pk__in=headed_associations(roles))


def campaigns_with_results() -> QuerySet[DiagnosticCampaign]:
    """The campaigns that have opened (results come only from open and closed ones), the latest first."""
    return (
        DiagnosticCampaign.objects.exclude(status=CampaignStatus.DRAFT)
        .select_related("year", "framework")
        .order_by("-starts_on", "-pk")
    )


def heat_class(median: float | None, top: int) -> str:
    """The colour class of a heat map cell: a deficit (≤ 1) red, below the middle amber, the top green."""
    if median is None:
        return ""
    if median <= diagnostics.DEFICIT_LEVEL:
        return "heat-low text-bg-danger"
    if median >= top:
        return "heat-top text-bg-success"
    if median < 2:
        return "heat-mid text-bg-warning"
    return "heat-good bg-success-subtle"


# ---------------------------------------------------------------- the college summary


@dataclass(frozen=True)
class CompetencySummary:
    competency: Competency
    #: How many people the experts' median puts at each level (rounded down: 1.5 counts at 1), in the scale's order.
    counts: tuple[int, ...]
    assessed: int
    average: float | None
    deficits: int
    self_average: float | None


@dataclass
class CollegeSummary:
    campaign: DiagnosticCampaign
    levels: list[dict]
    participants: int
    assessed: int
    rows: list[CompetencySummary]
    #: The academic years (oldest first) and, per competency code, the average experts' median in each.
    years: list[str]
    averages: list[tuple[str, str, list[float | None]]]


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "score": quote(Score._meta.db_table),
        "assessment": quote(Assessment._meta.db_table),
        "participant": quote(CampaignParticipant._meta.db_table),
        "competency": quote(Competency._meta.db_table),
        "campaign": quote(DiagnosticCampaign._meta.db_table),
    }


def _medians_sql(condition: str, *, before: str = "") -> str:
    """SQL (SQLite and PostgreSQL alike) of the common table expressions ending with `medians` (participant_id,
    competency_id, twice): for each participant and competency, twice the experts' median of the submitted expert
    levels — an integer, as the median of integers is a whole or a half. `condition` is over the aliases `a` (the
    assessment) and `s` (the score); the status and kind come first among the parameters (`_expert_params`).

    One hash aggregate gives each group's count, sum, lowest and highest level: with up to four experts that is the
    median (sorted a ≤ b ≤ c ≤ d: twice the median of a is 2a, of a, b is a + b, of a, b, c is 2b = 2(sum − a − c),
    of a, b, c, d is b + c = sum − a − d). A group of more experts is ranked (ROW_NUMBER) and the middle one or two
    levels (ranks (n + 1) / 2 and (n + 2) / 2 in integer division) averaged, as statistics.median does; without such a
    group (the usual case) that part is skipped whole (the EXISTS is a one-time filter). `before`: common table
    expressions of the caller's that `condition` reads (each followed by a comma), their parameters first."""
    tables = _tables()
    return f"""
        WITH {before}expert_levels AS (
            SELECT a.participant_id, s.competency_id, s.level
            FROM {tables["score"]} s
            INNER JOIN {tables["assessment"]} a ON a.id = s.assessment_id
            WHERE a.status = %s AND a.kind = %s AND ({condition})
        ),
        expert_groups AS (
            SELECT participant_id, competency_id, COUNT(*) AS n, SUM(level) AS total, MIN(level) AS low,
                   MAX(level) AS high
            FROM expert_levels
            GROUP BY participant_id, competency_id
        ),
        medians AS (
            SELECT participant_id, competency_id,
                   CASE n WHEN 1 THEN 2 * total WHEN 2 THEN total WHEN 3 THEN 2 * (total - low - high)
                   ELSE total - low - high END AS twice
            FROM expert_groups
            WHERE n <= 4
            UNION ALL
            SELECT participant_id, competency_id, 2 * SUM(level) / COUNT(*)
            FROM (
                SELECT e.participant_id, e.competency_id, e.level, g.n,
                       ROW_NUMBER() OVER (PARTITION BY e.participant_id, e.competency_id ORDER BY e.level) AS rn
                FROM expert_levels e
                INNER JOIN expert_groups g
                    ON g.participant_id = e.participant_id AND g.competency_id = e.competency_id AND g.n > 4
            ) ranked
            WHERE (rn = (n + 1) / 2 OR rn = (n + 2) / 2) AND EXISTS (SELECT 1 FROM expert_groups WHERE n > 4)
            GROUP BY participant_id, competency_id
        )
    """


def _expert_params() -> list:
    return [AssessmentStatus.SUBMITTED.value, AssessmentKind.EXPERT.value]


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


#: How long the figures of a campaign stay in Django's cache (settings.RESULTS_CACHE_SECONDS; 0: not kept). A closed
#: campaign's are final (no assessment is written or submitted once it closes: attestation.services.campaigns); an
#: open one's are kept under its fingerprint, which the next submission changes.
RESULTS_CACHE_SECONDS = 6 * 3600


def cache_seconds() -> int:
    return int(getattr(settings, "RESULTS_CACHE_SECONDS", RESULTS_CACHE_SECONDS))


def campaign_fingerprints(campaigns: Iterable[DiagnosticCampaign]) -> dict[int, tuple]:
    """For each campaign: what its results depend on, as the key of its cached figures — a closed campaign's status
    alone (final), else the number and the last id of its submitted assessments (a submitted assessment is fixed; a
    new one changes both). One query for the campaigns not closed (none without them)."""
    campaigns = list(campaigns)
    result: dict[int, tuple] = {c.pk: ("closed",) for c in campaigns if c.status == CampaignStatus.CLOSED}
    others = [c.pk for c in campaigns if c.pk not in result]
    if others and cache_seconds() > 0:
        rows = (
            Assessment.objects.filter(participant__campaign_id__in=others, status=AssessmentStatus.SUBMITTED)
            .values("participant__campaign_id")
            .annotate(number=Count("pk"), last=Max("pk"))
            .order_by()
        )
        counted = {row["participant__campaign_id"]: (row["number"], row["last"]) for row in rows}
        for pk in others:
            result[pk] = ("open", *counted.get(pk, (0, 0)))
    return result


def _key(what: str, campaign: DiagnosticCampaign, fingerprint: tuple | None) -> str | None:
    if fingerprint is None or cache_seconds() <= 0:
        return None
    return ":".join(["attestation.results.v1", what, str(campaign.pk), *map(str, fingerprint)])


@dataclass
class CampaignFigures:
    """A campaign's figures for the college summary, aggregated in the database (`campaign_figures`)."""

    participants: int = 0
    #: The participants with an experts' median on at least one assessed competency.
    assessed: int = 0
    #: competency id → {twice the experts' median: how many participants}.
    medians: dict[int, dict[int, int]] = field(default_factory=dict)
    #: competency id → (the sum of the submitted self levels, how many).
    self_levels: dict[int, tuple[int, int]] = field(default_factory=dict)


def campaign_figures(campaign: DiagnosticCampaign, *, fingerprint: tuple | None = None) -> CampaignFigures:
    """The campaign's figures (`_campaign_figures`), from the cache under the campaign's `fingerprint`
    (campaign_fingerprints) when given and still there."""
    key = _key("figures", campaign, fingerprint)
    figures = cache.get(key) if key else None
    if figures is None:
        figures = _campaign_figures(campaign)
        if key:
            cache.set(key, figures, cache_seconds())
    return figures


def _campaign_figures(campaign: DiagnosticCampaign) -> CampaignFigures:
    """The campaign's participants, those assessed by experts, the distribution of the experts' medians and the sums
    of the self levels per assessed competency (of the campaign's framework, not generalised): one query, whatever
    the size; the database returns a row per competency and median value."""
    tables = _tables()
    assessed_ids = f"""SELECT id FROM {tables["competency"]} WHERE framework_id = %s AND kind <> %s"""
    participant_ids = f"""SELECT id FROM {tables["participant"]} WHERE campaign_id = %s"""
    sql = (
        _medians_sql(f"a.participant_id IN ({participant_ids}) AND s.competency_id IN ({assessed_ids})")
        + f"""
        SELECT 'median', competency_id, twice, COUNT(*) FROM medians GROUP BY competency_id, twice
        UNION ALL
        SELECT 'assessed', NULL, NULL, COUNT(DISTINCT participant_id) FROM medians
        UNION ALL
        SELECT 'self', s.competency_id, SUM(s.level), COUNT(*)
        FROM {tables["score"]} s
        INNER JOIN {tables["assessment"]} a ON a.id = s.assessment_id
        WHERE a.status = %s AND a.kind = %s AND a.participant_id IN ({participant_ids})
            AND s.competency_id IN ({assessed_ids})
        GROUP BY s.competency_id
        UNION ALL
        SELECT 'participants', NULL, NULL, COUNT(*) FROM {tables["participant"]} WHERE campaign_id = %s
        """
    )
    generalised = CompetencyKind.GENERALISED.value
    params = [
        *_expert_params(),
        campaign.pk,
        campaign.framework_id,
        generalised,
        AssessmentStatus.SUBMITTED.value,
        AssessmentKind.SELF.value,
        campaign.pk,
        campaign.framework_id,
        generalised,
        campaign.pk,
    ]
    figures = CampaignFigures()
    for what, competency_id, value, number in _rows(sql, params):
        if what == "median":
            figures.medians.setdefault(competency_id, {})[int(value)] = int(number)
        elif what == "self":
            figures.self_levels[competency_id] = (int(value), int(number))
        elif what == "assessed":
            figures.assessed = int(number)
        else:
            figures.participants = int(number)
    return figures


def college_summary(campaign: DiagnosticCampaign) -> CollegeSummary:
    """The distribution of the experts' medians per competency in the campaign, the averages, and the averages of each
    competency code over the campaigns of the same framework name, by year. Four queries, whatever the size: the
    medians are computed and counted in the database (`campaign_figures`, `averages_over_years`)."""
    framework = campaign.framework
    competencies = assessed_competencies(framework.pk)
    values = [int(level["value"]) for level in framework.levels]
    history = _campaigns_up_to(framework.name, campaign)
    fingerprints = campaign_fingerprints([campaign, *history])
    figures = campaign_figures(campaign, fingerprint=fingerprints.get(campaign.pk))
    summary_rows = []
    for competency in competencies:
        medians = figures.medians.get(competency.pk, {})
        counts = [0] * len(values)
        for twice, number in medians.items():
            level = twice // 2  # the median rounded down (levels are not negative): 1.5 counts at 1
            if level in values:
                counts[values.index(level)] += number
        assessed = sum(medians.values())
        self_sum, self_number = figures.self_levels.get(competency.pk, (0, 0))
        summary_rows.append(
            CompetencySummary(
                competency=competency,
                counts=tuple(counts),
                assessed=assessed,
                average=_half_mean(sum(twice * number for twice, number in medians.items()), assessed),
                deficits=sum(number for twice, number in medians.items() if twice <= 2 * diagnostics.DEFICIT_LEVEL),
                self_average=round(self_sum / self_number, 2) if self_number else None,
            )
        )
    years, averages = _averages(history, fingerprints)
    return CollegeSummary(
        campaign=campaign,
        levels=framework.levels,
        participants=figures.participants,
        assessed=figures.assessed,
        rows=summary_rows,
        years=years,
        averages=averages,
    )


def _half_mean(twice_total: int, number: int) -> float | None:
    """The mean of medians given as the sum of twice each and their number, rounded as `_mean`: the same float (the
    sum of halves is exact)."""
    return round(twice_total / 2 / number, 2) if number else None


def _campaigns_up_to(framework_name: str, upto: DiagnosticCampaign) -> list[DiagnosticCampaign]:
    """The campaigns of a framework of this name (any version) up to `upto`, by year: one query."""
    return list(
        DiagnosticCampaign.objects.filter(framework__name=framework_name)
        .filter(Q(starts_on__lt=upto.starts_on) | Q(starts_on=upto.starts_on, pk__lte=upto.pk))
        .select_related("year")
        .order_by("year__start", "starts_on", "pk")
    )


def averages_over_years(
    framework_name: str, *, upto: DiagnosticCampaign, top: int = 3
) -> tuple[list[str], list[tuple[str, str, list[float | None]]]]:
    """Per competency code, the average of the people's experts' medians in each academic year's campaigns (of a
    framework of this name, any version), up to `upto`. Two or three queries (see `_averages`)."""
    campaigns = _campaigns_up_to(framework_name, upto)
    return _averages(campaigns, campaign_fingerprints(campaigns))


def _medians_per_campaign(campaign_ids: list[int]) -> dict[int, list[tuple[str, str, int, int, int]]]:
    """campaign id → [(code, name, position, twice the medians' sum, how many)] per competency with an experts'
    median: the medians computed and summed in the database, a row per campaign and competency. One query."""
    tables = _tables()
    marks = ", ".join(["%s"] * len(campaign_ids))
    participants = f"""SELECT id FROM {tables["participant"]} WHERE campaign_id IN ({marks})"""
    sql = (
        _medians_sql(f"a.participant_id IN ({participants})")
        + f"""
        SELECT m.campaign_id, c.code, c.name, c.position, m.twice_total, m.number
        FROM (
            SELECT cp.campaign_id, medians.competency_id, SUM(medians.twice) AS twice_total, COUNT(*) AS number
            FROM medians INNER JOIN {tables["participant"]} cp ON cp.id = medians.participant_id
            GROUP BY cp.campaign_id, medians.competency_id
        ) m
        INNER JOIN {tables["competency"]} c ON c.id = m.competency_id
    """
    )
    result: dict[int, list[tuple[str, str, int, int, int]]] = {pk: [] for pk in campaign_ids}
    for campaign_id, code, name, position, twice_total, number in _rows(sql, [*_expert_params(), *campaign_ids]):
        result[campaign_id].append((code, name, position, int(twice_total), int(number)))
    return result


def _averages(
    campaigns: list[DiagnosticCampaign], fingerprints: dict[int, tuple]
) -> tuple[list[str], list[tuple[str, str, list[float | None]]]]:
    """The averages over years of `campaigns` (by year, oldest first): each campaign's sums from the cache under its
    fingerprint, those missing computed together (`_medians_per_campaign`, one query; none when all are kept)."""
    years: list[str] = []
    year_of: dict[int, int] = {}
    for campaign in campaigns:
        if campaign.year.title not in years:
            years.append(campaign.year.title)
        year_of[campaign.pk] = years.index(campaign.year.title)
    keys = {c.pk: _key("medians", c, fingerprints.get(c.pk)) for c in campaigns}
    kept = cache.get_many([key for key in keys.values() if key]) if any(keys.values()) else {}
    per_campaign = {pk: kept[key] for pk, key in keys.items() if key in kept}
    missing = [pk for pk in year_of if pk not in per_campaign]
    if missing:
        computed = _medians_per_campaign(missing)
        per_campaign.update(computed)
        to_keep = {keys[pk]: rows for pk, rows in computed.items() if keys[pk]}
        if to_keep:
            cache.set_many(to_keep, cache_seconds())
    # code → (the first (position, code) it is listed at, its name there); (code, year) → [twice total, number]
    first: dict[str, tuple[tuple[int, str], str]] = {}
    totals: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for campaign_id, rows in per_campaign.items():
        for code, name, position, twice_total, number in rows:
            if code not in first or (position, code) < first[code][0]:
                first[code] = ((position, code), name)
            total = totals[(code, year_of[campaign_id])]
            total[0] += twice_total
            total[1] += number
    averages = []
    for code in sorted(first, key=lambda code: first[code][0]):
        per_year = [_half_mean(*totals.get((code, index), (0, 0))) for index in range(len(years))]
        averages.append((code, first[code][1], per_year))
    return years, averages


# ---------------------------------------------------------------- the plan items for the card


def diagnostic_plan_items(participant: CampaignParticipant):
    """The items of the person's individual plan for the campaign's year in the directions deficits lead to
    (2 diagnostics, 8 experience, 10 qualification): what the card prints as the plan. One query."""
    from planning.models import PlanItem, PlanLevel

    return (
        PlanItem.objects.filter(
            plan__level=PlanLevel.INDIVIDUAL,
            plan__person_id=participant.person_id,
            plan__year_id=participant.campaign.year_id,
            direction__code__in=(2, 8, 10),
        )
        .select_related("direction")
        .order_by("position", "pk")
    )


# ---------------------------------------------------------------- the export


def export_rows(
    campaign: DiagnosticCampaign, *, person_ids=None, withheld: set[int] | frozenset = frozenset()
) -> tuple[list[Competency], Iterator[dict]]:
    """One row per participant and competency (the participants by name, the competencies in the framework's order):
    self level, each expert's level, the median, the flags; `person_ids` limits the people (a unit's members), nobody
    in `withheld` (withheld_participant_ids). The rows come lazily: the participants and their submitted levels are
    read each in one query, in chunks (a server-side cursor on PostgreSQL), in the same order, and merged as they
    come; the previous medians are computed in the database (`_latest_earlier_medians`). Four queries, five in the rare
    case a previous median lies beyond the latest earlier campaign of its framework."""
    competencies = assessed_competencies(campaign.framework_id)
    if person_ids is not None:
        person_ids = list(person_ids)
    participants = campaign.participants.all()
    scores = Score.objects.filter(
        assessment__participant__campaign=campaign,
        assessment__status=AssessmentStatus.SUBMITTED,
        competency_id__in=[c.pk for c in competencies],
    )
    if person_ids is not None:
        participants = participants.filter(person_id__in=person_ids)
        scores = scores.filter(assessment__participant__person_id__in=person_ids)
    if withheld:
        participants = participants.exclude(pk__in=list(withheld))
        scores = scores.exclude(assessment__participant_id__in=list(withheld))
    participants = participants.select_related("person").order_by("person__last_name", "person__first_name", "pk")
    levels = scores.values_list("assessment__participant_id", "assessment__kind", "competency_id", "level").order_by(
        "assessment__participant__person__last_name",
        "assessment__participant__person__first_name",
        "assessment__participant_id",
        "assessment__assessor__last_name",
        "assessment_id",
    )
    previous = _latest_earlier_medians(campaign, [c.code for c in competencies], person_ids)
    return competencies, _export_lines(
        campaign,
        competencies,
        cast(Iterator[CampaignParticipant], in_chunks(participants)),
        cast(Iterator[tuple[int, str, int, int]], in_chunks(levels)),
        previous,
    )


def _export_lines(
    campaign: DiagnosticCampaign,
    competencies: list[Competency],
    participants: Iterator[CampaignParticipant],
    scores: Iterator[tuple[int, str, int, int]],
    previous: dict[tuple[int, str], float],
) -> Iterator[dict]:
    """The export's rows: `participants` and their `scores` (participant id, kind, competency id, level), both in the
    participants' order, merged."""
    top = top_level(campaign.framework.levels)
    self_kind = AssessmentKind.SELF.value
    pending = next(scores, None)
    for participant in participants:
        self_levels: dict[int, int] = {}
        expert_levels: dict[int, list[int]] = defaultdict(list)
        while pending is not None and pending[0] == participant.pk:
            _participant_id, kind, competency_id, level = pending
            if kind == self_kind:
                self_levels[competency_id] = level
            else:
                expert_levels[competency_id].append(level)
            pending = next(scores, None)
        person_id = participant.person_id
        for competency in competencies:
            outcome = diagnostics.competency_result(
                self_level=self_levels.get(competency.pk),
                expert_levels=expert_levels.get(competency.pk, ()),
                previous_median=previous.get((person_id, competency.code)),
                top_level=top,
            )
            yield {"participant": participant, "competency": competency, "result": outcome}


def _latest_earlier_medians(
    campaign: DiagnosticCampaign, codes: list[str], person_ids: list[int] | None
) -> dict[tuple[int, str], float]:
    """(person id, code) → the experts' median in the person's latest earlier campaign with submitted expert levels
    for that code (as `_previous_medians_of_all`), for the campaign's participants (among `person_ids` if given) and
    the competency `codes`. Computed in the database over the person's latest earlier participation that has a
    submitted expert assessment and a competency of that code (the latest of each framework, then the latest of those
    with the code) — not over their whole history: one query. Should all
    of its experts have left that competency out, the pair is read again the long way for those people (one more
    query, only then)."""
    if not codes or (person_ids is not None and not person_ids):
        return {}
    tables = _tables()
    people = f"SELECT person_id FROM {tables['participant']} WHERE campaign_id = %s"
    people_params: list = [campaign.pk]
    if person_ids is not None:
        people += f" AND person_id IN ({', '.join(['%s'] * len(person_ids))})"
        people_params += person_ids
    before = f"""
        campaign_order AS (
            SELECT id, framework_id, ROW_NUMBER() OVER (ORDER BY starts_on, id) AS ordinal
            FROM {tables["campaign"]}
            WHERE starts_on < %s OR (starts_on = %s AND id < %s)
        ),
        earlier AS (
            SELECT cp.id AS participant_id, cp.person_id, k.framework_id, k.ordinal
            FROM {tables["participant"]} cp
            INNER JOIN campaign_order k ON k.id = cp.campaign_id
            WHERE cp.person_id IN ({people})
                AND EXISTS (
                    SELECT 1 FROM {tables["assessment"]} x
                    WHERE x.participant_id = cp.id AND x.status = %s AND x.kind = %s
                )
        ),
        per_framework AS (
            SELECT person_id, framework_id, MAX(ordinal) AS ordinal FROM earlier GROUP BY person_id, framework_id
        ),
        candidates AS (
            SELECT e.participant_id, e.person_id, c.id AS competency_id, c.code, e.ordinal
            FROM per_framework f
            INNER JOIN earlier e ON e.person_id = f.person_id AND e.ordinal = f.ordinal
            INNER JOIN {tables["competency"]} c ON c.framework_id = f.framework_id
            WHERE c.code IN ({", ".join(["%s"] * len(codes))})
        ),
        latest AS (
            SELECT participant_id, person_id, competency_id, code
            FROM (
                SELECT participant_id, person_id, competency_id, code,
                       ROW_NUMBER() OVER (PARTITION BY person_id, code ORDER BY ordinal DESC) AS rn
                FROM candidates
            ) ranked
            WHERE rn = 1
        ),
    """
    sql = (
        _medians_sql("a.participant_id IN (SELECT participant_id FROM latest)", before=before)
        + """
        SELECT l.person_id, l.code, m.twice
        FROM latest l
        LEFT JOIN medians m ON m.participant_id = l.participant_id AND m.competency_id = l.competency_id
        """
    )
    params = [
        campaign.starts_on,
        campaign.starts_on,
        campaign.pk,
        *people_params,
        *_expert_params(),
        *codes,
        *_expert_params(),
    ]
    result: dict[tuple[int, str], float] = {}
    missing: set[tuple[int, str]] = set()
    for person_id, code, twice in _rows(sql, params):
        if twice is None:
            missing.add((person_id, code))
        else:
            result[(person_id, code)] = int(twice) / 2
    if missing:
        older = _previous_medians_of_all(campaign, sorted({person_id for person_id, _code in missing}))
        result.update({key: older[key] for key in missing if key in older})
    return result


def _previous_medians_of_all(
    campaign: DiagnosticCampaign, person_ids: list[int], *, campaign_ids=None
) -> dict[tuple[int, str], float]:
    """(person id, code) → the experts' median in the person's latest earlier campaign with that code (among
    `campaign_ids` if given). One query."""
    earlier = Q(assessment__participant__campaign__starts_on__lt=campaign.starts_on) | Q(
        assessment__participant__campaign__starts_on=campaign.starts_on,
        assessment__participant__campaign_id__lt=campaign.pk,
    )
    if campaign_ids is not None:
        earlier &= Q(assessment__participant__campaign_id__in=list(campaign_ids))
    rows = (
        Score.objects.filter(
            earlier,
            assessment__participant__person_id__in=person_ids,
            assessment__status=AssessmentStatus.SUBMITTED,
            assessment__kind=AssessmentKind.EXPERT,
        )
        .values_list(
            "assessment__participant__person_id",
            "assessment__participant__campaign__starts_on",
            "assessment__participant__campaign_id",
            "competency__code",
            "level",
        )
        .order_by()
    )
    collected: dict[tuple[int, str], dict[tuple[datetime.date, int], list[int]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for person_id, starts_on, campaign_id, code, level in rows:
        collected[(person_id, code)][(starts_on, campaign_id)].append(level)
    result = {}
    for key, campaigns in collected.items():
        median = diagnostics.experts_median(campaigns[max(campaigns)])
        if median is not None:
            result[key] = median
    return result
