"""Views of attestation/: attestation cases — the pages both kinds share and the steps of the category cases.

- «Аттестация»: the list of the cases the user may open (management, the administrator, the heads of subject
  associations for their members), filtered by kind, status, unit and name, paginated.
- «Моя аттестация»: the user's own cases and the button to apply for a category.
- A case's page: status and dates, the steps the user may take (the ходатайство, the submission with a portfolio,
  the commission's date, the decision; for a conformity case the conformity panel of attestation.templatetags
  .conformity), its documents (upload — the form offers only the kinds the user may add:
  attestation.services.cases.document_kinds —, download, delete after a confirmation page), its history, withdrawal
  after a confirmation page; the portfolio as submitted, as PDF, and the files of its documents as submitted
  (`case_portfolio_document`: whoever sees the case, as attachments; the portfolio keeps them while the case is not
  withdrawn).

A case out of the user's reach answers 404; an action the user may not take 403. A step refused by the service
shows the case again with the reason on the form's fields.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from metodservice.common import uploads
from metodservice.common.documents import document_response
from metodservice.common.history import Related, history_rows
from metodservice.common.viewtools import page as _page
from metodservice.common.viewtools import report as _report
from metodservice.common.viewtools import require as _require
from structure.models import Person
from structure.selectors import roles_of
from structure.viewtools import me as _me

from .. import documents
from ..forms.cases import (
    CaseFilterForm,
    CategoryOpenForm,
    DecisionForm,
    DocumentForm,
    PetitionForm,
    SittingForm,
    SubmitForm,
    WithdrawForm,
)
from ..models import AttestationCase, CaseDecision, CaseDocument, CaseStatus, PortfolioDocument
from ..selectors import cases as selectors
from ..selectors import portfolio as portfolio_selectors
from ..services import cases as services

#: The colour of each status (the text says it, the colour only helps).
STATUS_BADGES = {
    CaseStatus.PLANNED: "text-bg-secondary",
    CaseStatus.DOCUMENTS: "text-bg-info",
    CaseStatus.SUBMITTED: "text-bg-primary",
    CaseStatus.DECIDED: "text-bg-success",
    CaseStatus.WITHDRAWN: "text-bg-light border",
}


def _visible_case(request: HttpRequest, pk: int) -> AttestationCase:
    case = get_object_or_404(selectors.case_detail(), pk=pk)
    if not rules.has_perm("attestation.view_case", request.user, case):
        raise Http404
    return case


def _visible_document(request: HttpRequest, pk: int, document_pk: int) -> CaseDocument:
    case = _visible_case(request, pk)
    document = get_object_or_404(CaseDocument.objects.select_related("uploaded_by"), pk=document_pk, case=case)
    document.case = case
    return document


def _document_kinds(request: HttpRequest, case: AttestationCase) -> tuple[str, ...]:
    """The kinds of document the user may add to the case now (none unless the rules let them add)."""
    me = roles_of(request.user).person
    if me is None or not rules.has_perm("attestation.add_case_document", request.user, case):
        return ()
    return services.document_kinds(case, applicant=me.pk == case.person_id)


def _category_of(case: AttestationCase):
    return getattr(case, "category_set", None)  # the category a granted case set


# ---------------------------------------------------------------- the lists


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.list_cases")
    roles, today = roles_of(request.user), timezone.localdate()
    form = CaseFilterForm(request.GET or None, units=selectors.units_for_filter(roles, today))
    filters: dict = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"kind": data["kind"], "status": data["status"], "unit": data["unit"], "person": data["person"]}
    page = _page(request, selectors.PagedByKeys(selectors.case_list(roles, day=today, **filters)))
    context = {
        "form": form,
        "page": page,
        "badges": STATUS_BADGES,
        "can_open": rules.has_perm("attestation.open_category_case", request.user),
        "can_open_conformity": rules.has_perm("attestation.open_conformity", request.user),
        "has_own": rules.has_perm("attestation.view_own_cases", request.user),
    }
    return render(request, "attestation/cases/list.html", context)


@require_GET
def case_mine(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.view_own_cases")
    me = _me(request)
    context = {
        "cases": selectors.person_cases(me),
        "badges": STATUS_BADGES,
        "can_open": rules.has_perm("attestation.open_category_case", request.user, me),
        "can_list": rules.has_perm("attestation.list_cases", request.user),
    }
    return render(request, "attestation/cases/mine.html", context)


def case_open_category(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.open_category_case")
    me = _me(request)
    roles = roles_of(request.user)
    for_others = roles.is_methodist or roles.is_deputy
    initial = {}
    if for_others:
        asked = request.GET.get("person", "")
        initial["person"] = int(asked) if asked.isascii() and asked.isdigit() and len(asked) < 10 else me.pk
    form = CategoryOpenForm(request.POST or None, choose_person=for_others, initial=initial)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"] if for_others else Person.objects.select_related("position").get(pk=me.pk)
        _require(request, "attestation.open_category_case", person)
        try:
            case = services.category_open(person=person, kind=form.cleaned_data["kind"], by=me)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The case has been opened: prepare the application and the portfolio."))
            return redirect(case)
    return render(request, "attestation/cases/open.html", {"form": form})


# ---------------------------------------------------------------- a case


def _steps(request: HttpRequest, case: AttestationCase) -> dict[str, bool]:
    """The category steps the user may take on the case now."""
    user = request.user
    category = not case.is_conformity and case.is_open
    manage = category and rules.has_perm("attestation.manage_case", user, case)
    documents_stage = case.status == CaseStatus.DOCUMENTS
    submitted = case.status == CaseStatus.SUBMITTED
    return {
        "petition": manage and documents_stage and case.kind in services.NEED_HIGHEST,
        "submit": category and documents_stage and rules.has_perm("attestation.submit_case", user, case),
        "sitting": manage and submitted,
        "decide": manage and submitted and case.sitting_on is not None,
    }


def _detail(request: HttpRequest, case: AttestationCase, bound: dict | None = None) -> HttpResponse:
    """The case's page; `bound`: a step's form with the user's input and the service's refusal on it."""
    user = request.user
    steps = _steps(request, case)
    forms = {
        "petition": PetitionForm(initial={"text": case.petition}),
        "submit": SubmitForm(
            portfolios=selectors.portfolios_of(case.person) if steps["submit"] else None,
            initial={"on": timezone.localdate()},
        ),
        "sitting": SittingForm(initial={"on": case.sitting_on}),
        "decide": DecisionForm(initial={"on": case.sitting_on}),
        "document": DocumentForm(kinds=_document_kinds(request, case)),
        **(bound or {}),
    }
    me = roles_of(user).person
    case_documents = list(case.documents.all())
    person_adds = services.person_adds_documents(case)
    deletable = {
        d.pk
        for d in case_documents
        if case.is_open
        and me is not None
        and d.uploaded_by_id == me.pk
        and (d.uploaded_by_id != case.person_id or person_adds)
    }
    context = {
        "case": case,
        "badges": STATUS_BADGES,
        "steps": steps,
        "forms": forms,
        "documents": case_documents,
        "deletable": deletable,
        "category": _category_of(case),
        "portfolio_documents": portfolio_selectors.case_portfolio_documents(case),
        "can": {
            "withdraw": rules.has_perm("attestation.withdraw_case", user, case),
            "add_document": rules.has_perm("attestation.add_case_document", user, case),
        },
        "sitting_last": (
            services.plus_days(case.submitted_on, services.SITTING_WITHIN_DAYS) if case.submitted_on else None
        ),
        "decision_last": (
            services.plus_days(case.sitting_on, services.DECISION_WITHIN_DAYS) if case.sitting_on else None
        ),
        "history": history_rows(case, Related("documents", name="title")),
    }
    return render(request, "attestation/cases/detail.html", context)


@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible_case(request, pk))


def _step(request: HttpRequest, pk: int, *, perm: str, name: str, form_class, call, success: str) -> HttpResponse:
    """A step posted from the case's page: 403 unless allowed; on the service's refusal the page again with the
    reason on the form."""
    case = _visible_case(request, pk)
    _require(request, perm, case)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(case, form.cleaned_data)
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, success)
            return redirect(case)
    return _detail(request, case, {name: form})


@require_POST
def case_petition(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        perm="attestation.manage_case",
        name="petition",
        form_class=PetitionForm,
        call=lambda case, data: services.petition_save(case=case, by=_me(request), text=data["text"]),
        success=_("The petition has been saved."),
    )


@require_POST
def case_submit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    _require(request, "attestation.submit_case", case)
    form = SubmitForm(request.POST, portfolios=selectors.portfolios_of(case.person))
    if form.is_valid():
        try:
            services.category_submit(
                case=case, by=_me(request), on=form.cleaned_data["on"], portfolio=form.cleaned_data["portfolio"]
            )
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The application has been submitted; the portfolio is kept as submitted."))
            return redirect(case)
    return _detail(request, case, {"submit": form})


@require_POST
def case_sitting(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        perm="attestation.manage_case",
        name="sitting",
        form_class=SittingForm,
        call=lambda case, data: services.sitting_set(case=case, by=_me(request), on=data["on"]),
        success=_("The date of the commission's sitting has been saved."),
    )


@require_POST
def case_decide(request: HttpRequest, pk: int) -> HttpResponse:
    def decide(case, data):
        decided = services.category_decide(
            case=case,
            by=_me(request),
            decision=data["decision"],
            on=data["on"],
            order_number=data["order_number"],
            order_date=data["order_date"],
        )
        if decided.decision == CaseDecision.GRANTED:
            messages.info(request, _("The category has been recorded in the person's record."))

    return _step(
        request,
        pk,
        perm="attestation.manage_case",
        name="decide",
        form_class=DecisionForm,
        call=decide,
        success=_("The decision has been recorded."),
    )


def case_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    _require(request, "attestation.withdraw_case", case)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_withdraw(case=case, by=_me(request), reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The case has been withdrawn."))
            return redirect(case)
    return render(request, "attestation/cases/confirm_withdraw.html", {"case": case, "form": form})


@require_GET
def case_portfolio_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The portfolio as it was submitted with the application (the case's frozen copy, never the live one)."""
    case = _visible_case(request, pk)
    if not case.portfolio_snapshot:
        raise Http404
    name = _("Portfolio as submitted, %(person)s.pdf") % {"person": case.person.short_name}
    context = documents.portfolio_context(case.portfolio_snapshot)
    return document_response(request, documents.PORTFOLIO_TEMPLATE, context, name)


