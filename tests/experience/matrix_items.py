"""Role-matrix rows of the experience item pages (experience/views/items.py).

The items are the teacher's (`teacher`, member of `world.association` headed by `mo_head`), brought to the state
each URL needs through the services (tests/experience/items_data.py) and rolled back after each URL's test:

- a draft (with a file and a link) is seen by its author, the head of its association, the methodist, the deputy
  and the administrator; everyone else gets 404. Only the author edits it, deletes it, submits it, uploads and
  deletes its files and links;
- a submitted item is reviewed by `mo_head` only;
- a reviewed item goes on the council's agenda by the methodist or the deputy; once on the agenda, the council's
  members (`chair`, `secretary`) see it too, and the outcome is recorded by the methodist, the deputy, the chair or
  the secretary;
- an item the council recommended in a signed protocol is published by the methodist; a published item (seen by
  every staff member and the admin, not the researcher) is unpublished by the methodist;
- the stages of generalised experience: the author and the head of the association.
"""

from __future__ import annotations

from experience.models import ItemKind, Stage
from experience.services import items as services
from tests.experience import items_data as data
from tests.matrix import Case, get, post
from tests.world import STAFF_ROLES

#: Who sees an unpublished item of the teacher; who gets 404.
VIEWERS = ["admin", "deputy", "methodist", "mo_head", "teacher"]
HIDDEN = ["chair", "director", "group_lead", "lab_head", "researcher", "secretary"]
#: Once on the council's agenda, its members see it too.
AGENDA_HIDDEN = ["director", "group_lead", "lab_head", "researcher"]
AUTHOR = ["teacher"]
COUNCIL_AGENDA = ["methodist", "deputy"]


def draft(world):
    item = data.draft(world)
    teacher = world.people["teacher"]
    services.file_add(item=item, by=teacher, title="План урока", file=data.pdf_file())
    services.link_add(item=item, by=teacher, url="https://example.org/lesson")
    return item


def generalised(world):
    item = data.draft(world, kind=ItemKind.GENERALISED, title="Обобщение опыта по кейс-методу")
    services.stage_record(
        item=item,
        by=world.people["teacher"],
        stage=Stage.IDENTIFICATION,
        date=world.today,
        responsible=world.people["teacher"],
    )
    return item


pk = lambda make: lambda w: {"pk": make(w).pk}  # noqa: E731
file_of = lambda w: {"pk": draft(w).files.get().pk}  # noqa: E731
link_of = lambda w: {"pk": draft(w).links.get().pk}  # noqa: E731


def stage_of(world) -> dict:
    item = generalised(world)
    return {"pk": item.pk, "stage_pk": item.stages.get().pk}


MATRIX: dict[str, Case] = {
    "experience:item_mine": get(STAFF_ROLES),
    "experience:item_review_queue": get(["mo_head", "methodist"]),  # the methodist: items a head wrote
    "experience:item_progress": get(["methodist", "deputy"]),
    "experience:item_create": get(STAFF_ROLES),
    "experience:item_external_create": get(["methodist"]),
    "experience:item_detail": get(VIEWERS, pk(draft), hidden=HIDDEN),
    "experience:item_card_pdf": get(VIEWERS, pk(draft), hidden=HIDDEN),
    "experience:item_edit": get(AUTHOR, pk(draft), hidden=HIDDEN),
    "experience:item_delete": get(AUTHOR, pk(draft), hidden=HIDDEN),
    "experience:item_submit": post(AUTHOR, pk(draft), hidden=HIDDEN),
    "experience:item_review": get(["mo_head"], pk(data.submitted), hidden=HIDDEN),
    "experience:item_council": get(COUNCIL_AGENDA, pk(data.reviewed), hidden=HIDDEN),
    "experience:item_council_remove": post(COUNCIL_AGENDA, pk(data.on_agenda), hidden=AGENDA_HIDDEN),
    "experience:item_outcome": get([*COUNCIL_AGENDA, "chair", "secretary"], pk(data.on_agenda), hidden=AGENDA_HIDDEN),
    "experience:item_publish": post(["methodist"], pk(data.recommended), hidden=AGENDA_HIDDEN),
    "experience:item_unpublish": get(["methodist"], pk(data.published), hidden=["researcher"]),
    "experience:item_stage_add": get([*AUTHOR, "mo_head"], pk(generalised), hidden=HIDDEN),
    "experience:item_stage_delete": post([*AUTHOR, "mo_head"], stage_of, hidden=HIDDEN),
    "experience:item_file_add": get(AUTHOR, pk(draft), hidden=HIDDEN),
    "experience:item_link_add": get(AUTHOR, pk(draft), hidden=HIDDEN),
    "experience:item_file": get(VIEWERS, file_of, hidden=HIDDEN),
    "experience:item_file_delete": get(AUTHOR, file_of, hidden=HIDDEN),
    "experience:item_link_delete": post(AUTHOR, link_of, hidden=HIDDEN),
}
