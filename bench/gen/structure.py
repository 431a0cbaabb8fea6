"""Stage 1 of the generator: the staff with their accounts, the units of the methodological service and the
director's orders that made and changed them over the scale's years.

The orders that create units, appoint heads and secretaries, rename and dissolve units are drafted, sent, agreed
and signed through `structure.services` (the engine checks and applies them, numbers and hashes them), as the demo
does. The orders that only include or exclude members (the yearly changes of the associations' composition) are
inserted in bulk, signed, with their clauses, actions (worded by `structure.wording`), visas, лист ознакомления
and SHA-256 as the engine would have written them. Both kinds are laid out on one timeline and applied in the order
of their dates, so the engine always sees the structure as the bulk orders left it.

The named accounts of the demo (structure.demo_data.ACCOUNTS) exist with the demo's names and parts; everyone else
gets a generated Russian name. Everything is deterministic for a seed, given the day it runs (`timezone.localdate()`:
the current academic year contains today).
"""

from __future__ import annotations

import datetime
import heapq
import itertools
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from structure import services
from structure import signing as order_signing
from structure.demo_data import BIRTH_DATES, EDUCATION, POSITIONS, RESEARCHER, STAFF
from structure.models import (
    AbsenceKind,
    AbsencePeriod,
    Acknowledgement,
    Action,
    ActionKind,
    Approval,
    ApprovalDecision,
    Clause,
    Education,
    JoinRequest,
    MemberRole,
    Membership,
    Order,
    OrderCounter,
    OrderSeries,
    OrderStatus,
    Person,
    Position,
    Unit,
    UnitKind,
    User,
)
from structure.wording import describe_standalone, order_wording, role_nominative, unit_phrase

from .common import BATCH, academic_year_start, at, bulk, latin, random_name, workday, workday_before
from .scale import PASSWORD, Scale

EMAIL_DOMAIN = "college.example"
SWITCHBOARD = "+7 (3452) 50-40-00"

#: The demo's staff accounts (structure.demo_data.STAFF rows with an account), by username.
STAFF_ACCOUNTS = ("director", "deputy", "methodist", "chair", "secretary", "mo_head", "group_lead", "master")
STAFF_ACCOUNTS += ("lab_head", "teacher")

# ---------------------------------------------------------------- reference texts

GENERAL_ASSOCIATIONS = [
    ("общеобразовательных дисциплин", ["Русский язык", "Литература", "История России", "Обществознание"]),
    ("математических и естественнонаучных дисциплин", ["Математика", "Физика", "Химия", "Биология", "Информатика"]),
    ("иностранных языков", ["Иностранный язык (английский)", "Иностранный язык (немецкий)"]),
    ("физической культуры и ОБЗР", ["Физическая культура", "Основы безопасности и защиты Родины"]),
    ("общепрофессиональных дисциплин", ["Инженерная графика", "Техническая механика", "Электротехника"]),
    ("социально-экономических дисциплин", ["Экономика организации", "Менеджмент", "Правовое обеспечение"]),
    ("информационных технологий", ["Информационные технологии", "Компьютерная графика"]),
]

SPECIALITIES = [
    ("Технология машиностроения", ["Технология машиностроения", "Программирование станков с ЧПУ"]),
    ("Сварочное производство", ["Технология сварочных работ", "Контроль качества сварных соединений"]),
    ("Электроснабжение", ["Электроснабжение", "Релейная защита и автоматизация"]),
    ("Техническое обслуживание и ремонт автотранспортных средств", ["Устройство автомобилей", "Автодиагностика"]),
    ("Информационные системы и программирование", ["Основы алгоритмизации", "Разработка веб-приложений"]),
    ("Сетевое и системное администрирование", ["Компьютерные сети", "Администрирование серверов"]),
    ("Экономика и бухгалтерский учёт", ["Бухгалтерский учёт", "Налоги и налогообложение"]),
    ("Право и организация социального обеспечения", ["Трудовое право", "Право социального обеспечения"]),
    ("Поварское и кондитерское дело", ["Технология приготовления блюд", "Кондитерское производство"]),
    ("Гостиничное дело", ["Организация обслуживания гостей", "Иностранный язык в гостиничном деле"]),
    ("Туризм и гостеприимство", ["Технология туристских услуг", "Экскурсионная деятельность"]),
    ("Строительство и эксплуатация зданий и сооружений", ["Строительные конструкции", "Сметное дело"]),
    ("Монтаж и эксплуатация внутренних сантехнических устройств", ["Санитарно-технические системы", "Монтаж"]),
    ("Сестринское дело", ["Основы сестринского дела", "Анатомия и физиология человека"]),
    ("Лечебное дело", ["Пропедевтика клинических дисциплин", "Оказание неотложной помощи"]),
    ("Фармация", ["Фармакология", "Технология изготовления лекарственных форм"]),
    ("Дошкольное образование", ["Педагогика", "Теория и методика развития речи"]),
    ("Преподавание в начальных классах", ["Методика преподавания русского языка", "Детская литература"]),
    ("Коммерция", ["Организация коммерческой деятельности", "Маркетинг"]),
    ("Банковское дело", ["Организация безналичных расчётов", "Кредитные операции"]),
    ("Земельно-имущественные отношения", ["Основы кадастра", "Оценка недвижимого имущества"]),
    ("Технология продукции общественного питания", ["Организация производства", "Товароведение"]),
    ("Эксплуатация и ремонт сельскохозяйственной техники", ["Сельскохозяйственные машины", "Тракторы"]),
    ("Агрономия", ["Земледелие", "Защита растений"]),
    ("Ветеринария", ["Анатомия животных", "Ветеринарная фармакология"]),
    ("Технология деревообработки", ["Материаловедение", "Столярные работы"]),
    ("Монтаж и техническая эксплуатация промышленного оборудования", ["Промышленное оборудование", "Наладка"]),
    ("Мехатроника и робототехника", ["Основы мехатроники", "Программирование роботов"]),
    ("Аддитивные технологии", ["3D-моделирование", "Аддитивное производство"]),
    ("Химическая технология", ["Общая химическая технология", "Аналитическая химия"]),
    ("Геодезия", ["Топографическая съёмка", "Геодезические приборы"]),
    ("Тепловые электрические станции", ["Котельные установки", "Турбины"]),
    ("Электрические станции, сети и системы", ["Электрические сети", "Электрооборудование станций"]),
    ("Операционная деятельность в логистике", ["Логистика", "Управление запасами"]),
    ("Документационное обеспечение управления", ["Делопроизводство", "Архивоведение"]),
    ("Дизайн", ["Композиция", "Рисунок и живопись"]),
    ("Реклама", ["Рекламная деятельность", "Копирайтинг"]),
    ("Парикмахерское искусство", ["Технология парикмахерских работ", "Моделирование причёсок"]),
    ("Физическая культура (специальность)", ["Теория и методика физического воспитания", "Спортивные игры"]),
    ("Музыкальное образование", ["Сольфеджио", "Хоровой класс"]),
    ("Пожарная безопасность", ["Пожарная тактика", "Пожарная техника"]),
    ("Защита в чрезвычайных ситуациях", ["Аварийно-спасательные работы", "Радиационная защита"]),
    ("Технология металлообрабатывающего производства", ["Металлорежущие станки", "Процессы формообразования"]),
    ("Оснащение средствами автоматизации", ["Автоматизация", "Контрольно-измерительные приборы"]),
    ("Компьютерные системы и комплексы", ["Цифровая схемотехника", "Микропроцессорные системы"]),
    ("Обеспечение информационной безопасности", ["Криптография", "Защита информации"]),
    ("Судостроение", ["Конструкция корпуса судна", "Технология судостроения"]),
    ("Организация перевозок на транспорте", ["Организация перевозок", "Транспортная логистика"]),
    ("Нефтегазовое дело", ["Бурение скважин", "Эксплуатация нефтяных месторождений"]),
    ("Садово-парковое строительство", ["Ландшафтное проектирование", "Декоративная дендрология"]),
    ("Страховое дело", ["Организация страхового дела", "Страховой маркетинг"]),
    ("Социальная работа", ["Технологии социальной работы", "Социальная педагогика"]),
    ("Стоматология ортопедическая", ["Зуботехническое материаловедение", "Съёмное протезирование"]),
    ("Лабораторная диагностика", ["Клинические лабораторные исследования", "Микробиология"]),
    ("Автоматические системы управления", ["Теория автоматического управления", "Программируемые контроллеры"]),
    ("Информационная безопасность автоматизированных систем", ["Сети и системы передачи", "Защита АС"]),
    ("Метрология и стандартизация", ["Метрология", "Стандартизация и сертификация"]),
    ("Полиграфическое производство", ["Допечатные процессы", "Печатные процессы"]),
    ("Производство и переработка молока", ["Технология молочных продуктов", "Микробиология молока"]),
    ("Прикладная эстетика", ["Косметология", "Эстетика"]),
]

