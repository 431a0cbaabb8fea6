"""Views of attestation/: the self-assembling portfolio.

- «Моё портфолио»: the user's portfolios and a new one (title, period); a person's portfolios for those who see the
  person's attestation records.
- A portfolio's page: every entry the portal holds for the period, by section (attestation.selectors.portfolio),
  each with a checkbox — one form saves what is included; the PDF of what is included; the documents uploaded to it
  (downloaded through `portfolio_document`, never from MEDIA_ROOT; deleted after a confirmation page); edit the
  title and period; delete the portfolio (after a confirmation page). While an attestation case that is not
  withdrawn was submitted with the portfolio, the pages offer no deletion of it nor of the documents submitted
  (attestation.services.portfolio refuses them: `portfolio_submitted`) and say why.

A portfolio or a person out of the user's reach answers 404; an action the user may not take 403 (changing is the
portfolio's person's alone: attestation/rules/portfolio.py).
"""

from __future__ import annotations

import datetime

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from metodservice.common import uploads
from metodservice.common.dates import add_years
from metodservice.common.documents import document_response
from metodservice.common.viewtools import report as _report
from metodservice.common.viewtools import require as _require
from structure.models import Person
from structure.selectors import roles_of
from structure.viewtools import me as _me

from ..documents import PORTFOLIO_TEMPLATE, portfolio_context
from ..forms.portfolio import DocumentForm, PortfolioForm
from ..models import Portfolio, PortfolioDocument
from ..selectors import portfolio as selectors
from ..services import portfolio as services

#: Each section's heading on the page and what it says when it has nothing (the PDF leaves empty sections out).
SECTION_TEXTS = {
    "training": (
        gettext_lazy("Professional development"),
        gettext_lazy("No confirmed record of professional development falls within the period."),
    ),
    "plan_items": (
        gettext_lazy("Plan items done"),
        gettext_lazy("No plan item with you among the responsible was done within the period."),
    ),
    "experience": (
        gettext_lazy("Open lessons, master classes, publications"),
        gettext_lazy(
            "Nothing yet: the portal will gather open lessons, master classes and publications here once the "
            "bank of best practice keeps them."
        ),
    ),
    "diagnostics": (
        gettext_lazy("Results of diagnostics"),
        gettext_lazy("Nothing yet: the results of competency diagnostics will appear here once the portal runs them."),
    ),
    "attestation": (
        gettext_lazy("Categories and attestations"),
        gettext_lazy("No qualification category and no attestation decision within the period."),
    ),
    "documents": (
        gettext_lazy("Documents"),
        gettext_lazy("No documents uploaded: add diplomas, letters of thanks and certificates of contests."),
    ),
}

#: The most checkboxes one request may carry (a portfolio lists far fewer entries).
MAX_PICKS = 5000


def _visible(request: HttpRequest, pk: int) -> Portfolio:
    portfolio = get_object_or_404(selectors.portfolio_detail(), pk=pk)
    if not rules.has_perm("attestation.view_portfolio", request.user, portfolio):
        raise Http404
    return portfolio


def _changeable(request: HttpRequest, pk: int, perm: str = "attestation.change_portfolio") -> Portfolio:
    portfolio = _visible(request, pk)
    _require(request, perm, portfolio)
    return portfolio


def _is_me(request: HttpRequest, person_id: int) -> bool:
    me = roles_of(request.user).person
    return me is not None and me.pk == person_id


def _person_url(request: HttpRequest, person_id: int) -> str:
    if _is_me(request, person_id):
        return reverse("attestation:portfolio_mine")
    return reverse("attestation:portfolio_person", kwargs={"pk": person_id})


# ---------------------------------------------------------------- a person's portfolios


def _list_page(request: HttpRequest, person: Person, *, mine: bool) -> HttpResponse:
    context = {
        "person": person,
        "mine": mine,
        "portfolios": selectors.person_portfolios(person),
        "can_add": mine and rules.has_perm("attestation.add_portfolio", request.user),
    }
    return render(request, "attestation/portfolio/list.html", context)


