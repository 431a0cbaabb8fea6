"""A person's absence periods (pregnancy, maternity and parental leave, a long sick leave): added, changed and
removed by the deputy or the methodist from the person's page. The periods are personal data: a period answers 404
to whoever may not see the person's personal data (structure.rules: `structure.view_personal_data`), 403 to whoever
sees it but may not change it (the person themself, the director)."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from metodservice.common.periods import format_period
from metodservice.common.viewtools import report as _report
from metodservice.common.viewtools import require as _require

from . import selectors, services
from .forms import AbsenceForm
from .models import AbsencePeriod, Person
from .selectors import roles_of


def _person(request: HttpRequest, pk: int) -> Person:
    person = get_object_or_404(selectors.people_list(), pk=pk)
    if not rules.has_perm("structure.view_person", request.user, person):
        raise Http404
    return person


def _absence(request: HttpRequest, pk: int, absence_pk: int) -> tuple[Person, AbsencePeriod]:
    person = _person(request, pk)
    if not rules.has_perm("structure.view_personal_data", request.user, person):
        raise Http404
    return person, get_object_or_404(AbsencePeriod, pk=absence_pk, person=person)


def _back(person: Person) -> str:
    return f"{person.get_absolute_url()}#absences"


def _form(request: HttpRequest, person: Person, absence: AbsencePeriod | None) -> HttpResponse:
    form = AbsenceForm(request.POST or None, absence=absence)
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_save(person=person, absence=absence, by=roles_of(request.user).person, **form.cleaned_data)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The absence period has been saved."))
            return redirect(_back(person))
    return render(
        request,
        "structure/absence_form.html",
        {"form": form, "person": person, "absence": absence, "cancel_url": _back(person)},
    )


def absence_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    _require(request, "structure.manage_absences", person)
    return _form(request, person, None)


def absence_edit(request: HttpRequest, pk: int, absence_pk: int) -> HttpResponse:
    person, absence = _absence(request, pk, absence_pk)
    _require(request, "structure.manage_absences", person)
    return _form(request, person, absence)


def absence_delete(request: HttpRequest, pk: int, absence_pk: int) -> HttpResponse:
    person, absence = _absence(request, pk, absence_pk)
    _require(request, "structure.manage_absences", person)
    if request.method == "POST":
        try:
            services.absence_delete(absence=absence, by=roles_of(request.user).person)
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("The absence period has been removed."))
        return redirect(_back(person))
    what = f"{absence.get_kind_display()}, {format_period(absence.start, absence.end)}"
    return render(request, "structure/confirm_delete.html", {"object": what, "cancel_url": _back(person)})
