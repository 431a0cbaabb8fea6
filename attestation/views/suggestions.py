"""Views of attestation/: the suggestions for a participant's deficits and adding one to the individual plan.

- `suggestions`: the panel on a page of its own (the results' profile page includes the same panel through
  `{% load suggestions %}{% deficit_suggestions participant %}`), for whoever sees the participant's results.
- `suggestion_add` (POST): adds the chosen suggestion to the person's individual plan for the campaign's year
  (attestation.services.suggestions), for the person and the heads of their associations; back to `next` (a path
  on this site) or to the suggestions page, with the service's refusal as a message.

A participant out of the user's reach answers 404, an action the user may not take 403.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from metodservice.common.viewtools import report as _report
from metodservice.common.viewtools import require as _require
from metodservice.common.viewtools import safe_next
from structure.selectors import roles_of
from structure.viewtools import me as _me

from ..models import CampaignParticipant
from ..selectors import results as results_selectors
from ..services import suggestions as services


def _visible_participant(request: HttpRequest, pk: int) -> CampaignParticipant:
    """The participant, its results read as the user may read them (the suggestions follow the deficits the user
    sees: none from expert levels withheld from the person, no drop from a campaign the user does not see)."""
    participant = get_object_or_404(results_selectors.participant_detail(), pk=pk)
    if not rules.has_perm("attestation.view_suggestions", request.user, participant):
        raise Http404
    results_selectors.readable_profile(roles_of(request.user), participant)
    return participant


def _number(value: str | None) -> int | None:
    """A positive whole number from the form, else None (bad input is refused by the service, never a 500)."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


@require_GET
def suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _visible_participant(request, pk)
    return render(request, "attestation/suggestions/page.html", {"participant": participant})


@require_POST
def suggestion_add(request: HttpRequest, pk: int) -> HttpResponse:
    participant = _visible_participant(request, pk)
    _require(request, "attestation.add_suggestion", participant)
    _me(request)
    back = safe_next(request) or reverse("attestation:suggestions", kwargs={"pk": participant.pk})
    try:
        item = services.suggestion_add(
            participant=participant,
            kind=request.POST.get("kind", ""),
            competency_id=_number(request.POST.get("competency")),
            target_id=_number(request.POST.get("target")),
            today=timezone.localdate(),
        )
    except ValidationError as error:
        _report(request, error)
        return redirect(back)
    messages.success(
        request,
        _("Added to the individual plan for %(year)s as item %(number)s.")
        % {"year": item.plan.year.title, "number": item.position},
    )
    return redirect(back)


urls: list[URLPattern] = [
    path("diagnostics/participants/<int:pk>/suggestions/", suggestions, name="suggestions"),
    path("diagnostics/participants/<int:pk>/suggestions/add/", suggestion_add, name="suggestion_add"),
]
