"""Views of attestation/: the conformity attestation's steps (attestation.services.conformity does the work).

The case's own page is the common case page (attestation:case_detail); it shows the conformity panel
(attestation.templatetags.conformity) with the forms below. Pages: opening a case, the представление, the teacher's
acknowledgement (the text, the checkbox confirming it was read and the optional addition), the teacher's information.
POST-only actions from the panel: planning the sitting, recording the decision, acknowledging the extract. The
extract of the protocol as PDF, once the protocol is signed (404 before).

A case out of the user's reach answers 404; an action the user's role may not take 403. A user of the right role
whose action the case's state no longer allows is sent back to the case with the reason (the service's).
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from metodservice.common.documents import document_response
from metodservice.common.viewtools import attempt as _attempt
from metodservice.common.viewtools import report as _report
from metodservice.common.viewtools import require as _require
from structure.viewtools import me as _me

from ..forms.conformity import (
    AcknowledgeForm,
    AdditionForm,
    DecisionForm,
    ExtractAcknowledgeForm,
    OpenForm,
    PresentationForm,
    SittingForm,
)
from ..models import AttestationCase
from ..rules.conformity import is_case_person, is_sitting_officer, manages_conformity
from ..selectors import conformity as selectors
from ..services import conformity as services


def _visible_case(request: HttpRequest, pk: int) -> AttestationCase:
    case = get_object_or_404(selectors.case_detail(), pk=pk)
    if not rules.has_perm("attestation.view_conformity_case", request.user, case):
        raise Http404
    return case


def _employer_or_403(request: HttpRequest, case: AttestationCase) -> None:
    """The methodist or the deputy, on someone else's case (the service says if the state forbids the step)."""
    if not manages_conformity(request.user) or is_case_person(request.user, case):
        raise PermissionDenied


def _person_or_403(request: HttpRequest, case: AttestationCase) -> None:
    if not is_case_person(request.user, case):
        raise PermissionDenied


def _refused(request: HttpRequest, case: AttestationCase, perm: str, message: str) -> HttpResponse | None:
    """A page whose step the case's state no longer allows: back to the case with the reason."""
    if rules.has_perm(perm, request.user, case):
        return None
    messages.error(request, message)
    return redirect(case)


# ---------------------------------------------------------------- opening


def conformity_open(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.open_conformity")
    people = selectors.candidates()
    asked = request.GET.get("person", "")
    initial = {"person": int(asked)} if asked.isascii() and asked.isdigit() and len(asked) < 10 else {}
    form = OpenForm(request.POST or None, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.conformity_open(person=form.cleaned_data["person"], by=_me(request))
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The attestation case has been opened: write the representation next."))
            return redirect(case)
    return render(request, "attestation/conformity/open.html", {"form": form})


# ---------------------------------------------------------------- the представление


def conformity_presentation(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    _employer_or_403(request, case)
    refused = _refused(
        request,
        case,
        "attestation.draft_presentation",
        _("The representation cannot be changed: the teacher has signed it or the case is closed."),
    )
    if refused:
        return refused
    form = PresentationForm(request.POST or None, initial={"text": case.presentation})
    if request.method == "POST" and form.is_valid():
        try:
            services.presentation_save(case=case, by=_me(request), text=form.cleaned_data["text"])
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The representation has been saved: the teacher can now acknowledge it."))
            return redirect(case)
    return render(request, "attestation/conformity/presentation_form.html", {"form": form, "case": case})


def conformity_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    _person_or_403(request, case)
    refused = _refused(
        request,
        case,
        "attestation.acknowledge_presentation",
        _("There is no representation waiting for your signature."),
    )
    if refused:
        return refused
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.presentation_acknowledge(case=case, by=_me(request), on=data["on"], addition=data["addition"])
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("You have acknowledged the representation."))
            return redirect(case)
    return render(request, "attestation/conformity/acknowledge.html", {"form": form, "case": case})


def conformity_addition(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    _person_or_403(request, case)
    refused = _refused(
        request,
        case,
        "attestation.add_teacher_information",
        _("Your information can be added after you acknowledge the representation and until the day of the sitting."),
    )
    if refused:
        return refused
    form = AdditionForm(request.POST or None, initial={"text": case.teacher_addition})
    if request.method == "POST" and form.is_valid():
        try:
            services.addition_save(case=case, by=_me(request), text=form.cleaned_data["text"])
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Your information has been saved."))
            return redirect(case)
    return render(request, "attestation/conformity/addition_form.html", {"form": form, "case": case})


# ---------------------------------------------------------------- the sitting and the decision (from the panel)


@require_POST
def conformity_plan(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    _employer_or_403(request, case)
    form = SittingForm(request.POST, meetings=selectors.open_meetings())
    if not form.is_valid():
        messages.error(request, _("Choose a sitting of the attestation commission."))
        return redirect(case)
    _attempt(
        request,
        lambda: services.sitting_plan(case=case, meeting=form.cleaned_data["meeting"], by=_me(request)),
        _("The question has been put on the agenda of the commission's sitting."),
    )
    return redirect(case)


@require_POST
def conformity_decide(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    user = request.user
    if not (manages_conformity(user) or is_sitting_officer(user, case)) or is_case_person(user, case):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(case)
    data = form.cleaned_data
    _attempt(
        request,
        lambda: services.decision_record(
            case=case,
            by=_me(request),
            decision=data["decision"],
            votes_for=data["votes_for"],
            votes_against=data["votes_against"],
            votes_abstained=data["votes_abstained"],
        ),
        _("The commission's decision has been recorded in the protocol."),
    )
    return redirect(case)


# ---------------------------------------------------------------- the extract


@require_GET
def conformity_extract(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    content = selectors.extract_content(case)
    if content is None:
        raise Http404  # issued once the protocol is signed
    return document_response(
        request,
        "attestation/conformity/extract.html",
        {"e": content, "case": case},
        selectors.extract_filename(case, content),
    )


@require_POST
def conformity_extract_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    _person_or_403(request, case)
    form = ExtractAcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date you received the extract."))
        return redirect(case)
    _attempt(
        request,
        lambda: services.extract_acknowledge(case=case, by=_me(request), on=form.cleaned_data["on"]),
        _("You have acknowledged the extract of the protocol."),
    )
    return redirect(case)


urls: list[URLPattern] = [
    path("conformity/new/", conformity_open, name="conformity_open"),
    path("conformity/<int:pk>/presentation/", conformity_presentation, name="conformity_presentation"),
    path("conformity/<int:pk>/acknowledge/", conformity_acknowledge, name="conformity_acknowledge"),
    path("conformity/<int:pk>/addition/", conformity_addition, name="conformity_addition"),
    path("conformity/<int:pk>/sitting/", conformity_plan, name="conformity_plan"),
    path("conformity/<int:pk>/decision/", conformity_decide, name="conformity_decide"),
    path("conformity/<int:pk>/extract/", conformity_extract, name="conformity_extract"),
    path(
        "conformity/<int:pk>/extract/acknowledge/",
        conformity_extract_acknowledge,
        name="conformity_extract_acknowledge",
    ),
]
