"""Pages of structure/: the structure on a date, people, orders and their lifecycle, creative groups.

Each view fetches its object through a helper that answers 404 for what the user may not see, checks the
action's permission (403), calls one service and redirects.
"""

from __future__ import annotations

from urllib.parse import urlencode

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from metodservice.common.agreement import agree
from metodservice.common.documents import document_response, fixed_pdf_response
from metodservice.common.history import Related, history_rows
from metodservice.common.viewtools import attempt as _attempt
from metodservice.common.viewtools import page as _page
from metodservice.common.viewtools import report as _report
from metodservice.common.viewtools import require as _require

from . import reports, selectors, services
from .filters import OrderFilter, PersonFilter
from .forms import (
    ActionForm,
    ClauseForm,
    CommentForm,
    GroupProposalForm,
    JoinRequestForm,
    OrderForm,
    PersonForm,
    StructureDateForm,
)
from .models import Action, Clause, JoinRequest, JoinRequestStatus, Order, Person, Unit, UnitKind
from .selectors import roles_of
from .services.groups import JoinDecision, JoinOutcome
from .signing import order_verification
from .viewtools import me as _me


def _visible_order(request: HttpRequest, pk: int, related: tuple[str, ...] = ()) -> Order:
    # Visibility as a subquery of bare orders: without the list's counts, which would be computed for every order.
    visible = selectors.orders_visible_to(roles_of(request.user), Order.objects.all()).values("pk")
    found = selectors.order_detail(pk)
    if related:  # select_related() without names would follow every relation
        found = found.select_related(*related)
    return get_object_or_404(found.filter(pk__in=visible))


# ---------------------------------------------------------------- structure


def structure_overview(request: HttpRequest) -> HttpResponse:
    """The structure on a date, by unit: each unit collapsed to its head and the number of its members; one unit
    opened (`?unit=`) lists its members; a search keeps the units whose name or a member's surname holds it. What
    the page reads depends on the number of units, never on the number of memberships."""
    _require(request, "structure.view_structure")
    form = StructureDateForm(request.GET or None)
    today = timezone.localdate()
    day, search, opened_pk = today, "", None
    if form.is_bound:
        form.is_valid()
        cleaned = form.cleaned_data
        day = cleaned.get("date") or today
        search = " ".join((cleaned.get("q") or "").split())[: selectors.SEARCH_MAX_LENGTH]
        opened_pk = cleaned.get("unit")
    units = selectors.structure_overview(day, search=search)
    opened = next((unit for unit in units if unit.pk == opened_pk), None)
    if opened is not None:
        opened.members = selectors.unit_members_on(opened, day)
    kept = {key: value for key, value in (("date", day.isoformat() if day != today else ""), ("q", search)) if value}
    return render(
        request,
        "structure/structure.html",
        {
            "form": form,
            "day": day,
            "search": search,
            "units": units,
            "opened": opened,
            "query": urlencode(kept),
            "is_today": day == today,
            "date_invalid": "date" in form.errors,
        },
    )


def _visible_unit(request: HttpRequest, pk: int) -> Unit:
    unit = get_object_or_404(
        Unit.objects.select_related("proposed_by", "created_by_order", "dissolved_by_order"), pk=pk
    )
    if not rules.has_perm("structure.view_unit", request.user, unit):
        raise Http404
    return unit


def _visible_person(request: HttpRequest, pk: int) -> Person:
    person = get_object_or_404(selectors.people_list(), pk=pk)
    if not rules.has_perm("structure.view_person", request.user, person):
        raise Http404
    return person


def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _visible_unit(request, pk)
    today = timezone.localdate()
    memberships = list(selectors.unit_history(unit))
    me = roles_of(request.user).person
    context = {
        "unit": unit,
        "current": [m for m in memberships if m.start <= today and (m.end is None or m.end > today)],
        "memberships": memberships,
        "names": unit.names.select_related("order").all(),
        "history": history_rows(unit),
        "my_request": unit.join_requests.filter(person=me).first() if me else None,
        "join_form": JoinRequestForm(),
    }
    if unit.kind == UnitKind.CREATIVE_GROUP:
        join_requests = selectors.group_join_requests(unit)
        context["pending_requests"] = [r for r in join_requests if r.status == JoinRequestStatus.PENDING]
        context["decided_requests"] = [r for r in join_requests if r.status != JoinRequestStatus.PENDING]
        context["decider"] = selectors.join_request_decider(unit, today)
    return render(request, "structure/unit_detail.html", context)


# ---------------------------------------------------------------- people


