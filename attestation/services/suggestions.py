"""Adding a suggestion for a deficit to the person's individual plan (one click on the suggestions panel).

Who may add is the rules' business (attestation/rules/suggestions.py: the person and the heads of their
associations). The suggestion is looked up again among those the panel offers now (attestation.selectors.
suggestions), so only what is suggested is added, with its content, direction, form and deadline; the item goes
into the person's individual plan for the campaign's academic year through planning's own service
(planning.services.item_add), the person responsible. Refusals, each a ValidationError with a code, writing nothing:

- `not_suggested`: no such suggestion for this participant today (not a deficit, a mentor or group not offered, a
  lesson done or past, a kind that does not exist);
- `no_individual_plan`: the person has no individual plan for the campaign's year (it is created in planning/);
- `plan_approved`: the plan is approved (it changes only through an amendment, started in planning/);
- `plan_locked`: the plan is submitted for approval (it waits for the approver's decision);
- `already_in_plan`: the plan already holds an item with this content.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from planning.models import Plan, PlanItem, PlanStatus, WorkDirection
from planning.services import plans as plan_services

from ..models import CampaignParticipant
from ..selectors import suggestions as selectors


def _locked_plan(participant: CampaignParticipant) -> Plan:
    plan = selectors.individual_plan(participant)
    if plan is None:
        raise ValidationError(
            _("%(person)s: no individual plan for %(year)s; create it first.")
            % {"person": participant.person.full_name, "year": participant.campaign.year.title},
            code="no_individual_plan",
        )
    plan = Plan.objects.select_for_update().select_related("year").get(pk=plan.pk)
    if plan.status == PlanStatus.APPROVED:
        raise ValidationError(
            _("The individual plan for %(year)s is approved: it changes only through an amendment.")
            % {"year": plan.year.title},
            code="plan_approved",
        )
    if not plan.is_editable:
        raise ValidationError(
            _("The individual plan for %(year)s is waiting for approval and cannot be changed now.")
            % {"year": plan.year.title},
            code="plan_locked",
        )
    return plan


@transaction.atomic
def suggestion_add(
    *,
    participant: CampaignParticipant,
    kind: str,
    competency_id: int | None,
    target_id: int | None = None,
    today: datetime.date,
) -> PlanItem:
    """Add the suggestion (`kind`, the deficit's competency, the mentor/group/lesson `target_id`) to the person's
    individual plan for the campaign's year. `participant` with its person, campaign, year and framework loaded
    (attestation.selectors.results.participant_detail())."""
    plan = _locked_plan(participant)
    suggestion = None
    if kind in selectors.KINDS and competency_id is not None:
        panel = selectors.deficit_panel(participant, today=today)
        suggestion = panel.find(kind, competency_id, target_id)
    if suggestion is None:
        raise ValidationError(
            _("This is not among the suggestions for the deficits of %(person)s: reload the page.")
            % {"person": participant.person.full_name},
            code="not_suggested",
        )
    contents = {selectors.content_key(c) for c in plan.items.values_list("content", flat=True)}
    if suggestion.same_content(contents):
        raise ValidationError(_("The individual plan already holds this item."), code="already_in_plan")
    return plan_services.item_add(
        plan=plan,
        content=suggestion.content,
        direction=WorkDirection.objects.filter(code=suggestion.direction_code).first(),
        form=suggestion.form,
        due_date=suggestion.due_date,
        responsible=[participant.person],
        expected_result=suggestion.expected_result,
    )
