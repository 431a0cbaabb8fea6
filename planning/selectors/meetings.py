"""Reads of meetings, their attendance and agenda, and the decision register: what concerns a person, who
holds a unit's role on a day, the next number."""

from __future__ import annotations

import datetime

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from structure.models import Membership, Person, Unit

from ..models import AcademicYear, AgendaItem, Attendance, Decision, DecisionStatus, Meeting, PlanItem, PlanLevel
from .years import current_year_start, current_year_start_date


def _concerns(person: Person, today: datetime.date) -> Q:
    """Meetings that concern a person: those they attend, chair or keep, and any meeting of a unit they belong to
    today (so someone who joined after a meeting was scheduled still sees it)."""
    units = Membership.objects.active_on(today).filter(person=person).values("unit_id")
    return Q(attendance__person=person) | Q(chair=person) | Q(secretary=person) | Q(unit_id__in=units)


def _my_open(person: Person) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(responsible=person, status=DecisionStatus.OPEN)
        .select_related("agenda_item__meeting__unit")
        .defer(MEETING_SNAPSHOT)
        .order_by("deadline", "pk")
    )


def my_open_decisions(person: Person, *, today: datetime.date | None = None) -> QuerySet[Decision]:
    """The decisions the person carries out, open, with a deadline in the current academic year or later: what
    needs them now. Those overdue from earlier years are my_decisions_overdue_earlier's."""
    return _my_open(person).filter(deadline__gte=current_year_start(today or timezone.localdate()))


def my_decisions_overdue_earlier(person: Person, *, today: datetime.date | None = None) -> QuerySet[Decision]:
    """The person's open decisions whose deadline passed before the current academic year."""
    return _my_open(person).filter(deadline__lt=current_year_start_date(today or timezone.localdate()))


def my_meetings_this_week(person: Person, *, today: datetime.date | None = None) -> QuerySet[Meeting]:
    today = today or timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    sunday = monday + datetime.timedelta(days=6)
    return (
        Meeting.objects.filter(date__range=(monday, sunday))
        .filter(_concerns(person, today))
        .select_related("unit")
        .defer("snapshot")
        .distinct()
        .order_by("date", "time")
    )


def meeting_detail(pk: int) -> QuerySet[Meeting]:
    return (
        Meeting.objects.select_related("unit", "year", "chair", "secretary", "created_by")
        .prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.select_related("person", "person__position")),
            "guests",
            Prefetch(
                "agenda",
                queryset=AgendaItem.objects.select_related("speaker", "plan_item").prefetch_related(
                    Prefetch("decisions", queryset=Decision.objects.select_related("responsible", "assignment"))
                ),
            ),
        )
        .filter(pk=pk)
    )


def _attendance_count(**marked) -> Coalesce:
    """How many attendance rows of the meeting (OuterRef) match `marked`: a correlated subquery, computed for the
    rows fetched (a page) and left out of the page's count."""
    rows = Attendance.objects.filter(meeting=OuterRef("pk"), **marked).order_by().values("meeting")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


def meetings_list() -> QuerySet[Meeting]:
    """Meetings with `members_count`, `present_count` (only those marked present) and `not_marked_count`: before the
    attendance is marked nobody is counted present. The counts are subqueries of the rows shown: a list's page
    counts its own meetings' attendance, not every meeting's."""
    return (
        Meeting.objects.select_related("unit", "year", "chair", "secretary")
        .defer("snapshot")  # the list never prints the frozen protocol
        .annotate(
            members_count=_attendance_count(),
            present_count=_attendance_count(present=True),
            not_marked_count=_attendance_count(present__isnull=True),
        )
    )


#: A signed meeting's frozen protocol (tens of KB of JSON): lists of decisions print the meeting's number, date and
#: unit, never the protocol, and leave it unread (a register's page read and decoded 50 of them).
MEETING_SNAPSHOT = "agenda_item__meeting__snapshot"


def decisions_register() -> QuerySet[Decision]:
    return (
        Decision.objects.select_related(
            "responsible", "agenda_item", "agenda_item__meeting", "agenda_item__meeting__unit"
        )
        .defer(MEETING_SNAPSHOT)
        .order_by("deadline", "pk")
    )


