"""Plan pages: the list, creating a plan, the plan page with its items, approval, amendment and execution;
the execution statistics.

Each view fetches the plan through `_visible_plan` (404 for a plan the user may not see), checks the action's rule
(403, with the reason shown on the page), calls one service and redirects to the plan. An owner or an approver who
acts on a plan whose state has changed meanwhile (submitted, approved or returned by someone else) is sent back to
the plan page with the service's message, so they see the new state.
"""

from __future__ import annotations

import datetime

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from metodservice.common.history import Related, history_rows
from metodservice.common.viewtools import attempt as _attempt
from metodservice.common.viewtools import page as _page
from metodservice.common.viewtools import report as _report
from metodservice.common.viewtools import require as _require
from structure.models import Person, signature_form
from structure.selectors import roles_of
from structure.viewtools import me as _me

from .. import selectors, services, signing
from ..filters import PlanFilter
from ..forms.plans import AmendForm, ItemForm, MarkForm, PlanCreateForm, PlanHeaderForm, ReturnForm, StatsYearForm
from ..models import Plan, PlanItem, PlanLevel, PlanVersion, WorkDirection, WorkForm
from ..rules import owns_plan, works_on_plan


def _forbid(request: HttpRequest, reason: str):
    """403 with the reason: the message is shown by the 403 page (base.html renders this request's messages)."""
    messages.error(request, reason)
    raise PermissionDenied(reason)


def _visible_plan(request: HttpRequest, pk: int, queryset=None) -> Plan:
    queryset = queryset if queryset is not None else Plan.objects.select_related("year", "unit", "person")
    plan = get_object_or_404(queryset, pk=pk)
    if not rules.has_perm("planning.view_plan", request.user, plan):
        raise Http404
    return plan


def _not_editable(plan: Plan) -> str:
    return _("The plan is %(status)s and cannot be edited; an approved plan changes only through an amendment.") % {
        "status": plan.get_status_display()
    }


def _editable_plan(request: HttpRequest, pk: int) -> Plan | HttpResponse:
    """The plan when the user may change it now; for an owner of a plan no longer editable, a redirect to the plan
    with the reason; 403 for anyone else."""
    plan = _visible_plan(request, pk)
    if rules.has_perm("planning.change_plan", request.user, plan):
        return plan
    if works_on_plan(request.user, plan):
        messages.error(request, _not_editable(plan))
        return redirect(plan)
    raise PermissionDenied


def _plan_item(plan: Plan, item_pk: int) -> PlanItem:
    item = get_object_or_404(PlanItem.objects.select_related("direction"), pk=item_pk, plan=plan)
    item.plan = plan
    return item


# ---------------------------------------------------------------- the list and a new plan


def plan_list(request: HttpRequest) -> HttpResponse:
    _require(request, "planning.list_plans")
    # The current year unless the request names another (PlanFilter), read with the year options.
    plan_filter = PlanFilter(request.GET, queryset=selectors.plans_visible_to(roles_of(request.user)), request=request)
    page = _page(request, selectors.with_items_total(plan_filter.qs))
    return render(request, "planning/plans/plan_list.html", {"filter": plan_filter, "page": page})


#: The periods of «my items» (my_items): what the dashboard lists, what was left overdue in earlier years, all.
MY_ITEMS_PERIODS = {
    "now": gettext_lazy("due within 14 days or overdue this academic year"),
    "earlier": gettext_lazy("left overdue in earlier academic years"),
    "all": gettext_lazy("all open items"),
}


def my_items(request: HttpRequest) -> HttpResponse:
    """The open items of approved plans the user is responsible for, a page at a time: those the dashboard lists
    (`?period=now`, the default), those left overdue in earlier academic years (`earlier`, where the dashboard
    links), or all of them."""
    _require(request, "planning.list_plans")
    today = timezone.localdate()
    period = request.GET.get("period", "now")
    period = period if period in MY_ITEMS_PERIODS else "now"
    person = roles_of(request.user).person
    items = PlanItem.objects.none()
    if person is not None:
        items = {
            "now": lambda: selectors.my_items_due(person, today=today),
            "earlier": lambda: selectors.my_items_overdue_earlier(person, today=today),
            "all": lambda: selectors.my_open_items(person),
        }[period]()
    page = _page(request, items)
    for item in page.object_list:
        item.overdue = item.is_overdue(today)
    return render(
        request,
        "planning/plans/my_items.html",
        {"page": page, "period": period, "periods": MY_ITEMS_PERIODS.items(), "today": today},
    )


def _creatable_levels(request: HttpRequest) -> list[str]:
    perms = {
        PlanLevel.SERVICE: "planning.add_service_plan",
        PlanLevel.UNIT: "planning.add_unit_plan",
        PlanLevel.INDIVIDUAL: "planning.add_individual_plan",
    }
    return [level for level, perm in perms.items() if rules.has_perm(perm, request.user)]


