"""Role-matrix rows of the conformity attestation (attestation/views/conformity.py), and the helpers its tests share.

The college's attestation commission (built here by a signed order, 60 days before today): `chair` heads it,
`secretary` is its secretary, `methodist`, `mo_head` and `lab_head` are members. The case: `teacher`'s, brought to
the state each URL needs through the services (rolled back after each URL's test).

Who sees the case: the teacher, management, the administrator, the head of the teacher's association (`mo_head`)
and the commission's members (`chair`, `secretary`, `lab_head`); `group_lead` and the researcher get 404. The
methodist and the deputy open cases, write the представление and plan the sitting; the teacher acknowledges it, adds
information and acknowledges the extract; the decision is recorded by the commission's chair and secretary, the
methodist and the deputy.
"""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from attestation.models import AttestationCase, CaseDecision
from attestation.services import conformity as services
from planning import services as planning
from planning.models import AcademicYear, Meeting
from structure.models import Person, Unit, UnitKind
from tests.factories import create_unit, noon
from tests.matrix import Case, get, post

PRESENTATION = (
    "Преподаватель владеет методикой преподавания дисциплин, использует цифровые образовательные ресурсы; "
    "обучающиеся показывают стабильные результаты на промежуточной аттестации."
)
#: Who sees the case; who gets 404; who acts for the employer; who records the decision.
VIEWERS = ["admin", "director", "deputy", "methodist", "chair", "secretary", "mo_head", "lab_head", "teacher"]
HIDDEN = ["group_lead", "researcher"]
EMPLOYER = ["methodist", "deputy"]
DECIDERS = ["methodist", "deputy", "chair", "secretary"]


def commission(world) -> Unit:
    """The attestation commission (one at a time: structure allows a single one)."""
    existing = Unit.objects.filter(kind=UnitKind.ATTESTATION_COMMISSION).first()
    if existing is not None:
        return existing
    people = world.people
    return create_unit(
        people["director"],
        people["deputy"],
        UnitKind.ATTESTATION_COMMISSION,
        "Аттестационная комиссия техникума",
        head=people["chair"],
        secretary=people["secretary"],
        members=[people["methodist"], people["mo_head"], people["lab_head"]],
        at=noon(world.today - datetime.timedelta(days=60)),
    )


def year_of(day: datetime.date) -> AcademicYear:
    year = AcademicYear.objects.filter(start__lte=day, end__gte=day).first()
    if year is not None:
        return year
    start = datetime.date(day.year if day.month >= 9 else day.year - 1, 9, 1)
    return planning.year_save(
        title=f"{start.year}/{start.year + 1}", start=start, end=start.replace(year=start.year + 1, month=8, day=31)
    )


def sitting(world, day: datetime.date) -> Meeting:
    """A meeting of the commission on `day`, scheduled by the methodist."""
    return planning.meeting_create(
        unit=commission(world), year=year_of(day), date=day, created_by=world.people["methodist"], place="Ауд. 101"
    )


def mark_all(meeting: Meeting, *, absent: int = 0) -> None:
    """Everyone present but the last `absent` members (by surname)."""
    rows = list(meeting.attendance.select_related("person").order_by("person__last_name"))
    planning.attendance_set(
        meeting=meeting,
        rows=[
            (row.person, index < len(rows) - absent, "" if index < len(rows) - absent else "Болезнь")
            for index, row in enumerate(rows)
        ],
    )


def sign(meeting: Meeting) -> Meeting:
    meeting.refresh_from_db()
    for signer in (meeting.chair, meeting.secretary):
        planning.protocol_sign(meeting=meeting, person=signer)
    meeting.refresh_from_db()
    return meeting


def drafted(world, person: Person | None = None, *, on: datetime.date | None = None) -> AttestationCase:
    """A case with the представление written on `on` (default 40 days ago)."""
    person = person or world.people["teacher"]
    day = on or world.today - datetime.timedelta(days=40)
    methodist = world.people["methodist"]
    with time_machine.travel(noon(day), tick=False):
        case = services.conformity_open(person=person, by=methodist, today=day)
        return services.presentation_save(case=case, by=methodist, text=PRESENTATION)


def acknowledged(world, person: Person | None = None, *, on: datetime.date | None = None) -> AttestationCase:
    """Acknowledged on `on` (default 35 days ago), with a few words added by the teacher."""
    day = on or world.today - datetime.timedelta(days=35)
    case = drafted(world, person, on=day)
    return services.presentation_acknowledge(
        case=case, by=case.person, on=day, addition="Подготовила призёра регионального чемпионата.", today=world.today
    )


def planned(world, person: Person | None = None, *, sitting_day: datetime.date | None = None) -> AttestationCase:
    """On the agenda of a commission meeting 3 days ago (35 days after the acknowledgement)."""
    case = acknowledged(world, person)
    meeting = sitting(world, sitting_day or world.today - datetime.timedelta(days=3))
    return services.sitting_plan(case=case, meeting=meeting, by=world.people["methodist"])


def decided(world, person: Person | None = None) -> AttestationCase:
    """Attendance all present (5), decided «соответствует» 4 for, 1 against, protocol not signed."""
    case = planned(world, person)
    mark_all(case.agenda_item.meeting)
    return services.decision_record(
        case=case,
        by=world.people["methodist"],
        decision=CaseDecision.CONFORMS,
        votes_for=4,
        votes_against=1,
        votes_abstained=0,
        today=world.today,
    )


def signed(world, person: Person | None = None) -> AttestationCase:
    case = decided(world, person)
    sign(case.agenda_item.meeting)
    case.refresh_from_db()
    return case


def _pk(make):
    """The case in the state `make` leaves it, with the commission in place (its members see the case)."""
    return lambda w: {**_ensure_commission(w), "pk": make(w).pk}


def _ensure_commission(w) -> dict:
    commission(w)
    return {}


MATRIX: dict[str, Case] = {
    "attestation:conformity_open": get(EMPLOYER, _ensure_commission),
    "attestation:conformity_presentation": get(EMPLOYER, _pk(drafted), hidden=HIDDEN),
    "attestation:conformity_acknowledge": get(["teacher"], _pk(drafted), hidden=HIDDEN),
    "attestation:conformity_addition": get(["teacher"], _pk(acknowledged), hidden=HIDDEN),
    "attestation:conformity_plan": post(EMPLOYER, _pk(acknowledged), hidden=HIDDEN, data={"meeting": "0"}),
    "attestation:conformity_decide": post(
        DECIDERS,
        _pk(planned),
        hidden=HIDDEN,
        data={"decision": "conforms", "votes_for": "3", "votes_against": "0", "votes_abstained": "0"},
    ),
    "attestation:conformity_extract": get(VIEWERS, _pk(signed), hidden=HIDDEN),
    "attestation:conformity_extract_acknowledge": post(
        ["teacher"], _pk(signed), hidden=HIDDEN, data={"on": timezone.localdate().isoformat()}
    ),
}
