"""Notifications (issue 14): who gets what when something starts to wait for them, by e-mail unless they switched
the kind off; the daily reminders never send the same thing twice; the list, the header's count, marking read."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from metodservice.common import notifications
from metodservice.common.models import EmailOptOut, Notification, NotificationKind
from planning import services as planning_services
from planning.models import ItemStatus
from structure import services as structure_services
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]


@pytest.fixture(autouse=True)
def _none_yet(world):
    """Building the world sent and signed orders: start from no notification."""
    Notification.objects.all().delete()


@pytest.fixture
def emails(world):
    """Every account of the world has an e-mail address."""
    for role, person in world.people.items():
        if person.user_id:
            person.user.email = f"{role}@college.example"
            person.user.save(update_fields=["email"])


def _of(world, role: str, kind: str | None = None):
    found = Notification.objects.filter(user=world.people[role].user)
    return found.filter(kind=kind) if kind else found


def test_an_order_sent_to_the_director_is_notified_once_and_mailed(world, emails, django_capture_on_commit_callbacks):
    order = world.draft
    with django_capture_on_commit_callbacks(execute=True):
        structure_services.order_send(order=order)
    notified = _of(world, "director", NotificationKind.ORDER_TO_SIGN)
    assert notified.count() == 1 and order.title in notified.get().text
    assert notified.get().url == order.get_absolute_url()
    assert [message.to for message in mail.outbox] == [["director@college.example"]]
    assert "/structure/orders/" in mail.outbox[0].body
    assert not _of(world, "deputy").exists()  # the author is not asked to sign


def test_signing_asks_everyone_the_order_names_to_acknowledge(world):
    order = world.on_signing
    structure_services.order_sign(order=order, person=world.people["director"])
    named = set(order.acknowledgements.values_list("person__user_id", flat=True))
    got = set(Notification.objects.filter(kind=NotificationKind.ORDER_TO_ACKNOWLEDGE).values_list("user_id", flat=True))
    assert named and got == named


def test_a_plan_returned_submitted_and_approved_notifies_its_owner_then_its_approver(world):
    plan = world.teacher_plan  # submitted by the teacher; the head of the association approves it
    planning_services.plan_return(plan=plan, person=world.people["mo_head"], comment="Уточнить сроки")
    returned = _of(world, "teacher", NotificationKind.PLAN_RETURNED).get()
    assert "Уточнить сроки" in returned.text and returned.url == plan.get_absolute_url()
    planning_services.plan_submit(plan=plan, person=world.people["teacher"])
    assert _of(world, "mo_head", NotificationKind.PLAN_SUBMITTED).count() == 1
    assert not _of(world, "teacher", NotificationKind.PLAN_SUBMITTED).exists()
    planning_services.plan_approve(plan=plan, person=world.people["mo_head"])
    assert _of(world, "teacher", NotificationKind.PLAN_APPROVED).count() == 1


def test_an_opted_out_kind_is_listed_but_not_mailed(world, emails, django_capture_on_commit_callbacks):
    notifications.set_email_kinds(world.people["director"].user, [NotificationKind.PLAN_SUBMITTED])
    with django_capture_on_commit_callbacks(execute=True):
        structure_services.order_send(order=world.draft)
    assert _of(world, "director", NotificationKind.ORDER_TO_SIGN).count() == 1
    assert mail.outbox == []


def test_reminders_reach_the_responsible_once_however_often_they_run(world, emails, django_capture_on_commit_callbacks):
    item = world.teacher_item  # due within 7 days (tests/planning/world.py), the teacher responsible
    assert item.status != ItemStatus.DONE and item.due_date <= world.today + datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _of(world, "teacher", NotificationKind.DEADLINE_SOON)
    keys = set(first.values_list("key", flat=True))
    assert f"item:{item.pk}:due:{item.due_date.isoformat()}" in keys
    total, mailed = Notification.objects.count(), len(mail.outbox)
    assert mailed >= 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Notification.objects.count() == total and len(mail.outbox) == mailed  # nothing twice
    # A new due date is a new reminder.
    item.due_date = item.due_date - datetime.timedelta(days=1) if item.due_date > world.today else item.due_date
    item.save(update_fields=["due_date"])


def test_the_header_counts_the_unread_and_the_list_marks_them_read(world):
    user = world.people["teacher"].user
    for number in range(3):
        notifications.notify(
            [user.pk],
            kind=NotificationKind.DEADLINE_SOON,
            text=f"Срок {number}",
            url="/planning/plans/",
            key=f"k{number}",
        )
    client = client_for(world, "teacher")
    html = client.get(reverse("structure:order_list")).content.decode()
    assert '3<span class="visually-hidden"> непрочитанных уведомления</span>' in html
    page = client.get(reverse("notifications")).content.decode()
    assert "Срок 0" in page and "Срок 2" in page
    first = Notification.objects.get(key="k0")
    answer = client.post(reverse("notification_read", args=[first.pk]))
    assert answer.status_code == 302 and answer["Location"] == "/planning/plans/"
    assert notifications.unread(user).count() == 2
    client.post(reverse("notification_read_all"))
    assert notifications.unread(user).count() == 0


def test_nobody_marks_anothers_notification(world):
    notifications.notify([world.people["teacher"].user.pk], kind=NotificationKind.DEADLINE_SOON, text="Срок", key="x")
    theirs = Notification.objects.get()
    response = client_for(world, "mo_head").post(reverse("notification_read", args=[theirs.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("notifications")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_each_person_chooses_the_kinds_that_come_by_email(world):
    client = client_for(world, "teacher")
    response = client.post(reverse("notification_email"), {"kinds": [NotificationKind.DEADLINE_SOON]})
    assert response.status_code == 302
    off = set(EmailOptOut.objects.filter(user=world.people["teacher"].user).values_list("kind", flat=True))
    assert off == set(NotificationKind.values) - {NotificationKind.DEADLINE_SOON}
    client.post(reverse("notification_email"), {"kinds": ["salary"]})  # not a kind: refused, nothing changed
    assert set(EmailOptOut.objects.filter(user=world.people["teacher"].user).values_list("kind", flat=True)) == off


def test_the_same_key_is_never_notified_twice(world):
    user = world.people["teacher"].user
    for _ in range(2):
        notifications.notify([user.pk, user.pk, None], kind=NotificationKind.DEADLINE_SOON, text="Срок", key="same")
    assert Notification.objects.filter(user=user, key="same").count() == 1


def test_notifications_recorded_without_email_send_nothing(world, emails, django_capture_on_commit_callbacks):
    """The demo college is seeded so (metodservice.demo): `make run` prints no letters before its banner."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks, notifications.without_email():
        structure_services.order_send(order=world.draft)
    assert _of(world, "director", NotificationKind.ORDER_TO_SIGN).count() == 1
    assert callbacks == [] and mail.outbox == []


