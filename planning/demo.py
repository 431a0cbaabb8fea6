"""Demo planning data on top of the demo college: two academic years, the single theme, plans in every state,
meetings with protocols and decisions, the August pedagogical council's decisions and a director's assignment that
the service answers. Built through `planning.services`, like everything users do."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape
from weasyprint import HTML

from structure.models import MemberRole, Unit

from . import selectors, services
from .models import DecisionStatus, ItemStatus, Plan, PlanLevel, WorkDirection, WorkForm

if TYPE_CHECKING:
    from structure.demo import Builder

#: Items of the service's plan: (direction code, form, month, day, content, responsible keys, result)
SERVICE_ITEMS = [
    (
        1,
        WorkForm.MEETING,
        9,
        5,
        "Анализ результатов методической работы за прошлый учебный год",
        ["sokolova"],
        "Аналитическая справка",
    ),
    (
        2,
        WorkForm.DIAGNOSTICS,
        10,
        15,
        "Диагностика профессиональных дефицитов педагогов",
        ["sokolova", "orlova"],
        "Карта дефицитов",
    ),
    (
        3,
        WorkForm.SEMINAR,
        10,
        28,
        "Семинар «Рабочая программа по ФГОС СПО: типичные ошибки»",
        ["lebedeva"],
        "Материалы семинара",
    ),
    (3, WorkForm.CONSULTATION, 11, 20, "Консультации по разработке КОС", ["sokolova"], "Комплекты КОС"),
    (
        4,
        WorkForm.ROUND_TABLE,
        12,
        10,
        "Круглый стол «Прогноз кадровых потребностей отрасли»",
        ["lebedeva"],
        "Решение круглого стола",
    ),
    (
        5,
        WorkForm.CONFERENCE,
        2,
        15,
        "Научно-практическая конференция «Цифровой двойник участка»",
        ["antonova"],
        "Сборник тезисов",
    ),
    (6, WorkForm.OTHER, 9, 30, "Обновление каталога методических материалов кабинета", ["sokolova"], "Каталог"),
    (7, WorkForm.PUBLICATION, 4, 20, "Подготовка публикаций по единой методической теме", ["tarasova"], "Публикации"),
    (
        8,
        WorkForm.OPEN_LESSON,
        12,
        5,
        "Открытый урок «Цифровые инструменты на уроке математики»",
        ["mironov"],
        "Методическая разработка",
    ),
    (
        8,
        WorkForm.MASTER_CLASS,
        3,
        12,
        "Мастер-класс по бережливым технологиям",
        ["zakharova"],
        "Видеозапись, разработка",
    ),
    (
        9,
        WorkForm.CONSULTATION,
        10,
        1,
        "Составление графика аттестации на учебный год",
        ["sokolova"],
        "График аттестации",
    ),
    (9, WorkForm.MEETING, 1, 25, "Заседание аттестационной комиссии", ["lebedeva"], "Протокол"),
    (
        10,
        WorkForm.COURSE,
        11,
        30,
        "Мониторинг прохождения курсов повышения квалификации",
        ["sokolova"],
        "Сводная таблица",
    ),
    (
        10,
        WorkForm.COURSE,
        6,
        15,
        "Стажировки преподавателей профессионального цикла",
        ["lebedeva"],
        "Отчёты о стажировке",
    ),
]


def _attach_evidence(plan: Plan) -> None:
    """The first item done in the current plan carries an evidence file (a short PDF certificate), uploaded through
    the same service and checks as a user's, so the plan page shows a download."""
    item = plan.items.filter(status=ItemStatus.DONE).order_by("due_date", "pk").first()
    if item is None:  # early in September nothing is done yet
        return
    html = (
        "<html><body style='font-family: Liberation Serif, serif; font-size: 14pt'>"
        "<h1 style='font-size: 16pt'>Справка о выполнении мероприятия</h1>"
        f"<p>{escape(item.content)}</p><p>Мероприятие проведено в установленный срок.</p>"
        "<p>Методист Е.А. Соколова</p></body></html>"
    )
    pdf = HTML(string=html).write_pdf()
    services.item_mark(
        item=item,
        status=ItemStatus.DONE,
        report=item.report or "Выполнено в срок",
        evidence_file=SimpleUploadedFile("Справка о выполнении.pdf", pdf, content_type="application/pdf"),
    )


