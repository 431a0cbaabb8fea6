"""Permissions of experience/: lesson visits, adoptions and the dissemination of experience.

- Planning a visit and «Мои посещения»: every staff member (not an external researcher), as the visitor.
- Seeing a visit: the visitor and the visited teacher; the heads of the subject associations either belongs to
  today; the methodist, the deputy, the director and the administrator (experience.selectors.visits.sees_visit;
  `visits_visible_to` lists the same). The visited teacher sees the goal only with the observation.
- Changing, cancelling a visit and filling its observation: its visitor, while it is planned (the service refuses
  an observation before the lesson, `visit_not_yet`).
- The visit logs and their XLSX, the report «Распространение опыта»: management, the administrator and the heads of
  subject associations (their associations only).
- An item's dissemination block: staff and the administrator, on a published item. Marking an adoption or a
  reference: staff members on a published item (the service refuses one's own item and a second mark of a kind);
  withdrawing a mark: the one who made it.
"""

from __future__ import annotations

import rules

from structure.rules import is_admin, is_management, is_staff_member
from structure.selectors import roles_of

from ..models import ItemStatus, VisitStatus
from ..selectors import visits as selectors


def _me_id(user) -> int | None:
    person = roles_of(user).person
    return person.pk if person is not None else None


@rules.predicate
def sees_visit(user, visit) -> bool:
    return visit is not None and selectors.sees_visit(roles_of(user), visit)


@rules.predicate
def is_visitor(user, visit) -> bool:
    me = _me_id(user)
    return visit is not None and me is not None and visit.visitor_id == me


@rules.predicate
def visit_planned(user, visit) -> bool:
    return visit is not None and visit.status == VisitStatus.PLANNED


@rules.predicate
def heads_an_association(user) -> bool:
    return bool(selectors.headed_associations(roles_of(user)))


@rules.predicate
def item_published(user, item) -> bool:
    return item is not None and item.status == ItemStatus.PUBLISHED


@rules.predicate
def owns_adoption(user, adoption) -> bool:
    me = _me_id(user)
    return adoption is not None and me is not None and adoption.person_id == me


sees_visit_logs = is_admin | is_management | heads_an_association

rules.add_perm("experience.add_visit", is_staff_member)
rules.add_perm("experience.view_own_visits", is_staff_member)
rules.add_perm("experience.view_visit", sees_visit)
rules.add_perm("experience.change_visit", is_visitor & visit_planned)
rules.add_perm("experience.cancel_visit", is_visitor & visit_planned)
rules.add_perm("experience.fill_visit", is_visitor & visit_planned)
rules.add_perm("experience.list_visits", sees_visit_logs)
rules.add_perm("experience.view_dissemination_report", sees_visit_logs)
rules.add_perm("experience.view_item_dissemination", (is_admin | is_staff_member) & item_published)
rules.add_perm("experience.adopt_item", is_staff_member & item_published)
rules.add_perm("experience.withdraw_adoption", owns_adoption)
