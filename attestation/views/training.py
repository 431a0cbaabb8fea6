"""Views of attestation/: professional development (ПК, переподготовка, стажировка).

- A person's page: their compliance (attestation.schedule.training_compliance on today) and their records — «my
  professional development» for everyone on the staff, any person's for those who see their records.
- A record's page with its scan (downloaded through `training_scan`, never from MEDIA_ROOT), its history and the
  actions the user may take: edit, delete (after a confirmation page), confirm, return with a comment.
- The compliance list of the teaching staff (filtered by unit and status, paginated) and the records waiting for
  confirmation.

A record or a person out of the user's reach answers 404; an action the user may not take 403. An owner who acts on
a record whose state has changed meanwhile (confirmed, say) is sent back to it with the reason.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from metodservice.common import uploads
from metodservice.common.history import history_rows
from metodservice.common.viewtools import attempt as _attempt
from metodservice.common.viewtools import page as _page
from metodservice.common.viewtools import report as _report
from metodservice.common.viewtools import require as _require
from metodservice.common.viewtools import safe_next
from structure.models import Person
from structure.selectors import roles_of
from structure.viewtools import me as _me

from ..forms.training import COMPLIANCE_BADGES, COMPLIANCE_LABELS, ComplianceFilterForm, ReturnForm, TrainingForm
from ..models import TrainingRecord
from ..rules.training import confirms_trainings, is_record_person, owns_record
from ..selectors import training as selectors
from ..services import training as services


def _visible_record(request: HttpRequest, pk: int) -> TrainingRecord:
    record = get_object_or_404(selectors.record_detail(), pk=pk)
    if not rules.has_perm("attestation.view_training", request.user, record):
        raise Http404
    return record


def _is_me(request: HttpRequest, person_id: int) -> bool:
    me = roles_of(request.user).person
    return me is not None and me.pk == person_id


def _person_url(request: HttpRequest, person_id: int) -> str:
    """The page of the person's records: «my professional development» for the user's own."""
    if _is_me(request, person_id):
        return reverse("attestation:training_mine")
    return reverse("attestation:training_person", kwargs={"pk": person_id})


def _labelled(compliance) -> dict:
    return {
        "compliance": compliance,
        "label": COMPLIANCE_LABELS[compliance.status],
        "badge": COMPLIANCE_BADGES[compliance.status],
    }


# ---------------------------------------------------------------- a person's records and compliance


def _person_page(request: HttpRequest, person: Person, *, mine: bool) -> HttpResponse:
    today = timezone.localdate()
    user = request.user
    can_add = rules.has_perm("attestation.add_training_for_others", user) or (
        mine and rules.has_perm("attestation.add_training", user)
    )
    context = {
        "person": person,
        "mine": mine,
        "today": today,
        **_labelled(selectors.person_compliance(person, today)),
        "page": _page(request, selectors.person_trainings(person)),
        "can_add": can_add,
        "can_list": rules.has_perm("attestation.list_training_compliance", user),
    }
    return render(request, "attestation/training/person.html", context)


@require_GET
def training_mine(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.view_own_trainings")
    person = Person.objects.select_related("position").get(pk=_me(request).pk)
    return _person_page(request, person, mine=True)


@require_GET
def training_person(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.staff().select_related("position"), pk=pk)  # researchers have none
    if not rules.has_perm("attestation.view_person_trainings", request.user, person):
        raise Http404
    return _person_page(request, person, mine=_is_me(request, person.pk))


# ---------------------------------------------------------------- a record


@require_GET
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _visible_record(request, pk)
    user = request.user
    can = {
        "change": rules.has_perm("attestation.change_training", user, record),
        "delete": rules.has_perm("attestation.delete_training", user, record),
        "confirm": rules.has_perm("attestation.confirm_training", user, record),
        "return": rules.has_perm("attestation.return_training", user, record),
    }
    context = {
        "record": record,
        "can": can,
        "person_url": _person_url(request, record.person_id),
        "return_form": ReturnForm(),
        "history": history_rows(record),
    }
    return render(request, "attestation/training/detail.html", context)


def training_add(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.add_training")
    me = _me(request)
    for_others = rules.has_perm("attestation.add_training_for_others", request.user)
    initial = {}
    if for_others:
        asked = request.GET.get("person", "")
        initial["person"] = int(asked) if asked.isascii() and asked.isdigit() and len(asked) < 10 else me.pk
    form = TrainingForm(request.POST or None, request.FILES or None, choose_person=for_others, initial=initial)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"] if for_others else me
        try:
            record = services.training_add(person=person, by=me, **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The record has been added and waits for the methodist's confirmation."))
            return redirect(record)
    cancel = _person_url(request, initial.get("person", me.pk))
    return render(request, "attestation/training/form.html", {"form": form, "cancel_url": cancel})


def training_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = _visible_record(request, pk)
    if not rules.has_perm("attestation.change_training", request.user, record):
        if owns_record(request.user, record):
            messages.error(request, _("The record has been confirmed; only the methodist can correct it now."))
            return redirect(record)
        raise PermissionDenied
    form = TrainingForm(request.POST or None, request.FILES or None, record=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_update(
                record=record,
                by=_me(request),
                remove_scan=form.cleaned_data.get("remove_scan", False),
                **form.service_kwargs(),
            )
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(record)
    return render(
        request,
        "attestation/training/form.html",
        {"form": form, "record": record, "cancel_url": record.get_absolute_url()},
    )


def training_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record = _visible_record(request, pk)
    if not rules.has_perm("attestation.delete_training", request.user, record):
        if owns_record(request.user, record):
            messages.error(request, _("A confirmed record is not deleted; ask the methodist to correct it."))
            return redirect(record)
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.training_delete(record=record, by=_me(request))
        except ValidationError as error:
            _report(request, error)
            return redirect(record)
        messages.success(request, _("The record has been deleted."))
        return redirect(_person_url(request, record.person_id))
    return render(request, "attestation/training/confirm_delete.html", {"record": record})


def _confirmer_or_403(request: HttpRequest, perm: str, record: TrainingRecord) -> None:
    """A confirmer gets on to the service, which says so if the record was confirmed or returned meanwhile; the
    record's own person and anyone else are refused."""
    user = request.user
    if rules.has_perm(perm, user, record):
        return
    if confirms_trainings(user) and not is_record_person(user, record):
        return
    raise PermissionDenied


