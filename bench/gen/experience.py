"""The benchmark's experience part: the bank of best practice, lesson visits, adoptions and the lab's experiments,
over the people, units and academic years already in the database (see bench.gen.attestation for how volumes are
spread over the people that exist).

- **items** (`items`): `scale.experience_items` pieces of experience of every kind by the teaching staff (and a few
  of outside experience added by the methodist), dated over the history, each in its author's association of the
  day; an item's way — submitted, reviewed by the association head (the rubric), recommended by the council,
  published by the methodist, or returned with a comment by the head or the council — goes as far as today lets
  it: old items mostly published or left as drafts, the latest ones on their way; co-authors from the author's
  association, links, the stages of generalised experience;
- **visits** (`visits`): colleagues of an association visiting each other's lessons (about a quarter of the items'
  number), the observation filled with the ratings, the latest ones planned, a few cancelled; visits to published
  open lessons and master classes on their day;
- **adoptions** (`adoptions`): «внедрил(а)» and «ссылался(-ась)» marks on published items by colleagues;
- **the lab** (`lab`): for each experimental lab, its experiments one after another from the lab's creation (a
  programme fixed by the lab's order, three stages, four indicators from a baseline toward a target, measurements at
  the end of each term entered by the members), the finished ones with published results.

The named accounts: `teacher` has a draft, an item waiting for the head, a returned one and a published one;
`mo_head` has submitted items of colleagues to review; the methodist has reviewed items for the council and
recommended ones to publish. No files: the items carry links only. No history rows (bench.gen.bulk).
"""

from __future__ import annotations

import datetime
import logging
import random
import time
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from experience.models import (
    RUBRIC_MAX,
    STAGE_ORDER,
    VISIT_CRITERIA,
    Adoption,
    AdoptionKind,
    ExperienceItem,
    Experiment,
    ExperimentStage,
    Indicator,
    ItemKind,
    ItemLink,
    ItemStage,
    ItemStatus,
    LessonVisit,
    Level,
    Measurement,
    Review,
    ReviewOutcome,
    VisitStatus,
)
from planning.models import WorkDirection
from structure.models import MemberRole, Membership, UnitKind

from . import bulk
from .scale import Scale
from .snapshot import College, load

log = logging.getLogger("bench.gen")

DAY = datetime.timedelta(days=1)

# ---------------------------------------------------------------- document text (Russian, as users write it)