def build(b: Builder) -> None:
    today = timezone.localdate()
    people = b.people
    units = {key: Unit.objects.get(pk=unit.pk) for key, unit in b.units.items()}  # as signed orders left them
    past = services.year_save(
        title=b.academic_year, start=datetime.date(b.year, 9, 1), end=datetime.date(b.year + 1, 8, 31)
    )
    year = services.year_save(
        title=b.next_academic_year,
        start=datetime.date(b.year + 1, 9, 1),
        end=datetime.date(b.year + 2, 8, 31),
        is_current=True,
    )
    services.theme_save(
        title="Развитие профессиональных компетенций педагогов как условие качества подготовки специалистов "
        "в условиях цифровой трансформации",
        goal="Обеспечить рост профессиональной компетентности инженерно-педагогических работников",
        tasks="Выявить профессиональные дефициты педагогов\nОсвоить цифровые образовательные технологии\n"
        "Обобщить и распространить передовой педагогический опыт",
        start_year=past,
        end_year=year,
        stages={past: "Диагностический этап", year: "Практический этап"},
    )
    directions = {d.code: d for d in WorkDirection.objects.all()}
    chair, methodist, director = people["tarasova"], people["sokolova"], people["vorontsov"]
    # The service's plan is owned by the head of the methodological service, appointed by the director's order
    # (regulation 4.1); the methodist drafts it for them.
    service_unit = units.get("service")
    head = selectors.unit_role_holder(service_unit, MemberRole.HEAD, today) if service_unit else None
    owner = head or methodist

    def day_in(y, month, day):
        return datetime.date(y.start.year if month >= 9 else y.end.year, month, day)

    def service_plan(y, *, done_before: datetime.date) -> Plan:
        plan = services.plan_create(
            level=PlanLevel.SERVICE, year=y, created_by=methodist, goal="Реализация единой методической темы"
        )
        items = []
        for code, form, month, d, content, responsible, result in SERVICE_ITEMS:
            items.append(
                services.item_add(
                    plan=plan,
                    content=content,
                    direction=directions[code],
                    form=form,
                    due_date=day_in(y, month, d),
                    responsible=[people[k] for k in responsible],
                    expected_result=result,
                )
            )
        services.plan_submit(plan=plan, person=owner)
        services.plan_approve(plan=plan, person=chair)
        for index, item in enumerate(items):
            if item.due_date < done_before and index % 5 != 4:
                services.item_mark(item=item, status=ItemStatus.DONE, report="Выполнено в срок")
            elif item.due_date < done_before and index % 10 == 9:
                services.item_mark(item=item, status=ItemStatus.POSTPONED, report="Перенесено по решению совета")
        return plan

    service_plan(past, done_before=past.end)
    current = service_plan(year, done_before=today - datetime.timedelta(days=14))
    _attach_evidence(current)
    # Something due soon for the teacher, for the dashboard and the calendar.
    soon = min(today + datetime.timedelta(days=6), year.end)
    services.plan_start_amendment(plan=current, reason="Поручение директора о подготовке к конкурсу")
    services.item_add(
        plan=current,
        content="Подготовка к региональному конкурсу методических разработок",
        direction=directions[8],
        form=WorkForm.CONTEST,
        due_date=soon,
        responsible=[people["mironov"], people["orlova"]],
        expected_result="Конкурсная работа",
    )
    # The council considers the amended plan before it is approved: a signed council protocol in September (in May
    # of the past year while 25 September is still to come: a protocol is signed only after its meeting).
    council_year, council_day = year, day_in(year, 9, 25)
    if council_day >= today:
        council_year, council_day = past, day_in(past, 5, 25)
    first = services.meeting_create(
        unit=units["council"],
        year=council_year,
        date=council_day,
        time=datetime.time(14, 30),
        place="Методический кабинет",
        created_by=chair,
    )
    absent = first.attendance.exclude(person__in=[chair, people["belova"]]).order_by("person__last_name").last()
    # The secretary marks everyone: one member away, the rest present (the protocol prints members, present, quorum).
    services.attendance_set(
        meeting=first,
        rows=[
            (row.person, row.pk != absent.pk, "командировка" if row.pk == absent.pk else "")
            for row in first.attendance.select_related("person")
        ],
    )
    agenda = services.agenda_add(
        meeting=first,
        title="Об утверждении плана методической работы на учебный год",
        speaker=methodist,
        plan=current,  # the plan prints «РАССМОТРЕНО на заседании методического совета …, протокол № …»
    )
    services.agenda_update(
        item=agenda,
        title=agenda.title,
        speaker=methodist,
        plan=current,
        heard="Соколову Е.А. о проекте плана методической работы.",
        spoke="Тарасова Л.Н. предложила дополнить план конкурсом методических разработок.",
        decided="Рекомендовать план к утверждению с учётом предложений.",
        votes_for=first.attendance.filter(present=True).count(),
        votes_against=0,
        votes_abstained=0,
    )
    services.decision_add(
        agenda_item=agenda,
        text="Дополнить план конкурсом методических разработок",
        responsible=methodist,
        deadline=council_day + datetime.timedelta(days=10),
    )
    decision = agenda.decisions.get()
    services.decision_mark(decision=decision, status=DecisionStatus.DONE, report="План дополнен")
    services.protocol_sign(meeting=first, person=chair)
    services.protocol_sign(meeting=first, person=people["belova"])

    services.plan_submit(plan=current, person=owner)
    services.plan_approve(plan=current, person=chair)  # the approved version freezes «РАССМОТРЕНО»

    # The council's own plan is approved by the director; an association's plan waits for the chair.
    council = services.plan_create(level=PlanLevel.UNIT, year=year, unit=units["council"], created_by=chair)
    for month, d, content in [
        (9, 25, "Заседание № 1: утверждение планов"),
        (12, 18, "Заседание № 2: итоги диагностики"),
    ]:
        services.item_add(
            plan=council,
            content=content,
            direction=directions[1],
            form=WorkForm.MEETING,
            due_date=day_in(year, month, d),
            responsible=[chair, people["belova"]],
        )
    services.plan_submit(plan=council, person=chair)
    services.plan_approve(plan=council, person=director)

    general = services.plan_create(level=PlanLevel.UNIT, year=year, unit=units["general"], created_by=people["orlova"])
    for month, d, content, code in [
        (10, 10, "Взаимопосещение уроков", 8),
        (11, 25, "Разработка КОС по общеобразовательным дисциплинам", 3),
        (3, 5, "Неделя общеобразовательных дисциплин", 8),
    ]:
        services.item_add(
            plan=general,
            content=content,
            direction=directions[code],
            form=WorkForm.OTHER,
            due_date=day_in(year, month, d),
            responsible=[people["orlova"]],
        )
    services.plan_submit(plan=general, person=people["orlova"])

    teacher = services.plan_create(
        level=PlanLevel.INDIVIDUAL,
        year=year,
        person=people["mironov"],
        created_by=people["mironov"],
        self_education_theme="Цифровые образовательные ресурсы на уроках математики",
        goal="Повысить мотивацию студентов к изучению математики",
        tasks="Изучить цифровые ресурсы\nРазработать серию уроков\nПровести открытый урок",
    )
    for month, d, content, code, form in [
        (11, 30, "Изучение литературы по теме самообразования", 7, WorkForm.SELF_EDUCATION),
        (12, 5, "Открытый урок", 8, WorkForm.OPEN_LESSON),
        (5, 20, "Отчёт о самообразовании на заседании ПЦК", 3, WorkForm.MEETING),
    ]:
        services.item_add(
            plan=teacher,
            content=content,
            direction=directions[code],
            form=form,
            due_date=day_in(year, month, d),
            responsible=[people["mironov"]],
        )
    services.plan_submit(plan=teacher, person=people["mironov"])

    # An association head's own individual plan waits for the council chair.
    own = services.plan_create(
        level=PlanLevel.INDIVIDUAL,
        year=year,
        person=people["orlova"],
        created_by=people["orlova"],
        self_education_theme="Функциональная грамотность на уроках русского языка",
    )
    services.item_add(
        plan=own,
        content="Обобщение опыта работы ПЦК по функциональной грамотности",
        direction=directions[8],
        form=WorkForm.DEVELOPMENT,
        due_date=day_in(year, 4, 15),
        responsible=[people["orlova"]],
        expected_result="Методические рекомендации",
    )
    services.plan_submit(plan=own, person=people["orlova"])

    # This week's association meeting.
    if year.contains(today):
        week = services.meeting_create(
            unit=units["general"],
            year=year,
            date=today,
            time=datetime.time(15, 0),
            place="Ауд. 204",
            created_by=people["orlova"],
        )
        item = services.agenda_add(meeting=week, title="О подготовке открытых уроков", speaker=people["orlova"])
        services.decision_add(
            agenda_item=item,
            text="Подготовить методическую разработку открытого урока",
            responsible=people["mironov"],
            deadline=soon,
        )

    _pedagogical_council(b, units, past=past, year=year, service_plan=current, council_plan=council, today=today)


