"""The portfolio's experience section (attestation.selectors.portfolio.read_experience): the person's published
items of the period (author or co-author) with their kind, level, the council's recommendation and dissemination;
the visits colleagues made to the person's lessons with the observation filled. Drafts, other people's items,
outside experience and items outside the period do not enter."""

from __future__ import annotations

import datetime

import pytest

from attestation.selectors import portfolio as selectors
from attestation.services import portfolio as services
from experience.models import (
    Adoption,
    AdoptionKind,
    ExperienceItem,
    ItemKind,
    ItemStatus,
    LessonVisit,
    Level,
    VisitStatus,
)
from tests.factories import noon

D = datetime.date
DAY = D(2026, 10, 14)
pytestmark = [pytest.mark.django_db, pytest.mark.world(at=noon(DAY))]


MARCH = D(2026, 3, 1)


def item(author, title, *, status=ItemStatus.PUBLISHED, date=MARCH, **fields) -> ExperienceItem:
    return ExperienceItem.objects.create(
        author=author, title=title, kind=fields.pop("kind", ItemKind.OPEN_LESSON), status=status, date=date, **fields
    )


def test_the_published_items_and_the_visits_of_the_period(world, django_assert_num_queries):
    teacher, head, chair = world.people["teacher"], world.people["mo_head"], world.people["chair"]
    lesson = item(teacher, "Открытый урок «Допуски и посадки»", level=Level.REGIONAL, topic="Допуски")
    shared = item(head, "Сборник кейсов по метрологии", kind=ItemKind.CASE, date=D(2026, 5, 20))
    shared.co_authors.set([teacher, chair])
    item(teacher, "Черновик", status=ItemStatus.DRAFT)
    item(teacher, "До периода", date=D(2024, 12, 31))
    item(head, "Чужой мастер-класс", kind=ItemKind.MASTER_CLASS)
    item(teacher, "Внешний опыт", is_external=True, source="Сборник региона")
    LessonVisit.objects.create(
        visitor=head,
        visited=teacher,
        item=lesson,
        date=D(2026, 3, 1),
        lesson="Метрология",
        group="ТМ-21",
        status=VisitStatus.DONE,
        worked="Чёткая постановка целей",
    )
    LessonVisit.objects.create(visitor=chair, visited=teacher, date=D(2026, 4, 1), lesson="План", status="planned")
    Adoption.objects.create(item=lesson, person=chair, kind=AdoptionKind.ADOPTED, date=D(2026, 4, 2))
    portfolio = services.portfolio_create(
        person=teacher, by=teacher, period_start=D(2025, 1, 1), period_end=D(2026, 12, 31), today=DAY
    )
    with django_assert_num_queries(3):
        entries = selectors.read_experience(selectors.Sources(portfolio=portfolio, today=DAY))
    assert [e.key for e in entries] == [f"experience:{lesson.pk}", f"experience:{shared.pk}", entries[2].key]
    first, second, visit = entries
    assert first.details[0] == "Открытый урок, региональный уровень"
    assert "Распространение: посещений 1, внедрений 1" in first.details
    assert "Соавтор" in second.details and any(
        d.startswith("Соавторы: ") and "Фамилия-chair" in d for d in second.details
    )
    assert visit.key.startswith("visit:") and "Посетил(а): " + head.full_name in visit.details
    assert "Что удалось: Чёткая постановка целей" in visit.details
