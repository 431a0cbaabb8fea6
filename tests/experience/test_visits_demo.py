"""The demo's visits part (experience/demo_visits.py) on the demo college (structure and planning parts), with and
without published items from the items part: visits done with observations, the `teacher` account's observation
to fill from yesterday, visits planned, one cancelled, visits to published open lessons and adoptions of colleagues'
and outside items — all through the services, so every rule holds."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import F
from django.utils import timezone

from experience.demo_visits import build_visits_demo
from experience.models import Adoption, AdoptionKind, ExperienceItem, ItemKind, ItemStatus, LessonVisit, VisitStatus
from experience.selectors.visits import needs_me
from planning import demo as planning_demo
from structure.demo import Builder
from structure.models import User
from structure.selectors import roles_of

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def builder():
    b = Builder(timezone.localdate())
    b.build()
    planning_demo.build(b)
    return b


def published(b, author: str, kind: str, *, days: int, external: bool = False) -> ExperienceItem:
    return ExperienceItem.objects.create(
        kind=kind,
        title=f"Опыт {author}",
        author=b.p(author),
        date=b.today + days * DAY,
        status=ItemStatus.PUBLISHED,
        is_external=external,
        published_at=timezone.now(),
    )


def test_the_demo(builder):
    lesson = published(builder, "orlova", ItemKind.OPEN_LESSON, days=-30)
    upcoming = published(builder, "panova", ItemKind.MASTER_CLASS, days=6)
    published(builder, "romanov", ItemKind.PUBLICATION, days=-50)
    outside = published(builder, "sokolova", ItemKind.GUIDE, days=-90, external=True)
    build_visits_demo(builder)

    visits = LessonVisit.objects.all()
    assert 15 <= visits.count() <= 22
    statuses = set(visits.values_list("status", flat=True))
    assert statuses == {VisitStatus.PLANNED, VisitStatus.DONE, VisitStatus.CANCELLED}
    teacher = roles_of(User.objects.get(username="teacher"))
    waiting = needs_me(teacher, today=builder.today)["visits_to_fill"]
    assert [v.visited.last_name for v in waiting] == ["Панова"]
    assert visits.filter(visited__user__username="teacher", status=VisitStatus.DONE).exists()
    assert visits.filter(status=VisitStatus.PLANNED, date__gt=builder.today).count() >= 3
    for visit in visits.filter(status=VisitStatus.DONE):
        assert visit.date < builder.today and len(visit.ratings) == 5 and visit.filled_at.date() >= visit.date

    # the items part's published lessons, looked up: visited (done, or planned while ahead), and marks
    done = LessonVisit.objects.get(item=lesson)
    assert done.status == VisitStatus.DONE and done.visitor != lesson.author
    assert LessonVisit.objects.get(item=upcoming).status == VisitStatus.PLANNED
    assert Adoption.objects.filter(item=outside, kind=AdoptionKind.ADOPTED).count() == 2
    assert Adoption.objects.filter(item__is_external=False).count() == 3
    assert not Adoption.objects.filter(person=F("item__author"), item__is_external=False).exists()
    assert all(a.date <= builder.today for a in Adoption.objects.all())
