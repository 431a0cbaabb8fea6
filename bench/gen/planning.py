"""Stage 2 of the generator: the academic years, the single methodological themes with their stages, the plans of
every year (the service's, the units', the teachers' individual ones) with their items and approved versions, and
the meetings of the units with attendance, agenda, decisions and signed protocols.

Read from the database: the people, units and memberships the structure stage wrote. The current year's plans of
the named accounts and a sample of others go the way users take them, through `planning.services` (created, items
added, submitted, approved by whoever `planning.selectors.approvers_of` names, which freezes and hashes the
version); everything else is inserted in bulk as those services would have left it — the versions' snapshots
have the services' shape and hash (planning.signing.version_hash), the protocols are frozen by
planning.signing.protocol_content and hashed by planning.signing.protocol_hash.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils import timezone

from planning import selectors, services
from planning import signing as plan_signing
from planning.models import (
    AcademicYear,
    AgendaItem,
    Assignment,
    AssignmentSource,
    Attendance,
    Decision,
    DecisionStatus,
    ItemStatus,
    Meeting,
    MeetingStatus,
    MethodologicalTheme,
    Plan,
    PlanItem,
    PlanLevel,
    PlanStatus,
    PlanVersion,
    WorkDirection,
    WorkForm,
)
from planning.selectors.documents import head_title
from structure.models import ASSOCIATION_KINDS, MemberRole, Membership, Person, SystemRole, Unit, UnitKind, UnitName

from .common import BATCH, academic_year_start, at, bulk, chunks, workday, workday_before
from .scale import Scale

# ---------------------------------------------------------------- texts

THEMES = [
    (
        "Развитие профессиональных компетенций педагогов как условие качества подготовки специалистов в условиях "
        "цифровой трансформации",
        "Обеспечить рост профессиональной компетентности инженерно-педагогических работников",
    ),
    (
        "Практико-ориентированное обучение как средство формирования общих и профессиональных компетенций",
        "Создать условия для освоения студентами компетенций, востребованных работодателями",
    ),
    (
        "Совершенствование учебно-методического обеспечения образовательных программ в соответствии с ФГОС СПО",
        "Обновить учебно-методические комплексы дисциплин и модулей",
    ),
    (
        "Формирование функциональной грамотности студентов средствами общеобразовательных дисциплин",
        "Повысить качество общеобразовательной подготовки с учётом профессиональной направленности",
    ),
]
THEME_TASKS = (
    "Выявить профессиональные дефициты педагогов\nОсвоить современные образовательные технологии\n"
    "Обновить учебно-методическое обеспечение\nОбобщить и распространить передовой педагогический опыт"
)
STAGES = ["Диагностический этап", "Практический этап", "Обобщающий этап", "Аналитический этап"]

SELF_EDUCATION = [
    "Цифровые образовательные ресурсы на занятиях по дисциплине",
    "Формирование функциональной грамотности студентов",
    "Практико-ориентированные задания в профессиональном обучении",
    "Проектная деятельность студентов на занятиях",
    "Формирующее оценивание на учебных занятиях",
    "Подготовка студентов к демонстрационному экзамену",
    "Кейс-технологии в профессиональном обучении",
    "Развитие познавательной активности студентов",
    "Здоровьесберегающие технологии на занятиях",
    "Использование тренажёров и симуляторов в обучении",
    "Воспитательный потенциал учебного занятия",
    "Дистанционные технологии в обучении",
]

#: Items of an individual plan: (direction code, form, content, result); {subject} is one of the teacher's subjects.
INDIVIDUAL_ITEMS = [
    (7, WorkForm.SELF_EDUCATION, "Изучение литературы по теме самообразования", "Список литературы, конспект"),
    (3, WorkForm.DEVELOPMENT, "Обновление рабочей программы по дисциплине «{subject}»", "Рабочая программа"),
    (3, WorkForm.DEVELOPMENT, "Разработка комплекта оценочных средств по дисциплине «{subject}»", "КОС"),
    (8, WorkForm.OPEN_LESSON, "Открытое занятие по дисциплине «{subject}»", "Методическая разработка занятия"),
    (8, WorkForm.OTHER, "Взаимопосещение занятий коллег", "Листы посещения"),
    (10, WorkForm.COURSE, "Курсы повышения квалификации по профилю преподаваемой дисциплины", "Удостоверение"),
    (7, WorkForm.PUBLICATION, "Публикация статьи по теме самообразования", "Статья"),
    (8, WorkForm.CONTEST, "Участие в конкурсе методических разработок", "Конкурсная работа"),
    (3, WorkForm.MEETING, "Отчёт о работе над темой самообразования на заседании ПЦК", "Выступление"),
    (5, WorkForm.DEVELOPMENT, "Разработка электронного курса по дисциплине «{subject}» в СДО", "Электронный курс"),
    (2, WorkForm.DIAGNOSTICS, "Входная диагностика уровня подготовки студентов по дисциплине «{subject}»", "Справка"),
    (8, WorkForm.MASTER_CLASS, "Мастер-класс для коллег по теме самообразования", "Материалы мастер-класса"),
    (3, WorkForm.CONSULTATION, "Подготовка студентов к олимпиаде по дисциплине «{subject}»", "Участие студентов"),
    (10, WorkForm.COURSE, "Стажировка на профильном предприятии", "Отчёт о стажировке"),
    (9, WorkForm.OTHER, "Подготовка портфолио к аттестации", "Портфолио"),
    (7, WorkForm.CONFERENCE, "Выступление на научно-практической конференции", "Тезисы доклада"),
]

#: Items of a unit's plan: {unit} is the unit's name.
UNIT_ITEMS = [
    (1, WorkForm.MEETING, "Заседание: утверждение плана работы на учебный год", "Протокол"),
    (1, WorkForm.MEETING, "Заседание: итоги промежуточной аттестации", "Протокол"),
    (1, WorkForm.MEETING, "Заседание: итоги учебного года и задачи на следующий", "Протокол, отчёт"),
    (3, WorkForm.DEVELOPMENT, "Рассмотрение рабочих программ и КОС членов «{unit}»", "Согласованные программы"),
    (8, WorkForm.OPEN_LESSON, "Неделя «{unit}»: открытые занятия и внеклассные мероприятия", "Отчёт о неделе"),
    (2, WorkForm.DIAGNOSTICS, "Диагностика профессиональных дефицитов членов «{unit}»", "Карта дефицитов"),
    (8, WorkForm.ROUND_TABLE, "Круглый стол по обмену опытом", "Решение круглого стола"),
    (3, WorkForm.SEMINAR, "Семинар «Современные образовательные технологии»", "Материалы семинара"),
    (5, WorkForm.CONTEST, "Организация олимпиады для студентов", "Приказ об итогах"),
    (9, WorkForm.CONSULTATION, "Сопровождение аттестации членов «{unit}»", "Представления"),
    (10, WorkForm.COURSE, "Мониторинг повышения квалификации членов «{unit}»", "Сводная таблица"),
    (7, WorkForm.PUBLICATION, "Подготовка сборника методических разработок «{unit}»", "Сборник"),
    (4, WorkForm.OTHER, "Анализ потребностей работодателей в компетенциях выпускников", "Аналитическая справка"),
    (6, WorkForm.OTHER, "Пополнение методического фонда кабинета материалами «{unit}»", "Каталог"),
]

#: Items of the service's plan, repeated over the units and months to reach the scale's size.
SERVICE_ITEMS = [
    (1, WorkForm.MEETING, "Анализ результатов методической работы за прошлый учебный год", "Аналитическая справка"),
    (2, WorkForm.DIAGNOSTICS, "Диагностика профессиональных дефицитов педагогов", "Карта дефицитов"),
    (3, WorkForm.SEMINAR, "Семинар «Рабочая программа по ФГОС СПО: типичные ошибки»", "Материалы семинара"),
    (3, WorkForm.CONSULTATION, "Консультации по разработке КОС", "Комплекты КОС"),
    (4, WorkForm.ROUND_TABLE, "Круглый стол «Прогноз кадровых потребностей отрасли»", "Решение круглого стола"),
    (5, WorkForm.CONFERENCE, "Научно-практическая конференция педагогических работников", "Сборник тезисов"),
    (6, WorkForm.OTHER, "Обновление каталога методических материалов кабинета", "Каталог"),
    (7, WorkForm.PUBLICATION, "Подготовка публикаций по единой методической теме", "Публикации"),
    (9, WorkForm.CONSULTATION, "Составление графика аттестации на учебный год", "График аттестации"),
    (10, WorkForm.COURSE, "Мониторинг прохождения курсов повышения квалификации", "Сводная таблица"),
]
SERVICE_PER_UNIT = [
    (8, WorkForm.OPEN_LESSON, "Методическая неделя «{unit}»", "Отчёт"),
    (3, WorkForm.CONSULTATION, "Экспертиза рабочих программ «{unit}»", "Экспертные заключения"),
    (1, WorkForm.OTHER, "Анализ выполнения плана «{unit}» за полугодие", "Справка"),
]

AGENDA = [
    "Об утверждении плана работы на учебный год",
    "О результатах входной диагностики студентов",
    "О рассмотрении рабочих программ и комплектов оценочных средств",
    "Об итогах промежуточной аттестации",
    "О подготовке к демонстрационному экзамену",
    "О проведении предметной недели",
    "Об отчётах педагогов по темам самообразования",
    "О подготовке к аттестации педагогических работников",
    "Об итогах взаимопосещения занятий",
    "О выдвижении материалов на конкурс методических разработок",
    "Об обобщении педагогического опыта",
    "Об итогах работы за учебный год",
]
DECISIONS = [
    "Подготовить методическую разработку открытого занятия",
    "Обновить комплект оценочных средств",
    "Представить отчёт о работе над темой самообразования",
    "Подготовить материалы для сборника методических разработок",
    "Провести взаимопосещение занятий и представить анализ",
    "Подготовить студентов к участию в олимпиаде",
    "Разработать график проведения предметной недели",
    "Обобщить опыт работы и представить на методическом совете",
    "Внести изменения в рабочие программы",
    "Подготовить аналитическую справку",
]
ABSENCE_REASONS = ["больничный лист", "командировка", "курсы повышения квалификации", "отпуск", "учебный отпуск"]
REPORTS = ["Выполнено в срок", "Выполнено", "Выполнено, материалы размещены в методическом кабинете", "Проведено"]


# ---------------------------------------------------------------- the structure as read back

#: The demo's accounts the structure stage gave to people (structure.demo_data.ACCOUNTS but `admin`).
NAMED_ACCOUNTS = {"director", "deputy", "methodist", "chair", "secretary", "mo_head", "group_lead", "master"}
NAMED_ACCOUNTS |= {"lab_head", "teacher", "researcher"}


@dataclass
class Period:
    unit_id: int
    person_id: int
    role: str
    start: datetime.date
    end: datetime.date | None

    def holds(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or self.end > day)


@dataclass
class Structure:
    people: dict[int, Person]
    named: dict[str, Person]
    units: dict[int, Unit]
    by_unit: dict[int, list[Period]]
    by_person: dict[int, list[Period]]
    names: dict[int, list[UnitName]]

    def members(self, unit_id: int, day: datetime.date) -> list[Period]:
        return [p for p in self.by_unit.get(unit_id, []) if p.holds(day)]

    def holder(self, unit_id: int, role: str, day: datetime.date) -> int | None:
        return next((p.person_id for p in self.members(unit_id, day) if p.role == role), None)

    def active_units(self, day: datetime.date) -> list[Unit]:
        return [u for u in self.units.values() if u.is_active_on(day)]

    def name_on(self, unit_id: int, day: datetime.date) -> str:
        for name in self.names.get(unit_id, []):
            if name.start <= day and (name.end is None or name.end > day):
                return name.name
        return self.units[unit_id].name

    def associations_of(self, person_id: int, day: datetime.date) -> list[Period]:
        return [
            p
            for p in self.by_person.get(person_id, [])
            if p.holds(day) and self.units[p.unit_id].kind in ASSOCIATION_KINDS
        ]

    def council(self) -> Unit | None:
        return next((u for u in self.units.values() if u.kind == UnitKind.COUNCIL), None)

    def service(self) -> Unit | None:
        return next((u for u in self.units.values() if u.kind == UnitKind.SERVICE), None)


def load_structure() -> Structure:
    people = {p.pk: p for p in Person.objects.select_related("position", "user").order_by("pk")}
    named = {p.user.username: p for p in people.values() if p.user_id and p.user.username in NAMED_ACCOUNTS}
    units = {u.pk: u for u in Unit.objects.exclude(created_on=None).order_by("pk")}
    by_unit: dict[int, list[Period]] = defaultdict(list)
    by_person: dict[int, list[Period]] = defaultdict(list)
    for row in Membership.objects.order_by("pk").values_list("unit_id", "person_id", "role", "start", "end"):
        period = Period(*row)
        by_unit[period.unit_id].append(period)
        by_person[period.person_id].append(period)
    names: dict[int, list[UnitName]] = defaultdict(list)
    for name in UnitName.objects.order_by("start", "pk"):
        names[name.unit_id].append(name)
    return Structure(people, named, units, by_unit, by_person, names)


# ---------------------------------------------------------------- the builder


@dataclass
class PlanDraft:
    """A bulk plan with what its version needs after the meetings are known."""

    plan: Plan
    items: list[PlanItem] = field(default_factory=list)
    responsible: list[list[Person]] = field(default_factory=list)
    approver: Person | None = None
    approver_title: str = ""
    versions: int = 0


class _Rows:
    def __init__(self, rows: list) -> None:
        self.rows = rows

    def all(self) -> list:
        return self.rows


class PlanningBuilder:
    def __init__(self, scale: Scale, rng: random.Random, today: datetime.date | None = None) -> None:
        self.scale = scale
        self.rng = rng
        self.today = today or timezone.localdate()
        self.now = timezone.now()
        self.current = academic_year_start(self.today)
        self.first = self.current - max(1, scale.years) + 1
        self.directions = {d.code: d for d in WorkDirection.objects.all()}
        self.s = load_structure()
        self.years: dict[int, AcademicYear] = {}
        self.themes: dict[int, MethodologicalTheme] = {}
        self.drafts: list[PlanDraft] = []
        self.service_made: set[tuple[int, str, int | None]] = set()  # (year, level, owner) made through services
        self.sampled: list[tuple[Plan, str]] = []  # plans made through the services, with the status they get
        self.plan_index: dict[tuple[int, str, int | None], Plan] = {}
        self.considered: dict[int, dict] = {}  # plan pk -> where it was considered (signed protocol)
        self.counts: dict[str, int] = defaultdict(int)

    # ------------------------------------------------------------ helpers

    @property
    def director(self) -> Person:
        return self.s.named["director"]

    @property
    def methodist(self) -> Person:
        return self.s.named["methodist"]

    def teaching(self, day: datetime.date) -> list[Person]:
        """Staff with a teaching job (teachers, masters, educators) employed on `day`."""
        return [
            p
            for p in self.s.people.values()
            if not p.is_external
            and p.position is not None
            and p.position.system_role == SystemRole.TEACHER
            and p.hire_date is not None
            and p.hire_date <= day
        ]

    def past(self, moment: datetime.datetime) -> datetime.datetime:
        """Never later than an hour ago: nothing is approved or submitted in the future."""
        return min(moment, self.now - datetime.timedelta(hours=1))

    def due(self, year: AcademicYear, month: int, day: int = 15) -> datetime.date:
        calendar_year = year.start.year if month >= 9 else year.end.year
        return datetime.date(calendar_year, month, min(day, 28))

    def random_due(self, year: AcademicYear) -> datetime.date:
        month = self.rng.choice([9, 10, 10, 11, 11, 12, 12, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6])
        return workday(self.due(year, month, self.rng.randint(1, 28)))

    # ------------------------------------------------------------ years and themes

    def build_years(self) -> None:
        for start in range(self.first, self.current + 1):
            self.years[start] = services.year_save(
                title=f"{start}/{start + 1}",
                start=datetime.date(start, 9, 1),
                end=datetime.date(start + 1, 8, 31),
                is_current=start == self.current,
            )
        starts = list(self.years)
        periods = [starts[i : i + 4] for i in range(0, len(starts), 4)] if len(starts) > 4 else [starts]
        if len(periods) > 1 and len(periods[-1]) < 2:
            periods[-2:] = [periods[-2] + periods[-1]]
        for index, period in enumerate(periods):
            title, goal = THEMES[index % len(THEMES)]
            theme = services.theme_save(
                title=title,
                goal=goal,
                tasks=THEME_TASKS,
                start_year=self.years[period[0]],
                end_year=self.years[period[-1]],
                stages={self.years[y]: STAGES[min(i, len(STAGES) - 1)] for i, y in enumerate(period)},
            )
            for y in period:
                self.themes[y] = theme

    # ------------------------------------------------------------ who approves (as planning.selectors.approval)

    def approver_for(self, plan: Plan, day: datetime.date) -> tuple[Person, str]:
        council = self.s.council()
        chair = self.s.holder(council.pk, MemberRole.HEAD, day) if council else None
        excluded = {plan.created_by_id, plan.person_id}
        if plan.level == PlanLevel.UNIT:
            excluded.add(self.s.holder(plan.unit_id, MemberRole.HEAD, day))
        if plan.level == PlanLevel.SERVICE and self.s.service():
            excluded.add(self.s.holder(self.s.service().pk, MemberRole.HEAD, day))
        if plan.level == PlanLevel.INDIVIDUAL:
            person = self.s.people[plan.person_id]
            role = person.position.system_role if person.position else None
            if role in {SystemRole.DEPUTY, SystemRole.METHODIST}:
                return self.director, self.director.position.name
            memberships = self.s.associations_of(plan.person_id, day)
            if not any(m.role == MemberRole.HEAD for m in memberships):
                for membership in memberships:
                    head = self.s.holder(membership.unit_id, MemberRole.HEAD, day)
                    if head is not None and head not in excluded:
                        unit = self.s.units[membership.unit_id]
                        return self.s.people[head], head_title(unit.kind, self.s.name_on(unit.pk, day))
        if chair is not None and chair not in excluded and council is not None:
            return self.s.people[chair], head_title(UnitKind.COUNCIL, self.s.name_on(council.pk, day))
        return self.director, self.director.position.name

    # ------------------------------------------------------------ plans

    def volumes(self) -> tuple[int, int, int]:
        """Items of the service's plan, of a unit's plan, and the average of an individual plan; and how many
        individual plans a year gets, so the items add up to the scale's."""
        years = len(self.years)
        service_items = max(14, min(301, self.scale.plan_items // 330))
        unit_plans = sum(len(self._plan_units(y)) for y in self.years.values())
        unit_items = 22
        left = max(0, self.scale.plan_items - service_items * years - unit_items * unit_plans)
        eligible = sum(len(self.teaching(y.start + datetime.timedelta(days=14))) for y in self.years.values())
        individual_plans = min(eligible, max(1, round(left / 9)))
        average = max(3, round(left / max(1, individual_plans)))
        self.individual_share = individual_plans / max(1, eligible)
        return service_items, unit_items, average

    def _plan_units(self, year: AcademicYear) -> list[Unit]:
        day = year.start + datetime.timedelta(days=14)
        return [u for u in self.s.active_units(day) if u.kind != UnitKind.SERVICE]

    def status_for(self, year: AcademicYear, level: str) -> str:
        rng = self.rng
        if year.start.year < self.current:
            return rng.choices(
                [PlanStatus.APPROVED, PlanStatus.DRAFT, PlanStatus.RETURNED, PlanStatus.AMENDING],
                weights=[94, 3, 1, 2],
            )[0]
        elapsed = (self.today - year.start).days
        if elapsed < 20:
            return rng.choices([PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.APPROVED], weights=[60, 30, 10])[0]
        return rng.choices(
            [
                PlanStatus.APPROVED,
                PlanStatus.SUBMITTED,
                PlanStatus.DRAFT,
                PlanStatus.RETURNED,
                PlanStatus.AMENDING,
                PlanStatus.AMENDMENT_SUBMITTED,
            ],
            weights=[60, 12, 15, 5, 5, 3],
        )[0]

    def item_status(self, due: datetime.date, plan_status: str) -> tuple[str, str]:
        rng = self.rng
        if plan_status in {PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED} and due >= self.today:
            return ItemStatus.PLANNED, ""
        if due < self.today:
            status = rng.choices(
                [
                    ItemStatus.DONE,
                    ItemStatus.CANCELLED,
                    ItemStatus.POSTPONED,
                    ItemStatus.IN_PROGRESS,
                    ItemStatus.PLANNED,
                ],
                weights=[82, 3, 3, 4, 8],
            )[0]
        else:
            status = rng.choices([ItemStatus.PLANNED, ItemStatus.IN_PROGRESS, ItemStatus.DONE], weights=[85, 12, 3])[0]
        report = rng.choice(REPORTS) if status == ItemStatus.DONE else ""
        if status == ItemStatus.POSTPONED:
            report = "Перенесено по решению методического совета"
        if status == ItemStatus.CANCELLED:
            report = "Отменено в связи с изменением графика"
        return status, report

    def new_plan(self, year: AcademicYear, level: str, *, unit=None, person=None, created_by: Person) -> PlanDraft:
        rng = self.rng
        plan = Plan(
            level=level,
            year=year,
            unit=unit,
            person=person,
            theme=self.themes.get(year.start.year),
            created_by=created_by,
            status=self.status_for(year, level),
        )
        if level == PlanLevel.INDIVIDUAL:
            plan.self_education_theme = rng.choice(SELF_EDUCATION)
            plan.goal = "Повышение профессиональной компетентности по теме самообразования"
            plan.tasks = "Изучить литературу по теме\nРазработать и апробировать материалы\nОбобщить опыт"
        else:
            plan.goal = "Реализация единой методической темы"
        draft = PlanDraft(plan)
        self.drafts.append(draft)
        return draft

    def add_item(self, draft: PlanDraft, spec, responsible: list[Person], *, subject: str = "", unit: str = "") -> None:
        code, form, content, result = spec
        year = draft.plan.year
        due = self.random_due(year)
        status, report = self.item_status(due, draft.plan.status)
        start = None
        period = ""
        if self.rng.random() < 0.15:
            start, period = year.start + datetime.timedelta(days=1), "в течение года"
            due = workday(self.due(year, 6, 20))
            status, report = self.item_status(due, draft.plan.status)
        item = PlanItem(
            plan=draft.plan,
            position=len(draft.items) + 1,
            content=content.format(subject=subject or "Основы профессиональной деятельности", unit=unit),
            direction=self.directions[code],
            form=form,
            start_date=start,
            due_date=due,
            period=period,
            expected_result=result,
            status=status,
            report=report,
            status_changed_at=at(min(due, self.today), 15, 0) if status != ItemStatus.PLANNED else None,
        )
        draft.items.append(item)
        draft.responsible.append(responsible)

    def build_plans(self) -> None:
        rng = self.rng
        service_items, unit_items, average = self.volumes()
        named = self.s.named
        named_teachers = {named[k].pk for k in ("teacher", "mo_head", "chair", "secretary", "group_lead", "lab_head")}
        named_teachers |= {named[k].pk for k in ("master",) if k in named}
        for start, year in self.years.items():
            day = year.start + datetime.timedelta(days=14)
            is_current = start == self.current
            # The service's plan.
            if not (is_current and (start, PlanLevel.SERVICE, None) in self.service_made):
                draft = self.new_plan(year, PlanLevel.SERVICE, created_by=self.methodist)
                units = self._plan_units(year)
                specs = [(spec, None) for spec in SERVICE_ITEMS]
                for unit in units:
                    specs += [(spec, unit) for spec in SERVICE_PER_UNIT]
                for spec, unit in specs[:service_items]:
                    people = [self.methodist] if unit is None else self._heads_or(unit, day)
                    self.add_item(draft, spec, people, unit=unit.name if unit else "")
                while len(draft.items) < service_items:
                    self.add_item(draft, rng.choice(SERVICE_ITEMS), [self.methodist])
            # The units' plans.
            for unit in self._plan_units(year):
                if (start, PlanLevel.UNIT, unit.pk) in self.service_made:
                    continue
                head_pk = self.s.holder(unit.pk, MemberRole.HEAD, day)
                creator = self.s.people[head_pk] if head_pk else self.methodist
                draft = self.new_plan(year, PlanLevel.UNIT, unit=unit, created_by=creator)
                members = [self.s.people[p.person_id] for p in self.s.members(unit.pk, day)] or [creator]
                for index in range(max(4, round(rng.gauss(unit_items, 5)))):
                    spec = UNIT_ITEMS[index % len(UNIT_ITEMS)] if index < len(UNIT_ITEMS) else rng.choice(UNIT_ITEMS)
                    people = [creator] if rng.random() < 0.6 else [creator, rng.choice(members)]
                    self.add_item(draft, spec, list({p.pk: p for p in people}.values()), unit=unit.name)
            # Individual plans: every named teacher, and a share of the others.
            for person in self.teaching(day):
                if (start, PlanLevel.INDIVIDUAL, person.pk) in self.service_made:
                    continue
                if person.pk not in named_teachers and rng.random() >= self.individual_share:
                    continue
                draft = self.new_plan(year, PlanLevel.INDIVIDUAL, person=person, created_by=person)
                subjects = [s.strip() for s in person.subjects.split(";") if s.strip()] or [""]
                count = max(3, min(18, round(rng.gauss(average, 2.5))))
                for index in range(count):
                    spec = INDIVIDUAL_ITEMS[0] if index == 0 else rng.choice(INDIVIDUAL_ITEMS)
                    self.add_item(draft, spec, [person], subject=rng.choice(subjects))
        self.insert_plans()

    def _heads_or(self, unit: Unit, day: datetime.date) -> list[Person]:
        head = self.s.holder(unit.pk, MemberRole.HEAD, day)
        return [self.s.people[head]] if head else [self.methodist]

    def insert_plans(self) -> None:
        """Insert the bulk plans with their items and responsible people; approval fields as the services set
        them (the versions come after the meetings, which say where each plan was considered)."""
        for draft in self.drafts:
            plan = draft.plan
            year = plan.year
            approve_day = workday_before(
                min(year.start + datetime.timedelta(days=self.rng.randint(18, 40)), self.today)
            )
            if plan.status not in {PlanStatus.DRAFT}:
                plan.submitted_at = self.past(at(approve_day - datetime.timedelta(days=3), 11, 0))
                plan.submitted_by = plan.person or plan.created_by
            if plan.status in {
                PlanStatus.APPROVED,
                PlanStatus.AMENDING,
                PlanStatus.AMENDMENT_SUBMITTED,
            }:
                approver, title = self.approver_for(plan, approve_day)
                draft.approver, draft.approver_title = approver, title
                plan.approved_by, plan.approved_by_position = approver, title
                plan.approved_at = self.past(at(approve_day, 12, 0))
                draft.versions = 2 if self.rng.random() < 0.08 else 1
                plan.version = draft.versions
                if plan.status != PlanStatus.APPROVED:
                    plan.amendment_reason = "Поручение директора о подготовке к региональному конкурсу"
            if plan.status == PlanStatus.RETURNED:
                approver, _title = self.approver_for(plan, approve_day)
                plan.return_comment = "Уточните сроки и формы результатов по пунктам плана."
                plan.returned_by = approver
        plans = [d.plan for d in self.drafts]
        bulk(Plan, plans)
        items = [item for d in self.drafts for item in d.items]
        bulk(PlanItem, items, batch_size=5000)
        through = PlanItem.responsible.through
        links = [
            through(planitem_id=item.pk, person_id=person.pk)
            for d in self.drafts
            for item, people in zip(d.items, d.responsible, strict=True)
            for person in people
        ]
        bulk(through, links, batch_size=10000)
        for year in self.years.values():
            Plan.objects.filter(year=year).update(created_at=at(year.start + datetime.timedelta(days=2), 9, 0))
        for draft in self.drafts:
            plan = draft.plan
            self.plan_index[(plan.year.start.year, plan.level, plan.unit_id or plan.person_id)] = plan
        self.counts["plan_items_bulk"] = len(items)

    # ------------------------------------------------------------ plans through the services (current year)

    def service_plans(self) -> None:
        """The current year's plans of the named accounts and a sample of others, created through the services;
        they are submitted and approved after the meetings (approve_sampled)."""
        year = self.years[self.current]
        named = self.s.named
        day = self.today
        rng = self.rng

        def due(month: int, day_: int) -> datetime.date:
            return self.due(year, month, day_)

        def make(level: str, status: str, *, unit=None, person=None, created_by: Person, items: list) -> Plan:
            plan = services.plan_create(
                level=level,
                year=year,
                unit=unit,
                person=person,
                created_by=created_by,
                self_education_theme=rng.choice(SELF_EDUCATION) if person else "",
                goal="Реализация единой методической темы"
                if not person
                else "Повышение профессиональной компетентности",
            )
            for code, form, content, result, when, responsible in items:
                services.item_add(
                    plan=plan,
                    content=content,
                    direction=self.directions[code],
                    form=form,
                    due_date=when,
                    responsible=responsible,
                    expected_result=result,
                )
            self.service_made.add((self.current, level, getattr(unit, "pk", None) or getattr(person, "pk", None)))
            self.sampled.append((plan, status))
            self.plan_index[(self.current, level, getattr(unit, "pk", None) or getattr(person, "pk", None))] = plan
            return plan

        def spread(specs, responsible: list[Person], *, subject: str = "", unit: str = "") -> list:
            months = [10, 11, 12, 1, 2, 3, 4, 5]
            return [
                (
                    code,
                    form,
                    content.format(subject=subject, unit=unit),
                    result,
                    workday(due(months[i % 8], 10 + i % 15)),
                    responsible,
                )
                for i, (code, form, content, result) in enumerate(specs)
            ]

        council = self.s.council()
        service = self.s.service()
        if service is not None:
            make(
                PlanLevel.SERVICE,
                PlanStatus.APPROVED,
                created_by=self.methodist,
                items=spread(SERVICE_ITEMS, [self.methodist]),
            )
        if council is not None:
            chair = named["chair"]
            make(
                PlanLevel.UNIT,
                PlanStatus.APPROVED,
                unit=council,
                created_by=chair,
                items=spread(UNIT_ITEMS[:6], [chair]),
            )
        mo_head = named["mo_head"]
        association = next(
            (self.s.units[p.unit_id] for p in self.s.associations_of(mo_head.pk, day) if p.role == MemberRole.HEAD),
            None,
        )
        if association is not None:
            make(
                PlanLevel.UNIT,
                PlanStatus.SUBMITTED,
                unit=association,
                created_by=mo_head,
                items=spread(UNIT_ITEMS[:8], [mo_head], unit=association.name),
            )
        # The teacher: items due within days (the dashboard's), one overdue, the plan waiting for the head.
        teacher = named["teacher"]
        soon = [min(day + datetime.timedelta(days=d), year.end) for d in (5, 11)]
        late = max(year.start + datetime.timedelta(days=1), day - datetime.timedelta(days=9))
        items = spread(INDIVIDUAL_ITEMS[:6], [teacher], subject="История России")
        items += [
            (
                8,
                WorkForm.OPEN_LESSON,
                "Открытый урок по истории России «Индустриализация»",
                "Разработка",
                soon[0],
                [teacher],
            ),
            (
                8,
                WorkForm.CONTEST,
                "Подготовка к региональному конкурсу методических разработок",
                "Работа",
                soon[1],
                [teacher],
            ),
            (
                3,
                WorkForm.MEETING,
                "Выступление на заседании ПЦК с отчётом по теме самообразования",
                "Доклад",
                late,
                [teacher],
            ),
        ]
        make(PlanLevel.INDIVIDUAL, PlanStatus.SUBMITTED, person=teacher, created_by=teacher, items=items)
        make(
            PlanLevel.INDIVIDUAL,
            PlanStatus.SUBMITTED,
            person=mo_head,
            created_by=mo_head,
            items=spread(INDIVIDUAL_ITEMS[1:5], [mo_head], subject="Русский язык"),
        )
        for key, status in (
            ("chair", PlanStatus.APPROVED),
            ("secretary", PlanStatus.APPROVED),
            ("lab_head", PlanStatus.DRAFT),
        ):
            person = named[key]
            make(
                PlanLevel.INDIVIDUAL,
                status,
                person=person,
                created_by=person,
                items=spread(INDIVIDUAL_ITEMS[:5], [person], subject="Инженерная графика"),
            )
        # A sample of other teachers' plans, in the statuses the services give.
        others = [p for p in self.teaching(year.start) if p.pk not in {n.pk for n in named.values()} and p.subjects]
        for person in rng.sample(others, k=min(len(others), max(5, self.scale.staff // 60))):
            status = rng.choice([PlanStatus.APPROVED, PlanStatus.APPROVED, PlanStatus.SUBMITTED, PlanStatus.RETURNED])
            subject = person.subjects.split(";")[0].strip()
            make(
                PlanLevel.INDIVIDUAL,
                status,
                person=person,
                created_by=person,
                items=spread(rng.sample(INDIVIDUAL_ITEMS, k=rng.randint(4, 9)), [person], subject=subject),
            )

    def approve_sampled(self) -> None:
        """Submit, approve or return the sampled plans through the services; their moments moved to the year's
        autumn (the version's hash recomputed with them, as if approved then)."""
        year = self.years[self.current]
        approve_day = workday_before(
            min(year.start + datetime.timedelta(days=25), self.today - datetime.timedelta(days=1))
        )
        approve_day = max(approve_day, year.start)
        for plan, status in self.sampled:
            owner = plan.person or plan.created_by
            if plan.level == PlanLevel.SERVICE:
                head = self.s.holder(self.s.service().pk, MemberRole.HEAD, self.today) if self.s.service() else None
                owner = self.s.people[head] if head else plan.created_by
            if status == PlanStatus.DRAFT:
                continue
            services.plan_submit(plan=plan, person=owner)
            submitted = self.past(at(approve_day - datetime.timedelta(days=3), 11, 0))
            if status == PlanStatus.SUBMITTED:
                submitted = self.now - datetime.timedelta(days=2)
            Plan.objects.filter(pk=plan.pk).update(submitted_at=submitted)
            if status == PlanStatus.SUBMITTED:
                continue
            approvers = sorted(selectors.approvers_of(plan))
            if not approvers:
                continue
            approver = self.s.people[approvers[0]]
            if status == PlanStatus.RETURNED:
                services.plan_return(plan=plan, person=approver, comment="Уточните формы результатов по пунктам.")
                continue
            services.plan_approve(plan=plan, person=approver)
            moment = self.past(at(approve_day, 12, 0))
            version = PlanVersion.objects.get(plan=plan, number=1)
            version.approved_at = moment
            version.content_hash = plan_signing.version_hash(version)
            version.save(update_fields=["approved_at", "content_hash"])
            Plan.objects.filter(pk=plan.pk).update(approved_at=moment)
            self.counts["plans_approved_by_service"] += 1

    # ------------------------------------------------------------ meetings

    def build_meetings(self) -> None:
        rng = self.rng
        total = self.scale.meetings
        per_year = max(1, total // len(self.years))
        council = self.s.council()
        meetings: list[Meeting] = []
        attendance: list[Attendance] = []
        agenda: list[AgendaItem] = []
        decisions: list[Decision] = []
        views: list[tuple[Meeting, SimpleNamespace]] = []
        numbers: dict[tuple[int, int], int] = defaultdict(int)
        named = self.s.named
        mo_unit = next(
            (p.unit_id for p in self.s.associations_of(named["mo_head"].pk, self.today) if p.role == MemberRole.HEAD),
            None,
        )
        for start, year in self.years.items():
            day0 = year.start + datetime.timedelta(days=14)
            units = [
                u
                for u in self.s.active_units(day0)
                if u.kind not in {UnitKind.SERVICE, UnitKind.ATTESTATION_COMMISSION, UnitKind.COUNCIL}
            ]
            rng.shuffle(units)
            dates_by_unit: dict[int, list[datetime.date]] = defaultdict(list)
            if council is not None and council.is_active_on(day0):
                for month, d in ((9, 20), (11, 22), (1, 24), (3, 20), (6, 5)):
                    dates_by_unit[council.pk].append(workday(self.due(year, month, d)))
            left = max(0, per_year - len(dates_by_unit.get(council.pk if council else 0, [])))
            months = [9, 10, 11, 12, 1, 2, 3, 4, 5, 6]
            for index in range(left):
                unit = units[index % len(units)] if units else None
                if unit is None:
                    break
                count = len(dates_by_unit[unit.pk])
                month = months[(count * 3 + index) % len(months)] if count else 9
                dates_by_unit[unit.pk].append(workday(self.due(year, month, rng.randint(5, 25))))
            if start == self.current and mo_unit is not None:
                this_week = workday(self.today)
                if year.contains(this_week):
                    dates_by_unit[mo_unit].append(this_week)
            for unit_id, dates in dates_by_unit.items():
                unit = self.s.units[unit_id]
                for date in sorted(set(dates)):
                    if not unit.is_active_on(date):
                        continue
                    numbers[(unit_id, start)] += 1
                    built = self._meeting(
                        unit, year, date, numbers[(unit_id, start)], first=numbers[(unit_id, start)] == 1
                    )
                    if built is None:
                        numbers[(unit_id, start)] -= 1
                        continue
                    meeting, rows, items, found, view = built
                    meetings.append(meeting)
                    attendance += rows
                    agenda += items
                    decisions += found
                    views.append((meeting, view))
        bulk(Meeting, meetings)
        bulk(Attendance, attendance, batch_size=5000)
        bulk(AgendaItem, agenda)
        for decision in decisions:
            decision.agenda_item_id = decision.agenda_item.pk
        bulk(Decision, decisions)
        # Where plans were considered, from the signed protocols (the versions print it).
        for meeting, _view in views:
            if meeting.status != MeetingStatus.SIGNED:
                continue
            for item in _view.agenda.all():
                if item.plan_id:
                    self.considered[item.plan_id] = {
                        "kind": meeting.unit.kind,
                        "unit": meeting.snapshot["unit"],
                        "number": meeting.number,
                        "date": meeting.date.isoformat(),
                    }
        self.counts["meetings"] = len(meetings)
        self.counts["attendance"] = len(attendance)
        self.counts["agenda_items"] = len(agenda)
        self.counts["decisions"] = len(decisions)

    def _meeting(self, unit: Unit, year: AcademicYear, date: datetime.date, number: int, *, first: bool):
        rng = self.rng
        members = self.s.members(unit.pk, date)
        if len(members) < 2:
            return None
        people = {p.person_id: self.s.people[p.person_id] for p in members}
        chair_pk = next((p.person_id for p in members if p.role == MemberRole.HEAD), None)
        secretary_pk = next((p.person_id for p in members if p.role == MemberRole.SECRETARY), None)
        ordered = sorted(people)
        chair_pk = chair_pk or ordered[0]
        secretary_pk = secretary_pk or next(pk for pk in ordered if pk != chair_pk)
        if date < self.today - datetime.timedelta(days=6):
            status = MeetingStatus.SIGNED
        elif date < self.today:
            status = MeetingStatus.HELD
        else:
            status = MeetingStatus.PLANNED
        meeting = Meeting(
            unit=unit,
            year=year,
            number=number,
            date=date,
            time=datetime.time(14, 30),
            place=f"Ауд. {rng.randint(101, 415)}",
            status=status,
            chair=people[chair_pk],
            secretary=people[secretary_pk],
            created_by=people[chair_pk],
        )
        rows = []
        for pk, person in people.items():
            if status == MeetingStatus.PLANNED:
                present, reason = None, ""
            elif pk in {chair_pk, secretary_pk} or rng.random() < 0.9:
                present, reason = True, ""
            else:
                present, reason = False, rng.choice(ABSENCE_REASONS)
            rows.append(Attendance(meeting=meeting, person=person, present=present, absence_reason=reason))
        present_count = sum(1 for r in rows if r.present)
        present_people = [r.person for r in rows if r.present] or list(people.values())
        items: list[AgendaItem] = []
        decisions: list[Decision] = []
        titles = rng.sample(AGENDA[1:], k=rng.randint(2, 4))
        if first:
            titles = [AGENDA[0], *titles[:3]]
        for position, title in enumerate(titles, start=1):
            speaker = rng.choice(present_people)
            plan = None
            if first and position == 1:
                key = (
                    (year.start.year, PlanLevel.SERVICE, None)
                    if unit.kind == UnitKind.COUNCIL
                    else (year.start.year, PlanLevel.UNIT, unit.pk)
                )
                plan = self.plan_index.get(key)
            held = status != MeetingStatus.PLANNED
            item = AgendaItem(
                meeting=meeting,
                position=position,
                title=title,
                speaker=speaker,
                plan=plan,
                heard=f"{speaker.short_name} — {title[0].lower()}{title[1:]}." if held else "",
                spoke="Члены объединения поддержали предложения докладчика." if held else "",
                decided="Принять информацию к сведению, выполнить поручения в установленные сроки." if held else "",
                votes_for=present_count if held else None,
                votes_against=0 if held else None,
                votes_abstained=0 if held else None,
            )
            items.append(item)
            item.bench_decisions = []  # type: ignore[attr-defined]
            for _ in range(rng.choices([0, 1, 2], weights=[15, 55, 30])[0]):
                deadline = date + datetime.timedelta(days=rng.randint(10, 75))
                responsible = rng.choice(present_people)
                if deadline < self.today:
                    state = rng.choices(
                        [DecisionStatus.DONE, DecisionStatus.CANCELLED, DecisionStatus.OPEN], weights=[85, 4, 11]
                    )[0]
                else:
                    state = rng.choices([DecisionStatus.OPEN, DecisionStatus.DONE], weights=[90, 10])[0]
                decision = Decision(
                    agenda_item=item,
                    text=rng.choice(DECISIONS),
                    responsible=responsible,
                    deadline=deadline,
                    status=state,
                    report=rng.choice(REPORTS)
                    if state == DecisionStatus.DONE
                    else "Отменено"
                    if state == DecisionStatus.CANCELLED
                    else "",
                    done_at=at(min(deadline, self.today) - datetime.timedelta(days=rng.randint(0, 5)), 16, 0)
                    if state == DecisionStatus.DONE
                    else None,
                )
                decisions.append(decision)
                item.bench_decisions.append(decision)  # type: ignore[attr-defined]
        # The teacher's decisions due soon, at this week's meeting of their association.
        teacher = self.s.named["teacher"]
        if status == MeetingStatus.PLANNED and teacher.pk in people and date == workday(self.today):
            for days, text in (
                (4, "Подготовить методическую разработку открытого урока"),
                (12, "Представить отчёт о работе над темой самообразования"),
            ):
                decision = Decision(
                    agenda_item=items[0],
                    text=text,
                    responsible=teacher,
                    deadline=self.today + datetime.timedelta(days=days),
                )
                decisions.append(decision)
                items[0].bench_decisions.append(decision)  # type: ignore[attr-defined]
        view = SimpleNamespace(
            unit=unit,
            unit_name_on_day=self.s.name_on(unit.pk, date),
            number=number,
            date=date,
            time=meeting.time,
            place=meeting.place,
            chair=meeting.chair,
            secretary=meeting.secretary,
            attendance=_Rows(sorted(rows, key=lambda r: (r.person.last_name, r.person.first_name))),
            guests=_Rows([]),
            agenda=_Rows(
                [
                    SimpleNamespace(
                        title=i.title,
                        speaker=i.speaker,
                        heard=i.heard,
                        spoke=i.spoke,
                        decided=i.decided,
                        votes_for=i.votes_for,
                        votes_against=i.votes_against,
                        votes_abstained=i.votes_abstained,
                        plan_id=i.plan.pk if i.plan else None,
                        decisions=_Rows(sorted(i.bench_decisions, key=lambda d: d.deadline)),  # type: ignore[attr-defined]
                    )
                    for i in items
                ]
            ),
        )
        if status == MeetingStatus.SIGNED:
            meeting.snapshot = plan_signing.protocol_content(view)  # type: ignore[arg-type]
            meeting.chair_signed_at = at(date + datetime.timedelta(days=2), 12, 0)
            meeting.secretary_signed_at = at(date + datetime.timedelta(days=1), 16, 0)
            meeting.content_hash = plan_signing.protocol_hash(meeting)
        return meeting, rows, items, decisions, view

    # ------------------------------------------------------------ versions of the bulk plans

    def build_versions(self) -> None:
        versions: list[PlanVersion] = []
        for draft in self.drafts:
            if not draft.versions:
                continue
            plan = draft.plan
            items = [
                {
                    "position": item.position,
                    "content": item.content,
                    "direction": item.direction.code,
                    "form": item.form,
                    "start_date": item.start_date.isoformat() if item.start_date else None,
                    "due_date": item.due_date.isoformat(),
                    "period": item.period,
                    "responsible": [p.full_name for p in people],
                    "expected_result": item.expected_result,
                }
                for item, people in zip(draft.items, draft.responsible, strict=True)
            ]
            content: dict[str, Any] = {
                "self_education_theme": plan.self_education_theme,
                "goal": plan.goal,
                "tasks": plan.tasks,
                "items": items,
                "considered": self.considered.get(plan.pk),
            }
            if plan.level == PlanLevel.INDIVIDUAL and plan.person is not None:
                content["person"] = {
                    "name": plan.person.full_name,
                    "position": plan.person.position.name if plan.person.position else "",
                    "category": "",
                    "last_training": "",
                }
            for number in range(1, draft.versions + 1):
                approved = plan.approved_at
                if number < draft.versions:
                    approved = plan.approved_at - datetime.timedelta(days=60)
                elif draft.versions > 1:
                    approved = plan.approved_at + datetime.timedelta(days=90)
                version = PlanVersion(
                    plan=plan,
                    number=number,
                    snapshot=content,
                    reason="" if number == 1 else "Поручение директора о подготовке к региональному конкурсу",
                    approved_by=draft.approver,
                    approved_by_name=draft.approver.full_name,
                    approved_by_position=draft.approver_title,
                    approved_at=approved,
                )
                version.content_hash = plan_signing.version_hash(version)
                versions.append(version)
        for batch in chunks(versions, BATCH):
            bulk(PlanVersion, list(batch))
        self.counts["plan_versions_bulk"] = len(versions)

    # ------------------------------------------------------------ all of it

    def build_assignments(self) -> None:
        """The director's assignments to the service, about one per 40 staff a year, three in four answered by an item
        of the year's service plan (the annual report's section reads them)."""
        rng = self.rng
        addressee = self.s.service() or self.s.council()
        if addressee is None:
            return
        rows: list[Assignment] = []
        for year in self.years.values():
            items = list(
                PlanItem.objects.filter(plan__year=year, plan__level=PlanLevel.SERVICE).values_list("pk", flat=True)
            )
            last = min(year.end, self.today)
            if last <= year.start:
                continue
            for _index in range(max(1, self.scale.staff // 40)):
                issued = year.start + datetime.timedelta(days=rng.randint(0, (last - year.start).days))
                answered = items and rng.random() < 0.75
                rows.append(
                    Assignment(
                        year=year,
                        source=AssignmentSource.DIRECTOR,
                        text=rng.choice(ASSIGNMENT_TEXTS),
                        issued_by=self.director,
                        issued_on=issued,
                        deadline=issued + datetime.timedelta(days=rng.randint(30, 120)),
                        addressee=addressee,
                        answer_item_id=rng.choice(items) if answered else None,
                        answered_by=self.methodist if answered else None,
                        answered_at=at(issued + datetime.timedelta(days=3)) if answered else None,
                    )
                )
        bulk(Assignment, rows)

    def build(self) -> dict[str, int]:
        with transaction.atomic():
            self.build_years()
            self.service_plans()
            self.build_plans()
            self.build_meetings()
            self.build_versions()
            self.approve_sampled()
            self.build_assignments()
        return {
            "years": AcademicYear.objects.count(),
            "themes": MethodologicalTheme.objects.count(),
            "plans": Plan.objects.count(),
            "plan_items": PlanItem.objects.count(),
            "plan_versions": PlanVersion.objects.count(),
            "plans_through_services": len(self.sampled),
            "plans_approved_by_service": self.counts["plans_approved_by_service"],
            "plans_submitted": Plan.objects.filter(
                status__in=[PlanStatus.SUBMITTED, PlanStatus.AMENDMENT_SUBMITTED]
            ).count(),
            "meetings": Meeting.objects.count(),
            "meetings_signed": Meeting.objects.filter(status=MeetingStatus.SIGNED).count(),
            "attendance": Attendance.objects.count(),
            "agenda_items": AgendaItem.objects.count(),
            "decisions": Decision.objects.count(),
            "decisions_open": Decision.objects.filter(status=DecisionStatus.OPEN).count(),
            "assignments": Assignment.objects.count(),
        }


ASSIGNMENT_TEXTS = [
    "Подготовить аналитическую справку по итогам диагностики педагогов",
    "Организовать семинар по обновлению рабочих программ",
    "Провести мониторинг прохождения курсов повышения квалификации",
    "Подготовить предложения по участию педагогов в конкурсах профессионального мастерства",
    "Обобщить опыт наставничества молодых специалистов",
]


def generate(scale: Scale, rng: random.Random) -> dict[str, int]:
    return PlanningBuilder(scale, rng).build()
