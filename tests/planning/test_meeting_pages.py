"""Meeting pages: a protocol from the new meeting to both signatures through the views, the refusals shown to the
user with nothing half-saved, the decision register with marking by the responsible teacher, and pinned query
counts on the meeting page, the meeting list and the register with enough data that an N+1 would show.

Expected messages are the msgids run through gettext, so the tests hold before and after the Russian translation.
"""

from __future__ import annotations

import datetime
import html

import pytest
from django.test import Client, TestCase
from django.urls import reverse
from django.utils.translation import gettext

from planning import services
from planning.models import (
    AgendaItem,
    Attendance,
    Decision,
    DecisionStatus,
    Guest,
    Meeting,
    MeetingStatus,
)
from structure.models import Membership
from tests.factories import noon
from tests.planning.world import build_planning
from tests.world import build_world, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def council_meeting(world, *, decided: str = "Утвердить план", present: bool = True) -> Meeting:
    """A council meeting today (the council has a chair and a secretary) with one question."""
    people = world.people
    meeting = services.meeting_create(
        unit=world.council, year=world.year, date=world.today, created_by=people["secretary"]
    )
    services.attendance_set(
        meeting=meeting,
        rows=[(a.person, present, "" if present else "Болезнь") for a in meeting.attendance.select_related("person")],
    )
    item = services.agenda_add(meeting=meeting, title="О плане работы совета", speaker=people["chair"])
    services.agenda_update(item=item, title=item.title, speaker=people["chair"], heard="Доклад", decided=decided)
    return meeting


def snapshot(meeting: Meeting) -> tuple:
    """Everything an edit could touch, to prove a refused or forbidden request changed nothing."""
    meeting = Meeting.objects.get(pk=meeting.pk)
    return (
        (meeting.number, meeting.date, meeting.time, meeting.place, meeting.chair_id, meeting.secretary_id),
        sorted(Attendance.objects.filter(meeting=meeting).values_list("person_id", "present", "absence_reason")),
        sorted(Guest.objects.filter(meeting=meeting).values_list("pk", "name")),
        sorted(AgendaItem.objects.filter(meeting=meeting).values_list("pk", "title", "heard", "decided", "votes_for")),
        sorted(Decision.objects.filter(agenda_item__meeting=meeting).values_list("pk", "text", "deadline")),
    )


# ---------------------------------------------------------------- the happy path


