"""The experimental lab's data the lab tests share, laid on the world of tests/world.py (made once per world: the
role matrix's tests roll it back after each URL).

`world.lab` (head `lab_head`, member the external `researcher`, created by an order signed 30 days before today)
runs an experiment from that day to 300 days on, fixed by the order that created the lab, not published: three
stages (the first ended yesterday, the second runs from today), two indicators (a pass rate, more is better;
absences per student, less is better) and three measurements — one by the researcher, two by the head.

A second lab («Лаборатория цифровых двойников»), headed by a teacher without an account, with its own external
researcher (`researcher2`), runs an
experiment whose results are published: every member of the staff sees it, the first lab's researcher does not.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from experience.models import Experiment, ExperimentStage, Indicator, Measurement
from experience.services import lab as services
from structure.models import Person, Unit, UnitKind
from tests.factories import ExternalPersonFactory, PersonFactory, UserFactory, create_unit

DAY = datetime.timedelta(days=1)

FULL = ["admin", "director", "deputy", "methodist", "chair", "secretary", "lab_head", "researcher"]
NOT_SEEING = ["mo_head", "group_lead", "teacher"]
EDITORS = ["deputy", "methodist", "lab_head"]
MEMBERS = ["lab_head", "researcher"]


@dataclass
class LabData:
    experiment: Experiment
    stages: list[ExperimentStage]
    pass_rate: Indicator
    absences: Indicator
    by_researcher: Measurement
    other_lab: Unit
    other_researcher: Person
    published: Experiment


def lab_data(world) -> LabData:
    today = world.today
    existing = Experiment.objects.filter(lab=world.lab).first()
    if existing is not None:
        other = Experiment.objects.exclude(lab=world.lab).get()
        indicators = list(existing.indicators.order_by("position"))
        return LabData(
            experiment=existing,
            stages=list(existing.stages.order_by("starts_on")),
            pass_rate=indicators[0],
            absences=indicators[1],
            by_researcher=Measurement.objects.get(
                indicator__experiment=existing, entered_by=world.people["researcher"]
            ),
            other_lab=other.lab,
            other_researcher=Person.objects.get(user__username="researcher2"),
            published=other,
        )
    people = world.people
    head, researcher = people["lab_head"], people["researcher"]
    start = world.lab.created_on
    experiment = services.experiment_create(
        by=head,
        lab=world.lab,
        topic="Цифровой тренажёр в профессиональном обучении",
        hypothesis="Если на учебной практике работать с цифровым тренажёром, успеваемость вырастет.",
        aim="Проверить влияние цифрового тренажёра на результаты обучения.",
        base_groups="ТМ-24, ТМ-25",
        starts_on=start,
        ends_on=today + 300 * DAY,
        order=world.lab.created_by_order,
        today=today,
    )
    stages = [
        services.stage_add(experiment=experiment, by=head, title=title, starts_on=first, ends_on=last, today=today)
        for title, first, last in (
            ("Подготовительный", start, today - DAY),
            ("Формирующий", today, today + 149 * DAY),
            ("Обобщающий", today + 150 * DAY, today + 300 * DAY),
        )
    ]
    pass_rate = services.indicator_add(
        experiment=experiment, by=head, name="Успеваемость", unit="%", baseline=Decimal("78"), target=Decimal("90")
    )
    absences = services.indicator_add(
        experiment=experiment,
        by=head,
        name="Пропуски занятий",
        unit="часов на студента",
        baseline=Decimal("24"),
        target=Decimal("16"),
        higher_is_better=False,
    )
    by_researcher = services.measurement_add(
        experiment=experiment,
        by=researcher,
        indicator=pass_rate,
        value=Decimal("81.5"),
        measured_on=today - 10 * DAY,
        source="Сводная ведомость",
        today=today,
    )
    services.measurement_add(
        experiment=experiment,
        by=head,
        indicator=absences,
        value=Decimal("22"),
        measured_on=today - 10 * DAY,
        source="Журнал посещаемости",
        today=today,
    )
    services.measurement_add(
        experiment=experiment, by=head, indicator=pass_rate, value=Decimal("84"), measured_on=today, today=today
    )
    other_researcher = ExternalPersonFactory(user=UserFactory(username="researcher2"), last_name="Сторонняя")
    other_head = PersonFactory(last_name="Двойникова")
    other_lab = create_unit(
        people["director"],
        people["deputy"],
        UnitKind.LAB,
        "Лаборатория цифровых двойников",
        head=other_head,
        members=[other_researcher],
        at=timezone.now() - 20 * DAY,
    )
    published = services.experiment_create(
        by=people["methodist"],
        lab=other_lab,
        topic="Цифровой двойник участка",
        hypothesis="Если …, то …",
        aim="Проверить цифровой двойник.",
        starts_on=other_lab.created_on,
        ends_on=other_lab.created_on + 200 * DAY,
        order=other_lab.created_by_order,
        today=today,
    )
    services.results_save(experiment=published, by=other_head, results="Гипотеза подтверждена.", today=today)
    published = services.results_publish(experiment=published, by=other_head, today=today)
    return LabData(
        experiment=experiment,
        stages=stages,
        pass_rate=pass_rate,
        absences=absences,
        by_researcher=by_researcher,
        other_lab=other_lab,
        other_researcher=other_researcher,
        published=published,
    )


def amending_order(world):
    """A later signed order on the lab (an inclusion), the kind that may change a programme an order fixed."""
    from structure.models import ActionKind
    from tests.factories import signed_order

    return signed_order(
        world.people["director"],
        world.people["deputy"],
        [{"kind": ActionKind.INCLUDE, "unit": world.lab, "person": world.people["teacher"]}],
        title="О внесении изменений в программу эксперимента",
    )