@require_GET
def portfolio_mine(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.view_own_portfolios")
    person = Person.objects.select_related("position").get(pk=_me(request).pk)
    return _list_page(request, person, mine=True)


@require_GET
def portfolio_person(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.staff().select_related("position"), pk=pk)
    if not rules.has_perm("attestation.view_person_portfolios", request.user, person):
        raise Http404
    return _list_page(request, person, mine=_is_me(request, person.pk))


def portfolio_add(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.add_portfolio")
    me = _me(request)
    today = timezone.localdate()
    initial = {"period_start": add_years(today, -5) + datetime.timedelta(days=1), "period_end": today}
    form = PortfolioForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            portfolio = services.portfolio_create(person=me, by=me, **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(
                request,
                _(
                    "The portfolio has been created with everything the portal holds for the period: untick what not to include."
                ),
            )
            return redirect(portfolio)
    return render(
        request,
        "attestation/portfolio/form.html",
        {"form": form, "cancel_url": reverse("attestation:portfolio_mine")},
    )


# ---------------------------------------------------------------- a portfolio


@require_GET
def portfolio_detail(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = _visible(request, pk)
    user = request.user
    can_change = rules.has_perm("attestation.change_portfolio", user, portfolio)
    assembled = selectors.assemble(portfolio)
    hold = selectors.submission_hold(portfolio)
    sections = [
        (section, *SECTION_TEXTS.get(section.key, (section.title, _("Nothing yet.")))) for section in assembled.sections
    ]
    context = {
        "portfolio": portfolio,
        "assembled": assembled,
        "sections": sections,
        "can_change": can_change,
        "can_delete": rules.has_perm("attestation.delete_portfolio", user, portfolio),
        "hold": hold,
        "held_keys": {f"document:{pk}" for pk in hold.documents},
        "person_url": _person_url(request, portfolio.person_id),
        "document_limit": uploads.PORTFOLIO_DOCUMENT.rule(),
    }
    return render(request, "attestation/portfolio/detail.html", context)


@require_POST
def portfolio_picks(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = _changeable(request, pk)
    keys = request.POST.getlist("pick")[:MAX_PICKS]
    try:
        services.picks_save(portfolio=portfolio, by=_me(request), keys=keys)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Your choice has been saved: the PDF prints the entries included."))
    return redirect(portfolio)


@require_GET
def portfolio_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = _visible(request, pk)
    context = portfolio_context(selectors.portfolio_content(portfolio))
    filename = f"{portfolio.title} — {portfolio.person.short_name}.pdf"
    return document_response(request, PORTFOLIO_TEMPLATE, context, filename)


def portfolio_edit(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = _changeable(request, pk)
    form = PortfolioForm(request.POST or None, portfolio=portfolio)
    if request.method == "POST" and form.is_valid():
        try:
            services.portfolio_update(portfolio=portfolio, by=_me(request), **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(portfolio)
    return render(
        request,
        "attestation/portfolio/form.html",
        {"form": form, "portfolio": portfolio, "cancel_url": portfolio.get_absolute_url()},
    )


def portfolio_delete(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = _changeable(request, pk, "attestation.delete_portfolio")
    if request.method == "POST":
        try:
            services.portfolio_delete(portfolio=portfolio, by=_me(request))
        except ValidationError as error:
            _report(request, error)
            return redirect(portfolio)
        messages.success(request, _("The portfolio has been deleted."))
        return redirect(_person_url(request, portfolio.person_id))
    context = {
        "portfolio": portfolio,
        "documents": portfolio.documents.count(),
        "cases": portfolio.cases.count(),
        "hold": selectors.submission_hold(portfolio),
    }
    return render(request, "attestation/portfolio/confirm_delete.html", context)


# ---------------------------------------------------------------- its documents


def portfolio_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    portfolio = _changeable(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(portfolio=portfolio, by=_me(request), **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The document has been uploaded and included in the portfolio."))
            return redirect(reverse("attestation:portfolio_detail", kwargs={"pk": portfolio.pk}) + "#documents")
    return render(request, "attestation/portfolio/document_form.html", {"form": form, "portfolio": portfolio})


def _visible_document(request: HttpRequest, pk: int) -> PortfolioDocument:
    document = get_object_or_404(selectors.document_detail(), pk=pk)
    if not rules.has_perm("attestation.view_portfolio", request.user, document.portfolio):
        raise Http404
    return document


@require_GET
def portfolio_document(request: HttpRequest, pk: int) -> FileResponse:
    """A document of a portfolio, to those who may see the portfolio, always as an attachment."""
    document = _visible_document(request, pk)
    return uploads.attachment_response(document.file, kind=uploads.PORTFOLIO_DOCUMENT, filename=document.title[:100])


def portfolio_document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = _visible_document(request, pk)
    portfolio = document.portfolio
    if not rules.has_perm("attestation.change_portfolio", request.user, portfolio):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.document_delete(document=document, by=_me(request))
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("The document has been deleted."))
        return redirect(reverse("attestation:portfolio_detail", kwargs={"pk": portfolio.pk}) + "#documents")
    held = document.pk in selectors.submitted_document_pks(portfolio)
    return render(request, "attestation/portfolio/document_confirm_delete.html", {"document": document, "held": held})


urls: list[URLPattern] = [
    path("portfolio/", portfolio_mine, name="portfolio_mine"),
    path("portfolio/new/", portfolio_add, name="portfolio_add"),
    path("portfolio/people/<int:pk>/", portfolio_person, name="portfolio_person"),
    path("portfolio/<int:pk>/", portfolio_detail, name="portfolio_detail"),
    path("portfolio/<int:pk>/picks/", portfolio_picks, name="portfolio_picks"),
    path("portfolio/<int:pk>/pdf/", portfolio_pdf, name="portfolio_pdf"),
    path("portfolio/<int:pk>/edit/", portfolio_edit, name="portfolio_edit"),
    path("portfolio/<int:pk>/delete/", portfolio_delete, name="portfolio_delete"),
    path("portfolio/<int:pk>/documents/new/", portfolio_document_add, name="portfolio_document_add"),
    path("portfolio/documents/<int:pk>/", portfolio_document, name="portfolio_document"),
    path("portfolio/documents/<int:pk>/delete/", portfolio_document_delete, name="portfolio_document_delete"),
]
