"""Demo attestation data on top of the demo college (structure/demo.py, planning/demo.py): the categories its
teachers hold, their professional development, and a conformity attestation decided in the past. Built through
attestation.services like everything users do, laid around today so that on any day the schedule shows each case:

- categories set before 01.09.2023 (five years): one ending within 3 months, one within 6, one that ended two
  months ago (its holder falls back under the attestation for conformity), others ending later; categories set
  since (no end), «педагог-методист» and «педагог-наставник» on top of a высшая;
- exemptions of every kind: a category; new in the position (the two hired this August); pregnancy, maternity
  leave, parental leave (lasting, and ended 300 days ago), a long sick leave ended 170 days ago (the absence
  periods are structure's: structure.demo.Builder.absences);
- the `teacher` account (Миронов) attested for conformity 900 days ago: his cycle counts from that decision;
  Сидоров is overdue for conformity (no category, no attestation since he took the post in 2005);
- professional development: a confirmed ПК within 3 years for almost everyone (the professional cycle with an
  internship), Абрамова overdue for ПК, Гусев due within two months, Петров overdue for an internship; the
  teacher's newest course waiting for the methodist's confirmation (with a scan), one returned for correction.

Then the attestation cases of every kind (attestation.demo_cases: categories applied for, granted, refused, withdrawn;
attestation.demo_conformity: one conformity case through to the signed protocol and its extract, one with the sitting
planned, one waiting for the teacher's acknowledgement) the competency diagnostics (attestation.demo_frameworks: a second version of the framework with indicators;
attestation.demo_campaigns: last year's closed campaign and this year's open one; attestation.demo_suggestions: a
course added to the plans for a first deficit) and the teacher's portfolio (attestation.demo_portfolio).

Development only (`manage.py seed_demo`, composed by metodservice/demo.py).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape
from weasyprint import HTML

from metodservice.common.agreement import agree

from . import schedule
from .models import (
    AttestationCase,
    CaseDecision,
    CaseKind,
    CaseStatus,
    CategoryKind,
    DocumentKind,
    TrainingKind,
    TrainingRecord,
)
from .services import records as records_services
from .services import training as training_services

if TYPE_CHECKING:
    from structure.demo import Builder
    from structure.models import Person

FIRST, HIGHEST, METHODIST, MENTOR = (
    CategoryKind.FIRST,
    CategoryKind.HIGHEST,
    CategoryKind.METHODIST,
    CategoryKind.MENTOR,
)

#: Categories set before 01.09.2023 (five years): (person, category, months from today to its end; negative: ended).
OLD_CATEGORIES = [
    ("smirnova", HIGHEST, 2),  # ends within 3 months: time to apply again
    ("zhukov", FIRST, 5),  # within 6 months
    ("fedorova", FIRST, -2),  # ended two months ago
    ("kovalev", HIGHEST, 9),
    ("panova", HIGHEST, 14),
    ("abramova", HIGHEST, 20),
    ("polyakova", FIRST, 26),
    ("lukina", HIGHEST, 30),
]
#: Categories set since 01.09.2023 (no end): (person, category, days ago).
NEW_CATEGORIES = [
    ("orlova", HIGHEST, 980),
    ("orlova", METHODIST, 95),
    ("tarasova", HIGHEST, 1100),
    ("tarasova", MENTOR, 210),
    ("vlasov", HIGHEST, 1050),
    ("vlasov", MENTOR, 130),
    ("sokolova", HIGHEST, 700),
    ("belova", FIRST, 400),
    ("zaitseva", HIGHEST, 520),
    ("kiselev", HIGHEST, 610),
    ("tikhonov", FIRST, 450),
    ("gusev", FIRST, 380),
    ("romanov", HIGHEST, 820),
    ("vinogradova", FIRST, 300),
    ("stepanova", FIRST, 560),
    ("antonova", HIGHEST, 740),
    ("sorokin", FIRST, 470),
    ("makarov", FIRST, 650),
    ("borisov", FIRST, 240),
    ("volkov", FIRST, 330),
    ("ilyina", FIRST, 170),
    ("chernova", HIGHEST, 900),
    ("efimov", FIRST, 210),
    ("pavlov", HIGHEST, 1000),
    ("zakharova", HIGHEST, 580),
    ("petrov", FIRST, 690),
    ("frolov", FIRST, 260),
    ("gavrilova", HIGHEST, 870),
    ("mikhailov", FIRST, 150),
    ("novikova", FIRST, 420),
    ("dmitrieva", HIGHEST, 760),
    ("baranova", FIRST, 500),
    ("kudryavtseva", FIRST, 640),
    ("lapin", FIRST, 360),
    ("osipova", FIRST, 280),
    ("shestakova", FIRST, 720),
    ("timofeeva", FIRST, 200),
    ("shcherbakova", FIRST, 440),
]

PROVIDERS = [
    "ГАУ ДПО «Региональный институт развития образования»",
    "ФГАОУ ДПО «Академия Минпросвещения России»",
    "ГАОУ ДПО «Институт развития профессионального образования»",
    "АНО ДПО «Центр непрерывного образования»",
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
]
#: Where the professional cycle does its internships, by association of the demo college (structure.demo).
INTERNSHIPS = {
    "machining": ("ПАО «Машиностроительный завод»", "Токарная и фрезерная обработка на станках с ЧПУ"),
    "welding": ("ООО «Сварочные технологии»", "Современные способы сварки и контроль сварных соединений"),
    "general_prof": ("АО «Приборный завод»", "Организация производства и охрана труда на предприятии"),
}
#: Who trains differently from everyone else: days from today to the end of the last ПК (positive: ago).
COURSE_ENDED_DAYS_AGO = {
    "abramova": 3 * 365 + 120,  # overdue for ПК
    "gusev": 3 * 365 - 60,  # due within two months
}
INTERNSHIP_ENDED_DAYS_AGO = {"petrov": 3 * 365 + 200}  # overdue for an internship
#: Not on leave or sick, nor hired this year with a course of their own: everybody gets the standard course.
NO_TRAINING = {"vorontsov", "lebedeva", "grishin", "nikitina", "belyaev", "ershova"}  # management: no teaching post


def _scan(title: str, person: Person, number: str) -> SimpleUploadedFile:
    """A one-page PDF of a certificate, as a teacher would scan it."""
    html = (
        "<html><body style='font-family: Liberation Serif, serif; font-size: 14pt'>"
        "<h1 style='font-size: 18pt; text-align: center'>УДОСТОВЕРЕНИЕ<br>о повышении квалификации</h1>"
        f"<p style='text-align: center'>№ {escape(number)}</p>"
        f"<p>Настоящее удостоверение выдано {escape(person.full_name)} в том, что "
        f"{agree(person.grammatical_gender, masculine='он прошёл', feminine='она прошла', neutral='он(а) прошёл(ла)')} "
        f"повышение квалификации по дополнительной профессиональной программе «{escape(title)}».</p></body></html>"
    )
    return SimpleUploadedFile("Удостоверение.pdf", HTML(string=html).write_pdf(), content_type="application/pdf")


class _Trainer:
    """Adds and confirms the records of professional development, numbering the documents."""

    def __init__(self, b: Builder, today: datetime.date) -> None:
        self.b, self.today = b, today
        self.methodist, self.deputy = b.p("sokolova"), b.p("lebedeva")
        self.number = 0

    def add(
        self,
        key: str,
        *,
        ended_days_ago: int,
        kind: str = TrainingKind.QUALIFICATION,
        programme: str,
        provider: str,
        hours: int,
        confirm: bool = True,
        scan: bool = False,
    ) -> TrainingRecord:
        person = self.b.p(key)
        end = self.today - datetime.timedelta(days=ended_days_ago)
        start = end - datetime.timedelta(days={TrainingKind.RETRAINING: 180}.get(kind, 10 + hours // 8))
        self.number += 1
        number = f"7727{self.today.year % 100:02d}{self.number:05d}"
        document = {
            TrainingKind.QUALIFICATION: DocumentKind.CERTIFICATE,
            TrainingKind.RETRAINING: DocumentKind.DIPLOMA,
            TrainingKind.INTERNSHIP: DocumentKind.STATEMENT,
        }[TrainingKind(kind)]
        record = training_services.training_add(
            person=person,
            by=person,
            kind=kind,
            programme=programme,
            provider=provider,
            hours=hours,
            start=start,
            end=end,
            document_kind=document,
            document_number=number,
            scan=_scan(programme, person, number) if scan else None,
            today=self.today,
        )
        TrainingRecord.objects.filter(pk=record.pk).update(
            created_at=timezone.make_aware(
                datetime.datetime.combine(min(end + datetime.timedelta(days=3), self.today), datetime.time(11))
            )
        )
        if confirm:
            confirmer = self.deputy if key == "sokolova" else self.methodist
            record = training_services.training_confirm(record=record, by=confirmer, today=self.today)
            confirmed = min(end + datetime.timedelta(days=10), self.today)
            TrainingRecord.objects.filter(pk=record.pk).update(
                confirmed_at=timezone.make_aware(datetime.datetime.combine(confirmed, datetime.time(15)))
            )
        return record


def _categories(b: Builder, today: datetime.date) -> None:
    methodist, deputy = b.p("sokolova"), b.p("lebedeva")
    number = 0

    def record(key: str, kind: str, set_on: datetime.date) -> None:
        nonlocal number
        number += 1
        order_date = min(set_on + datetime.timedelta(days=7), today)
        records_services.category_save(
            person=b.p(key),
            kind=kind,
            set_on=set_on,
            order_number=f"{1200 + number * 37}",
            order_date=order_date,
            by=deputy if key == "sokolova" else methodist,
        )

    for index, (key, kind, months) in enumerate(OLD_CATEGORIES):
        # Ends `months` from today: set five years before that day. Past 2028 no category of the old rules can still
        # be in force; it is then dated the last days of the old rules (and has ended or ends soon).
        set_on = schedule.add_years(schedule.add_months(today, months), -schedule.CATEGORY_YEARS)
        set_on = min(set_on, schedule.OPEN_ENDED_FROM - datetime.timedelta(days=1 + index))
        record(key, kind, set_on)
    # The methodist and mentor categories need the высшая first: NEW_CATEGORIES lists it first for each person.
    for key, kind, days in NEW_CATEGORIES:
        record(key, kind, min(max(today - datetime.timedelta(days=days), schedule.OPEN_ENDED_FROM), today))


def _trainings(b: Builder, today: datetime.date) -> None:
    trainer = _Trainer(b, today)
    associations = {member.person_id: key for key in INTERNSHIPS for member in b.units[key].memberships.all()}
    for index, key in enumerate(b.people):
        person = b.p(key)
        if key in NO_TRAINING or person.is_external:
            continue
        programme, hours = PROGRAMMES[index % len(PROGRAMMES)]
        provider = PROVIDERS[index % len(PROVIDERS)]
        ended = COURSE_ENDED_DAYS_AGO.get(key, 60 + (index * 53) % 900)
        if key in ("vorobyeva", "nazarov"):  # hired this August: a course in the summer before
            ended = max((today - b.p(key).hire_date).days + 20, 30)
        trainer.add(
            key, ended_days_ago=ended, programme=programme, provider=provider, hours=hours, scan=key == "mironov"
        )
        if person.professional_cycle:
            where, what = INTERNSHIPS.get(associations.get(person.pk, ""), INTERNSHIPS["general_prof"])
            trainer.add(
                key,
                ended_days_ago=INTERNSHIP_ENDED_DAYS_AGO.get(key, 120 + (index * 71) % 800),
                kind=TrainingKind.INTERNSHIP,
                programme=what,
                provider=where,
                hours=36 if index % 2 else 72,
            )
    # Retraining of a teacher who came from industry.
    trainer.add(
        "nazarov",
        ended_days_ago=max((today - b.p("nazarov").hire_date).days + 5, 10),
        kind=TrainingKind.RETRAINING,
        programme="Педагогика профессионального образования",
        provider=PROVIDERS[2],
        hours=520,
    )
    # Waiting for the methodist: the teacher's newest course (with its scan) and another; one returned to correct.
    trainer.add(
        "mironov",
        ended_days_ago=12,
        programme="Современные подходы к преподаванию истории в СПО",
        provider=PROVIDERS[0],
        hours=36,
        confirm=False,
        scan=True,
    )
    trainer.add(
        "krylova",
        ended_days_ago=70,
        programme=PROGRAMMES[0][0] + " (модуль 2)",
        provider=PROVIDERS[3],
        hours=16,
        confirm=False,
    )
    returned = trainer.add(
        "zaitseva",
        ended_days_ago=40,
        programme="Функциональная грамотность на уроках математики",
        provider=PROVIDERS[1],
        hours=24,
        confirm=False,
    )
    training_services.training_return(
        record=returned,
        by=trainer.methodist,
        comment="Номер удостоверения не совпадает с копией: проверьте и приложите скан.",
    )


def _conformity(b: Builder, today: datetime.date) -> None:
    """The teacher's attestation for conformity to the position, decided «соответствует» 900 days ago by the college's
    commission: the schedule counts his five-year cycle from that day."""
    decided = today - datetime.timedelta(days=900)
    case = AttestationCase.objects.create(
        person=b.p("mironov"),
        kind=CaseKind.CONFORMITY,
        status=CaseStatus.DECIDED,
        submitted_on=decided - datetime.timedelta(days=35),  # the представление acknowledged ≥ 30 days before
        sitting_on=decided,
        decision=CaseDecision.CONFORMS,
        decided_on=decided,
        created_by=b.p("sokolova"),
    )
    AttestationCase.objects.filter(pk=case.pk).update(
        created_at=timezone.make_aware(
            datetime.datetime.combine(decided - datetime.timedelta(days=60), datetime.time(10))
        )
    )


def build(b: Builder) -> None:
    """The whole attestation part of the demo: what this module lays down, then the cases (attestation.demo_cases,
    attestation.demo_conformity) and the teacher's portfolio (attestation.demo_portfolio), which reads them."""
    from .demo_campaigns import build_campaigns_demo
    from .demo_cases import build_cases_demo
    from .demo_conformity import build_conformity_demo
    from .demo_frameworks import build_frameworks_demo
    from .demo_portfolio import build_portfolio_demo
    from .demo_suggestions import build_suggestions_demo

    today = b.today
    _categories(b, today)
    _trainings(b, today)
    _conformity(b, today)
    build_cases_demo(b, today)
    build_conformity_demo(b)
    build_frameworks_demo(b)
    build_campaigns_demo(b)
    build_suggestions_demo(b)
    build_portfolio_demo(b)