@require_POST
def training_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    record = _visible_record(request, pk)
    _confirmer_or_403(request, "attestation.confirm_training", record)
    _attempt(
        request,
        lambda: services.training_confirm(record=record, by=_me(request)),
        _("The record has been confirmed: it counts for compliance now."),
    )
    return redirect(safe_next(request) or record.get_absolute_url())


@require_POST
def training_return(request: HttpRequest, pk: int) -> HttpResponse:
    record = _visible_record(request, pk)
    _confirmer_or_403(request, "attestation.return_training", record)
    form = ReturnForm(request.POST)
    form.is_valid()
    _attempt(
        request,
        lambda: services.training_return(record=record, by=_me(request), comment=form.cleaned_data.get("comment", "")),
        _("The record has been returned with your comment."),
    )
    return redirect(record)


@require_GET
def training_scan(request: HttpRequest, pk: int) -> FileResponse:
    """The record's scan, to those who may see the record, always as an attachment (metodservice.common.uploads)."""
    record = _visible_record(request, pk)
    if not record.scan:
        raise Http404
    name = _("Training document %(number)s") % {"number": record.pk}
    return uploads.attachment_response(record.scan, kind=uploads.TRAINING_SCAN, filename=name)


# ---------------------------------------------------------------- the lists


@require_GET
def training_compliance(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.list_training_compliance")
    roles, today = roles_of(request.user), timezone.localdate()
    form = ComplianceFilterForm(request.GET or None, units=selectors.units_for_filter(roles, today))
    unit, status = None, ""
    if form.is_valid():
        unit, status = form.cleaned_data["unit"], form.cleaned_data["status"]
    listing = selectors.compliance_list(
        selectors.teaching_staff_visible_to(roles, day=today), today, unit=unit, status=status
    )
    page = _page(request, listing.pks)
    page.object_list = selectors.compliance_rows(list(page), today)  # the records of the page's people only
    selectors.add_units(page.object_list, today)
    for row in page:
        row.label, row.badge = COMPLIANCE_LABELS[row.compliance.status], COMPLIANCE_BADGES[row.compliance.status]
    counts = [
        (key, COMPLIANCE_LABELS[key], COMPLIANCE_BADGES[key], listing.counts.get(key, 0)) for key in selectors.STATUSES
    ]
    context = {
        "form": form,
        "page": page,
        "today": today,
        "counts": counts,
        "status": status,
        "pending": selectors.pending_trainings(roles, day=today).count(),
    }
    return render(request, "attestation/training/compliance.html", context)


@require_GET
def training_pending(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.list_pending_trainings")
    roles, today = roles_of(request.user), timezone.localdate()
    page = _page(request, selectors.pending_trainings(roles, day=today))
    return render(request, "attestation/training/pending.html", {"page": page, "today": today})


urls: list[URLPattern] = [
    path("training/", training_mine, name="training_mine"),
    path("training/new/", training_add, name="training_add"),
    path("training/compliance/", training_compliance, name="training_compliance"),
    path("training/pending/", training_pending, name="training_pending"),
    path("training/people/<int:pk>/", training_person, name="training_person"),
    path("training/<int:pk>/", training_detail, name="training_detail"),
    path("training/<int:pk>/edit/", training_edit, name="training_edit"),
    path("training/<int:pk>/delete/", training_delete, name="training_delete"),
    path("training/<int:pk>/confirm/", training_confirm, name="training_confirm"),
    path("training/<int:pk>/return/", training_return, name="training_return"),
    path("training/<int:pk>/scan/", training_scan, name="training_scan"),
]
