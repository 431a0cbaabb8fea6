"""The life of an experience item: filing, review by the association head, the methodological council, publication
in the catalogue; outside experience; the stages of generalised experience; files and links.

The way of an item (ExperienceItem.status):

1. `item_create` / `item_update` / `item_delete`: any staff member files an item as its author (DRAFT); the author
   and the co-authors edit or delete it while it is a draft or returned;
2. `item_submit`: the author or a co-author sends it to the head of its association (SUBMITTED);
3. `item_review`: a head of the item's association today scores the rubric (relevance, novelty, practical value,
   quality of presentation, 0–2 each) and recommends it to the council (REVIEWED) or returns it with a comment
   (RETURNED: the author edits and submits again);
4. `council_add` / `council_remove`: the methodist or the deputy puts a reviewed item on the agenda of a meeting of
   the methodological council (a question of planning's protocol, owned by the item) or takes it off while the
   protocol is unsigned; `council_outcome`: the methodist, the deputy, or the council's chair or secretary records
   the council's outcome before the protocol is signed (recommend, or return with a comment: a Review by the
   council), written as the question's РЕШИЛИ;
5. signing the protocol (planning.services.protocol_sign) asks the guards at the end of this module: no item on it
   without an outcome, no outcome against the recorded vote; with both signatures the item becomes RECOMMENDED (or
   RETURNED) in the same transaction;
6. `item_publish`: the methodist publishes an item the council recommended in a signed protocol (PUBLISHED);
   `item_unpublish`: the methodist takes it out of the catalogue again, with a reason (back to RECOMMENDED: the
   council's recommendation stands, the methodist may publish it again).

Outside experience (regulation 1.4, `external_create` / `external_update`): the methodist adds federal or regional
best practice with its source; it is published at once, without review.

The vote rule (`experience_vote`): the council votes on the recommendation. Once votes are recorded on the question,
the recommendation is carried only by more votes for than against and abstained together (abstentions do not help a
proposal pass); then the outcome must be «recommend», otherwise «return». Without recorded votes (an open
consensus) the outcome stands as recorded.

Every refusal is a ValidationError with a code, and nothing is written:

- who: `not_staff` (an external researcher filing), `not_author` (neither the author nor a co-author), `own_item`
  (reviewing one's own or co-authored item), `not_head` (not heading the item's association today),
  `not_methodist` (council agenda: the methodist or the deputy; publication and outside experience: the methodist),
  `not_recorder` (the council's outcome), `not_stage_recorder`;
- the item's state: `not_editable` (not a draft nor returned), `external_item` / `not_external`, `not_submitted`,
  `not_reviewed`, `not_on_agenda`, `already_published`, `not_published`, `no_council_decision` (publishing without
  a signed council protocol recommending it), `item_in_use` (deleting an item lesson visits refer to);
- the data (on the field concerned): `required`, `too_long`, `wrong_kind`, `wrong_level`, `date_out_of_range`,
  `not_association` (not a subject association active today), `co_author_not_staff`, `co_author_is_author`,
  `incomplete` / `no_association` (submitting without title, topic, relevance, results or association),
  `rubric_required`, `rubric_range`, `wrong_outcome`, `comment_required`, `reason_required`, `source_required`,
  `link_or_file`, `evidence_link` (a link that is not http(s)), `too_many_files`, `too_many_links` and the upload
  codes (`file_type`, `file_too_big`, `extension_mismatch`, `file_empty`);
- the council: `not_council` (a meeting of another unit), `meeting_signed`, `meeting_past` (a meeting already held
  when the item is put on its agenda), `meeting_not_held` (the outcome before the meeting), `experience_vote`;
  through planning's pages: `experience_question` (deleting the question, changing its title, or its РЕШИЛИ once the
  outcome is recorded), `experience_outcome_missing` and `experience_vote` when signing;
- the stages: `not_generalised`, `unknown_stage`, `stage_recorded` (a second record of a stage), `stage_order`
  (skipping a stage), `stage_date` (before the previous stage's date), `stage_in_future`, `responsible_not_staff`,
  `stage_not_last` (only the last stage recorded is deleted).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from metodservice.common import uploads
from metodservice.common.models import NotificationKind
from metodservice.common.notifications import notify
from planning import services as planning
from planning.models import AgendaItem, Meeting, WorkDirection
from planning.services.execution import evidence_link_validator
from structure.models import ASSOCIATION_KINDS, MemberRole, Membership, Person, SystemRole, Unit, UnitKind

from ..models import (
    RUBRIC,
    RUBRIC_MAX,
    STAGE_ORDER,
    ExperienceItem,
    ItemFile,
    ItemKind,
    ItemLink,
    ItemStage,
    ItemStatus,
    LessonVisit,
    Level,
    Review,
    ReviewOutcome,
    Stage,
)
from ..selectors.items import EDITABLE, written_by_its_head

TITLE_LENGTH = 500
TEXT_LENGTH = 20_000
FILE_TITLE_LENGTH = 300
LINK_LENGTH = 1000
REASON_LENGTH = 1000
#: The most files and links one item holds.
MAX_FILES = 20
MAX_LINKS = 20
#: The dates an item may carry: not before this day, at most a year ahead (an open lesson planned for the spring).
EARLIEST_DATE = datetime.date(1950, 1, 1)
DAYS_AHEAD = 366


def _day(value: datetime.date) -> str:
    return f"{value:%d.%m.%Y}"


# ---------------------------------------------------------------- who


def _system_role(person: Person) -> str | None:
    position = person.position
    return position.system_role if position is not None else None


def _is_methodist(person: Person) -> bool:
    return _system_role(person) == SystemRole.METHODIST


def _is_methodist_or_deputy(person: Person) -> bool:
    return _system_role(person) in (SystemRole.METHODIST, SystemRole.DEPUTY)


def _is_author(item: ExperienceItem, person: Person) -> bool:
    return item.author_id == person.pk or item.co_authors.filter(pk=person.pk).exists()


def _heads(person: Person, unit_id: int | None, day: datetime.date) -> bool:
    return (
        unit_id is not None
        and Membership.objects.active_on(day).filter(person=person, unit_id=unit_id, role=MemberRole.HEAD).exists()
    )


def _require_methodist(by: Person, *, deputy: bool = False) -> None:
    if deputy and not _is_methodist_or_deputy(by):
        raise ValidationError(
            _("Only the methodist or the deputy director for methodical work does this."), code="not_methodist"
        )
    if not deputy and not _is_methodist(by):
        raise ValidationError(_("Only the methodist does this."), code="not_methodist")


def _require_author(item: ExperienceItem, by: Person) -> None:
    if not _is_author(item, by):
        raise ValidationError(_("Only the item's author and co-authors change it."), code="not_author")


def _require_editable(item: ExperienceItem) -> None:
    if item.status not in EDITABLE:
        raise ValidationError(
            _("The item is «%(status)s»: it changes only as a draft or when returned to the author.")
            % {"status": item.get_status_display()},
            code="not_editable",
        )


def _require_internal(item: ExperienceItem) -> None:
    if item.is_external:
        raise ValidationError(
            _("This is outside experience: it is published by the methodist without review."), code="external_item"
        )


def _locked(item: ExperienceItem) -> ExperienceItem:
    return (
        ExperienceItem.objects.select_for_update(of=("self",))
        .select_related("author", "association", "council_question__meeting")
        .get(pk=item.pk)
    )


def _require_content_editor(item: ExperienceItem, by: Person) -> None:
    """Files, links: the authors of an item in a draft or returned; the methodist for outside experience."""
    if item.is_external:
        _require_methodist(by)
        return
    _require_author(item, by)
    _require_editable(item)


# ---------------------------------------------------------------- the item's fields


class _Errors:
    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: str) -> None:
        self.errors.setdefault(field, []).append(ValidationError(message, code=code))

    def raise_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _text(value: str | None, *, single_line: bool = False) -> str:
    value = value or ""
    return " ".join(value.split()) if single_line else value.strip()


def _check_length(errors: _Errors, field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.add(field, _("Too long: at most %(limit)s characters.") % {"limit": limit}, "too_long")


def _clean_common(
    errors: _Errors,
    *,
    kind: str,
    title: str,
    date: datetime.date | None,
    level: str,
    topic: str,
    relevance: str,
    novelty: str,
    results: str,
    today: datetime.date,
) -> dict:
    texts: dict[str, str] = {
        "title": _text(title, single_line=True),
        "topic": _text(topic, single_line=True),
        "relevance": _text(relevance),
        "novelty": _text(novelty),
        "results": _text(results),
    }
    if kind not in ItemKind.values:
        errors.add("kind", _("Choose the kind of experience."), "wrong_kind")
    if level not in Level.values:
        errors.add("level", _("Choose the level."), "wrong_level")
    if not texts["title"]:
        errors.add("title", _("Enter the title."), "required")
    for field, text in texts.items():
        _check_length(errors, field, text, TITLE_LENGTH if field in ("title", "topic") else TEXT_LENGTH)
    latest = today + datetime.timedelta(days=DAYS_AHEAD)
    if date is None:
        errors.add("date", _("Enter the date."), "required")
    elif not EARLIEST_DATE <= date <= latest:
        errors.add(
            "date",
            _("The date must fall between %(earliest)s and %(latest)s.")
            % {"earliest": _day(EARLIEST_DATE), "latest": _day(latest)},
            "date_out_of_range",
        )
    return {"kind": kind, "date": date, "level": level, **texts}


def _check_association(errors: _Errors, association: Unit | None, today: datetime.date) -> None:
    if association is None:
        return
    if association.kind not in ASSOCIATION_KINDS or not association.is_active_on(today):
        errors.add(
            "association",
            _("«%(unit)s» is not a subject association of the college today.") % {"unit": association.name},
            "not_association",
        )


def _clean_co_authors(errors: _Errors, co_authors: Iterable[Person], author_id: int) -> list[Person]:
    people = list({person.pk: person for person in co_authors}.values())
    for person in people:
        if person.is_external:
            errors.add(
                "co_authors",
                _("%(person)s is not on the college's staff: co-authors are colleagues.")
                % {"person": person.full_name},
                "co_author_not_staff",
            )
        if person.pk == author_id:
            errors.add(
                "co_authors",
                _("%(person)s is the item's author, not a co-author.") % {"person": person.full_name},
                "co_author_is_author",
            )
    return people


# ---------------------------------------------------------------- filing


@transaction.atomic
def item_create(
    *,
    by: Person,
    kind: str,
    title: str,
    date: datetime.date | None,
    level: str = Level.COLLEGE,
    co_authors: Iterable[Person] = (),
    direction: WorkDirection | None = None,
    association: Unit | None = None,
    topic: str = "",
    relevance: str = "",
    novelty: str = "",
    results: str = "",
    today: datetime.date | None = None,
) -> ExperienceItem:
    """A new item (DRAFT) filed by `by` as its author."""
    today = today or timezone.localdate()
    if by.is_external:
        raise ValidationError(
            _("Experience items are filed by the college's staff; an external researcher works in the lab."),
            code="not_staff",
        )
    errors = _Errors()
    data = _clean_common(
        errors,
        kind=kind,
        title=title,
        date=date,
        level=level,
        topic=topic,
        relevance=relevance,
        novelty=novelty,
        results=results,
        today=today,
    )
    _check_association(errors, association, today)
    people = _clean_co_authors(errors, co_authors, by.pk)
    errors.raise_any()
    item = ExperienceItem(author=by, direction=direction, association=association, status=ItemStatus.DRAFT, **data)
    item.full_clean()
    item.save()
    item.co_authors.set(people)
    return item


@transaction.atomic
def item_update(
    *,
    item: ExperienceItem,
    by: Person,
    kind: str,
    title: str,
    date: datetime.date | None,
    level: str = Level.COLLEGE,
    co_authors: Iterable[Person] = (),
    direction: WorkDirection | None = None,
    association: Unit | None = None,
    topic: str = "",
    relevance: str = "",
    novelty: str = "",
    results: str = "",
    today: datetime.date | None = None,
) -> ExperienceItem:
    """Change a draft or returned item (its author or a co-author). The author stays; co-authors may change."""
    today = today or timezone.localdate()
    item = _locked(item)
    _require_internal(item)
    _require_author(item, by)
    _require_editable(item)
    errors = _Errors()
    data = _clean_common(
        errors,
        kind=kind,
        title=title,
        date=date,
        level=level,
        topic=topic,
        relevance=relevance,
        novelty=novelty,
        results=results,
        today=today,
    )
    _check_association(errors, association, today)
    people = _clean_co_authors(errors, co_authors, item.author_id)
    errors.raise_any()
    for field, value in data.items():
        setattr(item, field, value)
    item.direction, item.association = direction, association
    item.full_clean()
    item.save()
    if {p.pk for p in item.co_authors.all()} != {p.pk for p in people}:
        item.co_authors.set(people)
    return item


@transaction.atomic
def item_delete(*, item: ExperienceItem, by: Person) -> None:
    """Delete a draft or returned item (its authors) or an outside item (the methodist), with its files (removed from
    storage once the deletion commits), links, reviews and stages."""
    item = _locked(item)
    if item.is_external:
        _require_methodist(by)
    else:
        _require_author(item, by)
        _require_editable(item)
    if LessonVisit.objects.filter(item=item).exists():
        raise ValidationError(
            _("Lesson visits refer to this item: it stays as their record."),
            code="item_in_use",
        )
    files = [(f.file.storage, f.file.name) for f in item.files.all()]
    item.delete()
    for storage, name in files:
        uploads.delete_on_commit(storage, name or "")


# ---------------------------------------------------------------- review


#: What a submitted item must say (the register card of DOMAIN.md).
REQUIRED_TO_SUBMIT = (
    ("title", _lazy("title")),
    ("topic", _lazy("topic")),
    ("relevance", _lazy("relevance")),
    ("results", _lazy("results")),
)


@transaction.atomic
def item_submit(*, item: ExperienceItem, by: Person, today: datetime.date | None = None) -> ExperienceItem:
    """Send a draft or returned item to the head of its association (SUBMITTED)."""
    today = today or timezone.localdate()
    item = _locked(item)
    _require_internal(item)
    _require_author(item, by)
    _require_editable(item)
    missing = [str(label) for field, label in REQUIRED_TO_SUBMIT if not getattr(item, field).strip()]
    if missing:
        raise ValidationError(
            _("Fill in before submitting: %(fields)s.") % {"fields": ", ".join(missing)}, code="incomplete"
        )
    if item.association is None:
        raise ValidationError(_("Choose the subject association whose head reviews the item."), code="no_association")
    errors = _Errors()
    _check_association(errors, item.association, today)
    if errors.errors:
        raise ValidationError(errors.errors["association"][0].message, code="not_association")
    item.status = ItemStatus.SUBMITTED
    item.submitted_at = timezone.now()
    # A returned item goes through the review again, and to a new question of the council.
    item.council_question = None
    item.council_recommends = None
    item.save()
    notify(
        _reviewers(item, today),
        kind=NotificationKind.REVIEW_REQUESTED,
        text=_("«%(title)s» waits for your review.") % {"title": item.title},
        url=item.get_absolute_url(),
        key=f"item:{item.pk}:review:{item.submitted_at.isoformat()}",
    )
    return item


def _reviewers(item: ExperienceItem, day: datetime.date) -> list[int | None]:
    """The accounts of who reviews the item: the heads of its association today who are not its authors; the
    methodists when every head is (as selectors.items.review_queue lists it)."""
    authors = {item.author_id, *item.co_authors.values_list("pk", flat=True)}
    heads = (
        Membership.objects.active_on(day)
        .filter(unit_id=item.association_id, role=MemberRole.HEAD)
        .exclude(person_id__in=authors)
        .values_list("person__user_id", flat=True)
    )
    found = list(heads)
    if found:
        return found
    return list(
        Person.objects.staff()
        .filter(position__system_role=SystemRole.METHODIST)
        .exclude(pk__in=authors)
        .values_list("user_id", flat=True)
    )


def _not_own(item: ExperienceItem, by: Person) -> None:
    if _is_author(item, by):
        raise ValidationError(
            _("You are an author of this item: nobody reviews their own experience."), code="own_item"
        )


@transaction.atomic
def item_review(
    *,
    item: ExperienceItem,
    by: Person,
    outcome: str,
    relevance: int | None,
    novelty: int | None,
    practical_value: int | None,
    presentation: int | None,
    comment: str = "",
    today: datetime.date | None = None,
) -> Review:
    """The head of the item's association reviews it — the methodist when an author heads that association —: the
    rubric (0–2 each), a comment (required to return), and recommends it to the council (REVIEWED) or returns it to
    the author (RETURNED)."""
    today = today or timezone.localdate()
    item = _locked(item)
    if item.status != ItemStatus.SUBMITTED:
        raise ValidationError(
            _("The item is «%(status)s»: only a submitted item is reviewed.") % {"status": item.get_status_display()},
            code="not_submitted",
        )
    _not_own(item, by)
    head_wrote_it = written_by_its_head(item, today)
    if head_wrote_it and not _is_methodist(by):
        raise ValidationError(
            _("A head of «%(unit)s» is an author of this item: the methodist reviews it.")
            % {"unit": item.association.name if item.association else "—"},
            code="methodist_reviews",
        )
    if not head_wrote_it and not _heads(by, item.association_id, today):
        raise ValidationError(
            _("The item is reviewed by the head of its association, «%(unit)s».")
            % {"unit": item.association.name if item.association else "—"},
            code="not_head",
        )
    errors = _Errors()
    scores = {"relevance": relevance, "novelty": novelty, "practical_value": practical_value}
    scores["presentation"] = presentation
    for field, _label in RUBRIC:
        value = scores[field]
        if value is None:
            errors.add(field, _("Give a score from 0 to 2."), "rubric_required")
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= RUBRIC_MAX:
            errors.add(field, _("A score is 0, 1 or 2."), "rubric_range")
    if outcome not in ReviewOutcome.values:
        errors.add("outcome", _("Recommend the item to the council or return it to the author."), "wrong_outcome")
    comment = _text(comment)
    _check_length(errors, "comment", comment, TEXT_LENGTH)
    if outcome == ReviewOutcome.RETURN and not comment:
        errors.add("comment", _("Say what the author should correct: a return needs a comment."), "comment_required")
    errors.raise_any()
    review = Review.objects.create(item=item, reviewer=by, outcome=outcome, comment=comment, **scores)
    item.status = ItemStatus.REVIEWED if outcome == ReviewOutcome.RECOMMEND else ItemStatus.RETURNED
    item.save()
    return review


# ---------------------------------------------------------------- the methodological council


def _meeting_open(meeting: Meeting) -> bool:
    return not (meeting.is_locked or meeting.chair_signed_at or meeting.secretary_signed_at)


def _require_meeting_open(meeting: Meeting) -> None:
    if not _meeting_open(meeting):
        raise ValidationError(
            _("The protocol of the meeting of %(date)s carries a signature: its agenda and decisions no longer change.")
            % {"date": _day(meeting.date)},
            code="meeting_signed",
        )


def authors_line(item: ExperienceItem) -> str:
    """«Миронов П.А., Орлова М.Г.»: the author and the co-authors (or the outside authors)."""
    if item.is_external:
        return item.external_authors
    return ", ".join([item.author.short_name, *(p.short_name for p in item.co_authors.order_by("last_name"))])


def question_title(item: ExperienceItem) -> str:
    """The question of the council's agenda (Russian: the protocol's text)."""
    title = item.title if len(item.title) <= 300 else item.title[:299] + "…"
    return f"О рекомендации педагогического опыта к распространению: «{title}» ({item.author.short_name})"[:500]


def decision_text(item: ExperienceItem, recommends: bool, comment: str) -> str:
    """The question's РЕШИЛИ for the council's outcome (Russian: the protocol's text)."""
    title, authors = item.title, authors_line(item)
    if recommends:
        text = (
            f"Рекомендовать педагогический опыт «{title}» ({authors}) к распространению и публикации "
            "в методическом кабинете техникума."
        )
        return f"{text} {comment}" if comment else text
    return f"Вернуть материалы опыта «{title}» ({authors}) автору на доработку. Замечания: {comment}"


def _council_reviews(item: ExperienceItem):
    """The council's reviews of the item's current round: after the latest review by the association head."""
    reviews = Review.objects.filter(item=item, by_council=True)
    last_head = Review.objects.filter(item=item, by_council=False).order_by("-pk").values_list("pk", flat=True).first()
    return reviews.filter(pk__gt=last_head) if last_head is not None else reviews


@transaction.atomic
def council_add(
    *, item: ExperienceItem, meeting: Meeting, by: Person, today: datetime.date | None = None
) -> ExperienceItem:
    """Put a reviewed item on the agenda of a meeting of the methodological council (the item owns the question);
    an item on another meeting's open agenda moves."""
    today = today or timezone.localdate()
    _require_methodist(by, deputy=True)
    item = _locked(item)
    if item.status != ItemStatus.REVIEWED:
        raise ValidationError(
            _("Only an item the association recommended goes to the council; this one is «%(status)s».")
            % {"status": item.get_status_display()},
            code="not_reviewed",
        )
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("unit").get(pk=meeting.pk)
    if meeting.unit.kind != UnitKind.COUNCIL:
        raise ValidationError(
            {
                "meeting": ValidationError(
                    _("«%(unit)s» is not the methodological council.") % {"unit": meeting.unit.name},
                    code="not_council",
                )
            }
        )
    _require_meeting_open(meeting)
    if meeting.date < today:
        raise ValidationError(
            {
                "meeting": ValidationError(
                    _("The meeting of %(date)s has taken place: choose a meeting still to come.")
                    % {"date": _day(meeting.date)},
                    code="meeting_past",
                )
            }
        )
    old = item.council_question
    if old is not None and old.meeting_id == meeting.pk:
        return item
    if old is not None:
        _require_meeting_open(old.meeting)
    question = planning.agenda_add(meeting=meeting, title=question_title(item), speaker=item.author)
    item.council_question = question
    item.council_recommends = None
    item.save()
    if old is not None:
        _council_reviews(item).delete()
        planning.agenda_delete(item=old, by_owner=True)
    return item


@transaction.atomic
def council_remove(*, item: ExperienceItem, by: Person) -> ExperienceItem:
    """Take the item's question off the agenda while the protocol is unsigned; the item stays recommended by the
    association and waits for another meeting."""
    _require_methodist(by, deputy=True)
    item = _locked(item)
    question = item.council_question
    if item.status != ItemStatus.REVIEWED or question is None:
        raise ValidationError(_("The item is on no council's agenda."), code="not_on_agenda")
    _require_meeting_open(question.meeting)
    _council_reviews(item).delete()
    item.council_question = None
    item.council_recommends = None
    item.save()
    planning.agenda_delete(item=question, by_owner=True)
    return item


def _records_outcome(person: Person, meeting: Meeting, day: datetime.date) -> bool:
    """The methodist, the deputy, the meeting's chair or secretary, or who chairs or keeps the council's minutes
    today."""
    if _is_methodist_or_deputy(person) or person.pk in (meeting.chair_id, meeting.secretary_id):
        return True
    return (
        Membership.objects.active_on(day)
        .filter(person=person, unit_id=meeting.unit_id, role__in=(MemberRole.HEAD, MemberRole.SECRETARY))
        .exists()
    )


def vote_carries(question: AgendaItem) -> bool | None:
    """What the vote recorded on the question says of the recommendation: True (more for than against and abstained
    together), False, or None when no vote is recorded."""
    votes = (question.votes_for, question.votes_against, question.votes_abstained)
    if all(v is None for v in votes):
        return None
    return (votes[0] or 0) > (votes[1] or 0) + (votes[2] or 0)


def _check_vote(question: AgendaItem, recommends: bool) -> None:
    carries = vote_carries(question)
    if carries is None or carries == recommends:
        return
    counts = {
        "number": question.position,
        "for": question.votes_for or 0,
        "against": question.votes_against or 0,
        "abstained": question.votes_abstained or 0,
    }
    if recommends:
        message = _(
            "The vote on question No. %(number)s (for %(for)s, against %(against)s, abstained %(abstained)s) does "
            "not carry the recommendation: it needs more votes for than against and abstained together."
        )
    else:
        message = _(
            "The vote on question No. %(number)s (for %(for)s, against %(against)s, abstained %(abstained)s) "
            "carries the recommendation: returning the item contradicts it. Correct the votes or the outcome."
        )
    raise ValidationError(message % counts, code="experience_vote")


@transaction.atomic
def council_outcome(
    *,
    item: ExperienceItem,
    by: Person,
    recommends: bool,
    comment: str = "",
    today: datetime.date | None = None,
) -> ExperienceItem:
    """Record the council's outcome on the item's question, after the meeting and before its protocol is signed
    (again, to correct it): recommend, or return with a comment. Written as the question's РЕШИЛИ and as a review by
    the council; the item's status follows when the protocol is signed."""
    today = today or timezone.localdate()
    item = _locked(item)
    question = item.council_question
    if item.status != ItemStatus.REVIEWED or question is None:
        raise ValidationError(_("The item is on no council's agenda."), code="not_on_agenda")
    meeting = Meeting.objects.select_for_update().get(pk=question.meeting_id)
    if not _records_outcome(by, meeting, today):
        raise ValidationError(
            _("The council's outcome is recorded by the methodist, the deputy, or the council's chair or secretary."),
            code="not_recorder",
        )
    _require_meeting_open(meeting)
    if meeting.date > today:
        raise ValidationError(
            _("The meeting is on %(date)s: its outcome is recorded once it has taken place.")
            % {"date": _day(meeting.date)},
            code="meeting_not_held",
        )
    comment = _text(comment)
    if len(comment) > TEXT_LENGTH:
        raise ValidationError(
            {
                "comment": ValidationError(
                    _("Too long: at most %(limit)s characters.") % {"limit": TEXT_LENGTH}, code="too_long"
                )
            }
        )
    if not recommends and not comment:
        raise ValidationError(
            {
                "comment": ValidationError(
                    _("Say what the author should correct: a return needs a comment."), code="comment_required"
                )
            }
        )
    question = AgendaItem.objects.select_related("meeting").get(pk=question.pk)
    _check_vote(question, recommends)
    _council_reviews(item).delete()
    Review.objects.create(
        item=item,
        reviewer=by,
        outcome=ReviewOutcome.RECOMMEND if recommends else ReviewOutcome.RETURN,
        comment=comment,
        by_council=True,
    )
    planning.agenda_update(
        item=question,
        title=question.title,
        speaker=question.speaker,
        plan_item=question.plan_item,
        plan=question.plan,
        heard=question.heard,
        spoke=question.spoke,
        decided=decision_text(item, recommends, comment),
        votes_for=question.votes_for,
        votes_against=question.votes_against,
        votes_abstained=question.votes_abstained,
        by_owner=True,
    )
    item.council_recommends = recommends
    item.council_question = question  # as written now (РЕШИЛИ)
    item.save()
    return item


# ---------------------------------------------------------------- publication


def has_council_decision(item: ExperienceItem) -> bool:
    """The council recommended the item in a signed protocol."""
    question = item.council_question
    return bool(
        item.status == ItemStatus.RECOMMENDED
        and item.council_recommends
        and question is not None
        and question.meeting.is_signed
    )


@transaction.atomic
def item_publish(*, item: ExperienceItem, by: Person) -> ExperienceItem:
    """The methodist publishes an item the council recommended (a signed protocol) in the catalogue (PUBLISHED)."""
    _require_methodist(by)
    item = _locked(item)
    if item.status == ItemStatus.PUBLISHED:
        raise ValidationError(_("The item is already published."), code="already_published")
    if not has_council_decision(item):
        raise ValidationError(
            _("An item is published once the methodological council has recommended it in a signed protocol."),
            code="no_council_decision",
        )
    item.status = ItemStatus.PUBLISHED
    item.published_at = timezone.now()
    item.published_by = by
    item.save()
    return item


@transaction.atomic
def item_unpublish(*, item: ExperienceItem, by: Person, reason: str) -> ExperienceItem:
    """The methodist takes a published item out of the catalogue, saying why (RECOMMENDED again: the council's
    recommendation stands, and the item may be published again). Outside experience is deleted instead."""
    _require_methodist(by)
    item = _locked(item)
    if item.status != ItemStatus.PUBLISHED:
        raise ValidationError(_("The item is not published."), code="not_published")
    if item.is_external:
        raise ValidationError(
            _("Outside experience is not unpublished: delete it from the catalogue instead."), code="external_item"
        )
    reason = _text(reason, single_line=True)
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Say why the item leaves the catalogue."), code="reason_required")}
        )
    if len(reason) > REASON_LENGTH:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Too long: at most %(limit)s characters.") % {"limit": REASON_LENGTH}, code="too_long"
                )
            }
        )
    item.status = ItemStatus.RECOMMENDED
    item.published_at = None
    item.published_by = None
    item._change_reason = (_("Unpublished: %(reason)s") % {"reason": reason})[:100]  # type: ignore[attr-defined]
    item.save()
    return item


