"""Pages of meetings: the list, the protocol (heading, attendance, guests, agenda with СЛУШАЛИ / ВЫСТУПИЛИ / РЕШИЛИ
and votes, decisions), the signatures of the chair and the secretary, and the register of decisions.

Each view fetches its meeting through `_visible_meeting` (404 for what the user may not see), checks the action's
permission (403), calls one service and goes back to the protocol. Once the protocol has a signature,
planning.change_meeting no longer holds: every edit button disappears and every edit URL answers 403.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metodservice.common.history import Related, history_rows
from metodservice.common.viewtools import attempt as _attempt
from metodservice.common.viewtools import page as _page
from metodservice.common.viewtools import report as _report
from metodservice.common.viewtools import require as _require
from metodservice.common.viewtools import safe_next as _safe_next
from structure.models import Unit
from structure.selectors import roles_of
from structure.viewtools import me as _me

from .. import selectors, services, signing
from ..forms.meetings import (
    AgendaEditForm,
    AgendaForm,
    AttendanceForm,
    DecisionFilter,
    DecisionForm,
    DecisionMarkForm,
    GuestForm,
    MeetingCreateForm,
    MeetingEditForm,
    MeetingFilter,
)
from ..models import AgendaItem, Decision, Guest, Meeting
from ..services import guards


def _visible_meeting(request: HttpRequest, pk: int, queryset: QuerySet[Meeting] | None = None) -> Meeting:
    if queryset is None:
        queryset = Meeting.objects.select_related("unit", "year")
    meeting = get_object_or_404(queryset, pk=pk)
    if not rules.has_perm("planning.view_meeting", request.user, meeting):
        raise Http404
    return meeting


def _editable_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = _visible_meeting(request, pk)
    _require(request, "planning.change_meeting", meeting)
    return meeting


def _back(meeting: Meeting, anchor: str = "") -> HttpResponse:
    return redirect(meeting.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def _form_page(request: HttpRequest, form, *, title: str, submit: str, meeting: Meeting | None = None, **extra):
    """The one form page of this module: a title, the form, a submit button, and «Cancel» back to the protocol."""
    cancel = meeting.get_absolute_url() if meeting else reverse("planning:meeting_list")
    context = {"form": form, "title": title, "submit": submit, "meeting": meeting, "cancel_url": cancel, **extra}
    return render(request, "planning/meetings/form.html", context)


# ---------------------------------------------------------------- the list and a new meeting


def meeting_list(request: HttpRequest) -> HttpResponse:
    _require(request, "planning.list_meetings")
    # The current year unless the visitor chose another (or «all»: an empty value), read with the year options.
    meeting_filter = MeetingFilter(
        request.GET, queryset=selectors.meetings_visible_to(roles_of(request.user)), request=request
    )
    return render(
        request,
        "planning/meetings/meeting_list.html",
        {"filter": meeting_filter, "page": _page(request, meeting_filter.qs)},
    )


def _units_run_by(request: HttpRequest) -> QuerySet[Unit]:
    """Units in the structure today where the user may schedule meetings (rules: runs_unit)."""
    units = Unit.objects.active_on(timezone.localdate())
    allowed = [u.pk for u in units if rules.has_perm("planning.add_unit_meeting", request.user, u)]
    return Unit.objects.filter(pk__in=allowed).order_by("name")


def _proposal(request: HttpRequest, units: QuerySet[Unit]) -> dict:
    """The initial unit (asked for with ?unit=, or the only one the user runs), today and the next number."""
    initial = {"date": timezone.localdate()}
    choices = list(units)
    unit = next((u for u in choices if str(u.pk) == request.GET.get("unit")), None)
    if unit is None and len(choices) == 1:
        unit = choices[0]
    year = selectors.current_year()
    if unit is not None:
        initial["unit"] = unit.pk
        if year is not None:
            initial["number"] = selectors.next_meeting_number(unit, year)
    return initial


def meeting_create(request: HttpRequest) -> HttpResponse:
    _require(request, "planning.add_meeting")
    units = _units_run_by(request)
    form = MeetingCreateForm(request.POST or None, units=units, initial=_proposal(request, units))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        year = selectors.academic_year_of(data["date"])
        if year is None:
            form.add_error("date", _("No academic year contains this date. The methodist keeps the academic years."))
        else:
            try:
                meeting = services.meeting_create(
                    unit=data["unit"],
                    year=year,
                    date=data["date"],
                    created_by=_me(request),
                    number=data["number"],
                    time=data["time"],
                    place=data["place"],
                )
            except ValidationError as error:
                _report(request, error, form)
            else:
                messages.success(request, _("The meeting is scheduled. Mark the attendance and add the agenda."))
                return redirect(meeting)
    return _form_page(request, form, title=_("New meeting"), submit=_("Schedule the meeting"))


# ---------------------------------------------------------------- the protocol


def _show_as_signed(snapshot: dict, agenda: list[AgendaItem]) -> None:
    """A signed protocol names people as it was signed: each agenda item and decision gets its frozen names
    (the content cannot change after the first signature, so the snapshot's order is the page's)."""
    for item, frozen in zip(agenda, snapshot.get("agenda", []), strict=False):
        item.frozen_speaker = (frozen.get("speaker") or {}).get("name", "")
        for decision, frozen_decision in zip(item.decisions.all(), frozen.get("decisions", []), strict=False):
            decision.frozen_responsible = frozen_decision["responsible"]["name"]


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk, selectors.meeting_detail(pk))
    attendance = list(meeting.attendance.all())
    agenda = list(meeting.agenda.all())
    if meeting.snapshot is not None:
        _show_as_signed(meeting.snapshot, agenda)
    owned = guards.owned_questions([item.pk for item in agenda]) if meeting.snapshot is None else {}
    for item in agenda:
        item.owner = owned.get(item.pk)  # type: ignore[attr-defined]  # (label, URL) of the app that owns it
    context = {
        "meeting": meeting,
        "frozen": meeting.snapshot,
        "present": [a for a in attendance if a.present is True],
        "absent": [a for a in attendance if a.present is False],
        "not_marked": [a for a in attendance if a.present is None],
        "counts": signing.attendance_counts(attendance),
        "agenda": agenda,
        "guest_form": GuestForm(),
        "today": timezone.localdate(),
        "verification": signing.protocol_verification(meeting),
        "history": history_rows(
            meeting,
            Related("attendance", label=_("Attendance"), name="person"),
            Related("guests", label=_("Guest"), name="name"),
            Related("agenda", name="title"),
            Related("agenda__decisions", name="text"),
        ),
    }
    return render(request, "planning/meetings/meeting_detail.html", context)


def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _editable_meeting(request, pk)
    form = MeetingEditForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Changes saved."))
            return _back(meeting)
    return _form_page(request, form, title=_("Heading of the protocol"), submit=_("Save"), meeting=meeting)


def attendance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _editable_meeting(request, pk)
    form = AttendanceForm(request.POST or None, rows=selectors.attendance_rows(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            rows = form.cleaned_rows(rest_present="rest_present" in request.POST)
            services.attendance_set(meeting=meeting, rows=rows)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Attendance saved."))
            return _back(meeting, "attendance")
    return render(request, "planning/meetings/attendance_form.html", {"form": form, "meeting": meeting})


@require_POST
def guest_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _editable_meeting(request, pk)
    form = GuestForm(request.POST)
    if form.is_valid():
        try:
            services.guest_add(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("Guest added."))
    else:
        messages.error(request, _("Enter the guest's name."))
    return _back(meeting, "guests")


@require_POST
def guest_delete(request: HttpRequest, pk: int, guest_pk: int) -> HttpResponse:
    meeting = _editable_meeting(request, pk)
    guest = get_object_or_404(Guest, pk=guest_pk, meeting=meeting)
    guest.meeting = meeting
    try:
        services.guest_delete(guest=guest)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Guest removed from the protocol."))
    return _back(meeting, "guests")


def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _editable_meeting(request, pk)
    form = AgendaForm(request.POST or None, meeting=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.agenda_add(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Question added to the agenda."))
            return _back(meeting, f"item-{item.pk}")
    return _form_page(request, form, title=_("New question on the agenda"), submit=_("Add"), meeting=meeting)


def _agenda_item(meeting: Meeting, item_pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    item.meeting = meeting
    return item


def agenda_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _editable_meeting(request, pk)
    item = _agenda_item(meeting, item_pk)
    initial = {
        "title": item.title,
        "speaker": item.speaker_id,
        "plan_item": item.plan_item_id,
        "plan": item.plan_id,
        "heard": item.heard,
        "spoke": item.spoke,
        "decided": item.decided,
        "votes_for": item.votes_for,
        "votes_against": item.votes_against,
        "votes_abstained": item.votes_abstained,
    }
    form = AgendaEditForm(request.POST or None, meeting=meeting, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_update(item=item, **form.cleaned_data)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Changes saved."))
            return _back(meeting, f"item-{item.pk}")
    title = _("Question %(number)s of the agenda") % {"number": item.position}
    return _form_page(request, form, title=title, submit=_("Save"), meeting=meeting)


@require_POST
def agenda_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _editable_meeting(request, pk)
    item = _agenda_item(meeting, item_pk)
    try:
        services.agenda_delete(item=item)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Question removed from the agenda with its decisions."))
    return _back(meeting, "agenda")


def decision_add(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _editable_meeting(request, pk)
    item = _agenda_item(meeting, item_pk)
    form = DecisionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_add(agenda_item=item, **form.cleaned_data)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Decision added."))
            return _back(meeting, f"item-{item.pk}")
    title = _("Decision on question %(number)s") % {"number": item.position}
    return _form_page(request, form, title=title, submit=_("Add"), meeting=meeting, agenda_item=item)


@require_POST
def decision_delete(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    meeting = _editable_meeting(request, pk)
    decision = get_object_or_404(
        Decision.objects.select_related("agenda_item"), pk=decision_pk, agenda_item__meeting=meeting
    )
    decision.agenda_item.meeting = meeting
    _attempt(request, lambda: services.decision_delete(decision=decision), _("Decision deleted."))
    return _back(meeting, f"item-{decision.agenda_item_id}")


@require_POST
def protocol_sign(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _visible_meeting(request, pk)
    _require(request, "planning.sign_protocol", meeting)
    _attempt(
        request,
        lambda: services.protocol_sign(meeting=meeting, person=_me(request)),
        lambda signed: (
            _("The protocol is signed by the chair and the secretary; it is now locked.")
            if signed.is_locked
            else _("Your signature is recorded. The protocol waits for the other signature.")
        ),
    )
    return _back(meeting)


# ---------------------------------------------------------------- the register of decisions


def decision_list(request: HttpRequest) -> HttpResponse:
    _require(request, "planning.list_decisions")
    today = timezone.localdate()
    decision_filter = DecisionFilter(
        request.GET or None, queryset=selectors.decisions_register(), request=request, today=today
    )
    return render(
        request,
        "planning/meetings/decision_list.html",
        {"filter": decision_filter, "page": _page(request, decision_filter.qs), "today": today},
    )


def decision_mark(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(selectors.decisions_register(), pk=pk)
    if not rules.has_perm("planning.view_meeting", request.user, decision.agenda_item.meeting):
        raise Http404
    _require(request, "planning.mark_decision", decision)
    form = DecisionMarkForm(request.POST or None, initial={"status": decision.status, "report": decision.report})
    back = _safe_next(request)  # the page the user came from, when it is a path of this site
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_mark(decision=decision, **form.cleaned_data)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The decision's status is saved."))
            return HttpResponseRedirect(back or reverse("planning:decision_list"))
    return render(
        request,
        "planning/meetings/decision_mark.html",
        {"form": form, "decision": decision, "next": back, "today": timezone.localdate()},
    )
