"""Views of attestation/: diagnostics campaigns and assessments.

- The campaigns (the management and the administrator): the list with each campaign's progress, a campaign's page
  (its settings, the totals, every participant with their experts and the status of each task — never the levels —,
  paged by 50), drafting and editing a draft, deleting it (after a confirmation page), opening and closing.
- «My assessments» (everyone on the staff): the user's self-assessments and the participants they assess as an
  expert, with the status of each.
- The assessment form: a level per competency, a comment and an evidence link; «Save draft» and «Submit». Its
  assessor writes it while the campaign is open and its window holds today; a submitted one, or one out of its
  window, is shown read-only. Others who may see it (attestation/rules/campaigns.py) see it read-only.

Something out of the user's reach answers 404; an action the user may not take 403.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from metodservice.common.viewtools import attempt as _attempt
from metodservice.common.viewtools import page as _page
from metodservice.common.viewtools import report as _report
from metodservice.common.viewtools import require as _require
from structure.selectors import roles_of, units_for_choice
from structure.viewtools import me as _me

from ..forms.campaigns import AssessmentForm, CampaignForm
from ..models import (
    AssessmentKind,
    AssessmentStatus,
    CampaignStatus,
    Competency,
    CompetencyKind,
    DiagnosticCampaign,
    Score,
)
from ..selectors import campaigns as selectors
from ..services import campaigns as services


def _visible_campaign(request: HttpRequest, pk: int) -> DiagnosticCampaign:
    campaign = get_object_or_404(selectors.campaign_detail(), pk=pk)
    if not rules.has_perm("attestation.view_campaign", request.user, campaign):
        raise Http404
    return campaign


# ---------------------------------------------------------------- campaigns


@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.list_campaigns")
    page = _page(request, selectors.campaigns_visible_to(roles_of(request.user)))
    page.object_list = selectors.with_progress(page.object_list)
    context = {"page": page, "can_add": rules.has_perm("attestation.add_campaign", request.user)}
    return render(request, "attestation/campaigns/list.html", context)


def _progress_row(participant) -> dict:
    """A participant, their self-assessment task and each expert with their task (from the prefetched rows)."""
    tasks = list(participant.assessments.all())
    own = next((t for t in tasks if t.kind == AssessmentKind.SELF), None)
    by_expert = {t.assessor_id: t for t in tasks if t.kind == AssessmentKind.EXPERT}
    return {
        "participant": participant,
        "self_task": own,
        "experts": [(expert, by_expert.get(expert.pk)) for expert in participant.experts.all()],
    }


@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _visible_campaign(request, pk)
    user = request.user
    today = timezone.localdate()
    page = _page(request, selectors.participant_rows(campaign))
    context = {
        "campaign": campaign,
        "today": today,
        "is_draft": campaign.status == CampaignStatus.DRAFT,
        "is_open": campaign.status == CampaignStatus.OPEN,
        "totals": selectors.progress(campaign),
        "page": page,
        "rows": [_progress_row(participant) for participant in page],
        "can": {
            "change": rules.has_perm("attestation.change_campaign", user, campaign),
            "delete": rules.has_perm("attestation.delete_campaign", user, campaign),
            "open": rules.has_perm("attestation.open_campaign", user, campaign),
            "close": rules.has_perm("attestation.close_campaign", user, campaign),
        },
    }
    return render(request, "attestation/campaigns/detail.html", context)


def campaign_create(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.add_campaign")
    form = CampaignForm(request.POST or None, units=units_for_choice())
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(by=_me(request), **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("The draft campaign has been saved; check who is assessed and open it."))
            return redirect(campaign)
    return render(
        request, "attestation/campaigns/form.html", {"form": form, "cancel_url": reverse("attestation:campaign_list")}
    )


def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _visible_campaign(request, pk)
    if not rules.has_perm("attestation.change_campaign", request.user, campaign):
        if rules.has_perm("attestation.add_campaign", request.user):
            messages.error(request, _("The campaign has been opened: it is no longer edited."))
            return redirect(campaign)
        raise PermissionDenied
    form = CampaignForm(request.POST or None, campaign=campaign, units=units_for_choice())
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(campaign=campaign, by=_me(request), **form.service_kwargs())
        except ValidationError as error:
            _report(request, error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(campaign)
    context = {"form": form, "campaign": campaign, "cancel_url": campaign.get_absolute_url()}
    return render(request, "attestation/campaigns/form.html", context)


def campaign_delete(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _visible_campaign(request, pk)
    _require(request, "attestation.delete_campaign", campaign)
    if request.method == "POST":
        if _attempt(
            request,
            lambda: services.campaign_delete(campaign=campaign, by=_me(request)) or True,
            _("The draft campaign has been deleted."),
        ):
            return redirect("attestation:campaign_list")
        return redirect(campaign)
    return render(request, "attestation/campaigns/confirm_delete.html", {"campaign": campaign})


@require_POST
def campaign_open(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _visible_campaign(request, pk)
    _require(request, "attestation.add_campaign")  # a runner of campaigns hears from the service why not
    _attempt(
        request,
        lambda: services.campaign_open(campaign=campaign, by=_me(request)),
        _("The campaign is open: everyone assessed and every expert has their task."),
    )
    return redirect(campaign)


@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _visible_campaign(request, pk)
    _require(request, "attestation.add_campaign")
    _attempt(
        request,
        lambda: services.campaign_close(campaign=campaign, by=_me(request)),
        _("The campaign is closed."),
    )
    return redirect(campaign)


# ---------------------------------------------------------------- assessments


@require_GET
def assessment_mine(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.view_my_assessments")
    me = _me(request)
    context = {
        "today": timezone.localdate(),
        "own": list(selectors.my_self_assessments(me)[:50]),
        "page": _page(request, selectors.my_expert_assessments(me)),
    }
    return render(request, "attestation/campaigns/mine.html", context)


def _groups(competencies: list[Competency]) -> list[tuple[Competency | None, list[Competency]]]:
    """The assessed competencies under their generalised function (their parent, or the function's parent for an
    indicator), in order."""
    groups: dict[int | None, tuple[Competency | None, list[Competency]]] = {}
    for competency in competencies:
        parent = competency.parent
        if parent is not None and parent.kind != CompetencyKind.GENERALISED and parent.parent is not None:
            parent = parent.parent
        key = parent.pk if parent is not None else None
        groups.setdefault(key, (parent, []))[1].append(competency)
    return list(groups.values())


def assessment_form(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(selectors.assessment_detail(), pk=pk)
    user = request.user
    if not rules.has_perm("attestation.view_assessment", user, assessment):
        raise Http404
    campaign = assessment.participant.campaign
    today = timezone.localdate()
    mine = rules.has_perm("attestation.change_assessment", user, assessment)
    writable = mine and services.writable(assessment, today)
    competencies = list(services.assessed_competencies(campaign.framework).select_related("parent", "parent__parent"))
    scores = list(Score.objects.filter(assessment=assessment))
    scores_by_competency = {score.competency_id: score for score in scores}
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        assessment=assessment,
        competencies=competencies,
        scores=scores,
    )
    if request.method == "POST":
        if not mine:
            raise PermissionDenied
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                services.assessment_save(
                    assessment=assessment, by=_me(request), scores=form.scores(), submit=submit, today=today
                )
            except ValidationError as error:
                _report(request, error, form)
            else:
                if submit:
                    messages.success(request, _("The assessment has been submitted."))
                    return redirect("attestation:assessment_mine")
                messages.success(request, _("The draft has been saved."))
                return redirect(assessment)
    rows = form.rows()
    for pk, row in rows.items():
        row["score"] = scores_by_competency.get(pk)
    context = {
        "assessment": assessment,
        "campaign": campaign,
        "person": assessment.participant.person,
        "form": form,
        "groups": [(parent, [rows[c.pk] for c in members]) for parent, members in _groups(competencies)],
        "levels": campaign.framework.levels,
        "is_self": assessment.kind == AssessmentKind.SELF,
        "submitted": assessment.status == AssessmentStatus.SUBMITTED,
        "writable": writable,
        "mine": mine,
        "today": today,
    }
    return render(request, "attestation/campaigns/assessment.html", context)


urls: list[URLPattern] = [
    path("diagnostics/campaigns/", campaign_list, name="campaign_list"),
    path("diagnostics/campaigns/new/", campaign_create, name="campaign_create"),
    path("diagnostics/campaigns/<int:pk>/", campaign_detail, name="campaign_detail"),
    path("diagnostics/campaigns/<int:pk>/edit/", campaign_edit, name="campaign_edit"),
    path("diagnostics/campaigns/<int:pk>/delete/", campaign_delete, name="campaign_delete"),
    path("diagnostics/campaigns/<int:pk>/open/", campaign_open, name="campaign_open"),
    path("diagnostics/campaigns/<int:pk>/close/", campaign_close, name="campaign_close"),
    path("diagnostics/assessments/", assessment_mine, name="assessment_mine"),
    path("diagnostics/assessments/<int:pk>/", assessment_form, name="assessment_form"),
]