# ---------------------------------------------------------------- outside experience


def _outside_fields(errors: _Errors, source: str, external_authors: str) -> tuple[str, str]:
    source, external_authors = _text(source, single_line=True), _text(external_authors, single_line=True)
    if not source:
        errors.add(
            "source",
            _("Name the source: the federal or regional collection, journal or site the experience comes from."),
            "source_required",
        )
    _check_length(errors, "source", source, 500)
    _check_length(errors, "external_authors", external_authors, 500)
    return source, external_authors


@transaction.atomic
def external_create(
    *,
    by: Person,
    kind: str,
    title: str,
    source: str,
    date: datetime.date | None,
    level: str = Level.FEDERAL,
    external_authors: str = "",
    direction: WorkDirection | None = None,
    topic: str = "",
    relevance: str = "",
    novelty: str = "",
    results: str = "",
    link_url: str = "",
    link_title: str = "",
    file=None,
    file_title: str = "",
    today: datetime.date | None = None,
) -> ExperienceItem:
    """The methodist adds outside experience (regulation 1.4) with its source and a link or a file: published at
    once, marked as outside experience, without review."""
    today = today or timezone.localdate()
    _require_methodist(by)
    errors = _Errors()
    data = _clean_common(
        errors,
        kind=kind,
        title=title,
        date=date,
        level=level,
        topic=topic,
        relevance=relevance,
        novelty=novelty,
        results=results,
        today=today,
    )
    source, external_authors = _outside_fields(errors, source, external_authors)
    link_url = (link_url or "").strip()
    if not link_url and not file:
        errors.add("link_url", _("Give a link to the experience or attach a file."), "link_or_file")
    if link_url:
        _check_link(errors, "link_url", link_url)
    link_title = _text(link_title, single_line=True)
    _check_length(errors, "link_title", link_title, 300)
    upload = None
    if file:
        file_title = _text(file_title, single_line=True) or data["title"][:FILE_TITLE_LENGTH]
        _check_length(errors, "file_title", file_title, FILE_TITLE_LENGTH)
        upload = _checked(errors, "file", file)
    errors.raise_any()
    now = timezone.now()
    item = ExperienceItem(
        author=by,
        direction=direction,
        is_external=True,
        source=source,
        external_authors=external_authors,
        status=ItemStatus.PUBLISHED,
        published_at=now,
        published_by=by,
        **data,
    )
    item.full_clean()
    item.save()
    if link_url:
        ItemLink.objects.create(item=item, url=link_url, title=link_title)
    if upload is not None:
        _store(item, by, file_title, upload)
    return item


