"""Staff import from CSV/XLSX (upload → preview → confirm) and the XLSX exports of lists.

Between the preview and the confirmation the uploaded file's bytes wait in the session (base64, at most 1 MB),
so the confirmation imports exactly the file that was checked; it is checked once more before writing.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from metodservice.viewtools import require as _require

from . import importing, resources, selectors
from .filters import OrderFilter, PersonFilter
from .forms import StructureDateForm
from .models import Position
from .selectors import roles_of

SESSION_KEY = "structure:people_import"


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label=_("Table of staff (CSV or XLSX)"),
        help_text=_("Up to 1 MB. The first row holds the column headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv," + importing.XLSX_CONTENT_TYPE}),
    )


def _render_import(request: HttpRequest, form: PeopleImportForm, preview: importing.ImportPreview | None = None):
    context = {
        "form": form,
        "preview": preview,
        "columns": resources.PersonImportResource.columns_help(),
        "positions": Position.objects.order_by("name").values_list("name", flat=True),
    }
    return render(request, "structure/people_import.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def people_import(request: HttpRequest) -> HttpResponse:
    _require(request, "structure.import_people")
    if request.method == "POST" and request.POST.get("confirm"):
        return _confirm_import(request)
    if request.method != "POST":
        return _render_import(request, PeopleImportForm())

    form = PeopleImportForm(request.POST, request.FILES)
    request.session.pop(SESSION_KEY, None)
    if not form.is_valid():
        return _render_import(request, form)
    uploaded = form.cleaned_data["file"]
    try:
        preview = importing.preview_people_import(uploaded_file=uploaded)
    except ValidationError as error:
        form.add_error("file", error)
        return _render_import(request, form)
    if preview.is_valid:
        request.session[SESSION_KEY] = importing.encode_for_session(uploaded)
    return _render_import(request, PeopleImportForm(), preview)


def _confirm_import(request: HttpRequest) -> HttpResponse:
    try:
        data, filename = importing.decode_from_session(request.session.get(SESSION_KEY))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("structure:people_import")
    try:
        created = importing.apply_people_import(data=data, filename=filename)
    except ValidationError as error:
        # The database changed since the preview (or the file is no longer valid): show why, row by row.
        request.session.pop(SESSION_KEY, None)
        for message in error.messages:
            messages.error(request, message)
        try:
            preview = importing.preview_data(data=data, filename=filename)
        except ValidationError:
            return redirect("structure:people_import")
        return _render_import(request, PeopleImportForm(), preview)
    request.session.pop(SESSION_KEY, None)
    messages.success(request, gettext("Imported staff members: %(count)s") % {"count": created})
    return redirect("structure:person_list")


@login_required
def people_import_template(request: HttpRequest) -> HttpResponse:
    _require(request, "structure.import_people")
    return importing.xlsx_response(importing.people_import_template(), gettext("Staff import template.xlsx"))


def _today_label(day: datetime.date | None = None) -> str:
    return (day or timezone.localdate()).strftime("%d.%m.%Y")


@login_required
def people_export(request: HttpRequest) -> HttpResponse:
    """The staff list as filtered on the list page (the same GET parameters)."""
    _require(request, "structure.list_people")
    people = PersonFilter(request.GET or None, queryset=selectors.people_list()).qs
    data = importing.export_xlsx(
        resources.PersonExportResource(), resources.with_current_memberships(people), sheet_title=gettext("Staff")
    )
    return importing.xlsx_response(data, gettext("Staff %(date)s.xlsx") % {"date": _today_label()})


@login_required
def orders_export(request: HttpRequest) -> HttpResponse:
    """The orders the user may see, as filtered on the list page."""
    _require(request, "structure.list_orders")
    visible = selectors.orders_visible_to(roles_of(request.user))
    orders = OrderFilter(request.GET or None, queryset=visible).qs
    data = importing.export_xlsx(resources.OrderExportResource(), orders, sheet_title=gettext("Orders"))
    return importing.xlsx_response(data, gettext("Orders %(date)s.xlsx") % {"date": _today_label()})


@login_required
def structure_export(request: HttpRequest) -> HttpResponse:
    """Members of the structure on ?date=YYYY-MM-DD (today when absent or not a date)."""
    _require(request, "structure.view_structure")
    day = timezone.localdate()
    if request.GET.get("date"):
        form = StructureDateForm(request.GET)
        if form.is_valid() and form.cleaned_data["date"]:
            day = form.cleaned_data["date"]
        else:
            messages.warning(request, gettext("The date was not understood; the structure is exported for today."))
    title = gettext("Structure on %(date)s") % {"date": _today_label(day)}
    data = importing.export_xlsx(resources.MembershipExportResource(), resources.memberships_on(day), sheet_title=title)
    return importing.xlsx_response(data, f"{title}.xlsx")
