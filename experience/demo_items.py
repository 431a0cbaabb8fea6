"""Demo experience items on top of the demo college (structure/demo.py: who is who; planning/demo.py: the academic
years and the methodological council), built through experience.services.items like everything users do, with dates
laid around the day of seeding:

- the `teacher` account (Миронов, ПЦК общеобразовательных дисциплин): a draft, a master class submitted and waiting
  for `mo_head` (Орлова), a guide written with Зайцева and returned by Орлова with a comment, and a publication
  written with Абрамова, published;
- `mo_head` (Орлова) has two items to review (Миронов's and Зайцева's); the heads of the other associations reviewed
  theirs (Романов, Ковалёв, Павлов, Дмитриева);
- the methodological council: two signed meetings (about two months and three weeks ago) recommended nine items and
  returned one (Жуков's, with the council's comment); one upcoming meeting has Панова's open lesson on its agenda;
- `methodist` (Соколова): Фёдорова's item waits to be put on a council's agenda, Виноградова's (recommended by the
  signed protocol) waits for publication; seven items are published, their files downloaded by colleagues;
- generalised experience (Смирнова, «функциональная грамотность»): three stages recorded — выявление, изучение,
  обобщение; two items of outside experience (a federal and a regional practice) added by the methodist;
- every item file is a small real PDF (WeasyPrint), uploaded through the same checks as a user's.

Development only: called by experience/demo.py (`build_items_demo(builder)`) after the planning part.
"""

from __future__ import annotations

import datetime
import zlib
from html import escape
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from weasyprint import HTML

from metodservice.common.pdf import LocalOnlyURLFetcher
from planning import services as planning
from planning.models import AcademicYear, AgendaItem, Meeting, WorkDirection
from structure.models import Person, Unit

from .models import ExperienceItem, ItemFile, ItemKind, ItemStatus, Level, Review, ReviewOutcome, Stage
from .services import items as services

if TYPE_CHECKING:
    from structure.demo import Builder

DAY = datetime.timedelta(days=1)

#: The association each author belongs to (structure/demo.py) and its head, who reviews.
HEADS = {"general": "orlova", "general_prof": "romanov", "machining": "kovalev", "welding": "pavlov"}
HEADS["curators"] = "dmitrieva"


def _pdf(title: str, author: str, lines: list[str]) -> SimpleUploadedFile:
    """A one-page PDF of the material: its title, author and a few lines of content."""
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    html = (
        "<html><body style='font-family: Liberation Serif, serif; font-size: 13pt; line-height: 1.3'>"
        f"<p style='text-align: center; font-size: 11pt'>ГАПОУ «Машиностроительный техникум»</p>"
        f"<h1 style='font-size: 16pt; text-align: center'>{escape(title)}</h1>"
        f"<p style='text-align: right'><i>{escape(author)}</i></p>{body}</body></html>"
    )
    pdf = HTML(string=html, url_fetcher=LocalOnlyURLFetcher()).write_pdf()
    return SimpleUploadedFile(f"{title[:60]}.pdf", pdf, content_type="application/pdf")


def _year_of(day: datetime.date) -> AcademicYear | None:
    return AcademicYear.objects.filter(start__lte=day, end__gte=day).first()