def person_list(request: HttpRequest) -> HttpResponse:
    _require(request, "structure.list_people")
    person_filter = PersonFilter(request.GET or None, queryset=selectors.people_list())
    return render(
        request, "structure/person_list.html", {"filter": person_filter, "page": _page(request, person_filter.qs)}
    )


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_person(request, pk)
    # The date of birth and the absence periods are personal data: shown, and logged, only to whom the rule allows.
    personal = rules.has_perm("structure.view_personal_data", request.user, person)
    return render(
        request,
        "structure/person_detail.html",
        {
            "person": person,
            "memberships": selectors.person_memberships(person),
            "sees_personal_data": personal,
            "absences": list(person.absences.all()) if personal else [],
            # The account (login name) is not shown on the page, so not in its log either.
            "history": history_rows(person, Related("absences", name="kind"), exclude=("user",))
            if personal
            else history_rows(person, exclude=("user", "birth_date")),
        },
    )


def person_create(request: HttpRequest) -> HttpResponse:
    _require(request, "structure.add_person")
    by = roles_of(request.user)
    form = PersonForm(request.POST or None, initial={"is_external": request.GET.get("external") == "1"}, by=by)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_save(by=by, **form.cleaned_data)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Person added: %(name)s.") % {"name": person.full_name})
            return redirect(person)
    return render(request, "structure/person_form.html", {"form": form})


def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_person(request, pk)
    _require(request, "structure.change_person", person)
    by = roles_of(request.user)
    form = PersonForm(request.POST or None, instance=person, by=by)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_save(by=by, person=person, **form.cleaned_data)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(person)
    return render(request, "structure/person_form.html", {"form": form, "person": person})


# ---------------------------------------------------------------- orders


def order_list(request: HttpRequest) -> HttpResponse:
    _require(request, "structure.list_orders")
    order_filter = OrderFilter(request.GET or None, queryset=selectors.orders_visible_to(roles_of(request.user)))
    return render(
        request, "structure/order_list.html", {"filter": order_filter, "page": _page(request, order_filter.qs)}
    )


def order_create(request: HttpRequest) -> HttpResponse:
    _require(request, "structure.add_order")
    form = OrderForm(request.POST or None, author=_me(request))
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_create(
                author=_me(request), approvers=form.cleaned_data["approvers"], **_order_fields(form)
            )
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Draft created. Add the clauses of the order."))
            return redirect(order)
    return render(request, "structure/order_form.html", {"form": form})


def _order_fields(form: OrderForm) -> dict:
    return {key: form.cleaned_data[key] for key in ("title", "preamble", "control_text")}


def order_edit(request: HttpRequest, pk: int) -> HttpResponse:
    order = _visible_order(request, pk)
    _require(request, "structure.change_order", order)
    form = OrderForm(request.POST or None, instance=order)
    if request.method == "POST" and form.is_valid():
        try:
            services.order_update(order=order, approvers=form.cleaned_data["approvers"], **_order_fields(form))
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(order)
    return render(request, "structure/order_form.html", {"form": form, "order": order})


def _people_of(order: Order) -> list[Person]:
    """The people the order's page has read with it: its author, signer, visas, acknowledgements and actions."""
    people = [order.author, order.signer]
    people += [approval.person for approval in order.approvals.all()]
    people += [ack.person for ack in order.acknowledgements.all()]
    people += [action.person for clause in order.clauses.all() for action in clause.actions.all()]
    return [person for person in people if person is not None]


def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _visible_order(request, pk)
    editing = rules.has_perm("structure.change_order", request.user, order)
    return render(
        request,
        "structure/order_detail.html",
        {
            "order": order,
            "me": roles_of(request.user).person,
            **reports.order_page_context(order, editing=editing),
            "clause_form": ClauseForm(),
            "comment_form": CommentForm(),
            "verification": order_verification(order),
            "history": history_rows(
                order,
                Related("clauses", name="position"),
                Related("clauses__actions", name="kind", history_types="+-"),
                Related("approvals", label=_("Visa"), name="person", exclude=("person_name", "person_position")),
                known=_people_of(order),  # read with the order: the log names them without another query
            ),
        },
    )


def order_delete(request: HttpRequest, pk: int) -> HttpResponse:
    order = _visible_order(request, pk)
    _require(request, "structure.delete_order", order)
    if request.method == "POST":
        try:
            services.order_delete(order=order)
        except ValidationError as error:
            _report(request, error)
            return redirect(order)
        messages.success(request, _("The draft has been deleted."))
        return redirect("structure:order_list")
    return render(request, "structure/confirm_delete.html", {"object": order, "cancel_url": order.get_absolute_url()})


