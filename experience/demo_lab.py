"""The demo lab's experiment, on top of the demo college's structure (structure/demo.py `lab()`: the lab «Цифровой
двойник учебно-производственного участка» created by the order of 15 January of the previous academic year, headed
by Антонова В.К. (`lab_head`), with the teachers Ильина, Макаров, Ефимов, Крылова and, from 2 February, the
external researcher Карпова И.В. (`researcher`)), built through experience.services.lab like everything users do:

- the programme «Цифровой тренажёр в профессиональном обучении» (hypothesis, aim, base groups), fixed by the order
  that created the lab, from 1 February of the previous academic year to 31 August of this one, so that it is in
  progress on any day of this academic year;
- three stages over the two academic years: подготовительный (констатирующий) to the end of last academic year,
  формирующий to the end of January, обобщающий (контрольный) to the end of August;
- four indicators: успеваемость % and качество знаний % (more is better), пропуски занятий, часов на студента за
  семестр (less is better), доля студентов с цифровым портфолио % (more is better);
- the measurements of every term already over (the semester's results at the end of June and of December, an
  intermediate check in October), entered by the members, the researcher included: the dates after today are left
  out, so the data end where today is;
- a draft of the results by the lab's head, not published (the lab and the council see it; the staff, once
  published);
- and a short pilot study of last academic year's second half, completed, its results published: every member of
  the staff (the `teacher` account) sees it with its indicators, chart and results.

Development only: called by experience/demo.py (`build_lab_demo(builder)`), after the structure's part.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from structure.models import Unit

from .services import lab as services

if TYPE_CHECKING:
    from structure.demo import Builder

TOPIC = "Цифровой тренажёр в профессиональном обучении"
HYPOTHESIS = (
    "Если в обучение по профессиональному модулю ПМ.01 «Организация и ведение технологического процесса "
    "механической обработки» включить систематическую работу с цифровым тренажёром — двойником "
    "учебно-производственного участка (наладка и программирование станка с ЧПУ в виртуальной среде до выхода на "
    "реальное оборудование), а результаты студентов накапливать в цифровом портфолио, то вырастут успеваемость и "
    "качество знаний, а пропуски занятий сократятся."
)
AIM = (
    "Разработать, апробировать и оценить методику применения цифрового тренажёра в профессиональном обучении "
    "студентов специальности 15.02.16 «Технология машиностроения»; подготовить методические рекомендации для "
    "преподавателей и мастеров производственного обучения."
)
BASE_GROUPS = "ТМ-24 (экспериментальная), ТМ-24/2 (контрольная), ТМ-25 (экспериментальная с 2-го этапа)"

#: (key, name, unit, baseline, target, more is better) in the table's order.
INDICATORS = [
    ("pass", "Успеваемость", "%", "82.4", "92", True),
    ("quality", "Качество знаний", "%", "38.5", "50", True),
    ("absences", "Пропуски занятий", "часов на студента за семестр", "46", "30", False),
    ("portfolio", "Доля студентов с цифровым портфолио", "%", "12", "80", True),
]

RESULTS_DRAFT = (
    "Промежуточные результаты (проект, к заседанию методического совета).\n\n"
    "По итогам подготовительного этапа разработаны сценарии 12 лабораторно-практических работ с цифровым "
    "тренажёром, проведено входное анкетирование студентов базовых групп, сформирован банк контрольно-оценочных "
    "средств. Уже на первом этапе успеваемость в экспериментальной группе выросла, пропуски занятий снизились; "
    "цифровое портфолио ведёт больше четверти студентов.\n\n"
    "На формирующем этапе тренажёр включён во все практические занятия по МДК.01.01; число ошибок при первой "
    "самостоятельной наладке станка заметно сократилось (по данным мастеров производственного обучения). "
    "Научный консультант отмечает устойчивую положительную динамику всех четырёх показателей.\n\n"
    "Предложения: распространить методику на группы специальности 15.02.15; подготовить публикацию и мастер-класс "
    "для преподавателей ПЦК профессионального цикла."
)


def _measurements(b: Builder) -> list[tuple[datetime.date, str, str, str, str]]:
    """(date, who, indicator, value, source document), the oldest first: the end of the spring semester of the
    previous academic year (stage 1), an intermediate check in October and the winter semester (stage 2), the
    spring semester of this year (stage 3)."""
    spring = b.day(6, 26, next_year=True)
    october = b.day(10, 30, next_year=True)
    winter = datetime.date(b.year + 2, 1, 20)
    final = datetime.date(b.year + 2, 6, 26)
    sheet = "Сводная ведомость успеваемости группы ТМ-24 за {term}"
    attendance = "Отчёт о посещаемости (журнал учебных занятий) за {term}"
    portfolio = "Реестр цифровых портфолио студентов базовых групп на {day}"
    spring_term = f"II семестр {b.academic_year} уч. г."
    winter_term = f"I семестр {b.next_academic_year} уч. г."
    final_term = f"II семестр {b.next_academic_year} уч. г."
    return [
        (spring, "karpova", "pass", "84.1", sheet.format(term=spring_term)),
        (spring, "karpova", "quality", "41.2", sheet.format(term=spring_term)),
        (spring, "ilyina", "absences", "43.5", attendance.format(term=spring_term)),
        (spring, "makarov", "portfolio", "27", portfolio.format(day=f"{spring:%d.%m.%Y}")),
        (october, "makarov", "portfolio", "41", portfolio.format(day=f"{october:%d.%m.%Y}")),
        (october, "karpova", "quality", "42.6", "Контрольный срез знаний по МДК.01.01 (протокол лаборатории)"),
        (winter, "karpova", "pass", "87.6", sheet.format(term=winter_term)),
        (winter, "antonova", "quality", "44.8", sheet.format(term=winter_term)),
        (winter, "ilyina", "absences", "37.2", attendance.format(term=winter_term)),
        (winter, "makarov", "portfolio", "58", portfolio.format(day=f"{winter:%d.%m.%Y}")),
        (final, "karpova", "pass", "90.3", sheet.format(term=final_term)),
        (final, "antonova", "quality", "48.1", sheet.format(term=final_term)),
        (final, "ilyina", "absences", "33.8", attendance.format(term=final_term)),
        (final, "makarov", "portfolio", "74", portfolio.format(day=f"{final:%d.%m.%Y}")),
    ]


PILOT_TOPIC = "Входная диагностика готовности студентов к обучению на цифровом тренажёре (пилотное исследование)"
PILOT_RESULTS = (
    "Пилотное исследование завершено. Входная диагностика проведена в группах ТМ-24 и ТМ-24/2 (48 студентов). "
    "Доля студентов, выполнивших первую наладку станка в виртуальной среде без ошибок, выросла с 18 до 43,5 %; "
    "среднее время первой наладки сократилось с 38 до 27 минут.\n\n"
    "Вывод: цифровой тренажёр пригоден для использования в основном эксперименте; методический совет рекомендовал "
    "перейти к формирующему этапу по утверждённой программе."
)


def _pilot(b: Builder, lab: Unit, head, today: datetime.date) -> None:
    """The pilot study: February to June of the previous academic year, one stage, two indicators, published."""
    starts_on, ends_on = b.day(2, 3, next_year=True), b.day(6, 30, next_year=True)
    pilot = services.experiment_create(
        by=head,
        lab=lab,
        topic=PILOT_TOPIC,
        hypothesis=(
            "Если перед выходом на станок с ЧПУ студенты выполняют наладку на цифровом тренажёре, то доля ошибок при "
            "первой наладке снизится, а время наладки сократится."
        ),
        aim="Проверить пригодность цифрового тренажёра и методики входной диагностики до начала основного эксперимента.",
        base_groups="ТМ-24, ТМ-24/2",
        starts_on=starts_on,
        ends_on=ends_on,
        order=lab.created_by_order,
        today=today,
    )
    services.stage_add(
        experiment=pilot, by=head, title="Диагностический", starts_on=starts_on, ends_on=ends_on, today=today
    )
    no_errors = services.indicator_add(
        experiment=pilot,
        by=head,
        name="Доля студентов, выполнивших первую наладку без ошибок",
        unit="%",
        baseline=Decimal(18),
        target=Decimal(40),
        today=today,
    )
    minutes = services.indicator_add(
        experiment=pilot,
        by=head,
        name="Среднее время первой наладки станка",
        unit="мин",
        baseline=Decimal(38),
        target=Decimal(30),
        higher_is_better=False,
        today=today,
    )
    for day, who, indicator, value in (
        (b.day(4, 14, next_year=True), "efimov", no_errors, "29"),
        (b.day(4, 14, next_year=True), "efimov", minutes, "33.5"),
        (b.day(6, 19, next_year=True), "karpova", no_errors, "43.5"),
        (b.day(6, 19, next_year=True), "karpova", minutes, "27"),
    ):
        services.measurement_add(
            experiment=pilot,
            by=b.p(who),
            indicator=indicator,
            value=Decimal(value),
            measured_on=day,
            source="Протокол входной диагностики (лист наблюдения мастера п/о)",
            today=today,
        )
    services.results_save(experiment=pilot, by=head, results=PILOT_RESULTS, today=today)
    services.results_publish(experiment=pilot, by=head, today=today)


def build_lab_demo(b: Builder) -> None:
    lab = Unit.objects.select_related("created_by_order").get(pk=b.units["lab"].pk)  # as its orders left it
    head, today = b.p("antonova"), b.today
    starts_on = b.day(2, 1, next_year=True)
    ends_on = datetime.date(b.year + 2, 8, 31)
    experiment = services.experiment_create(
        by=head,
        lab=lab,
        topic=TOPIC,
        hypothesis=HYPOTHESIS,
        aim=AIM,
        base_groups=BASE_GROUPS,
        starts_on=starts_on,
        ends_on=ends_on,
        order=lab.created_by_order,
        today=today,
    )
    for title, first, last in (
        ("Подготовительный (констатирующий)", starts_on, b.day(8, 31, next_year=True)),
        ("Формирующий", b.day(9, 1, next_year=True), datetime.date(b.year + 2, 1, 31)),
        ("Обобщающий (контрольный)", datetime.date(b.year + 2, 2, 1), ends_on),
    ):
        services.stage_add(experiment=experiment, by=head, title=title, starts_on=first, ends_on=last, today=today)
    indicators = {
        key: services.indicator_add(
            experiment=experiment,
            by=head,
            name=name,
            unit=unit,
            baseline=Decimal(baseline),
            target=Decimal(target),
            higher_is_better=higher,
            today=today,
        )
        for key, name, unit, baseline, target, higher in INDICATORS
    }
    for day, who, key, value, source in _measurements(b):
        if day > today:
            break
        services.measurement_add(
            experiment=experiment,
            by=b.p(who),
            indicator=indicators[key],
            value=Decimal(value),
            measured_on=day,
            source=source,
            today=today,
        )
    services.results_save(experiment=experiment, by=head, results=RESULTS_DRAFT, today=today)
    _pilot(b, lab, head, today)
