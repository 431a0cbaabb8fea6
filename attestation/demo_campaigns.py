"""Demo diagnostics campaigns on top of the demo college (structure/demo.py, planning/demo.py), built through
attestation.services.campaigns like everything users do, on the default framework of professional standard 01.004
(version 1, from migration 0004; the campaigns freeze it):

- *last year's* campaign, closed: 15 teachers — the ПЦК общеобразовательных дисциплин (head Орлова, the `mo_head`
  account) and three of the ПЦК общепрофессиональных дисциплин (head Романов) —, their association heads as experts
  (the heads themselves have none: the page says so), every self-assessment and expert assessment submitted in
  March. The levels vary by person: strong and weak teachers, some who rate themselves two levels above their
  expert (Крылова, Гусев: a gap), some with expert levels of 0–1 (deficits: Абрамова, Тихонов);
- *this year's* campaign for all teaching staff, open, its window holding today (from a week ago to two weeks on):
  nine self-assessments and eight expert assessments submitted — Фёдорова and Комаров lower than last year in a few
  competencies (drops) —, drafts begun by Крылова and Гусев and by Орлова for Тихонов; the `teacher` account's
  (Миронов) self-assessment waiting, and `mo_head`'s expert list waiting (Миронов, Тихонов, …).

The levels are made up deterministically from the person and the competency (no randomness: every seeding is the
same). Development only: called by metodservice/demo.py (`build_campaigns_demo(builder)`), after the planning part
(the academic years) and the frameworks' part.
"""

from __future__ import annotations

import datetime
import zlib
from typing import TYPE_CHECKING

from planning.models import AcademicYear

from .models import Assessment, AssessmentKind, CampaignScope, CompetencyFramework, DiagnosticCampaign
from .services import campaigns as services

if TYPE_CHECKING:
    from structure.demo import Builder

DAY = datetime.timedelta(days=1)
DEFAULT_NAME_START = "Профессиональный стандарт 01.004"

GENERAL = ["orlova", "danilova", "zaitseva", "mironov", "fedorova", "kiselev", "tikhonov", "panova", "krylova"]
GENERAL += ["gusev", "smirnova", "abramova"]
LAST_YEAR = [*GENERAL, "zhukov", "polyakova", "komarov"]

#: The expert level each teacher mostly gets (0–3): strong and weak ones.
SKILL = {
    "orlova": 3,
    "danilova": 2,
    "zaitseva": 3,
    "mironov": 2,
    "fedorova": 3,
    "kiselev": 2,
    "tikhonov": 1,
    "panova": 3,
    "krylova": 1,
    "gusev": 1,
    "smirnova": 2,
    "abramova": 1,
    "zhukov": 2,
    "polyakova": 2,
    "komarov": 3,
}
#: Those who rate themselves above their expert: by this many levels (a gap of 2 is flagged).
SELF_BIAS = {"krylova": 2, "gusev": 2, "tikhonov": 1, "mironov": 1}
#: Lower this year than last in these competencies (a year-over-year drop).
DROPS = {"fedorova": ("A/02.6", "E/02.6", "D/01.6"), "komarov": ("A/03.6", "B/02.5")}

#: This year: whose self-assessment is submitted, begun (a draft), and which expert assessments are submitted.
SELF_SUBMITTED = ["zaitseva", "fedorova", "kiselev", "panova", "smirnova", "zhukov", "polyakova", "komarov", "tikhonov"]
SELF_DRAFTS = ["krylova", "gusev"]
EXPERT_SUBMITTED = ["zaitseva", "fedorova", "kiselev", "panova", "smirnova", "zhukov", "polyakova", "komarov"]
EXPERT_DRAFTS = ["tikhonov"]


def _wobble(key: str, code: str, salt: str = "") -> int:
    """-1, 0 or +1, fixed for a person and a competency."""
    return zlib.crc32(f"{key}:{code}:{salt}".encode()) % 3 - 1


def _clamp(level: int) -> int:
    return max(0, min(3, level))


def expert_level(key: str, code: str, *, this_year: bool) -> int:
    level = _clamp(SKILL[key] + _wobble(key, code))
    if this_year and code in DROPS.get(key, ()):
        level = max(0, level - 1) if level else 0
    return level


def self_level(key: str, code: str, *, this_year: bool) -> int:
    bias = SELF_BIAS.get(key, 0)
    if bias >= 2 and _wobble(key, code, "gap") < 0:
        bias = 1  # not every competency: the flag stays a signal
    return _clamp(expert_level(key, code, this_year=this_year) + bias + (_wobble(key, code, "self") if not bias else 0))


def _scores(levels: dict[str, int], competencies, *, only: int | None = None) -> dict[int, services.ScoreInput]:
    chosen = competencies if only is None else competencies[:only]
    return {c.pk: services.ScoreInput(level=levels[c.code]) for c in chosen}