def plan_create(request: HttpRequest) -> HttpResponse:
    levels = _creatable_levels(request)
    if not levels:
        raise PermissionDenied
    roles = roles_of(request.user)
    current = selectors.current_year()
    form = PlanCreateForm(request.POST or None, roles=roles, levels=levels, current=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                level=data["level"],
                year=data["year"],
                created_by=_me(request),
                unit=data.get("unit"),
                person=roles.person if data["level"] == PlanLevel.INDIVIDUAL else None,
                self_education_theme=data.get("self_education_theme", ""),
                goal=data["goal"],
                tasks=data["tasks"],
                copy_from=data["copy_from"],
            )
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The plan has been created. Add its items, then submit it for approval."))
            return redirect(plan)
    theme = selectors.theme_for(current) if current else None
    stage = theme.stages.filter(year=current).first() if theme else None
    return render(
        request, "planning/plans/plan_create.html", {"form": form, "year": current, "theme": theme, "stage": stage}
    )


# ---------------------------------------------------------------- the plan page


def _version_rows(snapshot: dict, directions: dict[int, str]) -> list[dict]:
    """A frozen version's items for the page: directions and forms by name, dates as dates."""
    forms = dict(WorkForm.choices)
    rows = []
    for row in snapshot.get("items", []):
        rows.append(
            {
                **row,
                "direction": directions.get(row.get("direction"), row.get("direction")),
                "form": forms.get(row.get("form"), row.get("form")),
                "start_date": datetime.date.fromisoformat(row["start_date"]) if row.get("start_date") else None,
                "due_date": datetime.date.fromisoformat(row["due_date"]) if row.get("due_date") else None,
            }
        )
    return rows


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk, selectors.plan_page(pk))
    user, today = request.user, timezone.localdate()
    selectors.remember_structure(plan, today)  # the rules below (owner, approver, editor) ask it once
    me = roles_of(user).person
    owner = owns_plan(user, plan)
    can = {
        "change": rules.has_perm("planning.change_plan", user, plan),
        "submit": rules.has_perm("planning.submit_plan", user, plan),
        "approve": rules.has_perm("planning.approve_plan", user, plan),
        "amend": rules.has_perm("planning.amend_plan", user, plan),
    }
    # planning.mark_item per item, from the prefetched responsible people instead of a query per item.
    items = list(plan.items.all())
    for item in items:
        item.overdue = item.is_overdue(today)
        item.can_mark = plan.is_approved_once and (
            owner or (me is not None and any(p.pk == me.pk for p in item.responsible.all()))
        )
    versions = list(plan.versions.all())
    for version in versions:  # each version's items are on a page of their own (version_detail)
        version.verification = signing.version_verification(version)
    stage = {"stage": plan.stage_name} if plan.theme and plan.stage_name else None
    context = {
        "plan": plan,
        "items": items,
        "overdue_count": sum(item.overdue for item in items),
        "can": can,
        "can_mark_any": any(item.can_mark for item in items),
        "versions": versions,
        # «УТВЕРЖДАЮ» prints the approver as approved (the latest version), never today's name.
        "approved_signature": signature_form(versions[-1].approved_by_name) if versions else "",
        "stage": stage,
        "associations": selectors.plan_person_associations(plan, today),
        "return_form": ReturnForm(),
        "amend_form": AmendForm(),
        # The people and directions the items name are read with them: the log names them without a query.
        "history": history_rows(
            plan,
            Related("items", name="content"),
            known=[p for item in items for p in item.responsible.all()] + [item.direction for item in items],
        ),
    }
    return render(request, "planning/plans/plan_detail.html", context)


@require_GET
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """An approved version's items as they were approved (its frozen snapshot), with the stamp and the stored PDF.
    On a page of its own: a region's plan of 301 items drew every version's items again below its own."""
    plan = _visible_plan(request, pk)
    version = get_object_or_404(PlanVersion, plan=plan, number=number)
    directions = {d.code: str(d) for d in WorkDirection.objects.all()}
    context = {
        "plan": plan,
        "version": version,
        "rows": _version_rows(version.snapshot, directions),
        "verification": signing.version_verification(version),
    }
    return render(request, "planning/plans/version_detail.html", context)


def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    if isinstance(plan, HttpResponse):
        return plan
    form = PlanHeaderForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(
                plan=plan,
                self_education_theme=form.cleaned_data.get("self_education_theme", plan.self_education_theme),
                goal=form.cleaned_data["goal"],
                tasks=form.cleaned_data["tasks"],
            )
        except ValidationError as error:
            _report(request, error)
            return redirect(plan)
        messages.success(request, _("Changes saved."))
        return redirect(plan)
    return render(request, "planning/plans/plan_form.html", {"form": form, "plan": plan})


# ---------------------------------------------------------------- items


