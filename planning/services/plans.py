"""Writes of a plan while it is drafted: creating it (optionally as a copy of an earlier year's plan), its
header and its items. Only a plan in an editable status changes here. Also the check of the plan an agenda question
considers (the protocol's services call it)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import overload

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from metodservice.common import uploads
from structure.models import Person, Unit

from .. import selectors
from ..models import EDITABLE_PLAN_STATUSES, AcademicYear, Meeting, Plan, PlanItem, PlanLevel, WorkDirection


@overload
def _shift_year(day: datetime.date, years: int) -> datetime.date: ...
@overload
def _shift_year(day: None, years: int) -> None: ...
def _shift_year(day: datetime.date | None, years: int) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def plan_create(
    *,
    level: str,
    year: AcademicYear,
    created_by: Person,
    unit: Unit | None = None,
    person: Person | None = None,
    self_education_theme: str = "",
    goal: str = "",
    tasks: str = "",
    copy_from: Plan | None = None,
) -> Plan:
    """A new plan, optionally starting as a copy of an earlier year's plan (items moved to this year, not done).
    (A plan for a year that has ended is asked to be confirmed by the form: forms.plans.PlanCreateForm.)"""
    if level == PlanLevel.UNIT and (unit is None or unit.created_on is None or unit.dissolved_on is not None):
        raise ValidationError({"unit": ValidationError(_("Choose a unit that is in the structure."), code="unit")})
    if level == PlanLevel.INDIVIDUAL and (person is None or person.is_external):
        raise ValidationError(
            {"person": ValidationError(_("An individual plan belongs to a staff member."), code="not_staff")}
        )
    plan = Plan(
        level=level,
        year=year,
        unit=unit if level == PlanLevel.UNIT else None,
        person=person if level == PlanLevel.INDIVIDUAL else None,
        theme=selectors.theme_for(year),
        self_education_theme=self_education_theme.strip(),
        goal=goal.strip(),
        tasks=tasks.strip(),
        created_by=created_by,
    )
    if copy_from is not None:
        if copy_from.level != level or copy_from.unit_id != plan.unit_id or copy_from.person_id != plan.person_id:
            raise ValidationError(_("A plan can only be copied from the same owner's plan."), code="copy_owner")
        plan.goal = plan.goal or copy_from.goal
        plan.tasks = plan.tasks or copy_from.tasks
        plan.self_education_theme = plan.self_education_theme or copy_from.self_education_theme
    duplicate = Plan.objects.filter(level=level, year=year, unit=plan.unit, person=plan.person)
    if duplicate.exists():
        raise ValidationError(_("This plan for %(year)s already exists.") % {"year": year}, code="duplicate")
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as error:  # created by someone else a moment ago
        raise ValidationError(_("This plan for %(year)s already exists.") % {"year": year}, code="duplicate") from error
    if copy_from is not None:
        years = year.start.year - copy_from.year.start.year
        for old in copy_from.items.prefetch_related("responsible").order_by("position", "pk"):
            new = PlanItem.objects.create(
                plan=plan,
                position=old.position,
                content=old.content,
                direction_id=old.direction_id,
                form=old.form,
                start_date=_shift_year(old.start_date, years),
                due_date=_shift_year(old.due_date, years),
                period=old.period,
                expected_result=old.expected_result,
            )
            new.responsible.set(old.responsible.all())
    return plan


def _require_editable(plan: Plan) -> None:
    if plan.status not in EDITABLE_PLAN_STATUSES:
        raise ValidationError(
            _("The plan is %(status)s and cannot be edited; an approved plan changes only through an amendment.")
            % {"status": plan.get_status_display()}
        )


@transaction.atomic
def plan_update(*, plan: Plan, self_education_theme: str = "", goal: str = "", tasks: str = "") -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_editable(plan)
    plan.self_education_theme, plan.goal, plan.tasks = self_education_theme.strip(), goal.strip(), tasks.strip()
    plan.save()
    return plan


def _check_item(
    plan: Plan,
    *,
    content: str,
    direction: WorkDirection | None,
    due_date: datetime.date | None,
    start_date: datetime.date | None,
    responsible: list[Person],
) -> None:
    errors: dict[str, str] = {}
    if not content.strip():
        errors["content"] = _("Describe the work.")
    if direction is None:
        errors["direction"] = _("Choose one of the ten work directions.")
    year = plan.year
    if due_date is None:
        errors["due_date"] = _("Set the deadline.")
    elif not year.contains(due_date):
        errors["due_date"] = _("The deadline must fall within the academic year %(year)s (%(start)s – %(end)s).") % {
            "year": year,
            "start": f"{year.start:%d.%m.%Y}",
            "end": f"{year.end:%d.%m.%Y}",
        }
    if start_date is not None:
        if not year.contains(start_date):
            errors["start_date"] = _("The start must fall within the academic year %(year)s.") % {"year": year}
        elif due_date and start_date > due_date:
            errors["start_date"] = _("The start cannot be later than the deadline.")
    if not responsible:
        errors["responsible"] = _("Name at least one responsible person.")
    if errors:
        raise ValidationError(errors)


def _item_fields(
    plan_pk: int,
    *,
    content: str,
    direction: WorkDirection | None,
    form: str,
    due_date: datetime.date | None,
    responsible: Iterable[Person],
    start_date: datetime.date | None = None,
    period: str = "",
    expected_result: str = "",
) -> tuple[Plan, dict, list[Person]]:
    """Lock the plan, check it may change and that the item is valid; the item's cleaned fields."""
    plan = Plan.objects.select_for_update().select_related("year").get(pk=plan_pk)
    _require_editable(plan)
    responsible = list(responsible)
    _check_item(
        plan, content=content, direction=direction, due_date=due_date, start_date=start_date, responsible=responsible
    )
    fields = {
        "content": content.strip(),
        "direction": direction,
        "form": form,
        "start_date": start_date,
        "due_date": due_date,
        "period": period.strip(),
        "expected_result": expected_result.strip(),
    }
    return plan, fields, responsible