@transaction.atomic
def external_update(
    *,
    item: ExperienceItem,
    by: Person,
    kind: str,
    title: str,
    source: str,
    date: datetime.date | None,
    level: str = Level.FEDERAL,
    external_authors: str = "",
    direction: WorkDirection | None = None,
    topic: str = "",
    relevance: str = "",
    novelty: str = "",
    results: str = "",
    today: datetime.date | None = None,
) -> ExperienceItem:
    """The methodist corrects an outside item (its files and links are added and removed on its page)."""
    today = today or timezone.localdate()
    _require_methodist(by)
    item = _locked(item)
    if not item.is_external:
        raise ValidationError(_("This is not outside experience."), code="not_external")
    errors = _Errors()
    data = _clean_common(
        errors,
        kind=kind,
        title=title,
        date=date,
        level=level,
        topic=topic,
        relevance=relevance,
        novelty=novelty,
        results=results,
        today=today,
    )
    item.source, item.external_authors = _outside_fields(errors, source, external_authors)
    errors.raise_any()
    for field, value in data.items():
        setattr(item, field, value)
    item.direction = direction
    item.full_clean()
    item.save()
    return item


# ---------------------------------------------------------------- generalised experience: the stages


def _require_stage_recorder(item: ExperienceItem, by: Person, today: datetime.date) -> None:
    if item.kind != ItemKind.GENERALISED:
        raise ValidationError(_("Stages are recorded for generalised experience only."), code="not_generalised")
    if not (_is_author(item, by) or _heads(by, item.association_id, today)):
        raise ValidationError(
            _("The stages are recorded by the item's authors or the head of its association."),
            code="not_stage_recorder",
        )


