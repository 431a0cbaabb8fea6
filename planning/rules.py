"""Who may do what in planning/. Unit roles come from the user's memberships today (structure.selectors.roles_of)."""

import rules
from django.utils import timezone

from structure.models import ASSOCIATION_KINDS, MemberRole, Membership, UnitKind
from structure.rules import has_person, is_admin, is_director, is_drafter, is_management, is_staff_member
from structure.selectors import roles_of

from .models import EDITABLE_PLAN_STATUSES, SUBMITTED_PLAN_STATUSES, PlanLevel, PlanStatus
from .selectors import approvers_of, meetings_concerning, plan_owners


def _person(user):
    return roles_of(user).person


@rules.predicate
def heads_a_unit(user) -> bool:
    return any(role == MemberRole.HEAD for _kind, role in roles_of(user).units.values())


@rules.predicate
def is_teacher_or_staff(user) -> bool:
    return roles_of(user).is_staff_member


@rules.predicate
def is_council_chair(user) -> bool:
    return roles_of(user).is_council_chair


@rules.predicate
def is_association_head(user) -> bool:
    return roles_of(user).is_association_head


# ---------------------------------------------------------------- plans


@rules.predicate
def heads_the_service(user) -> bool:
    """The head of the methodological service today, appointed by the director's order (regulation 4.1)."""
    return roles_of(user).holds(UnitKind.SERVICE, MemberRole.HEAD)


@rules.predicate
def owns_plan(user, plan) -> bool:
    """selectors.plan_owners: the teacher, the unit's head, the head of the methodological service."""
    person = _person(user)
    if person is None or plan is None:
        return False
    if plan.level == PlanLevel.SERVICE:
        return heads_the_service(user)  # the same answer as plan_owners, from the roles already loaded
    if plan.level == PlanLevel.UNIT:
        # plan_owners' answer from the roles already loaded: the author, the submitter, the unit's head today.
        return person.pk in {plan.created_by_id, plan.submitted_by_id} or roles_of(user).heads(plan.unit_id)
    return person.pk in plan_owners(plan)


@rules.predicate
def drafts_service_plan(user, plan) -> bool:
    """The deputy and the methodist draft the service's plan (create it, write its header and items) for its owner,
    the head of the service; drafting is not owning: they do not submit it, amend it or mark its execution."""
    return plan is not None and plan.level == PlanLevel.SERVICE and is_drafter(user)


works_on_plan = owns_plan | drafts_service_plan


@rules.predicate
def plan_is_editable(user, plan) -> bool:
    return plan.status in EDITABLE_PLAN_STATUSES


@rules.predicate
def plan_is_approved(user, plan) -> bool:
    return plan.status == PlanStatus.APPROVED


@rules.predicate
def approves_plan(user, plan) -> bool:
    person = _person(user)
    return person is not None and plan.status in SUBMITTED_PLAN_STATUSES and person.pk in approvers_of(plan)


@rules.predicate
def may_see_plan(user, plan) -> bool:
    roles = roles_of(user)
    if roles.person is None:
        return False
    if plan.level == PlanLevel.SERVICE:
        return roles.is_staff_member
    if plan.level == PlanLevel.UNIT:
        return roles.is_staff_member or plan.unit_id in roles.units
    # An individual plan: its teacher, the heads of the teacher's associations, the council chair, management.
    if plan.person_id == roles.person.pk or roles.is_council_chair:
        return True
    if plan.person_id in _association_members(user):
        return True
    # A colleague named responsible for one of its items (a joint open lesson) reads the plan the item is in.
    return plan.items.filter(responsible=roles.person).exists()


def _association_members(user) -> set[int]:
    roles = roles_of(user)
    heads_of = [
        uid for uid, (kind, role) in roles.units.items() if kind in ASSOCIATION_KINDS and role == MemberRole.HEAD
    ]
    return set(
        Membership.objects.active_on(timezone.localdate())
        .filter(unit_id__in=heads_of)
        .values_list("person_id", flat=True)
    )


rules.add_perm("planning.list_plans", is_admin | has_person)  # an external researcher: their lab's plans
rules.add_perm("planning.view_plan", is_admin | is_management | may_see_plan)
rules.add_perm("planning.add_service_plan", heads_the_service | is_drafter)
rules.add_perm("planning.add_unit_plan", is_drafter | heads_a_unit)
rules.add_perm("planning.add_individual_plan", is_staff_member)
rules.add_perm("planning.change_plan", works_on_plan & plan_is_editable)
rules.add_perm("planning.submit_plan", owns_plan & plan_is_editable)
rules.add_perm("planning.approve_plan", approves_plan)
rules.add_perm("planning.amend_plan", owns_plan & plan_is_approved)


@rules.predicate
def marks_item(user, item) -> bool:
    person = _person(user)
    if person is None or item is None or not item.plan.is_approved_once:
        return False
    return item.responsible.filter(pk=person.pk).exists() or owns_plan(user, item.plan)


