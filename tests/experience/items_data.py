"""Experience items for the tests of experience/ items, brought to each state through the services.

The world is tests.world with planning (`pytest.mark.world(planning=True)`): `teacher` belongs to
`world.association`, headed by `mo_head`; the council (`world.council`) has `chair` (head), `secretary` and
`methodist`. A council meeting is scheduled by the methodist for the day asked (default today: still to come when
the item goes on its agenda, held when the outcome is recorded and signed).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from experience.models import ExperienceItem, ItemKind, Level
from experience.services import items as services
from planning import services as planning
from planning.models import AcademicYear, Meeting
from tests.security import upload_samples

TEXTS = {
    "topic": "Кейс-метод на уроках истории",
    "relevance": "Студенты плохо связывают исторические события с профессией.",
    "novelty": "Кейсы на материале истории машиностроительного завода города.",
    "results": "Средний балл группы вырос с 3,6 до 4,1; 12 студентов выступили на конференции.",
}


def codes(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [e.code for errors in error.error_dict.values() for e in errors]
    return [e.code for e in error.error_list]


def pdf_file(name: str = "План урока.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, upload_samples.PDF, content_type="application/pdf")


def draft(world, by: str = "teacher", *, co_authors=(), **overrides) -> ExperienceItem:
    fields = {
        "kind": ItemKind.OPEN_LESSON,
        "title": "Открытый урок «Индустриализация в истории нашего города»",
        "date": world.today - datetime.timedelta(days=20),
        "level": Level.COLLEGE,
        "association": world.association,
        "direction": world.directions[8] if hasattr(world, "directions") else None,
        **TEXTS,
        **overrides,
    }
    return services.item_create(by=world.people[by], co_authors=[world.people[p] for p in co_authors], **fields)


def submitted(world, by: str = "teacher", **kwargs) -> ExperienceItem:
    item = draft(world, by, **kwargs)
    return services.item_submit(item=item, by=world.people[by])


def review(world, item: ExperienceItem, outcome: str = "recommend", comment: str = "", scores=(2, 1, 2, 2)):
    return services.item_review(
        item=item,
        by=world.people["mo_head"],
        outcome=outcome,
        relevance=scores[0],
        novelty=scores[1],
        practical_value=scores[2],
        presentation=scores[3],
        comment=comment,
    )


def reviewed(world, by: str = "teacher", **kwargs) -> ExperienceItem:
    item = submitted(world, by, **kwargs)
    review(world, item)
    item.refresh_from_db()
    return item


def returned(world, by: str = "teacher", **kwargs) -> ExperienceItem:
    item = submitted(world, by, **kwargs)
    review(world, item, outcome="return", comment="Добавьте результаты анкетирования студентов.", scores=(1, 1, 1, 0))
    item.refresh_from_db()
    return item


def year_of(day: datetime.date) -> AcademicYear:
    year = AcademicYear.objects.filter(start__lte=day, end__gte=day).first()
    if year is not None:
        return year
    start = datetime.date(day.year if day.month >= 9 else day.year - 1, 9, 1)
    return planning.year_save(
        title=f"{start.year}/{start.year + 1}", start=start, end=start.replace(year=start.year + 1, month=8, day=31)
    )


def council_meeting(world, day: datetime.date | None = None) -> Meeting:
    day = day or world.today
    return planning.meeting_create(
        unit=world.council, year=year_of(day), date=day, created_by=world.people["methodist"], place="Ауд. 101"
    )


def on_agenda(world, meeting: Meeting | None = None, **kwargs) -> ExperienceItem:
    item = reviewed(world, **kwargs)
    meeting = meeting or council_meeting(world)
    return services.council_add(item=item, meeting=meeting, by=world.people["methodist"])


def mark_all(meeting: Meeting) -> None:
    planning.attendance_set(
        meeting=meeting, rows=[(row.person, True, "") for row in meeting.attendance.select_related("person")]
    )


def decided(world, recommends: bool = True, **kwargs) -> ExperienceItem:
    """On today's council meeting, everyone present, the outcome recorded; the protocol not signed."""
    item = on_agenda(world, **kwargs)
    mark_all(item.council_question.meeting)
    return services.council_outcome(
        item=item,
        by=world.people["secretary"],
        recommends=recommends,
        comment="" if recommends else "Доработать описание новизны.",
    )


def sign(meeting: Meeting) -> Meeting:
    meeting.refresh_from_db()
    for signer in (meeting.chair, meeting.secretary):
        planning.protocol_sign(meeting=meeting, person=signer)
    meeting.refresh_from_db()
    return meeting


def recommended(world, **kwargs) -> ExperienceItem:
    item = decided(world, **kwargs)
    sign(item.council_question.meeting)
    item.refresh_from_db()
    return item


def published(world, **kwargs) -> ExperienceItem:
    item = recommended(world, **kwargs)
    return services.item_publish(item=item, by=world.people["methodist"])


def external(world, **overrides) -> ExperienceItem:
    fields = {
        "kind": ItemKind.GUIDE,
        "title": "Методические рекомендации по организации демонстрационного экзамена",
        "source": "Сборник лучших практик СПО, Институт развития профессионального образования",
        "external_authors": "Петрова А.А., Сидоров Б.Б.",
        "level": Level.FEDERAL,
        "date": world.today - datetime.timedelta(days=100),
        "link_url": "https://example.org/practices/1",
        **overrides,
    }
    return services.external_create(by=world.people["methodist"], **fields)
