"""The demo college's annual reports (metodservice.demo composes it last, after every app whose data they count):
the past year's report written and frozen at the year's end; this year's with the deputy's first conclusions,
frozen for the methodological council's coming meeting, whose protocol links it beside its question."""

from __future__ import annotations

import datetime

from django.utils import timezone

from planning import services as planning_services
from planning.models import AcademicYear
from structure.demo import Builder
from structure.models import Unit

from . import sections, services

PAST_CONCLUSIONS = (
    "Методическая служба в целом выполнила план работы на учебный год. Доля выполненных пунктов планов "
    "подразделений выросла, заседания методического совета и предметно-цикловых комиссий проводились регулярно.\n\n"
    "Вместе с тем часть решений методического совета выполнена с нарушением сроков, а охват педагогов "
    "стажировками на предприятиях остаётся недостаточным."
)
PAST_TASKS = (
    "Обеспечить выполнение решений методического совета в установленные сроки\n"
    "Организовать стажировки на базе предприятий-партнёров для преподавателей профессионального цикла\n"
    "Провести диагностику профессиональных дефицитов педагогов и включить её результаты в индивидуальные планы"
)
CURRENT_CONCLUSIONS = (
    "По итогам первого полугодия план работы методической службы выполняется в установленные сроки. "
    "Проведена диагностика профессиональной компетентности, её результаты учтены в индивидуальных планах."
)


def build(b: Builder) -> None:
    deputy, chair = b.people["lebedeva"], b.people["tarasova"]
    current = AcademicYear.objects.filter(is_current=True).first()
    past = AcademicYear.objects.filter(end__lt=current.start).order_by("-start").first() if current else None
    today = timezone.localdate()
    if past is not None:
        services.report_save(
            year=past, by=deputy, sections=sections.KEYS, conclusions=PAST_CONCLUSIONS, tasks=PAST_TASKS
        )
        services.report_freeze(year=past, by=deputy, as_of=min(past.end, today))
    if current is None or not current.contains(today):
        return
    services.report_save(
        year=current,
        by=deputy,
        sections=[key for key in sections.KEYS if key != "experiments"],
        conclusions=CURRENT_CONCLUSIONS,
        tasks="",
    )
    # The council's coming meeting considers the report (a fortnight ahead, or the year's last day when sooner).
    council = Unit.objects.get(pk=b.units["council"].pk)  # as the signed orders left it
    meeting = planning_services.meeting_create(
        unit=council,
        year=current,
        date=min(today + datetime.timedelta(days=14), current.end),
        time=datetime.time(14, 30),
        place="Методический кабинет",
        created_by=chair,
    )
    question = planning_services.agenda_add(
        meeting=meeting, title="Об итогах методической работы за первое полугодие", speaker=deputy
    )
    services.report_freeze(year=current, by=deputy, as_of=today, agenda_item=question)
