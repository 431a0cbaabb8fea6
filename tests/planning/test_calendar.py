"""The calendar (month grid and list, filters, bad parameters), the personal iCal feed and its query counts."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client, TestCase
from django.urls import reverse, reverse_lazy
from icalendar import Calendar

from planning import services
from planning.models import CalendarToken, Plan, PlanLevel, PlanStatus, WorkForm
from tests.factories import noon
from tests.planning.world import build_planning
from tests.world import build_world, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]
# Lazy: reversing at import (collection) time would load the URLconf with the development settings.
CALENDAR = reverse_lazy("planning:calendar")


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# ---------------------------------------------------------------- month and list views


def month_end(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


@pytest.mark.dated
def test_month_view_is_a_grid_with_russian_weekdays_and_today_marked(world, today):
    client = client_for(world, "teacher")
    response = client.get(CALENDAR)
    html = page(response)
    assert response.context["month"] == today.replace(day=1)
    assert "<table" in html and "<caption>" in html
    for name in ("Понедельник", "Пн", "Вс"):
        assert name in html
    assert html.count('aria-current="date"') == 1
    marked = [day for week in response.context["weeks"] for day, _events, _in_month, is_today in week if is_today]
    assert marked == [today]
    # Whole weeks, Monday to Sunday, around the month.
    days = [day for week in response.context["weeks"] for day, *_ in week]
    assert days[0].weekday() == 0 and days[-1].weekday() == 6
    assert days[0] <= today.replace(day=1) and days[-1] >= month_end(today)
    assert days == [days[0] + datetime.timedelta(days=n) for n in range(len(days))]
    assert world.meeting.get_absolute_url() in html  # the association meeting today
    next_month = month_end(today) + datetime.timedelta(days=1)
    assert f"?month={next_month:%Y-%m}&amp;view=month" in html
    # The service plan's item (due in a week, or at the end of the year) in the grid of its month.
    html = page(client.get(CALENDAR, {"month": f"{world.teacher_item.due_date:%Y-%m}"}))
    assert world.teacher_item.get_absolute_url() in html


def test_month_parameter_moves_the_grid(world):
    response = client_for(world, "teacher").get(CALENDAR, {"month": "2020-02"})
    html = page(response)
    assert response.context["month"] == datetime.date(2020, 2, 1)
    assert world.meeting.get_absolute_url() not in html
    assert "?month=2020-01" in html and "?month=2020-03" in html
    assert not messages_of(response)


@pytest.mark.dated
def test_list_view_groups_the_month_by_date(world, today):
    response = client_for(world, "teacher").get(CALENDAR, {"view": "list"})
    html = page(response)
    assert "<table" not in html.split('id="main"')[1]
    assert f"{today:%d.%m.%Y}" in html
    assert world.meeting.get_absolute_url() in html
    days = [day for day, _events in response.context["days"]]
    assert today in days
    assert days == sorted(days) and all(today.replace(day=1) <= day <= month_end(today) for day in days)


def test_filters_by_unit_direction_and_only_mine(world):
    client = client_for(world, "teacher")
    month = f"{world.teacher_item.due_date:%Y-%m}"
    html = page(client.get(CALENDAR, {"month": month, "view": "list", "unit": world.association.pk}))
    assert world.teacher_item.get_absolute_url() not in html  # an item of the service plan, not the association's
    html = page(client.get(CALENDAR, {"month": month, "view": "list", "direction": world.directions[8].pk}))
    assert world.teacher_item.get_absolute_url() in html
    html = page(client.get(CALENDAR, {"month": month, "view": "list", "direction": world.directions[1].pk}))
    assert world.teacher_item.get_absolute_url() not in html
    methodist = client_for(world, "methodist")
    html = page(methodist.get(CALENDAR, {"month": month, "view": "list", "mine": "on"}))
    assert world.teacher_item.get_absolute_url() not in html  # the teacher's, not the methodist's
    html = page(client.get(CALENDAR, {"month": month, "view": "list", "mine": "on"}))
    assert world.teacher_item.get_absolute_url() in html


@pytest.mark.dated
def test_overdue_items_stand_out(world, time_machine):
    due = world.teacher_item.due_date
    response = client_for(world, "teacher").get(CALENDAR, {"month": f"{due:%Y-%m}"})
    [event] = [e for e in response.context["events"] if e.uid == f"plan-item-{world.teacher_item.pk}"]
    assert not event.overdue
    time_machine.move_to(noon(due + datetime.timedelta(days=1)))  # the day after the deadline
    client = client_for(world, "teacher")  # a new session: the old one has expired meanwhile
    for view in ("list", "month"):
        response = client.get(CALENDAR, {"view": view, "month": f"{due:%Y-%m}"})
        html = page(response)
        [event] = [e for e in response.context["events"] if e.uid == f"plan-item-{world.teacher_item.pk}"]
        assert event.overdue
        assert 'class="link-danger"' in html and '<span class="badge bg-danger">' in html


@pytest.mark.parametrize(
    "params",
    [
        {"month": "2026-13"},
        {"month": "abcd"},
        {"month": "0000-00"},
        {"unit": "abc"},
        {"unit": "999999"},
        {"direction": "-1"},
        {"view": "year"},
        {"month": "2026-13", "unit": "abc", "view": "week"},
    ],
)
def test_bad_parameters_fall_back_to_defaults_with_a_warning(world, today, params):
    response = client_for(world, "teacher").get(CALENDAR, params)
    html = page(response)
    assert response.context["month"] == today.replace(day=1)
    assert response.context["view"] == "month"
    assert len(messages_of(response)) == 1
    assert "alert-warning" in html
    assert world.meeting.get_absolute_url() in html  # no filter applied


def test_good_parameters_survive_a_bad_neighbour(world):
    response = client_for(world, "teacher").get(CALENDAR, {"month": "2020-02", "unit": "abc", "view": "list"})
    assert response.context["month"] == datetime.date(2020, 2, 1)
    assert response.context["view"] == "list"
    assert len(messages_of(response)) == 1


def test_calendar_is_forbidden_without_the_right(world):
    assert client_for(world, "researcher").get(CALENDAR).status_code == 403
    assert Client().get(CALENDAR).status_code == 302


# ---------------------------------------------------------------- the personal iCal feed


def feed_url(world, role: str) -> str:
    return reverse("planning:ical_feed", args=[services.calendar_token_for(user=world.people[role].user).token])


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events_by_uid(calendar: Calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.mark.dated  # the feed covers 60 days back to a year ahead of today
def test_feed_needs_no_login_and_parses(world):
    calendar = parse(Client().get(feed_url(world, "teacher")))
    assert str(calendar["VERSION"]) == "2.0"
    assert Client().head(feed_url(world, "teacher")).status_code == 200  # some apps ask HEAD first
    events = events_by_uid(calendar)
    item = events[f"plan-item-{world.teacher_item.pk}@metodservice"]
    assert world.teacher_item.content in str(item["SUMMARY"])
    assert item.decoded("DTSTART") == world.teacher_item.due_date  # all-day on the deadline
    assert str(item["URL"]) == f"http://testserver{world.teacher_item.get_absolute_url()}"
    assert world.teacher_item.direction.name in str(item["DESCRIPTION"])
    meeting = events[f"meeting-{world.meeting.pk}@metodservice"]
    assert meeting.decoded("DTSTART") == world.meeting.date  # no time known: all-day
    assert str(meeting["URL"]).startswith("http://testserver/")


def test_feed_gives_meetings_with_time_in_the_college_zone(world, today):
    meeting = services.meeting_create(
        unit=world.association,
        year=world.year,
        date=today,
        time=datetime.time(14, 30),
        created_by=world.people["mo_head"],
    )
    event = events_by_uid(parse(Client().get(feed_url(world, "teacher"))))[f"meeting-{meeting.pk}@metodservice"]
    start = event.decoded("DTSTART")
    assert isinstance(start, datetime.datetime)
    assert (start.date(), start.hour, start.minute) == (today, 14, 30)
    assert str(start.tzinfo) == "Europe/Moscow"
    assert event.decoded("DTEND") > start


def test_feed_holds_only_what_concerns_its_owner(world, today):
    people = world.people
    services.plan_approve(plan=world.teacher_plan, person=people["mo_head"])
    own_item = world.teacher_plan.items.get()
    # Someone else's individual plan, approved, with an item due today.
    other = services.plan_create(
        level=PlanLevel.INDIVIDUAL, year=world.year, person=people["group_lead"], created_by=people["group_lead"]
    )
    foreign = services.item_add(
        plan=other,
        content="Чужой пункт индивидуального плана",
        direction=world.directions[7],
        form=WorkForm.SELF_EDUCATION,
        due_date=today,
        responsible=[people["group_lead"]],
    )
    Plan.objects.filter(pk=other.pk).update(status=PlanStatus.APPROVED, version=1)
    council_meeting = services.meeting_create(
        unit=world.council, year=world.year, date=today, created_by=people["chair"]
    )

    teacher = events_by_uid(parse(Client().get(feed_url(world, "teacher"))))
    assert f"plan-item-{world.teacher_item.pk}@metodservice" in teacher
    assert f"plan-item-{own_item.pk}@metodservice" in teacher
    assert f"meeting-{world.meeting.pk}@metodservice" in teacher
    assert f"plan-item-{foreign.pk}@metodservice" not in teacher
    assert f"meeting-{council_meeting.pk}@metodservice" not in teacher
    assert "Чужой пункт" not in Client().get(feed_url(world, "teacher")).content.decode()

    lead = events_by_uid(parse(Client().get(feed_url(world, "group_lead"))))
    assert f"plan-item-{foreign.pk}@metodservice" in lead
    assert f"plan-item-{world.teacher_item.pk}@metodservice" not in lead


def test_unknown_token_answers_404(world):
    feed_url(world, "teacher")
    assert Client().get(reverse("planning:ical_feed", args=["not-a-token"])).status_code == 404
    assert Client().get(reverse("planning:ical_feed", args=["x" * 43])).status_code == 404


def test_feed_of_a_deactivated_account_answers_404(world):
    url = feed_url(world, "teacher")
    user = world.people["teacher"].user
    user.is_active = False
    user.save()
    assert Client().get(url).status_code == 404


def test_feed_settings_show_the_absolute_address(world):
    html = page(client_for(world, "teacher").get(reverse("planning:feed_settings")))
    token = CalendarToken.objects.get(user=world.people["teacher"].user).token
    assert f"http://testserver/planning/calendar/ical/{token}.ics" in html
    assert "data-confirm" in html


def test_renewing_the_token_revokes_the_old_address(world):
    old = feed_url(world, "teacher")
    assert Client().get(old).status_code == 200
    response = client_for(world, "teacher").post(reverse("planning:feed_settings"))
    assert response.status_code == 302 and response.url == reverse("planning:feed_settings")
    new = feed_url(world, "teacher")
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_feed_settings_are_forbidden_without_the_calendar(world):
    assert client_for(world, "researcher").get(reverse("planning:feed_settings")).status_code == 403
    assert client_for(world, "researcher").post(reverse("planning:feed_settings")).status_code == 403
    assert not CalendarToken.objects.filter(user=world.people["researcher"].user).exists()


# ---------------------------------------------------------------- query counts


def busy_month(world, *, items: int = 70, meetings: int = 40) -> None:
    """An approved lab plan with `items` items and `meetings` meetings, all in this month: 100+ events."""
    people = world.people
    month = world.today.replace(day=1)
    first = max(month, world.year.start, world.council.created_on)
    span = (min(month_end(month), world.year.end) - first).days + 1
    plan = services.plan_create(level=PlanLevel.UNIT, year=world.year, unit=world.lab, created_by=people["lab_head"])
    for index in range(items):
        services.item_add(
            plan=plan,
            content=f"Пункт плана лаборатории № {index}",
            direction=world.directions[index % 10 + 1],
            form=WorkForm.SEMINAR,
            due_date=first + datetime.timedelta(days=index % span),
            responsible=[people["teacher"], people["lab_head"]],
        )
    services.plan_submit(plan=plan, person=people["lab_head"])
    services.plan_approve(plan=plan, person=people["chair"])
    units = [world.association, world.group, world.lab, world.council]
    for index in range(meetings):
        services.meeting_create(
            unit=units[index % len(units)],
            year=world.year,
            date=first + datetime.timedelta(days=index % span),
            time=datetime.time(9 + index % 8, 0),
            created_by=people["deputy"],
        )


class CalendarQueriesTest(TestCase):
    """The calendar answers in a fixed number of queries with 100+ events in the month."""

    @classmethod
    def setUpTestData(cls):
        cls.world = build_planning(build_world())
        busy_month(cls.world)

    def test_query_counts(self):
        # session, user, roles (the person with their memberships), the menu's badge (metodservice.attention: one
        # query for a teacher), meetings, items, the filter's units and directions. A unit or direction filter looks
        # its value up.
        cases = [
            ({}, 8),
            ({"view": "list"}, 8),
            ({"mine": "on"}, 8),
            ({"direction": self.world.directions[3].pk, "unit": self.world.lab.pk}, 10),
        ]
        client = client_for(self.world, "teacher")
        for params, queries in cases:
            with self.subTest(params=params):
                client.get(CALENDAR, params)  # warm caches
                with self.assertNumQueries(queries):
                    response = client.get(CALENDAR, params)
                self.assertEqual(response.status_code, 200)
        self.assertGreaterEqual(len(client.get(CALENDAR).context["events"]), 100)

    def test_feed_query_count(self):
        url = reverse(
            "planning:ical_feed", args=[services.calendar_token_for(user=self.world.people["teacher"].user).token]
        )
        Client().get(url)
        # token with its user, roles (the person with their memberships), meetings, items.
        with self.assertNumQueries(4):
            response = Client().get(url)
        self.assertGreaterEqual(len(Calendar.from_ical(response.content).walk("VEVENT")), 70)