EDUCATIONAL_ASSOCIATIONS = [
    "МО классных руководителей и воспитателей",
    "МО кураторов учебных групп первого курса",
    "МО воспитателей общежития",
    "МО педагогов дополнительного образования",
    "МО социально-психологической службы",
    "МО классных руководителей отделения технических специальностей",
    "МО классных руководителей отделения сферы обслуживания",
    "МО классных руководителей отделения экономики и права",
    "МО педагогов-организаторов",
    "МО тьюторов инклюзивного образования",
    "МО педагогов-библиотекарей",
    "МО советников по воспитанию",
]

CREATIVE_GROUPS = [
    ("Бережливые технологии в учебных мастерских", "Потери времени и материалов на учебной практике."),
    ("Функциональная грамотность в профессиональном контексте", "Знания не переносятся на задачи профессии."),
    ("Цифровая дидактика", "Цифровые ресурсы используются без методики."),
    ("Наставничество молодых педагогов", "Молодые педагоги уходят в первые три года работы."),
    ("Демонстрационный экзамен: оценочные материалы", "Нет банка заданий для подготовки к демоэкзамену."),
    ("Проектное обучение на первом курсе", "Первокурсники не умеют работать в команде над проектом."),
    ("Чемпионатное движение «Профессионалы»", "Подготовка участников чемпионатов ведётся от случая к случаю."),
    ("Инклюзивное профессиональное обучение", "Студенты с ОВЗ не получают адаптированных материалов."),
    ("Финансовая грамотность студентов", "Студенты не готовы к финансовым решениям во взрослой жизни."),
    ("Электронный учебно-методический комплекс", "Материалы дисциплин разрознены и устаревают."),
    ("Дуальное обучение с предприятиями", "Практика на предприятиях не связана с программой."),
    ("Формирующее оценивание", "Оценка служит контролю, а не обучению."),
    ("Читательская грамотность на дисциплинах профессионального цикла", "Студенты плохо понимают техтексты."),
    ("Воспитательный потенциал учебного занятия", "Воспитание отделено от обучения."),
    ("Профориентация школьников", "Набор на технические специальности снижается."),
    ("Кейс-технологии в экономических дисциплинах", "Задачи оторваны от практики предприятий."),
    ("Виртуальные тренажёры", "Не хватает оборудования для отработки навыков."),
    ("Здоровьесберегающие технологии", "Растёт утомляемость студентов."),
    ("Технологическое предпринимательство", "Студенты не видят пути к собственному делу."),
    ("Медиаобразование", "Студенты некритично потребляют информацию."),
    ("Исследовательская деятельность студентов", "Индивидуальные проекты выполняются формально."),
    ("Интерактивные методы на уроках истории", "Низкий интерес к истории у студентов СПО."),
    ("Межпредметные задания по физике и электротехнике", "Нет связи общеобразовательной и профподготовки."),
    ("Адаптация первокурсников", "Высокий отсев на первом курсе."),
    ("Открытые онлайн-курсы колледжа", "Нет собственных онлайн-курсов."),
    ("Методика обучения работе на станках с ЧПУ", "Первые наладки станков проходят с ошибками."),
    ("Экологическое воспитание", "Низкая экологическая культура студентов."),
    ("Современные технологии сварки", "Программа отстаёт от технологий отрасли."),
    ("Геймификация обучения", "Низкая мотивация к изучению теории."),
    ("Сетевые образовательные программы", "Ресурсы партнёров не используются."),
]

LABS = [
    (
        "Экспериментальная лаборатория «Цифровой двойник учебно-производственного участка»",
        "Сокращает ли работа с цифровым двойником время освоения ПМ.01 и число ошибок при первой наладке станка?",
    ),
    (
        "Экспериментальная лаборатория «Дистанционные технологии в профессиональном обучении»",
        "Сохраняется ли качество подготовки при переносе теоретической части модулей в дистанционный формат?",
    ),
    (
        "Экспериментальная лаборатория «Сетевая форма реализации программ»",
        "Повышает ли сетевая реализация модулей с предприятиями результаты демонстрационного экзамена?",
    ),
    (
        "Экспериментальная лаборатория «Индивидуальные образовательные траектории»",
        "Снижает ли выбор вариативных модулей отсев студентов второго курса?",
    ),
]

UNIVERSITIES = {
    Education.HIGHER_PED: "Государственный педагогический университет",
    Education.HIGHER: "Государственный технический университет",
    Education.SECONDARY_VOC: "Политехнический колледж",
    Education.SECONDARY_VOC_PED: "Педагогический колледж",
}
RETRAINING = "профессиональная переподготовка «Педагогика профессионального образования»"
DEGREES = ["кандидат педагогических наук", "кандидат технических наук", "кандидат экономических наук"]
AWARDS = [
    "Почётный работник сферы образования Российской Федерации",
    "Почётная грамота Министерства просвещения Российской Федерации",
    "Почётная грамота министерства образования области",
    "Почётный работник среднего профессионального образования Российской Федерации",
]

#: Positions of everyone but the named accounts, as shares of the staff (the rest are teachers).
POSITION_SHARES = [
    ("M", 0.11),
    ("SM", 0.01),
    ("V", 0.017),
    ("PO", 0.01),
    ("PDO", 0.01),
    ("SP", 0.007),
    ("PP", 0.007),
    ("TUT", 0.005),
    ("PB", 0.004),
    ("RFV", 0.005),
    ("OBZR", 0.006),
    ("ZO", 0.015),
]
EDUCATORS = {"V", "PO", "PDO", "SP", "PP", "TUT", "PB", "SOV"}
MANAGEMENT = ["ZUR", "ZUVR", "ZUPR", "SOV"]


def _staff_rows() -> dict[str, dict[str, str]]:
    """The demo's people that have an account, by username, with the demo's key."""
    rows = {}
    for line in STAFF.strip().splitlines():
        key, username, fio, code, hired, ped, edu, details, subjects, degree, awards, since = line.split("|")
        if username:
            rows[username] = dict(
                key=key, fio=fio, code=code, hired=hired, ped=ped, edu=edu, details=details, subjects=subjects,
                degree=degree, awards=awards, since=since,
            )  # fmt: skip
    return rows


# ---------------------------------------------------------------- the plan of the units


@dataclass
class UnitPlan:
    """A unit as the generator plans it before the engine creates it."""

    key: str
    kind: str
    name: str
    purpose: str
    subjects: list[str] = field(default_factory=list)
    weight: float = 1.0
    professional: bool = False
    unit: Unit | None = None


@dataclass
class Member:
    """A membership open in the generator's picture of the structure: its role and its row (saved or pending)."""

    role: str
    row: Membership


@dataclass
class PendingOrder:
    order: Order
    clauses: list[Clause]
    actions: list[Action]
    approvals: list[Approval]
    acknowledgements: list[Acknowledgement]


