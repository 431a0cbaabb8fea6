"""Views of attestation/: competency frameworks.

- The list: every framework with its version, whether it is frozen (used in a campaign), its number of competencies
  and of campaigns; the methodist and the deputy create one (empty, or from a CSV file).
- A framework's page: the tree (generalised functions → functions → indicators, with codes) and the level scale;
  its CSV export; for the methodist and the deputy, while it is not frozen, renaming, the scale, adding, editing and
  deleting competencies, importing a CSV file over its tree and deleting the framework (after a confirmation; not
  the last one); on any framework «Создать новую версию» (a copy).

Everyone on the staff sees the frameworks; a researcher is out of reach (404 on a framework, 403 on the list). An
editor who opens an edit page of a frozen framework is sent back to it with the reason; the services refuse a change
to it in any case (`framework_frozen`).
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from metodservice.common.history import Related, history_rows
from metodservice.common.viewtools import attempt as _attempt
from metodservice.common.viewtools import report as _report
from metodservice.common.viewtools import require as _require
from structure.viewtools import me as _me

from ..forms.frameworks import CompetencyForm, FrameworkForm, ImportForm, level_formset
from ..models import Competency, CompetencyFramework, CompetencyKind
from ..rules.frameworks import edits_frameworks
from ..selectors import frameworks as selectors
from ..services import frameworks as services


def _visible(request: HttpRequest, pk: int) -> CompetencyFramework:
    framework = get_object_or_404(selectors.framework_detail(), pk=pk)
    if not rules.has_perm("attestation.view_framework", request.user, framework):
        raise Http404
    return framework


def _editable(request: HttpRequest, framework: CompetencyFramework) -> bool:
    """True if the user may edit it now; an editor facing a frozen framework gets its reason (then False); anyone
    else 403."""
    if rules.has_perm("attestation.change_framework", request.user, framework):
        return True
    if edits_frameworks(request.user):
        messages.error(
            request,
            _("The framework is used in a diagnostics campaign and no longer changes: create a new version of it."),
        )
        return False
    raise PermissionDenied


def _visible_competency(request: HttpRequest, pk: int) -> Competency:
    competency = get_object_or_404(Competency.objects.select_related("framework", "parent"), pk=pk)
    _visible(request, competency.framework_id)
    return competency


# ---------------------------------------------------------------- the list and a framework


@require_GET
def framework_list(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.view_frameworks")
    context = {
        "frameworks": list(selectors.frameworks()),
        "can_add": rules.has_perm("attestation.add_framework", request.user),
    }
    return render(request, "attestation/frameworks/list.html", context)


@require_GET
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _visible(request, pk)
    user = request.user
    rows = selectors.walk(selectors.tree(framework))
    context = {
        "framework": framework,
        "frozen": selectors.is_frozen(framework),
        "rows": rows,
        "counts": {
            kind: sum(1 for _depth, node in rows if node.competency.kind == kind) for kind in CompetencyKind.values
        },
        "can": {
            "change": rules.has_perm("attestation.change_framework", user, framework),
            "copy": rules.has_perm("attestation.copy_framework", user, framework),
            "delete": rules.has_perm("attestation.delete_framework", user, framework),
        },
        "history": history_rows(framework, Related("competencies", name="code", exclude=("position",))),
    }
    return render(request, "attestation/frameworks/detail.html", context)


@require_GET
def framework_export(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _visible(request, pk)
    response = HttpResponse(services.framework_csv(framework), content_type="text/csv; charset=utf-8")
    filename = f"{slugify(framework.name, allow_unicode=True)[:60] or 'framework'}-v{framework.version}.csv"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def framework_create(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.add_framework")
    form = FrameworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            framework = services.framework_create(by=_me(request), **form.cleaned_data)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The framework has been created: add its competencies."))
            return redirect(framework)
    return render(
        request, "attestation/frameworks/form.html", {"form": form, "cancel_url": reverse("attestation:framework_list")}
    )


def framework_edit(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _visible(request, pk)
    if not _editable(request, framework):
        return redirect(framework)
    form = FrameworkForm(request.POST or None, initial={"name": framework.name, "source": framework.source})
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_rename(framework=framework, **form.cleaned_data)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(framework)
    return render(
        request,
        "attestation/frameworks/form.html",
        {"form": form, "framework": framework, "cancel_url": framework.get_absolute_url()},
    )


def framework_levels(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _visible(request, pk)
    if not _editable(request, framework):
        return redirect(framework)
    formset = level_formset(framework, request.POST or None)
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        try:
            services.framework_set_levels(framework=framework, levels=formset.levels())
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The level scale has been saved."))
            return redirect(framework)
    return render(
        request,
        "attestation/frameworks/levels.html",
        {"framework": framework, "formset": formset, "errors": errors},
    )


@require_POST
def framework_copy(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _visible(request, pk)
    _require(request, "attestation.copy_framework", framework)
    copy = _attempt(
        request,
        lambda: services.framework_copy(framework=framework, by=_me(request)),
        lambda copy: _("Version %(version)s has been created: edit it here.") % {"version": copy.version},
    )
    return redirect(copy or framework)


def _import_page(request: HttpRequest, framework: CompetencyFramework | None) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, new=framework is None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.framework_import(
                uploaded_file=data["file"],
                by=_me(request),
                framework=framework,
                name=data.get("name", ""),
                source=data.get("source", ""),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                _report(request, error, form)
            else:
                form.add_error("file", error)
        else:
            messages.success(request, _("The competencies have been imported."))
            return redirect(result)
    cancel = framework.get_absolute_url() if framework else reverse("attestation:framework_list")
    return render(
        request, "attestation/frameworks/import.html", {"form": form, "framework": framework, "cancel_url": cancel}
    )


def framework_import(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.add_framework")
    return _import_page(request, None)


def framework_reimport(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _visible(request, pk)
    if not _editable(request, framework):
        return redirect(framework)
    return _import_page(request, framework)


# ---------------------------------------------------------------- competencies


def _competency_page(
    request: HttpRequest, framework: CompetencyFramework, competency: Competency | None
) -> HttpResponse:
    initial = {}
    if competency is None:
        asked = request.GET.get("parent", "")
        parent = (
            selectors.parent_choices(framework).filter(pk=int(asked)).first()
            if asked.isascii() and asked.isdigit() and len(asked) < 10
            else None
        )
        if parent is not None:
            initial = {"parent": parent.pk, "kind": services.CHILD_KIND[CompetencyKind(parent.kind)]}
        else:
            initial = {"kind": CompetencyKind.GENERALISED}
    parents = selectors.parent_choices(framework, exclude=competency)
    form = CompetencyForm(request.POST or None, parents=parents, competency=competency, initial=initial or None)
    if request.method == "POST" and form.is_valid():
        try:
            if competency is None:
                services.competency_add(framework=framework, **form.service_kwargs())
            else:
                services.competency_update(competency=competency, **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(framework)
    return render(
        request,
        "attestation/frameworks/competency_form.html",
        {"form": form, "framework": framework, "competency": competency},
    )


def competency_add(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _visible(request, pk)
    if not _editable(request, framework):
        return redirect(framework)
    return _competency_page(request, framework, None)


def competency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    competency = _visible_competency(request, pk)
    framework = competency.framework
    if not _editable(request, framework):
        return redirect(framework)
    return _competency_page(request, framework, competency)


def competency_delete(request: HttpRequest, pk: int) -> HttpResponse:
    competency = _visible_competency(request, pk)
    framework = competency.framework
    if not _editable(request, framework):
        return redirect(framework)
    if request.method == "POST":
        _attempt(
            request, lambda: services.competency_delete(competency=competency), _("The competency has been deleted.")
        )
        return redirect(framework)
    has_children = Competency.objects.filter(parent=competency).exists()
    return render(
        request,
        "attestation/frameworks/competency_confirm_delete.html",
        {"competency": competency, "framework": framework, "has_children": has_children},
    )


def framework_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then delete a framework no campaign has used."""
    framework = _visible(request, pk)
    if not _editable(request, framework):
        return redirect(framework)
    if request.method == "POST":
        try:
            services.framework_delete(framework=framework)
        except ValidationError as error:
            _report(request, error)
            return redirect(framework)
        messages.success(request, _("The framework «%(framework)s» has been deleted.") % {"framework": framework})
        return redirect("attestation:framework_list")
    context = {"framework": framework, "competencies": framework.competencies.count()}
    return render(request, "attestation/frameworks/framework_confirm_delete.html", context)


urls: list[URLPattern] = [
    path("frameworks/", framework_list, name="framework_list"),
    path("frameworks/new/", framework_create, name="framework_create"),
    path("frameworks/import/", framework_import, name="framework_import"),
    path("frameworks/<int:pk>/", framework_detail, name="framework_detail"),
    path("frameworks/<int:pk>/edit/", framework_edit, name="framework_edit"),
    path("frameworks/<int:pk>/levels/", framework_levels, name="framework_levels"),
    path("frameworks/<int:pk>/copy/", framework_copy, name="framework_copy"),
    path("frameworks/<int:pk>/delete/", framework_delete, name="framework_delete"),
    path("frameworks/<int:pk>/export/", framework_export, name="framework_export"),
    path("frameworks/<int:pk>/import/", framework_reimport, name="framework_reimport"),
    path("frameworks/<int:pk>/competencies/new/", competency_add, name="competency_add"),
    path("frameworks/competencies/<int:pk>/edit/", competency_edit, name="competency_edit"),
    path("frameworks/competencies/<int:pk>/delete/", competency_delete, name="competency_delete"),
]