@require_GET
def case_portfolio_document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """A file of the portfolio as submitted, to whoever sees the case, as an attachment: only a document the case's
    frozen portfolio lists, of the portfolio the case links to (404 otherwise, and once a withdrawn case's portfolio
    let it go)."""
    case = _visible_case(request, pk)
    _require(request, "attestation.view_case_document", case)
    if case.portfolio_id is None or document_pk not in portfolio_selectors.snapshot_document_pks(
        case.portfolio_snapshot
    ):
        raise Http404
    document = get_object_or_404(PortfolioDocument, pk=document_pk, portfolio_id=case.portfolio_id)
    return uploads.attachment_response(document.file, kind=uploads.PORTFOLIO_DOCUMENT, filename=document.title[:100])


# ---------------------------------------------------------------- documents


def case_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    _require(request, "attestation.add_case_document", case)
    form = DocumentForm(request.POST or None, request.FILES or None, kinds=_document_kinds(request, case))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_add(case=case, by=_me(request), kind=data["kind"], title=data["title"], file=data["file"])
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The document has been added to the case."))
            return redirect(case)
    return render(request, "attestation/cases/document_form.html", {"case": case, "form": form})


@require_GET
def case_document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    document = _visible_document(request, pk, document_pk)
    _require(request, "attestation.view_case_document", document.case)
    name = _("Attestation case %(case)s, document %(number)s") % {"case": pk, "number": document.pk}
    return uploads.attachment_response(document.file, kind=uploads.CASE_DOCUMENT, filename=name)