class StructureBuilder:
    """Builds the people, units and orders of one scale; `build()` runs everything in one transaction."""

    def __init__(self, scale: Scale, rng: random.Random, today: datetime.date | None = None) -> None:
        self.scale = scale
        self.rng = rng
        self.today = today or timezone.localdate()
        self.now = timezone.now()
        self.current_year = academic_year_start(self.today)
        self.first_year = self.current_year - max(1, scale.years) + 1
        self.setup_day = workday_before(datetime.date(self.first_year, 8, 31))
        self.positions = {p.name: p for p in Position.objects.all()}
        self.password = make_password(PASSWORD)
        self.named: dict[str, Person] = {}
        self.people: list[Person] = []
        self.home: dict[int, str] = {}  # person pk -> key of their association
        self.curators: dict[int, str] = {}  # person pk -> educational association they also belong to
        self.plans: dict[str, UnitPlan] = {}
        # The structure as it stands at the timeline's moment: unit pk -> person pk -> Member.
        self.active: dict[int, dict[int, Member]] = defaultdict(dict)
        self.pending: list[PendingOrder] = []
        self.pending_members: list[Membership] = []
        self.ended_members: list[Membership] = []
        self.counters: dict[int, int] = defaultdict(int)
        self.signed_engine = 0
        self.signed_bulk = 0
        self.sequence = itertools.count()
        self.timeline: list[tuple[datetime.datetime, int, Callable[[], None]]] = []
        self.protected: set[int] = set()  # people the random changes leave alone (the named accounts)

    # ------------------------------------------------------------ helpers

    def sept(self, year: int) -> datetime.date:
        """The day the year's composition orders are signed: the last workday before 1 September."""
        return self.setup_day if year == self.first_year else workday_before(datetime.date(year, 8, 31))

    def moment(self, day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
        """An order is never signed after now (the current year's orders of the coming days are signed now)."""
        return min(at(day, hour, minute), self.now - datetime.timedelta(minutes=5))

    def schedule(self, when: datetime.datetime, event: Callable[[], None]) -> None:
        heapq.heappush(self.timeline, (when, next(self.sequence), event))

    def position(self, code: str) -> Position:
        return self.positions[POSITIONS[code]]

    @property
    def director(self) -> Person:
        return self.named["director"]

    @property
    def deputy(self) -> Person:
        return self.named["deputy"]

    @property
    def methodist(self) -> Person:
        return self.named["methodist"]

    def unit(self, key: str) -> Unit:
        unit = self.plans[key].unit
        assert unit is not None, f"unit {key} is not created yet"
        return unit

    def genitive(self, key: str) -> str:
        """The unit as an order's title says it: «методического совета», «ПЦК …», «творческой группы «…»»."""
        plan = self.plans[key]
        return unit_phrase(plan.kind, plan.name, "genitive")

    def accusative(self, key: str) -> str:
        plan = self.plans[key]
        return unit_phrase(plan.kind, plan.name, "accusative")

    def members(self, key: str, role: str | None = None) -> list[int]:
        unit = self.plans[key].unit
        if unit is None:
            return []
        return [pk for pk, m in self.active[unit.pk].items() if role is None or m.role == role]

    # ------------------------------------------------------------ people

    def build_people(self) -> None:
        rng, scale = self.rng, self.scale
        rows = _staff_rows()
        people: list[Person] = []
        usernames: set[str] = set()
        users: list[User] = []
        first_hire_limit = self.setup_day - datetime.timedelta(days=365)

        def account(person: Person, username: str) -> User:
            user = User(
                username=username,
                password=self.password,
                first_name=person.first_name,
                last_name=person.last_name,
                email=person.email,
            )
            users.append(user)
            usernames.add(username)
            return user

        for username in STAFF_ACCOUNTS:
            row = rows[username]
            last, first, patronymic = row["fio"].split()
            hired = datetime.date(2010, 8, 30) if row["hired"] == "NEW" else datetime.date.fromisoformat(row["hired"])
            hired = min(hired, first_hire_limit)
            ped = hired if row["ped"] == "NEW" else min(datetime.date(int(row["ped"]), 9, 1), hired)
            since = datetime.date.fromisoformat(row["since"]) if row["since"] else hired
            person = Person(
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                position=self.position(row["code"]),
                hire_date=hired,
                position_since=min(max(since, hired), first_hire_limit),
                pedagogical_since=ped,
                education=EDUCATION[row["edu"]],
                education_details=row["details"].replace("NEW", str(hired.year)),
                subjects=row["subjects"],
                academic_degree=row["degree"],
                awards=row["awards"],
                email=f"{username}@{EMAIL_DOMAIN}",
                phone=f"{SWITCHBOARD} доб. {101 + len(people)}",
                birth_date=datetime.date.fromisoformat(BIRTH_DATES[row["key"]]),
                professional_cycle=username in {"lab_head", "master", "group_lead", "chair", "secretary"},
            )
            person.user = account(person, username)
            people.append(person)
            self.named[username] = person

        # Everyone else: positions by share, the management once each, methodists by size.
        others = scale.staff - len(people)
        codes: list[str] = [code for code in MANAGEMENT if others > 40]
        codes += ["MET"] * max(1, scale.staff // 150 - 1)
        for code, share in POSITION_SHARES:
            codes += [code] * max(1 if scale.staff >= 100 else 0, round(share * scale.staff))
        codes = codes[:others]
        codes += ["T"] * (others - len(codes))
        rng.shuffle(codes)
        # Hired before the first year (the structure starts with them) or at the end of August of a later year.
        later_years = list(range(self.first_year + 1, self.current_year + 1))
        for code in codes:
            name = random_name(rng)
            if later_years and rng.random() < 0.22:
                hired = workday_before(datetime.date(rng.choice(later_years), 8, 28))
            else:
                hired = min(
                    workday_before(datetime.date(rng.randint(1985, first_hire_limit.year), 8, 28)), first_hire_limit
                )
            # Born so as to be 23 to 45 when hired (after their studies) and no older than 68 today.
            born = max(hired.year - rng.randint(23, 45), self.today.year - 68)
            birth = datetime.date(min(born, hired.year - 23), rng.randint(1, 12), rng.randint(1, 28))
            person = self._generated_person(name, code, birth, hired, len(people))
            base = f"{latin(name.last)}.{latin(name.first[0])}{latin(name.patronymic[0])}"
            username = base
            suffix = 2
            while username in usernames:
                username, suffix = f"{base}{suffix}", suffix + 1
            person.email = f"{username}@{EMAIL_DOMAIN}"
            person.user = account(person, username)
            people.append(person)

        researcher = Person(is_external=True, email=f"researcher@{EMAIL_DOMAIN}", **RESEARCHER)
        researcher.user = account(researcher, "researcher")
        people.append(researcher)
        self.named["researcher"] = researcher
        users.append(
            User(
                username="admin",
                password=self.password,
                is_staff=True,
                is_superuser=True,
                email="admin@" + EMAIL_DOMAIN,
            )
        )
        bulk(User, users)
        bulk(Person, people)
        self.people = [p for p in people if not p.is_external]
        self.protected = {p.pk for p in self.named.values()}

    def _generated_person(self, name, code: str, birth: datetime.date, hired: datetime.date, index: int) -> Person:
        rng = self.rng
        position = self.position(code)
        if code in {"M", "SM"}:
            education = rng.choice([Education.SECONDARY_VOC, Education.SECONDARY_VOC, Education.HIGHER])
        elif code in EDUCATORS:
            education = rng.choice([Education.HIGHER_PED, Education.HIGHER_PED, Education.SECONDARY_VOC_PED])
        else:
            education = rng.choice([Education.HIGHER_PED, Education.HIGHER, Education.HIGHER])
        graduated = birth.year + (19 if education in {Education.SECONDARY_VOC, Education.SECONDARY_VOC_PED} else 22)
        details = f"{UNIVERSITIES[education]}, {graduated}"
        if education in {Education.HIGHER, Education.SECONDARY_VOC}:
            details += f"; {RETRAINING}, {min(hired.year, graduated + rng.randint(1, 8))}"
        ped_since = (
            hired
            if rng.random() < 0.7
            else max(datetime.date(graduated, 9, 1), hired - datetime.timedelta(days=365 * rng.randint(1, 6)))
        )
        return Person(
            last_name=name.last,
            first_name=name.first,
            patronymic=name.patronymic,
            position=position,
            hire_date=hired,
            position_since=hired,
            pedagogical_since=min(ped_since, hired),
            education=education,
            education_details=details,
            academic_degree=rng.choice(DEGREES) if rng.random() < 0.03 else "",
            awards=rng.choice(AWARDS) if rng.random() < 0.08 else "",
            phone=f"{SWITCHBOARD} доб. {101 + index % 899}",
            birth_date=birth,
            professional_cycle=code in {"M", "SM"},
        )

    # ------------------------------------------------------------ units

    def plan_units(self) -> None:
        rng, scale = self.rng, self.scale
        total = max(scale.units, 8)
        labs = max(1, total // 35)
        educational = max(1, total // 12)
        groups = max(2, total // 4)
        cycle = total - 3 - labs - educational - groups
        self.n_groups, self.n_labs = groups, labs

        def add(plan: UnitPlan) -> None:
            self.plans[plan.key] = plan

        add(
            UnitPlan(
                "service", UnitKind.SERVICE, "Методическая служба", "Организация и координация методической работы."
            )
        )
        add(
            UnitPlan(
                "council", UnitKind.COUNCIL, "Методический совет", "Координация методической работы, экспертиза планов."
            )
        )
        add(
            UnitPlan(
                "commission",
                UnitKind.ATTESTATION_COMMISSION,
                "Аттестационная комиссия",
                "Аттестация педагогических работников на соответствие занимаемой должности.",
            )
        )
        # A few associations of the general disciplines (the first is the largest: the mo_head's), the rest of the
        # professional cycles of the specialities taught.
        general = min(len(GENERAL_ASSOCIATIONS), max(2, round(cycle * 0.12)))
        for index in range(cycle):
            if index < general:
                words, subjects = GENERAL_ASSOCIATIONS[index]
                name, professional = f"ПЦК {words}", False
                weight = 3.0 if index == 0 else 1.6
            else:
                speciality, subjects = SPECIALITIES[(index - general) % len(SPECIALITIES)]
                round_ = (index - general) // len(SPECIALITIES)
                name = f"ПЦК профессионального цикла «{speciality}»" + (f" № {round_ + 1}" if round_ else "")
                professional, weight = True, rng.uniform(0.5, 1.4)
            purpose = f"Методическое обеспечение дисциплин: {', '.join(subjects[:2]).lower()}."
            add(
                UnitPlan(
                    f"cycle{index}", UnitKind.ASSOCIATION_CYCLE, name, purpose, list(subjects), weight, professional
                )
            )
        for index in range(educational):
            name = EDUCATIONAL_ASSOCIATIONS[index % len(EDUCATIONAL_ASSOCIATIONS)]
            if index >= len(EDUCATIONAL_ASSOCIATIONS):
                name += f" № {index // len(EDUCATIONAL_ASSOCIATIONS) + 1}"
            add(
                UnitPlan(
                    f"edu{index}", UnitKind.ASSOCIATION_EDUCATIONAL, name, "Воспитательная работа в учебных группах."
                )
            )
        for index in range(groups):
            name, purpose = CREATIVE_GROUPS[index % len(CREATIVE_GROUPS)]
            if index >= len(CREATIVE_GROUPS):
                name += f" ({index // len(CREATIVE_GROUPS) + 1})"
            add(UnitPlan(f"group{index}", UnitKind.CREATIVE_GROUP, name, purpose))
        for index in range(labs):
            name, purpose = LABS[index % len(LABS)]
            if index >= len(LABS):
                name += f" № {index // len(LABS) + 1}"
            add(UnitPlan(f"lab{index}", UnitKind.LAB, name, purpose))

        # Everyone teaching belongs to one association; educators to an educational one; some teachers also curate.
        cycles = [p for p in self.plans.values() if p.kind == UnitKind.ASSOCIATION_CYCLE]
        educationals = [p for p in self.plans.values() if p.kind == UnitKind.ASSOCIATION_EDUCATIONAL]
        teachers_of_general = {"mo_head", "teacher"}
        for username, person in self.named.items():
            if username in teachers_of_general:
                self.home[person.pk] = "cycle0"
            elif username in {"chair", "secretary"}:
                self.home[person.pk] = cycles[min(4, len(cycles) - 1)].key
            elif username in {"lab_head", "master", "group_lead"}:
                self.home[person.pk] = cycles[-1].key if len(cycles) > 1 else "cycle0"
        self.home[self.named["teacher"].pk] = "cycle0"
        weights = [p.weight for p in cycles]
        for person in self.people:
            if person.pk in self.home or person.pk in self.protected:
                continue
            code = self._code(person)
            if code in EDUCATORS:
                self.home[person.pk] = rng.choice(educationals).key
            elif code in {"T", "M", "SM", "RFV", "OBZR"}:
                plan = rng.choices(cycles, weights=weights)[0]
                self.home[person.pk] = plan.key
                if rng.random() < 0.09:
                    self.curators[person.pk] = rng.choice(educationals).key
            # the management, methodists and heads of departments belong to no association
        self.curators[self.named["teacher"].pk] = educationals[0].key
        for person in self.people:
            plan = self.plans.get(self.home.get(person.pk, ""))
            if plan is not None and plan.subjects and not person.subjects:
                person.subjects = "; ".join(rng.sample(plan.subjects, k=min(len(plan.subjects), rng.randint(1, 2))))
                person.professional_cycle = person.professional_cycle or plan.professional
        Person.objects.bulk_update(self.people, ["subjects", "professional_cycle"], batch_size=BATCH)

    def _code(self, person: Person) -> str:
        name = person.position.name if person.position else ""
        return next((code for code, title in POSITIONS.items() if title == name), "T")

    def employed(self, person: Person, day: datetime.date) -> bool:
        return person.hire_date is not None and person.hire_date <= day

    # ------------------------------------------------------------ engine orders (drafted, agreed, signed)

    def engine_order(
        self,
        when: datetime.datetime,
        *,
        title: str,
        preamble: str,
        clauses: list[tuple[str, list]],
        new_unit: str = "",
        author: Person | None = None,
    ) -> Order:
        """Draft, send, agree and sign an order through structure.services (as the demo does). Clause actions are
        dicts or callables returning one (to name the unit an earlier action creates)."""
        self.flush()
        day = timezone.localdate(when)
        author = author or self.deputy
        approvers = [self.methodist] if author.pk != self.methodist.pk else [self.deputy]
        order = services.order_create(author=author, title=title, preamble=preamble, approvers=approvers)
        touched: set[int] = set()
        for text, actions in clauses:
            clause = services.clause_add(order=order, text=text)
            for position, spec in enumerate(actions, start=1):
                spec = spec() if callable(spec) else spec
                action = _draft_action(clause, position, spec)
                if action.unit_id:
                    touched.add(action.unit_id)
                if new_unit and spec["kind"] == ActionKind.CREATE_UNIT:
                    self.plans[new_unit].unit = action.unit
        services.order_send(order=order, day=day)
        for approver in approvers:
            services.order_visa(order=order, person=approver, agree=True)
        Approval.objects.filter(order=order).update(decided_at=when - datetime.timedelta(hours=20))
        OrderCounter.objects.update_or_create(
            series=OrderSeries.MAIN, year=day.year, defaults={"last_number": self.counters[day.year]}
        )
        order = services.order_sign(order=order, person=self.director, at=when)
        self.counters[day.year] = order.number or self.counters[day.year]
        Order.objects.filter(pk=order.pk).update(
            created_at=when - datetime.timedelta(days=3, hours=2), sent_at=when - datetime.timedelta(days=1, hours=1)
        )
        self.signed_engine += 1
        self.reload(touched)
        return order

    def reload(self, unit_pks: set[int]) -> None:
        """Read again the open memberships of units the engine changed."""
        for pk in unit_pks:
            self.active[pk] = {}
        for membership in Membership.objects.filter(unit_id__in=unit_pks, end__isnull=True):
            self.active[membership.unit_id][membership.person_id] = Member(membership.role, membership)

    def create_spec(self, key: str) -> dict:
        plan = self.plans[key]
        return {
            "kind": ActionKind.CREATE_UNIT,
            "unit_kind": plan.kind,
            "unit_name": plan.name,
            "unit_purpose": plan.purpose,
        }

    def appoint(self, key: str, person: Person, role: str) -> Callable[[], dict]:
        return lambda: {"kind": ActionKind.APPOINT, "unit": self.unit(key), "person": person, "role": role}

    def include(self, key: str, person: Person) -> Callable[[], dict]:
        return lambda: {"kind": ActionKind.INCLUDE, "unit": self.unit(key), "person": person}

    # ------------------------------------------------------------ bulk orders (inserted signed)

    def bulk_order(
        self,
        when: datetime.datetime,
        *,
        title: str,
        preamble: str,
        clauses: list[tuple[str, list[tuple[str, str, Person]]]],
        author: Person | None = None,
    ) -> Order | None:
        """A signed order that includes (excludes) members, written as the engine would: applied to the picture of
        the structure now, inserted at the next flush. Actions are (kind, unit key, person); an action the picture
        refuses (already a member, not a member) is left out, and a clause left empty keeps its text only."""
        day = timezone.localdate(when)
        author = author or self.deputy
        self.counters[day.year] += 1
        order = Order(
            series=OrderSeries.MAIN,
            year=day.year,
            number=self.counters[day.year],
            date=day,
            title=title,
            preamble=preamble,
            status=OrderStatus.SIGNED,
            author=author,
            signer=self.director,
            signer_name=self.director.full_name,
            signer_position=self.director.position.name,
            executor_name=author.full_name,
            executor_contact=author.phone or author.email,
            organisation=settings.COLLEGE_NAME,
            signed_at=when,
            sent_at=when - datetime.timedelta(days=1, hours=1),
        )
        order.created_at = when - datetime.timedelta(days=3, hours=2)
        rows_clauses: list[Clause] = []
        rows_actions: list[Action] = []
        named: dict[int, Person] = {}
        temp = itertools.count(1)
        for position, (text, specs) in enumerate(clauses, start=1):
            clause = Clause(order=order, position=position, text=text)
            clause.pk = next(temp)
            rows_clauses.append(clause)
            clause.bench_actions = []  # type: ignore[attr-defined]
            for kind, key, person in specs:
                unit = self.unit(key)
                members = self.active[unit.pk]
                if kind == ActionKind.INCLUDE:
                    if person.pk in members:
                        continue
                    membership = Membership(
                        unit=unit, person=person, role=MemberRole.MEMBER, start=day, start_order=order
                    )
                    members[person.pk] = Member(MemberRole.MEMBER, membership)
                    self.pending_members.append(membership)
                    role = MemberRole.MEMBER
                else:
                    member = members.pop(person.pk, None)
                    if member is None:
                        continue
                    member.row.end, member.row.end_order = day, order
                    if member.row.pk:
                        self.ended_members.append(member.row)
                    role = ""
                action = Action(
                    clause=clause,
                    position=len(clause.bench_actions) + 1,
                    kind=kind,
                    unit=unit,
                    person=person,
                    role=role,
                )
                action.pk = -next(temp)
                clause.bench_actions.append(action)  # type: ignore[attr-defined]
                rows_actions.append(action)
                named[person.pk] = person
        if not rows_actions and any(specs for _text, specs in clauses):
            self.counters[day.year] -= 1
            return None
        texts = order_wording((clause.text, clause.bench_actions) for clause in rows_clauses)  # type: ignore[attr-defined]
        for action in rows_actions:
            action.text = texts.get(action.pk, "")
        approver = self.methodist if author.pk != self.methodist.pk else self.deputy
        approval = Approval(
            order=order,
            person=approver,
            decision=ApprovalDecision.AGREED,
            decided_at=when - datetime.timedelta(hours=20),
            person_name=approver.full_name,
            person_position=approver.position.name,
        )
        approval.pk = 1
        order.content_hash = order_signing.order_hash(_PayloadView(order, rows_clauses, [approval]))
        for row in (*rows_clauses, *rows_actions, approval):
            row.pk = None
        acks = [
            Acknowledgement(
                order=order,
                person=person,
                person_name=person.full_name,
                person_gender=person.grammatical_gender,
                acknowledged_at=when + datetime.timedelta(days=1 + pk % 3, hours=2 + pk % 5),
            )
            for pk, person in sorted(named.items())
        ]
        self.pending.append(PendingOrder(order, rows_clauses, rows_actions, [approval], acks))
        self.signed_bulk += 1
        return order

    def flush(self) -> None:
        """Insert the bulk orders and memberships written since the last flush (before the engine reads)."""
        if not (self.pending or self.pending_members or self.ended_members):
            return
        bulk(Order, [p.order for p in self.pending])
        bulk(Clause, [c for p in self.pending for c in p.clauses])
        actions = [a for p in self.pending for a in p.actions]
        for action in actions:  # the clause had a temporary key while the order was worded
            action.clause_id = action.clause.pk
        bulk(Action, actions)
        bulk(Approval, [a for p in self.pending for a in p.approvals])
        bulk(Acknowledgement, [a for p in self.pending for a in p.acknowledgements])
        bulk(Membership, self.pending_members)
        if self.ended_members:
            Membership.objects.bulk_update(self.ended_members, ["end", "end_order"], batch_size=BATCH)
        self.pending, self.pending_members, self.ended_members = [], [], []

    # ------------------------------------------------------------ the timeline

    def plan_timeline(self) -> None:
        rng = self.rng
        named = self.named
        setup = self.setup_day
        cycles = [p.key for p in self.plans.values() if p.kind == UnitKind.ASSOCIATION_CYCLE]
        educationals = [p.key for p in self.plans.values() if p.kind == UnitKind.ASSOCIATION_EDUCATIONAL]
        associations = cycles + educationals
        people_by_pk = {p.pk: p for p in self.people}
        methodists = [p for p in self.people if self._code(p) == "MET" and p.pk not in self.protected]
        year_label = f"{self.first_year}/{self.first_year + 1}"

        # --- 1. the service, the council and the commission (engine), the compositions (bulk)
        def service() -> None:
            self.engine_order(
                self.moment(setup, 8, 40),
                title=f"Об организации методической службы на {year_label} учебный год",
                preamble="В соответствии с Положением о методической службе, в целях организации и координации "
                "методической работы педагогических работников",
                new_unit="service",
                clauses=[
                    (
                        "Организовать методическую службу и назначить её руководителя:",
                        [
                            self.create_spec("service"),
                            self.appoint("service", self.deputy, MemberRole.HEAD),
                            self.include("service", self.methodist),
                            *[self.include("service", p) for p in methodists[:3]],
                        ],
                    ),
                    (
                        f"Руководителю методической службы {self.deputy.short_name} в срок до 15.09.{self.first_year} "
                        f"представить план работы методической службы на {year_label} учебный год.",
                        [],
                    ),
                ],
            )
            rest = [("include", "service", p) for p in methodists[3:]]
            if rest:
                self.bulk_order(
                    self.moment(setup, 8, 50),
                    title="Об утверждении состава методической службы",
                    preamble="В целях обеспечения деятельности методической службы",
                    clauses=[("Включить в состав методической службы:", _kinds(rest))],
                )

        self.schedule(self.moment(setup, 8, 40), service)

        council_pool = [p for p in self.people if p.pk not in self.protected and self._code(p) in {"T", "SM", "ZO"}]
        council_size = min(40, max(6, self.scale.staff // 80))
        council_members = rng.sample(council_pool, k=min(council_size, len(council_pool)))

        def council() -> None:
            self.engine_order(
                self.moment(setup, 9, 0),
                title=f"О методическом совете на {year_label} учебный год",
                preamble="В соответствии с Положением о методической службе, в целях координации методической "
                "работы и повышения профессиональной компетентности педагогических работников",
                new_unit="council",
                clauses=[
                    (
                        "Создать методический совет и назначить его председателя и секретаря:",
                        [
                            self.create_spec("council"),
                            self.appoint("council", named["chair"], MemberRole.HEAD),
                            self.appoint("council", named["secretary"], MemberRole.SECRETARY),
                            self.include("council", self.deputy),
                            self.include("council", self.methodist),
                            self.include("council", named["mo_head"]),
                        ],
                    ),
                ],
            )
            self.bulk_order(
                self.moment(setup, 9, 5),
                title=f"Об утверждении состава методического совета на {year_label} учебный год",
                preamble="В целях организации работы методического совета",
                clauses=[
                    (
                        "Включить в состав методического совета:",
                        [("include", "council", p) for p in council_members],
                    )
                ],
            )

        self.schedule(self.moment(setup, 9, 0), council)

        # Heads and secretaries of the associations at the start.
        for index, key in enumerate(associations):
            start_members = [
                people_by_pk[pk]
                for pk, home in self.home.items()
                if home == key and pk in people_by_pk and self.employed(people_by_pk[pk], setup)
            ]
            start_members += [
                people_by_pk[pk]
                for pk, home in self.curators.items()
                if home == key and pk in people_by_pk and self.employed(people_by_pk[pk], setup)
            ]
            if key == "cycle0":
                head, secretary = named["mo_head"], None
            else:
                head = None
            candidates = [p for p in start_members if p.pk not in self.protected]
            if key != "cycle0":
                if len(candidates) < 2:
                    extra = [p for p in self.people if p.pk not in self.protected and self._code(p) == "T"]
                    candidates += rng.sample(extra, 2)
                head = candidates[0]
            secretary = next(p for p in candidates if p.pk != head.pk)
            rest = [p for p in start_members if p.pk not in {head.pk, secretary.pk}]
            self.schedule(
                self.moment(setup, 9, 10),
                self._association_event(key, head, secretary, rest, year_label, setup, index),
            )

        def commission() -> None:
            pool = [p for p in council_members if p.pk not in self.protected][:4]
            self.engine_order(
                self.moment(setup, 11, 30),
                title=f"О создании аттестационной комиссии на {year_label} учебный год",
                preamble="В соответствии с Порядком проведения аттестации педагогических работников, утверждённым "
                "приказом Минпросвещения России от 24.03.2023 № 196",
                new_unit="commission",
                clauses=[
                    (
                        "Создать аттестационную комиссию в следующем составе:",
                        [
                            self.create_spec("commission"),
                            self.appoint("commission", self.deputy, MemberRole.HEAD),
                            self.appoint("commission", self.methodist, MemberRole.SECRETARY),
                            *[self.include("commission", p) for p in pool],
                        ],
                    ),
                ],
            )

        self.schedule(self.moment(setup, 11, 30), commission)

        # --- 2. every later year: new hires and moves (bulk), new heads (engine), council and commission (bulk)
        years = list(range(self.first_year + 1, self.current_year + 1))
        fixed = 3 + len(associations) * 2 + (1 if len(methodists) > 3 else 0) + 1  # rough count of the above
        fixed += self.n_groups * 2 + self.n_labs * 2 + 1 + 3
        per_year = max(1, (self.scale.orders - fixed) // max(1, len(years))) if years else 0
        for year in years:
            self.schedule(self.moment(self.sept(year), 8, 0), self._yearly_event(year, associations, per_year))

        # --- 3. creative groups (engine), older labs; the named ones of the current year
        self._plan_groups_and_labs()

    def _association_event(self, key, head, secretary, rest, year_label, setup, index) -> Callable[[], None]:
        plan = self.plans[key]
        cycle = plan.kind == UnitKind.ASSOCIATION_CYCLE

        def event() -> None:
            when = self.moment(setup, 9, 10) + datetime.timedelta(minutes=index)
            self.engine_order(
                when,
                title=f"О создании {self.genitive(key)}",
                preamble="В соответствии с Положением о методической службе, в целях организации методической "
                f"работы педагогических работников на {year_label} учебный год",
                new_unit=key,
                clauses=[
                    (
                        f"Создать {self.accusative(key)}, назначить {'её' if cycle else 'его'} "
                        f"{_role_genitive(MemberRole.HEAD, plan.kind)} и секретаря:",
                        [
                            self.create_spec(key),
                            self.appoint(key, head, MemberRole.HEAD),
                            self.appoint(key, secretary, MemberRole.SECRETARY),
                        ],
                    ),
                ],
            )
            if rest:
                self.bulk_order(
                    when + datetime.timedelta(seconds=30),
                    title=f"Об утверждении состава {self.genitive(key)} на {year_label} учебный год",
                    preamble="В целях организации методической работы педагогических работников",
                    clauses=[(f"Включить в состав {self.genitive(key)}:", [("include", key, p) for p in rest])],
                )

        return event

    def _yearly_event(self, year: int, associations: list[str], budget: int) -> Callable[[], None]:
        def event() -> None:
            rng = self.rng
            day = self.sept(year)
            label = f"{year}/{year + 1}"
            people_by_pk = {p.pk: p for p in self.people}
            # Who joins or changes association this year.
            changes: dict[str, list[tuple[str, str, Person]]] = defaultdict(list)
            hire_day = workday_before(datetime.date(year, 8, 28))
            for pk, key in self.home.items():
                person = people_by_pk.get(pk)
                if person is not None and person.hire_date == hire_day:
                    changes[key].append(("include", key, person))
            for pk, key in self.curators.items():
                person = people_by_pk.get(pk)
                if person is not None and person.hire_date == hire_day:
                    changes[key].append(("include", key, person))
            movers = [
                pk
                for pk, key in self.home.items()
                if pk not in self.protected and self.plans[key].kind == UnitKind.ASSOCIATION_CYCLE
            ]
            cycles = [k for k in associations if self.plans[k].kind == UnitKind.ASSOCIATION_CYCLE]
            for pk in rng.sample(movers, k=min(len(movers), max(1, len(movers) // 60))):
                old = self.home[pk]
                unit = self.plans[old].unit
                if unit is None or self.active[unit.pk].get(pk, Member("", Membership())).role != MemberRole.MEMBER:
                    continue
                new = rng.choice(cycles)
                if new == old:
                    continue
                changes[old].append(("exclude", old, people_by_pk[pk]))
                changes[new].append(("include", new, people_by_pk[pk]))
                self.home[pk] = new
            # Council and commission: one leaves, one joins.
            pool = [p for p in self.people if p.pk not in self.protected and self._code(p) == "T"]
            council_members = [pk for pk in self.members("council", MemberRole.MEMBER) if pk not in self.protected]
            if council_members:
                changes["council"].append(("exclude", "council", people_by_pk[rng.choice(council_members)]))
            changes["council"].append(("include", "council", rng.choice(pool)))
            commission_members = [
                pk for pk in self.members("commission", MemberRole.MEMBER) if pk not in self.protected
            ]
            if commission_members:
                changes["commission"].append(("exclude", "commission", people_by_pk[rng.choice(commission_members)]))
            changes["commission"].append(("include", "commission", rng.choice(pool)))

            keys = [k for k in changes if changes[k]]
            rng.shuffle(keys)
            heads = self._head_change_count(associations)
            n_orders = max(1, min(len(keys), budget - heads))
            groups = [keys[i::n_orders] for i in range(n_orders)]
            for index, group in enumerate(groups):
                when = self.moment(day, 9, 0) + datetime.timedelta(minutes=index)
                if len(group) == 1:
                    title = f"О внесении изменений в состав {self.genitive(group[0])} на {label} учебный год"
                else:
                    title = f"О внесении изменений в составы методических объединений на {label} учебный год"
                clauses = []
                for key in group:
                    name = self.genitive(key)
                    excluded = [c for c in changes[key] if c[0] == "exclude"]
                    included = [c for c in changes[key] if c[0] == "include"]
                    if excluded:
                        clauses.append((f"Исключить из состава {name}:", _kinds(excluded)))
                    if included:
                        clauses.append((f"Включить в состав {name}:", _kinds(included)))
                self.bulk_order(
                    when,
                    title=title,
                    preamble="В связи с приёмом на работу новых педагогических работников и распределением "
                    f"педагогической нагрузки на {label} учебный год",
                    clauses=clauses,
                    author=self.deputy if index % 3 else self.methodist,
                )
            done = self._head_changes(year, label, day, associations)
            # Plain orders of the year that change nothing in the structure fill what the budget leaves.
            for index in range(max(0, budget - n_orders - done)):
                plain_day = workday(day + datetime.timedelta(days=20 + 9 * index))
                if plain_day >= self.today or plain_day >= datetime.date(year + 1, 6, 30):
                    break
                title = rng.choice(PLAIN_TITLES).format(year=label)
                self.schedule(self.moment(plain_day, 11, 0), self._plain_event(plain_day, title))

        return event

    def _plain_event(self, day: datetime.date, title: str) -> Callable[[], None]:
        def event() -> None:
            self.bulk_order(
                self.moment(day, 11, 0),
                title=title,
                preamble="В соответствии с планом методической работы на учебный год",
                clauses=[
                    ("Утвердить состав организационного комитета и план мероприятий (приложение).", []),
                    (f"Методисту {self.methodist.short_name} обеспечить информационное сопровождение.", []),
                ],
                author=self.methodist,
            )

        return event

    def _head_change_count(self, associations: list[str]) -> int:
        return max(1, round((len(associations) - 1) * 0.08))

    def _head_changes(self, year: int, label: str, day: datetime.date, associations: list[str]) -> int:
        """A few associations get a new head (and some a new secretary) this year, through the engine."""
        rng = self.rng
        changeable = [k for k in associations if k != "cycle0"]
        count = self._head_change_count(associations)
        done = 0
        for index, key in enumerate(rng.sample(changeable, k=min(count, len(changeable)))):
            plan = self.plans[key]
            unit = self.unit(key)
            candidates = [  # a place that started today cannot end today (no empty periods)
                pk
                for pk in self.members(key, MemberRole.MEMBER)
                if pk not in self.protected and self.active[unit.pk][pk].row.start < day
            ]
            if not candidates:
                continue
            people_by_pk = {p.pk: p for p in self.people}
            new_head = people_by_pk[rng.choice(candidates)]
            actions = [self.appoint(key, new_head, MemberRole.HEAD)]
            clauses = [(_appointment(unit, new_head, MemberRole.HEAD), actions)]
            if rng.random() < 0.4:
                others = [pk for pk in candidates if pk != new_head.pk]
                if others:
                    secretary = people_by_pk[rng.choice(others)]
                    clauses.append(
                        (
                            _appointment(unit, secretary, MemberRole.SECRETARY),
                            [self.appoint(key, secretary, MemberRole.SECRETARY)],
                        )
                    )
            self.engine_order(
                self.moment(day, 10, 0) + datetime.timedelta(minutes=index),
                title=f"О назначении {_role_genitive(MemberRole.HEAD, plan.kind)} {self.genitive(key)}",
                preamble=f"В связи с распределением обязанностей на {label} учебный год",
                clauses=clauses,
            )
            done += 1
        if year == self.first_year + 2 or (year == self.current_year and self.scale.years <= 2):
            done += self._rename(day)
        return done

    def _rename(self, day: datetime.date) -> int:
        renamable = [k for k, p in self.plans.items() if p.kind == UnitKind.ASSOCIATION_CYCLE and p.professional]
        renamable = [k for k in renamable if self.plans[k].unit is not None and not self._named_unit(k)]
        done = 0
        for index, key in enumerate(renamable[: max(1, len(renamable) // 20)]):
            unit = self.unit(key)
            new_name = unit.name.replace("ПЦК профессионального цикла", "ПЦК укрупнённой группы специальностей")
            if new_name == unit.name:
                continue
            self.engine_order(
                self.moment(day, 12, 0) + datetime.timedelta(minutes=index),
                title=f"О переименовании {self.genitive(key)}",
                preamble="В связи с переходом на актуализированные федеральные государственные образовательные стандарты",
                clauses=[
                    (
                        f"Переименовать {self.accusative(key)} в «{new_name}».",
                        [{"kind": ActionKind.RENAME, "unit": unit, "new_name": new_name}],
                    )
                ],
            )
            self.plans[key].name = new_name
            done += 1
        return done

    def _named_unit(self, key: str) -> bool:
        return key in {"cycle0", "council", "commission", "service"}

    def _plan_groups_and_labs(self) -> None:
        rng = self.rng
        named = self.named
        teachers = [p for p in self.people if p.pk not in self.protected and self._code(p) in {"T", "M", "SM"}]
        group_keys = [k for k, p in self.plans.items() if p.kind == UnitKind.CREATIVE_GROUP]
        lab_keys = [k for k, p in self.plans.items() if p.kind == UnitKind.LAB]
        # The two named groups of the current year: the master's by order, the group lead's proposed (built last).
        self.master_group, self.lead_group = group_keys[0], group_keys[1]
        current_start = datetime.date(self.current_year, 9, 1)
        master_day = workday(min(current_start + datetime.timedelta(days=40), self.today - datetime.timedelta(days=1)))
        master_day = max(master_day, self.sept(self.current_year))
        members = [p for p in rng.sample(teachers, k=4) if self.employed(p, master_day)]
        self.schedule(
            self.moment(master_day, 10, 0),
            self._group_event(self.master_group, named["master"], members, master_day, dissolve=None),
        )
        # The others: created in some year, active for two or three years.
        for key in group_keys[2:]:
            year = rng.randint(self.first_year, self.current_year)
            created = workday(datetime.date(year, 10, rng.randint(1, 28)))
            if created >= self.today:
                created = workday(datetime.date(year, 9, 10))
                if created >= self.today:
                    year -= 1
                    created = workday(datetime.date(year, 10, 10))
            if created < self.sept(self.first_year) + datetime.timedelta(days=1):
                created = workday(self.setup_day + datetime.timedelta(days=30))
            end = workday_before(datetime.date(created.year + rng.choice([2, 3]), 6, 28))
            head = rng.choice([p for p in teachers if self.employed(p, created)])
            crew = [p for p in rng.sample(teachers, k=min(len(teachers), rng.randint(3, 6))) if p.pk != head.pk]
            crew = [p for p in crew if self.employed(p, created)]
            self.schedule(
                self.moment(created, 11, 0),
                self._group_event(key, head, crew, created, dissolve=end if end < self.today else None),
            )
        # The labs: the named head's, created last January (or at the start); older ones before it.
        lab_start = workday(datetime.date(self.current_year, 1, 15))
        if lab_start <= self.setup_day:
            lab_start = workday(self.setup_day + datetime.timedelta(days=14))
        if lab_start >= self.today:
            lab_start = workday(self.setup_day + datetime.timedelta(days=3))
        self.schedule(self.moment(lab_start, 10, 0), self._lab_event(lab_keys[0], named["lab_head"], lab_start, None))
        for key in lab_keys[1:]:
            start = workday(
                datetime.date(rng.randint(self.first_year, max(self.first_year, self.current_year - 3)) + 1, 1, 20)
            )
            start = max(start, workday(self.setup_day + datetime.timedelta(days=20)))
            end = workday_before(datetime.date(start.year + 3, 6, 28))
            head = rng.choice([p for p in teachers if self.employed(p, start)])
            self.schedule(
                self.moment(start, 10, 30), self._lab_event(key, head, start, end if end < self.today else None)
            )

    def _group_event(self, key, head, members, day, dissolve) -> Callable[[], None]:
        plan = self.plans[key]

        def event() -> None:
            crew = [p for p in members if p.pk != head.pk]
            self.engine_order(
                self.moment(day, 11, 0),
                title=f"О создании {self.genitive(key)}",
                preamble="В соответствии с Положением о методической службе, в целях развития педагогического "
                f"творчества и решения проблемы: {plan.purpose.rstrip('.').lower()}",
                new_unit=key,
                author=self.methodist,
                clauses=[
                    (
                        f"Создать творческую группу «{plan.name}» в следующем составе:",
                        [
                            self.create_spec(key),
                            self.appoint(key, head, MemberRole.HEAD),
                            *[self.include(key, p) for p in crew],
                        ],
                    ),
                    (
                        f"Руководителю творческой группы {head.short_name} в месячный срок представить план работы "
                        "группы на рассмотрение методическому совету.",
                        [],
                    ),
                ],
            )
            if dissolve is not None:
                self.schedule(self.moment(dissolve, 10, 0), self._dissolve_event(key, dissolve))

        return event

    def _dissolve_event(self, key: str, day: datetime.date) -> Callable[[], None]:
        def event() -> None:
            unit = self.unit(key)
            self.engine_order(
                self.moment(day, 10, 0),
                title=f"О прекращении деятельности {self.genitive(key)}",
                preamble="В связи с завершением работы над проблемой и по итогам отчёта на методическом совете",
                clauses=[
                    (
                        f"Прекратить деятельность {self.genitive(key)}.",
                        [{"kind": ActionKind.DISSOLVE, "unit": unit}],
                    )
                ],
            )

        return event

    def _lab_event(self, key, head, day, dissolve) -> Callable[[], None]:
        rng = self.rng

        def event() -> None:
            teachers = [
                p for p in self.people if p.pk not in self.protected and self._code(p) == "T" and self.employed(p, day)
            ]
            crew = [p for p in rng.sample(teachers, k=4) if p.pk != head.pk]
            self.engine_order(
                self.moment(day, 10, 0),
                title=f"О создании {self.genitive(key)}",
                preamble="В соответствии с решением методического совета, в целях опытно-экспериментальной работы",
                new_unit=key,
                clauses=[
                    (
                        "Создать экспериментальную лабораторию в следующем составе:",
                        [self.create_spec(key), self.appoint(key, head, MemberRole.HEAD)]
                        + [self.include(key, p) for p in crew],
                    ),
                    (
                        f"Руководителю лаборатории {head.short_name} в месячный срок представить программу "
                        "эксперимента с этапами и показателями результативности.",
                        [],
                    ),
                ],
            )
            if key == "lab0":
                researcher = self.named["researcher"]
                self.engine_order(
                    self.moment(day + datetime.timedelta(days=14), 10, 0),
                    title="О привлечении научного консультанта экспериментальной лаборатории",
                    preamble="На основании договора о сетевом взаимодействии, в целях научного сопровождения "
                    "опытно-экспериментальной работы",
                    clauses=[
                        (
                            f"Включить в состав экспериментальной лаборатории научного консультанта "
                            f"{researcher.short_name}.",
                            [self.include(key, researcher)],
                        )
                    ],
                )
            if dissolve is not None:
                self.schedule(self.moment(dissolve, 10, 0), self._dissolve_event(key, dissolve))

        return event

    def run_timeline(self) -> None:
        while self.timeline:
            _when, _seq, event = heapq.heappop(self.timeline)
            event()
        self.flush()

    # ------------------------------------------------------------ what waits for people now

    def proposed_group(self) -> None:
        """The group lead's creative group, proposed, joined on request and registered by order (services)."""
        plan = self.plans[self.lead_group]
        lead = self.named["group_lead"]
        unit = services.group_propose(
            person=lead, name=plan.name, purpose=plan.purpose, goal="Разработать банк заданий."
        )
        plan.unit = unit
        pool = [p for p in self.people if p.pk not in self.protected and self._code(p) == "T"]
        joiners = [self.named["teacher"], *self.rng.sample(pool, k=3)]
        for index, person in enumerate(joiners):
            request = services.group_join_request(unit=unit, person=person, message="Хочу участвовать в работе группы.")
            services.join_request_decide(request=request, by=lead, accept=index < 3)
        order = services.group_registration_order(unit=unit, author=self.deputy)
        when = self.moment(workday(max(self.today - datetime.timedelta(days=20), self.sept(self.current_year))), 11, 0)
        services.order_send(order=order)
        OrderCounter.objects.update_or_create(
            series=OrderSeries.MAIN, year=when.year, defaults={"last_number": self.counters[when.year]}
        )
        order = services.order_sign(order=order, person=self.director, at=max(when, self._last_signed_at()))
        self.counters[when.year] = order.number or self.counters[when.year]
        self.signed_engine += 1
        # Asked after registration: the lead has not decided yet.
        services.group_join_request(unit=unit, person=self.rng.choice(pool), message="Подготовлю задания по физике.")

    def _last_signed_at(self) -> datetime.datetime:
        last = Order.objects.filter(signed_at__isnull=False).order_by("-signed_at").values_list("signed_at", flat=True)
        return (last.first() or self.now) + datetime.timedelta(minutes=1)

    def orders_in_progress(self) -> None:
        """An order waiting for the chair's visa and one waiting for the director's signature, as in the demo."""
        chair, lab = self.named["chair"], self.unit("lab0")
        pool = [pk for pk in self.members("lab0", MemberRole.MEMBER) if self.named["researcher"].pk != pk]
        order = services.order_create(
            author=self.deputy,
            title="О внесении изменений в состав методического совета",
            preamble="В целях включения в работу методического совета руководителя экспериментальной лаборатории",
            approvers=[self.methodist, chair],
        )
        clause = services.clause_add(order=order, text="Включить в состав методического совета:")
        services.action_add(
            clause=clause, kind=ActionKind.INCLUDE, unit=self.unit("council"), person=self.named["lab_head"]
        )
        services.order_send(order=order)
        services.order_visa(order=order, person=self.methodist, agree=True)
        if pool:
            order = services.order_create(
                author=self.methodist,
                title="О назначении заместителя руководителя экспериментальной лаборатории",
                preamble="В связи с расширением опытно-экспериментальной работы",
                approvers=[self.deputy],
            )
            deputy = Person.objects.get(pk=pool[0])
            clause = services.clause_add(
                order=order, text=f"Назначить заместителем руководителя лаборатории {deputy.short_name}."
            )
            services.action_add(clause=clause, kind=ActionKind.APPOINT, unit=lab, person=deputy, role=MemberRole.DEPUTY)
            services.order_send(order=order)
            services.order_visa(order=order, person=self.deputy, agree=True)

    def acknowledgements(self) -> None:
        """Everyone has read the orders within days of signing, except the latest two naming the teacher."""
        teacher = self.named["teacher"]
        pending = list(
            Acknowledgement.objects.filter(person=teacher)
            .order_by("-order__signed_at")
            .values_list("pk", flat=True)[:2]
        )
        Acknowledgement.objects.filter(pk__in=pending).update(acknowledged_at=None)
        rows = list(
            Acknowledgement.objects.filter(acknowledged_at__isnull=True)
            .exclude(pk__in=pending)
            .select_related("order")
            .only("pk", "order__signed_at")
        )
        for row in rows:
            row.acknowledged_at = row.order.signed_at + datetime.timedelta(days=1 + row.pk % 3, hours=2 + row.pk % 5)
        Acknowledgement.objects.bulk_update(rows, ["acknowledged_at"], batch_size=BATCH)

    def absences(self) -> None:
        """Absence periods on about 1 % of the staff (the attestation schedule reads them)."""
        rng = self.rng
        women = [p for p in self.people if p.pk not in self.protected and p.patronymic.endswith("на")]
        rows = []
        for person in rng.sample(women, k=min(len(women), max(3, self.scale.staff // 100))):
            start = self.today - datetime.timedelta(days=rng.randint(30, 900))
            kind = rng.choice([AbsenceKind.MATERNITY, AbsenceKind.PARENTAL, AbsenceKind.PREGNANCY])
            length = {AbsenceKind.MATERNITY: 140, AbsenceKind.PARENTAL: 900, AbsenceKind.PREGNANCY: 200}[kind]
            end = start + datetime.timedelta(days=length)
            rows.append(AbsencePeriod(person=person, kind=kind, start=start, end=end if end < self.today else None))
        bulk(AbsencePeriod, rows)

    def write_counters(self) -> None:
        for year, number in self.counters.items():
            OrderCounter.objects.update_or_create(series=OrderSeries.MAIN, year=year, defaults={"last_number": number})

    def fix_created_at(self) -> None:
        """auto_now_add stamped the bulk orders with now: they were drafted three days before signing."""
        rows = list(
            Order.objects.filter(status=OrderStatus.SIGNED, created_at__gt=self.now - datetime.timedelta(hours=1)).only(
                "pk", "signed_at"
            )
        )
        for row in rows:
            row.created_at = row.signed_at - datetime.timedelta(days=3, hours=2)
        Order.objects.bulk_update(rows, ["created_at"], batch_size=BATCH)

    # ------------------------------------------------------------ all of it

    def build(self) -> dict[str, int]:
        with transaction.atomic():
            self.build_people()
            self.plan_units()
            self.plan_timeline()
            self.run_timeline()
            self.write_counters()
            self.proposed_group()
            self.orders_in_progress()
            self.acknowledgements()
            self.absences()
            self.fix_created_at()
        return {
            "staff": Person.objects.filter(is_external=False).count(),
            "users": User.objects.count(),
            "units": Unit.objects.count(),
            "memberships": Membership.objects.count(),
            "memberships_today": Membership.objects.active_on(self.today).count(),
            "orders_signed": Order.objects.filter(status=OrderStatus.SIGNED).count(),
            "orders_signed_by_engine": self.signed_engine,
            "orders_signed_in_bulk": self.signed_bulk,
            "actions": Action.objects.count(),
            "acknowledgements": Acknowledgement.objects.count(),
            "join_requests": JoinRequest.objects.count(),
        }


PLAIN_TITLES = [
    "О проведении недели предметно-цикловых комиссий в {year} учебном году",
    "О проведении конкурса методических разработок в {year} учебном году",
    "О проведении педагогических чтений в {year} учебном году",
    "Об организации наставничества в {year} учебном году",
    "О проведении открытых уроков в {year} учебном году",
    "О проведении конкурса «Преподаватель года» в {year} учебном году",
    "Об участии педагогических работников в региональной научно-практической конференции в {year} учебном году",
]


def _role_genitive(role: str, kind: str) -> str:
    """«председателя», «руководителя», «секретаря»: whom an appointment names."""
    word = role_nominative(role, kind)
    return word[:-1] + "я" if word.endswith("ь") else word


def _appointment(unit: Unit, person: Person, role: str) -> str:
    """The clause of an appointment, worded as the engine words the action («Назначить председателем … Иванову
    Анну Петровну, преподавателя.»), so the order prints it once."""
    return describe_standalone(Action(kind=ActionKind.APPOINT, unit=unit, person=person, role=role))


def _draft_action(clause: Clause, position: int, spec: dict) -> Action:
    """What services.action_add writes, without its dry run after every action: the engine checks the whole order
    once when it is sent (services.order_send) and applies it when it is signed, so a bad action still fails."""
    unit = spec.get("unit")
    if spec["kind"] == ActionKind.CREATE_UNIT and unit is None:
        unit = Unit.objects.create(kind=spec["unit_kind"], name=spec["unit_name"], purpose=spec.get("unit_purpose", ""))
    role = MemberRole.MEMBER if spec["kind"] == ActionKind.INCLUDE else spec.get("role", "")
    return Action.objects.create(
        clause=clause,
        position=position,
        kind=spec["kind"],
        unit=unit,
        person=spec.get("person"),
        role=role,
        new_name=spec.get("new_name", ""),
    )


def _kinds(specs: list[tuple[str, str, Person]]) -> list[tuple[str, str, Person]]:
    """("include"/"exclude", unit key, person) → with the ActionKind values."""
    kinds = {"include": ActionKind.INCLUDE, "exclude": ActionKind.EXCLUDE}
    return [(kinds.get(kind, kind), key, person) for kind, key, person in specs]


class _Rows:
    def __init__(self, rows: list) -> None:
        self.rows = rows

    def all(self) -> list:
        return self.rows


class _PayloadView(SimpleNamespace):
    """An unsaved order with its clauses, actions and visas, as structure.signing.order_payload reads one."""

    def __init__(self, order: Order, clauses: list[Clause], approvals: list[Approval]) -> None:
        fields: dict[str, Any] = {
            name: getattr(order, name)
            for name in (
                "organisation", "series", "year", "number", "date", "title", "preamble", "control_text",
                "signer_name", "signer_position", "signed_at", "executor_name", "executor_contact",
            )
        }  # fmt: skip
        fields["clauses"] = _Rows(
            [
                SimpleNamespace(position=c.position, pk=c.pk, text=c.text, actions=_Rows(c.bench_actions))  # type: ignore[attr-defined]
                for c in clauses
            ]
        )
        fields["approvals"] = _Rows(approvals)
        super().__init__(**fields)


def generate(scale: Scale, rng: random.Random) -> dict[str, int]:
    return StructureBuilder(scale, rng).build()