def next_stage(recorded: Iterable[str]) -> str | None:
    """The stage that comes next after those recorded, or None when all five are."""
    done = set(recorded)
    return next((stage for stage in STAGE_ORDER if stage not in done), None)


@transaction.atomic
def stage_record(
    *,
    item: ExperienceItem,
    by: Person,
    stage: str,
    date: datetime.date | None,
    responsible: Person | None,
    note: str = "",
    today: datetime.date | None = None,
) -> ItemStage:
    """Record the next stage of generalised experience reached (выявление → изучение → обобщение → распространение →
    внедрение): a date not before the previous stage's and not after today, the staff member responsible, a note."""
    today = today or timezone.localdate()
    item = _locked(item)
    _require_stage_recorder(item, by, today)
    if stage not in Stage.values:
        raise ValidationError({"stage": ValidationError(_("Choose the stage."), code="unknown_stage")})
    recorded = list(ItemStage.objects.select_for_update().filter(item=item).order_by("date", "pk"))
    if any(row.stage == stage for row in recorded):
        raise ValidationError(
            {
                "stage": ValidationError(
                    _("The stage «%(stage)s» is already recorded.") % {"stage": Stage(stage).label},
                    code="stage_recorded",
                )
            }
        )
    expected = next_stage(row.stage for row in recorded)
    if stage != expected:
        raise ValidationError(
            {
                "stage": ValidationError(
                    _("The stages follow one another: the next one is «%(stage)s».")
                    % {"stage": Stage(expected).label if expected else "—"},
                    code="stage_order",
                )
            }
        )
    errors = _Errors()
    previous = max(recorded, key=lambda row: STAGE_ORDER.index(Stage(row.stage)), default=None)
    if date is None:
        errors.add("date", _("Enter the date."), "required")
    elif date > today:
        errors.add(
            "date", _("A stage is recorded once it is reached: the date cannot be in the future."), "stage_in_future"
        )
    elif previous is not None and date < previous.date:
        errors.add(
            "date",
            _("The previous stage «%(stage)s» was reached on %(date)s: this one cannot be earlier.")
            % {"stage": previous.get_stage_display(), "date": _day(previous.date)},
            "stage_date",
        )
    if responsible is None:
        errors.add("responsible", _("Name the person responsible."), "required")
    elif responsible.is_external:
        errors.add(
            "responsible",
            _("%(person)s is not on the college's staff.") % {"person": responsible.full_name},
            "responsible_not_staff",
        )
    note = _text(note)
    _check_length(errors, "note", note, TEXT_LENGTH)
    errors.raise_any()
    assert date is not None and responsible is not None
    return ItemStage.objects.create(item=item, stage=stage, date=date, responsible=responsible, note=note)