def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    if isinstance(plan, HttpResponse):
        return plan
    form = ItemForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_add(plan=plan, **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Item No. %(number)s has been added.") % {"number": item.position})
            if "another" in request.POST:
                return redirect("planning:item_add", pk=plan.pk)
            return redirect(item)
    return render(request, "planning/plans/item_form.html", {"form": form, "plan": plan})


def item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    if isinstance(plan, HttpResponse):
        return plan
    item = _plan_item(plan, item_pk)
    form = ItemForm(request.POST or None, plan=plan, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(item=item, **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(item)
    return render(request, "planning/plans/item_form.html", {"form": form, "plan": plan, "item": item})


def item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    if isinstance(plan, HttpResponse):
        return plan
    item = _plan_item(plan, item_pk)
    if request.method == "POST":
        try:
            services.item_delete(item=item)
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("The item has been deleted."))
        return redirect(plan)
    return render(request, "planning/plans/item_confirm_delete.html", {"plan": plan, "item": item})


def item_mark(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    item = _plan_item(plan, item_pk)
    _require(request, "planning.mark_item", item)
    form = MarkForm(request.POST or None, request.FILES or None, item=item)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_mark(item=item, **form.cleaned_data)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Execution recorded: %(status)s.") % {"status": item.get_status_display()})
            return redirect(item)
    return render(request, "planning/plans/item_mark.html", {"form": form, "plan": plan, "item": item})


# ---------------------------------------------------------------- submission, approval, amendment


def _owner_or_403(request: HttpRequest, perm: str, plan: Plan) -> None:
    """An owner gets on to the service, which names a wrong state; anyone else is refused."""
    if not rules.has_perm(perm, request.user, plan) and not owns_plan(request.user, plan):
        raise PermissionDenied


def _approver_or_403(request: HttpRequest, plan: Plan, *, approving: bool) -> Person:
    """The approver gets on to the service (which says so if the plan was approved or returned meanwhile);
    the owner and anyone else are refused with the reason."""
    person = roles_of(request.user).person
    if rules.has_perm("planning.approve_plan", request.user, plan):
        return person
    if person is not None and person.pk in selectors.approvers_of(plan):
        return person
    if approving and person is not None and (person.pk in selectors.plan_owners(plan) or owns_plan(request.user, plan)):
        _forbid(request, _("You cannot approve your own plan."))
    _forbid(request, _("You are not the approver of this plan."))


@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    _owner_or_403(request, "planning.submit_plan", plan)
    _attempt(
        request,
        lambda: services.plan_submit(plan=plan, person=_me(request)),
        _("The plan has been submitted for approval."),
    )
    return redirect(plan)


@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    person = _approver_or_403(request, plan, approving=True)
    _attempt(
        request,
        lambda: services.plan_approve(plan=plan, person=person),
        lambda approved: _("The plan has been approved (version %(version)s).") % {"version": approved.version},
    )
    return redirect(plan)


@require_POST
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    person = _approver_or_403(request, plan, approving=False)
    form = ReturnForm(request.POST)
    form.is_valid()
    _attempt(
        request,
        lambda: services.plan_return(plan=plan, person=person, comment=form.cleaned_data.get("comment", "")),
        _("The plan has been returned to its owner with your comment."),
    )
    return redirect(plan)


@require_POST
def plan_amend(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    _owner_or_403(request, "planning.amend_plan", plan)
    form = AmendForm(request.POST)
    form.is_valid()
    _attempt(
        request,
        lambda: services.plan_start_amendment(plan=plan, reason=form.cleaned_data.get("reason", "")),
        _("The amendment has started: change the items, then submit the plan for approval again."),
    )
    return redirect(plan)


# ---------------------------------------------------------------- execution statistics


def _execution_rows(rows) -> list[dict]:
    """selectors.Execution rows for the page, each with the standing items (total less cancelled)."""
    return [
        {
            "label": row.label,
            "total": row.total,
            "cancelled": row.cancelled,
            "standing": row.total - row.cancelled,
            "done": row.done,
            "overdue": row.overdue,
            "percent": row.percent,
        }
        for row in rows
    ]


def execution_stats(request: HttpRequest) -> HttpResponse:
    _require(request, "planning.view_stats")
    form = StatsYearForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    year = year or form.fields["year"].current  # from the years the form reads for its options
    today = timezone.localdate()
    context: dict = {"form": form, "year": year}
    if year is not None:
        # The chosen year against the year before: what the page reads does not grow with the years behind it.
        context["by_year"] = _execution_rows(
            selectors.execution_by_year(years=selectors.years_up_to(year, 2), today=today)
        )
        by_direction = selectors.execution_by_direction(year, today=today)
        context |= {
            "by_direction": _execution_rows(by_direction),
            "total": _execution_rows([selectors.execution_total(by_direction, label=_("All directions"))])[0],
            "by_plan": _execution_rows(selectors.execution_by_plan(year, today=today)),
        }
    return render(request, "planning/plans/execution_stats.html", context)
