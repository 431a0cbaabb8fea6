"""A plan's way to approval: submitting, approving (with a frozen, hashed version), returning and amending.

Approval and return lock the plan row (SELECT … FOR UPDATE) and check its status under the lock, so when two
approvers act at once one wins and the other is told the plan's new state."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from metodservice.common.documents import store_on_commit
from metodservice.common.models import NotificationKind
from metodservice.common.notifications import notify
from structure.models import Person

from .. import selectors, signing
from ..models import Plan, PlanLevel, PlanStatus, PlanVersion
from ..tasks import store_version_pdf
from .plans import _require_editable


@transaction.atomic
def plan_submit(*, plan: Plan, person: Person) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_editable(plan)
    if not plan.items.exists():
        raise ValidationError(_("A plan needs at least one item before it is submitted."), code="plan_empty")
    plan.status = PlanStatus.AMENDMENT_SUBMITTED if plan.status == PlanStatus.AMENDING else PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.submitted_by = person
    plan.save()
    notify(
        _user_ids(selectors.approvers_of(plan)),
        kind=NotificationKind.PLAN_SUBMITTED,
        text=_("«%(plan)s» waits for your approval.") % {"plan": plan},
        url=plan.get_absolute_url(),
        key=f"plan:{plan.pk}:submitted:{plan.submitted_at.isoformat()}",
    )
    return plan


def _user_ids(person_ids) -> list[int | None]:
    return list(Person.objects.filter(pk__in=list(person_ids)).values_list("user_id", flat=True))


def _locked_submitted(plan: Plan) -> Plan:
    plan = Plan.objects.select_for_update(of=("self",)).select_related("year", "unit", "person").get(pk=plan.pk)
    if plan.status not in {PlanStatus.SUBMITTED, PlanStatus.AMENDMENT_SUBMITTED}:
        raise ValidationError(
            _("The plan is no longer waiting for approval: it is now «%(status)s».")
            % {"status": plan.get_status_display()},
            code="plan_not_submitted",
        )
    return plan


def _snapshot(plan: Plan, day: datetime.date) -> dict:
    items = []
    for item in plan.items.select_related("direction").prefetch_related("responsible").order_by("position", "pk"):
        items.append(
            {
                "position": item.position,
                "content": item.content,
                "direction": item.direction.code,
                "form": item.form,
                "start_date": item.start_date.isoformat() if item.start_date else None,
                "due_date": item.due_date.isoformat(),
                "period": item.period,
                "responsible": [p.full_name for p in item.responsible.all()],
                "expected_result": item.expected_result,
            }
        )
    content = {
        "self_education_theme": plan.self_education_theme,
        "goal": plan.goal,
        "tasks": plan.tasks,
        "items": items,
        # Printed on the approved plan, so frozen with it: where it was considered (from a signed protocol) and,
        # for an individual plan, its teacher's name, position, category and last professional development as of
        # the day of approval (selectors.person_facts: from the apps above planning).
        "considered": selectors.plan_consideration(plan),
    }
    if plan.level == PlanLevel.INDIVIDUAL and plan.person is not None:
        person = Person.objects.select_related("position").get(pk=plan.person.pk)
        facts = selectors.person_facts(person, day)
        content["person"] = {
            "name": person.full_name,
            "position": person.position.name if person.position else "",
            "category": facts.get("category", ""),
            "last_training": facts.get("last_training", ""),
        }
    return content


@transaction.atomic
def plan_approve(*, plan: Plan, person: Person) -> Plan:
    plan = _locked_submitted(plan)
    if person.pk in selectors.plan_owners(plan):
        raise ValidationError(_("You cannot approve your own plan."), code="own_plan")
    if person.pk not in selectors.approvers_of(plan):
        raise ValidationError(_("You are not the approver of this plan."), code="not_approver")
    now = timezone.now()
    plan.version += 1
    title = selectors.approver_title(plan, person, timezone.localdate(now))
    version = PlanVersion(
        plan=plan,
        number=plan.version,
        snapshot=_snapshot(plan, timezone.localdate(now)),
        reason=plan.amendment_reason,
        approved_by=person,
        approved_by_name=person.full_name,
        approved_by_position=title,
        approved_at=now,
    )
    version.content_hash = signing.version_hash(version)
    version.save()
    # The version's PDF is rendered once by a worker and stored: it prints the plan as approved now.
    store_on_commit(store_version_pdf, version.pk)
    plan.status = PlanStatus.APPROVED
    plan.approved_by = person
    plan.approved_by_position = title
    plan.approved_at = now
    plan.return_comment = ""
    plan.amendment_reason = ""
    plan.save()
    notify(
        _user_ids(selectors.plan_owners(plan)),
        kind=NotificationKind.PLAN_APPROVED,
        text=_("«%(plan)s» is approved (version %(version)s).") % {"plan": plan, "version": plan.version},
        url=plan.get_absolute_url(),
        key=f"plan:{plan.pk}:approved:{plan.version}",
    )
    return plan


@transaction.atomic
def plan_return(*, plan: Plan, person: Person, comment: str) -> Plan:
    plan = _locked_submitted(plan)
    if person.pk not in selectors.approvers_of(plan):
        raise ValidationError(_("You are not the approver of this plan."), code="not_approver")
    comment = comment.strip()
    if not comment:
        raise ValidationError(
            {"comment": ValidationError(_("Say what to fix when returning a plan."), code="required")}
        )
    plan.status = PlanStatus.AMENDING if plan.status == PlanStatus.AMENDMENT_SUBMITTED else PlanStatus.RETURNED
    plan.return_comment = comment
    plan.returned_by = person
    plan.save()
    notify(
        _user_ids(selectors.plan_owners(plan)),
        kind=NotificationKind.PLAN_RETURNED,
        text=_("«%(plan)s» is returned for rework: %(comment)s") % {"plan": plan, "comment": comment},
        url=plan.get_absolute_url(),
        key=f"plan:{plan.pk}:returned:{timezone.now().isoformat()}",
    )
    return plan


@transaction.atomic
def plan_start_amendment(*, plan: Plan, reason: str) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(_("Only an approved plan is amended."), code="plan_not_approved")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why the approved plan must change."), code="required")})
    plan.status = PlanStatus.AMENDING
    plan.amendment_reason = reason
    plan.return_comment = ""
    plan.save()
    return plan
