"""Template tags of attestation/ for pages of the apps below it, which may not import attestation (the layers):
`{% load attestation %}{% attestation_block person %}` puts the «Аттестация» block on the person's page
(templates/structure/person_detail.html). A template is not an import: structure's Python stays free of attestation."""

from __future__ import annotations

import rules
from django import template
from django.utils import timezone

from ..selectors.records import category_record

register = template.Library()


@register.inclusion_tag("attestation/records/person_block.html", takes_context=True)
def attestation_block(context, person) -> dict:
    """The person's categories on today for whoever may see them (attestation.view_categories): for teaching staff,
    and for anyone else who has categories recorded (a teacher who moved to a management post); nothing for anyone
    else or for an external researcher. One query for the categories, at most one for the rule."""
    user = context.get("user")
    if person is None or person.is_external or not rules.has_perm("attestation.view_categories", user, person):
        return {"show": False}
    record = category_record(person, timezone.localdate())
    teaching = person.position is not None and person.position.is_pedagogical
    return {
        "show": teaching or bool(record.rows),
        "person": person,
        "record": record,
        "can_add": rules.has_perm("attestation.add_category", user, person),
        "can_see_portfolios": rules.has_perm("attestation.view_person_portfolios", user, person),
        "can_open_conformity": teaching and rules.has_perm("attestation.open_conformity", user),
    }
