"""The benchmark's attestation part: professional development, categories and attestation cases, competency
diagnostics, and the deficits' courses in the individual plans — over the people, units and academic years the
structure and planning generators (or the demo college) left in the database.

Volumes come from the Scale and are spread over the teaching staff that exists (`volume / teaching staff` per
person), so the same code fills the demo's sixty people and a region's three thousand. The history is laid from the
first academic year's start to today (`timezone.localdate()`), each person's from their hire date:

- **professional development** (`trainings`): ПК courses, for the professional cycle also стажировки, now and then
  a retraining; confirmed by the methodist a few days after they end, the latest ones waiting for confirmation, a
  few returned for correction;
- **attestation** (`attestation`): the categories held when the history starts (five-year terms of the old rules
  before 01.09.2023, none after), then each person's cases one after another as the rules allow on the day —
  conformity to the position every four to five years for those without a category, первая → высшая → «педагог-
  наставник» / «педагог-методист», refusals and withdrawals, a category again when an old one ends —, each with the
  regulation's time limits (the sitting ≤ 30 days after the application and the decision ≤ 60 after it; the
  conformity sitting ≥ 30 days after the представление is acknowledged); the cases reaching past today are in
  progress at the step today falls on; a granted case records its Category;
- **diagnostics** (`diagnostics`): the default framework of professional standard 01.004 and a second version with
  indicators (through attestation.services.frameworks), one campaign per academic year (more when the staff is too
  small for the volume) over the teaching staff hired by its window, the experts the association heads of the
  window's first day (a colleague of the association as a second expert where the volume asks for it); past
  campaigns closed with most assessments submitted, this year's open, its window holding today, half done; levels
  from each person's skill, their own self-assessment bias and the competency;
- **deficits into individual plans** (`suggestions`): for the open campaign's participants with a deficit (the
  experts' median at most attestation.diagnostics.DEFICIT_LEVEL) whose individual plan of the year takes items, the
  course on the first deficit, as the suggestions panel's button adds it (its wording, direction, form, deadline).

Cases come out about five per person over ten years at region scale: more than the rules give a real college (about
three), so the volume is met with refusals, withdrawals, applications again and the rarer categories — «педагог-
наставник» and «педагог-методист» are held by more people than in life.

The named accounts: `teacher` has courses (the newest waiting), an open case, a self-assessment to finish in the open
campaign; `mo_head` has expert assessments to do; the methodist has courses to confirm and open cases of both kinds.

Volume goes through bench.gen.bulk (COPY on PostgreSQL): no history rows, no model instances.
"""

from __future__ import annotations

import datetime
import logging
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from attestation import schedule
from attestation.diagnostics import DEFICIT_LEVEL, experts_median
from attestation.models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    AttestationCase,
    CampaignParticipant,
    CampaignScope,
    CampaignStatus,
    CaseDecision,
    CaseKind,
    CaseStatus,
    Category,
    CategoryKind,
    Competency,
    CompetencyFramework,
    CompetencyKind,
    DiagnosticCampaign,
    DocumentKind,
    Score,
    TrainingKind,
    TrainingRecord,
    TrainingStatus,
)
from attestation.selectors import suggestions as suggestion_selectors
from attestation.services import campaigns as campaign_services
from attestation.services import frameworks as framework_services
from metodservice.common.dates import add_years
from planning.models import EDITABLE_PLAN_STATUSES, AcademicYear, ItemStatus, Plan, PlanItem, PlanLevel, WorkDirection
from structure.models import Person

from . import bulk
from .scale import Scale
from .snapshot import College, Staff, load

log = logging.getLogger("bench.gen")

DAY = datetime.timedelta(days=1)

# ---------------------------------------------------------------- document text (Russian, as users write it)

