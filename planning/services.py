"""Every write of planning/: years and the theme, plans and their approval, execution, meetings and protocols.

Approval and return lock the plan row (SELECT … FOR UPDATE) and check its status under the lock, so when two
approvers act at once one wins and the other is told the plan's new state.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from metodservice.common import uploads
from structure.models import MemberRole, Membership, Person, Unit, UnitKind

from . import selectors, signing
from .models import (
    EDITABLE_PLAN_STATUSES,
    AcademicYear,
    AgendaItem,
    Attendance,
    CalendarToken,
    Decision,
    DecisionStatus,
    Guest,
    ItemStatus,
    Meeting,
    MeetingStatus,
    MethodologicalTheme,
    Plan,
    PlanItem,
    PlanLevel,
    PlanStatus,
    PlanVersion,
    ThemeStage,
    WorkDirection,
)

# ---------------------------------------------------------------- years and the single theme


def _unset_current(*, except_year: AcademicYear) -> None:
    """The current year stops being current (saved, so its history records it)."""
    for other in AcademicYear.objects.filter(is_current=True).exclude(pk=except_year.pk):
        other.is_current = False
        other.save(update_fields=["is_current"])


@transaction.atomic
def year_save(
    *, title: str, start: datetime.date, end: datetime.date, is_current: bool = False, year: AcademicYear | None = None
) -> AcademicYear:
    year = year or AcademicYear()
    year.title, year.start, year.end = title.strip(), start, end
    if end <= start:
        raise ValidationError({"end": _("The year must end after it starts.")})
    overlapping = AcademicYear.objects.filter(start__lte=end, end__gte=start).exclude(pk=year.pk)
    if overlapping.exists():
        raise ValidationError(_("The dates overlap the academic year %(year)s.") % {"year": overlapping.first()})
    if is_current:
        _unset_current(except_year=year)
    year.is_current = is_current or year.is_current
    year.full_clean()
    year.save()
    return year


@transaction.atomic
def year_make_current(*, year: AcademicYear) -> AcademicYear:
    _unset_current(except_year=year)
    year.is_current = True
    year.save(update_fields=["is_current"])
    return year


@transaction.atomic
def theme_save(
    *,
    title: str,
    goal: str,
    tasks: str,
    start_year: AcademicYear,
    end_year: AcademicYear,
    stages: dict[AcademicYear, str] | None = None,
    theme: MethodologicalTheme | None = None,
) -> MethodologicalTheme:
    theme = theme or MethodologicalTheme()
    if end_year.start < start_year.start:
        raise ValidationError({"end_year": _("The last year cannot precede the first one.")})
    for other in MethodologicalTheme.objects.exclude(pk=theme.pk).select_related("start_year", "end_year"):
        if other.start_year.start <= end_year.start and start_year.start <= other.end_year.start:
            raise ValidationError(_("The period overlaps the theme «%(theme)s».") % {"theme": other.title})
    theme.title, theme.goal, theme.tasks = title.strip(), goal.strip(), tasks.strip()
    theme.start_year, theme.end_year = start_year, end_year
    theme.full_clean()
    theme.save()
    for year, stage in (stages or {}).items():
        if stage.strip():
            ThemeStage.objects.update_or_create(theme=theme, year=year, defaults={"stage": stage.strip()})
        else:
            ThemeStage.objects.filter(theme=theme, year=year).delete()
    return theme


# ---------------------------------------------------------------- plans


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
    """A new plan, optionally starting as a copy of an earlier year's plan (items moved to this year, not done)."""
    if level == PlanLevel.UNIT and (unit is None or unit.created_on is None or unit.dissolved_on is not None):
        raise ValidationError({"unit": _("Choose a unit that is in the structure.")})
    if level == PlanLevel.INDIVIDUAL and (person is None or person.is_external):
        raise ValidationError({"person": _("An individual plan belongs to a staff member.")})
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
            raise ValidationError(_("A plan can only be copied from the same owner's plan."))
        plan.goal = plan.goal or copy_from.goal
        plan.tasks = plan.tasks or copy_from.tasks
        plan.self_education_theme = plan.self_education_theme or copy_from.self_education_theme
    duplicate = Plan.objects.filter(level=level, year=year, unit=plan.unit, person=plan.person)
    if duplicate.exists():
        raise ValidationError(_("This plan for %(year)s already exists.") % {"year": year})
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as error:  # created by someone else a moment ago
        raise ValidationError(_("This plan for %(year)s already exists.") % {"year": year}) from error
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