class _Demo:
    def __init__(self, b: Builder) -> None:
        self.b = b
        self.today = b.today
        self.units = {key: Unit.objects.get(pk=unit.pk) for key, unit in b.units.items()}
        self.directions = {d.code: d for d in WorkDirection.objects.all()}
        self.methodist = self.p("sokolova")

    def p(self, key: str) -> Person:
        return self.b.people[key]

    def ago(self, days: int) -> datetime.date:
        return self.today - days * DAY

    # ------------------------------------------------------------ one item

    def item(
        self,
        author: str,
        association: str,
        kind: str,
        title: str,
        *,
        days_ago: int,
        level: str = Level.COLLEGE,
        topic: str,
        relevance: str,
        novelty: str,
        results: str,
        co_authors: tuple[str, ...] = (),
        direction: int = 8,
        material: list[str] | None = None,
        link: str = "",
    ) -> ExperienceItem:
        person = self.p(author)
        item = services.item_create(
            by=person,
            kind=kind,
            title=title,
            date=self.ago(days_ago),
            level=level,
            co_authors=[self.p(key) for key in co_authors],
            direction=self.directions.get(direction),
            association=self.units[association],
            topic=topic,
            relevance=relevance,
            novelty=novelty,
            results=results,
        )
        if material:
            services.file_add(
                item=item, by=person, title=material[0], file=_pdf(material[0], person.full_name, material[1:])
            )
        if link:
            services.link_add(item=item, by=person, url=link, title="Видеозапись и материалы на файловом сервере")
        item.demo_association = association  # type: ignore[attr-defined]
        return item

    def submit(self, item: ExperienceItem, days_ago: int) -> ExperienceItem:
        item = services.item_submit(item=item, by=item.author)
        ExperienceItem.objects.filter(pk=item.pk).update(submitted_at=self.b.at(self.ago(days_ago), 11))
        return item

    def review(
        self, item: ExperienceItem, association: str, days_ago: int, *, scores=(2, 2, 2, 1), comment: str = ""
    ) -> Review:
        outcome = ReviewOutcome.RETURN if comment else ReviewOutcome.RECOMMEND
        review = services.item_review(
            item=item,
            by=self.p(HEADS[association]),
            outcome=outcome,
            relevance=scores[0],
            novelty=scores[1],
            practical_value=scores[2],
            presentation=scores[3],
            comment=comment,
        )
        Review.objects.filter(pk=review.pk).update(created_at=self.b.at(self.ago(days_ago), 15))
        return review

    # ------------------------------------------------------------ the council

    def council_days(self) -> tuple[datetime.date, datetime.date]:
        """The days of the two signed meetings: about two months and three weeks ago, after the council's meetings
        already in their academic year (a meeting's number follows the dates), both held before today."""
        latest = (
            Meeting.objects.filter(unit=self.units["council"]).order_by("-date").values_list("date", flat=True).first()
        )
        first, second = self.ago(62), self.ago(21)
        if latest is not None:
            second = min(max(second, latest + 2 * DAY), self.ago(1))
            year = _year_of(latest)
            if year is not None and year.contains(first) and first <= latest:
                first = year.start - 10 * DAY  # the August meeting before the academic year
        return first, second

    def council_meeting(self, day: datetime.date) -> Meeting | None:
        year = _year_of(day)
        if year is None:
            return None
        return planning.meeting_create(
            unit=self.units["council"],
            year=year,
            date=day,
            time=datetime.time(14, 30),
            place="Методический кабинет",
            created_by=self.p("tarasova"),
        )

    def council(self, day: datetime.date, decisions: list[tuple[ExperienceItem, str]]) -> Meeting | None:
        """A held and signed council meeting on `day` recommending (comment "") or returning (with the comment) the
        items; one member away."""
        meeting = self.council_meeting(day)
        if meeting is None:
            return None
        for item, _comment in decisions:
            services.council_add(item=item, meeting=meeting, by=self.methodist, today=day - 5 * DAY)
        rows = list(meeting.attendance.select_related("person").order_by("person__last_name"))
        away = next(row for row in rows if row.person_id not in (meeting.chair_id, meeting.secretary_id))
        planning.attendance_set(
            meeting=meeting,
            rows=[
                (row.person, row.pk != away.pk, "курсы повышения квалификации" if row.pk == away.pk else "")
                for row in rows
            ],
        )
        present = len(rows) - 1
        secretary = self.p("belova")
        for given, comment in decisions:
            recommends = not comment
            head = self.p(HEADS[given.demo_association])  # type: ignore[attr-defined]
            item = services.council_outcome(item=given, by=secretary, recommends=recommends, comment=comment, today=day)
            question = AgendaItem.objects.get(pk=item.council_question_id)
            votes = (present, 0, 0) if recommends else (1, present - 2, 1)
            planning.agenda_update(
                item=question,
                title=question.title,
                speaker=question.speaker,
                heard=f"{item.author.short_name} о педагогическом опыте «{item.title}»; рецензию {head.short_name}.",
                spoke="Тарасова Л.Н. отметила практическую значимость материалов."
                if recommends
                else "Соколова Е.А. предложила доработать описание результативности.",
                decided=question.decided,
                votes_for=votes[0],
                votes_against=votes[1],
                votes_abstained=votes[2],
            )
        Review.objects.filter(item__in=[item for item, _comment in decisions], by_council=True).update(
            created_at=self.b.at(day, 17)
        )
        meeting.refresh_from_db()
        for signer in (meeting.chair, meeting.secretary):
            assert signer is not None
            planning.protocol_sign(meeting=meeting, person=signer)
        return meeting

    def publish(self, item: ExperienceItem, on: datetime.date, downloads: int) -> None:
        item.refresh_from_db()
        if item.status != ItemStatus.RECOMMENDED:
            return
        services.item_publish(item=item, by=self.methodist)
        ExperienceItem.objects.filter(pk=item.pk).update(published_at=self.b.at(min(on, self.today), 16))
        ItemFile.objects.filter(item=item).update(downloads=downloads)


