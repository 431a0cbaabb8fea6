"""Role-matrix rows of the lesson visits, adoptions and dissemination pages (experience/views/visits.py).

The visit: `teacher` visits `mo_head` today, planned (made for each URL's test, rolled back after it). Who sees it:
its visitor and visited, the head of their association (`mo_head` too), management and the administrator; everyone
else gets 404. Its visitor changes, cancels and fills it. The logs and the dissemination report: management, the
administrator and the heads of associations. Adoptions: any staff member marks a published item of `mo_head` (whose
own mark the service refuses: a redirect with the message); only `teacher` withdraws `teacher`'s mark.
"""

from __future__ import annotations

from django.utils import timezone

from experience.models import VISIT_CRITERIA, Adoption, AdoptionKind, ExperienceItem, ItemKind, ItemStatus, LessonVisit
from experience.services import visits as services
from tests.matrix import Case, get, post
from tests.world import STAFF_ROLES

VIEWERS = ["admin", "director", "deputy", "methodist", "mo_head", "teacher"]
HIDDEN = ["chair", "secretary", "group_lead", "lab_head", "researcher"]
LOGS = ["admin", "director", "deputy", "methodist", "mo_head"]


def teacher_visit(world) -> LessonVisit:
    teacher = world.people["teacher"]
    existing = LessonVisit.objects.filter(visitor=teacher).first()
    if existing is not None:
        return existing
    return services.visit_plan(
        visitor=teacher,
        visited=world.people["mo_head"],
        date=timezone.localdate(),
        lesson="Литература. Поэзия Серебряного века",
        group="ТМ-25",
        goal="Приёмы анализа стихотворения",
    )


def head_lesson(world) -> ExperienceItem:
    head = world.people["mo_head"]
    existing = ExperienceItem.objects.filter(author=head, status=ItemStatus.PUBLISHED).first()
    if existing is not None:
        return existing
    return ExperienceItem.objects.create(
        kind=ItemKind.OPEN_LESSON,
        title="Открытый урок «Поэзия Серебряного века»",
        author=head,
        association=world.association,
        date=timezone.localdate(),
        status=ItemStatus.PUBLISHED,
        published_at=timezone.now(),
    )


def teacher_mark(world) -> Adoption:
    teacher = world.people["teacher"]
    existing = Adoption.objects.filter(person=teacher).first()
    if existing is not None:
        return existing
    return services.adoption_mark(item=head_lesson(world), person=teacher, kind=AdoptionKind.ADOPTED)


visit = lambda w: {"pk": teacher_visit(w).pk}  # noqa: E731
OBSERVATION = {
    "worked": "Работа в парах",
    "to_adopt": "Рабочий лист",
    **{f"rating_{name}": "2" for name, _label in VISIT_CRITERIA},
}

MATRIX: dict[str, Case] = {
    "experience:visit_mine": get(STAFF_ROLES),
    "experience:visit_add": get(STAFF_ROLES),
    "experience:visit_log": get(LOGS),
    "experience:visit_log_xlsx": get(LOGS),
    "experience:dissemination": get(LOGS),
    "experience:visit_detail": get(VIEWERS, visit, hidden=HIDDEN),
    "experience:visit_edit": get(["teacher"], visit, hidden=HIDDEN),
    "experience:visit_cancel": post(["teacher"], visit, hidden=HIDDEN),
    "experience:visit_fill": post(["teacher"], visit, hidden=HIDDEN, data=OBSERVATION),
    "experience:adoption_mark": post(
        STAFF_ROLES, lambda w: {"pk": head_lesson(w).pk}, data={"kind": AdoptionKind.REFERENCED, "next": "/"}
    ),
    "experience:adoption_withdraw": post(["teacher"], lambda w: {"pk": teacher_mark(w).pk}, data={"next": "/"}),
}
