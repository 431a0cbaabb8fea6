"""Views of attestation/: diagnostics results.

- A person's profile in a campaign (`results_person`, the latest campaign unless `?campaign=`; «my results» for
  one's own): per competency the self level, each expert's level and their median, the flags (a gap of 2 levels or
  more, deficit, drop, strength), the radar (self against the experts' median) and the dynamics over campaigns as
  inline SVG, the deficits with their suggestions; its PDF card.
- A unit's heat map (people × competencies, the experts' medians with colour and number) for management and the
  heads of subject associations; the college summary (distribution per competency, averages over years) and its PDF
  for the pedagogical council; the XLSX export of a campaign's results (or a unit's).

Only submitted assessments count (attestation.selectors.results). A participant out of the user's reach answers 404;
a page the user may not open 403.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.forms.models import ModelChoiceIteratorValue
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import floatformat
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from metodservice.common.documents import document_response
from metodservice.common.viewtools import require as _require
from metodservice.common.xlsx import xlsx_response
from structure.models import Person
from structure.selectors import headed_associations, roles_of

from .. import charts
from ..forms.results import ResultsFilterForm
from ..models import AssessmentStatus, CampaignParticipant
from ..selectors import results as selectors
from ..selectors import suggestions as suggestion_selectors
from ..selectors.people import association_members


def _listed_choices(form: ResultsFilterForm, name: str, objects: list) -> None:
    """The options of the form's `name` select from `objects`, read once by the view: a model choice field reads its
    queryset each time its options are asked for (twice while it renders)."""
    field = form.fields[name]
    field.widget.choices = [(ModelChoiceIteratorValue(obj.pk, obj), field.label_from_instance(obj)) for obj in objects]


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}".replace(".", ",")


# ---------------------------------------------------------------- a person's profile


def _charts(profile: selectors.Profile, dynamics: selectors.Dynamics) -> dict:
    codes = [row.competency.code for row in profile.rows]
    radar = None
    if profile.rows and (profile.self_submitted or profile.has_expert_results):
        radar = charts.radar(
            codes=codes,
            self_levels=[row.result.self_level for row in profile.rows],
            expert_medians=[row.result.median for row in profile.rows],
            top_level=profile.top_level,
            self_label=_("Self-assessment"),
            experts_label=_("Experts (median)"),
            label=_("Profile: self-assessment and the experts' median per competency"),
        )
    line = None
    if dynamics.has_points and len(dynamics.campaigns) > 1:  # a line needs two campaigns; one is the profile above
        line = charts.dynamics(
            campaigns=[label for _pk, label in dynamics.campaigns],
            series=[(code, values) for code, (_name, values) in dynamics.series.items()],
            top_level=profile.top_level,
            label=_("Dynamics: the experts' median of each competency over the campaigns"),
        )
    return {"radar": radar, "dynamics_chart": line}


def _profile_context(request: HttpRequest, participant: CampaignParticipant, participations: list) -> dict:
    """The profile as the user may read it: the drop and the dynamics only from the campaigns among
    `participations` (the person's participations the user sees; every one for management), the person's own
    experts' levels once their self-assessment is in (attestation.selectors.results.experts_withheld)."""
    campaign_ids = {p.campaign_id for p in participations}
    profile = selectors.readable_profile(roles_of(request.user), participant, campaign_ids=campaign_ids)
    if profile.experts_withheld:  # the current campaign's experts' medians wait too
        campaign_ids.discard(participant.campaign_id)
    dynamics = selectors.person_dynamics(
        participant.person_id,
        until=participant.campaign,
        campaign_ids=campaign_ids,
        participations=participations,
        levels=profile.history,
    )
    return {
        "participant": participant,
        "person": participant.person,
        "campaign": participant.campaign,
        "profile": profile,
        "dynamics": dynamics,
        "level_names": selectors.level_names(profile.levels),
        **_charts(profile, dynamics),
    }


def _person_page(request: HttpRequest, person: Person | None, participations: list, *, mine: bool) -> HttpResponse:
    chosen = request.GET.get("campaign", "")
    participant = None
    if participations:
        # Asked for, else the latest campaign with a submitted assessment of the person, else the latest.
        with_results = next((p for p in participations if p.submitted_count), participations[0])
        participant = next((p for p in participations if str(p.campaign_id) == chosen), with_results)
    context = {"mine": mine, "person": person, "participations": participations}
    if participant is not None:
        context.update(_profile_context(request, participant, participations))
        # read among the participations the user sees (the rule attestation.view_suggestions takes that answer)
        participant.seen_by = request.user.pk  # type: ignore[attr-defined]
        context["can_units"] = rules.has_perm("attestation.list_unit_results", request.user)
    return render(request, "attestation/results/person.html", context)


def _participations(request: HttpRequest, person_id: int) -> list[CampaignParticipant]:
    """The person's participations the user may see, the latest campaign first: one query. Each carries what the
    suggestions panel would otherwise ask again: the person's individual plan for the campaign's year
    (suggestions.with_individual_plan) and, for the head of a subject association, whether the person belongs to
    one they head today (`in_headed_association`: the head may add suggestions, attestation.rules.suggestions)."""
    roles = roles_of(request.user)
    participations = (
        selectors.participants_visible_to(roles)
        .filter(person_id=person_id)
        .select_related("person__position", "campaign__framework")
        .annotate(submitted_count=Count("assessments", filter=Q(assessments__status=AssessmentStatus.SUBMITTED)))
    )
    if headed_associations(roles):
        members = association_members(roles, timezone.localdate()).filter(person_id=OuterRef("person_id"))
        participations = participations.annotate(in_headed_association=Exists(members))
    participations = suggestion_selectors.with_individual_plan(participations)
    return list(participations.order_by("-campaign__starts_on", "-campaign_id"))


@require_GET
def results_mine(request: HttpRequest) -> HttpResponse:
    if not rules.has_perm("attestation.view_own_results", request.user):
        raise PermissionDenied
    person = roles_of(request.user).person
    participations = _participations(request, person.pk) if person is not None else []
    return _person_page(request, person, participations, mine=True)


@require_GET
def results_person(request: HttpRequest, pk: int) -> HttpResponse:
    participations = _participations(request, pk)
    if not participations:
        raise Http404
    me = roles_of(request.user).person
    return _person_page(request, participations[0].person, participations, mine=me is not None and me.pk == pk)


@require_GET
def results_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The personal diagnostic card (PDF) of one participation."""
    participant = get_object_or_404(selectors.participant_detail(), pk=pk)
    if not rules.has_perm("attestation.view_results", request.user, participant):
        raise Http404
    context = _profile_context(request, participant, _participations(request, participant.person_id))
    context.update(
        {
            "college": settings.COLLEGE_NAME,
            "today": timezone.localdate(),
            "plan_items": list(selectors.diagnostic_plan_items(participant)),
        }
    )
    name = f"Диагностическая карта {participant.person.short_name} {participant.campaign.year.title}.pdf"
    return document_response(request, "attestation/results/card_pdf.html", context, name.replace("/", "-"))


# ---------------------------------------------------------------- a unit's heat map


def _heat_cells(cells: list[tuple[float | None, str]]) -> SafeString:
    """A heat map row's cells, the median written as the template's `floatformat:"-1"` writes it («—» when none):
    made here at once, a unit of a few hundred people has thousands of cells (each text and class escaped once)."""
    shown: dict[tuple[float | None, str], str] = {}
    parts = []
    for median, css in cells:
        cell = shown.get((median, css))
        if cell is None:
            text = "—" if median is None else floatformat(median, -1)
            cell = shown[(median, css)] = f'<td class="{escape(css)}">{escape(text)}</td>'
        parts.append(cell)
    return mark_safe("".join(parts))  # noqa: S308 — escaped above


@require_GET
def results_units(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.list_unit_results")
    today = timezone.localdate()
    roles = roles_of(request.user)
    campaigns = selectors.campaigns_with_results()
    units = selectors.heat_map_units(roles, today)
    campaign_list, unit_list = list(campaigns), list(units)
    form = ResultsFilterForm(request.GET or None, campaigns=campaigns, units=units)
    _listed_choices(form, "campaign", campaign_list)
    _listed_choices(form, "unit", unit_list)
    campaign = form.chosen("campaign", campaign_list[0] if campaign_list else None)
    unit = form.chosen("unit", unit_list[0] if unit_list else None)
    heat = None
    if campaign is not None and unit is not None:
        _require(request, "attestation.view_unit_results", unit)
        heat = selectors.unit_heat_map(
            campaign,
            person_ids=selectors.unit_member_ids(unit, today),
            withheld=selectors.withheld_participant_ids(roles, campaign),
        )
    top = selectors.top_level(heat.levels) if heat else 3
    rows = []
    if heat is not None:
        rows = [
            (row.participant, [(median, selectors.heat_class(median, top)) for median in row.medians], row.withheld)
            for row in heat.rows
        ]
    context = {
        "form": form,
        "campaign": campaign,
        "unit": unit,
        "heat": heat,
        "rows": rows,
        "lines": [(participant, _heat_cells(cells), withheld) for participant, cells, withheld in rows],
        "today": today,
        "can_college": rules.has_perm("attestation.view_college_results", request.user),
    }
    return render(request, "attestation/results/units.html", context)


# ---------------------------------------------------------------- the college summary


def _college_context(request: HttpRequest) -> dict:
    campaigns = selectors.campaigns_with_results()
    campaign_list = list(campaigns)
    form = ResultsFilterForm(request.GET or None, campaigns=campaigns)
    _listed_choices(form, "campaign", campaign_list)
    campaign = form.chosen("campaign", campaign_list[0] if campaign_list else None)
    summary = selectors.college_summary(campaign) if campaign is not None else None
    chart = None
    if summary is not None and summary.assessed:
        chart = charts.distribution(
            codes=[row.competency.code for row in summary.rows],
            levels=[
                (f"{level['value']} — {level['name']}", [row.counts[index] for row in summary.rows])
                for index, level in enumerate(summary.levels)
            ],
            label=_("How many people the experts put at each level, per competency"),
        )
    return {"form": form, "campaign": campaign, "summary": summary, "chart": chart}


@require_GET
def results_college(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.view_college_results")
    return render(request, "attestation/results/college.html", _college_context(request))


@require_GET
def results_college_pdf(request: HttpRequest) -> HttpResponse:
    _require(request, "attestation.view_college_results")
    context = _college_context(request)
    if context["summary"] is None:
        raise Http404
    context.update({"college": settings.COLLEGE_NAME, "today": timezone.localdate()})
    name = f"Результаты диагностики {context['campaign'].year.title}.pdf"
    return document_response(request, "attestation/results/college_pdf.html", context, name.replace("/", "-"))


# ---------------------------------------------------------------- the export


def results_headers() -> list[str]:
    return [
        _("Person"),
        _("Code"),
        _("Competency"),
        _("Self-assessment"),
        _("Experts' levels"),
        _("Experts' median"),
        _("Previous median"),
        _("Gap of 2 or more"),
        _("Deficit"),
        _("Drop"),
        _("Strength"),
    ]


def results_table_rows(rows: Iterable[dict]) -> Iterator[tuple]:
    """One line a person and competency, as selectors.export_rows gives them."""
    yes = _("yes")
    for row in rows:
        result = row["result"]
        yield (
            row["participant"].person.full_name,
            row["competency"].code,
            row["competency"].name,
            "" if result.self_level is None else result.self_level,
            ", ".join(str(level) for level in result.expert_levels),
            "" if result.median is None else result.median,
            "" if result.previous_median is None else result.previous_median,
            yes if result.gap else "",
            yes if result.deficit else "",
            yes if result.dropped else "",
            yes if result.strength else "",
        )


@require_GET
def results_xlsx(request: HttpRequest) -> HttpResponse:
    """A campaign's results, one row per person and competency: the whole college for management, a unit's
    members (`?unit=`) for whoever may open its heat map."""
    _require(request, "attestation.list_unit_results")
    today = timezone.localdate()
    roles = roles_of(request.user)
    campaigns = selectors.campaigns_with_results()
    units = selectors.heat_map_units(roles, today)
    form = ResultsFilterForm(request.GET or None, campaigns=campaigns, units=units)
    campaign = form.chosen("campaign", campaigns.first())
    unit = form.chosen("unit", None)
    if campaign is None:
        raise Http404
    if unit is None:
        _require(request, "attestation.view_college_results")
        person_ids = None
    else:
        _require(request, "attestation.view_unit_results", unit)
        person_ids = selectors.unit_person_ids(unit, today)
    _competencies, rows = selectors.export_rows(
        campaign, person_ids=person_ids, withheld=selectors.withheld_participant_ids(roles, campaign)
    )
    name = f"Результаты диагностики {campaign.year.title}{' ' + unit.name if unit else ''}.xlsx"
    return xlsx_response(
        name.replace("/", "-"),
        sheet_title=_("Diagnostics results"),
        headers=results_headers(),
        rows=results_table_rows(rows),
    )


urls: list[URLPattern] = [
    path("results/", results_mine, name="results_mine"),
    path("results/person/<int:pk>/", results_person, name="results_person"),
    path("results/participant/<int:pk>/card.pdf", results_card, name="results_card"),
    path("results/units/", results_units, name="results_units"),
    path("results/college/", results_college, name="results_college"),
    path("results/college/summary.pdf", results_college_pdf, name="results_college_pdf"),
    path("results/export/", results_xlsx, name="results_xlsx"),
]