@transaction.atomic
def stage_delete(*, stage: ItemStage, by: Person, today: datetime.date | None = None) -> None:
    """Delete the last stage recorded (a mistake corrected); an earlier one stays: the stages after it rest on it."""
    today = today or timezone.localdate()
    item = _locked(stage.item)
    _require_stage_recorder(item, by, today)
    stages = list(ItemStage.objects.select_for_update().filter(item=item))
    last = max(stages, key=lambda row: STAGE_ORDER.index(Stage(row.stage)), default=None)
    if last is None or last.pk != stage.pk:
        raise ValidationError(_("Only the last stage recorded can be deleted."), code="stage_not_last")
    last.delete()


# ---------------------------------------------------------------- files and links


def _checked(errors: _Errors, field: str, file) -> uploads.CheckedUpload | None:
    try:
        return uploads.check_upload(file, uploads.EXPERIENCE_MATERIAL)
    except ValidationError as error:
        errors.errors.setdefault(field, []).append(error)
        return None


def _store(item: ExperienceItem, by: Person, title: str, upload: uploads.CheckedUpload) -> ItemFile:
    """Save the checked upload under a random name (the name the user gave is kept for display only)."""
    row = ItemFile(item=item, title=title, original_name=upload.original_name, size=upload.size, uploaded_by=by)
    row.file = upload.stored_file()
    row._change_reason = (_("File uploaded: «%(name)s»") % {"name": upload.original_name})[:100]  # type: ignore[attr-defined]
    try:
        row.save()
    except Exception:
        if row.file.name:
            row.file.storage.delete(row.file.name)
        raise
    return row


