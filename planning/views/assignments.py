"""Pages of the assignments the methodological service answers: the list, a new director's assignment, passing a
decision of the pedagogical council's signed protocol to the service, one assignment with its answer and history,
the answer and the cancelling. Each view checks its rule (403), calls one service and shows what changed."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from metodservice.common.history import history_rows
from metodservice.common.viewtools import page as _page
from metodservice.common.viewtools import report as _report
from metodservice.common.viewtools import require as _require
from structure.viewtools import me as _me

from .. import selectors, services
from ..forms.assignments import AddresseeForm, AnswerForm, AssignmentFilter, AssignmentForm, CancelForm
from ..models import Assignment, Decision


def _data(request: HttpRequest):
    """The form's data on a POST, even an empty one (a form sent blank is answered with its errors)."""
    return request.POST if request.method == "POST" else None


def assignment_list(request: HttpRequest) -> HttpResponse:
    _require(request, "planning.list_assignments")
    today = timezone.localdate()
    found = AssignmentFilter(request.GET, queryset=selectors.assignments_list(), request=request, today=today)
    shown = _page(request, found.qs)
    for assignment in shown:
        assignment.current_state = assignment.state(today)  # type: ignore[attr-defined]
    return render(request, "planning/assignments/assignment_list.html", {"filter": found, "page": shown})


def _submitted(request: HttpRequest, form, call, success: str):
    """A valid POST of `form`: run the service `call`; on success say `success` and return its result, on a refusal
    show it on the form and return None (the page is shown again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call()
    except ValidationError as error:
        _report(request, error, form)
        return None
    messages.success(request, success)
    return result


def _form_page(request: HttpRequest, form, *, title: str, submit: str, cancel_url: str, **extra) -> HttpResponse:
    context = {"form": form, "title": title, "submit": submit, "cancel_url": cancel_url, **extra}
    return render(request, "planning/assignments/form.html", context)


def assignment_create(request: HttpRequest) -> HttpResponse:
    _require(request, "planning.issue_assignment")
    form = AssignmentForm(_data(request))
    assignment = _submitted(
        request,
        form,
        lambda: services.assignment_issue(by=_me(request), **form.cleaned_data),
        _("The assignment is given to the methodological service."),
    )
    if assignment is not None:
        return redirect(assignment)
    return _form_page(
        request,
        form,
        title=_("New assignment to the methodological service"),
        submit=_("Give the assignment"),
        cancel_url=reverse("planning:assignment_list"),
    )


def decision_pass(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision.objects.select_related("agenda_item__meeting__unit", "assignment"), pk=pk)
    meeting = decision.agenda_item.meeting
    if not rules.has_perm("planning.view_meeting", request.user, meeting):
        raise Http404
    _require(request, "planning.pass_decision", decision)
    form = AddresseeForm(_data(request), initial={"deadline": decision.deadline})
    passed = _submitted(
        request,
        form,
        lambda: services.assignment_from_decision(decision=decision, by=_me(request), **form.cleaned_data),
        _("The decision is passed to the methodological service as an assignment."),
    )
    if passed is not None:
        return redirect(meeting.get_absolute_url() + f"#item-{decision.agenda_item_id}")
    return _form_page(
        request,
        form,
        title=_("Pass the decision to the methodological service"),
        submit=_("Pass"),
        cancel_url=meeting.get_absolute_url(),
        decision=decision,
        meeting=meeting,
    )


def _visible(request: HttpRequest, pk: int) -> Assignment:
    if not rules.has_perm("planning.list_assignments", request.user):
        raise Http404
    return get_object_or_404(selectors.assignments_list(), pk=pk)


def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _visible(request, pk)
    assignment.current_state = assignment.state(timezone.localdate())  # type: ignore[attr-defined]
    return render(
        request,
        "planning/assignments/assignment_detail.html",
        {"assignment": assignment, "history": history_rows(assignment)},
    )


def assignment_answer(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _visible(request, pk)
    _require(request, "planning.answer_assignment", assignment)
    form = AnswerForm(
        _data(request),
        assignment=assignment,
        initial={"plan_item": assignment.answer_item_id, "decision": assignment.answer_decision_id},
    )
    answered = _submitted(
        request,
        form,
        lambda: services.assignment_answer(assignment=assignment, by=_me(request), **form.cleaned_data),
        _("The answer to the assignment is saved."),
    )
    if answered is not None:
        return redirect(assignment)
    return _form_page(
        request,
        form,
        title=_("Answer to the assignment"),
        submit=_("Save"),
        cancel_url=assignment.get_absolute_url(),
        assignment=assignment,
    )


def assignment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _visible(request, pk)
    _require(request, "planning.cancel_assignment", assignment)
    form = CancelForm(_data(request))
    withdrawn = _submitted(
        request,
        form,
        lambda: services.assignment_cancel(assignment=assignment, by=_me(request), **form.cleaned_data),
        _("The assignment is cancelled."),
    )
    if withdrawn is not None:
        return redirect(assignment)
    return _form_page(
        request,
        form,
        title=_("Cancel the assignment"),
        submit=_("Cancel the assignment"),
        cancel_url=assignment.get_absolute_url(),
        assignment=assignment,
        danger=True,
    )
