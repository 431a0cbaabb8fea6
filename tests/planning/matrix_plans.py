"""Role-matrix rows of the plan pages (planning/views/plans.py).

World plans (tests/planning/world.py): service_plan approved (owner: the head of the methodological service, whom
this world has not appointed; the deputy and the methodist draft it; teacher_item has the teacher responsible), association_plan submitted by mo_head (the chair approves), council_plan a draft of the chair,
teacher_plan the teacher's individual plan, submitted (mo_head approves). Individual plans are hidden (404) from
those who may not see them; the researcher sees no plan but their lab's. An owner acting on a plan in the wrong
state is sent back to the plan with the reason (302).
"""

from __future__ import annotations

from tests.matrix import STAFF_AND_ADMIN, Case, get, post
from tests.world import STAFF_ROLES

service_plan = lambda w: {"pk": w.service_plan.pk}  # noqa: E731
association_plan = lambda w: {"pk": w.association_plan.pk}  # noqa: E731
council_plan = lambda w: {"pk": w.council_plan.pk}  # noqa: E731
teacher_plan = lambda w: {"pk": w.teacher_plan.pk}  # noqa: E731
association_item = lambda w: {"pk": w.association_plan.pk, "item_pk": w.association_plan.items.get().pk}  # noqa: E731
teacher_plan_item = lambda w: {"pk": w.teacher_plan.pk, "item_pk": w.teacher_plan.items.get().pk}  # noqa: E731
teacher_item = lambda w: {"pk": w.service_plan.pk, "item_pk": w.teacher_item.pk}  # noqa: E731

#: Who sees the teacher's individual plan: the teacher, the head of the teacher's association, the council chair,
#: management and the administrator.
TEACHER_PLAN_HIDDEN = ["secretary", "group_lead", "lab_head", "researcher"]

MATRIX: dict[str, Case] = {
    "planning:plan_list": get([*STAFF_AND_ADMIN, "researcher"]),  # the researcher sees their lab's only
    # the open items of the user's own plans (the dashboard links there); the administrator has none
    "planning:my_items": get([*STAFF_AND_ADMIN, "researcher"]),
    "planning:plan_create": get(STAFF_ROLES),  # every staff member may create their individual plan
    "planning:plan_detail": get(
        ["admin", "director", "deputy", "methodist", "chair", "mo_head", "teacher"],
        teacher_plan,
        hidden=TEACHER_PLAN_HIDDEN,
    ),
    "planning:plan_edit": get(["chair"], council_plan, hidden=["researcher"]),
    "planning:item_add": get(["chair"], council_plan, hidden=["researcher"]),
    # the association plan is submitted: its head is sent back to the plan with the reason
    "planning:item_edit": Case(kwargs=association_item, ok=["mo_head"], ok_status=302, hidden=["researcher"]),
    "planning:item_delete": Case(kwargs=teacher_plan_item, ok=["teacher"], ok_status=302, hidden=TEACHER_PLAN_HIDDEN),
    # the service's plan is owned by the head of the service (none in this world): its responsible teacher marks
    "planning:item_mark": get(["teacher"], teacher_item, hidden=["researcher"]),
    # the council's draft has no items: the service refuses and the chair is sent back to the plan
    "planning:plan_submit": post(["chair"], council_plan, hidden=["researcher"]),
    "planning:plan_approve": post(["chair"], association_plan, hidden=["researcher"]),
    "planning:plan_return": post(
        ["mo_head"], teacher_plan, hidden=TEACHER_PLAN_HIDDEN, data={"comment": "Уточнить сроки"}
    ),
    # drafting the service's plan (deputy, methodist) is not owning it: only the head of the service amends it
    "planning:plan_amend": post([], service_plan, hidden=["researcher"], data={"reason": "Новые задачи"}),
    "planning:execution_stats": get(STAFF_AND_ADMIN),
}