def _check_link(errors: _Errors, field: str, url: str) -> None:
    if len(url) > LINK_LENGTH:
        errors.add(field, _("Too long: at most %(limit)s characters.") % {"limit": LINK_LENGTH}, "too_long")
        return
    try:
        evidence_link_validator(url)
    except ValidationError as error:
        errors.errors.setdefault(field, []).append(error)


@transaction.atomic
def file_add(*, item: ExperienceItem, by: Person, title: str, file) -> ItemFile:
    """Attach a file (checked by content: PDF, office documents and presentations, pictures) with a title."""
    item = _locked(item)
    _require_content_editor(item, by)
    errors = _Errors()
    title = _text(title, single_line=True)
    if not title:
        errors.add("title", _("Enter the file's title."), "required")
    _check_length(errors, "title", title, FILE_TITLE_LENGTH)
    upload = None
    if not file:
        errors.add("file", _("Choose the file to upload."), "required")
    else:
        upload = _checked(errors, "file", file)
    errors.raise_any()
    if item.files.count() >= MAX_FILES:
        raise ValidationError(_("An item holds at most %(limit)s files.") % {"limit": MAX_FILES}, code="too_many_files")
    assert upload is not None
    return _store(item, by, title, upload)


@transaction.atomic
def file_delete(*, file: ItemFile, by: Person) -> None:
    """Delete a file of the item; it leaves storage once the deletion commits."""
    item = _locked(file.item)
    _require_content_editor(item, by)
    row = ItemFile.objects.select_for_update().get(pk=file.pk, item=item)
    storage, name = row.file.storage, row.file.name
    row.delete()
    uploads.delete_on_commit(storage, name or "")


