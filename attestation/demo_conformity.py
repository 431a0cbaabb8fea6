"""Demo conformity attestations on top of the demo college (structure/demo.py, planning/demo.py, attestation/demo.py),
built through attestation.services.conformity and planning's services like everything users do, laid around today:

- `decided` (Фёдорова, whose category ended two months ago and who falls back under conformity attestation): the
  представление written 45 days ago, acknowledged the next day, the sitting of the attestation commission 10 days
  ago (attendance marked, one member absent), the decision «соответствует» by an open vote, the protocol signed by
  the chair and the secretary, the extract acknowledged by the teacher two days after the sitting;
- `planned` (Сидоров, overdue for conformity: he stays overdue until the decision): acknowledged 20 days ago, the
  question on the agenda of the commission's next sitting (at least 30 days after that);
- `waiting` (the `teacher` account, Миронов): the представление written today, waiting for the teacher's
  acknowledgement — log in as `teacher` to acknowledge it. (His previous attestation was 900 days ago: an early
  one, for the demo's sake; pass `waiting=None` to leave it out.)

Development only. Call it after attestation.demo.build(b): `demo_conformity.build_conformity_demo(b)`.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from planning import services as planning
from planning.models import AcademicYear, Meeting
from structure.models import Person, Unit, UnitKind

from .models import AttestationCase, CaseDecision
from .services import conformity as services

if TYPE_CHECKING:
    from structure.demo import Builder

DAY = datetime.timedelta(days=1)

PRESENTATIONS = {
    "planned": (
        "Сидоров Владимир Николаевич работает мастером производственного обучения с 2005 года. Проводит учебную "
        "практику по сварке в защитных газах на высоком методическом уровне, использует технологические карты и "
        "тренажёр виртуальной сварки. Обучающиеся его групп стабильно сдают квалификационные экзамены (качество "
        "92 %), двое стали призёрами регионального чемпионата «Профессионалы». Систематически повышает "
        "квалификацию, проходит стажировки на предприятиях отрасли. Замечаний по охране труда не имеет."
    ),
    "decided": (
        "Фёдорова Светлана Игоревна преподаёт иностранный язык (английский) с 2008 года. Владеет современными "
        "методиками обучения иностранному языку в профессиональной сфере, разработала комплект заданий по "
        "профессионально ориентированному чтению для специальностей машиностроения. Результаты промежуточной "
        "аттестации обучающихся стабильные; ведёт кружок технического перевода."
    ),
    "waiting": (
        "Педагог добросовестно выполняет должностные обязанности, владеет методикой преподавания, использует "
        "цифровые образовательные ресурсы и электронное обучение. Обучающиеся показывают стабильные результаты "
        "промежуточной аттестации; педагог участвует в работе предметно-цикловой комиссии."
    ),
}


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _year(day: datetime.date) -> AcademicYear | None:
    return AcademicYear.objects.filter(start__lte=day, end__gte=day).first()


def _sitting(commission: Unit, day: datetime.date, by: Person) -> Meeting:
    year = _year(day)
    assert year is not None, f"no academic year holds {day}"
    return planning.meeting_create(
        unit=commission, year=year, date=day, created_by=by, time=datetime.time(14, 30), place="Ауд. 101"
    )


def _opened(person: Person, by: Person, text: str, *, drafted: datetime.date, today: datetime.date) -> AttestationCase:
    """Open the case and write the представление, dated `drafted` (the service stamps the moment it runs)."""
    case = services.conformity_open(person=person, by=by, today=today)
    case = services.presentation_save(case=case, by=by, text=text)
    AttestationCase.objects.filter(pk=case.pk).update(
        presentation_at=_aware(drafted), created_at=_aware(drafted - 2 * DAY, 9)
    )
    case.refresh_from_db()
    return case


def build_conformity_demo(
    b: Builder,
    *,
    decided: str = "fedorova",
    planned: str = "sidorov",
    waiting: str | None = "mironov",
    methodist: str = "sokolova",
) -> dict[str, AttestationCase]:
    """The demo cases (see the module's docstring), by their role: {"decided", "planned", "waiting"}."""
    today = b.today
    by = b.p(methodist)
    commission = Unit.objects.get(kind=UnitKind.ATTESTATION_COMMISSION)
    cases: dict[str, AttestationCase] = {}

    # Through to the signed protocol and the extract.
    person = b.p(decided)
    case = _opened(person, by, PRESENTATIONS["decided"], drafted=today - 45 * DAY, today=today)
    case = services.presentation_acknowledge(case=case, by=person, on=today - 44 * DAY, today=today)
    meeting = _sitting(commission, today - 10 * DAY, by)
    case = services.sitting_plan(case=case, meeting=meeting, by=by)
    rows = list(meeting.attendance.select_related("person").order_by("person__last_name"))
    absent = next((row for row in rows if row.person_id not in {meeting.chair_id, meeting.secretary_id}), None)
    planning.attendance_set(
        meeting=meeting,
        rows=[(row.person, row is not absent, "Ежегодный отпуск" if row is absent else "") for row in rows],
    )
    present = sum(1 for row in rows if row is not absent)
    case = services.decision_record(
        case=case,
        by=by,
        decision=CaseDecision.CONFORMS,
        votes_for=present,
        votes_against=0,
        votes_abstained=0,
        today=today,
    )
    meeting.refresh_from_db()
    for signer in (meeting.chair, meeting.secretary):
        assert signer is not None
        planning.protocol_sign(meeting=meeting, person=signer)
    case.refresh_from_db()
    cases["decided"] = services.extract_acknowledge(case=case, by=person, on=today - 8 * DAY, today=today)

    # Acknowledged, the sitting planned.
    person = b.p(planned)
    acknowledged_on = today - 20 * DAY
    day = services.earliest_sitting(acknowledged_on) + 4 * DAY
    if _year(day) is None:  # the end of the academic year: the sitting has taken place, the decision waits
        acknowledged_on, day = today - 40 * DAY, today - 5 * DAY
    case = _opened(person, by, PRESENTATIONS["planned"], drafted=acknowledged_on - 2 * DAY, today=today)
    case = services.presentation_acknowledge(
        case=case,
        by=person,
        on=acknowledged_on,
        addition="Прошу учесть подготовку призёров регионального чемпионата «Профессионалы».",
        today=today,
    )
    cases["planned"] = services.sitting_plan(case=case, meeting=_sitting(commission, day, by), by=by)

    # Waiting for the teacher's acknowledgement.
    if waiting is not None:
        cases["waiting"] = _opened(b.p(waiting), by, PRESENTATIONS["waiting"], drafted=today, today=today)
    return cases