@require_POST
def clause_add(request: HttpRequest, pk: int) -> HttpResponse:
    order = _visible_order(request, pk)
    _require(request, "structure.change_order", order)
    form = ClauseForm(request.POST)
    if form.is_valid():
        try:
            services.clause_add(order=order, text=form.cleaned_data["text"])
        except ValidationError as error:
            _report(request, error)
    else:
        messages.error(request, _("Enter the text of the clause."))
    return redirect(order)


def _order_clause(request: HttpRequest, pk: int, clause_pk: int) -> tuple[Order, Clause]:
    order = _visible_order(request, pk)
    clause = get_object_or_404(Clause, pk=clause_pk, order=order)
    _require(request, "structure.change_order", order)
    return order, clause


def clause_edit(request: HttpRequest, pk: int, clause_pk: int) -> HttpResponse:
    order, clause = _order_clause(request, pk, clause_pk)
    form = ClauseForm(request.POST or None, initial={"text": clause.text})
    if request.method == "POST" and form.is_valid():
        try:
            services.clause_update(clause=clause, text=form.cleaned_data["text"])
        except ValidationError as error:
            _report(request, error, form)
        else:
            return redirect(order)
    return render(request, "structure/clause_form.html", {"form": form, "order": order, "clause": clause})


def clause_delete(request: HttpRequest, pk: int, clause_pk: int) -> HttpResponse:
    order, clause = _order_clause(request, pk, clause_pk)
    if request.method == "POST":
        try:
            services.clause_delete(clause=clause)
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("The clause has been deleted."))
        return redirect(order)
    return render(request, "structure/confirm_delete.html", {"object": clause, "cancel_url": order.get_absolute_url()})