TOPICS = [
    "Функциональная грамотность студентов СПО",
    "Цифровые инструменты в преподавании инженерной графики",
    "Цифровые двойники в подготовке техников-технологов",
    "Интеграция теоретического обучения и учебной практики",
    "Подготовка к демонстрационному экзамену",
    "Адаптация студентов первого курса",
    "Смешанное обучение в профессиональном модуле",
    "Кейс-технология на уроках электротехники",
    "Профессионально ориентированное обучение иностранному языку",
    "Межпредметные связи физики и профессионального цикла",
    "Прикладная направленность математики",
    "Руководство индивидуальным проектом",
    "Краеведение на уроках истории",
    "Оценивание профессиональных компетенций",
    "Наставничество молодых педагогов",
    "Бережливое производство в учебных мастерских",
    "Проектное обучение в профессиональном цикле",
    "Виртуальные тренажёры на учебной практике",
    "Воспитательный потенциал учебного занятия",
    "Инклюзивное обучение студентов с ОВЗ",
    "Геймификация на уроках информатики",
    "Формирование финансовой грамотности",
    "Профориентация школьников на базе колледжа",
    "Чемпионатное движение «Профессионалы»",
    "Электронный учебно-методический комплекс дисциплины",
    "Рефлексия и обратная связь на уроке",
    "Критическое мышление на уроках обществознания",
    "Исследовательские задания по химии и биологии",
    "Охрана труда в учебных мастерских",
    "Работа с историческим источником",
]
KIND_TITLES = {
    ItemKind.OPEN_LESSON: "Открытый урок «{topic}»",
    ItemKind.MASTER_CLASS: "Мастер-класс «{topic}»",
    ItemKind.TALK: "Выступление на региональной конференции «{topic}»",
    ItemKind.PUBLICATION: "Статья «{topic}: опыт техникума»",
    ItemKind.PROGRAMME: "Рабочая программа «{topic}»",
    ItemKind.GUIDE: "Методические рекомендации «{topic}»",
    ItemKind.ASSESSMENT_FUND: "Фонд оценочных средств «{topic}»",
    ItemKind.CASE: "Сборник кейсов «{topic}»",
    ItemKind.CONTEST: "Конкурс профессионального мастерства «Преподаватель года СПО»: {topic}",
    ItemKind.GENERALISED: "Обобщённый опыт «{topic}»",
}
KIND_WEIGHTS = [
    (ItemKind.OPEN_LESSON, 24),
    (ItemKind.MASTER_CLASS, 10),
    (ItemKind.TALK, 15),
    (ItemKind.PUBLICATION, 14),
    (ItemKind.PROGRAMME, 6),
    (ItemKind.GUIDE, 8),
    (ItemKind.ASSESSMENT_FUND, 7),
    (ItemKind.CASE, 6),
    (ItemKind.CONTEST, 6),
    (ItemKind.GENERALISED, 4),
]
DIRECTION_OF_KIND = {
    ItemKind.PROGRAMME: 3,
    ItemKind.GUIDE: 3,
    ItemKind.ASSESSMENT_FUND: 3,
    ItemKind.CASE: 3,
    ItemKind.PUBLICATION: 7,
}
LEVEL_WEIGHTS = {
    ItemKind.TALK: [(Level.MUNICIPAL, 3), (Level.REGIONAL, 5), (Level.FEDERAL, 2)],
    ItemKind.PUBLICATION: [(Level.REGIONAL, 5), (Level.FEDERAL, 3), (Level.INTERNATIONAL, 1)],
    ItemKind.CONTEST: [(Level.COLLEGE, 2), (Level.MUNICIPAL, 3), (Level.REGIONAL, 4), (Level.FEDERAL, 1)],
}
RELEVANCE = [
    "Результаты диагностики показали низкий уровень сформированности умения у первокурсников.",
    "Предприятия-партнёры требуют от выпускников работы с цифровой документацией.",
    "Студенты не видят связи изучаемой дисциплины с будущей профессией.",
    "Новые оценочные материалы демонстрационного экзамена требуют перестройки практики.",
    "Треть отчислений приходится на первый семестр первого курса.",
    "Половина часов дисциплины — самостоятельная работа без сопровождения.",
]
NOVELTY = [
    "Задания составлены на материале технологических карт базового предприятия.",
    "Сквозное задание связывает урок, практику в мастерской и самостоятельную работу.",
    "Сочетание групповой работы и индивидуального сопровождения по результатам диагностики.",
    "Использован цифровой тренажёр с автоматической обратной связью.",
    "Кейсы составлены по реальным ситуациям на производстве.",
]
RESULTS = [
    "Средний балл по теме вырос с 3,7 до 4,3; урок посетили {n} педагогов.",
    "Доля студентов, выполнивших задание без ошибок, выросла с 54 до 78 %.",
    "Материалы используют {n} преподавателей техникума.",
    "Отсев первокурсников за семестр снизился с 7 до 3 %.",
    "Сдача практических работ в срок — 91 % (было 64 %).",
]
RETURN_COMMENTS = [
    "Добавьте результаты апробации в цифрах и примеры заданий; оформите список литературы по ГОСТ.",
    "Опишите новизну подробнее: чем опыт отличается от известных методик.",
    "Приложите материалы урока (технологическую карту) и отзывы коллег.",
    "Уточните тему: она шире, чем описанный опыт.",
]
COUNCIL_RETURN = "Дополнить описание результативности в цифрах и критериями оценивания; рассмотреть повторно."
SOURCES = [
    "Сборник лучших практик наставничества в системе СПО, ФГБОУ ДПО ИРПО",
    "Региональный центр развития профессионального образования, конференция «Кадры для промышленности»",
    "Банк лучших практик Минпросвещения России",
]
STAGE_NOTES = {
    "identification": "Опыт выявлен при посещении уроков в рамках декады ПЦК.",
    "study": "Изучены планы уроков, результаты студентов за два года.",
    "generalisation": "Опыт описан, подготовлены материалы для методического кабинета.",
    "dissemination": "Опыт представлен на заседании методического совета и на региональном семинаре.",
    "adoption": "Опыт используют преподаватели других ПЦК.",
}
SUBJECTS = [
    "Математика",
    "Физика",
    "История России",
    "Иностранный язык (английский)",
    "Информатика",
    "Инженерная графика",
    "Техническая механика",
    "Электротехника",
    "МДК.01.01 Технология обработки на станках с ЧПУ",
    "МДК.02.01 Технология сварочных работ",
    "Материаловедение",
    "Охрана труда",
]
LESSON_TOPICS = [
    "Решение показательных уравнений",
    "Производная и её применение",
    "Электромагнитная индукция",
    "Алгоритмы ветвления",
    "Выбор режимов резания",
    "Чтение рабочего чертежа",
    "Контроль качества сварных соединений",
    "Job interview",
    "Смутное время",
    "Расчёт электрических цепей",
]
GROUPS = ["ТМ-{y}", "СП-{y}", "ЭМ-{y}", "АТ-{y}", "ИС-{y}"]
VISIT_GOALS = [
    "Наставничество: организация самостоятельной работы на уроке",
    "Изучение приёмов мотивации на уроке",
    "Работа с источником и текстом задачи",
    "Использование цифровых ресурсов на уроке",
    "Контроль и оценка на практическом занятии",
]
WORKED = [
    "Хорошо выстроена актуализация знаний, задания разного уровня сложности.",
    "Профессиональная направленность задач, студенты работают в парах.",
    "Чёткая постановка цели, рефлексия в конце урока.",
    "Студенты говорят большую часть урока, учитель направляет.",
]
TO_ADOPT = [
    "Приём «проверь соседа» при самопроверке.",
    "Банк задач с производственным содержанием.",
    "Рабочий лист к источнику — предложить коллегам ПЦК.",
    "Разминка в начале урока на повторение.",
]
ADOPTION_NOTES = [
    "Использую задания на своих уроках в двух группах.",
    "Сослался(-ась) в своей методической разработке.",
    "Применил(а) приём на открытом уроке.",
    "",
]
EXPERIMENT_TOPICS = [
    "Цифровой тренажёр в профессиональном обучении",
    "Смешанное обучение в профессиональных модулях",
    "Проектное обучение на базе предприятия-партнёра",
    "Бережливые технологии в учебных мастерских",
    "Индивидуальные образовательные траектории студентов первого курса",
]
#: (name, unit, baseline, target, more is better)
INDICATORS = [
    ("Успеваемость", "%", 82, 92, True),
    ("Качество знаний", "%", 38, 50, True),
    ("Пропуски занятий", "часов на студента за семестр", 46, 30, False),
    ("Доля студентов с цифровым портфолио", "%", 12, 80, True),
    ("Доля студентов, сдавших демонстрационный экзамен на профильном уровне", "%", 30, 45, True),
]
STAGE_TITLES = ["Подготовительный (констатирующий)", "Формирующий", "Обобщающий (контрольный)"]