def case_document_delete(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    document = _visible_document(request, pk, document_pk)
    if not rules.has_perm("attestation.delete_case_document", request.user, document):
        raise PermissionDenied
    case = document.case
    if request.method == "POST":
        try:
            services.document_delete(document=document, by=_me(request))
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("The document has been deleted."))
        return redirect(case)
    return render(request, "attestation/cases/confirm_document_delete.html", {"case": case, "document": document})


urls: list[URLPattern] = [
    path("cases/", case_list, name="case_list"),
    path("cases/mine/", case_mine, name="case_mine"),
    path("cases/new/category/", case_open_category, name="case_open_category"),
    path("cases/<int:pk>/", case_detail, name="case_detail"),
    path("cases/<int:pk>/petition/", case_petition, name="case_petition"),
    path("cases/<int:pk>/submit/", case_submit, name="case_submit"),
    path("cases/<int:pk>/sitting/", case_sitting, name="case_sitting"),
    path("cases/<int:pk>/decision/", case_decide, name="case_decide"),
    path("cases/<int:pk>/withdraw/", case_withdraw, name="case_withdraw"),
    path("cases/<int:pk>/portfolio.pdf", case_portfolio_pdf, name="case_portfolio_pdf"),
    path(
        "cases/<int:pk>/portfolio/documents/<int:document_pk>/",
        case_portfolio_document,
        name="case_portfolio_document",
    ),
    path("cases/<int:pk>/documents/new/", case_document_add, name="case_document_add"),
    path("cases/<int:pk>/documents/<int:document_pk>/", case_document, name="case_document"),
    path("cases/<int:pk>/documents/<int:document_pk>/delete/", case_document_delete, name="case_document_delete"),
]
