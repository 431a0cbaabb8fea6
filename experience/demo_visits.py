"""Demo lesson visits and adoptions on top of the demo college (structure/demo.py, planning/demo.py) and the items
part (experience/demo_items.py, if it ran first), built through experience.services.visits like everything users do,
laid around `b.today`:

- visits with the observation filled in the past weeks: the mentor Абрамова and the young specialist Воробьёва visit
  each other, the head Орлова visits the `teacher` account (Миронов), heads of the professional cycle visit their
  colleagues; two from the previous months (the report's dynamics);
- the `teacher` account's visit to Панова's lesson yesterday, its observation still to fill (his dashboard);
- visits planned in the coming weeks, one cancelled;
- visits to the published open lessons and master classes of the items part, when it published some (looked up,
  never assumed): a colleague's visit with the observation, or planned when the lesson is still ahead;
- marks «внедрил(а)» and «ссылался(-ась)» on published items of colleagues and on outside experience.

A visit whose day would come before its visitor or visited teacher was hired is moved after it (the two new
teachers came this August); one that then falls after yesterday stays planned. Development only: composed by
experience/demo.py (`build_visits_demo(builder)`), after the items part.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import VISIT_CRITERIA, Adoption, AdoptionKind, ExperienceItem, LessonVisit
from .selectors.visits import VISITABLE_KINDS, is_author
from .services import visits as services

if TYPE_CHECKING:
    from structure.demo import Builder
    from structure.models import Person

DAY = datetime.timedelta(days=1)

#: visitor, visited, days from today, lesson, group, goal, (what worked, what to adopt, ratings) or None: planned.
VISITS = [
    (
        "abramova",
        "vorobyeva",
        -20,
        "Математика. Решение показательных уравнений",
        "ТМ-26",
        "Наставничество: организация самостоятельной работы на уроке",
        (
            "Хорошо выстроена актуализация знаний, задания разного уровня сложности.",
            "Показать приём «проверь соседа» при самопроверке, сократить объяснение у доски.",
            (2, 1, 1, 1, 1),
        ),
    ),
    (
        "vorobyeva",
        "abramova",
        -27,
        "Математика. Производная и её применение",
        "ТМ-25",
        "Изучение приёмов мотивации на уроке математики в группе первого курса",
        (
            "Профессиональная направленность задач: расчёт скорости резания через производную.",
            "Банк задач с производственным содержанием, рефлексия «три слова об уроке».",
            (2, 2, 2, 2, 2),
        ),
    ),
    (
        "orlova",
        "mironov",
        -14,
        "История России. Смутное время",
        "СП-25",
        "Работа с историческим источником",
        (
            "Работа в парах с фрагментами летописи, у каждой пары свой вопрос к источнику.",
            "Рабочий лист к источнику — предложить коллегам ПЦК на заседании.",
            (2, 2, 2, 1, 1),
        ),
    ),
    (
        "mironov",
        "fedorova",
        -9,
        "Иностранный язык (английский). Job interview",
        "ТМ-24",
        "Ролевая игра на уроке иностранного языка",
        (
            "Ролевая игра «собеседование на предприятии», студенты говорят 70 % времени урока.",
            "Карточки ролей для дебатов на уроке обществознания.",
            (2, 2, 2, 2, 1),
        ),
    ),
    (
        "zaitseva",
        "panova",
        -12,
        "Физика. Электромагнитная индукция",
        "СП-25",
        "Демонстрационный эксперимент и его обсуждение",
        (
            "Опыт Фарадея с гальванометром, студенты сами формулируют вывод.",
            "Проблемный вопрос перед демонстрацией.",
            (2, 2, 1, 1, 2),
        ),
    ),
    (
        "krylova",
        "nazarov",
        -6,
        "Информатика. Алгоритмы ветвления",
        "ТМ-26",
        "Адаптация молодого педагога: дисциплина и темп урока",
        (
            "Задачи на ветвление из жизни мастерской: выбор режима станка.",
            "Темп урока ровный; мне — его приём «разминка кодом» в начале.",
            (1, 1, 2, 1, 1),
        ),
    ),
    (
        "romanov",
        "zhukov",
        -16,
        "Электротехника и электроника. Законы Кирхгофа",
        "ТМ-24",
        "Межпредметные связи с профессиональными модулями",
        (
            "Расчёт цепи станочного привода, работа со схемами из паспорта станка.",
            "Задачи из паспортов оборудования учебной мастерской.",
            (2, 2, 1, 2, 2),
        ),
    ),
    (
        "kovalev",
        "makarov",
        -8,
        "Программирование станков с ЧПУ. Цикл сверления",
        "ТМ-23",
        "Подготовка к демонстрационному экзамену",
        (
            "Симулятор стойки ЧПУ, студенты отлаживают программу до выхода на станок.",
            "Чек-лист проверки управляющей программы.",
            (2, 2, 2, 2, 2),
        ),
    ),
    (
        "pavlov",
        "zakharova",
        -11,
        "Основы расчёта и проектирования сварных конструкций",
        "СП-24",
        "Кейс-метод на уроках профессионального цикла",
        (
            "Кейс «разрушение сварной фермы»: поиск причины по фотографиям излома.",
            "Кейсы с реальными дефектами — в фонд оценочных средств ПМ.01.",
            (2, 1, 2, 2, 1),
        ),
    ),
    (
        "kirillova",
        "tarasova",
        -18,
        "Инженерная графика. Разрезы и сечения",
        "ТМ-25",
        "Изучение методики опытного педагога",
        (
            "Макеты деталей, которые студенты разрезают в САПР и сравнивают с чертежом.",
            "Переход от макета к чертежу, пошаговые инструкционные карты.",
            (2, 2, 2, 1, 2),
        ),
    ),
    (
        "smirnova",
        "abramova",
        -220,
        "Индивидуальный проект. Защита темы проекта",
        "ТМ-24",
        "Организация проектной деятельности",
        (
            "Чёткие критерии защиты, взаимооценка по листу.",
            "Лист взаимооценки для защиты лабораторных работ.",
            (2, 1, 2, 2, 1),
        ),
    ),
    (
        "tikhonov",
        "kiselev",
        -240,
        "Физическая культура. Волейбол: нападающий удар",
        "СП-24",
        "Дифференцированный подход на уроке физической культуры",
        (
            "Группы по уровню подготовки, у каждой своя карточка заданий.",
            "Карточки заданий по уровням.",
            (2, 2, 2, 1, 2),
        ),
    ),
    # the `teacher` account's: yesterday, its observation still to fill
    ("mironov", "panova", -1, "Астрономия. Солнечная система", "ТМ-25", "Использование цифровых моделей", None),
    # the coming weeks
    ("mironov", "zaitseva", 3, "Математика. Логарифмы", "ТМ-25", "Приёмы устного счёта на уроке", None),
    ("danilova", "fedorova", 5, "Иностранный язык в профессиональной деятельности", "ТМ-23", "Глоссарий", None),
    ("orlova", "nazarov", 8, "Информатика. Циклы", "ТМ-26", "Сопровождение молодого педагога", None),
    ("sorokin", "antonova", 10, "САПР технологических процессов", "ТМ-23", "Цифровые инструменты", None),
]
#: visitor, visited, days from today: planned, then cancelled.
CANCELLED = [("gusev", "kiselev", 2, "Физическая культура. Лёгкая атлетика", "СП-25", "Организация разминки")]

#: Who visits a published open lesson of the items part, in order of preference (the first who is not its author).
OPEN_LESSON_VISITORS = ["zaitseva", "krylova", "mironov", "makarov", "belova"]
#: Who marks published items of colleagues: (person, kind, note).
MARKS = [
    ("mironov", AdoptionKind.ADOPTED, "Использую приём на уроках истории в группах первого курса."),
    ("zaitseva", AdoptionKind.REFERENCED, "Сослалась в выступлении на заседании ПЦК."),
    ("kovalev", AdoptionKind.ADOPTED, "Включил в рабочую программу профессионального модуля."),
]
OUTSIDE_MARKS = [
    ("mironov", AdoptionKind.ADOPTED, "Применяю рекомендации при подготовке рабочих листов."),
    ("krylova", AdoptionKind.ADOPTED, "Адаптировала для уроков информатики."),
    ("romanov", AdoptionKind.REFERENCED, "Ссылка в методической разработке по технической механике."),
]


def _day_for(b: Builder, visitor: Person, visited: Person, offset: int) -> datetime.date:
    """Today + offset, moved to after both were hired (a new teacher is visited from their first weeks)."""
    day = b.today + offset * DAY
    hired = [person.hire_date for person in (visitor, visited) if person.hire_date]
    if hired and day <= max(hired):
        day = max(hired) + 5 * DAY
    return day


def _fill(b: Builder, visit: LessonVisit, worked: str, to_adopt: str, values) -> None:
    names = [name for name, _label in VISIT_CRITERIA]
    services.visit_fill(
        visit=visit,
        by=visit.visitor,
        worked=worked,
        to_adopt=to_adopt,
        ratings=dict(zip(names, values, strict=True)),
        today=b.today,
    )
    filled = min(b.at(visit.date + DAY, 16), timezone.now())
    LessonVisit.objects.filter(pk=visit.pk).update(filled_at=max(filled, b.at(visit.date, 15)))


def _visits(b: Builder) -> None:
    for visitor_key, visited_key, offset, lesson, group, goal, observation in VISITS:
        visitor, visited = b.p(visitor_key), b.p(visited_key)
        day = _day_for(b, visitor, visited, offset)
        visit = services.visit_plan(
            visitor=visitor, visited=visited, date=day, lesson=lesson, group=group, goal=goal, today=b.today
        )
        if observation is not None and day < b.today:
            _fill(b, visit, *observation)
    for visitor_key, visited_key, offset, lesson, group, goal in CANCELLED:
        visitor = b.p(visitor_key)
        visit = services.visit_plan(
            visitor=visitor,
            visited=b.p(visited_key),
            date=_day_for(b, visitor, b.p(visited_key), offset),
            lesson=lesson,
            group=group,
            goal=goal,
            today=b.today,
        )
        services.visit_cancel(visit=visit, by=visitor)


def _published(*, external: bool):
    return ExperienceItem.objects.published().filter(is_external=external).prefetch_related("co_authors")


def _open_lessons(b: Builder) -> None:
    """A colleague's visit to each of the first published open lessons and master classes, if there are any."""
    lessons = _published(external=False).filter(kind__in=VISITABLE_KINDS).order_by("date", "pk")[:3]
    for item in lessons:
        if abs(item.date - b.today) > services.DATE_RANGE:
            continue
        visitor = next(
            (b.p(key) for key in OPEN_LESSON_VISITORS if key in b.people and not is_author(item, b.p(key).pk)),
            None,
        )
        if visitor is None or item.author.is_external or item.author_id == visitor.pk:
            continue
        try:
            visit = services.visit_plan(
                visitor=visitor,
                visited=item.author,
                date=item.date,
                lesson=item.title[: services.LESSON_MAX],
                goal="Изучение опыта коллеги на открытом уроке",
                item=item,
                today=b.today,
            )
        except ValidationError:  # the items part made something this part does not expect: no visit to it
            continue
        if visit.date < b.today:
            _fill(
                b,
                visit,
                "Чёткая структура урока, цифровые ресурсы уместны и работают на цель.",
                "Приём организации групповой работы и лист самооценки.",
                (2, 2, 2, 2, 1),
            )


def _mark(b: Builder, item: ExperienceItem, key: str, kind: str, note: str, days_ago: int) -> None:
    if key not in b.people:
        return
    person = b.p(key)
    if not item.is_external and is_author(item, person.pk):
        return
    if Adoption.objects.filter(item=item, person=person, kind=kind).exists():
        return
    published = timezone.localdate(item.published_at) if item.published_at else item.date
    day = max(b.today - days_ago * DAY, published, item.date)
    services.adoption_mark(item=item, person=person, kind=kind, note=note, day=min(day, b.today))


def _adoptions(b: Builder) -> None:
    for index, item in enumerate(_published(external=False).order_by("-date", "-pk")[:3]):
        key, kind, note = MARKS[index]
        _mark(b, item, key, kind, note, days_ago=5 + index * 3)
    outside = list(_published(external=True).order_by("-date", "-pk")[:2])
    for index, (key, kind, note) in enumerate(OUTSIDE_MARKS):
        if outside:
            _mark(b, outside[index % len(outside)], key, kind, note, days_ago=4 + index * 2)


def build_visits_demo(b: Builder) -> None:
    _visits(b)
    _open_lessons(b)
    _adoptions(b)