def action_add(request: HttpRequest, pk: int, clause_pk: int) -> HttpResponse:
    order, clause = _order_clause(request, pk, clause_pk)
    form = ActionForm(request.POST or None, order=order, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        try:
            services.action_add(clause=clause, **{k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The action has been added and checked against today's structure."))
            return redirect(order)
    return render(request, "structure/action_form.html", {"form": form, "order": order, "clause": clause})


@require_POST
def action_delete(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    order = _visible_order(request, pk)
    action = get_object_or_404(Action, pk=action_pk, clause__order=order)
    _require(request, "structure.change_order", order)
    try:
        services.action_delete(action=action)
    except ValidationError as error:
        _report(request, error)
    return redirect(order)


@require_POST
def order_send(request: HttpRequest, pk: int) -> HttpResponse:
    order = _visible_order(request, pk)
    _require(request, "structure.send_order", order)
    sent = _attempt(
        request,
        lambda: services.order_send(order=order),
        lambda sent: _("The order has been sent: %(status)s.") % {"status": sent.get_status_display()},
    )
    return redirect(sent or order)


@require_POST
def order_visa(request: HttpRequest, pk: int) -> HttpResponse:
    order = _visible_order(request, pk)
    _require(request, "structure.visa_order", order)
    form = CommentForm(request.POST)
    form.is_valid()
    agree = request.POST.get("decision") == "agree"
    _attempt(
        request,
        lambda: services.order_visa(
            order=order, person=_me(request), agree=agree, comment=form.cleaned_data.get("comment", "")
        ),
        _("Visa recorded.") if agree else _("The order has been returned for rework."),
    )
    return redirect(order)


@require_POST
def order_sign(request: HttpRequest, pk: int) -> HttpResponse:
    order = _visible_order(request, pk)
    _require(request, "structure.sign_order", order)
    _attempt(
        request,
        lambda: services.order_sign(order=order, person=_me(request)),
        lambda signed: _("Order No. %(number)s has been signed.") % {"number": signed.registration_number},
    )
    return redirect(order)


@require_POST
def order_return(request: HttpRequest, pk: int) -> HttpResponse:
    order = _visible_order(request, pk)
    _require(request, "structure.return_order", order)
    form = CommentForm(request.POST)
    form.is_valid()
    _attempt(
        request,
        lambda: services.order_return(order=order, person=_me(request), comment=form.cleaned_data.get("comment", "")),
        _("The order has been returned for rework."),
    )
    return redirect(order)


@require_POST
def order_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    order = _visible_order(request, pk)
    _require(request, "structure.acknowledge_order", order)
    _attempt(
        request,
        lambda: services.order_acknowledge(order=order, person=_me(request)),
        _("You have acknowledged the order."),
    )
    return redirect(order)


def order_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    # read once with what the document prints (reports.order_document_context would read it again)
    order = _visible_order(request, pk, related=reports.ORDER_DOCUMENT_RELATED)
    _require(request, "structure.pdf_order", order)
    filename = reports.order_pdf_filename(order)
    if order.is_signed and (stored := fixed_pdf_response(order, filename)):
        return stored
    return document_response(request, reports.ORDER_TEMPLATE, reports.order_context(order), filename)


# ---------------------------------------------------------------- creative groups


def group_list(request: HttpRequest) -> HttpResponse:
    _require(request, "structure.view_structure")
    groups = (
        Unit.objects.filter(kind=UnitKind.CREATIVE_GROUP, dissolved_on__isnull=True)
        .select_related("proposed_by")
        .order_by("created_on", "name")
    )
    return render(request, "structure/group_list.html", {"groups": groups})


def group_propose(request: HttpRequest) -> HttpResponse:
    _require(request, "structure.propose_group")
    form = GroupProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.group_propose(person=_me(request), **form.cleaned_data)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The group has been proposed. Colleagues can now ask to join it."))
            return redirect(unit)
    return render(request, "structure/group_form.html", {"form": form})


@require_POST
def group_join(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _visible_unit(request, pk)
    _require(request, "structure.join_group", unit)
    form = JoinRequestForm(request.POST)
    form.is_valid()
    _attempt(
        request,
        lambda: services.group_join_request(
            unit=unit, person=_me(request), message=form.cleaned_data.get("message", "")
        ),
        _("Your request has been sent to the leader of the group."),
    )
    return redirect(unit)


def _join_decision_message(decision: JoinDecision) -> str:
    """What the leader is told; «включён» / «включена» agrees with the person who asked."""
    person = decision.request.person.full_name
    gender = decision.request.person.grammatical_gender
    order = decision.order
    if decision.outcome == JoinOutcome.ORDER_DRAFTED and order is not None:
        text = agree(
            gender,
            masculine=pgettext(
                "masculine",
                "Request accepted. The draft order «%(title)s» including %(person)s has been prepared; it waits for "
                "%(drafter)s to send it to the director for signing, and %(person)s joins the group once it is signed.",
            ),
            feminine=pgettext(
                "feminine",
                "Request accepted. The draft order «%(title)s» including %(person)s has been prepared; it waits for "
                "%(drafter)s to send it to the director for signing, and %(person)s joins the group once it is signed.",
            ),
            neutral=_(
                "Request accepted. The draft order «%(title)s» including %(person)s has been prepared; it waits for "
                "%(drafter)s to send it to the director for signing, and %(person)s joins the group once it is signed."
            ),
        )
        return text % {"title": order.title, "person": person, "drafter": order.author.short_name}
    if decision.outcome == JoinOutcome.ADDED_TO_REGISTRATION:
        text = agree(
            gender,
            masculine=pgettext(
                "masculine", "Request accepted. %(person)s has been added to the draft order registering the group."
            ),
            feminine=pgettext(
                "feminine", "Request accepted. %(person)s has been added to the draft order registering the group."
            ),
            neutral=_("Request accepted. %(person)s has been added to the draft order registering the group."),
        )
        return text % {"person": person}
    if decision.outcome == JoinOutcome.REGISTRATION_LATER:
        text = agree(
            gender,
            masculine=pgettext(
                "masculine", "Request accepted. %(person)s will be included in the order registering the group."
            ),
            feminine=pgettext(
                "feminine", "Request accepted. %(person)s will be included in the order registering the group."
            ),
            neutral=_("Request accepted. %(person)s will be included in the order registering the group."),
        )
        return text % {"person": person}
    return _("Request declined.")


@require_POST
def join_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    join_request = get_object_or_404(JoinRequest.objects.select_related("unit", "person"), pk=pk)
    _visible_unit(request, join_request.unit_id)
    _require(request, "structure.decide_join_request", join_request)
    accept = request.POST.get("decision") == "accept"
    _attempt(
        request,
        lambda: services.join_request_decide(request=join_request, by=_me(request), accept=accept),
        _join_decision_message,
    )
    return redirect(join_request.unit)


@require_POST
def group_register(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _visible_unit(request, pk)
    _require(request, "structure.register_group", unit)
    order = _attempt(
        request,
        lambda: services.group_registration_order(unit=unit, author=_me(request)),
        _("A draft order registering the group has been created."),
    )
    return redirect(order or unit)
