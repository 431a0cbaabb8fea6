"""The portfolio's diagnostics section (attestation.selectors.portfolio.read_diagnostics): the person's profiles of
the campaigns whose windows lie inside the period, the experts' median per competency and the change since the
previous campaign; submitted expert assessments only."""

from __future__ import annotations

import datetime

import pytest

from attestation.selectors import portfolio as selectors
from attestation.services import portfolio as services
from tests.attestation.matrix_suggestions import campaign_of, participate
from tests.factories import noon

D = datetime.date
DAY = D(2026, 10, 14)
pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, at=noon(DAY))]


def section(portfolio) -> list[selectors.Entry]:
    assembled = selectors.assemble(portfolio, today=DAY)
    return next(s for s in assembled.sections if s.key == "diagnostics").entries


def test_the_profiles_of_the_period_with_their_changes(world, django_assert_num_queries):
    teacher, mo_head, chair = world.people["teacher"], world.people["mo_head"], world.people["chair"]
    before = campaign_of(world.past_year, starts_on=D(2024, 10, 1), title="Диагностика 2024")  # before the period
    participate(before, teacher, experts={mo_head: {"A/01.6": 1}}, self_levels={"A/01.6": 1})
    first = campaign_of(world.past_year, starts_on=D(2025, 10, 1), title="Диагностика 2025")
    p1 = participate(first, teacher, experts={mo_head: {"A/01.6": 2, "A/02.6": 3}}, self_levels={"A/01.6": 0})
    second = campaign_of(world.year, starts_on=D(2026, 9, 15), title="Диагностика 2026")
    p2 = participate(
        second,
        teacher,
        experts={mo_head: {"A/01.6": 3, "A/02.6": 1, "F/01.7": 2}, chair: {"A/02.6": 2}},
        self_levels={"A/01.6": 3},
    )
    draft = campaign_of(world.year, starts_on=D(2026, 9, 20), title="Черновая")
    participate(draft, teacher, experts={mo_head: {"A/01.6": 0}}, submitted=False)  # nothing submitted
    overlapping = campaign_of(world.year, starts_on=D(2026, 12, 20), title="За границей периода", days=30)
    participate(overlapping, teacher, experts={mo_head: {"A/01.6": 0}})
    portfolio = services.portfolio_create(
        person=teacher, by=teacher, period_start=D(2025, 1, 1), period_end=D(2026, 12, 31), today=DAY
    )
    with django_assert_num_queries(1):
        entries = selectors.read_diagnostics(selectors.Sources(portfolio=portfolio, today=DAY))
    assert [e.key for e in entries] == [f"diagnostics:{p1.pk}", f"diagnostics:{p2.pk}"]
    one, two = entries
    assert one.title == "Диагностика профессиональных компетенций: Диагностика 2025"
    assert (one.start, one.end) == (D(2025, 10, 1), D(2025, 10, 31))
    assert one.details[1:] == (
        "A/01.6 Организация учебной деятельности обучающихся: 2 (базовый); рост на 1 (было 1)",
        "A/02.6 Педагогический контроль и оценка освоения образовательной программы: 3 (продвинутый)",
    )
    assert two.details[1:] == (
        "A/01.6 Организация учебной деятельности обучающихся: 3 (продвинутый); рост на 1 (было 2)",
        "A/02.6 Педагогический контроль и оценка освоения образовательной программы: 1,5; снижение на 1,5 (было 3)",
        "F/01.7 Разработка научно-методических и учебно-методических материалов: 2 (базовый)",
    )
    assert [e.key for e in section(portfolio)] == [one.key, two.key]


def test_picked_profiles_print_in_the_content(world):
    teacher = world.people["teacher"]
    campaign = campaign_of(world.year, starts_on=D(2026, 9, 15), title="Диагностика 2026")
    participant = participate(
        campaign, teacher, experts={world.people["mo_head"]: {"A/01.6": 2}}, self_levels={"A/01.6": 2}
    )
    portfolio = services.portfolio_create(
        person=teacher, by=teacher, period_start=D(2026, 1, 1), period_end=D(2026, 12, 31), today=DAY
    )
    key = f"diagnostics:{participant.pk}"
    assert key in selectors.entry_keys(portfolio, today=DAY)
    portfolio.picks = [key]
    portfolio.save()
    content = selectors.portfolio_content(portfolio, today=DAY)
    printed = [e for s in content["sections"] for e in s["entries"]]
    assert [e["key"] for e in printed] == [key]


def test_an_open_campaign_enters_once_the_self_assessment_is_in(world):
    """The experts' levels are withheld from the person until their self-assessment is submitted (or the campaign
    closes): the portfolio, which the person assembles, does not read them earlier."""
    from attestation.models import AssessmentKind, AssessmentStatus, CampaignStatus

    teacher = world.people["teacher"]
    campaign = campaign_of(world.year, starts_on=D(2026, 9, 15), title="Диагностика 2026")
    participant = participate(
        campaign, teacher, experts={world.people["mo_head"]: {"A/01.6": 2}}, self_levels={"A/01.6": 3}
    )
    own = participant.assessments.get(kind=AssessmentKind.SELF)
    own.status = AssessmentStatus.DRAFT
    own.save(update_fields=["status"])
    portfolio = services.portfolio_create(
        person=teacher, by=teacher, period_start=D(2026, 1, 1), period_end=D(2026, 12, 31), today=DAY
    )
    key = f"diagnostics:{participant.pk}"
    assert key not in selectors.entry_keys(portfolio, today=DAY)
    campaign.status = CampaignStatus.CLOSED
    campaign.save(update_fields=["status"])
    assert key in selectors.entry_keys(portfolio, today=DAY)