@transaction.atomic
def plan_submit(*, plan: Plan, person: Person) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_editable(plan)
    if not plan.items.exists():
        raise ValidationError(_("A plan needs at least one item before it is submitted."))
    plan.status = PlanStatus.AMENDMENT_SUBMITTED if plan.status == PlanStatus.AMENDING else PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.submitted_by = person
    plan.save()
    return plan


def _locked_submitted(plan: Plan) -> Plan:
    plan = Plan.objects.select_for_update(of=("self",)).select_related("year", "unit", "person").get(pk=plan.pk)
    if plan.status not in {PlanStatus.SUBMITTED, PlanStatus.AMENDMENT_SUBMITTED}:
        raise ValidationError(
            _("The plan is no longer waiting for approval: it is now «%(status)s».")
            % {"status": plan.get_status_display()}
        )
    return plan


def _snapshot(plan: Plan) -> dict:
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
    return {
        "self_education_theme": plan.self_education_theme,
        "goal": plan.goal,
        "tasks": plan.tasks,
        "items": items,
    }


@transaction.atomic
def plan_approve(*, plan: Plan, person: Person) -> Plan:
    plan = _locked_submitted(plan)
    if person.pk in selectors.plan_owners(plan):
        raise ValidationError(_("You cannot approve your own plan."))
    if person.pk not in selectors.approvers_of(plan):
        raise ValidationError(_("You are not the approver of this plan."))
    now = timezone.now()
    plan.version += 1
    title = _approver_title(plan, person)
    version = PlanVersion(
        plan=plan,
        number=plan.version,
        snapshot=_snapshot(plan),
        reason=plan.amendment_reason,
        approved_by=person,
        approved_by_name=person.full_name,
        approved_by_position=title,
        approved_at=now,
    )
    version.content_hash = signing.version_hash(version)
    version.save()
    plan.status = PlanStatus.APPROVED
    plan.approved_by = person
    plan.approved_by_position = title
    plan.approved_at = now
    plan.return_comment = ""
    plan.amendment_reason = ""
    plan.save()
    return plan


def _approver_title(plan: Plan, person: Person) -> str:
    """The approver's title in the «УТВЕРЖДАЮ» block: document text, stored as approved, so Russian."""
    if plan.level == PlanLevel.INDIVIDUAL:
        return "Руководитель методического объединения"
    if plan.level == PlanLevel.UNIT and plan.unit.kind == UnitKind.COUNCIL:
        return person.position.name if person.position else ""
    return "Председатель методического совета"


@transaction.atomic
def plan_return(*, plan: Plan, person: Person, comment: str) -> Plan:
    plan = _locked_submitted(plan)
    if person.pk not in selectors.approvers_of(plan):
        raise ValidationError(_("You are not the approver of this plan."))
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Say what to fix when returning a plan.")})
    plan.status = PlanStatus.AMENDING if plan.status == PlanStatus.AMENDMENT_SUBMITTED else PlanStatus.RETURNED
    plan.return_comment = comment
    plan.returned_by = person
    plan.save()
    return plan


