"""`manage.py send_reminders`: the daily reminders, meant for cron (README, «Production»).

Each person responsible for a plan item or a decision due within 7 days, who answers for the service when an
assignment to it not yet done is due within 7 days, and each teacher whose conformity
attestation, qualification category or professional development falls due within 90 days, is notified
(metodservice.common.notifications: in the portal's list, and by e-mail unless they switched it off). What a
reminder is about is its key — the item and its due date, the person and theirs — so running the command twice,
or every day, never sends the same reminder twice; a new due date is a new reminder.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from attestation import schedule as rules_of_schedule
from attestation.selectors.schedule import records_on, teaching_staff
from attestation.selectors.training import compliance_rows
from metodservice.common.models import NotificationKind
from metodservice.common.notifications import notify
from planning.models import Decision, DecisionStatus, ItemStatus, PlanItem
from planning.selectors import assignment_answerers, assignments_open

DEADLINE_DAYS = 7
DUE_DAYS = 90


def _day(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def deadline_reminders(today: datetime.date) -> int:
    """Plan items of approved plans and open decisions due within DEADLINE_DAYS: their responsible people."""
    until = today + datetime.timedelta(days=DEADLINE_DAYS)
    sent = 0
    items = (
        PlanItem.objects.filter(plan__version__gt=0, due_date__gte=today, due_date__lte=until)
        .exclude(status__in=[ItemStatus.DONE, ItemStatus.CANCELLED])
        .prefetch_related("responsible")
        .select_related("plan")
    )
    for item in items:
        sent += len(
            notify(
                [person.user_id for person in item.responsible.all()],
                kind=NotificationKind.DEADLINE_SOON,
                text=_("The plan item «%(item)s» is due on %(day)s.")
                % {"item": item.content[:200], "day": _day(item.due_date)},
                url=item.plan.get_absolute_url(),
                key=f"item:{item.pk}:due:{item.due_date.isoformat()}",
            )
        )
    decisions = Decision.objects.filter(
        status=DecisionStatus.OPEN, deadline__gte=today, deadline__lte=until
    ).select_related("responsible", "agenda_item__meeting")
    for decision in decisions:
        sent += len(
            notify(
                [decision.responsible.user_id] if decision.responsible else [],
                kind=NotificationKind.DEADLINE_SOON,
                text=_("The decision «%(text)s» is due on %(day)s.")
                % {"text": decision.text[:200], "day": _day(decision.deadline)},
                url=decision.agenda_item.meeting.get_absolute_url(),
                key=f"decision:{decision.pk}:due:{decision.deadline.isoformat()}",
            )
        )
    due_assignments = assignments_open().filter(deadline__gte=today, deadline__lte=until)
    answerers = assignment_answerers(today) if due_assignments.exists() else []
    for assignment in due_assignments:
        sent += len(
            notify(
                answerers,
                kind=NotificationKind.ASSIGNMENT_ISSUED,
                text=_("The assignment to the service «%(text)s» is due on %(day)s.")
                % {"text": assignment.text[:200], "day": _day(assignment.deadline)},
                url=assignment.get_absolute_url(),
                key=f"assignment:{assignment.pk}:due:{assignment.deadline.isoformat()}",
            )
        )
    return sent


def due_reminders(today: datetime.date) -> int:
    """Teachers whose conformity attestation, category or professional development falls due within DUE_DAYS."""
    until = today + datetime.timedelta(days=DUE_DAYS)
    sent = 0
    records = records_on(teaching_staff(), today)
    for person, record in records:
        plan = rules_of_schedule.schedule(record, today)
        due = []
        if plan.due_by and today <= plan.due_by <= until:
            due.append(
                ("attestation", plan.due_by, _("Your attestation for conformity to the position is due by %(day)s."))
            )
        if plan.category and plan.category_until and today <= plan.category_until <= until:
            due.append(
                (
                    "category",
                    plan.category_until,
                    _("Your qualification category is in force until %(day)s: apply for the next one."),
                )
            )
        for what, day, text in due:
            sent += len(
                notify(
                    [person.user_id],
                    kind=NotificationKind.ATTESTATION_DUE,
                    text=text % {"day": _day(day)},
                    url=reverse("attestation:case_mine"),
                    key=f"{what}:{person.pk}:{day.isoformat()}",
                )
            )
    for row in compliance_rows([person.pk for person, _record in records], today) if records else []:
        found = row.compliance
        for what, day, text in (
            ("course", found.course_due_by, _("Your professional development course is due by %(day)s.")),
            ("internship", found.internship_due_by, _("Your internship is due by %(day)s.")),
        ):
            if day and today <= day <= until:
                sent += len(
                    notify(
                        [row.person.user_id],
                        kind=NotificationKind.ATTESTATION_DUE,
                        text=text % {"day": _day(day)},
                        url=reverse("attestation:training_mine"),
                        key=f"{what}:{row.person.pk}:{day.isoformat()}",
                    )
                )
    return sent


class Command(BaseCommand):
    help = "Send the daily reminders: deadlines within 7 days, attestation and professional development within 90."

    def handle(self, *args, **options) -> None:
        today = timezone.localdate()
        with override("ru"), transaction.atomic():
            deadlines = deadline_reminders(today)
            due = due_reminders(today)
        self.stdout.write(
            f"send_reminders {today.isoformat()}: {deadlines} deadline reminder(s), {due} due reminder(s)"
        )
