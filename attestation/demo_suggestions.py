"""Demo suggestions for deficits on top of the demo diagnostics campaigns (built by the campaigns' and results'
demo parts), through attestation.services.suggestions like a user's click: for each participant with a deficit
whose individual plan for the campaign's year takes items (a draft, returned or being amended), the course (ПК) on
their first deficit goes into the plan — the panel then shows it «в плане». A participant whose plan is submitted
or approved (the `teacher` account's is submitted in planning/demo.py) keeps the panel's explanation instead.

Development only. Call it after the diagnostics demo: `demo_suggestions.build_suggestions_demo(b)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from planning.models import PlanItem

from .selectors import results as results_selectors
from .selectors import suggestions as selectors
from .services import suggestions as services

if TYPE_CHECKING:
    from structure.demo import Builder


def build_suggestions_demo(b: Builder) -> list[PlanItem]:
    """The items added (none when there is no campaign, no deficit or no plan that takes items)."""
    added = []
    for participant in results_selectors.participant_detail().order_by("campaign__starts_on", "pk"):
        panel = selectors.deficit_panel(participant, today=b.today)
        if not panel.deficits or not panel.plan_takes_items:
            continue
        first = panel.deficits[0]
        try:
            added.append(
                services.suggestion_add(
                    participant=participant,
                    kind=selectors.TRAINING,
                    competency_id=first.competency.pk,
                    today=b.today,
                )
            )
        except ValidationError:  # already in the plan
            continue
    return added
