"""The dissemination of a published experience item: `{% load dissemination %}{% item_dissemination item %}` (the
item's page includes it).

Who visited it (the visits linked to it with the observation filled; a visit the user may open is linked), who
adopted it in their work and who referenced it, with their notes; and, for a staff member who is not its author,
the buttons «внедрил(а) в свою работу» and «ссылался(-ась)» (with a note) or «withdraw my mark», and, for an open
lesson or a master class, «plan a visit». Nothing is shown to a user who may not see it
(experience.view_item_dissemination). Three queries (four when the item's co-authors are not prefetched), whatever
the numbers.
"""

from __future__ import annotations

import rules
from django import template
from django.urls import reverse
from django.utils.http import urlencode

from structure.selectors import roles_of

from ..models import AdoptionKind, ExperienceItem
from ..selectors import visits as selectors

register = template.Library()


@register.inclusion_tag("experience/visits/dissemination_block.html", takes_context=True)
def item_dissemination(context, item: ExperienceItem | None):
    request = context.get("request")
    user = getattr(request, "user", None)
    base = {"request": request, "csrf_token": context.get("csrf_token"), "item": item, "block": None}
    if item is None or user is None or not rules.has_perm("experience.view_item_dissemination", user, item):
        return base
    roles = roles_of(user)
    me = roles.person
    block = selectors.dissemination(item)
    visible: set[int] = set()
    if block.visits and selectors.sees_all_visits(roles):
        visible = {visit.pk for visit in block.visits}
    elif block.visits:
        visible = set(
            selectors.visits_visible_to(roles).filter(pk__in=[v.pk for v in block.visits]).values_list("pk", flat=True)
        )
    own = me is not None and not item.is_external and selectors.is_author(item, me.pk)
    may_mark = not own and rules.has_perm("experience.adopt_item", user, item)
    marks = []
    if may_mark and me is not None:
        mine = {a.kind: a for a in (*block.adopted, *block.referenced) if a.person_id == me.pk}
        marks = [(kind, label, mine.get(kind)) for kind, label in AdoptionKind.choices]
    plan_visit = ""
    if (
        me is not None
        and not own
        and not item.is_external
        and item.kind in selectors.VISITABLE_KINDS
        and rules.has_perm("experience.add_visit", user)
    ):
        plan_visit = f"{reverse('experience:visit_add')}?{urlencode({'item': item.pk})}"
    return {
        **base,
        "block": block,
        "visible_visits": visible,
        "own": own,
        "marks": marks,
        "plan_visit": plan_visit,
        "next": request.get_full_path(),
    }
