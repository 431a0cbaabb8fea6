"""Views of attestation/: records — the qualification categories of a person, recorded by the methodist (or the
deputy) from the regional authority's order and shown in the «Аттестация» block of the person's page
(attestation.templatetags.attestation, included by templates/structure/person_detail.html).

A person out of the user's reach answers 404 (the person page's own rule); a category the user may not see 404; an
action the user may not take 403. After a change the user goes back to the person's page, to the block.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from metodservice.common.viewtools import report as _report
from metodservice.common.viewtools import require as _require
from structure.models import Person
from structure.selectors import people_list, roles_of

from ..forms.records import CategoryForm
from ..models import Category
from ..services import records as services


def _visible_person(request: HttpRequest, pk: int) -> Person:
    person = get_object_or_404(people_list(), pk=pk)
    if not rules.has_perm("structure.view_person", request.user, person):
        raise Http404
    return person


def _visible_category(request: HttpRequest, pk: int) -> Category:
    category = get_object_or_404(Category.objects.select_related("person", "person__position"), pk=pk)
    if not rules.has_perm("attestation.view_category", request.user, category):
        raise Http404
    return category


def _back(person: Person) -> str:
    return f"{person.get_absolute_url()}#attestation"


def _form(request: HttpRequest, person: Person, category: Category | None) -> HttpResponse:
    form = CategoryForm(request.POST or None, category=category)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.category_save(
                person=person, category=category, by=roles_of(request.user).person, **form.cleaned_data
            )
        except ValidationError as error:
            _report(request, error, form)
        else:
            until = saved.valid_until
            if until is None:
                text = _("The category has been recorded: in force from %(start)s, without an end date.")
            else:
                text = _("The category has been recorded: in force from %(start)s until %(end)s.")
            messages.success(
                request, text % {"start": f"{saved.set_on:%d.%m.%Y}", "end": f"{until:%d.%m.%Y}" if until else ""}
            )
            return redirect(_back(person))
    return render(
        request,
        "attestation/records/category_form.html",
        {"form": form, "person": person, "category": category, "cancel_url": _back(person)},
    )


def category_add(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = _visible_person(request, person_pk)
    _require(request, "attestation.add_category", person)
    return _form(request, person, None)


def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = _visible_category(request, pk)
    _require(request, "attestation.change_category", category)
    return _form(request, category.person, category)


def category_delete(request: HttpRequest, pk: int) -> HttpResponse:
    category = _visible_category(request, pk)
    _require(request, "attestation.delete_category", category)
    person = category.person
    if request.method == "POST":
        try:
            services.category_delete(category=category, by=roles_of(request.user).person)
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("The category record has been removed."))
        return redirect(_back(person))
    return render(
        request,
        "attestation/records/category_confirm_delete.html",
        {"category": category, "person": person, "cancel_url": _back(person)},
    )


urls: list[URLPattern] = [
    path("people/<int:person_pk>/categories/new/", category_add, name="category_add"),
    path("categories/<int:pk>/edit/", category_edit, name="category_edit"),
    path("categories/<int:pk>/delete/", category_delete, name="category_delete"),
]