PROVIDERS = [
    "ГАУ ДПО «Региональный институт развития образования»",
    "ФГАОУ ДПО «Академия Минпросвещения России»",
    "ГАОУ ДПО «Институт развития профессионального образования»",
    "АНО ДПО «Центр непрерывного образования»",
    "ФГБОУ ДПО «Институт развития профессионального образования»",
    "ГБПОУ «Региональный центр компетенций в сфере профессионального образования»",
    "ФГБОУ ВО «Государственный педагогический университет», факультет повышения квалификации",
    "ООО «Центр дополнительного профессионального образования „Развитие“»",
]
PROGRAMMES = [
    ("Цифровые образовательные технологии в профессиональном образовании", 72),
    ("Разработка оценочных материалов для демонстрационного экзамена", 36),
    ("Методика преподавания общеобразовательных дисциплин с учётом профессиональной направленности", 72),
    ("Организация воспитательной работы в профессиональной образовательной организации", 36),
    ("Инклюзивное образование обучающихся с ОВЗ в системе СПО", 72),
    ("Наставничество в образовательной организации", 24),
    ("Формирование и оценка функциональной грамотности обучающихся", 36),
    ("Проектная деятельность обучающихся в СПО", 108),
    ("Эксперт демонстрационного экзамена", 24),
    ("Электронное обучение и дистанционные образовательные технологии в СПО", 72),
    ("Профилактика деструктивного поведения обучающихся", 16),
    ("Оказание первой помощи", 16),
    ("Актуализация образовательных программ СПО с учётом ФГОС и профессиональных стандартов", 72),
    ("Использование виртуальных тренажёров в профессиональном обучении", 36),
    ("Профориентационная работа с обучающимися: проект «Профессионалитет»", 36),
    ("Содержательные и методические аспекты преподавания истории России", 72),
    ("Методика обучения математике в СПО: практико-ориентированные задачи", 72),
    ("Преподавание иностранного языка в профессиональной сфере", 72),
    ("Основы финансовой грамотности в образовательной деятельности", 36),
    ("Педагогика и психология профессионального образования: актуальные вопросы", 108),
]
RETRAINING = [
    ("Педагогика профессионального образования", 520),
    ("Педагог среднего профессионального образования. Теория и практика реализации ФГОС", 300),
    ("Мастер производственного обучения: организация учебно-производственного процесса", 256),
]
INTERNSHIPS = [
    ("ПАО «Машиностроительный завод»", "Токарная и фрезерная обработка на станках с ЧПУ"),
    ("ООО «Сварочные технологии»", "Современные способы сварки и контроль сварных соединений"),
    ("АО «Приборный завод»", "Организация производства и охрана труда на предприятии"),
    ("ООО «Автоцентр»", "Диагностика и ремонт электронных систем автомобиля"),
    ("АО «Энергосбыт»", "Эксплуатация и обслуживание электрооборудования подстанций"),
    ("ООО «СтройИнвест»", "Современные технологии отделочных работ"),
    ("ГБУЗ «Областная больница»", "Организация сестринского ухода в стационаре"),
    ("ООО «Информационные системы»", "Администрирование сетей и облачных сервисов"),
]
RETURN_COMMENTS = [
    "Номер удостоверения не совпадает с копией: проверьте и приложите скан.",
    "Укажите количество часов, как в удостоверении.",
    "Даты обучения не совпадают с документом: исправьте.",
    "Приложите скан документа о прохождении стажировки.",
]
PRESENTATION = (
    "{name} работает в должности «{position}» с {since} года. Владеет методикой преподавания, использует "
    "современные образовательные технологии и электронное обучение. Обучающиеся показывают стабильные результаты "
    "промежуточной аттестации{extra}. Систематически повышает квалификацию, участвует в работе методического "
    "объединения."
)
PRESENTATION_EXTRA = [
    "",
    "; качество знаний по дисциплинам педагога выше среднего по колледжу",
    "; готовит обучающихся к чемпионатам «Профессионалы»",
    "; руководит индивидуальными проектами обучающихся",
    "; ведёт кружок технического творчества",
]
ADDITIONS = [
    "Прошу учесть подготовку призёров регионального чемпионата «Профессионалы».",
    "Прошу учесть разработанный мной фонд оценочных средств по профессиональному модулю.",
    "Прошу учесть участие в работе экспертов демонстрационного экзамена.",
]
PETITION = (
    "{name} имеет высшую квалификационную категорию, {work}. Ходатайствую об установлении квалификационной "
    "категории «{category}»."
)
PETITION_WORK = [
    "руководит наставничеством молодых педагогов методического объединения",
    "разработал(а) и внедрил(а) в колледже авторскую программу профессионального модуля",
    "ведёт районное методическое объединение преподавателей, автор публикаций",
    "руководит творческой группой педагогов по цифровой дидактике",
]
WITHDRAWALS = [
    "Переношу подачу на следующий учебный год: не собраны материалы.",
    "Заявление отозвано в связи с длительной болезнью.",
    "Отзываю заявление: решил(а) подать на высшую категорию позднее.",
]
CONFORMITY_WITHDRAWALS = ["Работник уволился по собственному желанию.", "Работник переведён на другую должность."]
EXPERT_COMMENTS = [
    "Рекомендуется курс повышения квалификации и посещение открытых занятий коллег.",
    "Рекомендуется наставничество опытного коллеги по этому направлению.",
    "Нужна помощь методиста в разработке оценочных материалов.",
]
#: Indicators of the second version of the default framework (as attestation/demo_frameworks.py and more).
INDICATORS = {
    "A/01.6": [
        ("A/01.6.1", "Планирует учебные занятия с учётом особенностей обучающихся"),
        ("A/01.6.2", "Применяет активные и интерактивные формы обучения"),
    ],
    "A/02.6": [
        ("A/02.6.1", "Разрабатывает фонды оценочных средств"),
        ("A/02.6.2", "Анализирует результаты контроля и корректирует обучение"),
    ],
    "E/02.6": [("E/02.6.1", "Консультирует коллег по методическим вопросам")],
}
DEFAULT_FRAMEWORK = "Профессиональный стандарт 01.004"
CAMPAIGN_TITLE = "Диагностика профессиональных компетенций педагогов, {year} учебный год"


# ---------------------------------------------------------------- small helpers


def _at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _past(moment: datetime.datetime, now: datetime.datetime) -> datetime.datetime:
    return min(moment, now)


def _count(mean: float, rng: random.Random) -> int:
    """An integer whose mean is `mean`."""
    whole = int(mean)
    return whole + (rng.random() < mean - whole)


def _spread(rng: random.Random, first: datetime.date, last: datetime.date, count: int) -> list[datetime.date]:
    if last < first or count <= 0:
        return []
    days = (last - first).days
    return sorted(first + datetime.timedelta(days=rng.randint(0, days)) for _ in range(count))


def _choice(rng: random.Random, weighted: list[tuple[str, float]]) -> str | None:
    if not weighted:
        return None
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]


# ---------------------------------------------------------------- professional development