def _at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _weighted(rng: random.Random, pairs):
    return rng.choices([value for value, _ in pairs], weights=[weight for _, weight in pairs])[0]


def _count(mean: float, rng: random.Random) -> int:
    """An integer whose mean is `mean`."""
    whole = int(mean)
    return whole + (rng.random() < mean - whole)


# ---------------------------------------------------------------- items

ITEM_COLUMNS = [
    "id",
    "kind",
    "title",
    "author_id",
    "direction_id",
    "association_id",
    "date",
    "level",
    "topic",
    "relevance",
    "novelty",
    "results",
    "status",
    "is_external",
    "source",
    "external_authors",
    "council_recommends",
    "submitted_at",
    "published_at",
    "published_by_id",
    "created_at",
    "updated_at",
]
TEXT_COLUMNS = {"topic", "relevance", "novelty", "results", "source", "external_authors"}
REVIEW_COLUMNS = [
    "item_id",
    "reviewer_id",
    "relevance",
    "novelty",
    "practical_value",
    "presentation",
    "comment",
    "outcome",
    "by_council",
    "created_at",
]

#: How the items of a status are drawn: recent (the last RECENT_DAYS) and older ones; the way then stops where
#: today is.
RECENT_DAYS = 90
RECENT = [
    (ItemStatus.DRAFT, 36),
    (ItemStatus.SUBMITTED, 22),
    (ItemStatus.RETURNED, 8),
    (ItemStatus.REVIEWED, 7),
    (ItemStatus.RECOMMENDED, 4),
    (ItemStatus.PUBLISHED, 23),
]
#: Older items have gone their way: published, or left as drafts or returned; a few stuck on the way.
OLDER = [
    (ItemStatus.DRAFT, 20),
    (ItemStatus.SUBMITTED, 0.1),
    (ItemStatus.RETURNED, 5),
    (ItemStatus.REVIEWED, 0.2),
    (ItemStatus.RECOMMENDED, 0.1),
    (ItemStatus.PUBLISHED, 74.6),
]
WAY = [ItemStatus.SUBMITTED, ItemStatus.REVIEWED, ItemStatus.RECOMMENDED, ItemStatus.PUBLISHED]


