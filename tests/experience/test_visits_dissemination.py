"""The dissemination of experience: an item's visitors, adopters and referrers (the selector and the template tag
with its buttons), the counts per item for the attestation portfolio, the visits a person received, the dashboard's
row, and the report «Распространение опыта» (per association and academic year) with its page and chart."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from experience.models import AdoptionKind, ItemKind, Level
from experience.selectors import visits as selectors
from experience.services import visits as services
from structure.models import MemberRole, Membership
from structure.selectors import roles_of
from tests.experience import visits_data as data
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, extra_staff=8)]

DAY = datetime.timedelta(days=1)


def render_tag(world, role: str, item) -> str:
    request = RequestFactory().get(f"/experience/items/{item.pk}/")
    request.user = world.admin if role == "admin" else world.people[role].user
    template = Template("{% load dissemination %}{% item_dissemination item %}")
    return template.render(Context({"request": request, "item": item, "csrf_token": "token"}))


def members_of_association(world) -> list:
    return [
        m.person
        for m in Membership.objects.active_on(world.today)
        .filter(unit=world.association, role=MemberRole.MEMBER)
        .exclude(person=world.people["teacher"])
        .order_by("pk")
    ]


# ---------------------------------------------------------------- an item's dissemination


def test_who_visited_adopted_and_referenced_an_item(world):
    head, teacher, chair = world.people["mo_head"], world.people["teacher"], world.people["chair"]
    lesson = data.item(head)
    seen = data.done(teacher, head, item_=lesson)
    data.plan(chair, head, item_=lesson)  # planned: not yet a visit of it
    services.adoption_mark(item=lesson, person=chair, kind=AdoptionKind.ADOPTED, note="В курсе графики")
    services.adoption_mark(item=lesson, person=teacher, kind=AdoptionKind.REFERENCED)
    block = selectors.dissemination(lesson)
    assert [v.pk for v in block.visits] == [seen.pk]
    assert [a.person for a in block.adopted] == [chair] and [a.person for a in block.referenced] == [teacher]
    counts = selectors.dissemination_counts([lesson.pk, data.item(chair).pk])
    assert counts == {lesson.pk: selectors.Counts(visits=1, adopted=1, referenced=1)}
    assert counts[lesson.pk].total == 3


def test_the_tag_shows_the_lists_and_the_buttons(world):
    head, teacher, chair = world.people["mo_head"], world.people["teacher"], world.people["chair"]
    lesson = data.item(head)
    visit = data.done(teacher, head, item_=lesson)
    services.adoption_mark(item=lesson, person=teacher, kind=AdoptionKind.ADOPTED, note="<b>Рабочий лист</b>")

    as_teacher = render_tag(world, "teacher", lesson)
    assert teacher.short_name in as_teacher and visit.get_absolute_url() in as_teacher
    assert "&lt;b&gt;Рабочий лист&lt;/b&gt;" in as_teacher  # notes are escaped
    withdraw = reverse("experience:adoption_withdraw", kwargs={"pk": lesson.adoptions.get().pk})
    assert withdraw in as_teacher  # the teacher's own mark: withdraw it
    assert reverse("experience:adoption_mark", kwargs={"pk": lesson.pk}) in as_teacher  # and «referenced»
    assert f"{reverse('experience:visit_add')}?item={lesson.pk}" in as_teacher

    as_chair = render_tag(world, "chair", lesson)  # sees the list, not the visit's page (not in reach)
    assert teacher.short_name in as_chair and visit.get_absolute_url() not in as_chair
    assert withdraw not in as_chair and 'name="kind" value="adopted"' in as_chair

    as_author = render_tag(world, "mo_head", lesson)  # the author: no buttons
    assert 'name="kind"' not in as_author and "visit_add" not in as_author and "adoption-form" not in as_author
    assert render_tag(world, "researcher", lesson).strip() == ""
    assert render_tag(world, "teacher", data.item(chair, status="draft")).strip() == ""
    assert "adoption-form" not in render_tag(world, "admin", lesson) and teacher.short_name in render_tag(
        world, "admin", lesson
    )
    assert chair  # (the chair's mark would show like the teacher's)


def test_the_tag_counts_its_queries(world, django_assert_max_num_queries):
    head = world.people["mo_head"]
    lesson = data.item(head)
    for person in members_of_association(world):
        data.done(person, head, item_=lesson)
        services.adoption_mark(item=lesson, person=person, kind=AdoptionKind.ADOPTED)
    user = world.people["teacher"].user
    roles_of(user)
    with django_assert_max_num_queries(4):  # visits, adoptions, the visits the user may open, the co-authors
        request = RequestFactory().get("/")
        request.user = user
        Template("{% load dissemination %}{% item_dissemination item %}").render(
            Context({"request": request, "item": lesson})
        )


# ---------------------------------------------------------------- for the dashboard and the portfolio


def test_needs_me_lists_the_observations_to_fill(world):
    teacher, head = world.people["teacher"], world.people["mo_head"]
    today = timezone.localdate()
    yesterday = data.plan(teacher, head, days=-1)
    this_day = data.plan(teacher, world.people["chair"], days=0)
    data.plan(teacher, head, days=1)
    data.done(teacher, head)
    data.plan(head, teacher, days=-1)  # the head's, not the teacher's
    rows = selectors.needs_me(roles_of(teacher.user), today=today)
    assert [v.pk for v in rows["visits_to_fill"]] == [yesterday.pk, this_day.pk]
    assert selectors.needs_me(roles_of(world.admin), today=today) == {}


def test_visits_received_in_a_period(world):
    teacher, head, chair = world.people["teacher"], world.people["mo_head"], world.people["chair"]
    old = data.done(head, teacher, days=-100)
    recent = data.done(chair, teacher, days=-5)
    data.plan(chair, teacher, days=-1)  # not filled
    data.done(teacher, head)  # made, not received
    today = timezone.localdate()
    assert list(selectors.visits_received(teacher.pk, today - 30 * DAY, today)) == [recent]
    assert list(selectors.visits_received(teacher.pk)) == [old, recent]


# ---------------------------------------------------------------- the report


def test_the_report_counts_by_association_kind_level_and_year(world):
    people, year = world.people, world.year
    head, teacher, chair = people["mo_head"], people["teacher"], people["chair"]
    association_b = data.second_association(world, members=[chair])
    in_year = max(year.start, timezone.localdate() - 20 * DAY)
    data.item(head, association=world.association, date=in_year)
    data.item(teacher, association=world.association, date=in_year, kind=ItemKind.PUBLICATION, level=Level.REGIONAL)
    data.item(chair, association=association_b, date=in_year, kind=ItemKind.MASTER_CLASS)
    data.item(chair, association=None, date=in_year)  # outside the associations: the college only
    data.item(head, association=world.association, status="submitted", date=in_year)  # not published
    data.item(head, association=world.association, date=world.past_year.start + 10 * DAY)  # last year
    outside = data.item(people["methodist"], is_external=True, kind=ItemKind.GUIDE, date=in_year)

    def back(days: int) -> int:  # days back, within the academic year
        return -min(days, (timezone.localdate() - year.start).days)

    member = members_of_association(world)[0]  # in the association for a month (the teacher joined today)
    data.done(member, chair, days=back(2))  # A visits B
    data.done(chair, people["secretary"], days=back(3))  # B visits no association
    data.done(people["secretary"], people["director"], days=back(4))  # no association at all: the college only
    data.plan(teacher, head, days=-1)  # not filled: not counted
    services.adoption_mark(item=outside, person=teacher, kind=AdoptionKind.ADOPTED)
    lesson_a = data.item(head, association=world.association, date=in_year, title="Урок А")
    services.adoption_mark(item=lesson_a, person=chair, kind=AdoptionKind.REFERENCED)

    report = selectors.dissemination_report(roles_of(people["methodist"].user), year=year)
    assert report.college and {row.unit for row in report.rows} >= {world.association, association_b}
    a = next(row for row in report.rows if row.unit == world.association)
    b = next(row for row in report.rows if row.unit == association_b)
    assert (a.items, a.by_kind[ItemKind.OPEN_LESSON], a.by_kind[ItemKind.PUBLICATION]) == (3, 2, 1)
    assert (a.by_level[Level.COLLEGE], a.by_level[Level.REGIONAL]) == (2, 1)
    assert (a.visits_made, a.lessons_visited, a.adopted, a.referenced, a.marks_received) == (1, 0, 1, 0, 1)
    assert (b.items, b.visits_made, b.lessons_visited, b.adopted, b.referenced, b.marks_received) == (1, 1, 1, 0, 1, 0)
    total = report.total
    assert (total.items, total.visits_made, total.adopted, total.referenced, total.marks_received) == (5, 3, 1, 1, 1)
    assert [line.year for line in report.years] == [world.past_year, year]
    assert report.years[0].items == 1 and report.years[1].items == 5
    assert sum(count for _label, _counts, count in report.rows_by_kind()) == 5

    head_report = selectors.dissemination_report(roles_of(head.user), year=year)
    assert [row.unit for row in head_report.rows] == [world.association] and not head_report.college
    assert (head_report.total.items, head_report.total.visits_made, head_report.total.adopted) == (3, 1, 1)
    assert head_report.total.referenced == 0 and head_report.total.marks_received == 1


def _figures(report) -> list:
    rows = [report.total, *report.rows]
    return [
        [
            row.unit,
            dict(row.by_kind),
            dict(row.by_level),
            row.visits_made,
            row.lessons_visited,
            row.adopted,
            row.referenced,
            row.marks_received,
        ]
        for row in rows
    ] + [[line.year, line.items, line.visits, line.adopted, line.referenced] for line in report.years]


def test_the_college_s_report_counted_by_the_database_equals_the_one_counted_row_by_row(world):
    """The whole college's report groups in SQL (selectors._college_report); counted row by row it is the same, for
    data spread over two years, with people who joined the association during the year and items of every kind."""
    import random

    people, year = world.people, world.year
    association_b = data.second_association(world, members=[people["chair"]])
    staff = [people[r] for r in ("mo_head", "teacher", "chair", "secretary", "director", "methodist")]
    staff += members_of_association(world)
    rng = random.Random(13)
    today = timezone.localdate()
    span = (today - world.past_year.start).days
    items = []
    for n in range(12):
        day = world.past_year.start + rng.randrange(span + 1) * DAY
        kind = rng.choice([ItemKind.OPEN_LESSON, ItemKind.PUBLICATION, ItemKind.MASTER_CLASS])
        items.append(
            data.item(
                rng.choice(staff),
                association=rng.choice([world.association, association_b, None]),
                date=day,
                kind=kind,
                level=rng.choice([Level.COLLEGE, Level.REGIONAL]),
                title=f"Опыт {n}",
            )
        )
    items.append(data.item(people["methodist"], is_external=True, kind=ItemKind.GUIDE, date=today))
    for _ in range(15):
        visitor, visited = rng.sample(staff, 2)
        data.done(visitor, visited, days=-rng.randrange(min(span, 360) + 1))
    for item in items:
        for person in rng.sample(staff, 2):
            if person != item.author:
                day = item.date + rng.randrange(max((today - item.date).days, 0) + 1) * DAY
                services.adoption_mark(item=item, person=person, kind=rng.choice(list(AdoptionKind)), day=day)

    roles = roles_of(people["methodist"].user)
    for chosen in (year, world.past_year):
        counted = selectors.dissemination_report(roles, year=chosen)
        assert counted.college
        assert _figures(counted) == _figures(selectors.dissemination_report(roles, year=chosen, _row_by_row=True))
    assert sum(line.items for line in counted.years) > 0


def test_a_visit_counts_for_the_association_of_its_day(world):
    """The teacher joined the association today (tests/world.py): an earlier visit is not the association's."""
    people, year = world.people, world.year
    teacher, chair = people["teacher"], people["chair"]
    data.done(teacher, chair, days=-1)
    today_visit = data.done(teacher, chair, days=0)
    report = selectors.dissemination_report(roles_of(people["mo_head"].user), year=year)
    assert report.rows[0].visits_made == (1 if year.contains(today_visit.date) else 0)


def test_the_page_for_management_and_heads(world):
    head = world.people["mo_head"]
    data.item(head, association=world.association, date=max(world.year.start, world.today - DAY))
    response = client_for(world, "methodist").get(reverse("experience:dissemination"))
    assert response.status_code == 200 and response.context["report"].year == world.year
    page = response.content.decode()
    assert "<svg" in page and 'role="img"' in page and "<script" not in page.split("<main", 1)[-1]
    assert world.association.name in page
    response = client_for(world, "mo_head").get(
        reverse("experience:dissemination"), {"year": world.past_year.pk, "unit": world.association.pk}
    )
    assert response.context["report"].year == world.past_year
    for params in (
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"unit": "-1"},
        {"year": world.year.pk, "unit": "x"},
    ):
        assert client_for(world, "mo_head").get(reverse("experience:dissemination"), params).status_code == 200
    # a head cannot look into another association by its id
    other = data.second_association(world)
    response = client_for(world, "mo_head").get(
        reverse("experience:dissemination"), {"year": world.year.pk, "unit": other.pk}
    )
    assert [row.unit for row in response.context["report"].rows] == [world.association]
