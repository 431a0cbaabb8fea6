"""Permissions of experience/: experience items.

- Seeing an item, its files, its card (PDF): experience.selectors.items.sees_item — a published item everyone on the
  staff and the administrator; an unpublished one its author and co-authors, the heads of its association, the
  methodist, the deputy and the administrator, and while it is on a council's agenda the council's members.
- Filing an item and «Мой опыт»: every staff member (not an external researcher).
- Editing, deleting, files and links, submitting: the author or a co-author while the item is a draft or returned;
  outside experience: the methodist (edit, delete, files and links).
- Reviewing: a head of the item's association today, a submitted item, never their own or co-authored one; when
  an author heads the item's association, the methodist reviews it instead.
- «На рецензию» (the review queue): the heads of subject associations and the methodist.
- The list of items in progress: the methodist and the deputy.
- The council's agenda (put on, take off): the methodist and the deputy, an item the association recommended.
- The council's outcome: the methodist, the deputy, the meeting's chair or secretary (or the council's chair or
  secretary today), while the protocol is unsigned.
- Publishing, unpublishing, adding outside experience: the methodist.
- The stages of generalised experience: the authors and the heads of the item's association.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from structure.models import MemberRole
from structure.rules import is_deputy, is_methodist, is_staff_member
from structure.selectors import roles_of

from ..models import ItemKind, ItemStatus
from ..selectors import items as selectors
from ..selectors.items import EDITABLE, headed_associations, is_item_author, sees_item


def _person_id(user) -> int | None:
    person = roles_of(user).person
    return person.pk if person is not None else None


@rules.predicate
def sees(user, item) -> bool:
    return item is not None and sees_item(roles_of(user), item)


@rules.predicate
def is_author(user, item) -> bool:
    return item is not None and is_item_author(_person_id(user), item)


@rules.predicate
def is_editable(user, item) -> bool:
    return item is not None and item.status in EDITABLE


@rules.predicate
def is_external_item(user, item) -> bool:
    return item is not None and item.is_external


@rules.predicate
def is_submitted(user, item) -> bool:
    return item is not None and item.status == ItemStatus.SUBMITTED


@rules.predicate
def is_reviewed(user, item) -> bool:
    return item is not None and item.status == ItemStatus.REVIEWED


@rules.predicate
def is_on_open_agenda(user, item) -> bool:
    """The item is a question of a council meeting whose protocol carries no signature."""
    if item is None or item.status != ItemStatus.REVIEWED or item.council_question_id is None:
        return False
    meeting = item.council_question.meeting
    return not (meeting.is_locked or meeting.chair_signed_at or meeting.secretary_signed_at)


@rules.predicate
def is_recommended(user, item) -> bool:
    return item is not None and item.status == ItemStatus.RECOMMENDED


@rules.predicate
def is_published(user, item) -> bool:
    return item is not None and item.status == ItemStatus.PUBLISHED


@rules.predicate
def is_generalised(user, item) -> bool:
    return item is not None and item.kind == ItemKind.GENERALISED


@rules.predicate
def heads_item_association(user, item) -> bool:
    return item is not None and item.association_id is not None and roles_of(user).heads(item.association_id)


@rules.predicate
def written_by_its_head(user, item) -> bool:
    """An author of the item heads its association today: the methodist reviews it instead."""
    return item is not None and selectors.written_by_its_head(item, timezone.localdate())


@rules.predicate
def heads_an_association(user) -> bool:
    return bool(headed_associations(roles_of(user)))


@rules.predicate
def keeps_council_minutes(user, item) -> bool:
    """The chair or the secretary of the meeting the item is on, or who chairs or keeps the minutes of that council
    today."""
    if item is None or item.council_question_id is None:
        return False
    person_id = _person_id(user)
    meeting = item.council_question.meeting
    if person_id is not None and person_id in (meeting.chair_id, meeting.secretary_id):
        return True
    return roles_of(user).units.get(meeting.unit_id, ("", ""))[1] in (MemberRole.HEAD, MemberRole.SECRETARY)


runs_council_agenda = is_methodist | is_deputy
writes_item = ~is_external_item & is_author & is_editable
writes_external = is_external_item & is_methodist

rules.add_perm("experience.view_item", sees)
rules.add_perm("experience.add_item", is_staff_member)
rules.add_perm("experience.list_my_items", is_staff_member)
rules.add_perm("experience.change_item", writes_item | writes_external)  # fields, files, links
rules.add_perm("experience.delete_item", writes_item | writes_external)
rules.add_perm("experience.submit_item", writes_item)
rules.add_perm(
    "experience.review_item",
    ~is_external_item
    & is_submitted
    & ~is_author
    & ((heads_item_association & ~written_by_its_head) | (is_methodist & written_by_its_head)),
)
rules.add_perm("experience.list_review_queue", heads_an_association | is_methodist)
rules.add_perm("experience.list_items_in_progress", is_methodist | is_deputy)
rules.add_perm("experience.council_item", runs_council_agenda & is_reviewed)  # put on a meeting's agenda (or move)
rules.add_perm("experience.uncouncil_item", runs_council_agenda & is_on_open_agenda)  # take off the agenda
rules.add_perm("experience.record_outcome", (runs_council_agenda | keeps_council_minutes) & is_on_open_agenda)
rules.add_perm("experience.publish_item", is_methodist & is_recommended)
rules.add_perm("experience.unpublish_item", is_methodist & is_published & ~is_external_item)
rules.add_perm("experience.add_external_item", is_methodist)
rules.add_perm("experience.record_stage", ~is_external_item & is_generalised & (is_author | heads_item_association))
