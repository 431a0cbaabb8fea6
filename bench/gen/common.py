"""What the generator's stages share: the academic year of a day, aware moments, workdays, bulk inserts and Russian
names."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

#: Rows per INSERT: large enough to be fast on PostgreSQL, small enough for SQLite's variable limit (Django splits
#: further when the backend needs it).
BATCH = 2_000


def academic_year_start(day: datetime.date) -> int:
    """The calendar year in which the academic year containing `day` began (it begins on 1 September)."""
    return day.year if day >= datetime.date(day.year, 9, 1) else day.year - 1


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """`day` at hh:mm in the college's time zone, aware."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def bulk(model: type[models.Model], rows: Sequence[models.Model], batch_size: int = BATCH) -> list:
    """bulk_create in batches; the rows get their primary keys (PostgreSQL and SQLite both return them)."""
    if not rows:
        return []
    return model._default_manager.bulk_create(rows, batch_size=batch_size)


def chunks(items: Sequence, size: int) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def workday(day: datetime.date) -> datetime.date:
    """`day`, or the Monday after it when it falls on a weekend."""
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def workday_before(day: datetime.date) -> datetime.date:
    """`day`, or the Friday before it when it falls on a weekend."""
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


# ---------------------------------------------------------------- Russian names

#: Men's first names with the patronymics they give (masculine, feminine).
MALE_NAMES: list[tuple[str, str, str]] = [
    ("Александр", "Александрович", "Александровна"),
    ("Алексей", "Алексеевич", "Алексеевна"),
    ("Анатолий", "Анатольевич", "Анатольевна"),
    ("Андрей", "Андреевич", "Андреевна"),
    ("Антон", "Антонович", "Антоновна"),
    ("Аркадий", "Аркадьевич", "Аркадьевна"),
    ("Артём", "Артёмович", "Артёмовна"),
    ("Борис", "Борисович", "Борисовна"),
    ("Вадим", "Вадимович", "Вадимовна"),
    ("Валентин", "Валентинович", "Валентиновна"),
    ("Валерий", "Валерьевич", "Валерьевна"),
    ("Василий", "Васильевич", "Васильевна"),
    ("Виктор", "Викторович", "Викторовна"),
    ("Виталий", "Витальевич", "Витальевна"),
    ("Владимир", "Владимирович", "Владимировна"),
    ("Владислав", "Владиславович", "Владиславовна"),
    ("Вячеслав", "Вячеславович", "Вячеславовна"),
    ("Геннадий", "Геннадьевич", "Геннадьевна"),
    ("Георгий", "Георгиевич", "Георгиевна"),
    ("Глеб", "Глебович", "Глебовна"),
    ("Григорий", "Григорьевич", "Григорьевна"),
    ("Денис", "Денисович", "Денисовна"),
    ("Дмитрий", "Дмитриевич", "Дмитриевна"),
    ("Евгений", "Евгеньевич", "Евгеньевна"),
    ("Егор", "Егорович", "Егоровна"),
    ("Иван", "Иванович", "Ивановна"),
    ("Игорь", "Игоревич", "Игоревна"),
    ("Илья", "Ильич", "Ильинична"),
    ("Кирилл", "Кириллович", "Кирилловна"),
    ("Константин", "Константинович", "Константиновна"),
    ("Леонид", "Леонидович", "Леонидовна"),
    ("Максим", "Максимович", "Максимовна"),
    ("Матвей", "Матвеевич", "Матвеевна"),
    ("Михаил", "Михайлович", "Михайловна"),
    ("Никита", "Никитич", "Никитична"),
    ("Николай", "Николаевич", "Николаевна"),
    ("Олег", "Олегович", "Олеговна"),
    ("Павел", "Павлович", "Павловна"),
    ("Пётр", "Петрович", "Петровна"),
    ("Роман", "Романович", "Романовна"),
    ("Руслан", "Русланович", "Руслановна"),
    ("Сергей", "Сергеевич", "Сергеевна"),
    ("Станислав", "Станиславович", "Станиславовна"),
    ("Степан", "Степанович", "Степановна"),
    ("Тимофей", "Тимофеевич", "Тимофеевна"),
    ("Фёдор", "Фёдорович", "Фёдоровна"),
    ("Юрий", "Юрьевич", "Юрьевна"),
    ("Ярослав", "Ярославович", "Ярославовна"),
]