def decisions_filtered(
    queryset: QuerySet[Decision],
    *,
    status: str = "",
    unit_id: int | None = None,
    person: Person | None = None,
    overdue: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Decision]:
    """The decision register's filters: status, the meeting's unit, assigned to `person`, open and past deadline."""
    if status:
        queryset = queryset.filter(status=status)
    if unit_id:
        queryset = queryset.filter(agenda_item__meeting__unit_id=unit_id)
    if person is not None:
        queryset = queryset.filter(responsible=person)
    if overdue:
        queryset = queryset.filter(status=DecisionStatus.OPEN, deadline__lt=today or timezone.localdate())
    return queryset


def meetings_visible_to(roles) -> QuerySet[Meeting]:
    """Meetings a user may open, with `present_count`: all of them for staff and the administrator; an external
    person sees the meetings of their own units and those that name them (planning.view_meeting)."""
    meetings = meetings_list().order_by("-date", "-number", "-pk")
    if roles.is_admin or roles.is_staff_member:
        return meetings
    if roles.person is None:
        return meetings.none()
    return meetings.filter(Q(unit_id__in=list(roles.units)) | Q(pk__in=meetings_concerning(roles.person).values("pk")))


def meetings_concerning(person: Person) -> QuerySet[Meeting]:
    """Meetings that name the person whatever their units today: on the attendance list, as chair or secretary, or
    responsible for one of its decisions. An external person who has left a unit still sees these
    (planning.view_meeting), so the dashboard never lists a meeting or a decision they cannot open."""
    return Meeting.objects.filter(
        Q(pk__in=Attendance.objects.filter(person=person).values("meeting_id"))
        | Q(chair=person)
        | Q(secretary=person)
        | Q(pk__in=Decision.objects.filter(responsible=person).values("agenda_item__meeting_id"))
    )


def next_meeting_number(unit, year: AcademicYear) -> int:
    """The number a new meeting of the unit would take in the year (the service takes the same when none is given)."""
    last = Meeting.objects.filter(unit=unit, year=year).order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def meeting_people(unit) -> QuerySet[Person]:
    """Who may chair, speak at or answer for a decision of a unit's meeting: the staff and the unit's own members
    (an external researcher of a lab)."""
    return (
        Person.objects.filter(Q(is_external=False) | Q(memberships__unit=unit))
        .select_related("position")
        .distinct()
        .order_by("last_name", "first_name", "patronymic", "pk")
    )


def attendance_rows(meeting: Meeting) -> list[tuple[Person, bool | None, str]]:
    """(person, present, reason) for everyone in the meeting's attendance, plus members of the unit on the
    meeting's date who are not listed yet (not marked, as at the meeting's creation). Two queries. `present` is
    True, False or None (not marked)."""
    rows: dict[int, tuple[Person, bool | None, str]] = {
        a.person_id: (a.person, a.present, a.absence_reason)
        for a in meeting.attendance.select_related("person", "person__position")
    }
    members = meeting.unit.memberships.active_on(meeting.date).select_related("person", "person__position")
    for membership in members:
        rows.setdefault(membership.person_id, (membership.person, None, ""))
    return sorted(rows.values(), key=lambda row: (row[0].last_name, row[0].first_name, row[0].patronymic, row[0].pk))


def agenda_plan_items(meeting: Meeting) -> QuerySet[PlanItem]:
    """Items an agenda question may link: the unit's plan and the service's plan of the meeting's year."""
    return (
        PlanItem.objects.filter(plan__year_id=meeting.year_id)
        .filter(Q(plan__level=PlanLevel.SERVICE) | Q(plan__level=PlanLevel.UNIT, plan__unit_id=meeting.unit_id))
        .select_related("plan", "plan__unit")
        .order_by("-plan__level", "position", "pk")
    )


def unit_role_holder(unit: Unit, role: str, day: datetime.date) -> Person | None:
    membership = Membership.objects.active_on(day).filter(unit=unit, role=role).select_related("person").first()
    return membership.person if membership else None
