"""experience.services.visits: planning, changing, cancelling a visit, filling its observation, marking and
withdrawing adoptions — the happy paths and every refusal code, with nothing written on a refusal."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from experience.models import VISIT_CRITERIA, Adoption, AdoptionKind, ItemKind, ItemStatus, LessonVisit, VisitStatus
from experience.services import visits as services
from tests.experience import visits_data as data

pytestmark = [pytest.mark.django_db, pytest.mark.world]

DAY = datetime.timedelta(days=1)


def codes(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [e.code for errors in error.error_dict.values() for e in errors]
    return [e.code for e in error.error_list]


def refused(code: str, call, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    assert code in codes(caught.value), codes(caught.value)
    return caught.value


def plan_kwargs(world, **overrides) -> dict:
    kwargs = {
        "visitor": world.people["teacher"],
        "visited": world.people["mo_head"],
        "date": timezone.localdate() + 2 * DAY,
        "lesson": "Литература. Поэзия Серебряного века",
        "group": "ТМ-25",
        "goal": "Приёмы анализа стихотворения",
    }
    kwargs.update(overrides)
    return kwargs


# ---------------------------------------------------------------- planning


def test_a_teacher_plans_a_visit(world):
    visit = services.visit_plan(**plan_kwargs(world))
    assert visit.status == VisitStatus.PLANNED and visit.visitor == world.people["teacher"]
    assert visit.filled_at is None and visit.ratings == {}


def test_nobody_visits_their_own_lesson(world):
    teacher = world.people["teacher"]
    refused("visit_oneself", services.visit_plan, **plan_kwargs(world, visited=teacher))
    assert not LessonVisit.objects.exists()


def test_an_external_researcher_neither_visits_nor_is_visited(world):
    researcher = world.people["researcher"]
    refused("not_staff", services.visit_plan, **plan_kwargs(world, visitor=researcher))
    refused("visited_not_staff", services.visit_plan, **plan_kwargs(world, visited=researcher))
    assert not LessonVisit.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("lesson", "   ", "required"),
        ("lesson", "у" * 501, "max_length"),
        ("group", "г" * 101, "max_length"),
        ("visited", None, "required"),
        ("date", None, "required"),
    ],
)
def test_the_visits_data_is_checked(world, field, value, code):
    refused(code, services.visit_plan, **plan_kwargs(world, **{field: value}))
    assert not LessonVisit.objects.exists()


@pytest.mark.parametrize("days", [367, -367, 365 * 40])
def test_a_date_more_than_a_year_away_is_a_typo(world, days):
    refused("visit_date_range", services.visit_plan, **plan_kwargs(world, date=timezone.localdate() + days * DAY))


def test_a_visit_may_be_recorded_after_the_lesson(world):
    visit = services.visit_plan(**plan_kwargs(world, date=timezone.localdate() - 5 * DAY))
    assert visit.status == VisitStatus.PLANNED


def test_the_open_lesson_linked_is_the_visited_teachers_published_one(world):
    head, chair = world.people["mo_head"], world.people["chair"]
    own = data.item(head)
    services.visit_plan(**plan_kwargs(world, item=own))
    co_authored = data.item(chair, co_authors=[head], kind=ItemKind.MASTER_CLASS)
    services.visit_plan(**plan_kwargs(world, item=co_authored))
    assert LessonVisit.objects.filter(item__isnull=False).count() == 2


@pytest.mark.parametrize(
    "make",
    [
        lambda w: data.item(w.people["mo_head"], status=ItemStatus.REVIEWED),  # not published
        lambda w: data.item(w.people["mo_head"], status=ItemStatus.DRAFT),
        lambda w: data.item(w.people["mo_head"], kind=ItemKind.PUBLICATION),  # not a lesson
        lambda w: data.item(w.people["chair"]),  # someone else's
        lambda w: data.item(w.people["mo_head"], is_external=True),  # outside experience
    ],
    ids=["reviewed", "draft", "publication", "someone_elses", "external"],
)
def test_anything_else_is_not_their_lesson(world, make):
    refused("not_their_lesson", services.visit_plan, **plan_kwargs(world, item=make(world)))
    assert not LessonVisit.objects.exists()


# ---------------------------------------------------------------- changing and cancelling


def test_the_visitor_changes_a_planned_visit(world):
    visit = data.plan(world.people["teacher"], world.people["mo_head"])
    kwargs = plan_kwargs(world, visited=world.people["chair"], lesson="Инженерная графика")
    kwargs.pop("visitor")
    changed = services.visit_update(visit=visit, by=world.people["teacher"], **kwargs)
    assert changed.visited == world.people["chair"] and changed.lesson == "Инженерная графика"


def test_only_the_visitor_changes_or_cancels_it(world):
    visit = data.plan(world.people["teacher"], world.people["mo_head"])
    kwargs = plan_kwargs(world, lesson="Чужое изменение")
    kwargs.pop("visitor")
    for person in ("mo_head", "methodist", "chair"):
        refused("not_visitor", services.visit_update, visit=visit, by=world.people[person], **kwargs)
        refused("not_visitor", services.visit_cancel, visit=visit, by=world.people[person])
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED and visit.lesson != "Чужое изменение"


def test_a_change_is_checked_like_a_plan(world):
    teacher = world.people["teacher"]
    visit = data.plan(teacher, world.people["mo_head"])
    kwargs = plan_kwargs(world, visited=teacher)
    kwargs.pop("visitor")
    refused("visit_oneself", services.visit_update, visit=visit, by=teacher, **kwargs)


def test_a_cancelled_visit_stays_on_record_and_changes_no_more(world):
    teacher = world.people["teacher"]
    visit = data.plan(teacher, world.people["mo_head"], days=-1)
    assert services.visit_cancel(visit=visit, by=teacher).status == VisitStatus.CANCELLED
    refused("visit_cancelled", services.visit_cancel, visit=visit, by=teacher)
    refused(
        "visit_cancelled",
        services.visit_fill,
        visit=visit,
        by=teacher,
        worked="a",
        to_adopt="b",
        ratings=data.ratings(),
    )
    assert LessonVisit.objects.get().status == VisitStatus.CANCELLED


# ---------------------------------------------------------------- the observation


def test_the_visitor_fills_the_observation_after_the_lesson(world):
    teacher = world.people["teacher"]
    visit = data.plan(teacher, world.people["mo_head"], days=0)
    filled = services.visit_fill(
        visit=visit, by=teacher, worked=" Работа в группах ", to_adopt="Кейсы", ratings=data.ratings(1), goal="Цель"
    )
    assert filled.status == VisitStatus.DONE and filled.filled_at is not None
    assert filled.ratings == data.ratings(1) and filled.worked == "Работа в группах" and filled.goal == "Цель"


def test_an_observation_once_filled_is_fixed(world):
    teacher = world.people["teacher"]
    visit = data.done(teacher, world.people["mo_head"])
    refused(
        "visit_filled", services.visit_fill, visit=visit, by=teacher, worked="x", to_adopt="y", ratings=data.ratings(0)
    )
    kwargs = plan_kwargs(world)
    kwargs.pop("visitor")
    refused("visit_filled", services.visit_update, visit=visit, by=teacher, **kwargs)
    refused("visit_filled", services.visit_cancel, visit=visit, by=teacher)
    assert LessonVisit.objects.get().ratings == data.ratings(2)


def test_not_before_the_lesson(world):
    teacher = world.people["teacher"]
    visit = data.plan(teacher, world.people["mo_head"], days=1)
    refused(
        "visit_not_yet", services.visit_fill, visit=visit, by=teacher, worked="x", to_adopt="y", ratings=data.ratings()
    )
    assert LessonVisit.objects.get().status == VisitStatus.PLANNED


def test_only_the_visitor_fills_it(world):
    visit = data.plan(world.people["teacher"], world.people["mo_head"], days=-1)
    for person in ("mo_head", "methodist"):
        refused(
            "not_visitor",
            services.visit_fill,
            visit=visit,
            by=world.people[person],
            worked="x",
            to_adopt="y",
            ratings=data.ratings(),
        )


FIRST = VISIT_CRITERIA[0][0]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "rating_required"),
        ("", "rating_required"),
        ("2", "rating_range"),
        ("два", "rating_range"),
        (-1, "rating_range"),
        (3, "rating_range"),
        (10**30, "rating_range"),
        (1.5, "rating_range"),
        (True, "rating_range"),
        ([1], "rating_range"),
    ],
)
def test_every_rating_is_a_whole_number_from_0_to_2(world, value, code):
    teacher = world.people["teacher"]
    visit = data.plan(teacher, world.people["mo_head"], days=-1)
    ratings = {**data.ratings(), FIRST: value}
    error = refused(code, services.visit_fill, visit=visit, by=teacher, worked="x", to_adopt="y", ratings=ratings)
    assert f"rating_{FIRST}" in error.error_dict
    stored = LessonVisit.objects.get()
    assert stored.status == VisitStatus.PLANNED and stored.ratings == {} and stored.worked == ""


def test_every_criterion_is_required_and_no_other(world):
    teacher = world.people["teacher"]
    visit = data.plan(teacher, world.people["mo_head"], days=-1)
    missing = data.ratings()
    missing.pop(VISIT_CRITERIA[-1][0])
    refused("rating_required", services.visit_fill, visit=visit, by=teacher, worked="x", to_adopt="y", ratings=missing)
    extra = {**data.ratings(), "charisma": 2}
    refused("rating_unknown", services.visit_fill, visit=visit, by=teacher, worked="x", to_adopt="y", ratings=extra)
    refused("rating_required", services.visit_fill, visit=visit, by=teacher, worked="x", to_adopt="y", ratings="2")


def test_what_worked_and_what_to_adopt_are_required(world):
    teacher = world.people["teacher"]
    visit = data.plan(teacher, world.people["mo_head"], days=-1)
    error = refused(
        "required", services.visit_fill, visit=visit, by=teacher, worked=" ", to_adopt="", ratings=data.ratings()
    )
    assert set(error.error_dict) == {"worked", "to_adopt"}


# ---------------------------------------------------------------- adoptions


def test_a_colleague_marks_an_adoption_and_a_reference_once_each(world):
    lesson = data.item(world.people["mo_head"])
    teacher = world.people["teacher"]
    adopted = services.adoption_mark(item=lesson, person=teacher, kind=AdoptionKind.ADOPTED, note=" Рабочий лист ")
    assert adopted.note == "Рабочий лист" and adopted.date == timezone.localdate()
    services.adoption_mark(item=lesson, person=teacher, kind=AdoptionKind.REFERENCED)
    refused("already_marked", services.adoption_mark, item=lesson, person=teacher, kind=AdoptionKind.ADOPTED)
    assert Adoption.objects.count() == 2


def test_nobody_marks_their_own_item(world):
    head, chair = world.people["mo_head"], world.people["chair"]
    lesson = data.item(head, co_authors=[chair])
    for person in (head, chair):
        refused("own_item", services.adoption_mark, item=lesson, person=person, kind=AdoptionKind.ADOPTED)
    assert not Adoption.objects.exists()


def test_the_methodist_who_brought_outside_experience_may_adopt_it(world):
    methodist = world.people["methodist"]
    outside = data.item(methodist, is_external=True, kind=ItemKind.GUIDE, title="Региональные рекомендации")
    assert services.adoption_mark(item=outside, person=methodist, kind=AdoptionKind.ADOPTED).pk


@pytest.mark.parametrize(
    ("status", "person", "kind", "code"),
    [
        (ItemStatus.REVIEWED, "teacher", AdoptionKind.ADOPTED, "not_published"),
        (ItemStatus.PUBLISHED, "researcher", AdoptionKind.ADOPTED, "not_staff"),
        (ItemStatus.PUBLISHED, "teacher", "stolen", "invalid_choice"),
    ],
)
def test_marks_are_refused(world, status, person, kind, code):
    lesson = data.item(world.people["mo_head"], status=status)
    refused(code, services.adoption_mark, item=lesson, person=world.people[person], kind=kind)
    assert not Adoption.objects.exists()


def test_a_mark_is_withdrawn_by_its_author_only(world):
    lesson = data.item(world.people["mo_head"])
    mark = services.adoption_mark(item=lesson, person=world.people["teacher"], kind=AdoptionKind.ADOPTED)
    refused("not_yours", services.adoption_withdraw, adoption=mark, by=world.people["methodist"])
    assert Adoption.objects.exists()
    services.adoption_withdraw(adoption=mark, by=world.people["teacher"])
    assert not Adoption.objects.exists()