@transaction.atomic
def link_add(*, item: ExperienceItem, by: Person, url: str, title: str = "") -> ItemLink:
    """Add a link (http or https only) with an optional title."""
    item = _locked(item)
    _require_content_editor(item, by)
    errors = _Errors()
    url = (url or "").strip()
    if not url:
        errors.add("url", _("Enter the link."), "required")
    else:
        _check_link(errors, "url", url)
    title = _text(title, single_line=True)
    _check_length(errors, "title", title, 300)
    errors.raise_any()
    if item.links.count() >= MAX_LINKS:
        raise ValidationError(_("An item holds at most %(limit)s links.") % {"limit": MAX_LINKS}, code="too_many_links")
    return ItemLink.objects.create(item=item, url=url, title=title)


@transaction.atomic
def link_delete(*, link: ItemLink, by: Person) -> None:
    item = _locked(link.item)
    _require_content_editor(item, by)
    ItemLink.objects.filter(pk=link.pk, item=item).delete()


def file_downloaded(*, file: ItemFile, by: Person | None) -> bool:
    """Count a download of a published item's file by a reader (its own authors checking their file do not count):
    one atomic UPDATE … SET downloads = downloads + 1. Returns whether it counted."""
    item = file.item
    if item.status != ItemStatus.PUBLISHED:
        return False
    if by is not None and (item.author_id == by.pk or item.co_authors.filter(pk=by.pk).exists()):
        return False
    return ItemFile.objects.filter(pk=file.pk).update(downloads=F("downloads") + 1) == 1