def _assess(b: Builder, campaign, key: str, kind: str, competencies, *, today, this_year: bool, submit: bool):
    """The self-assessment of `key`, or each of their expert assessments; a draft covers the first half."""
    person = b.p(key)
    level_of = self_level if kind == AssessmentKind.SELF else expert_level
    levels = {c.code: level_of(key, c.code, this_year=this_year) for c in competencies}
    tasks = Assessment.objects.filter(participant__campaign=campaign, participant__person=person, kind=kind)
    for assessment in tasks.select_related("assessor"):
        scores = _scores(levels, competencies, only=None if submit else len(competencies) // 2)
        if kind == AssessmentKind.EXPERT and scores:
            first = next(iter(scores))
            if scores[first].level <= 1:
                scores[first].comment = "Рекомендуется курс повышения квалификации и посещение открытых занятий коллег."
        services.assessment_save(
            assessment=assessment, by=assessment.assessor, scores=scores, submit=submit, today=today
        )


def _framework() -> CompetencyFramework:
    return CompetencyFramework.objects.get(version=1, name__startswith=DEFAULT_NAME_START)


def _last_year(b: Builder, framework, competencies) -> DiagnosticCampaign:
    methodist = b.p("sokolova")
    year = AcademicYear.objects.get(title=b.academic_year)
    starts_on = datetime.date(b.year + 1, 3, 2)
    ends_on = datetime.date(b.year + 1, 3, 20)
    campaign = services.campaign_create(
        by=methodist,
        title=f"Диагностика профессиональных компетенций педагогов, {year.title} учебный год",
        year=year,
        framework=framework,
        scope=CampaignScope.CHOSEN,
        people=[b.p(key) for key in LAST_YEAR],
        starts_on=starts_on,
        ends_on=ends_on,
    )
    campaign = services.campaign_open(campaign=campaign, by=methodist, today=starts_on - 3 * DAY)
    for index, key in enumerate(LAST_YEAR):
        day = starts_on + (index % 10) * DAY
        _assess(b, campaign, key, AssessmentKind.SELF, competencies, today=day, this_year=False, submit=True)
        _assess(
            b, campaign, key, AssessmentKind.EXPERT, competencies, today=day + 5 * DAY, this_year=False, submit=True
        )
    # The moments of last March, not of the seeding.
    for assessment in Assessment.objects.filter(participant__campaign=campaign).select_related("participant__person"):
        index = LAST_YEAR.index(next(k for k in LAST_YEAR if b.p(k).pk == assessment.participant.person_id))
        offset = index % 10 + (5 if assessment.kind == AssessmentKind.EXPERT else 0)
        moment = b.at(starts_on + offset * DAY, 15)
        Assessment.objects.filter(pk=assessment.pk).update(submitted_at=moment, updated_at=moment)
    DiagnosticCampaign.objects.filter(pk=campaign.pk).update(created_at=b.at(starts_on - 10 * DAY, 11))
    return services.campaign_close(campaign=campaign, by=methodist)


def _this_year(b: Builder, framework, competencies) -> DiagnosticCampaign:
    today = b.today
    methodist = b.p("sokolova")
    year = AcademicYear.objects.get(title=b.next_academic_year)
    starts_on = max(year.start, today - 7 * DAY)
    ends_on = min(year.end, today + 14 * DAY)
    campaign = services.campaign_create(
        by=methodist,
        title=f"Диагностика профессиональных компетенций педагогов, {year.title} учебный год",
        year=year,
        framework=framework,
        scope=CampaignScope.ALL,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    campaign = services.campaign_open(campaign=campaign, by=methodist, today=today)
    for key in SELF_SUBMITTED:
        _assess(b, campaign, key, AssessmentKind.SELF, competencies, today=today, this_year=True, submit=True)
    for key in SELF_DRAFTS:
        _assess(b, campaign, key, AssessmentKind.SELF, competencies, today=today, this_year=True, submit=False)
    for key in EXPERT_SUBMITTED:
        _assess(b, campaign, key, AssessmentKind.EXPERT, competencies, today=today, this_year=True, submit=True)
    for key in EXPERT_DRAFTS:
        _assess(b, campaign, key, AssessmentKind.EXPERT, competencies, today=today, this_year=True, submit=False)
    DiagnosticCampaign.objects.filter(pk=campaign.pk).update(created_at=b.at(starts_on - 3 * DAY, 11))
    campaign.refresh_from_db()
    return campaign


def build_campaigns_demo(b: Builder) -> tuple[DiagnosticCampaign, DiagnosticCampaign]:
    """Last year's closed campaign and this year's open one (see the module's docstring)."""
    framework = _framework()
    competencies = list(services.assessed_competencies(framework))
    past = _last_year(b, framework, competencies)
    current = _this_year(b, framework, competencies)
    return past, current