def test_the_list_answers_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    """The session, the user, the roles and the badge with the unread count (one query), the page's count and rows,
    the kinds switched off: the same for 3 notifications or 60."""
    user = world.people["teacher"].user
    client = client_for(world, "teacher")

    def add(count: int, start: int) -> None:
        for number in range(start, start + count):
            notifications.notify(
                [user.pk], kind=NotificationKind.DEADLINE_SOON, text=f"Срок {number}", key=f"n{number}"
            )

    add(3, 0)
    client.get(reverse("notifications"))
    with django_assert_num_queries(7):
        assert client.get(reverse("notifications")).status_code == 200
    add(57, 3)
    with django_assert_num_queries(7):
        response = client.get(reverse("notifications"))
    assert len(response.context["page"]) == 50 and response.context["page"].paginator.count == 60


def test_an_assignment_due_within_a_week_reminds_who_answers_for_the_service_once(world):
    from planning.models import Assignment
    from tests.planning.world import director_assignment

    soon = director_assignment(world, deadline=world.today + datetime.timedelta(days=3))
    director_assignment(world, deadline=world.today + datetime.timedelta(days=30))  # not yet
    cancelled = director_assignment(world, deadline=world.today + datetime.timedelta(days=2))
    planning_services.assignment_cancel(assignment=cancelled, by=world.people["director"], reason="Снято")
    Notification.objects.all().delete()  # leave only the reminders
    for _run in range(2):
        call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    reminded = Notification.objects.filter(kind=NotificationKind.ASSIGNMENT_ISSUED)
    assert set(reminded.values_list("key", flat=True)) == {f"assignment:{soon.pk}:due:{soon.deadline.isoformat()}"}
    assert set(reminded.values_list("user__username", flat=True)) == {"deputy", "chair"}
    assert Assignment.objects.count() == 3