@transaction.atomic
def item_add(*, plan: Plan, **item) -> PlanItem:
    """Add an item to an editable plan; takes the fields of `_item_fields`."""
    plan, fields, responsible = _item_fields(plan.pk, **item)
    last = plan.items.aggregate(last=Max("position"))["last"] or 0
    created = PlanItem.objects.create(plan=plan, position=last + 1, **fields)
    created.responsible.set(responsible)
    return created


@transaction.atomic
def item_update(*, item: PlanItem, **changes) -> PlanItem:
    """Change an item of an editable plan; takes the fields of `_item_fields`."""
    _plan, fields, responsible = _item_fields(item.plan_id, **changes)
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    item.responsible.set(responsible)
    return item


@transaction.atomic
def item_delete(*, item: PlanItem) -> None:
    plan = Plan.objects.select_for_update().get(pk=item.plan_id)
    _require_editable(plan)
    item = PlanItem.objects.get(pk=item.pk)  # as stored: the caller's copy may predate its evidence file
    evidence = item.evidence_file.name
    item.delete()
    if evidence:  # the deleted item's file goes too, once the deletion is committed
        uploads.delete_on_commit(item.evidence_file.storage, evidence)
    for index, other in enumerate(plan.items.order_by("position", "pk"), start=1):
        if other.position != index:
            other.position = index
            other.save(update_fields=["position"])


def check_agenda_plan(*, meeting: Meeting, plan: Plan | None) -> None:
    """The plan an agenda question of `meeting` considers must be one it may consider (selectors.agenda_plans:
    the service's, the unit's or a member's plan of the meeting's year or the next). Refusal code `agenda_plan`."""
    if plan is not None and not selectors.agenda_plans(meeting).filter(pk=plan.pk).exists():
        raise ValidationError(
            {
                "plan": ValidationError(
                    _(
                        "This meeting cannot consider that plan: choose the service's, the unit's or a member's plan "
                        "of the meeting's academic year or the next."
                    ),
                    code="agenda_plan",
                )
            }
        )
