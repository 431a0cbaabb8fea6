"""Writes of experience/: lesson visits (взаимопосещение) and the marks of adoption of published experience.

Who may call which is the rules' business (experience/rules/visits.py); these functions check the people, the state
and the data, lock the rows they change, and refuse with a ValidationError carrying a code, writing nothing:

- planning and changing a visit (`visit_plan`, `visit_update`): `not_staff` (the visitor is an external researcher),
  `visited_not_staff`, `visit_oneself`, `required` (the lesson), `visit_date_range` (more than a year from today:
  a typo), `not_their_lesson` (the item linked is not a PUBLISHED open lesson or master class of the college whose
  author or co-author is the visited teacher);
- the visit's state (`visit_update`, `visit_cancel`, `visit_fill`): `not_visitor` (only the visitor changes,
  cancels or fills their visit), `visit_filled` (an observation once filled is fixed), `visit_cancelled`;
- the observation (`visit_fill`): `visit_not_yet` (the lesson is after today), `required` (what worked, what to
  adopt), `rating_required` (every criterion of VISIT_CRITERIA), `rating_range` (a whole number 0–VISIT_RATING_MAX),
  `rating_unknown` (a criterion that is not one);
- adoptions (`adoption_mark`, `adoption_withdraw`): `not_published`, `not_staff`, `own_item` (an author or
  co-author of the item), `invalid_choice` (the kind), `already_marked` (once per person, item and kind),
  `not_yours` (withdrawing someone else's mark).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from structure.models import Person

from ..models import (
    VISIT_CRITERIA,
    VISIT_RATING_MAX,
    Adoption,
    AdoptionKind,
    ExperienceItem,
    ItemStatus,
    LessonVisit,
    VisitStatus,
)
from ..selectors.visits import VISITABLE_KINDS

#: How far from today a visit may be dated: further is a typo.
DATE_RANGE = datetime.timedelta(days=366)
#: The limits of the texts (the forms say the same).
LESSON_MAX, GROUP_MAX, TEXT_MAX = 500, 100, 5000


def _day(day: datetime.date) -> str:
    return f"{day:%d.%m.%Y}"


def _is_author(item: ExperienceItem, person_id: int) -> bool:
    return item.author_id == person_id or item.co_authors.filter(pk=person_id).exists()


def _check_visitor(visitor: Person) -> None:
    if visitor.is_external:
        raise ValidationError(
            _("Lesson visits are planned by staff members, not by external researchers."), code="not_staff"
        )


def _check_plan(
    *,
    visitor: Person,
    visited: Person | None,
    date: datetime.date | None,
    lesson: str,
    group: str,
    goal: str,
    item: ExperienceItem | None,
    today: datetime.date,
) -> tuple[Person, datetime.date]:
    """Every problem of a planned visit's data, by field; the colleague and the date once there is none."""
    errors: dict[str, list[ValidationError]] = {}

    def refuse(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if visited is None:
        refuse("visited", _("Choose the colleague whose lesson you visit."), "required")
    elif visited.pk == visitor.pk:
        refuse("visited", _("A visit is to a colleague's lesson, not to your own."), "visit_oneself")
    elif visited.is_external:
        refuse("visited", _("Visits are to lessons of the college's teaching staff."), "visited_not_staff")
    if date is None:
        refuse("date", _("Enter the date of the lesson."), "required")
    elif abs(date - today) > DATE_RANGE:
        refuse(
            "date",
            _("%(day)s is more than a year from today: check the date of the lesson.") % {"day": _day(date)},
            "visit_date_range",
        )
    if not lesson.strip():
        refuse("lesson", _("Enter the lesson: the subject and its topic."), "required")
    for name, value, limit in (("lesson", lesson, LESSON_MAX), ("group", group, GROUP_MAX), ("goal", goal, TEXT_MAX)):
        if len(value) > limit:
            refuse(name, _("At most %(limit)s characters.") % {"limit": limit}, "max_length")
    if item is not None and not (
        item.status == ItemStatus.PUBLISHED
        and not item.is_external
        and item.kind in VISITABLE_KINDS
        and visited is not None
        and _is_author(item, visited.pk)
    ):
        refuse(
            "item",
            _(
                "Only a published open lesson or master class whose author or co-author is the visited teacher can "
                "be linked to the visit."
            ),
            "not_their_lesson",
        )
    if errors or visited is None or date is None:
        raise ValidationError(errors)
    return visited, date


def _check_state(visit: LessonVisit, by: Person) -> None:
    if visit.visitor_id != by.pk:
        raise ValidationError(_("Only the colleague who planned the visit changes it."), code="not_visitor")
    if visit.status == VisitStatus.DONE:
        raise ValidationError(
            _("The observation has been filled: the visit is fixed and no longer changes."), code="visit_filled"
        )
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError(_("The visit has been cancelled."), code="visit_cancelled")


@transaction.atomic
def visit_plan(
    *,
    visitor: Person,
    visited: Person | None,
    date: datetime.date | None,
    lesson: str,
    group: str = "",
    goal: str = "",
    item: ExperienceItem | None = None,
    today: datetime.date | None = None,
) -> LessonVisit:
    """The visitor plans a visit to a colleague's lesson (optionally the published open lesson it is)."""
    _check_visitor(visitor)
    lesson, group, goal = lesson.strip(), group.strip(), goal.strip()
    visited, date = _check_plan(
        visitor=visitor,
        visited=visited,
        date=date,
        lesson=lesson,
        group=group,
        goal=goal,
        item=item,
        today=today or timezone.localdate(),
    )
    visit = LessonVisit(visitor=visitor, visited=visited, date=date, lesson=lesson, group=group, goal=goal, item=item)
    visit.full_clean()
    visit.save()
    return visit


@transaction.atomic
def visit_update(
    *,
    visit: LessonVisit,
    by: Person,
    visited: Person | None,
    date: datetime.date | None,
    lesson: str,
    group: str = "",
    goal: str = "",
    item: ExperienceItem | None = None,
    today: datetime.date | None = None,
) -> LessonVisit:
    """The visitor changes their planned visit."""
    visit = LessonVisit.objects.select_for_update().get(pk=visit.pk)
    _check_state(visit, by)
    lesson, group, goal = lesson.strip(), group.strip(), goal.strip()
    visited, date = _check_plan(
        visitor=by,
        visited=visited,
        date=date,
        lesson=lesson,
        group=group,
        goal=goal,
        item=item,
        today=today or timezone.localdate(),
    )
    visit.visited, visit.date, visit.lesson, visit.group, visit.goal, visit.item = (
        visited,
        date,
        lesson,
        group,
        goal,
        item,
    )
    visit.full_clean()
    visit.save()
    return visit


@transaction.atomic
def visit_cancel(*, visit: LessonVisit, by: Person) -> LessonVisit:
    """The visitor cancels their planned visit (it stays on record, cancelled)."""
    visit = LessonVisit.objects.select_for_update().get(pk=visit.pk)
    _check_state(visit, by)
    visit.status = VisitStatus.CANCELLED
    visit.save(update_fields=["status"])
    return visit


def _check_ratings(ratings: Any) -> dict[str, int]:
    """The ratings as stored ({criterion: 0–VISIT_RATING_MAX}); errors keyed `rating_<criterion>` (the form's
    fields)."""
    if not isinstance(ratings, dict):
        ratings = {}
    errors: dict[str, list[ValidationError]] = {}
    names = [name for name, _label in VISIT_CRITERIA]
    unknown = sorted(str(key) for key in ratings if key not in names)
    if unknown:
        errors["ratings"] = [
            ValidationError(
                _("Unknown criteria: %(names)s.") % {"names": ", ".join(unknown)[:200]}, code="rating_unknown"
            )
        ]
    result: dict[str, int] = {}
    for name, label in VISIT_CRITERIA:
        value = ratings.get(name)
        if value is None or value == "":
            errors[f"rating_{name}"] = [
                ValidationError(_("Rate «%(criterion)s».") % {"criterion": label}, code="rating_required")
            ]
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= VISIT_RATING_MAX:
            errors[f"rating_{name}"] = [
                ValidationError(
                    _("A rating is a whole number from 0 to %(max)s.") % {"max": VISIT_RATING_MAX}, code="rating_range"
                )
            ]
        else:
            result[name] = value
    if errors:
        raise ValidationError(errors)
    return result


@transaction.atomic
def visit_fill(
    *,
    visit: LessonVisit,
    by: Person,
    worked: str,
    to_adopt: str,
    ratings: Any,
    goal: str | None = None,
    today: datetime.date | None = None,
) -> LessonVisit:
    """The visitor fills the observation after the lesson: what worked, what to adopt, a rating per criterion (and
    the goal, if they restate it). The visit is DONE and fixed from then on."""
    visit = LessonVisit.objects.select_for_update().get(pk=visit.pk)
    _check_state(visit, by)
    today = today or timezone.localdate()
    if visit.date > today:
        raise ValidationError(
            _("The lesson is on %(day)s: fill the observation once you have visited it.") % {"day": _day(visit.date)},
            code="visit_not_yet",
        )
    worked, to_adopt = worked.strip(), to_adopt.strip()
    errors: dict[str, list[ValidationError]] = {}
    for name, value, message in (
        ("worked", worked, _("Write what worked in the lesson.")),
        ("to_adopt", to_adopt, _("Write what you would adopt in your own work.")),
    ):
        if not value:
            errors[name] = [ValidationError(message, code="required")]
        elif len(value) > TEXT_MAX:
            errors[name] = [
                ValidationError(_("At most %(limit)s characters.") % {"limit": TEXT_MAX}, code="max_length")
            ]
    if goal is not None and len(goal.strip()) > TEXT_MAX:
        errors["goal"] = [ValidationError(_("At most %(limit)s characters.") % {"limit": TEXT_MAX}, code="max_length")]
    try:
        checked = _check_ratings(ratings)
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    if goal is not None:
        visit.goal = goal.strip()
    visit.worked, visit.to_adopt, visit.ratings = worked, to_adopt, checked
    visit.status, visit.filled_at = VisitStatus.DONE, timezone.now()
    visit.full_clean()
    visit.save()
    return visit


# ---------------------------------------------------------------- adoptions


@transaction.atomic
def adoption_mark(
    *, item: ExperienceItem, person: Person, kind: str, note: str = "", day: datetime.date | None = None
) -> Adoption:
    """The person marks that they adopted the published item in their work, or referenced it, with a note."""
    item = ExperienceItem.objects.select_for_update().get(pk=item.pk)
    if item.status != ItemStatus.PUBLISHED:
        raise ValidationError(_("Only published experience is adopted or referenced."), code="not_published")
    if person.is_external:
        raise ValidationError(_("Adoptions are marked by staff members."), code="not_staff")
    if kind not in AdoptionKind.values:
        raise ValidationError(_("Choose whether you adopted the experience or referenced it."), code="invalid_choice")
    if not item.is_external and _is_author(item, person.pk):
        raise ValidationError(_("This is your own experience: its adoption is marked by colleagues."), code="own_item")
    note = note.strip()
    if len(note) > TEXT_MAX:
        raise ValidationError(_("At most %(limit)s characters.") % {"limit": TEXT_MAX}, code="max_length")
    already = ValidationError(
        _("You have already marked this: %(kind)s.") % {"kind": AdoptionKind(kind).label}, code="already_marked"
    )
    if Adoption.objects.filter(item=item, person=person, kind=kind).exists():
        raise already
    adoption = Adoption(item=item, person=person, kind=kind, note=note, date=day or timezone.localdate())
    adoption.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            adoption.save()
    except IntegrityError:  # marked at the same moment in another tab
        raise already from None
    return adoption


@transaction.atomic
def adoption_withdraw(*, adoption: Adoption, by: Person) -> None:
    """The person withdraws their own mark."""
    adoption = Adoption.objects.select_for_update().get(pk=adoption.pk)
    if adoption.person_id != by.pk:
        raise ValidationError(_("Only the colleague who marked it withdraws the mark."), code="not_yours")
    adoption.delete()