def _downloads(title: str) -> int:
    return 3 + zlib.crc32(title.encode()) % 25


def build_items_demo(b: Builder) -> None:
    d = _Demo(b)
    first_council, second_council = d.council_days()
    lead1, lead2 = (d.today - first_council).days, (d.today - second_council).days

    # ---------------------------------------------------------------- published through the council
    published = [
        d.item(
            "abramova",
            "general",
            ItemKind.PUBLICATION,
            "Статья «Функциональная грамотность на уроках математики: задачи с производственным содержанием»",
            days_ago=lead1 + 45,
            level=Level.REGIONAL,
            co_authors=("mironov",),
            topic="Функциональная грамотность студентов СПО",
            relevance="Результаты диагностики показали низкий уровень математической грамотности первокурсников.",
            novelty="Банк задач на материале технологических карт базового предприятия.",
            results="Статья опубликована в региональном сборнике; задачи используют 6 преподавателей техникума.",
            material=[
                "Задачи с производственным содержанием",
                "Задача 1. Расчёт массы заготовки по чертежу детали.",
                "Задача 2. Проценты брака на участке механообработки.",
            ],
        ),
        d.item(
            "tarasova",
            "general_prof",
            ItemKind.MASTER_CLASS,
            "Мастер-класс «Инженерная графика в КОМПАС-3D: от эскиза к рабочему чертежу»",
            days_ago=lead1 + 38,
            topic="Цифровые инструменты в преподавании инженерной графики",
            relevance="Предприятия-партнёры ведут конструкторскую документацию только в САПР.",
            novelty="Сквозное задание: эскиз детали на практике — модель — чертёж по ЕСКД.",
            results="Доля студентов, выполнивших чертёж без ошибок оформления, выросла с 54 до 78 %.",
            material=[
                "План мастер-класса",
                "1. Эскиз детали «Вал» по образцу.",
                "2. Построение модели и ассоциативного чертежа.",
            ],
            link="http://fileserver/metod/master-class/kompas",
        ),
        d.item(
            "antonova",
            "machining",
            ItemKind.TALK,
            "Выступление на региональной конференции «Цифровой двойник участка механообработки в учебном процессе»",
            days_ago=lead1 + 30,
            level=Level.REGIONAL,
            topic="Цифровые двойники в подготовке техников-технологов",
            relevance="Студенты не видят связи расчёта режимов резания с загрузкой оборудования.",
            novelty="Модель участка в симуляторе станков с ЧПУ, данные — с реального участка.",
            results="Материалы включены в ПМ.01; доклад отмечен дипломом конференции.",
            material=["Тезисы выступления", "Цифровой двойник как средство практико-ориентированного обучения."],
        ),
        d.item(
            "sorokin",
            "machining",
            ItemKind.OPEN_LESSON,
            "Открытый урок «Выбор режимов резания при токарной обработке»",
            days_ago=lead1 + 25,
            co_authors=("borisov",),
            topic="Интеграция теоретического обучения и учебной практики",
            relevance="Разрыв между расчётом режимов на уроке и работой на станке в мастерской.",
            novelty="Урок проведён в мастерской совместно с мастером п/о: расчёт сразу проверяется на станке.",
            results="Средний балл по теме вырос с 3,7 до 4,3; урок посетили 9 педагогов.",
            material=["Технологическая карта урока", "Этап 1. Актуализация знаний.", "Этап 2. Расчёт режимов."],
        ),
        d.item(
            "gavrilova",
            "welding",
            ItemKind.PROGRAMME,
            "Программа подготовки к демонстрационному экзамену по компетенции «Сварочные технологии»",
            days_ago=lead2 + 49,
            topic="Подготовка к демонстрационному экзамену",
            relevance="Новые оценочные материалы демонстрационного экзамена требуют перестройки практики.",
            novelty="Модульная программа с тренировочными заданиями по каждому модулю КОД.",
            results="Все 24 выпускника сдали демонстрационный экзамен, 11 — на профильном уровне.",
            material=["Программа подготовки", "Модуль А. Сварка пластин.", "Модуль В. Сварка труб."],
        ),
        d.item(
            "zakharova",
            "welding",
            ItemKind.CONTEST,
            "Региональный конкурс профессионального мастерства «Преподаватель года СПО»: лауреат",
            days_ago=lead2 + 47,
            level=Level.REGIONAL,
            topic="Практико-ориентированное обучение сварочному производству",
            relevance="Конкурс — форма распространения опыта техникума в регионе.",
            novelty="Конкурсный урок с использованием сварочного тренажёра с обратной связью.",
            results="Звание лауреата; материалы конкурсного урока переданы в методический кабинет.",
            material=["Конкурсный урок", "Сварочный тренажёр как средство формирования навыка."],
        ),
        d.item(
            "baranova",
            "curators",
            ItemKind.GUIDE,
            "Методическое пособие «Адаптация первокурсников: программа психологического сопровождения»",
            days_ago=lead2 + 45,
            direction=9,
            topic="Адаптация студентов первого курса",
            relevance="Треть отчислений приходится на первый семестр первого курса.",
            novelty="Сочетание тренингов в группе и индивидуального сопровождения по результатам диагностики.",
            results="Отсев первокурсников за семестр снизился с 7 до 3 %.",
            material=["Программа сопровождения", "Диагностика в сентябре.", "Тренинги в октябре и ноябре."],
        ),
    ]
    # Generalised experience: three stages so far.
    generalised = d.item(
        "smirnova",
        "general",
        ItemKind.GENERALISED,
        "Обобщённый опыт «Формирование естественнонаучной грамотности через исследовательские задания»",
        days_ago=lead2 + 69,
        topic="Естественнонаучная грамотность студентов",
        relevance="Студенты не применяют знания химии и биологии к производственным ситуациям.",
        novelty="Система исследовательских заданий на материале экологии машиностроительного производства.",
        results="Доля студентов с высоким уровнем естественнонаучной грамотности — 38 % (было 17 %).",
        material=["Описание опыта", "Исследовательские задания по химии и биологии, 1–2 курс."],
    )
    for stage, days, by, responsible, note in [
        (Stage.IDENTIFICATION, 300, "orlova", "orlova", "Опыт выявлен при посещении уроков в рамках декады ПЦК."),
        (Stage.STUDY, 200, "orlova", "smirnova", "Изучены планы уроков, результаты студентов за два года."),
        (Stage.GENERALISATION, 100, "smirnova", "smirnova", "Опыт описан, подготовлены материалы для кабинета."),
    ]:
        services.stage_record(
            item=generalised,
            by=d.p(by),
            stage=stage,
            date=d.ago(days),
            responsible=d.p(responsible),
            note=note,
        )
    published.append(generalised)

    # Recommended by the council, waiting for publication; returned by the council.
    waiting = d.item(
        "vinogradova",
        "general_prof",
        ItemKind.PROGRAMME,
        "Электронный курс «Информационные технологии в профессиональной деятельности» в Moodle",
        days_ago=lead2 + 29,
        topic="Смешанное обучение",
        relevance="Половина часов дисциплины — самостоятельная работа без сопровождения.",
        novelty="Курс с автоматической проверкой практических работ и траекториями по профилю группы.",
        results="Сдача практических работ в срок — 91 % (было 64 %).",
        material=["Структура электронного курса", "Модули 1–6, тесты, практические работы."],
    )
    by_council = d.item(
        "zhukov",
        "general_prof",
        ItemKind.CASE,
        "Кейсы по электротехнике «Неисправности электропривода станка»",
        days_ago=lead2 + 24,
        topic="Кейс-технология на уроках электротехники",
        relevance="Студентам трудно переносить законы электрических цепей на реальное оборудование.",
        novelty="Кейсы составлены по журналу ремонтов базового предприятия.",
        results="Проведены в двух группах.",
        material=["Сборник кейсов", "Кейс 1. Двигатель не запускается."],
    )

    # The first four went to the council two months ago, the others three weeks ago.
    for index, item in enumerate(published[:4]):
        d.submit(item, lead1 + 20 - index)
        d.review(item, item.demo_association, lead1 + 12 - index, scores=(2, 2 - index % 2, 2, 1 + index % 2))  # type: ignore[attr-defined]
    for index, item in enumerate([*published[4:], waiting, by_council]):
        d.submit(item, lead2 + 20 - index)
        d.review(item, item.demo_association, lead2 + 12 - index, scores=(2, 1 + index % 2, 2, 2 - index % 2))  # type: ignore[attr-defined]

    first = d.council(first_council, [(item, "") for item in published[:4]])
    second = d.council(
        second_council,
        [
            *[(item, "") for item in published[4:]],
            (waiting, ""),
            (
                by_council,
                "Дополнить кейсы эталонами решений и критериями оценивания; описать результативность в цифрах.",
            ),
        ],
    )
    if first is not None:
        for item in published[:4]:
            d.publish(item, first_council + 5 * DAY, _downloads(item.title))
    if second is not None:
        for item in published[4:]:
            d.publish(item, second_council + 4 * DAY, _downloads(item.title))

    # ---------------------------------------------------------------- on their way
    # Recommended by the association, waiting for a council's agenda (the methodist's list).
    fedorova = d.item(
        "fedorova",
        "general",
        ItemKind.ASSESSMENT_FUND,
        "Фонд оценочных средств «Английский язык в профессиональной деятельности: техническая документация»",
        days_ago=30,
        topic="Профессионально ориентированное обучение иностранному языку",
        relevance="Выпускники не читают инструкции к импортному оборудованию.",
        novelty="Задания на материале подлинных руководств к станкам с ЧПУ.",
        results="ФОС прошёл апробацию в трёх группах; средний балл 4,2.",
        material=["Фонд оценочных средств", "Раздел 1. Чтение технической документации."],
    )
    d.submit(fedorova, 14)
    d.review(fedorova, "general", 9)

    # On the agenda of the council's next meeting.
    panova = d.item(
        "panova",
        "general",
        ItemKind.OPEN_LESSON,
        "Открытый урок «Физика станка с ЧПУ: законы механики в работе шпинделя»",
        days_ago=25,
        topic="Межпредметные связи физики и профессионального цикла",
        relevance="Физика воспринимается студентами как оторванная от профессии дисциплина.",
        novelty="Урок построен на измерениях, выполненных студентами в мастерской.",
        results="Урок посетили 7 педагогов и мастер п/о; анкетирование студентов — 92 % «интересно».",
        material=["Конспект урока", "Цель: показать законы механики на примере шпинделя станка."],
        link="http://fileserver/metod/open-lessons/panova",
    )
    d.submit(panova, 20)
    d.review(panova, "general", 16)
    year = _year_of(d.today)
    if year is not None:
        upcoming = d.council_meeting(min(d.today + 9 * DAY, year.end))
        if upcoming is not None:
            services.council_add(item=panova, meeting=upcoming, by=d.methodist)

    # Submitted, waiting for the head (mo_head: Орлова) — the teacher's master class and a colleague's lesson.
    mironov = d.item(
        "mironov",
        "general",
        ItemKind.MASTER_CLASS,
        "Мастер-класс «Интерактивная лента времени: цифровые инструменты на уроках истории»",
        days_ago=12,
        topic="Цифровые образовательные ресурсы на уроках истории",
        relevance="Студенты технического профиля слабо ориентируются в хронологии.",
        novelty="Совместная лента времени в облачном сервисе, события — из истории базового завода.",
        results="Участвовали 11 педагогов; 4 используют приём на своих уроках.",
        material=["Сценарий мастер-класса", "1. Знакомство с сервисом.", "2. Работа в группах над лентой."],
    )
    d.submit(mironov, 5)
    zaitseva = d.item(
        "zaitseva",
        "general",
        ItemKind.OPEN_LESSON,
        "Открытый урок «Производная в задачах техника-технолога»",
        days_ago=9,
        topic="Прикладная направленность математики",
        relevance="Студенты не видят применения производной в профессии.",
        novelty="Задачи на оптимизацию раскроя листового металла.",
        results="Самостоятельную работу выполнили 23 из 25 студентов.",
        material=["Технологическая карта урока", "Задача: раскрой листа с наименьшими отходами."],
    )
    d.submit(zaitseva, 3)
    makarov = d.item(
        "makarov",
        "machining",
        ItemKind.CASE,
        "Кейсы по программированию станков с ЧПУ «Ошибки управляющей программы»",
        days_ago=15,
        topic="Кейс-метод в профессиональном модуле",
        relevance="Ошибки в управляющих программах — частая причина брака на практике.",
        novelty="Кейсы на реальных ошибках студентов с разбором в симуляторе.",
        results="Число ошибок в программах на практике снизилось вдвое.",
    )
    d.submit(makarov, 6)

    # Returned by the head with a comment: the teacher and Зайцева correct it.
    returned = d.item(
        "mironov",
        "general",
        ItemKind.GUIDE,
        "Методические рекомендации «Индивидуальный проект студента: от темы до защиты»",
        days_ago=40,
        co_authors=("zaitseva",),
        topic="Руководство индивидуальным проектом",
        relevance="Студенты затрудняются с выбором темы и планированием проекта.",
        novelty="Пошаговый маршрут проекта с чек-листами для студента и руководителя.",
        results="Апробированы в одной группе.",
        material=["Методические рекомендации (черновик)", "Этап 1. Выбор темы.", "Этап 2. План проекта."],
    )
    d.submit(returned, 20)
    d.review(
        returned,
        "general",
        17,
        scores=(1, 1, 1, 1),
        comment="Добавьте результаты апробации в цифрах (защиты, оценки) и примеры тем проектов "
        "с профессиональной направленностью; оформите список литературы по ГОСТ.",
    )

    # Drafts.
    d.item(
        "mironov",
        "general",
        ItemKind.OPEN_LESSON,
        "Открытый урок «Индустриализация в истории нашего города»",
        days_ago=-20,
        topic="Краеведение на уроках истории",
        relevance="",
        novelty="",
        results="",
    )
    d.item(
        "frolov",
        "welding",
        ItemKind.ASSESSMENT_FUND,
        "ФОС по МДК «Контроль качества сварных соединений»",
        days_ago=7,
        topic="Оценивание профессиональных компетенций",
        relevance="Новая редакция ФГОС требует обновления оценочных средств.",
        novelty="",
        results="",
    )

    # ---------------------------------------------------------------- outside experience (regulation 1.4)
    services.external_create(
        by=d.methodist,
        kind=ItemKind.GUIDE,
        title="Наставничество «педагог — педагог» в профессиональных образовательных организациях",
        source="Сборник лучших практик наставничества в системе СПО, ФГБОУ ДПО ИРПО",
        external_authors="Коллектив авторов ИРПО",
        level=Level.FEDERAL,
        date=d.ago(120),
        direction=d.directions.get(7),
        topic="Наставничество молодых педагогов",
        relevance="В техникуме 6 педагогов со стажем до трёх лет.",
        results="Рекомендовано ПЦК для планирования работы с молодыми специалистами.",
        link_url="https://firpo.ru/practices/mentoring",
        link_title="Сборник практик на сайте ИРПО",
    )
    services.external_create(
        by=d.methodist,
        kind=ItemKind.CASE,
        title="Региональный банк кейсов по профессиональному обучению в машиностроении",
        source="Региональный центр развития профессионального образования, конференция «Кадры для промышленности»",
        external_authors="Преподаватели колледжей области",
        level=Level.REGIONAL,
        date=d.ago(150),
        topic="Кейс-технология в профессиональном цикле",
        file=_pdf(
            "Банк кейсов по машиностроению",
            "Региональный центр развития профессионального образования",
            ["Кейс 1. Срыв сроков заказа на участке.", "Кейс 2. Выбор оборудования для новой детали."],
        ),
        file_title="Банк кейсов (выпуск 1)",
    )
    # The outside items were published on the day they were added, before today.
    ExperienceItem.objects.filter(is_external=True).update(published_at=timezone.now() - 30 * DAY)
