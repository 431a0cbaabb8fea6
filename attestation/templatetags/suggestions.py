"""The suggestions for a person's deficits on the results page: `{% load suggestions %}{% deficit_suggestions
participant %}` (the results' profile page and attestation:suggestions include it).

For each deficit: a course (ПК) on the competency, mentors, creative groups and open lessons to visit
(attestation.selectors.suggestions), each with «add to the individual plan» for those who may add
(attestation.rules.suggestions); a suggestion already in the plan says so. Nothing is shown to a user who does not
see the participant's results. A fixed number of queries whatever the number of deficits; on the profile page
the results are taken from the page's `profile` rather than read again.
"""

from __future__ import annotations

import rules
from django import template
from django.utils import timezone

from ..selectors import suggestions as selectors

register = template.Library()


@register.inclusion_tag("attestation/suggestions/panel.html", takes_context=True)
def deficit_suggestions(context, participant):
    request = context.get("request")
    base = {"request": request, "csrf_token": context.get("csrf_token"), "participant": participant}
    user = request.user if request is not None else None
    if participant is None or user is None or not rules.has_perm("attestation.view_suggestions", user, participant):
        return {**base, "panel": None}
    profile = context.get("profile")  # the results' profile page has the participant's results already
    results = None
    if profile is not None and getattr(getattr(profile, "participant", None), "pk", None) == participant.pk:
        results = [(row.competency, row.result) for row in profile.rows]
    panel = selectors.deficit_panel(participant, today=timezone.localdate(), results=results)
    return {
        **base,
        "panel": panel,
        "can_add": rules.has_perm("attestation.add_suggestion", user, participant),
        "kinds": selectors.KINDS,
        "next": request.get_full_path(),
    }
