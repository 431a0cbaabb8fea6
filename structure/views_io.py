"""Staff import from CSV/XLSX (upload → preview → confirm) and the XLSX exports of lists (streamed).

Between the preview and the confirmation the checked file waits on the server as a pending import
(structure.importing.stash_pending_import, at most 1 MB); the confirmation form carries its one-time token and the
user's session keeps it too. The confirmation imports exactly the file that was checked, checks it once more, and
runs once: a repeated or parallel confirmation is told the import has already been done and creates nobody.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from metodservice.common import tables, xlsx
from metodservice.common.viewtools import require as _require

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
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv," + tables.XLSX_CONTENT_TYPE}),
    )


def _render_import(
    request: HttpRequest, form: PeopleImportForm, preview: importing.ImportPreview | None = None, token: str = ""
):
    context = {
        "form": form,
        "preview": preview,
        "token": token,
        "columns": resources.PersonImportResource.columns_help(),
        "positions": Position.objects.order_by("name").values_list("name", flat=True),
    }
    return render(request, "structure/people_import.html", context)


@require_http_methods(["GET", "POST"])
def people_import(request: HttpRequest) -> HttpResponse:
    _require(request, "structure.import_people")
    if request.method == "POST" and request.POST.get("confirm"):
        return _confirm_import(request)
    if request.method != "POST":
        return _render_import(request, PeopleImportForm())

    form = PeopleImportForm(request.POST, request.FILES)
    # A new file replaces the previous one.
    importing.discard_pending_import(token=request.session.pop(SESSION_KEY, ""), user_id=request.user.pk)
    if not form.is_valid():
        return _render_import(request, form)
    try:
        preview = importing.preview_people_import(uploaded_file=form.cleaned_data["file"], by=roles_of(request.user))
    except ValidationError as error:
        form.add_error("file", error)
        return _render_import(request, form)
    token = ""
    if preview.is_valid:
        token = importing.stash_pending_import(user_id=request.user.pk, data=preview.data, filename=preview.filename)
        request.session[SESSION_KEY] = token
    return _render_import(request, PeopleImportForm(), preview, token)


def _confirm_import(request: HttpRequest) -> HttpResponse:
    # The form's token names the preview being confirmed; without it (an older page), the session's.
    token = request.POST.get("token") or request.session.get(SESSION_KEY, "")
    try:
        created = importing.confirm_people_import(token=token, user_id=request.user.pk)
    except ValidationError as error:
        code = getattr(error, "code", None)
        if code == "already_imported":
            request.session.pop(SESSION_KEY, None)
            messages.warning(request, error.messages[0])
            return redirect("structure:person_list")
        if code == "expired":
            request.session.pop(SESSION_KEY, None)
            messages.error(request, error.messages[0])
            return redirect("structure:people_import")
        # The database changed since the preview (or the file is no longer valid): show why, row by row.
        for message in error.messages:
            messages.error(request, message)
        try:
            data, filename = importing.load_pending_import(token=token, user_id=request.user.pk)
            preview = importing.preview_data(data=data, filename=filename, by=roles_of(request.user))
        except ValidationError:
            return redirect("structure:people_import")
        finally:
            request.session.pop(SESSION_KEY, None)
            importing.discard_pending_import(token=token, user_id=request.user.pk)
        return _render_import(request, PeopleImportForm(), preview)
    request.session.pop(SESSION_KEY, None)
    messages.success(request, gettext("Imported staff members: %(count)s") % {"count": created})
    return redirect("structure:person_list")


def people_import_template(request: HttpRequest) -> HttpResponse:
    _require(request, "structure.import_people")
    return tables.xlsx_response(importing.people_import_template(), gettext("Staff import template.xlsx"))


def _today_label(day: datetime.date | None = None) -> str:
    return (day or timezone.localdate()).strftime("%d.%m.%Y")


def people_export(request: HttpRequest) -> HttpResponse:
    """The staff list as filtered on the list page (the same GET parameters), streamed."""
    _require(request, "structure.list_people")
    people = PersonFilter(request.GET or None, queryset=selectors.people_list()).qs
    headers, rows = resources.people_table(people)
    filename = gettext("Staff %(date)s.xlsx") % {"date": _today_label()}
    return xlsx.xlsx_response(filename, sheet_title=gettext("Staff"), headers=headers, rows=rows)


def orders_export(request: HttpRequest) -> HttpResponse:
    """The orders the user may see, as filtered on the list page, streamed."""
    _require(request, "structure.list_orders")
    visible = selectors.orders_visible_to(roles_of(request.user))
    headers, rows = resources.orders_table(OrderFilter(request.GET or None, queryset=visible).qs)
    filename = gettext("Orders %(date)s.xlsx") % {"date": _today_label()}
    return xlsx.xlsx_response(filename, sheet_title=gettext("Orders"), headers=headers, rows=rows)


def structure_export(request: HttpRequest) -> HttpResponse:
    """Members of the structure on ?date=YYYY-MM-DD (today when absent or not a date) in the units the structure page
    shows for its search (?q=), streamed."""
    _require(request, "structure.view_structure")
    form = StructureDateForm(request.GET)
    form.is_valid()  # the fields that are valid are kept, whatever the others
    day = form.cleaned_data.get("date") or timezone.localdate()
    if "date" in form.errors:
        messages.warning(request, gettext("The date was not understood; the structure is exported for today."))
    search = " ".join((form.cleaned_data.get("q") or "").split())[: selectors.SEARCH_MAX_LENGTH]
    title = gettext("Structure on %(date)s") % {"date": _today_label(day)}
    headers, rows = resources.structure_table(resources.memberships_on(day, search=search))
    return xlsx.xlsx_response(f"{title}.xlsx", sheet_title=title, headers=headers, rows=rows)