FEMALE_NAMES = [
    *("Александра", "Алина", "Алла", "Анастасия", "Анна", "Антонина", "Валентина", "Валерия", "Вера", "Вероника"),
    *("Виктория", "Галина", "Дарья", "Диана", "Евгения", "Екатерина", "Елена", "Елизавета", "Жанна", "Зинаида"),
    *("Зоя", "Инна", "Ирина", "Карина", "Кристина", "Ксения", "Лариса", "Лидия", "Любовь", "Людмила", "Маргарита"),
    *("Марина", "Мария", "Надежда", "Наталья", "Нина", "Оксана", "Ольга", "Полина", "Светлана", "Софья", "Тамара"),
    *("Татьяна", "Ульяна", "Юлия", "Яна"),
]

#: Masculine surnames; the feminine form is derived (feminine()), surnames that do not decline stay as they are.
SURNAMES = [
    *("Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров"),
    *("Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев"),
    *("Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев"),
    *("Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв"),
    *("Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев", "Антонов", "Тарасов"),
    *("Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев", "Герасимов", "Богданов", "Осипов", "Сидоров"),
    *("Матвеев", "Титов", "Марков", "Миронов", "Крылов", "Куликов", "Карпов", "Власов", "Мельников", "Денисов"),
    *("Гаврилов", "Тихонов", "Казаков", "Афанасьев", "Данилов", "Савельев", "Тимофеев", "Фомин", "Чернов", "Абрамов"),
    *("Мартынов", "Ефимов", "Федотов", "Щербаков", "Назаров", "Калинин", "Исаев", "Чернышёв", "Быков", "Маслов"),
    *("Родионов", "Коновалов", "Лазарев", "Воронин", "Климов", "Филатов", "Пономарёв", "Голубев", "Кудрявцев"),
    *("Прохоров", "Наумов", "Потапов", "Журавлёв", "Овчинников", "Трофимов", "Леонов", "Соболев", "Ермаков"),
    *("Колесников", "Гончаров", "Емельянов", "Никифоров", "Грачёв", "Котов", "Гришин", "Ефремов", "Архипов"),
    *("Громов", "Кириллов", "Малышев", "Панов", "Моисеев", "Румянцев", "Акимов", "Кондратьев", "Бирюков"),
    *("Горбунов", "Анисимов", "Ерёмин", "Тихомиров", "Галкин", "Лукьянов", "Михеев", "Скворцов", "Юдин"),
    *("Белоусов", "Нестеров", "Симонов", "Прокофьев", "Харитонов", "Князев", "Цветков", "Левин", "Митрофанов"),
    *("Воронцов", "Рябов", "Полянский", "Островский", "Вишневский", "Покровский", "Садовский"),
    *("Толстой", "Боровой", "Луговой", "Шевчук", "Коваленко", "Бондаренко", "Кравченко", "Черных", "Седых"),
]


def feminine(surname: str) -> str:
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith("ский"):
        return surname[:-2] + "ая"
    if surname.endswith("ой"):
        return surname[:-2] + "ая"
    return surname  # Шевчук, Коваленко, Черных: the same for women


_CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_LATIN = "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya"
TRANSLIT = dict(zip(_CYRILLIC, _LATIN.split(), strict=True))


def latin(text: str) -> str:
    return "".join(TRANSLIT.get(char, char) for char in text.lower()).replace("-", "")


@dataclass(frozen=True)
class Name:
    last: str
    first: str
    patronymic: str
    female: bool

    @property
    def initials(self) -> str:
        return f"{self.first[0]}.{self.patronymic[0]}."


def random_name(rng: random.Random, *, female: bool | None = None) -> Name:
    if female is None:
        female = rng.random() < 0.68  # most college teachers are women
    surname = rng.choice(SURNAMES)
    _father, patronymic_m, patronymic_f = rng.choice(MALE_NAMES)
    if female:
        return Name(feminine(surname), rng.choice(FEMALE_NAMES), patronymic_f, True)
    first = rng.choice(MALE_NAMES)[0]
    return Name(surname, first, patronymic_m, False)
