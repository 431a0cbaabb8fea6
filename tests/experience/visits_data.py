"""Test data of the lesson visits area: published items made straight with the ORM (their life is another area's),
visits through experience.services.visits, a second association for the visibility tests, and many rows for the
pinned query counts."""

from __future__ import annotations

import datetime

from django.utils import timezone

from experience.models import (
    VISIT_CRITERIA,
    Adoption,
    AdoptionKind,
    ExperienceItem,
    ItemKind,
    ItemStatus,
    LessonVisit,
    Level,
    VisitStatus,
)
from experience.services import visits as services
from structure.models import MemberRole, Membership, Person, Unit, UnitKind
from tests.factories import PersonFactory, create_unit

DAY = datetime.timedelta(days=1)


def ratings(value: int = 2) -> dict[str, int]:
    return {name: value for name, _label in VISIT_CRITERIA}


def item(
    author: Person,
    *,
    kind: str = ItemKind.OPEN_LESSON,
    status: str = ItemStatus.PUBLISHED,
    co_authors=(),
    association: Unit | None = None,
    date: datetime.date | None = None,
    level: str = Level.COLLEGE,
    is_external: bool = False,
    title: str = "Открытый урок «Реформы Петра I»",
) -> ExperienceItem:
    """An experience item in the given state, made with the ORM."""
    made = ExperienceItem.objects.create(
        kind=kind,
        title=title,
        author=author,
        association=association,
        date=date or timezone.localdate() - 10 * DAY,
        level=level,
        status=status,
        is_external=is_external,
        source="Региональный банк педагогического опыта" if is_external else "",
        published_at=timezone.now() if status == ItemStatus.PUBLISHED else None,
    )
    made.co_authors.set(co_authors)
    return made


def plan(visitor: Person, visited: Person, *, days: int = 3, item_=None, **kwargs) -> LessonVisit:
    """A visit planned `days` from today (negative: in the past)."""
    return services.visit_plan(
        visitor=visitor,
        visited=visited,
        date=timezone.localdate() + days * DAY,
        lesson=kwargs.pop("lesson", "История России. Реформы Петра I"),
        group=kwargs.pop("group", "ТМ-25"),
        goal=kwargs.pop("goal", "Приёмы работы с историческим источником"),
        item=item_,
        **kwargs,
    )


def done(visitor: Person, visited: Person, *, days: int = -3, item_=None, value: int = 2) -> LessonVisit:
    """A visit made `days` ago with its observation filled."""
    visit = plan(visitor, visited, days=days, item_=item_)
    return services.visit_fill(
        visit=visit,
        by=visitor,
        worked="Чёткая постановка цели, работа в парах с источником",
        to_adopt="Рабочий лист с вопросами к источнику",
        ratings=ratings(value),
    )


def second_association(world, *, members=()) -> Unit:
    """Another association, headed by `group_lead`, with `members` (created a month ago)."""
    people = world.people
    return create_unit(
        people["director"],
        people["deputy"],
        UnitKind.ASSOCIATION_CYCLE,
        "ПЦК профессионального цикла",
        head=people["group_lead"],
        members=list(members),
        at=timezone.now() - 30 * DAY,
    )


def many_rows(world, count: int = 120) -> list[Person]:
    """`count` more teachers in the association (memberships written directly, as a month-old order would have
    made them), each visiting `teacher` and `mo_head` and visited by `teacher`, some visits done, some linked to a
    published open lesson of `mo_head`, and marks of adoption on it."""
    people = world.people
    teacher, head = people["teacher"], people["mo_head"]
    others = PersonFactory.create_batch(count)
    Membership.objects.bulk_create(
        [
            Membership(
                unit=world.association,
                person=person,
                role=MemberRole.MEMBER,
                start=world.today - 30 * DAY,
                start_order=world.signed,
            )
            for person in others
        ]
    )
    lesson = item(head, association=world.association)
    today = timezone.localdate()
    visits = []
    for index, person in enumerate(others):
        for visitor, visited in ((person, teacher), (person, head), (teacher, person)):
            filled = index % 2 == 0
            visits.append(
                LessonVisit(
                    visitor=visitor,
                    visited=visited,
                    item=lesson if visited == head and index % 3 == 0 else None,
                    date=today - (index % 40) * DAY,
                    lesson=f"Урок № {index}",
                    group="ТМ-25",
                    status=VisitStatus.DONE if filled else VisitStatus.PLANNED,
                    worked="Работа в парах" if filled else "",
                    to_adopt="Рабочий лист" if filled else "",
                    ratings=ratings(1) if filled else {},
                    filled_at=timezone.now() if filled else None,
                )
            )
    LessonVisit.objects.bulk_create(visits)
    Adoption.objects.bulk_create(
        [
            Adoption(
                item=lesson,
                person=person,
                kind=AdoptionKind.ADOPTED if index % 2 else AdoptionKind.REFERENCED,
                date=today,
                note="Использую рабочий лист",
            )
            for index, person in enumerate(others)
        ]
    )
    world.lesson = lesson
    return others
