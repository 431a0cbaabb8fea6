"""Demo data: a machine-building college's methodological service, built the way users build it.

Every unit and membership comes from a director's order that was drafted, sent and signed through
`structure.services`, on dates in the past (the previous and the current academic year), so the demo shows
the structure's history as well as today's picture. The project's top composes it with the other apps' parts (metodservice/demo.py, `manage.py seed_demo`);
development only.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from . import services
from .demo_data import (
    ACCOUNTS,
    BIRTH_DATES,
    EDUCATION,
    EMAIL_DOMAIN,
    EXTERNAL_ORGANISATION,
    PASSWORD,
    POSITIONS,
    PROFESSIONAL_CYCLE,
    RESEARCHER,
    STAFF,
    USERNAMES,
    phone_of,
)
from .models import (
    AbsenceKind,
    Acknowledgement,
    ActionKind,
    JoinRequest,
    MemberRole,
    Order,
    Person,
    Position,
    Unit,
    UnitKind,
    User,
)
from .selectors import roles_of

_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_LATIN = "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya"
TRANSLIT = dict(zip(_CYRILLIC, _LATIN.split(), strict=True))


def _latin(text: str) -> str:
    return "".join(TRANSLIT.get(char, char) for char in text.lower()).replace("-", "")


def academic_year_start(today: datetime.date) -> int:
    """The calendar year in which the current academic year began (it begins on 1 September)."""
    return today.year if today >= datetime.date(today.year, 9, 1) else today.year - 1


class Builder:
    """Builds the structure part of the demo college; the apps above add theirs to it (planning.demo.build)."""

    def __init__(self, today: datetime.date) -> None:
        # The structure was set up at the start of the previous academic year and changed at the start of this one.
        self.today = today
        self.year = academic_year_start(today) - 1
        self.people: dict[str, Person] = {}
        self.units: dict[str, Unit] = {}
        self.signed: list[Order] = []
        self.password = make_password(PASSWORD)  # one hash for every account: seeding stays fast

    # ------------------------------------------------------------ helpers

    def day(self, month: int, day: int, *, next_year: bool = False) -> datetime.date:
        return datetime.date(self.year + (1 if next_year else 0), month, day)

    def at(self, day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

    @property
    def academic_year(self) -> str:
        return f"{self.year}/{self.year + 1}"

    @property
    def next_academic_year(self) -> str:
        return f"{self.year + 1}/{self.year + 2}"

    def account(self, username: str, person: Person | None = None, **extra) -> User:
        user = User(username=username, password=self.password, **extra)
        if person is not None:
            user.first_name, user.last_name, user.email = person.first_name, person.last_name, person.email
        user.save()
        return user

    # ------------------------------------------------------------ people

    def staff(self) -> None:
        positions = {position.name: position for position in Position.objects.all()}
        new_hire = self.day(8, 28, next_year=True)
        for index, line in enumerate(STAFF.strip().splitlines()):
            key, username, fio, code, hired, ped, edu, details, subjects, degree, awards, since = line.split("|")
            last, first, patronymic = fio.split()
            hire_date = new_hire if hired == "NEW" else datetime.date.fromisoformat(hired)
            ped_since = hire_date if ped == "NEW" else datetime.date(int(ped), 9, 1)
            if hired == "NEW":
                details = f"{details.split(',')[0]}, {hire_date.year},{details.split(',', 1)[1]}"
            person = Person(
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                position=positions[POSITIONS[code]],
                hire_date=hire_date,
                position_since=datetime.date.fromisoformat(since) if since else hire_date,
                pedagogical_since=ped_since,
                education=EDUCATION[edu],
                education_details=details,
                subjects=subjects,
                academic_degree=degree,
                awards=awards,
                email=f"{_latin(last)}.{_latin(first[0])}{_latin(patronymic[0])}@{EMAIL_DOMAIN}",
                phone=phone_of(key, index),
                birth_date=datetime.date.fromisoformat(BIRTH_DATES[key]),
                professional_cycle=key in PROFESSIONAL_CYCLE,
            )
            person.full_clean()
            if username:
                person.user = self.account(username, person)
            person.save()
            self.people[key] = person
        researcher = Person(is_external=True, email=f"karpova.iv@{EMAIL_DOMAIN}", **RESEARCHER)
        researcher.user = self.account("researcher", researcher)
        researcher.save()
        self.people["karpova"] = researcher
        self.account("admin", None, is_staff=True, is_superuser=True, email=f"admin@{EMAIL_DOMAIN}")

    def p(self, key: str) -> Person:
        return self.people[key]

    def position_change(self) -> None:
        """The director moves a master of vocational training to senior master: the person's page shows the change
        of position, old and new, in its history (positions are granted from above, never by oneself)."""
        director = self.p("vorontsov")
        person = services.person_save(
            by=roles_of(director.user),
            person=self.p("volkov"),
            position=Position.objects.get(name=POSITIONS["SM"]),
            position_since=self.day(9, 1, next_year=True),
        )
        self.people["volkov"] = person

    def absences(self) -> None:
        """Absence periods that move the attestation for conformity (attestation/demo.py adds the categories and the
        rest), laid around today so the schedule shows each kind of exemption on any day: a pregnancy that lasts, a
        maternity leave that ends in the coming months, a parental leave that lasts, one ended 300 days ago (exempt
        for 2 years after the return) and a long sick leave ended 170 days ago (exempt for 1 year after)."""
        today, methodist = self.today, self.p("sokolova")

        def ago(days: int) -> datetime.date:
            return today - datetime.timedelta(days=days)

        consultation = "Справка женской консультации"
        maternity = "Приказ о предоставлении отпуска по беременности и родам"
        parental = "Приказ о предоставлении отпуска по уходу за ребёнком"
        periods = [
            ("danilova", AbsenceKind.PREGNANCY, ago(75), None, consultation),
            ("krylova", AbsenceKind.PREGNANCY, ago(250), ago(61), consultation),
            ("krylova", AbsenceKind.MATERNITY, ago(60), ago(-79), maternity),
            ("kirillova", AbsenceKind.MATERNITY, ago(500), ago(361), maternity),
            ("kirillova", AbsenceKind.PARENTAL, ago(360), None, parental),
            ("medvedeva", AbsenceKind.PARENTAL, ago(3 * 365), ago(300), "Вышла на работу досрочно"),
            ("komarov", AbsenceKind.SICK_LEAVE, ago(320), ago(170), "Листки нетрудоспособности, 151 день подряд"),
        ]
        for key, kind, start, end, note in periods:
            services.absence_save(person=self.p(key), kind=kind, start=start, end=end, note=note, by=methodist)

    # ------------------------------------------------------------ orders

    def create(self, kind: str, name: str, purpose: str = "") -> dict:
        return {"kind": ActionKind.CREATE_UNIT, "unit_kind": kind, "unit_name": name, "unit_purpose": purpose}

    def appoint(self, unit: str, person: str, role: str) -> dict:
        return {"kind": ActionKind.APPOINT, "unit": self.units[unit], "person": self.p(person), "role": role}

    def include(self, unit: str, *people: str) -> list[dict]:
        return [{"kind": ActionKind.INCLUDE, "unit": self.units[unit], "person": self.p(key)} for key in people]

    def exclude(self, unit: str, *people: str) -> list[dict]:
        return [{"kind": ActionKind.EXCLUDE, "unit": self.units[unit], "person": self.p(key)} for key in people]

    def draft(
        self,
        *,
        title: str,
        preamble: str,
        clauses: list[tuple[str, list]],
        day: datetime.date | None = None,
        author: str = "lebedeva",
        approvers: tuple[str, ...] = (),
        new_unit: str = "",
    ) -> Order:
        """Draft and send an order. Clause actions may be dicts or callables returning a dict (to refer to a unit
        created by an earlier action of the same order); `new_unit` names the key of the unit the first
        create action makes."""
        order = services.order_create(
            author=self.p(author),
            title=title,
            preamble=preamble,
            approvers=[self.p(key) for key in approvers],
        )
        for text, actions in clauses:
            clause = services.clause_add(order=order, text=text)
            for spec in actions:
                spec = spec() if callable(spec) else spec
                action = services.action_add(clause=clause, day=day, **spec)
                if new_unit and spec["kind"] == ActionKind.CREATE_UNIT:
                    self.units[new_unit] = action.unit
        return services.order_send(order=order, day=day)

    def sign(self, order: Order, at: datetime.datetime) -> Order:
        # Seeded early on 1 September, the morning's orders are signed now, never later than now.
        at = min(at, timezone.now())
        order = services.order_sign(order=order, person=self.p("vorontsov"), at=at)
        # The order was drafted and sent on the days before it was signed.
        Order.objects.filter(pk=order.pk).update(
            created_at=at - datetime.timedelta(days=3, hours=2), sent_at=at - datetime.timedelta(days=1, hours=1)
        )
        self.signed.append(order)
        return order

    def signed_order(self, at: datetime.datetime, **kwargs) -> Order:
        return self.sign(self.draft(day=timezone.localdate(at), **kwargs), at)

    # ------------------------------------------------------------ the structure, order by order

    def service(self) -> None:
        """The methodological service itself: its head is appointed by the director's order (regulation 4.1)."""
        day = self.day(9, 1)
        self.signed_order(
            self.at(day, 8, 45),
            title=f"Об организации методической службы техникума на {self.academic_year} учебный год",
            preamble=(
                "В соответствии с Положением о методической службе техникума, в целях организации и координации "
                "методической работы педагогических работников"
            ),
            new_unit="service",
            clauses=[
                (
                    "Организовать методическую службу техникума и назначить её руководителя:",
                    [
                        self.create(
                            UnitKind.SERVICE,
                            "Методическая служба",
                            "Организация и координация методической работы техникума, реализация единой "
                            "методической темы, повышение профессиональной компетентности педагогических работников.",
                        ),
                        lambda: self.appoint("service", "lebedeva", MemberRole.HEAD),
                    ],
                ),
                (
                    f"Руководителю методической службы Лебедевой И.В. в срок до 15.09.{self.year} представить план "
                    f"работы методической службы на {self.academic_year} учебный год.",
                    [],
                ),
            ],
        )

    def council(self) -> None:
        day = self.day(9, 1)
        self.signed_order(
            self.at(day, 9, 0),
            title=f"О методическом совете техникума на {self.academic_year} учебный год",
            preamble=(
                "В соответствии с Положением о методической службе техникума, в целях координации "
                "методической работы и повышения профессиональной компетентности педагогических работников"
            ),
            new_unit="council",
            clauses=[
                (
                    "Создать методический совет техникума и утвердить его состав:",
                    [
                        self.create(
                            UnitKind.COUNCIL,
                            "Методический совет техникума",
                            "Координация методической работы, экспертиза и утверждение планов, "
                            "отбор и распространение педагогического опыта.",
                        ),
                        lambda: self.appoint("council", "tarasova", MemberRole.HEAD),
                        lambda: self.appoint("council", "belova", MemberRole.SECRETARY),
                        *[
                            lambda key=key: self.include("council", key)[0]
                            for key in ("lebedeva", "sokolova", "orlova", "romanov", "kovalev", "pavlov", "dmitrieva")
                        ],
                    ],
                ),
                (
                    f"Председателю методического совета Тарасовой Л.Н. в срок до 15.09.{self.year} представить план "
                    f"работы методического совета на {self.academic_year} учебный год.",
                    [],
                ),
            ],
        )

    def pedagogical_council(self) -> None:
        """The pedagogical council of the college, chaired by the director: its decisions addressed to the service
        become assignments the service answers (planning/demo.py)."""
        self.signed_order(
            self.at(self.day(9, 1), 8, 30),
            title=f"О составе педагогического совета техникума на {self.academic_year} учебный год",
            preamble="В соответствии с Уставом техникума и Положением о педагогическом совете",
            new_unit="pedagogical_council",
            clauses=[
                (
                    "Утвердить состав педагогического совета техникума:",
                    [
                        self.create(
                            UnitKind.PEDAGOGICAL_COUNCIL,
                            "Педагогический совет техникума",
                            "Рассмотрение вопросов организации образовательного процесса, итогов учебного года, "
                            "решения и поручения методической службе.",
                        ),
                        lambda: self.appoint("pedagogical_council", "vorontsov", MemberRole.HEAD),
                        lambda: self.appoint("pedagogical_council", "nikitina", MemberRole.SECRETARY),
                        *[
                            lambda key=key: self.include("pedagogical_council", key)[0]
                            for key in (
                                "lebedeva",
                                "sokolova",
                                "grishin",
                                "belyaev",
                                "ershova",
                                "tarasova",
                                "orlova",
                                "zaitseva",
                                "mironov",
                                "panova",
                                "romanov",
                            )
                        ],
                    ],
                ),
            ],
        )

    def associations(self) -> None:
        day = self.day(9, 1)
        plan_due = f"10.09.{self.year}"
        specs = [
            (
                "general",
                UnitKind.ASSOCIATION_CYCLE,
                "ПЦК общеобразовательных дисциплин",
                "предметно-цикловую комиссию общеобразовательных дисциплин",
                "Формирование функциональной грамотности студентов на общеобразовательных дисциплинах "
                "с учётом профессиональной направленности.",
                "orlova",
                "danilova",
                "zaitseva mironov fedorova kiselev tikhonov panova krylova gusev smirnova abramova",
            ),
            (
                "general_prof",
                UnitKind.ASSOCIATION_CYCLE,
                "ПЦК общепрофессиональных дисциплин",
                "предметно-цикловую комиссию общепрофессиональных дисциплин",
                "Межпредметные связи общепрофессиональных дисциплин и профессиональных модулей.",
                "romanov",
                "vinogradova",
                "tarasova belova zhukov polyakova komarov stepanova medvedeva kirillova",
            ),
            (
                "machining",
                UnitKind.ASSOCIATION_CYCLE,
                "ПЦК профессионального цикла «Технология машиностроения»",
                "предметно-цикловую комиссию профессионального цикла «Технология машиностроения»",
                "Подготовка техников-технологов к работе на оборудовании с ЧПУ и в цифровом производстве.",
                "kovalev",
                "ilyina",
                "antonova sorokin makarov borisov volkov vlasov chernova efimov",
            ),
            (
                "welding",
                UnitKind.ASSOCIATION_CYCLE,
                "ПЦК профессионального цикла «Сварочное производство»",
                "предметно-цикловую комиссию профессионального цикла «Сварочное производство»",
                "Подготовка к демонстрационному экзамену и чемпионатному движению по компетенции «Сварочные технологии».",
                "pavlov",
                "frolov",
                "zakharova petrov sidorov gavrilova mikhailov novikova ryabov",
            ),
            (
                "curators",
                UnitKind.ASSOCIATION_EDUCATIONAL,
                "МО классных руководителей и воспитателей",
                "методическое объединение классных руководителей и воспитателей",
                "Воспитательная работа в учебных группах и общежитии, профилактика, адаптация первокурсников.",
                "dmitrieva",
                "kudryavtseva",
                "baranova lapin lukina solovyev osipova shestakova timofeeva shcherbakova fedorova zhukov gavrilova zaitseva",
            ),
        ]
        for index, (key, kind, name, accusative, purpose, head, secretary, members) in enumerate(specs):
            genitive = accusative.replace("предметно-цикловую комиссию", "предметно-цикловой комиссии").replace(
                "методическое объединение", "методического объединения"
            )
            self.signed_order(
                self.at(day, 9, 10 + index),
                title=f"О создании {genitive}",
                preamble=(
                    "В соответствии с Положением о методической службе техникума, в целях организации "
                    f"методической работы педагогических работников на {self.academic_year} учебный год"
                ),
                new_unit=key,
                clauses=[
                    (
                        f"Создать {accusative} и утвердить её состав:"
                        if kind == UnitKind.ASSOCIATION_CYCLE
                        else f"Создать {accusative} и утвердить его состав:",
                        [
                            self.create(kind, name, purpose),
                            lambda key=key, head=head: self.appoint(key, head, MemberRole.HEAD),
                            lambda key=key, secretary=secretary: self.appoint(key, secretary, MemberRole.SECRETARY),
                            *[
                                lambda key=key, member=member: self.include(key, member)[0]
                                for member in members.split()
                            ],
                        ],
                    ),
                    (
                        f"{'Председателю комиссии' if kind == UnitKind.ASSOCIATION_CYCLE else 'Руководителю объединения'}"
                        f" в срок до {plan_due} представить план работы на {self.academic_year} учебный год "
                        "на рассмотрение методическому совету.",
                        [],
                    ),
                ],
            )

    def commission(self) -> None:
        day = self.day(9, 1)
        self.signed_order(
            self.at(day, 9, 30),
            title=f"О создании аттестационной комиссии техникума на {self.academic_year} учебный год",
            preamble=(
                "В соответствии с Порядком проведения аттестации педагогических работников организаций, "
                "осуществляющих образовательную деятельность, утверждённым приказом Минпросвещения России "
                "от 24.03.2023 № 196, в целях проведения аттестации на соответствие занимаемой должности"
            ),
            new_unit="commission",
            clauses=[
                (
                    "Создать аттестационную комиссию техникума в следующем составе:",
                    [
                        self.create(
                            UnitKind.ATTESTATION_COMMISSION,
                            "Аттестационная комиссия техникума",
                            "Аттестация педагогических работников на соответствие занимаемой должности.",
                        ),
                        lambda: self.appoint("commission", "lebedeva", MemberRole.HEAD),
                        lambda: self.appoint("commission", "sokolova", MemberRole.SECRETARY),
                        *[
                            lambda key=key: self.include("commission", key)[0]
                            for key in ("tarasova", "orlova", "romanov", "pavlov", "dmitrieva")
                        ],
                    ],
                ),
                (
                    f"Методисту Соколовой Е.А. в срок до 20.09.{self.year} подготовить график аттестации "
                    f"педагогических работников на {self.academic_year} учебный год.",
                    [],
                ),
            ],
        )

    def proposed_group(self) -> None:
        """A creative group that goes the voluntary way: proposed, joined on request, registered by order."""
        lead = self.p("zakharova")
        unit = services.group_propose(
            person=lead,
            name="Функциональная грамотность в профессиональном контексте",
            purpose=(
                "Первокурсники плохо переносят знания общеобразовательных дисциплин на задачи будущей профессии: "
                "нужны межпредметные задания на материале сварочного производства и машиностроения."
            ),
            goal=(
                "Разработать и апробировать на первом курсе банк практико-ориентированных заданий по математике, "
                "физике, информатике и истории для специальностей техникума."
            ),
        )
        self.units["literacy"] = unit
        proposed_at = self.at(self.day(9, 22), 14, 0)
        requests = {
            key: services.group_join_request(unit=unit, person=self.p(key), message=message)
            for key, message in [
                ("mironov", "Хочу сделать кейсы по истории отечественной промышленности для сварщиков."),
                ("zaitseva", "Готова взять задания по математике: расчёты расхода материалов и допусков."),
                ("petrov", "Могу дать реальные производственные ситуации из мастерской."),
                ("krylova", "Возьму цифровую часть: онлайн-тренажёры и автоматическую проверку."),
                ("danilova", "Интересно, но в этом году у меня большая нагрузка."),
            ]
        }
        for key, request in requests.items():
            services.join_request_decide(request=request, by=lead, accept=key != "danilova")
        JoinRequest.objects.filter(unit=unit).update(
            created_at=proposed_at + datetime.timedelta(days=2), decided_at=proposed_at + datetime.timedelta(days=5)
        )
        order = services.group_registration_order(unit=unit, author=self.p("lebedeva"))
        sign_at = self.at(self.day(10, 15), 11, 0)
        services.order_send(order=order, day=timezone.localdate(sign_at))
        self.sign(order, sign_at)
        # After registration another teacher asks to join; the leader has not decided yet.
        services.group_join_request(
            unit=unit, person=self.p("panova"), message="Подготовлю задания по физике для машиностроителей."
        )

    def ordered_group(self) -> None:
        self.signed_order(
            self.at(self.day(11, 10), 10, 0),
            title="О создании творческой группы «Бережливые технологии в учебных мастерских»",
            preamble=(
                "В соответствии с Положением о методической службе техникума, по представлению заместителя "
                "директора по учебно-производственной работе, в целях внедрения инструментов бережливого "
                "производства в учебную практику"
            ),
            author="sokolova",
            new_unit="lean",
            clauses=[
                (
                    "Создать творческую группу «Бережливые технологии в учебных мастерских» в следующем составе:",
                    [
                        self.create(
                            UnitKind.CREATIVE_GROUP,
                            "Бережливые технологии в учебных мастерских",
                            "Потери времени и материалов на учебной практике; студенты не знакомы с инструментами "
                            "бережливого производства, которых ждут работодатели.",
                        ),
                        lambda: self.appoint("lean", "vlasov", MemberRole.HEAD),
                        *[
                            lambda key=key: self.include("lean", key)[0]
                            for key in ("borisov", "volkov", "sidorov", "ryabov")
                        ],
                    ],
                ),
                (
                    f"Руководителю творческой группы Власову С.П. в срок до 01.12.{self.year} представить план "
                    "работы группы на рассмотрение методическому совету.",
                    [],
                ),
            ],
        )
        Unit.objects.filter(pk=self.units["lean"].pk).update(
            goal="Внедрить систему 5С и стандартизированную работу в токарной и сварочной мастерских."
        )

    def ordered_group_requests(self) -> None:
        """Colleagues ask to join the group the director created by order: its head (not a proposer: there is
        none) decides. One request was accepted, which drafted the order including the member for the deputy to
        send; another waits for the head."""
        unit = self.units["lean"]
        head = self.p("vlasov")
        accepted = services.group_join_request(
            unit=unit,
            person=self.p("frolov"),
            message="Веду сварочную практику: готов внедрять 5С в сварочной мастерской.",
        )
        services.join_request_decide(request=accepted, by=head, accept=True)
        services.group_join_request(
            unit=unit,
            person=self.p("mikhailov"),
            message="Хочу опробовать стандартизированную работу на учебной практике своей группы.",
        )

    def lab(self) -> None:
        name = "Экспериментальная лаборатория «Цифровой двойник учебно-производственного участка»"
        self.signed_order(
            self.at(self.day(1, 15, next_year=True), 10, 0),
            title="О создании экспериментальной лаборатории «Цифровой двойник учебно-производственного участка»",
            preamble=(
                "В соответствии с решением методического совета техникума, в целях опытно-экспериментальной "
                "проверки применения цифровых двойников в профессиональном обучении"
            ),
            new_unit="lab",
            clauses=[
                (
                    "Создать экспериментальную лабораторию в следующем составе:",
                    [
                        self.create(
                            UnitKind.LAB,
                            name,
                            "Сокращает ли работа с цифровым двойником участка механообработки время освоения ПМ.01 "
                            "и число ошибок при первой самостоятельной наладке станка с ЧПУ?",
                        ),
                        lambda: self.appoint("lab", "antonova", MemberRole.HEAD),
                        *[
                            lambda key=key: self.include("lab", key)[0]
                            for key in ("ilyina", "makarov", "efimov", "krylova")
                        ],
                    ],
                ),
                (
                    f"Руководителю лаборатории Антоновой В.К. в срок до 01.02.{self.year + 1} представить программу "
                    "эксперимента с этапами и показателями результативности.",
                    [],
                ),
            ],
        )
        Unit.objects.filter(pk=self.units["lab"].pk).update(
            goal="Разработать и апробировать цифровой двойник участка механообработки и методику работы с ним.",
            organisation_note=f"Научный консультант — {EXTERNAL_ORGANISATION}",
        )
        self.signed_order(
            self.at(self.day(2, 2, next_year=True), 10, 0),
            title="О привлечении научного консультанта экспериментальной лаборатории",
            preamble=(
                f"На основании договора о сетевом взаимодействии с {EXTERNAL_ORGANISATION}, в целях научного "
                "сопровождения опытно-экспериментальной работы"
            ),
            clauses=[
                (
                    f"Включить в состав экспериментальной лаборатории научного консультанта — доцента кафедры "
                    f"профессиональной педагогики {EXTERNAL_ORGANISATION} Карпову И.В.",
                    self.include("lab", "karpova"),
                )
            ],
        )

    def new_year_changes(self) -> None:
        day = self.day(9, 1, next_year=True)
        year = self.next_academic_year
        self.signed_order(
            self.at(day, 9, 0),
            title=f"О внесении изменений в состав ПЦК общеобразовательных дисциплин на {year} учебный год",
            preamble="В связи с приёмом на работу новых преподавателей",
            clauses=[
                (
                    "Включить в состав предметно-цикловой комиссии общеобразовательных дисциплин:",
                    self.include("general", "vorobyeva", "nazarov"),
                ),
                (
                    "Назначить наставником молодого специалиста Воробьёвой А.С. преподавателя Абрамову Г.Н.",
                    [],
                ),
            ],
        )
        self.signed_order(
            self.at(day, 9, 10),
            title=f"О внесении изменений в состав МО классных руководителей и воспитателей на {year} учебный год",
            preamble="В связи с распределением классного руководства в учебных группах на новый учебный год",
            clauses=[
                ("Исключить из состава методического объединения:", self.exclude("curators", "zhukov")),
                (
                    "Включить в состав методического объединения классного руководителя группы ТМ-25:",
                    self.include("curators", "mironov"),
                ),
            ],
        )
        self.signed_order(
            self.at(day, 9, 20),
            title=f"Об изменении состава аттестационной комиссии на {year} учебный год",
            preamble="В связи с подготовкой к аттестации педагогических работников в новом учебном году",
            clauses=[
                ("Исключить из состава аттестационной комиссии:", self.exclude("commission", "romanov")),
                ("Включить в состав аттестационной комиссии:", self.include("commission", "kovalev")),
            ],
        )

    def orders_in_progress(self) -> None:
        # On approval: the methodist has agreed, the council chair's visa is pending.
        order = self.draft(
            title="О внесении изменений в состав методического совета",
            preamble="В целях включения в работу методического совета руководителя экспериментальной лаборатории",
            approvers=("sokolova", "tarasova"),
            clauses=[
                ("Включить в состав методического совета техникума:", self.include("council", "antonova")),
            ],
        )
        services.order_visa(order=order, person=self.p("sokolova"), agree=True)
        # On signing: agreed by the deputy, waiting for the director.
        order = self.draft(
            title="О назначении заместителя руководителя экспериментальной лаборатории",
            preamble="В связи с расширением опытно-экспериментальной работы на втором этапе эксперимента",
            author="sokolova",
            approvers=("lebedeva",),
            clauses=[
                (
                    "Назначить заместителем руководителя экспериментальной лаборатории преподавателя Ильину Д.С.",
                    [self.appoint("lab", "ilyina", MemberRole.DEPUTY)],
                ),
            ],
        )
        services.order_visa(order=order, person=self.p("lebedeva"), agree=True)

    def acknowledgements(self) -> None:
        """Everyone has read the orders within a few days, except the teacher, who has not yet read the latest two
        orders naming them."""
        teacher = self.p("mironov")
        pending = list(
            Acknowledgement.objects.filter(person=teacher).order_by("-order__signed_at").values_list("pk", flat=True)
        )[:2]
        for index, order in enumerate(self.signed):
            lag = datetime.timedelta(days=1 + index % 3, hours=2 + index % 5)
            Acknowledgement.objects.filter(order=order).exclude(pk__in=pending).update(
                acknowledged_at=order.signed_at + lag
            )

    def build(self) -> None:
        self.staff()
        self.service()
        self.council()
        self.pedagogical_council()
        self.associations()
        self.commission()
        self.proposed_group()
        self.ordered_group()
        self.lab()
        self.new_year_changes()
        self.position_change()
        self.absences()
        self.orders_in_progress()
        self.ordered_group_requests()
        self.acknowledgements()


def account_rows() -> list[tuple[str, str, str]]:
    """(username, full name, the part the account plays) for every demo account."""
    people = {p.user.username: p for p in Person.objects.filter(user__username__in=USERNAMES).select_related("user")}
    return [
        (username, people[username].full_name if username in people else "—", str(text)) for username, text in ACCOUNTS
    ]