# ---------------------------------------------------------------- planning's guards (experience.apps registers them)
#
# The item's question lives in planning's protocol, which planning edits on its own pages. Planning asks these
# (planning.services.guards): the question is not deleted there nor retitled, its РЕШИЛИ not changed once the
# outcome is recorded; a protocol is signed only with an outcome for every item on it that agrees with the vote; and
# with both signatures the items take the council's outcome.


def _items_on(meeting: Meeting) -> list[ExperienceItem]:
    return list(
        ExperienceItem.objects.select_for_update(of=("self",))
        .filter(council_question__meeting=meeting, status=ItemStatus.REVIEWED)
        .select_related("council_question", "author")
        .order_by("council_question__position", "pk")
    )


def guard_agenda_item(question: AgendaItem, changes: dict | None) -> None:
    """planning's agenda_update / agenda_delete on an item's question: refused (`experience_question`) when it
    deletes the question, changes its title, or changes its РЕШИЛИ once the council's outcome is recorded."""
    item = (
        ExperienceItem.objects.filter(council_question_id=question.pk).only("pk", "title", "council_recommends").first()
    )
    if item is None:
        return
    if changes is None:
        message = _(
            "Question No. %(number)s is the experience item «%(title)s»: it leaves the agenda on the item's page."
        )
    else:
        stored = AgendaItem.objects.get(pk=question.pk)
        retitled = changes.get("title") != stored.title
        redecided = item.council_recommends is not None and changes.get("decided") != stored.decided
        if not (retitled or redecided):
            return
        message = _(
            "Question No. %(number)s is the experience item «%(title)s»: its title and the council's outcome are "
            "recorded on the item's page, not here."
        )
    raise ValidationError(
        message % {"number": question.position, "title": item.title[:200]}, code="experience_question"
    )


def check_protocol(meeting: Meeting) -> None:
    """planning's protocol_sign: every item on the meeting has the council's outcome (`experience_outcome_missing`)
    and it agrees with the vote recorded on its question (`experience_vote`)."""
    for item in _items_on(meeting):
        question = item.council_question
        assert question is not None
        if item.council_recommends is None:
            raise ValidationError(
                _(
                    "Question No. %(number)s, the experience item «%(title)s», has no outcome of the council: record "
                    "it on the item's page before signing."
                )
                % {"number": question.position, "title": item.title[:200]},
                code="experience_outcome_missing",
            )
        _check_vote(question, item.council_recommends)


def protocol_signed(meeting: Meeting) -> None:
    """planning's protocol_sign, after a signature: once both are there, the items on the meeting take the council's
    outcome — RECOMMENDED, or RETURNED to the author (the council's review says why)."""
    if not meeting.is_signed:
        return
    for item in _items_on(meeting):
        item.status = ItemStatus.RECOMMENDED if item.council_recommends else ItemStatus.RETURNED
        item.save(update_fields=["status", "updated_at"])