@transaction.atomic
def plan_start_amendment(*, plan: Plan, reason: str) -> Plan:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(_("Only an approved plan is amended."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the approved plan must change.")})
    plan.status = PlanStatus.AMENDING
    plan.amendment_reason = reason
    plan.return_comment = ""
    plan.save()
    return plan


# ---------------------------------------------------------------- execution


@transaction.atomic
def item_mark(
    *,
    item: PlanItem,
    status: str,
    report: str = "",
    evidence_file=None,
    evidence_link: str = "",
) -> PlanItem:
    """Record execution of an item of an approved plan: done, postponed or cancelled need a short report.

    An evidence file is checked by metodservice.common.uploads (type by content, size, name; refused with field
    evidence_file and the check's code, nothing saved), stored under a random name and replaces the previous file,
    which is removed from storage once the transaction commits."""
    item = PlanItem.objects.select_for_update(of=("self",)).select_related("plan").get(pk=item.pk)
    if not item.plan.is_approved_once:
        raise ValidationError(_("Execution is recorded on approved plans only."))
    if status not in ItemStatus.values:
        raise ValidationError({"status": _("Unknown execution status.")})
    report = report.strip()
    if status in {ItemStatus.DONE, ItemStatus.POSTPONED, ItemStatus.CANCELLED} and not report:
        raise ValidationError({"report": _("Write a short report: what was done, or why not.")})
    upload = None
    if evidence_file:
        try:
            upload = uploads.check_upload(evidence_file, uploads.EVIDENCE)
        except ValidationError as error:
            raise ValidationError({"evidence_file": error}) from None
    replaced = item.evidence_file.name if upload else ""
    item.status = status
    item.report = report
    if upload:
        # Stored under a random name; the history row shows the old and the new stored name, and its reason the
        # name the file was uploaded under.
        item.evidence_file = upload.stored_file()
        item._change_reason = (_("Evidence file uploaded: «%(name)s»") % {"name": upload.original_name})[:100]
    if evidence_link:
        item.evidence_link = evidence_link.strip()
    item.status_changed_at = timezone.now()
    item.full_clean(exclude=["responsible"])
    try:
        item.save()
    except Exception:
        if upload and item.evidence_file.name != replaced:
            item.evidence_file.storage.delete(item.evidence_file.name)
        raise
    if replaced and replaced != item.evidence_file.name:
        uploads.delete_on_commit(item.evidence_file.storage, replaced)
    return item


# ---------------------------------------------------------------- meetings


@transaction.atomic
def meeting_create(
    *,
    unit: Unit,
    year: AcademicYear,
    date: datetime.date,
    created_by: Person,
    number: int | None = None,
    time: datetime.time | None = None,
    place: str = "",
) -> Meeting:
    """Schedule a meeting of `unit`. A chosen `number` must be free (refused with code "number_taken" otherwise);
    without one the meeting takes the unit's next number in the year. Two people scheduling at once may compute the
    same next number: the loser of the unique constraint takes the next free number again (each try in its own
    savepoint), up to `attempts` times; every lost try means another meeting was committed meanwhile."""
    if not year.contains(date):
        raise ValidationError(
            {
                "date": ValidationError(
                    _("The date must fall within the academic year %(year)s.") % {"year": year},
                    code="date_outside_year",
                )
            }
        )
    if not unit.is_active_on(date):
        raise ValidationError(
            {"date": ValidationError(_("The unit is not in the structure on that date."), code="unit_not_active")}
        )

    def taken(taken_number: int) -> ValidationError:
        message = _("This unit already has a meeting No. %(number)s in %(year)s.")
        return ValidationError(
            {"number": ValidationError(message % {"number": taken_number, "year": year}, code="number_taken")}
        )

    automatic = number is None
    if not automatic and Meeting.objects.filter(unit=unit, year=year, number=number).exists():
        raise taken(number)
    chair = selectors.unit_role_holder(unit, MemberRole.HEAD, date)
    secretary = selectors.unit_role_holder(unit, MemberRole.SECRETARY, date)
    attempts = 20  # far more people than ever schedule one unit's meetings in the same second
    for _attempt in range(attempts):
        if automatic:
            number = (Meeting.objects.filter(unit=unit, year=year).aggregate(last=Max("number"))["last"] or 0) + 1
        try:
            with transaction.atomic():
                meeting = Meeting.objects.create(
                    unit=unit,
                    year=year,
                    number=number,
                    date=date,
                    time=time,
                    place=place.strip(),
                    created_by=created_by,
                    chair=chair,
                    secretary=secretary,
                )
            break
        except IntegrityError as error:
            if not Meeting.objects.filter(unit=unit, year=year, number=number).exists():
                raise  # not the number: a real fault
            if not automatic:
                raise taken(number) from error
    else:
        raise ValidationError(
            {
                "number": ValidationError(
                    _("Many meetings of this unit are being scheduled at this moment. Try again."),
                    code="number_contended",
                )
            }
        )
    members = Membership.objects.active_on(date).filter(unit=unit).values_list("person_id", flat=True).distinct()
    bulk_create_with_history([Attendance(meeting=meeting, person_id=pk, present=True) for pk in members], Attendance)
    return meeting


def _require_open(meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_locked:
        raise ValidationError(_("The protocol is signed and cannot be changed."))
    if meeting.chair_signed_at or meeting.secretary_signed_at:
        raise ValidationError(_("The protocol has a signature; it cannot be changed any more."))
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    date: datetime.date,
    number: int,
    time: datetime.time | None = None,
    place: str = "",
    chair: Person | None = None,
    secretary: Person | None = None,
) -> Meeting:
    meeting = _require_open(meeting)
    if not meeting.year.contains(date):
        raise ValidationError(
            {"date": _("The date must fall within the academic year %(year)s.") % {"year": meeting.year}}
        )
    if Meeting.objects.filter(unit=meeting.unit, year=meeting.year, number=number).exclude(pk=meeting.pk).exists():
        raise ValidationError(
            {
                "number": _("This unit already has a meeting No. %(number)s in %(year)s.")
                % {"number": number, "year": meeting.year}
            }
        )
    if not meeting.unit.is_active_on(date):
        raise ValidationError({"date": _("The unit is not in the structure on that date.")})
    meeting.date, meeting.number, meeting.time, meeting.place = date, number, time, place.strip()
    _check_signers(meeting, chair, secretary)
    meeting.chair, meeting.secretary = chair, secretary
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError as error:  # another meeting took the number meanwhile
        raise ValidationError(
            {
                "number": _("This unit already has a meeting No. %(number)s in %(year)s.")
                % {"number": number, "year": meeting.year}
            }
        ) from error
    return meeting


@transaction.atomic
def attendance_set(*, meeting: Meeting, rows: Iterable[tuple[Person, bool, str]]) -> None:
    meeting = _require_open(meeting)
    for person, present, reason in rows:
        Attendance.objects.update_or_create(
            meeting=meeting,
            person=person,
            defaults={"present": present, "absence_reason": "" if present else reason.strip()},
        )


@transaction.atomic
def guest_add(*, meeting: Meeting, name: str, position: str = "") -> Guest:
    meeting = _require_open(meeting)
    if not name.strip():
        raise ValidationError({"name": _("Enter the guest's name.")})
    return Guest.objects.create(meeting=meeting, name=name.strip(), position=position.strip())


@transaction.atomic
def guest_delete(*, guest: Guest) -> None:
    _require_open(guest.meeting)
    guest.delete()


def _check_votes(votes: tuple[int | None, int | None, int | None]) -> None:
    if any(v is not None and v < 0 for v in votes):
        raise ValidationError(_("Votes cannot be negative."))


@transaction.atomic
def agenda_add(
    *, meeting: Meeting, title: str, speaker: Person | None = None, plan_item: PlanItem | None = None
) -> AgendaItem:
    meeting = _require_open(meeting)
    if not title.strip():
        raise ValidationError({"title": _("Enter the question.")})
    last = meeting.agenda.aggregate(last=Max("position"))["last"] or 0
    return AgendaItem.objects.create(
        meeting=meeting, position=last + 1, title=title.strip(), speaker=speaker, plan_item=plan_item
    )


@transaction.atomic
def agenda_update(
    *,
    item: AgendaItem,
    title: str,
    speaker: Person | None = None,
    plan_item: PlanItem | None = None,
    heard: str = "",
    spoke: str = "",
    decided: str = "",
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstained: int | None = None,
) -> AgendaItem:
    _require_open(item.meeting)
    if not title.strip():
        raise ValidationError({"title": _("Enter the question.")})
    _check_votes((votes_for, votes_against, votes_abstained))
    item.title, item.speaker, item.plan_item = title.strip(), speaker, plan_item
    item.heard, item.spoke, item.decided = heard.strip(), spoke.strip(), decided.strip()
    item.votes_for, item.votes_against, item.votes_abstained = votes_for, votes_against, votes_abstained
    item.save()
    return item


@transaction.atomic
def agenda_delete(*, item: AgendaItem) -> None:
    meeting = _require_open(item.meeting)
    item.delete()
    for index, other in enumerate(meeting.agenda.order_by("position", "pk"), start=1):
        if other.position != index:
            other.position = index
            other.save(update_fields=["position"])


@transaction.atomic
def decision_add(
    *, agenda_item: AgendaItem, text: str, responsible: Person | None, deadline: datetime.date | None
) -> Decision:
    _require_open(agenda_item.meeting)
    errors = {}
    if not text.strip():
        errors["text"] = _("Write the decision.")
    if responsible is None:
        errors["responsible"] = _("Name the person responsible.")
    if deadline is None:
        errors["deadline"] = _("Set the deadline.")
    elif deadline < agenda_item.meeting.date:
        errors["deadline"] = _("The deadline cannot precede the meeting.")
    if errors:
        raise ValidationError(errors)
    return Decision.objects.create(
        agenda_item=agenda_item, text=text.strip(), responsible=responsible, deadline=deadline
    )


@transaction.atomic
def decision_delete(*, decision: Decision) -> None:
    _require_open(decision.agenda_item.meeting)
    decision.delete()


@transaction.atomic
def decision_mark(*, decision: Decision, status: str, report: str = "") -> Decision:
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if status not in DecisionStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    report = report.strip()
    if status != DecisionStatus.OPEN and not report:
        raise ValidationError({"report": _("Write a short report on the decision.")})
    decision.status = status
    decision.report = report
    decision.done_at = timezone.now() if status == DecisionStatus.DONE else None
    decision.save()
    return decision


def _check_signers(meeting: Meeting, chair: Person | None, secretary: Person | None) -> None:
    """A protocol carries two signatures, so the chair and the secretary are two people, both of the unit."""
    if chair is not None and secretary is not None and chair.pk == secretary.pk:
        message = _("The chair and the secretary must be two different people: the protocol needs two signatures.")
        raise ValidationError({"secretary": ValidationError(message, code="same_signer")})
    members = set(
        Membership.objects.active_on(meeting.date).filter(unit_id=meeting.unit_id).values_list("person_id", flat=True)
    )
    for field, person in (("chair", chair), ("secretary", secretary)):
        if person is not None and person.pk not in members:
            message = _("%(person)s is not a member of «%(unit)s» on the day of the meeting.") % {
                "person": person.full_name,
                "unit": meeting.unit.name,
            }
            raise ValidationError({field: ValidationError(message, code="signer_not_member")})


@transaction.atomic
def protocol_sign(*, meeting: Meeting, person: Person) -> Meeting:
    """The chair and the secretary, two different people present at the meeting, sign the protocol. The first
    signature freezes the protocol as printed (planning.signing); with both signatures it is locked."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_locked:
        raise ValidationError(_("The protocol is already signed."), code="already_signed")
    if person.pk not in {meeting.chair_id, meeting.secretary_id}:
        raise ValidationError(
            _("Only the chair and the secretary of the meeting sign its protocol."), code="not_signer"
        )
    if meeting.chair_id is None or meeting.secretary_id is None:
        raise ValidationError(_("Name the chair and the secretary of the meeting first."), code="no_signers")
    if meeting.chair_id == meeting.secretary_id:
        raise ValidationError(
            _("The chair and the secretary must be two different people: the protocol needs two signatures."),
            code="same_signer",
        )
    present = set(meeting.attendance.filter(present=True).values_list("person_id", flat=True))
    if not present:
        raise ValidationError(
            _("Record the attendance before signing: the protocol lists who was present."), code="no_attendance"
        )
    if not {meeting.chair_id, meeting.secretary_id} <= present:
        raise ValidationError(
            _("The chair and the secretary sign only a meeting they attended: mark them present or name others."),
            code="signer_absent",
        )
    if meeting.date > timezone.localdate():
        raise ValidationError(
            _("The meeting is on %(date)s: its protocol is signed once it has taken place.")
            % {"date": f"{meeting.date:%d.%m.%Y}"},
            code="meeting_in_future",
        )
    if not meeting.agenda.exists():
        raise ValidationError(_("The protocol has no agenda."), code="no_agenda")
    if meeting.agenda.filter(decided="").exists():
        raise ValidationError(_("Every agenda item needs its decision (РЕШИЛИ) before signing."), code="no_decision")
    if meeting.snapshot is None:
        meeting.snapshot = signing.protocol_content(selectors.protocol_document(meeting.pk).get())
    now = timezone.now()
    if person.pk == meeting.chair_id and meeting.chair_signed_at is None:
        meeting.chair_signed_at = now
    if person.pk == meeting.secretary_id and meeting.secretary_signed_at is None:
        meeting.secretary_signed_at = now
    meeting.status = (
        MeetingStatus.SIGNED if meeting.chair_signed_at and meeting.secretary_signed_at else MeetingStatus.HELD
    )
    meeting.content_hash = signing.protocol_hash(meeting)
    meeting.save()
    return meeting


# ---------------------------------------------------------------- calendar


@transaction.atomic
def calendar_token_for(*, user, renew: bool = False) -> CalendarToken:
    token, created = CalendarToken.objects.get_or_create(user=user)
    if renew and not created:
        token.delete()
        token = CalendarToken.objects.create(user=user)
    return token