def trainings(college: College, scale: Scale, rng: random.Random) -> dict[str, int]:
    """`scale.pd_records` records over the teaching staff (see the module's docstring)."""
    today, now = college.today, timezone.now()
    people = [college.staff[pk] for pk in college.teaching]
    if not people:
        return {"attestation_trainingrecord": 0}
    floor = college.start - datetime.timedelta(days=365)  # a course shortly before the history counts in it
    # as many courses a year for everyone: a person hired last year has fewer than one here for ten years
    tenure = {person.pk: max((today - person.since(floor)).days, 1) for person in people}
    per_day = scale.pd_records / sum(tenure.values())
    teacher = college.person("teacher")
    rows: list[tuple] = []
    number = 0

    def add(person: Staff, end: datetime.date, kind: str, status: str | None = None) -> None:
        nonlocal number
        number += 1
        if kind == TrainingKind.INTERNSHIP:
            provider, programme = rng.choice(INTERNSHIPS)
            hours, document = rng.choice((36, 72)), DocumentKind.STATEMENT
        elif kind == TrainingKind.RETRAINING:
            programme, hours = rng.choice(RETRAINING)
            provider, document = rng.choice(PROVIDERS), DocumentKind.DIPLOMA
        else:
            programme, hours = rng.choice(PROGRAMMES)
            provider, document = rng.choice(PROVIDERS), DocumentKind.CERTIFICATE
        start = end - datetime.timedelta(days=180 if kind == TrainingKind.RETRAINING else 10 + hours // 8)
        created = _past(_at(min(end + rng.randint(1, 10) * DAY, today), rng.randint(9, 17), rng.randint(0, 59)), now)
        age = (today - end).days
        confirmer = college.methodist_for(person.pk)
        if status is None:
            roll = rng.random()
            # the methodist confirms within a fortnight or so; now and then a record is forgotten or returned
            waiting, returned = (0.7, 0.8) if age <= 14 else (0.2, 0.27) if age <= 45 else (0.001, 0.002)
            status = (
                TrainingStatus.SUBMITTED
                if roll < waiting
                else TrainingStatus.RETURNED
                if roll < returned
                else TrainingStatus.CONFIRMED
            )
        if status == TrainingStatus.CONFIRMED and confirmer is None:
            status = TrainingStatus.SUBMITTED  # nobody to confirm it
        confirmed = status == TrainingStatus.CONFIRMED
        rows.append(
            (
                person.pk,
                kind,
                programme,
                provider,
                hours,
                start,
                end,
                document,
                f"77{end.year % 100:02d}{number:07d}",
                "",
                status,
                rng.choice(RETURN_COMMENTS) if status == TrainingStatus.RETURNED else "",
                confirmer if confirmed else None,
                _past(created + rng.randint(1, 14) * DAY, now) if confirmed else None,
                person.pk,
                created,
            )
        )

    for person in people:
        ends = _spread(rng, person.since(floor), today - DAY, _count(per_day * tenure[person.pk], rng))
        for end in ends:
            roll = rng.random()
            if person.professional_cycle and roll < 0.35:
                kind = TrainingKind.INTERNSHIP
            elif roll > 0.98:
                kind = TrainingKind.RETRAINING
            else:
                kind = TrainingKind.QUALIFICATION
            add(person, end, kind)
        if person.pk == teacher:  # the teacher's newest course waits for the methodist
            add(person, today - 12 * DAY, TrainingKind.QUALIFICATION, TrainingStatus.SUBMITTED)
    columns = [
        "person_id",
        "kind",
        "programme",
        "provider",
        "hours",
        "start",
        "end",
        "document_kind",
        "document_number",
        "scan",
        "status",
        "return_comment",
        "confirmed_by_id",
        "confirmed_at",
        "created_by_id",
        "created_at",
    ]
    return {"attestation_trainingrecord": bulk.insert(TrainingRecord, columns, rows)}


# ---------------------------------------------------------------- categories and attestation cases

CATEGORY_OF_CASE = {
    CaseKind.FIRST: CategoryKind.FIRST,
    CaseKind.HIGHEST: CategoryKind.HIGHEST,
    CaseKind.METHODIST: CategoryKind.METHODIST,
    CaseKind.MENTOR: CategoryKind.MENTOR,
}
NEED_HIGHEST = (CaseKind.METHODIST, CaseKind.MENTOR)
CLOSED = (CaseStatus.DECIDED, CaseStatus.WITHDRAWN)
#: How often the regional commission grants what is applied for.
GRANTED = {CaseKind.HIGHEST: 0.72, CaseKind.METHODIST: 0.5, CaseKind.MENTOR: 0.55}


def _until(kind: str, set_on: datetime.date) -> datetime.date | None:
    return schedule.category_until(schedule.CategoryHeld(kind, set_on))


def _in_force(held: list[tuple[str, datetime.date]], day: datetime.date) -> dict[str, datetime.date | None]:
    """kind → the last day in force (None: no end) of the categories in force on `day`."""
    force: dict[str, datetime.date | None] = {}
    for kind, set_on in held:
        until = _until(kind, set_on)
        if set_on > day or (until is not None and until < day):
            continue
        known = force.get(kind, datetime.date.min)
        force[kind] = None if until is None or known is None else max(until, known)
    return force


class _Cases:
    """Builds the rows of the cases and categories, one person's history after another."""

    def __init__(self, college: College, rng: random.Random) -> None:
        self.college, self.rng = college, rng
        self.today, self.now = college.today, timezone.now()
        self.cases: list[dict] = []
        self.order = 0
        #: person → (categories held, the last conformity decision, the last case), where the history ended
        self.state: dict[int, tuple[list, datetime.date | None, dict | None]] = {}

    # -- which case comes next, on `day`
    def next_kind(
        self,
        person: Staff,
        held: list[tuple[str, datetime.date]],
        day: datetime.date,
        last_conformity,
        *,
        modest: bool = False,
    ) -> str | None:
        """The kind of the person's next case on `day`, as the rules allow it; None: nothing to apply for now.
        `modest`: never «педагог-наставник» nor «педагог-методист»."""
        force = _in_force(held, day)
        options: list[tuple[str, float]] = []
        if CategoryKind.FIRST not in force and CategoryKind.HIGHEST not in force:
            new = person.position_since is not None and day < add_years(person.position_since, 2)
            if not new and (last_conformity is None or day >= add_years(last_conformity, 4)):
                options.append((CaseKind.CONFORMITY, 6))
            options += [(CaseKind.FIRST, 3), (CaseKind.HIGHEST, 1)]
            return _choice(self.rng, options)
        soon = day + datetime.timedelta(days=183)
        for kind in (CategoryKind.FIRST, CategoryKind.HIGHEST):
            until = force.get(kind)
            if until is not None and until <= soon:  # an old category ending: apply again
                options.append((kind, 5))
        if CategoryKind.HIGHEST not in force:
            options.append((CaseKind.HIGHEST, 4))
        elif not options and not modest:
            # «педагог-наставник» and «педагог-методист» are for a few: most holders of a высшая wait
            options.append(("", 4))
            if CategoryKind.MENTOR not in force:
                options.append((CaseKind.MENTOR, 1))
            methodist_post = "методист" in person.position.casefold()
            if CategoryKind.METHODIST not in force and not methodist_post:
                options.append((CaseKind.METHODIST, 0.5))
        return _choice(self.rng, options) or None

    # -- one case
    def case(
        self, person: Staff, kind: str, opened: datetime.date, *, force_open: bool = False, in_progress: bool = False
    ) -> dict:
        """The case's row (a dict) with the day it ends (`_ends`: decided, withdrawn; after today: in progress).
        `in_progress`: not decided nor withdrawn today; `force_open`: also at its first step with the person (the
        представление to acknowledge, the application to submit)."""
        in_progress = in_progress or force_open
        rng, today = self.rng, self.today
        employer = self.college.methodist_for(person.pk)
        row: dict = {
            "person_id": person.pk,
            "kind": kind,
            "created_at": _past(_at(opened, rng.randint(9, 16), rng.randint(0, 59)), self.now),
        }
        if kind == CaseKind.CONFORMITY:
            drafted = opened + rng.randint(0, 5) * DAY
            acknowledged = drafted + rng.randint(1, 10) * DAY
            sitting = acknowledged + rng.randint(30, 70) * DAY
            withdrawn = None if in_progress or rng.random() > 0.02 else drafted + rng.randint(1, 20) * DAY
            if in_progress and sitting <= today:
                sitting = today + rng.randint(3, 30) * DAY
            row.update(created_by_id=employer)
            if withdrawn is not None and withdrawn <= today:
                row.update(status=CaseStatus.WITHDRAWN, withdrawal_reason=rng.choice(CONFORMITY_WITHDRAWALS))
                row["_ends"] = withdrawn
            else:
                row["_ends"] = sitting
            if drafted <= today and employer is not None:
                row.update(
                    presentation=PRESENTATION.format(
                        name=person.full_name,
                        position=person.position,
                        since=(person.position_since or person.hire_date or opened).year,
                        extra=rng.choice(PRESENTATION_EXTRA),
                    ),
                    presentation_by_id=employer,
                    presentation_at=_past(_at(drafted, 11, rng.randint(0, 59)), self.now),
                )
            if row.get("status") == CaseStatus.WITHDRAWN:
                return row
            if force_open and acknowledged <= today:  # waiting for the teacher's signature
                acknowledged = today + DAY
            if drafted > today or employer is None:
                row["status"] = CaseStatus.PLANNED
            elif acknowledged > today:
                row["status"] = CaseStatus.DOCUMENTS
            else:
                row.update(acknowledged_on=acknowledged, submitted_on=acknowledged)
                if rng.random() < 0.1:
                    row["teacher_addition"] = rng.choice(ADDITIONS)
                if sitting > today:
                    row["status"] = CaseStatus.SUBMITTED
                else:
                    decision = CaseDecision.CONFORMS if rng.random() < 0.97 else CaseDecision.DOES_NOT_CONFORM
                    row.update(status=CaseStatus.DECIDED, decision=decision, decided_on=sitting, sitting_on=sitting)
                    extract = sitting + rng.randint(1, 3) * DAY
                    if extract <= today:
                        row["extract_acknowledged_on"] = extract
            return row
        # a category: the regional commission
        row.update(created_by_id=person.pk)
        if kind in NEED_HIGHEST and employer is not None:
            petition_day = opened + rng.randint(2, 8) * DAY
            if petition_day <= today:
                row.update(
                    petition=PETITION.format(
                        name=person.short_name,
                        work=rng.choice(PETITION_WORK),
                        category=str(CaseKind(kind).label).strip("«»"),
                    ),
                    petition_by_id=employer,
                    petition_at=_past(_at(petition_day, 12), self.now),
                )
        submitted = opened + rng.randint(10, 45) * DAY
        sitting = submitted + rng.randint(5, 30) * DAY
        decided = sitting + rng.randint(0, 40) * DAY
        if force_open:
            submitted = today + DAY
        if in_progress and decided <= today:
            decided = today + rng.randint(3, 40) * DAY
        if not in_progress and rng.random() < 0.1:
            withdrawn = opened + rng.randint(5, 40) * DAY
            if withdrawn <= today:
                row.update(status=CaseStatus.WITHDRAWN, withdrawal_reason=rng.choice(WITHDRAWALS))
                row["_ends"] = withdrawn
                return row
        row["_ends"] = decided
        if submitted > today:
            row["status"] = CaseStatus.DOCUMENTS
            return row
        row["submitted_on"] = submitted
        if submitted + 5 * DAY <= today:  # the commission has set its date
            row["sitting_on"] = sitting
        if decided > today:
            row["status"] = CaseStatus.SUBMITTED
            return row
        granted = rng.random() < GRANTED.get(kind, 0.85)
        row.update(
            status=CaseStatus.DECIDED,
            decision=CaseDecision.GRANTED if granted else CaseDecision.REFUSED,
            decided_on=decided,
            sitting_on=sitting,
        )
        if granted:
            self.order += 1
            order_date = min(decided + rng.randint(1, 14) * DAY, today)
            row.update(order_number=f"{100 + self.order % 9000}-р", order_date=order_date)
            row["_category"] = (CATEGORY_OF_CASE[CaseKind(kind)], decided, row["order_number"], order_date)
        return row

    # -- one person's history
    def person(self, person: Staff, held: list[tuple[str, datetime.date]], gap: float, *, teacher: bool) -> int:
        rng, today = self.rng, self.today
        start = person.since(self.college.start)
        day = start + datetime.timedelta(days=rng.uniform(0, gap))
        last_conformity = None
        made = 0
        last: dict | None = None
        while day <= today:
            kind = self.next_kind(person, held, day, last_conformity, modest=teacher)
            if kind is None:
                day += datetime.timedelta(days=rng.randint(90, 365))
                continue
            row = self.case(person, kind, day)
            self.cases.append(row)
            made += 1
            last = row
            if row.get("decision") == CaseDecision.CONFORMS or row.get("decision") == CaseDecision.DOES_NOT_CONFORM:
                last_conformity = row["decided_on"]
            if "_category" in row:
                held.append((row["_category"][0], row["_category"][1]))
            ends = row["_ends"]
            day = max(ends, day) + datetime.timedelta(days=30 + rng.expovariate(1 / max(gap, 30)))
        if teacher and (last is None or last.get("status") in CLOSED):
            opened = today - rng.randint(4, 10) * DAY
            if last is not None:
                opened = max(opened, last["_ends"] + DAY)
            if opened <= today:
                kind = self.next_kind(person, held, opened, last_conformity)
                force = _in_force(held, opened)
                if kind is None and CategoryKind.HIGHEST in force and CategoryKind.MENTOR not in force:
                    kind = CaseKind.MENTOR  # a holder of the высшая without end: the next step is a mentor's
                if kind is not None:
                    last = self.case(person, kind, opened, force_open=True)
                    self.cases.append(last)
                    made += 1
        self.state[person.pk] = (held, last_conformity, last)
        return made

    def open_conformity(self, people: list[Staff], wanted: int) -> None:
        """At least `wanted` conformity cases in progress (the methodist's work today): opened in the last two
        months for people the rules call now — no category in force, not new in the position, no attestation in the
        last four years, no case in progress."""
        rng, today = self.rng, self.today
        in_progress = sum(1 for row in self.cases if row["kind"] == CaseKind.CONFORMITY and row["status"] not in CLOSED)
        candidates = [person for person in people if person.pk in self.state]
        rng.shuffle(candidates)
        for person in candidates:
            if in_progress >= wanted:
                return
            held, last_conformity, last = self.state[person.pk]
            opened = today - rng.randint(2, 60) * DAY
            if last is not None and (last.get("status") not in CLOSED or last["_ends"] >= opened):
                continue
            force = _in_force(held, opened)
            new = person.position_since is not None and opened < add_years(person.position_since, 2)
            recent = last_conformity is not None and opened < add_years(last_conformity, 4)
            if CategoryKind.FIRST in force or CategoryKind.HIGHEST in force or new or recent:
                continue
            row = self.case(person, CaseKind.CONFORMITY, opened, in_progress=True)
            self.cases.append(row)
            self.state[person.pk] = (held, last_conformity, row)
            in_progress += 1


def _initial_categories(
    college: College, rng: random.Random, existing: dict[int, list[tuple[str, datetime.date]]]
) -> list[tuple]:
    """The categories the teaching staff hold when the history starts (entered from their papers: no case)."""
    rows = []
    start = college.start
    for pk in college.teaching:
        if pk in existing:
            continue
        roll = rng.random()
        if roll < 0.55:
            continue
        kinds = [CategoryKind.FIRST] if roll < 0.8 else [CategoryKind.HIGHEST]
        if kinds[0] == CategoryKind.HIGHEST and rng.random() < 0.08:
            kinds.append(CategoryKind.MENTOR)
        set_on = start - datetime.timedelta(days=rng.randint(30, 5 * 365 - 30))
        for kind in kinds:
            order_date = set_on + rng.randint(1, 10) * DAY
            rows.append((pk, kind, set_on, f"{rng.randint(100, 3999)}", order_date, None))
            existing.setdefault(pk, []).append((kind, set_on))
            set_on = set_on + rng.randint(30, 200) * DAY
    return rows


CASE_COLUMNS = [
    "id",
    "person_id",
    "kind",
    "status",
    "submitted_on",
    "sitting_on",
    "decision",
    "decided_on",
    "presentation",
    "presentation_by_id",
    "presentation_at",
    "acknowledged_on",
    "teacher_addition",
    "extract_acknowledged_on",
    "petition",
    "petition_by_id",
    "petition_at",
    "portfolio_hash",
    "order_number",
    "order_date",
    "withdrawal_reason",
    "created_by_id",
    "created_at",
]
TEXT_COLUMNS = {
    "decision",
    "presentation",
    "teacher_addition",
    "petition",
    "portfolio_hash",
    "order_number",
    "withdrawal_reason",
}


def attestation(college: College, scale: Scale, rng: random.Random) -> dict[str, int]:
    """Categories held and `scale.attestation_cases` cases over the teaching staff (see the module's docstring)."""
    existing: dict[int, list[tuple[str, datetime.date]]] = defaultdict(list)
    for person_id, kind, set_on in Category.objects.values_list("person_id", "kind", "set_on"):
        existing[person_id].append((kind, set_on))
    existing = dict(existing)
    with_cases = set(AttestationCase.objects.values_list("person_id", flat=True))
    initial = _initial_categories(college, rng, existing)
    people = [college.staff[pk] for pk in college.teaching if pk not in with_cases]
    teacher = college.person("teacher")
    built = _Cases(college, rng)
    if people:
        # The mean time between one person's cases, shortened while the histories come out too few (each case takes
        # months, and those who hold every category they may apply for wait): at most four tries.
        span = max((college.today - college.start).days, 365)
        gap = span / max(scale.attestation_cases / len(people), 0.05)
        for _attempt in range(4):
            built = _Cases(college, rng)
            for person in people:
                held = list(existing.get(person.pk, []))
                built.person(person, held, gap * rng.uniform(0.7, 1.3), teacher=person.pk == teacher)
            built.open_conformity(people, max(3, round(len(people) / 100)))
            made = len(built.cases)
            if made >= 0.95 * scale.attestation_cases or gap <= 30:
                break
            gap = max(30.0, gap * made / scale.attestation_cases * 0.9)
    ids = bulk.allocate_ids(AttestationCase, len(built.cases))
    category_rows = list(initial)
    case_rows = []
    for pk, row in zip(ids, built.cases, strict=True):
        row["id"] = pk
        case_rows.append(tuple(row.get(name, "" if name in TEXT_COLUMNS else None) for name in CASE_COLUMNS))
        if "_category" in row:
            kind, set_on, number, order_date = row["_category"]
            category_rows.append((row["person_id"], kind, set_on, number, order_date, pk))
    counts = {"attestation_attestationcase": bulk.insert(AttestationCase, CASE_COLUMNS, case_rows)}
    counts["attestation_category"] = bulk.insert(
        Category, ["person_id", "kind", "set_on", "order_number", "order_date", "case_id"], category_rows
    )
    return counts


# ---------------------------------------------------------------- diagnostics


def _frameworks(college: College) -> list[CompetencyFramework]:
    """The default framework (migration 0004) and a second version with indicators, made here as the methodist
    would (attestation.services.frameworks)."""
    original = (
        CompetencyFramework.objects.filter(name__startswith=DEFAULT_FRAMEWORK, version=1).first()
        or CompetencyFramework.objects.order_by("pk").first()
    )
    if original is None:
        return []
    by_pk = college.methodist_for(0)
    by = Person.objects.filter(pk=by_pk).first() if by_pk else None
    copy = framework_services.framework_copy(framework=original, by=by)
    functions = {c.code: c for c in Competency.objects.filter(framework=copy, code__in=INDICATORS)}
    for function_code, indicators in INDICATORS.items():
        if function_code not in functions:
            continue
        for code, name in indicators:
            framework_services.competency_add(
                framework=copy, code=code, name=name, kind=CompetencyKind.INDICATOR, parent=functions[function_code]
            )
    return [original, copy]


def _windows(year: AcademicYear, count: int, today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """`count` assessment windows of the year: in March when there is one, else spread over the year; in the current
    year the last one holds today (two weeks ago to two weeks on) and the others lie before it, as many as fit."""
    if year.start <= today <= year.end:
        last = (max(year.start, today - 14 * DAY), min(year.end, today + 14 * DAY))
        room = (last[0] - year.start).days
        earlier = min(count - 1, room // 10)
        windows = []
        for index in range(earlier):
            first = year.start + datetime.timedelta(days=index * room // earlier)
            windows.append((first, first + 6 * DAY))
        return [*windows, last]
    if count == 1:
        first = datetime.date(year.start.year + 1, 3, 2)
        return [(first, first + 18 * DAY)]
    step = ((year.end - year.start).days - 60) // count
    return [
        (
            year.start + datetime.timedelta(days=30 + index * step),
            year.start + datetime.timedelta(days=30 + index * step + min(13, step - 1)),
        )
        for index in range(count)
    ]


class _Levels:
    """The levels of a campaign's assessments: the person's skill (growing over the years), the competency's own
    difficulty, each assessor's noise; a self-assessment adds the person's bias most of the time."""

    def __init__(self, skill, bias, offset, growth: float, highest: int, rng: random.Random) -> None:
        self.skill, self.bias, self.offset = skill, bias, offset
        self.growth, self.highest, self.rng = growth, highest, rng

    def rows(self, plan, competencies, collect):
        """Score rows for `plan` [(assessment, person, kind, how many competencies scored)]; with `collect`
        (levels by person and competency, the submitted expert assessments) the expert levels are gathered."""
        rng, highest = self.rng, self.highest
        for assessment_id, pk, kind, scored in plan:
            base = self.skill[pk] + self.growth
            person_bias = self.bias[pk]
            expert = kind == AssessmentKind.EXPERT
            gather = collect is not None and expert and assessment_id in collect[1]
            for competency_id, code in competencies[:scored]:
                value = base + self.offset[code] + rng.gauss(0, 0.45)
                if not expert and person_bias and rng.random() < 0.7:
                    value += person_bias
                level = max(0, min(highest, round(value)))
                comment = rng.choice(EXPERT_COMMENTS) if expert and level <= 1 and rng.random() < 0.15 else ""
                if gather:
                    collect[0][pk][competency_id].append(level)
                yield (assessment_id, competency_id, level, comment, "")


def diagnostics(college: College, scale: Scale, rng: random.Random) -> dict[str, int]:
    """Frameworks, campaigns, participants, experts, `scale.assessments` assessments and about `scale.levels` levels
    (see the module's docstring). Returns the counts; the open campaign's deficits are kept for `suggestions`."""
    today, now = college.today, timezone.now()
    counts: dict[str, int] = defaultdict(int)
    frameworks = _frameworks(college)
    if not frameworks or not college.years or not college.teaching:
        return dict(counts)
    counts["attestation_competencyframework"] += len(frameworks) - 1
    assessed = {
        framework.pk: list(campaign_services.assessed_competencies(framework).values_list("pk", "code"))
        for framework in frameworks
    }
    top = {framework.pk: max(framework.level_values) for framework in frameworks}
    codes = sorted({code for pairs in assessed.values() for _pk, code in pairs})
    offset = {code: rng.gauss(0, 0.3) for code in codes}
    skill = {pk: min(3.0, max(0.2, rng.gauss(1.9, 0.55))) for pk in college.teaching}
    bias = {pk: rng.choice((0, 0, 0, 0, 0, 1, 1, 1, 2, -1)) for pk in college.teaching}
    first_year = college.years[0].start.year
    teacher, mo_head = college.person("teacher"), college.person("mo_head")
    creator = college.methodist_for(0)

    def eligible(day: datetime.date) -> list[int]:
        return [pk for pk in college.teaching if (college.staff[pk].hire_date or day) <= day]

    # How many campaigns a year: the volume over what one campaign of the whole teaching staff gives.
    per_year = scale.assessments / len(college.years)
    sample = college.years[len(college.years) // 2]
    probe = datetime.date(sample.start.year + 1, 3, 2)
    people = eligible(probe)
    base = sum(1 + len(college.experts_on(pk, probe)) for pk in people) or 1
    capacity = base + 0.6 * len(people)  # second experts where the associations have colleagues
    per_campaign_count = max(1, math.ceil(per_year / capacity))
    windows = {
        year.pk: [w for w in _windows(year, per_campaign_count, today) if w[0] <= today] for year in college.years
    }
    # the volume left over the campaigns left (the current year has fewer when its windows have not come yet; a
    # campaign whose staff had no associations yet gives fewer)
    campaigns_left = sum(len(found) for found in windows.values())
    levels_per_assessment = scale.levels / max(scale.assessments, 1)
    made_assessments = made_levels = 0
    open_deficits: dict[int, tuple[int, int]] = {}  # participant → (person, first deficit competency)
    open_campaign = None

    for year in college.years:
        for index, (starts_on, ends_on) in enumerate(windows[year.pk]):
            is_open = starts_on <= today <= ends_on
            people = eligible(starts_on)
            per_campaign = (scale.assessments - made_assessments) / max(campaigns_left, 1)
            campaigns_left -= 1
            if not people:
                continue
            experts = {pk: college.experts_on(pk, starts_on) for pk in people}
            tasks = sum(1 + len(experts[pk]) for pk in people)
            scope = CampaignScope.ALL
            if tasks > per_campaign * 1.05:  # a chosen part of the staff
                keep = set(rng.sample(people, max(1, round(len(people) * per_campaign / tasks))))
                for named in (teacher, mo_head):
                    if named in experts:
                        keep.add(named)
                people = [pk for pk in people if pk in keep]
                tasks = sum(1 + len(experts[pk]) for pk in people)
                scope = CampaignScope.CHOSEN
            extra_needed = per_campaign - tasks
            if extra_needed > 0:
                candidates = {}
                for pk in people:
                    colleagues = {
                        member
                        for unit in college.associations_on(pk, starts_on)
                        for member in college.members_on(unit, starts_on)
                    } - {pk, *experts[pk]}
                    if colleagues:
                        candidates[pk] = sorted(colleagues)
                share = min(1.0, extra_needed / max(len(candidates), 1))
                for pk, colleagues in candidates.items():
                    if rng.random() < share:
                        experts[pk] = sorted({*experts[pk], rng.choice(colleagues)})
            # the framework: the version whose number of competencies keeps the levels on target
            tasks = sum(1 + len(experts[pk]) for pk in people)
            wanted_levels = levels_per_assessment * (made_assessments + tasks) - made_levels
            elapsed = ((today - starts_on).days + 1) / ((ends_on - starts_on).days + 1)
            completion = 0.25 + 0.6 * elapsed if is_open else 0.92
            framework = min(frameworks, key=lambda f: abs(tasks * completion * len(assessed[f.pk]) - wanted_levels))
            competencies = assessed[framework.pk]
            highest = top[framework.pk]
            title = CAMPAIGN_TITLE.format(year=year.title)
            if per_campaign_count > 1:
                title += f" (этап {index + 1})"
            campaign_id = bulk.allocate_ids(DiagnosticCampaign, 1)[0]
            opened = _at(starts_on - 3 * DAY, 9)
            bulk.insert(
                DiagnosticCampaign,
                [
                    "id",
                    "title",
                    "year_id",
                    "framework_id",
                    "scope",
                    "starts_on",
                    "ends_on",
                    "status",
                    "created_by_id",
                    "created_at",
                ],
                [
                    (
                        campaign_id,
                        title,
                        year.pk,
                        framework.pk,
                        scope,
                        starts_on,
                        ends_on,
                        CampaignStatus.OPEN if is_open else CampaignStatus.CLOSED,
                        creator,
                        _at(starts_on - 10 * DAY, 11),
                    )
                ],
            )
            counts["attestation_diagnosticcampaign"] += 1
            participant_ids = bulk.allocate_ids(CampaignParticipant, len(people))
            participant_of = dict(zip(people, participant_ids, strict=True))
            counts["attestation_campaignparticipant"] += bulk.insert(
                CampaignParticipant,
                ["id", "campaign_id", "person_id"],
                [(participant_of[pk], campaign_id, pk) for pk in people],
            )
            counts["attestation_campaignparticipant_experts"] += bulk.insert(
                CampaignParticipant.experts.through,
                ["campaignparticipant_id", "person_id"],
                [(participant_of[pk], expert) for pk in people for expert in experts[pk]],
            )
            # the assessments: a self-assessment for each participant, one per expert
            tasks_list = [(pk, pk, AssessmentKind.SELF) for pk in people]
            tasks_list += [(pk, expert, AssessmentKind.EXPERT) for pk in people for expert in experts[pk]]
            assessment_ids = bulk.allocate_ids(Assessment, len(tasks_list))
            growth = 0.06 * (year.start.year - first_year)
            assessment_rows = []
            score_plan = []  # (assessment id, person, kind, number of competencies scored)
            waiting_for_head = 0
            for assessment_id, (pk, assessor, kind) in zip(assessment_ids, tasks_list, strict=True):
                roll = rng.random()
                if is_open:
                    done, partial = roll < 0.15 + 0.6 * elapsed, roll > 0.8
                else:
                    done, partial = roll < (0.93 if kind == AssessmentKind.SELF else 0.9), roll > 0.96
                if is_open and (
                    (pk == teacher and kind == AssessmentKind.SELF)
                    or (assessor == mo_head and kind == AssessmentKind.EXPERT and waiting_for_head < 3)
                ):
                    done, partial = False, True
                    waiting_for_head += assessor == mo_head
                if done:
                    last_day = min(ends_on, today)
                    day = starts_on + rng.randint(0, max((last_day - starts_on).days, 0)) * DAY
                    moment = _past(_at(day, rng.randint(8, 20), rng.randint(0, 59)), now)
                    assessment_rows.append(
                        (assessment_id, participant_of[pk], assessor, kind, AssessmentStatus.SUBMITTED, moment, moment)
                    )
                    score_plan.append((assessment_id, pk, kind, len(competencies)))
                else:
                    scored = rng.randint(1, len(competencies) - 1) if partial and len(competencies) > 1 else 0
                    moment = opened
                    if scored:
                        day = starts_on + rng.randint(0, max((min(ends_on, today) - starts_on).days, 0)) * DAY
                        moment = _past(_at(day, rng.randint(8, 20)), now)
                    assessment_rows.append(
                        (assessment_id, participant_of[pk], assessor, kind, AssessmentStatus.DRAFT, None, moment)
                    )
                    if scored:
                        score_plan.append((assessment_id, pk, kind, scored))
            counts["attestation_assessment"] += bulk.insert(
                Assessment,
                ["id", "participant_id", "assessor_id", "kind", "status", "submitted_at", "updated_at"],
                assessment_rows,
            )
            made_assessments += len(assessment_rows)
            expert_levels: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
            submitted_expert = {
                row[0]
                for row in assessment_rows
                if row[3] == AssessmentKind.EXPERT and row[4] == AssessmentStatus.SUBMITTED
            }

            levels = _Levels(skill, bias, offset, growth, highest, rng)
            collect = (expert_levels, submitted_expert) if is_open else None
            written = bulk.insert(
                Score,
                ["assessment_id", "competency_id", "level", "comment", "evidence_url"],
                levels.rows(score_plan, competencies, collect),
            )
            counts["attestation_score"] += written
            made_levels += written
            if is_open:
                open_campaign = campaign_id
                order = [pk for pk, _code in competencies]
                for pk, by_competency in expert_levels.items():
                    deficits = [
                        competency
                        for competency in order
                        if (median := experts_median(by_competency.get(competency, []))) is not None
                        and median <= DEFICIT_LEVEL
                    ]
                    if deficits:
                        open_deficits[participant_of[pk]] = (pk, deficits[0])
    _state["open_campaign"] = open_campaign
    _state["open_deficits"] = open_deficits
    return dict(counts)


#: What `diagnostics` leaves for `suggestions` (the open campaign and its participants' first deficits).
_state: dict = {}


def suggestions(college: College, scale: Scale, rng: random.Random) -> dict[str, int]:
    """The course on the first deficit into the individual plan of the open campaign's year, for the participants
    whose plan takes items (draft, returned, being amended), as the panel's «add to the plan» writes it
    (attestation.services.suggestions.suggestion_add: the panel's wording, direction, form, deadline and result; the
    person responsible; not twice). Written in bulk: the service reads the whole panel for each click (a third of a
    second at region scale), the rows are the same."""
    campaign_id, deficits = _state.get("open_campaign"), _state.get("open_deficits") or {}
    if campaign_id is None or not deficits:
        return {"planning_planitem_from_deficits": 0}
    year = DiagnosticCampaign.objects.select_related("year").get(pk=campaign_id).year
    plans = dict(
        Plan.objects.filter(
            level=PlanLevel.INDIVIDUAL,
            year=year,
            status__in=EDITABLE_PLAN_STATUSES,
            person_id__in={person for person, _competency in deficits.values()},
        ).values_list("person_id", "pk")
    )
    last = dict(
        PlanItem.objects.filter(plan_id__in=plans.values())
        .values("plan_id")
        .annotate(last=Max("position"))
        .values_list("plan_id", "last")
    )
    held: dict[int, set[str]] = defaultdict(set)
    for plan_id, content in PlanItem.objects.filter(plan_id__in=plans.values()).values_list("plan_id", "content"):
        held[plan_id].add(suggestion_selectors.content_key(content))
    competencies = Competency.objects.in_bulk({competency for _person, competency in deficits.values()})
    direction = WorkDirection.objects.filter(code=suggestion_selectors.DIRECTION_OF_KIND[suggestion_selectors.TRAINING])
    direction_id = direction.values_list("pk", flat=True).first()
    rows, responsible = [], []
    for _participant, (person, competency_id) in sorted(deficits.items()):
        plan_id = plans.get(person)
        if plan_id is None or direction_id is None:
            continue
        suggestion = suggestion_selectors._training(competencies[competency_id], year.end)  # the panel's own wording
        key = suggestion_selectors.content_key(suggestion.content)
        if key in held[plan_id]:
            continue
        held[plan_id].add(key)
        last[plan_id] = last.get(plan_id) or 0
        last[plan_id] += 1
        rows.append(
            [
                plan_id,
                last[plan_id],
                suggestion.content,
                direction_id,
                suggestion.form,
                suggestion.due_date,
                suggestion.expected_result,
            ]
        )
        responsible.append(person)
    ids = bulk.allocate_ids(PlanItem, len(rows))
    written = bulk.insert(
        PlanItem,
        ["id", "plan_id", "position", "content", "direction_id", "form", "due_date", "expected_result"]
        + ["period", "status", "report", "evidence_file", "evidence_link"],
        [(pk, *row, "", ItemStatus.PLANNED, "", "", "") for pk, row in zip(ids, rows, strict=True)],
    )
    bulk.insert(
        PlanItem.responsible.through,
        ["planitem_id", "person_id"],
        list(zip(ids, responsible, strict=True)),
    )
    return {"planning_planitem_from_deficits": written}


# ---------------------------------------------------------------- the whole part

STAGES: list[tuple[str, Callable[[College, Scale, random.Random], dict[str, int]]]] = [
    ("trainings", trainings),
    ("attestation", attestation),
    ("diagnostics", diagnostics),
    ("suggestions", suggestions),
]


def generate(scale: Scale, rng: random.Random) -> dict[str, int]:
    """Build the attestation part over what the database holds; the counts written, by table. Each stage logs its
    time on the `bench.gen` logger."""
    college = load(timezone.localdate())
    counts: dict[str, int] = {}
    for name, stage in STAGES:
        began = time.perf_counter()
        with transaction.atomic():
            made = stage(college, scale, rng)
        counts.update(made)
        log.info("attestation.%s: %.1f s %s", name, time.perf_counter() - began, made)
    bulk.analyze(TrainingRecord, AttestationCase, Category, DiagnosticCampaign, CampaignParticipant, Assessment, Score)
    return counts