class _Items:
    def __init__(self, college: College, rng: random.Random) -> None:
        self.college, self.rng = college, rng
        self.today, self.now = college.today, timezone.now()
        self.directions = dict(WorkDirection.objects.values_list("code", "pk"))
        self.items: list[dict] = []
        self.reviews: list[tuple] = []
        self.co_authors: list[tuple[int, int]] = []
        self.links: list[tuple] = []
        self.stages: list[tuple] = []

    def moment(self, day: datetime.date, hour: int | None = None) -> datetime.datetime:
        hour = hour if hour is not None else self.rng.randint(9, 17)
        return min(_at(day, hour, self.rng.randint(0, 59)), self.now)

    def reviewer(self, item: dict, day: datetime.date) -> int | None:
        """A head of the item's association on `day` who is not its author; else the methodist (who reviews what
        the head wrote)."""
        authors = {item["author_id"], *item["_co_authors"]}
        heads = [pk for pk in self.college.heads_on(item["association_id"], day) if pk not in authors]
        if heads:
            return heads[0]
        methodist = self.college.methodist_for(item["author_id"])
        return methodist if methodist not in authors else None

    def review(self, item: dict, day: datetime.date, outcome: str, *, by_council: bool = False) -> bool:
        rng = self.rng
        reviewer = self.college.methodist_for(item["author_id"]) if by_council else self.reviewer(item, day)
        if reviewer is None:
            return False
        if outcome == ReviewOutcome.RECOMMEND:
            scores = [rng.choice((1, 2, 2, 2)) for _ in range(4)]
            comment = ""
        else:
            scores = [rng.randint(0, RUBRIC_MAX) for _ in range(4)]
            comment = COUNCIL_RETURN if by_council else rng.choice(RETURN_COMMENTS)
        if by_council:
            scores = [None] * 4
        self.reviews.append((item["id"], reviewer, *scores, comment, outcome, by_council, self.moment(day, 15)))
        return True

    def item(
        self,
        author: int,
        day: datetime.date,
        *,
        kind: str | None = None,
        status: str | None = None,
        association: int | None | str = "auto",
    ) -> dict:
        """One item of `author` dated `day`, going as far on its way as `status` (drawn when None) and today let;
        a given `status` is reached whatever the day (its steps are moved before today)."""
        rng, college = self.rng, self.college
        forced = status is not None
        kind = kind or _weighted(rng, KIND_WEIGHTS)
        topic = rng.choice(TOPICS)
        if association == "auto":
            units = college.associations_on(author, min(day, self.today))
            association = units[0] if units else None
        age = (self.today - day).days
        status = status or _weighted(rng, RECENT if age <= RECENT_DAYS else OLDER)
        if association is None:
            status = ItemStatus.DRAFT  # an item is submitted to its association's head: without one it stays here
        colleagues = (
            [pk for pk in college.members_on(association, min(day, self.today)) if pk != author] if association else []
        )
        co_authors = rng.sample(colleagues, min(len(colleagues), rng.choice((1, 1, 2)))) if rng.random() < 0.18 else []
        draft = status == ItemStatus.DRAFT
        created = day - rng.randint(0, 20) * DAY
        item: dict = {
            "kind": kind,
            "title": KIND_TITLES[kind].format(topic=topic),
            "author_id": author,
            "direction_id": self.directions.get(DIRECTION_OF_KIND.get(kind, 8)),
            "association_id": association,
            "date": day,
            "level": _weighted(rng, LEVEL_WEIGHTS.get(kind, [(Level.COLLEGE, 1)])),
            "topic": topic,
            "relevance": "" if draft and rng.random() < 0.4 else rng.choice(RELEVANCE),
            "novelty": "" if draft and rng.random() < 0.5 else rng.choice(NOVELTY),
            "results": "" if draft and rng.random() < 0.5 else rng.choice(RESULTS).format(n=rng.randint(3, 15)),
            "status": ItemStatus.DRAFT,
            "is_external": False,
            "created_at": self.moment(min(created, self.today)),
            "_co_authors": co_authors,
        }
        item["id"] = len(self.items)  # replaced by the real id when the rows are written
        self.items.append(item)
        last = item["created_at"]
        if status != ItemStatus.DRAFT:
            # the way: submitted → reviewed (or returned) → the council → published, each when today lets it
            submitted = max(day, created) + rng.randint(0, 15) * DAY
            reviewed = submitted + rng.randint(2, 14) * DAY
            council = reviewed + rng.randint(7, 40) * DAY
            published = council + rng.randint(1, 10) * DAY
            if forced:
                submitted, reviewed, council, published = (
                    min(when, self.today) for when in (submitted, reviewed, council, published)
                )
            reached = ItemStatus.DRAFT
            for step, when in zip(WAY, (submitted, reviewed, council, published), strict=True):
                if when > self.today or WAY.index(step) > WAY.index(status if status in WAY else ItemStatus.REVIEWED):
                    break
                reached = step
            if status == ItemStatus.RETURNED and reviewed <= self.today:
                by_council = council <= self.today and rng.random() < 0.1
                reached = ItemStatus.RETURNED
                item["submitted_at"] = self.moment(submitted)
                if by_council:
                    self.review(item, reviewed, ReviewOutcome.RECOMMEND)
                    self.review(item, council, ReviewOutcome.RETURN, by_council=True)
                    item["council_recommends"] = False
                elif not self.review(item, reviewed, ReviewOutcome.RETURN):
                    reached = ItemStatus.SUBMITTED
                last = self.moment(council if by_council else reviewed)
            elif reached != ItemStatus.DRAFT:
                item["submitted_at"] = self.moment(submitted)
                last = item["submitted_at"]
                if reached in (ItemStatus.REVIEWED, ItemStatus.RECOMMENDED, ItemStatus.PUBLISHED):
                    if rng.random() < 0.1 and self.review(item, submitted, ReviewOutcome.RETURN):
                        pass  # returned once, corrected and submitted again
                    if not self.review(item, reviewed, ReviewOutcome.RECOMMEND):
                        reached = ItemStatus.SUBMITTED
                    last = self.moment(reviewed, 15)
                if reached in (ItemStatus.RECOMMENDED, ItemStatus.PUBLISHED):
                    item["council_recommends"] = True
                    last = self.moment(council, 17)
                if reached == ItemStatus.PUBLISHED:
                    item["published_at"] = self.moment(published, 16)
                    item["published_by_id"] = college.methodist_for(author)
                    last = item["published_at"]
            item["status"] = reached
        item["updated_at"] = max(last, item["created_at"])
        for co_author in co_authors:
            self.co_authors.append((item["id"], co_author))
        if rng.random() < 0.12:
            self.links.append((item["id"], f"http://fileserver/metod/{kind}/{len(self.items)}", "Материалы"))
        if kind == ItemKind.GENERALISED and item["status"] != ItemStatus.DRAFT:
            stage_day = day - 300 * DAY
            for stage in STAGE_ORDER[: rng.randint(1, len(STAGE_ORDER))]:
                if stage_day > self.today:
                    break
                self.stages.append((item["id"], stage, stage_day, author, STAGE_NOTES[stage]))
                stage_day += rng.randint(60, 140) * DAY
        return item

    def external(self, day: datetime.date) -> None:
        rng = self.rng
        methodist = self.college.methodist_for(0)
        if methodist is None:
            return
        kind = rng.choice((ItemKind.GUIDE, ItemKind.CASE, ItemKind.PROGRAMME))
        topic = rng.choice(TOPICS)
        moment = self.moment(day)
        self.items.append(
            {
                "id": len(self.items),
                "kind": kind,
                "title": KIND_TITLES[kind].format(topic=topic),
                "author_id": methodist,
                "direction_id": self.directions.get(7),
                "association_id": None,
                "date": day,
                "level": rng.choice((Level.REGIONAL, Level.FEDERAL)),
                "topic": topic,
                "relevance": rng.choice(RELEVANCE),
                "results": "Рекомендовано ПЦК для планирования работы.",
                "status": ItemStatus.PUBLISHED,
                "is_external": True,
                "source": rng.choice(SOURCES),
                "external_authors": "Коллектив авторов",
                "published_at": moment,
                "published_by_id": methodist,
                "created_at": moment,
                "updated_at": moment,
                "_co_authors": [],
            }
        )
        self.links.append((len(self.items) - 1, "https://firpo.ru/practices", "Сборник практик"))