def _pedagogical_council(b: Builder, units: dict, *, past, year, service_plan: Plan, council_plan: Plan, today) -> None:
    """The August pedagogical council (the last days of the past academic year) passes two of its decisions to the
    service: one answered by the service's plan, one waiting for an answer; the director gives the council an
    assignment of the new year, answered by its plan."""
    people = b.people
    director, secretary, deputy = people["vorontsov"], people["nikitina"], people["lebedeva"]
    day = datetime.date(past.end.year, 8, 28)
    meeting = services.meeting_create(
        unit=units["pedagogical_council"],
        year=past,
        date=day,
        time=datetime.time(10, 0),
        place="Актовый зал",
        created_by=secretary,
    )
    services.attendance_set(
        meeting=meeting,
        rows=[
            (
                row.person,
                row.person.pk != people["romanov"].pk,
                "отпуск" if row.person.pk == people["romanov"].pk else "",
            )
            for row in meeting.attendance.select_related("person")
        ],
    )
    present = meeting.attendance.filter(present=True).count()
    agenda = services.agenda_add(
        meeting=meeting,
        title=f"Об итогах методической работы за {past} учебный год и задачах на {year} учебный год",
        speaker=deputy,
    )
    services.agenda_update(
        item=agenda,
        title=agenda.title,
        speaker=deputy,
        plan=None,
        heard="Лебедеву И.В. об итогах методической работы и результатах аттестации педагогов.",
        spoke="Воронцов С.Н. предложил уделить внимание молодым специалистам и конкурсам профессионального мастерства.",
        decided="Признать методическую работу удовлетворительной; поручить методической службе задачи на новый год.",
        votes_for=present,
        votes_against=0,
        votes_abstained=0,
    )
    diagnostics = services.decision_add(
        agenda_item=agenda,
        text="Методической службе организовать диагностику профессиональных дефицитов педагогов, в том числе "
        "впервые принятых на работу",
        responsible=deputy,
        deadline=datetime.date(year.start.year, 10, 30),
    )
    contests = services.decision_add(
        agenda_item=agenda,
        text="Методическому совету рассмотреть итоги участия педагогов в конкурсах профессионального мастерства и "
        "подготовить предложения по их поддержке",
        responsible=people["tarasova"],
        deadline=datetime.date(year.start.year, 12, 20),
    )
    services.protocol_sign(meeting=meeting, person=director)
    services.protocol_sign(meeting=meeting, person=secretary)

    tracked = services.assignment_from_decision(decision=diagnostics, by=director, addressee=units["service"])
    services.assignment_answer(
        assignment=tracked,
        by=deputy,
        plan_item=service_plan.items.get(content="Диагностика профессиональных дефицитов педагогов"),
    )
    services.assignment_from_decision(decision=contests, by=secretary, addressee=units["council"])

    given = min(today, year.start + datetime.timedelta(days=10))
    assignment = services.assignment_issue(
        by=director,
        text="Подготовить аналитическую справку по итогам входной диагностики педагогов и рассмотреть её на "
        "заседании методического совета",
        deadline=datetime.date(year.start.year, 12, 25),
        addressee=units["council"],
        issued_on=given,
    )
    services.assignment_answer(
        assignment=assignment,
        by=people["tarasova"],
        plan_item=council_plan.items.get(content="Заседание № 2: итоги диагностики"),
    )