def test_secretary_drafts_the_protocol_and_chair_and_secretary_sign_it(world, today):
    people = world.people
    secretary, chair = client_for(world, "secretary"), client_for(world, "chair")

    # The secretary runs one unit, the council: it is chosen and the next number proposed.
    form = secretary.get(reverse("planning:meeting_create")).context["form"]
    assert list(form.fields["unit"].queryset) == [world.council]
    assert form.initial["unit"] == world.council.pk and form.initial["number"] == 1
    response = secretary.post(
        reverse("planning:meeting_create"),
        {"unit": world.council.pk, "number": "", "date": today.isoformat(), "time": "15:00", "place": "Ауд. 101"},
    )
    meeting = Meeting.objects.get(unit=world.council)
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    assert (meeting.number, meeting.chair, meeting.secretary) == (1, people["chair"], people["secretary"])

    # Attendance: everyone present except the methodist, who is away on a business trip.
    rows = {a.person_id: a for a in meeting.attendance.all()}
    assert people["methodist"].pk in rows and people["chair"].pk in rows
    data = {f"present_{pk}": "on" for pk in rows if pk != people["methodist"].pk}
    data[f"reason_{people['methodist'].pk}"] = "Командировка"
    response = secretary.post(reverse("planning:attendance_edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    methodist_row = Attendance.objects.get(meeting=meeting, person=people["methodist"])
    assert (methodist_row.present, methodist_row.absence_reason) == (False, "Командировка")

    secretary.post(
        reverse("planning:guest_add", args=[meeting.pk]),
        {"name": "Иванова Мария Петровна", "position": "ИРО, методист"},
    )
    secretary.post(reverse("planning:guest_add", args=[meeting.pk]), {"name": "Лишний Гость"})
    extra = Guest.objects.get(meeting=meeting, name="Лишний Гость")
    secretary.post(reverse("planning:guest_delete", args=[meeting.pk, extra.pk]))
    assert list(meeting.guests.values_list("name", flat=True)) == ["Иванова Мария Петровна"]

    # The plan item select offers the service's plan (and the council's own, which is empty).
    form = secretary.get(reverse("planning:agenda_add", args=[meeting.pk])).context["form"]
    assert world.teacher_item in form.fields["plan_item"].queryset
    assert not form.fields["plan_item"].queryset.filter(plan=world.association_plan).exists()
    secretary.post(
        reverse("planning:agenda_add", args=[meeting.pk]),
        {"title": "О плане методической работы", "speaker": people["chair"].pk, "plan_item": world.teacher_item.pk},
    )
    item = meeting.agenda.get()
    response = secretary.post(
        reverse("planning:agenda_edit", args=[meeting.pk, item.pk]),
        {
            "title": item.title,
            "speaker": people["chair"].pk,
            "plan_item": world.teacher_item.pk,
            "heard": "Председателя о проекте плана",
            "spoke": "Методист: предложила дополнить раздел 8",
            "decided": "Утвердить план с дополнением",
            "votes_for": "1",
            "votes_against": "0",
            "votes_abstained": "1",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.votes_for, item.votes_against, item.votes_abstained) == (1, 0, 1)
    deadline = min(today + datetime.timedelta(days=10), world.year.end)
    secretary.post(
        reverse("planning:decision_add", args=[meeting.pk, item.pk]),
        {"text": "Провести открытый урок", "responsible": people["teacher"].pk, "deadline": deadline.isoformat()},
    )
    decision = Decision.objects.get(agenda_item=item)
    assert (decision.responsible, decision.deadline) == (people["teacher"], deadline)

    page = text_of(secretary.get(meeting.get_absolute_url()))
    for text in ("Председателя о проекте плана", "Командировка", "Иванова Мария Петровна", "Провести открытый урок"):
        assert text in page
    assert "«за» — 1, «против» — 0, «воздержались» — 1" in page
    assert reverse("planning:protocol_pdf", args=[meeting.pk]) in page
    assert reverse("planning:meeting_edit", args=[meeting.pk]) in page

    # The chair signs first: nobody may edit any more, the secretary still has to sign.
    response = chair.post(reverse("planning:protocol_sign", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.chair_signed_at and not meeting.secretary_signed_at and meeting.status == MeetingStatus.HELD
    assert secretary.get(reverse("planning:meeting_edit", args=[meeting.pk])).status_code == 403
    secretary.post(reverse("planning:protocol_sign", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SIGNED and meeting.is_locked

    # Locked: no edit button on the page, every edit URL answers 403, nothing changes.
    before = snapshot(meeting)
    page = text_of(secretary.get(meeting.get_absolute_url()))
    for name, args in _edit_urls(meeting, item, decision):
        assert reverse(name, args=args) not in page, name
    assert reverse("planning:protocol_sign", args=[meeting.pk]) not in page
    for name, args in _edit_urls(meeting, item, decision):
        url = reverse(name, args=args)
        assert secretary.post(url, {"name": "X", "title": "X", "number": "5"}).status_code == 403, name
    assert secretary.post(reverse("planning:protocol_sign", args=[meeting.pk])).status_code == 403
    assert snapshot(meeting) == before


def _edit_urls(meeting, item, decision):
    guest = meeting.guests.get()
    return [
        ("planning:meeting_edit", [meeting.pk]),
        ("planning:attendance_edit", [meeting.pk]),
        ("planning:guest_add", [meeting.pk]),
        ("planning:guest_delete", [meeting.pk, guest.pk]),
        ("planning:agenda_add", [meeting.pk]),
        ("planning:agenda_edit", [meeting.pk, item.pk]),
        ("planning:agenda_delete", [meeting.pk, item.pk]),
        ("planning:decision_add", [meeting.pk, item.pk]),
        ("planning:decision_delete", [meeting.pk, decision.pk]),
    ]


def test_the_new_meeting_form_offers_only_the_units_the_user_runs(world, today):
    for role, units in (
        ("deputy", [world.council]),
        ("chair", [world.council]),
        ("mo_head", [world.association]),
        ("lab_head", [world.lab]),
    ):
        form = client_for(world, role).get(reverse("planning:meeting_create")).context["form"]
        assert list(form.fields["unit"].queryset) == units, role
    # The association's next number is proposed: the world's meeting is No. 1.
    form = client_for(world, "mo_head").get(reverse("planning:meeting_create")).context["form"]
    assert form.initial["number"] == 2
    # A unit the user does not run is refused as an invalid choice.
    count = Meeting.objects.count()
    response = client_for(world, "mo_head").post(
        reverse("planning:meeting_create"), {"unit": world.council.pk, "date": today.isoformat()}
    )
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert Meeting.objects.count() == count


# ---------------------------------------------------------------- refusals


def test_two_meetings_with_the_same_number_in_a_unit_and_year_are_refused_on_the_field(world, today):
    count = Meeting.objects.count()
    response = client_for(world, "mo_head").post(
        reverse("planning:meeting_create"),
        {"unit": world.association.pk, "number": world.meeting.number, "date": today.isoformat()},
    )
    expected = gettext("This unit already has a meeting No. %(number)s in %(year)s.") % {
        "number": world.meeting.number,
        "year": world.year,
    }
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == [expected]
    assert expected in text_of(response)
    assert Meeting.objects.count() == count


def test_editing_a_meeting_to_a_taken_number_is_refused(world, today):
    second = services.meeting_create(
        unit=world.association, year=world.year, date=today, created_by=world.people["mo_head"]
    )
    before = snapshot(second)
    response = client_for(world, "mo_head").post(
        reverse("planning:meeting_edit", args=[second.pk]),
        {"number": world.meeting.number, "date": second.date.isoformat(), "place": "Другое место"},
    )
    assert response.status_code == 200 and "number" in response.context["form"].errors
    assert snapshot(second) == before


@pytest.mark.parametrize(
    ("setup", "msgid"),
    [
        ({"present": False}, "Record the attendance before signing: the protocol lists who was present."),
        ({"decided": ""}, "Every agenda item needs its decision (РЕШИЛИ) before signing."),
    ],
)
def test_signing_an_incomplete_protocol_is_refused_with_a_message(world, setup, msgid):
    meeting = council_meeting(world, **setup)
    before = snapshot(meeting)
    response = client_for(world, "chair").post(reverse("planning:protocol_sign", args=[meeting.pk]), follow=True)
    assert gettext(msgid) in text_of(response)
    meeting.refresh_from_db()
    assert meeting.chair_signed_at is None and meeting.status == MeetingStatus.PLANNED
    assert snapshot(meeting) == before


def test_signing_a_protocol_without_agenda_is_refused(world):
    meeting = council_meeting(world)
    meeting.agenda.all().delete()
    response = client_for(world, "secretary").post(reverse("planning:protocol_sign", args=[meeting.pk]), follow=True)
    assert gettext("The protocol has no agenda.") in text_of(response)
    meeting.refresh_from_db()
    assert meeting.secretary_signed_at is None


def test_negative_votes_are_refused_and_nothing_is_saved(world):
    meeting, item = world.meeting, world.agenda_item
    before = snapshot(meeting)
    response = client_for(world, "mo_head").post(
        reverse("planning:agenda_edit", args=[meeting.pk, item.pk]),
        {"title": "Новое название", "heard": "Доклад", "decided": "Принять", "votes_for": "-1"},
    )
    assert response.status_code == 200
    assert gettext("Votes cannot be negative.") in text_of(response)
    assert snapshot(meeting) == before


def test_a_decision_deadline_before_the_meeting_is_refused(world):
    meeting, item = world.meeting, world.agenda_item
    before = snapshot(meeting)
    response = client_for(world, "mo_head").post(
        reverse("planning:decision_add", args=[meeting.pk, item.pk]),
        {
            "text": "Сделать вчера",
            "responsible": world.people["teacher"].pk,
            "deadline": (meeting.date - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["deadline"] == [gettext("The deadline cannot precede the meeting.")]
    assert snapshot(meeting) == before


def test_a_guest_without_a_name_is_refused_with_a_message(world):
    before = snapshot(world.meeting)
    response = client_for(world, "mo_head").post(
        reverse("planning:guest_add", args=[world.meeting.pk]), {"name": "  "}, follow=True
    )
    assert gettext("Enter the guest's name.") in text_of(response)
    assert snapshot(world.meeting) == before


def test_the_chair_alone_cannot_sign_a_protocol_without_a_secretary(world):
    # The association has no secretary: the meeting's chair is told to name one first.
    response = client_for(world, "mo_head").post(
        reverse("planning:protocol_sign", args=[world.meeting.pk]), follow=True
    )
    assert gettext("Name the chair and the secretary of the meeting first.") in text_of(response)
    world.meeting.refresh_from_db()
    assert world.meeting.chair_signed_at is None


# ---------------------------------------------------------------- the register of decisions


def test_the_responsible_teacher_marks_a_decision_done(world):
    teacher, decision = client_for(world, "teacher"), world.decision
    register = reverse("planning:decision_list") + "?mine=on"
    page = text_of(teacher.get(register))
    assert decision.text in page
    assert reverse("planning:decision_mark", args=[decision.pk]) in page
    mark = reverse("planning:decision_mark", args=[decision.pk])

    # «Done» without a report is refused on the form; nothing changes.
    response = teacher.post(mark, {"status": DecisionStatus.DONE, "report": "", "next": register})
    assert response.status_code == 200
    assert response.context["form"].errors["report"] == [gettext("Write a short report on the decision.")]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.OPEN

    response = teacher.post(mark, {"status": DecisionStatus.DONE, "report": "Урок проведён 20.11", "next": register})
    assert response.status_code == 302 and response.url == register
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DONE and decision.done_at and decision.report == "Урок проведён 20.11"
    # An outside `next` is ignored.
    response = teacher.post(mark, {"status": DecisionStatus.OPEN, "next": "https://evil.example/"})
    assert response.url == reverse("planning:decision_list")


def test_someone_else_cannot_mark_the_teachers_decision(world):
    response = client_for(world, "group_lead").post(
        reverse("planning:decision_mark", args=[world.decision.pk]), {"status": DecisionStatus.DONE, "report": "x"}
    )
    assert response.status_code == 403
    world.decision.refresh_from_db()
    assert world.decision.status == DecisionStatus.OPEN


@pytest.mark.dated
def test_overdue_open_decisions_stand_out_and_filter(world, time_machine):
    later = world.decision.deadline + datetime.timedelta(days=1)
    other = services.decision_add(
        agenda_item=world.agenda_item,
        text="Обновить паспорт кабинета",
        responsible=world.people["mo_head"],
        deadline=later,
    )
    time_machine.move_to(noon(later))  # time has passed: the world's decision is overdue, the other one due today
    client = client_for(world, "deputy")
    page = text_of(client.get(reverse("planning:decision_list"), {"overdue": "on"}))
    assert world.decision.text in page and other.text not in page
    assert gettext("overdue") in page
    # The export link carries the filters.
    assert reverse("planning:decisions_xlsx") + "?overdue=on" in page
    page = text_of(client.get(reverse("planning:decision_list"), {"status": "open", "unit": world.council.pk}))
    assert world.decision.text not in page and gettext("No decisions match the filter.") in page


def test_the_meeting_list_filters_by_unit_and_defaults_to_the_current_year(world):
    council = council_meeting(world)
    client = client_for(world, "teacher")
    response = client.get(reverse("planning:meeting_list"))
    assert response.context["filter"].form.cleaned_data["year"] == world.year
    assert {m.pk for m in response.context["page"]} == {world.meeting.pk, council.pk}
    response = client.get(reverse("planning:meeting_list"), {"unit": world.council.pk})
    assert [m.pk for m in response.context["page"]] == [council.pk]
    response = client.get(reverse("planning:meeting_list"), {"year": world.past_year.pk})
    assert list(response.context["page"]) == []
    assert gettext("No meetings match the filter. Choose another year or unit, or schedule a meeting.") in text_of(
        response
    )


def test_an_external_lab_member_sees_only_the_lab_meetings(world, today):
    lab_meeting = services.meeting_create(
        unit=world.lab, year=world.year, date=today, created_by=world.people["lab_head"]
    )
    researcher = client_for(world, "researcher")
    assert researcher.get(lab_meeting.get_absolute_url()).status_code == 200
    assert researcher.get(world.meeting.get_absolute_url()).status_code == 404


# ---------------------------------------------------------------- query counts


def big_world():
    """27 association members, a meeting with 8 questions × 2 decisions, 31 more meetings: 32 meetings and
    77 decisions."""
    w = build_planning(build_world(extra_staff=30))
    people, today = w.people, w.today
    members = [
        m.person for m in Membership.objects.active_on(today).filter(unit=w.association).select_related("person")
    ]
    big = services.meeting_create(unit=w.association, year=w.year, date=today, created_by=people["mo_head"])
    services.attendance_set(meeting=big, rows=[(p, i % 5 != 0, "Болезнь") for i, p in enumerate(members)])
    for n in range(3):
        services.guest_add(meeting=big, name=f"Гость {n}", position="ИРО")
    plan_item = w.association_plan.items.first()
    for n in range(8):
        item = services.agenda_add(
            meeting=big, title=f"Вопрос {n}", speaker=members[n], plan_item=plan_item if n % 2 else w.teacher_item
        )
        services.agenda_update(
            item=item, title=item.title, speaker=members[n], heard="Доклад", decided="Принять", votes_for=20
        )
        for k in range(2):
            services.decision_add(agenda_item=item, text=f"Решение {n}.{k}", responsible=members[n + k], deadline=today)
    for n in range(30):
        meeting = services.meeting_create(unit=w.association, year=w.year, date=today, created_by=people["mo_head"])
        item = services.agenda_add(meeting=meeting, title="Вопрос", speaker=members[n % len(members)])
        for k in range(2):
            services.decision_add(agenda_item=item, text=f"Решение {n}", responsible=members[k], deadline=today)
    w.big = big
    return w


PINNED = [
    # role, URL name, kwargs, query string, queries (a page is read without a transaction: no SAVEPOINT)
    # + one: which questions an app above planning owns (planning.services.guards.owned_questions)
    # + one query per app that owns questions (attestation's cases, experience's items, reports' frozen copies:
    # planning.services.guards)
    # the change log in one query, with one for the names it mentions (metodservice.common.history); the list's
    # academic years read once for the filter's options, the chosen and the current year
    ("mo_head", "planning:meeting_detail", lambda w: {"pk": w.big.pk}, {}, 16),
    ("teacher", "planning:meeting_detail", lambda w: {"pk": w.big.pk}, {}, 14),
    ("teacher", "planning:meeting_list", lambda w: {}, {}, 8),
    ("mo_head", "planning:meeting_list", lambda w: {}, {"status": "planned"}, 10),
    ("deputy", "planning:decision_list", lambda w: {}, {}, 7),
    ("teacher", "planning:decision_list", lambda w: {}, {"mine": "on", "status": "open"}, 7),
]


class PinnedQueriesTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = big_world()

    def test_there_is_enough_data_for_an_n_plus_1_to_show(self):
        w = self.world
        assert w.big.attendance.count() >= 25 and w.big.agenda.count() == 8
        assert Decision.objects.filter(agenda_item__meeting=w.big).count() == 16
        assert Meeting.objects.count() >= 30 and Decision.objects.count() >= 50

    def test_query_counts(self):
        for role, url_name, kwargs, query, queries in PINNED:
            with self.subTest(role=role, page=url_name):
                client = Client()
                client.force_login(self.world.people[role].user)
                url = reverse(url_name, kwargs=kwargs(self.world))
                client.get(url, query)  # warm caches (content types, sessions)
                with self.assertNumQueries(queries):
                    response = client.get(url, query)
                self.assertEqual(response.status_code, 200)