def items(college: College, scale: Scale, rng: random.Random) -> dict[str, int]:
    """`scale.experience_items` items with their reviews, co-authors, links and stages (see the module's
    docstring)."""
    today = college.today
    built = _Items(college, rng)
    authors = list(college.teaching)
    if not authors:
        return {"experience_experienceitem": 0}
    external = max(1, scale.experience_items // 100)
    # as many items a year for everyone: a person hired last year has fewer than one here for ten years
    tenure = {pk: max((today - college.staff[pk].since(college.start)).days, 1) for pk in authors}
    per_day = (scale.experience_items - external) / sum(tenure.values())
    teacher, mo_head = college.person("teacher"), college.person("mo_head")
    for pk in authors:
        first = college.staff[pk].since(college.start)
        days = (today - first).days
        for _ in range(_count(per_day * tenure[pk], rng)):
            offset = rng.randint(0, days)
            day = first + offset * DAY
            if rng.random() < 0.03 and offset > days - 60:
                day = today + rng.randint(1, 30) * DAY  # an open lesson planned for the coming weeks
            built.item(pk, day)
    span = (today - college.start).days
    for _ in range(external):
        built.external(college.start + rng.randint(0, span) * DAY)
    # The teacher's items at every stage, and colleagues' items waiting for mo_head.
    if teacher is not None:
        units = college.associations_on(teacher, today)
        for status, days_ago in (
            (ItemStatus.DRAFT, 3),
            (ItemStatus.SUBMITTED, 12),
            (ItemStatus.RETURNED, 40),
            (ItemStatus.PUBLISHED, 200),
        ):
            day = today - days_ago * DAY
            association = (college.associations_on(teacher, day) or units or [None])[0]
            built.item(teacher, day, status=status, association=association)
    if mo_head is not None:
        headed = [
            period.unit_id
            for periods in college.unit_periods.values()
            for period in periods
            if period.person_id == mo_head and period.role == MemberRole.HEAD and period.holds(today)
        ]

        def for_head(item: dict) -> bool:
            authors = {item["author_id"], *item["_co_authors"]}
            return (
                item["association_id"] in headed and item["status"] == ItemStatus.SUBMITTED and mo_head not in authors
            )

        waiting = sum(1 for item in built.items if for_head(item))
        members = sorted({pk for unit in headed for pk in college.members_on(unit, today)} - {mo_head})
        for index in range(10 if members else 0):
            if waiting >= 3:
                break
            author = members[index % len(members)]
            unit = next(unit for unit in headed if author in college.members_on(unit, today))
            waiting += for_head(
                built.item(author, today - rng.randint(8, 20) * DAY, status=ItemStatus.SUBMITTED, association=unit)
            )
    # the real ids, then the rows
    ids = bulk.allocate_ids(ExperienceItem, len(built.items))
    real = dict(zip(range(len(built.items)), ids, strict=True))
    rows = []
    for item in built.items:
        item["id"] = real[item["id"]]
        rows.append(tuple(item.get(name, "" if name in TEXT_COLUMNS else None) for name in ITEM_COLUMNS))
    counts = {"experience_experienceitem": bulk.insert(ExperienceItem, ITEM_COLUMNS, rows)}
    counts["experience_review"] = bulk.insert(
        Review, REVIEW_COLUMNS, [(real[row[0]], *row[1:]) for row in built.reviews]
    )
    counts["experience_experienceitem_co_authors"] = bulk.insert(
        ExperienceItem.co_authors.through,
        ["experienceitem_id", "person_id"],
        [(real[item], person) for item, person in built.co_authors],
    )
    counts["experience_itemlink"] = bulk.insert(
        ItemLink, ["item_id", "url", "title"], [(real[item], url, title) for item, url, title in built.links]
    )
    counts["experience_itemstage"] = bulk.insert(
        ItemStage,
        ["item_id", "stage", "date", "responsible_id", "note"],
        [(real[item], *rest) for item, *rest in built.stages],
    )
    _state["published"] = [
        (item["id"], item["author_id"], item["kind"], item["date"], item["published_at"].date(), item["association_id"])
        for item in built.items
        if item["status"] == ItemStatus.PUBLISHED
    ]
    return counts


#: What `items` leaves for `visits` and `adoptions`: the published items.
_state: dict = {}


# ---------------------------------------------------------------- lesson visits and adoptions


def visits(college: College, scale: Scale, rng: random.Random) -> dict[str, int]:
    """About a quarter of the items' number of lesson visits within the associations, and visits to the published
    open lessons and master classes on their day."""
    today, now = college.today, timezone.now()
    rows: list[tuple] = []

    def visit(visitor: int, visited: int, day: datetime.date, item: int | None = None, status: str = "") -> None:
        if not status and day > today:
            status = VisitStatus.PLANNED
        elif not status:  # done, mostly; the latest ones often still to fill; a few cancelled
            roll = rng.random()
            recent = (today - day).days <= 14
            status = (
                VisitStatus.CANCELLED
                if roll < 0.04
                else VisitStatus.PLANNED
                if roll < (0.4 if recent else 0.06)
                else VisitStatus.DONE
            )
        done = status == VisitStatus.DONE
        year = (day.year - (1 if day.month < 9 else 0)) % 100
        created = min(_at(day - rng.randint(3, 20) * DAY, 12), now)
        rows.append(
            (
                visitor,
                visited,
                item,
                day,
                f"{rng.choice(SUBJECTS)}. {rng.choice(LESSON_TOPICS)}",
                rng.choice(GROUPS).format(y=year),
                status,
                rng.choice(VISIT_GOALS),
                rng.choice(WORKED) if done else "",
                rng.choice(TO_ADOPT) if done else "",
                {name: rng.randint(0, 2) for name, _label in VISIT_CRITERIA} if done else {},
                min(_at(day + rng.randint(0, 3) * DAY, 16), now) if done else None,
                created,
            )
        )

    for item, author, kind, day, _published, association in _state.get("published", []):
        if kind not in (ItemKind.OPEN_LESSON, ItemKind.MASTER_CLASS) or association is None:
            continue
        colleagues = [pk for pk in college.members_on(association, day) if pk != author]
        for visitor in rng.sample(colleagues, min(len(colleagues), rng.randint(0, 3))):
            visit(visitor, author, day, item)
    target = max(scale.experience_items // 4 - len(rows), 0)
    teaching = college.teaching
    span = (today - college.start).days + 30
    attempts = 0
    teacher = college.person("teacher")
    while target > 0 and attempts < target * 5 and teaching:
        attempts += 1
        visitor = rng.choice(teaching)
        day = college.start + rng.randint(0, span) * DAY
        units = college.associations_on(visitor, min(day, today))
        if not units:
            continue
        colleagues = [pk for pk in college.members_on(units[0], min(day, today)) if pk != visitor]
        if not colleagues:
            continue
        visit(visitor, rng.choice(colleagues), day)
        target -= 1
    if teacher is not None:  # the teacher's visit yesterday, its observation still to fill
        units = college.associations_on(teacher, today)
        colleagues = [pk for pk in college.members_on(units[0], today) if pk != teacher] if units else []
        if colleagues:
            visit(teacher, colleagues[0], today - DAY, status=VisitStatus.PLANNED)
    columns = [
        "visitor_id",
        "visited_id",
        "item_id",
        "date",
        "lesson",
        "group",
        "status",
        "goal",
        "worked",
        "to_adopt",
        "ratings",
        "filled_at",
        "created_at",
    ]
    return {"experience_lessonvisit": bulk.insert(LessonVisit, columns, rows)}


def adoptions(college: College, scale: Scale, rng: random.Random) -> dict[str, int]:
    """Colleagues marking published items as adopted or referenced, after the publication."""
    today, now = college.today, timezone.now()
    staff = college.teaching
    rows = []
    for item, author, _kind, _day, published, association in _state.get("published", []):
        pool = college.members_on(association, min(published, today)) if association else []
        count = min(int(rng.expovariate(1 / 1.2)), 8)
        seen = set()
        for _ in range(count):
            person = rng.choice(pool if pool and rng.random() < 0.7 else staff)
            kind = AdoptionKind.ADOPTED if rng.random() < 0.6 else AdoptionKind.REFERENCED
            if person == author or (person, kind) in seen:
                continue
            seen.add((person, kind))
            day = min(published + rng.randint(5, 300) * DAY, today)
            rows.append((item, person, kind, day, rng.choice(ADOPTION_NOTES), min(_at(day, 14), now)))
    columns = ["item_id", "person_id", "kind", "date", "note", "created_at"]
    return {"experience_adoption": bulk.insert(Adoption, columns, rows)}


# ---------------------------------------------------------------- the lab


def lab(college: College, scale: Scale, rng: random.Random) -> dict[str, int]:
    """Each lab's experiments one after another from its creation (see the module's docstring)."""
    today, now = college.today, timezone.now()
    counts: dict[str, int] = defaultdict(int)
    labs = [unit for unit in college.units.values() if unit.kind == UnitKind.LAB and unit.created_on]
    members: dict[int, list[tuple[int, str, datetime.date, datetime.date | None]]] = defaultdict(list)
    for unit_id, person_id, role, start, end in Membership.objects.filter(unit__in=labs).values_list(
        "unit_id", "person_id", "role", "start", "end"
    ):
        members[unit_id].append((person_id, role, start, end))
    for unit in sorted(labs, key=lambda unit: unit.pk):
        starts_on = max(unit.created_on, college.start) + rng.randint(10, 40) * DAY
        end_of_life = min(unit.dissolved_on or today + 365 * DAY, today + 365 * DAY)
        number = 0
        while starts_on <= today and starts_on < end_of_life:
            number += 1
            ends_on = starts_on + rng.randint(15, 24) * 30 * DAY
            present = [
                (pk, role)
                for pk, role, start, end in members[unit.pk]
                if start <= starts_on and (end is None or end >= starts_on)
            ]
            head = next((pk for pk, role in present if role == MemberRole.HEAD), None)
            if head is None:
                head = next((pk for pk, _role in present), None)
            if head is None:
                break
            finished = ends_on < today
            experiment_id = bulk.allocate_ids(Experiment, 1)[0]
            topic = EXPERIMENT_TOPICS[(unit.pk + number) % len(EXPERIMENT_TOPICS)]
            counts["experience_experiment"] += bulk.insert(
                Experiment,
                [
                    "id",
                    "lab_id",
                    "topic",
                    "hypothesis",
                    "aim",
                    "base_groups",
                    "starts_on",
                    "ends_on",
                    "order_id",
                    "results",
                    "results_published",
                    "created_by_id",
                    "created_at",
                ],
                [
                    (
                        experiment_id,
                        unit.pk,
                        topic,
                        f"Если в обучение включить «{topic.lower()}», то вырастут успеваемость и качество знаний, "
                        "а пропуски занятий сократятся.",
                        "Разработать, апробировать и оценить методику; подготовить методические рекомендации.",
                        "ТМ-24 (экспериментальная), ТМ-24/2 (контрольная)",
                        starts_on,
                        ends_on,
                        unit.created_by_order_id,
                        "Эксперимент завершён: все показатели достигли целевых значений или приблизились к ним."
                        if finished
                        else "",
                        finished,
                        head,
                        min(_at(starts_on - 14 * DAY, 11), now),
                    )
                ],
            )
            # three stages over the period
            length = (ends_on - starts_on).days
            bounds = [starts_on, starts_on + length // 3 * DAY, starts_on + 2 * length // 3 * DAY, ends_on]
            stage_ids = bulk.allocate_ids(ExperimentStage, 3)
            counts["experience_experimentstage"] += bulk.insert(
                ExperimentStage,
                ["id", "experiment_id", "position", "title", "starts_on", "ends_on"],
                [
                    (
                        stage_ids[index],
                        experiment_id,
                        index + 1,
                        STAGE_TITLES[index],
                        bounds[index] + DAY if index else bounds[index],
                        bounds[index + 1],
                    )
                    for index in range(3)
                ],
            )
            chosen = rng.sample(INDICATORS, 4)
            indicator_ids = bulk.allocate_ids(Indicator, len(chosen))
            counts["experience_indicator"] += bulk.insert(
                Indicator,
                ["id", "experiment_id", "position", "name", "unit", "baseline", "target", "higher_is_better"],
                [
                    (pk, experiment_id, index + 1, name, measure, Decimal(baseline), Decimal(target), higher)
                    for index, (pk, (name, measure, baseline, target, higher)) in enumerate(
                        zip(indicator_ids, chosen, strict=True)
                    )
                ],
            )
            measurements = []
            enterers = [pk for pk, _role in present] or [head]
            for index in range(3):
                for point in (bounds[index] + (bounds[index + 1] - bounds[index]) // 2, bounds[index + 1]):
                    if point > today:
                        continue
                    progress = (point - starts_on).days / max(length, 1)
                    for pk, (_name, _unit, baseline, target, _higher) in zip(indicator_ids, chosen, strict=True):
                        value = baseline + (target - baseline) * progress * rng.uniform(0.7, 1.1)
                        measurements.append(
                            (
                                pk,
                                stage_ids[index],
                                Decimal(f"{value:.1f}"),
                                point,
                                f"Сводная ведомость на {point:%d.%m.%Y}",
                                rng.choice(enterers),
                                min(_at(point + 2 * DAY, 15), now),
                            )
                        )
            counts["experience_measurement"] += bulk.insert(
                Measurement,
                ["indicator_id", "stage_id", "value", "measured_on", "source", "entered_by_id", "created_at"],
                measurements,
            )
            starts_on = ends_on + rng.randint(1, 60) * DAY
    return dict(counts)


# ---------------------------------------------------------------- the whole part

STAGES: list[tuple[str, Callable[[College, Scale, random.Random], dict[str, int]]]] = [
    ("items", items),
    ("visits", visits),
    ("adoptions", adoptions),
    ("lab", lab),
]


def generate(scale: Scale, rng: random.Random) -> dict[str, int]:
    """Build the experience part over what the database holds; the counts written, by table. Each stage logs its
    time on the `bench.gen` logger."""
    college = load(timezone.localdate())
    counts: dict[str, int] = {}
    for name, stage in STAGES:
        began = time.perf_counter()
        with transaction.atomic():
            made = stage(college, scale, rng)
        counts.update(made)
        log.info("experience.%s: %.1f s %s", name, time.perf_counter() - began, made)
    bulk.analyze(ExperienceItem, Review, ItemLink, ItemStage, LessonVisit, Adoption, Experiment, Measurement)
    return counts
