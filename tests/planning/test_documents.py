"""Documents of planning/: the plans and the protocol as PDF (text, approval block, drafts, embedded fonts), the plan
and the decision register as XLSX, the views' file names and filters, and a bounded number of queries."""

from __future__ import annotations

import datetime
import io
from urllib.parse import quote

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from planning import reports, selectors, services
from planning.models import Decision, DecisionStatus, ItemStatus, Meeting, PlanLevel, WorkForm
from tests.factories import PersonFactory
from tests.structure.test_order_pdf import font_descriptors
from tests.structure.test_order_pdf import pdf_text as _pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, extra_staff=8)]

MONTHS = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]


def pdf_text(pdf: bytes) -> str:
    """The text of every page, whitespace collapsed; a word broken at its hyphen across lines is joined again."""
    return _pdf_text(pdf).replace("- ", "-")


def approval_date(moment: datetime.datetime) -> str:
    day = timezone.localdate(moment)
    return f"«{day:%d}» {MONTHS[day.month - 1]} {day.year} г."


def assert_fonts_embedded(pdf: bytes) -> None:
    descriptors = list(font_descriptors(pdf))
    assert descriptors
    for name, descriptor in descriptors:
        assert descriptor is not None, name
        assert any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")), name


def xlsx_rows(data: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


# ---------------------------------------------------------------- plans as PDF


def test_service_plan_pdf_has_the_header_the_items_and_the_approval(world):
    people = world.people
    services.item_mark(item=world.teacher_item, status=ItemStatus.DONE, report="Урок проведён, разработка на сайте")
    plan = world.service_plan
    pdf = reports.plan_pdf(plan)
    text = pdf_text(pdf)

    assert "ПЛАН МЕТОДИЧЕСКОЙ РАБОТЫ" in text
    assert f"на {world.year.title} учебный год" in text
    assert f"Единая методическая тема: «{world.theme.title}»" in text
    assert f"Этап работы над темой в {world.year.title} учебном году: Практический этап" in text
    # The plan's own goal; the theme's tasks, numbered, as the plan states none.
    assert "Цель: Цель" in text
    assert "1. Освоить цифровые инструменты" in text
    assert "2. Обобщить опыт" in text
    # The table, grouped by direction with sub-headings, items numbered within their direction.
    for header in ("Содержание работы", "Сроки", "Ответственные", "Форма результата", "Отметка о выполнении"):
        assert header in text
    for item in plan.items.all():
        assert item.content in text
    assert "2. Диагностическая деятельность 2.1 Диагностика профессиональных дефицитов" in text
    assert "8. Изучение, распространение и внедрение передового педагогического опыта 8.1 Открытый урок" in text
    assert text.index("2. Диагностическая") < text.index("8. Изучение")
    assert f"{world.teacher_item.due_date:%d.%m.%Y}" in text
    assert people["teacher"].short_name in text
    assert people["methodist"].short_name in text
    assert "Методическая разработка" in text
    assert "выполнено Урок проведён, разработка на сайте" in text
    # The approval block.
    assert "УТВЕРЖДАЮ Председатель методического совета" in text
    assert people["chair"].signature_name in text
    assert approval_date(plan.approved_at) in text
    assert "ПРОЕКТ" not in text
    assert_fonts_embedded(pdf)


def test_a_plan_not_approved_is_a_project_naming_its_approver(world):
    text = pdf_text(reports.plan_pdf(world.association_plan))

    assert "ПРОЕКТ" in text
    assert "Проект — представлен на утверждение" in text
    assert "ПЛАН РАБОТЫ «ПЦК общепрофессиональных дисциплин»" in text
    assert "3.1 Заседание ПЦК" in text
    # Today's approver of a unit's plan: the council chair; no date yet.
    assert "УТВЕРЖДАЮ Председатель методического совета" in text
    assert world.people["chair"].signature_name in text
    assert " г." not in text

    council_text = pdf_text(reports.plan_pdf(world.council_plan))
    assert "Проект — не утверждён" in council_text
    assert "ПЛАН РАБОТЫ «Методический совет»" in council_text
    assert "В плане пока нет мероприятий." in council_text
    # The director approves the council's own plan.
    assert "УТВЕРЖДАЮ Директор" in council_text
    assert world.people["director"].signature_name in council_text


def test_an_amendment_in_progress_is_a_project_of_changes(world):
    plan = services.plan_start_amendment(plan=world.service_plan, reason="Новое мероприятие")
    text = pdf_text(reports.plan_pdf(plan))

    assert "ПРОЕКТ" in text
    assert f"Проект изменений к плану, утверждённому {timezone.localdate(plan.approved_at):%d.%m.%Y}" in text


def test_individual_plan_pdf(world):
    people = world.people
    plan = world.teacher_plan
    pdf = reports.plan_pdf(plan)
    text = pdf_text(pdf)

    assert "ИНДИВИДУАЛЬНЫЙ ПЛАН МЕТОДИЧЕСКОЙ РАБОТЫ ПРЕПОДАВАТЕЛЯ" in text
    assert f"на {world.year.title} учебный год" in text
    assert f"ФИО: {people['teacher'].full_name}" in text
    assert "Должность: Преподаватель" in text
    assert f"МО/ПЦК: {world.association.name}" in text
    # From attestation's record (tests/attestation/test_records.py prints a category and a course).
    assert "Квалификационная категория, дата присвоения: без категории" in text
    assert "Последнее повышение квалификации: —" in text
    assert (
        f"Тема самообразования: «Цифровые образовательные ресурсы» (в рамках единой методической темы "
        f"«{world.theme.title}»)" in text
    )
    for header in ("Вид работы", "Срок", "Форма отчёта", "Отметка о выполнении"):
        assert header in text
    assert "1 Изучить литературу по теме самообразования" in text
    assert f"Преподаватель ________________ {people['teacher'].signature_name}" in text
    # Submitted: a project; the head of the teacher's association approves it.
    assert "ПРОЕКТ" in text
    assert f"УТВЕРЖДАЮ Председатель {world.association.name}" in text  # «Председатель ПЦК …», from the structure
    assert people["mo_head"].signature_name in text
    assert_fonts_embedded(pdf)

    plan = services.plan_approve(plan=plan, person=people["mo_head"])
    text = pdf_text(reports.plan_pdf(plan))
    assert "ПРОЕКТ" not in text
    assert people["mo_head"].signature_name in text
    assert approval_date(plan.approved_at) in text


def test_plan_rows_are_grouped_by_direction_and_dated_as_planned(world):
    directions = world.directions
    plan = services.plan_create(
        level=PlanLevel.UNIT, year=world.year, unit=world.lab, created_by=world.people["lab_head"]
    )
    start, end = world.year.start, world.year.end
    lead = [world.people["lab_head"]]
    services.item_add(
        plan=plan, content="A", direction=directions[9], form=WorkForm.OTHER, due_date=end, responsible=lead
    )
    services.item_add(
        plan=plan,
        content="B",
        direction=directions[1],
        form=WorkForm.OTHER,
        due_date=end,
        responsible=lead,
        period="в течение года",
    )
    services.item_add(
        plan=plan,
        content="C",
        direction=directions[9],
        form=WorkForm.OTHER,
        start_date=start,
        due_date=end,
        responsible=lead,
    )
    plan = selectors.plan_detail(plan.pk).get()

    sections, rows = reports.plan_rows(plan)

    assert [s.direction.code for s in sections] == [1, 9]
    assert [(r.number, r.item.content) for r in rows] == [("1.1", "B"), ("9.1", "A"), ("9.2", "C")]
    assert [r.dates for r in rows] == [
        "в течение года",
        f"{end:%d.%m.%Y}",
        f"{start:%d.%m.%Y} – {end:%d.%m.%Y}",
    ]
    assert rows[0].responsible == world.people["lab_head"].short_name


# ---------------------------------------------------------------- the protocol


def _held_meeting(world):
    """The association's meeting with its protocol written: two questions, a vote, an absence, a guest."""
    people = world.people
    meeting = world.meeting
    item = world.agenda_item
    absent = meeting.attendance.exclude(person__in=[people["mo_head"], people["teacher"]]).first().person
    services.attendance_set(
        meeting=meeting,
        rows=[(a.person, a.person != absent, "болезнь") for a in meeting.attendance.select_related("person")],
    )
    services.agenda_update(
        item=item,
        title=item.title,
        speaker=people["mo_head"],
        heard="Руководитель ПЦК представила проект плана работы на учебный год.",
        spoke="Преподаватель предложил включить в план открытый урок.",
        decided="Одобрить план работы ПЦК.",
        votes_for=3,
        votes_against=1,
        votes_abstained=0,
    )
    second = services.agenda_add(meeting=meeting, title="О подготовке к аттестации", speaker=people["teacher"])
    services.agenda_update(item=second, title=second.title, speaker=people["teacher"], decided="Принять к сведению.")
    services.guest_add(meeting=meeting, name="Сидоров Пётр Павлович", position="методист колледжа")
    services.meeting_update(
        meeting=meeting,
        date=meeting.date,
        number=meeting.number,
        time=datetime.time(14, 30),
        place=meeting.place,
        chair=people["mo_head"],
        secretary=people["teacher"],
    )
    return meeting, absent


def test_signed_protocol_pdf(world):
    people = world.people
    meeting, absent = _held_meeting(world)
    services.protocol_sign(meeting=meeting, person=people["mo_head"])
    meeting = services.protocol_sign(meeting=meeting, person=people["teacher"])
    pdf = reports.protocol_pdf(meeting)
    text = pdf_text(pdf)

    assert world.association.name in text
    assert "ПРОТОКОЛ № 1" in text
    assert f"{meeting.date:%d.%m.%Y}, 14:30" in text
    assert "Ауд. 204" in text
    assert f"Председатель — {people['mo_head'].short_name}" in text
    assert f"Секретарь — {people['teacher'].short_name}" in text
    present = [row.person for row in meeting.attendance.select_related("person") if row.present]
    assert f"Присутствовали: {len(present)} чел.:" in text
    for person in present:
        assert person.short_name in text
    assert f"Отсутствовали: 1 чел.: {absent.short_name} (болезнь)" in text
    assert "Приглашённые: Сидоров Пётр Павлович (методист колледжа)" in text
    assert "ПОВЕСТКА ДНЯ" in text
    assert f"1. О плане работы ПЦК (докладчик — {people['mo_head'].short_name})" in text
    assert f"2. О подготовке к аттестации (докладчик — {people['teacher'].short_name})" in text
    assert "1. СЛУШАЛИ: Руководитель ПЦК представила проект" in text
    assert "ВЫСТУПИЛИ: Преподаватель предложил" in text
    assert "РЕШИЛИ (ПОСТАНОВИЛИ): Одобрить план работы ПЦК." in text
    decision = world.decision
    assert (
        f"1.1. Подготовить открытый урок (ответственный — {people['teacher'].short_name}, "
        f"срок — до {decision.deadline:%d.%m.%Y})." in text
    )
    assert "Голосовали: за — 3, против — 1, воздержались — 0." in text
    assert f"2. СЛУШАЛИ: {people['teacher'].short_name} — «О подготовке к аттестации»." in text
    assert "РЕШИЛИ (ПОСТАНОВИЛИ): Принять к сведению." in text
    # The second question had no vote recorded: no vote line for it.
    assert text.count("Голосовали:") == 1
    # Signatures, marked as signed electronically.
    assert "Председатель ________________ подписано электронно" in text
    assert people["mo_head"].signature_name in text
    assert people["teacher"].signature_name in text
    assert text.count("подписано электронно") == 2
    assert timezone.localtime(meeting.chair_signed_at).strftime("%d.%m.%Y %H:%M") in text
    assert "ПРОЕКТ" not in text
    assert_fonts_embedded(pdf)


def test_unsigned_protocol_is_a_project(world):
    people = world.people
    meeting, _absent = _held_meeting(world)
    meeting = services.protocol_sign(meeting=meeting, person=people["mo_head"])
    text = pdf_text(reports.protocol_pdf(meeting))

    assert "ПРОЕКТ" in text
    assert "Проект — протокол не подписан" in text
    # The chair has signed, the secretary not yet.
    assert text.count("подписано электронно") == 1

    bare = pdf_text(reports.protocol_pdf(Meeting.objects.get(pk=world.meeting.pk)))
    assert "ПРОЕКТ" in bare


# ---------------------------------------------------------------- XLSX


def test_plan_xlsx_has_title_rows_and_the_table(world):
    plan = world.service_plan
    rows = xlsx_rows(reports.plan_xlsx(plan))

    assert rows[0][0] == str(plan)
    assert rows[1][0] == gettext("Single methodological theme: %(theme)s") % {"theme": world.theme.title}
    assert str(world.people["chair"].short_name) in rows[2][0]
    assert rows[3][0] is None
    header = rows[4]
    assert header[:3] == (gettext("No."), gettext("Content of the work"), gettext("Direction"))
    table = rows[5:]
    assert [row[0] for row in table] == ["2.1", "8.1"]
    assert [row[1] for row in table] == [
        "Диагностика профессиональных дефицитов",
        "Открытый урок по цифровым технологиям",
    ]
    assert table[1][2] == str(world.directions[8])
    assert table[1][4].date() == world.teacher_item.due_date
    assert table[1][5] == world.people["teacher"].short_name

    sheet = openpyxl.load_workbook(io.BytesIO(reports.plan_xlsx(plan))).active
    assert sheet.freeze_panes == "A6"
    assert sheet.auto_filter.ref.startswith("A5:")


def test_individual_plan_xlsx_names_the_self_education_theme(world):
    rows = xlsx_rows(reports.plan_xlsx(world.teacher_plan))
    assert rows[1][0] == gettext("Self-education theme: %(theme)s") % {"theme": "Цифровые образовательные ресурсы"}
    assert rows[6][:2] == ("1", "Изучить литературу по теме самообразования")


def test_decision_register_xlsx_applies_the_register_filters(world, today):
    people = world.people
    meeting = world.meeting
    other = services.decision_add(
        agenda_item=world.agenda_item, text="Обновить КТП", responsible=people["mo_head"], deadline=meeting.date
    )
    Decision.objects.filter(pk=other.pk).update(deadline=meeting.date - datetime.timedelta(days=1))
    council_meeting = services.meeting_create(
        unit=world.council, year=world.year, date=meeting.date, created_by=people["methodist"]
    )
    item = services.agenda_add(meeting=council_meeting, title="Об аттестации")
    done = services.decision_add(
        agenda_item=item, text="Утвердить график", responsible=people["teacher"], deadline=meeting.date
    )
    services.decision_mark(decision=done, status=DecisionStatus.DONE, report="Утверждён")
    client = Client()
    client.force_login(people["teacher"].user)
    url = reverse("planning:decisions_xlsx")

    def texts(params=None):
        response = client.get(url, params or {})
        assert response.status_code == 200
        return [row[4] for row in xlsx_rows(response.getvalue())[1:]]

    response = client.get(url)
    rows = xlsx_rows(response.getvalue())  # a streamed download: read once
    header = rows[0]
    assert header[:5] == (
        gettext("Unit"),
        gettext("Meeting No."),
        gettext("Meeting date"),
        gettext("Question"),
        gettext("Decision"),
    )
    first = rows[1]
    assert first[0] == world.association.name
    assert first[1] == 1
    assert first[2].date() == meeting.date
    assert first[5] == people["mo_head"].full_name
    assert f"filename*=utf-8''{quote(f'Реестр_решений_{today:%d.%m.%Y}.xlsx')}" in response["Content-Disposition"]
    assert sorted(texts()) == sorted(["Подготовить открытый урок", "Обновить КТП", "Утвердить график"])
    assert sorted(texts({"mine": "on"})) == ["Подготовить открытый урок", "Утвердить график"]
    assert texts({"status": "done"}) == ["Утвердить график"]
    assert texts({"unit": world.council.pk}) == ["Утвердить график"]
    assert texts({"overdue": "on"}) == ["Обновить КТП"]
    assert texts({"status": "done", "unit": world.association.pk}) == []


# ---------------------------------------------------------------- views


def test_document_views_name_their_files(world):
    client = Client()
    client.force_login(world.people["methodist"].user)
    year = world.year.title.replace("/", "-")

    response = client.get(reverse("planning:plan_pdf", args=[world.service_plan.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert quote(f"План_{year}.pdf") in response["Content-Disposition"]

    response = client.get(reverse("planning:plan_xlsx", args=[world.association_plan.pk]))
    assert quote(f"План_ПЦК_общепрофессиональных_дисциплин_{year}.xlsx") in response["Content-Disposition"]

    response = client.get(reverse("planning:plan_pdf", args=[world.teacher_plan.pk]))
    teacher = world.people["teacher"].short_name.replace(" ", "_")
    assert quote(f"Индивидуальный_план_{teacher}_{year}.pdf") in response["Content-Disposition"]

    response = client.get(reverse("planning:protocol_pdf", args=[world.meeting.pk]))
    name = f"Протокол_1_ПЦК_общепрофессиональных_дисциплин_{world.meeting.date:%d.%m.%Y}.pdf"
    assert quote(name, safe="") in response["Content-Disposition"]


def test_an_individual_plan_is_out_of_reach_of_other_teachers(world):
    client = Client()
    client.force_login(world.people["group_lead"].user)
    assert client.get(reverse("planning:plan_pdf", args=[world.teacher_plan.pk])).status_code == 404
    assert client.get(reverse("planning:plan_xlsx", args=[world.teacher_plan.pk])).status_code == 404
    assert client.get(reverse("planning:plan_pdf", args=[world.service_plan.pk])).status_code == 200


# ---------------------------------------------------------------- a bounded number of queries


def _big_plan(world, items: int):
    """An approved service plan of the past year with `items` items over the ten directions, two people each."""
    people = PersonFactory.create_batch(6)
    plan = services.plan_create(level=PlanLevel.SERVICE, year=world.past_year, created_by=world.people["methodist"])
    for index in range(items):
        services.item_add(
            plan=plan,
            content=f"Мероприятие № {index + 1}",
            direction=world.directions[index % 10 + 1],
            form=WorkForm.SEMINAR,
            due_date=world.past_year.end,
            responsible=[people[index % 6], people[(index + 1) % 6]],
            expected_result="Справка",
        )
    services.plan_submit(plan=plan, person=world.people["methodist"])
    plan = services.plan_approve(plan=plan, person=world.people["chair"])
    for item in plan.items.all()[:5]:
        services.item_mark(item=item, status=ItemStatus.DONE, report="Проведено")
    return plan


def test_plan_documents_queries_are_bounded(world, django_assert_max_num_queries):
    small = world.service_plan
    big = _big_plan(world, items=40)

    for render in (reports.plan_pdf, reports.plan_xlsx):
        with CaptureQueriesContext(connection) as small_queries:
            render(small)
        # +1 since an approved plan prints the names it was approved with, from its latest version.
        with django_assert_max_num_queries(8):
            render(big)
        with CaptureQueriesContext(connection) as big_queries:
            render(big)
        assert len(big_queries) == len(small_queries), render.__name__

    text = pdf_text(reports.plan_pdf(big))
    assert "Мероприятие № 40" in text
    assert "10.4" in text


def _big_meeting(world):
    """A council meeting of 25 attendees (two absent), three guests and eight questions with two decisions each."""
    people = world.people
    meeting = services.meeting_create(
        unit=world.council, year=world.year, date=world.today, created_by=people["methodist"], place="Зал"
    )
    members = [row.person for row in meeting.attendance.select_related("person")]
    extra = PersonFactory.create_batch(25 - len(members))
    services.attendance_set(
        meeting=meeting,
        rows=[(person, index >= 2, "" if index >= 2 else "отпуск") for index, person in enumerate(extra)]
        + [(person, True, "") for person in members],
    )
    for index in range(3):
        services.guest_add(meeting=meeting, name=f"Гость {index}", position="партнёр")
    for index in range(8):
        item = services.agenda_add(meeting=meeting, title=f"Вопрос {index + 1}", speaker=extra[index])
        services.agenda_update(
            item=item,
            title=item.title,
            speaker=extra[index],
            heard=f"Доклад {index + 1}",
            spoke="Обсуждение",
            decided="Принять",
            votes_for=20,
            votes_against=0,
            votes_abstained=3,
        )
        for k in range(2):
            services.decision_add(
                agenda_item=item,
                text=f"Решение {index + 1}.{k + 1}",
                responsible=extra[index + k],
                deadline=meeting.date,
            )
    return meeting


def test_protocol_queries_are_bounded(world, django_assert_max_num_queries):
    small = world.meeting
    big = _big_meeting(world)
    assert big.attendance.count() == 25

    with CaptureQueriesContext(connection) as small_queries:
        reports.protocol_pdf(small)
    with django_assert_max_num_queries(5):
        pdf = reports.protocol_pdf(big)
    with CaptureQueriesContext(connection) as big_queries:
        reports.protocol_pdf(big)

    assert len(big_queries) == len(small_queries)
    text = pdf_text(pdf)
    assert "Присутствовали: 23 чел." in text
    assert "8. СЛУШАЛИ: Доклад 8" in text
    assert "8.2. Решение 8.2" in text


def test_decision_register_queries_are_bounded(world, django_assert_max_num_queries):
    _big_meeting(world)
    client = Client()
    client.force_login(world.people["methodist"].user)
    # Session, user, person and roles (one query), the decisions in one query.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("planning:decisions_xlsx"))
    assert len(xlsx_rows(response.getvalue())) == 1 + 1 + 16


def test_evidence_file_is_served_only_through_the_permission_checked_view(world_with_evidence):
    world, item = world_with_evidence
    url = reverse("planning:item_evidence", args=[item.plan_id, item.pk])
    teacher = Client()
    teacher.force_login(world.people["teacher"].user)
    response = teacher.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "Конспект урока"
    stranger = Client()
    stranger.force_login(world.people["group_lead"].user)
    assert stranger.get(url).status_code == 404
    # No URL serves MEDIA_ROOT directly.
    assert Client().get("/media/" + item.evidence_file.name).status_code in {302, 404}
    assert teacher.get("/media/" + item.evidence_file.name).status_code == 404


@pytest.fixture
def world_with_evidence(db, today):
    from django.core.files.base import ContentFile

    from tests.planning.world import build_planning
    from tests.world import build_world

    world = build_planning(build_world())
    item = world.teacher_plan.items.first()
    item.evidence_file.save("evidence.txt", ContentFile("Конспект урока".encode()), save=True)
    return world, item