rules.add_perm("planning.mark_item", marks_item)

# ---------------------------------------------------------------- years and the theme

rules.add_perm("planning.manage_years", is_drafter)
rules.add_perm("planning.view_years", is_admin | is_staff_member)

# ---------------------------------------------------------------- meetings


@rules.predicate
def runs_unit(user, unit) -> bool:
    """The unit's head or secretary today; the deputy and the methodist for the council."""
    if unit is None:
        return False
    roles = roles_of(user)
    if roles.units.get(unit.pk, ("", ""))[1] in {MemberRole.HEAD, MemberRole.SECRETARY}:
        return True
    return unit.kind == UnitKind.COUNCIL and (roles.is_deputy or roles.is_methodist)


@rules.predicate
def runs_meeting_unit(user, meeting) -> bool:
    return runs_unit(user, meeting.unit)


@rules.predicate
def meeting_is_open(user, meeting) -> bool:
    return not meeting.is_locked and not meeting.chair_signed_at and not meeting.secretary_signed_at


@rules.predicate
def signs_meeting(user, meeting) -> bool:
    person = _person(user)
    if person is None or meeting.is_locked:
        return False
    return (person.pk == meeting.chair_id and not meeting.chair_signed_at) or (
        person.pk == meeting.secretary_id and not meeting.secretary_signed_at
    )


@rules.predicate
def sees_meeting(user, meeting) -> bool:
    roles = roles_of(user)
    if roles.is_staff_member or meeting.unit_id in roles.units:
        return True
    # An external person who left the unit keeps the meetings that concern them (selectors.meetings_visible_to).
    return roles.person is not None and meetings_concerning(roles.person).filter(pk=meeting.pk).exists()


@rules.predicate
def marks_decision(user, decision) -> bool:
    person = _person(user)
    return person is not None and (
        decision.responsible_id == person.pk or runs_unit(user, decision.agenda_item.meeting.unit)
    )


@rules.predicate
def runs_any_unit(user) -> bool:
    roles = roles_of(user)
    return (
        roles.is_deputy
        or roles.is_methodist
        or any(role in {MemberRole.HEAD, MemberRole.SECRETARY} for _kind, role in roles.units.values())
    )


rules.add_perm("planning.list_meetings", is_admin | has_person)  # an external researcher: their lab's meetings
rules.add_perm("planning.add_meeting", runs_any_unit)
rules.add_perm("planning.add_unit_meeting", runs_unit)
rules.add_perm("planning.view_meeting", is_admin | is_management | sees_meeting)
rules.add_perm("planning.change_meeting", runs_meeting_unit & meeting_is_open)
rules.add_perm("planning.sign_protocol", signs_meeting)
rules.add_perm("planning.mark_decision", marks_decision)
rules.add_perm("planning.list_decisions", is_admin | is_staff_member)

# ---------------------------------------------------------------- calendar and statistics

rules.add_perm("planning.view_calendar", is_teacher_or_staff)
rules.add_perm("planning.view_stats", is_admin | is_staff_member)

# ---------------------------------------------------------------- assignments of the pedagogical council and the director


@rules.predicate
def answers_for_service(user) -> bool:
    """Who answers the service's assignments: the deputy, the methodist, the heads of the service and the council."""
    roles = roles_of(user)
    return (
        roles.is_deputy
        or roles.is_methodist
        or roles.holds(UnitKind.SERVICE, MemberRole.HEAD)
        or (roles.is_council_chair)
    )


@rules.predicate
def runs_pedagogical_council(user) -> bool:
    roles = roles_of(user)
    return roles.holds(UnitKind.PEDAGOGICAL_COUNCIL, MemberRole.HEAD) or roles.holds(
        UnitKind.PEDAGOGICAL_COUNCIL, MemberRole.SECRETARY
    )


@rules.predicate
def assignment_is_open(user, assignment) -> bool:
    return not assignment.is_cancelled and not assignment.is_done


@rules.predicate
def passes_decision(user, decision) -> bool:
    """A decision of the pedagogical council's signed protocol, not cancelled and not yet passed, may be passed to
    the service by the director or whoever runs the pedagogical council."""
    meeting = decision.agenda_item.meeting
    if meeting.unit.kind != UnitKind.PEDAGOGICAL_COUNCIL or not meeting.is_signed or decision.is_cancelled:
        return False
    if getattr(decision, "assignment", None) is not None:
        return False
    return roles_of(user).is_director or runs_unit(user, meeting.unit)


rules.add_perm("planning.list_assignments", is_admin | is_management | answers_for_service | runs_pedagogical_council)
rules.add_perm("planning.issue_assignment", is_director)
rules.add_perm("planning.pass_decision", passes_decision)
rules.add_perm("planning.answer_assignment", answers_for_service & assignment_is_open)
rules.add_perm("planning.cancel_assignment", is_director & assignment_is_open)
