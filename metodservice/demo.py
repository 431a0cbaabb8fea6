"""Demo data: a machine-building college's methodological service, built the way users build it.

Every unit and membership comes from a director's order that was drafted, sent and signed through
`structure.services`, on dates in the past (the previous and the current academic year), so the demo shows
the structure's history as well as today's picture. Used by `manage.py seed_demo`; development only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from structure import services
from structure.models import (
    Acknowledgement,
    ActionKind,
    Education,
    JoinRequest,
    MemberRole,
    Order,
    OrderStatus,
    Person,
    Position,
    Unit,
    UnitKind,
    User,
)
from structure.selectors import roles_of

from . import demo_planning

PASSWORD = "demo"
EMAIL_DOMAIN = "college.example"
EXTERNAL_ORGANISATION = "ФГБОУ ВО «Педагогический университет»"

#: Demo accounts in the order they are listed, with what each shows.
ACCOUNTS: list[tuple[str, str]] = [
    ("director", "director: signs or returns orders; one order waits for signature"),
    ("deputy", "deputy director for methodical work: drafts orders; heads the attestation commission"),
    ("methodist", "methodist: runs the cabinet; secretary of the attestation commission"),
    ("chair", "chair of the methodological council; a visa on an order is pending"),
    ("secretary", "secretary of the methodological council"),
    ("mo_head", "head of «ПЦК общеобразовательных дисциплин»"),
    ("group_lead", "leader of a creative group; a join request is waiting"),
    ("lab_head", "head of the experimental lab"),
    ("teacher", "teacher; orders wait for acknowledgement"),
    ("researcher", "external researcher of the lab (sees the lab only)"),
    ("admin", "superuser: accounts and reference data, no business approvals"),
]
USERNAMES = [username for username, _description in ACCOUNTS]

POSITIONS = {
    "DIR": "Директор",
    "DEP": "Заместитель директора по учебно-методической работе",
    "ZUR": "Заместитель директора по учебной работе",
    "ZUVR": "Заместитель директора по учебно-воспитательной работе",
    "ZUPR": "Заместитель директора по учебно-производственной работе",
    "ZO": "Заведующий отделением",
    "MET": "Методист",
    "T": "Преподаватель",
    "M": "Мастер производственного обучения",
    "SM": "Старший мастер",
    "OBZR": "Преподаватель-организатор основ безопасности и защиты Родины",
    "RFV": "Руководитель физического воспитания",
    "PO": "Педагог-организатор",
    "PDO": "Педагог дополнительного образования",
    "SP": "Социальный педагог",
    "PP": "Педагог-психолог",
    "V": "Воспитатель",
    "TUT": "Тьютор",
    "SOV": "Советник директора по воспитанию и взаимодействию с детскими общественными объединениями",
    "PB": "Педагог-библиотекарь",
}

EDUCATION = {
    "H": Education.HIGHER,
    "HP": Education.HIGHER_PED,
    "SV": Education.SECONDARY_VOC,
    "SVP": Education.SECONDARY_VOC_PED,
}

PED_UNI = "Государственный педагогический университет"
TECH_UNI = "Государственный технический университет"
RETRAINING = "профессиональная переподготовка «Педагогика профессионального образования»"

# key | account | Фамилия Имя Отчество | position | hired | pedagogical service since (year) | education |
# education details | subjects | academic degree | awards | in the position since (blank: since hiring)
# "NEW" in the hired column: hired at the end of August before the current academic year.
STAFF = f"""
vorontsov|director|Воронцов Сергей Николаевич|DIR|2009-08-25|1998|H|{TECH_UNI}, 1997, «Технология машиностроения», инженер; профессиональная переподготовка «Менеджмент в образовании», 2013||кандидат технических наук|Почётный работник сферы образования Российской Федерации|2014-06-02
lebedeva|deputy|Лебедева Ирина Викторовна|DEP|2006-08-28|2001|HP|{PED_UNI}, 2001, «Математика», учитель математики и информатики|Математика||Почётная грамота Министерства просвещения Российской Федерации|2017-09-01
sokolova|methodist|Соколова Елена Андреевна|MET|2015-08-31|2008|HP|{PED_UNI}, 2008, «Педагогика и психология»; профессиональная переподготовка «Методическое сопровождение образовательного процесса», 2016||||2019-09-02
grishin||Гришин Андрей Валерьевич|ZUR|2011-08-29|2005|H|{TECH_UNI}, 2004, «Автоматизация технологических процессов», инженер; {RETRAINING}, 2012|Автоматизация производства||Почётная грамота министерства образования области|2019-01-14
nikitina||Никитина Ольга Сергеевна|ZUVR|2013-08-26|2007|HP|{PED_UNI}, 2007, «Социальная педагогика»|Обществознание|||2020-09-01
belyaev||Беляев Дмитрий Игоревич|ZUPR|2016-03-01|2016|H|{TECH_UNI}, 2002, «Машины и технология обработки металлов давлением», инженер; {RETRAINING}, 2016||||2021-09-01
ershova||Ершова Наталья Михайловна|ZO|2010-08-30|2003|H|Государственный экономический университет, 2003, «Экономика и управление на предприятии»; {RETRAINING}, 2011|Экономика организации|||2018-09-03
orlova|mo_head|Орлова Марина Геннадьевна|T|2005-08-29|1999|HP|{PED_UNI}, 1999, «Филология», учитель русского языка и литературы|Русский язык; Литература||Почётный работник сферы образования Российской Федерации|
zaitseva||Зайцева Анна Владимировна|T|2012-08-27|2010|HP|{PED_UNI}, 2010, «Математика», учитель математики|Математика|||
mironov|teacher|Миронов Павел Андреевич|T|2019-08-26|2017|HP|{PED_UNI}, 2017, «История», учитель истории и обществознания|История России; Обществознание|||
fedorova||Фёдорова Светлана Игоревна|T|2008-08-25|2003|HP|{PED_UNI}, 2003, «Иностранный язык (английский, немецкий)»|Иностранный язык (английский)|||
danilova||Данилова Юлия Олеговна|T|2021-08-30|2021|H|Государственный лингвистический университет, 2020, «Лингвистика»; профессиональная переподготовка «Педагогическое образование», 2021|Иностранный язык (английский); Иностранный язык в профессиональной деятельности|||
kiselev||Киселёв Роман Викторович|RFV|2010-08-30|2006|HP|Государственный университет физической культуры, 2006, «Физическая культура и спорт»|Физическая культура||Мастер спорта России|2016-09-01
tikhonov||Тихонов Игорь Семёнович|T|2017-09-01|2015|SVP|Колледж олимпийского резерва, 2014, «Физическая культура», педагог по физической культуре и спорту|Физическая культура|||
panova||Панова Людмила Васильевна|T|1996-08-26|1988|HP|Педагогический институт, 1988, «Физика и математика», учитель физики и математики|Физика; Астрономия||Почётный работник среднего профессионального образования Российской Федерации|
krylova||Крылова Ксения Дмитриевна|T|2020-08-31|2018|HP|{PED_UNI}, 2018, «Информатика», учитель информатики|Информатика; Информационные технологии|||
gusev||Гусев Виктор Алексеевич|OBZR|2014-09-01|2014|H|Военный университет, 1995; профессиональная переподготовка «Педагогика и методика преподавания ОБЗР», 2014|Основы безопасности и защиты Родины|||
smirnova||Смирнова Валентина Петровна|T|2002-08-26|1992|HP|Педагогический институт, 1992, «Химия и биология», учитель химии и биологии|Химия; Биология|||
abramova||Абрамова Галина Николаевна|T|1993-08-30|1985|HP|Педагогический институт, 1985, «Математика», учитель математики|Математика; Индивидуальный проект||Почётная грамота Министерства образования и науки Российской Федерации|
vorobyeva||Воробьёва Алина Сергеевна|T|NEW|NEW|HP|{PED_UNI}, «Педагогическое образование (математика и информатика)»|Математика|||
nazarov||Назаров Тимур Ринатович|T|NEW|NEW|H|{TECH_UNI}, «Прикладная информатика»; {RETRAINING}|Информатика|||
romanov||Романов Евгений Борисович|T|2004-08-30|1996|H|{TECH_UNI}, 1995, «Технология машиностроения», инженер; {RETRAINING}, 2004|Техническая механика; Детали машин|||
tarasova|chair|Тарасова Людмила Николаевна|T|2001-08-27|1995|HP|{PED_UNI}, 1995, «Профессиональное обучение (машиностроение)», инженер-педагог|Инженерная графика|кандидат педагогических наук|Почётный работник сферы образования Российской Федерации|
belova|secretary|Белова Ольга Александровна|T|2014-08-25|2011|H|Государственный экономический университет, 2010, «Экономика и управление на предприятии»; {RETRAINING}, 2014|Экономика организации; Менеджмент|||
zhukov||Жуков Константин Юрьевич|T|2011-08-29|2009|H|{TECH_UNI}, 2008, «Электроснабжение», инженер; {RETRAINING}, 2011|Электротехника и электроника|||
polyakova||Полякова Татьяна Евгеньевна|T|2007-08-27|2000|H|{TECH_UNI}, 1999, «Материаловедение и технология новых материалов», инженер|Материаловедение|||
komarov||Комаров Николай Иванович|T|1999-08-30|1990|H|{TECH_UNI}, 1989, «Приборостроение», инженер|Метрология, стандартизация и сертификация|||
vinogradova||Виноградова Елена Сергеевна|T|2016-08-29|2013|HP|{PED_UNI}, 2013, «Информатика и экономика»|Информационные технологии в профессиональной деятельности|||
stepanova||Степанова Марина Александровна|T|2009-08-31|2004|H|{TECH_UNI}, 2003, «Безопасность технологических процессов и производств»; {RETRAINING}, 2009|Охрана труда; Безопасность жизнедеятельности|||
medvedeva||Медведева Инна Анатольевна|T|2018-09-03|2012|H|Юридический институт, 2010, «Юриспруденция»; {RETRAINING}, 2012|Правовое обеспечение профессиональной деятельности|||
kirillova||Кириллова Маргарита Олеговна|T|2022-08-29|2022|HP|{PED_UNI}, 2022, «Профессиональное обучение (машиностроение и материалообработка)»|Инженерная графика; Компьютерная графика|||
kovalev||Ковалёв Михаил Юрьевич|T|2003-08-25|1997|H|{TECH_UNI}, 1996, «Технология машиностроения», инженер; {RETRAINING}, 2003|Технология машиностроения; ПМ.01 Разработка технологических процессов изготовления деталей машин|||
antonova|lab_head|Антонова Вера Константиновна|T|2010-08-30|2006|H|{TECH_UNI}, 2005, «Автоматизация технологических процессов и производств», инженер; {RETRAINING}, 2010|Программирование для автоматизированного оборудования; САПР технологических процессов|кандидат технических наук||
sorokin||Сорокин Алексей Геннадьевич|T|2012-08-27|2008|H|{TECH_UNI}, 2007, «Металлообрабатывающие станки и комплексы», инженер|Процессы формообразования и инструменты|||
makarov||Макаров Олег Викторович|T|2015-08-31|2015|H|{TECH_UNI}, 2002, «Конструкторско-технологическое обеспечение машиностроительных производств»; {RETRAINING}, 2015|Технологическое оборудование; Программирование станков с ЧПУ|||
borisov||Борисов Вадим Николаевич|M|2013-09-02|2013|SV|Машиностроительный техникум, 1998, «Технология машиностроения», техник; профессиональная переподготовка «Мастер производственного обучения», 2014|Учебная практика (токарная обработка)|||
volkov||Волков Игорь Александрович|M|2017-08-28|2017|SV|Машиностроительный техникум, 2005, «Обработка металлов резанием», техник; профессиональная переподготовка «Мастер производственного обучения», 2017|Учебная практика (фрезерная обработка)|||
ilyina||Ильина Дарья Сергеевна|T|2019-08-26|2019|H|{TECH_UNI}, 2019, «Машиностроение», бакалавр; {RETRAINING}, 2020|Компьютерная графика; Аддитивные технологии|||
vlasov||Власов Станислав Петрович|SM|2000-08-28|1994|SV|Машиностроительный техникум, 1990, «Технология машиностроения», техник; профессиональная переподготовка «Мастер производственного обучения», 1995|Учебная и производственная практика||Почётная грамота министерства образования области|2012-09-03
chernova||Чернова Алла Викторовна|T|2008-08-25|2005|H|Государственный экономический университет, 2004, «Экономика и управление на предприятии машиностроения»|ПМ.02 Участие в организации производственной деятельности структурного подразделения|||
efimov||Ефимов Леонид Сергеевич|T|2021-08-30|2021|H|{TECH_UNI}, 2020, «Гидравлические машины, гидроприводы и гидропневмоавтоматика», инженер; {RETRAINING}, 2021|Гидравлические и пневматические системы|||
pavlov||Павлов Юрий Анатольевич|T|2002-08-26|1994|H|{TECH_UNI}, 1993, «Оборудование и технология сварочного производства», инженер|Технология сварочных работ; ПМ.01 Подготовка и осуществление технологических процессов изготовления сварных конструкций|||
zakharova|group_lead|Захарова Наталья Валерьевна|T|2011-08-29|2007|H|{TECH_UNI}, 2006, «Оборудование и технология сварочного производства», инженер; {RETRAINING}, 2011|Основы расчёта и проектирования сварных конструкций|||
petrov||Петров Андрей Сергеевич|M|2016-08-29|2016|SV|Политехнический колледж, 2003, «Сварочное производство», техник; профессиональная переподготовка «Мастер производственного обучения», 2016|Учебная практика (ручная дуговая сварка)|||
sidorov||Сидоров Владимир Николаевич|M|2005-09-01|2005|SV|Политехнический колледж, 1996, «Сварочное производство», техник|Учебная практика (сварка в защитных газах)|||
frolov||Фролов Денис Олегович|T|2018-08-27|2018|H|{TECH_UNI}, 2017, «Машиностроение (сварочное производство)», бакалавр; {RETRAINING}, 2018|Контроль качества сварных соединений|||
gavrilova||Гаврилова Оксана Ивановна|T|2006-08-28|2002|H|{TECH_UNI}, 2001, «Оборудование и технология сварочного производства», инженер|Технология сварочного производства; ПМ.02 Разработка технологических процессов и проектирование изделий|||
mikhailov||Михайлов Артём Викторович|M|2020-09-01|2020|SV|Политехнический колледж, 2012, «Сварочное производство», техник; профессиональная переподготовка «Мастер производственного обучения», 2020|Учебная практика (газовая сварка и резка)|||
novikova||Новикова Екатерина Павловна|T|2015-08-31|2012|H|Государственный экономический университет, 2011, «Экономика»; {RETRAINING}, 2013|Экономика отрасли; ПМ.03 Организация и планирование сварочного производства|||
ryabov||Рябов Константин Олегович|M|2023-08-28|2023|SV|Политехнический колледж, 2019, «Сварочное производство», техник; эксперт чемпионата «Профессионалы»|Учебная практика (сварка неплавящимся электродом)|||
dmitrieva||Дмитриева Лариса Алексеевна|PO|2007-09-03|2001|HP|{PED_UNI}, 2001, «Педагогика и методика воспитательной работы»||||
baranova||Баранова Ирина Юрьевна|PP|2014-09-01|2010|HP|{PED_UNI}, 2010, «Психология», педагог-психолог||||
kudryavtseva||Кудрявцева Оксана Николаевна|SP|2012-09-03|2009|HP|{PED_UNI}, 2009, «Социальная педагогика», социальный педагог||||
lapin||Лапин Сергей Викторович|V|2018-09-03|2018|SVP|Педагогический колледж, 2016, «Физическая культура»||||
lukina||Лукина Надежда Петровна|V|1998-09-01|1990|SVP|Педагогическое училище, 1990, «Преподавание в начальных классах»||||
solovyev||Соловьёв Максим Андреевич|SOV|2023-09-01|2021|HP|{PED_UNI}, 2021, «Педагогическое образование (история)»||||
osipova||Осипова Елизавета Игоревна|PDO|2019-09-02|2016|HP|{PED_UNI}, 2016, «Музыкальное образование»|Вокальная студия|||
shestakova||Шестакова Вера Андреевна|PB|2000-09-04|1995|H|Государственный институт культуры, 1994, «Библиотековедение и библиография»; {RETRAINING}, 2021||||
timofeeva||Тимофеева Анастасия Романовна|TUT|2022-09-01|2022|HP|{PED_UNI}, 2022, «Специальное (дефектологическое) образование»|Сопровождение студентов с ОВЗ|||
shcherbakova||Щербакова Алёна Викторовна|PDO|2020-09-01|2014|HP|{PED_UNI}, 2014, «Технология и предпринимательство»|Техническое творчество; 3D-моделирование|||
"""

RESEARCHER = {
    "last_name": "Карпова",
    "first_name": "Ирина",
    "patronymic": "Владимировна",
    "academic_degree": "кандидат педагогических наук, доцент",
    "education": Education.HIGHER_PED,
    "education_details": f"{PED_UNI}, 1996, «Педагогика»; аспирантура, 2001",
    "organisation": EXTERNAL_ORGANISATION,
}

_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_LATIN = "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya"
TRANSLIT = dict(zip(_CYRILLIC, _LATIN.split(), strict=True))


def _latin(text: str) -> str:
    return "".join(TRANSLIT.get(char, char) for char in text.lower()).replace("-", "")


def academic_year_start(today: datetime.date) -> int:
    """The calendar year in which the current academic year began (it begins on 1 September)."""
    return today.year if today >= datetime.date(today.year, 9, 1) else today.year - 1


@dataclass
class Result:
    created: bool
    staff: int = 0
    units: int = 0
    signed_orders: int = 0
    orders_in_progress: int = 0
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


class _Builder:
    def __init__(self, today: datetime.date) -> None:
        # The structure was set up at the start of the previous academic year and changed at the start of this one.
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
        for line in STAFF.strip().splitlines():
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
            services.join_request_decide(request=request, accept=key != "danilova")
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
        self.council()
        self.associations()
        self.commission()
        self.proposed_group()
        self.ordered_group()
        self.lab()
        self.new_year_changes()
        self.position_change()
        self.orders_in_progress()
        self.acknowledgements()
        demo_planning.build(self)


def account_rows() -> list[tuple[str, str, str]]:
    """(username, full name, what the account shows) for every demo account."""
    people = {p.user.username: p for p in Person.objects.filter(user__username__in=USERNAMES).select_related("user")}
    return [(username, people[username].full_name if username in people else "—", text) for username, text in ACCOUNTS]


class SeedRefused(Exception):
    """The database is not empty and does not hold the demo college either."""


def is_seeded() -> bool:
    return User.objects.filter(username="director", person__isnull=False).exists()


def seed(today: datetime.date | None = None) -> Result:
    """Build the demo college in an empty database; do nothing if it is already there."""
    if is_seeded():
        return Result(created=False, accounts=account_rows())
    taken = sorted(User.objects.filter(username__in=USERNAMES).values_list("username", flat=True))
    if taken:
        raise SeedRefused(f"accounts {', '.join(taken)} already exist but the demo college does not")
    if Unit.objects.exists() or Order.objects.exists():
        raise SeedRefused("the database already holds units or orders; the demo fills an empty database only")
    with transaction.atomic():
        builder = _Builder(today or timezone.localdate())
        builder.build()
    return Result(
        created=True,
        staff=Person.objects.staff().count(),
        units=Unit.objects.filter(created_on__isnull=False).count(),
        signed_orders=Order.objects.filter(status=OrderStatus.SIGNED).count(),
        orders_in_progress=Order.objects.filter(status__in=[OrderStatus.ON_APPROVAL, OrderStatus.ON_SIGNING]).count(),
        accounts=account_rows(),
    )
