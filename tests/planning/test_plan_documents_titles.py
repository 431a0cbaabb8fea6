"""What a plan prints comes from the structure: the approver's title (Председатель ПЦК …, Руководитель МО …, the
council chair as the appointing order named them, the director's position), the teacher's own position, and
«РАССМОТРЕНО на заседании …, протокол № … от …» from a signed protocol — frozen in the approved version. Also: a
plan for a year that has ended is confirmed first, a one-day period is one date, and an execution mark's evidence
link may be an intranet address but never a script.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from planning import reports, selectors, services
from planning.forms.meetings import AgendaForm
from planning.models import ItemStatus, Plan, PlanItem, PlanLevel, WorkForm
from structure.models import Action, ActionKind, MemberRole, Membership, Position, UnitKind
from tests.factories import PersonFactory, create_unit, person_with_account, signed_order
from tests.structure.test_order_pdf import pdf_text as _pdf_text
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]

#: The reference positions (structure/migrations/0002_positions.py) in the genitive.
GENITIVE = {
    "Директор": "директора",
    "Заместитель директора по учебно-методической работе": "заместителя директора по учебно-методической работе",
    "Заведующий отделением": "заведующего отделением",
    "Методист": "методиста",
    "Старший методист": "старшего методиста",
    "Преподаватель": "преподавателя",
    "Мастер производственного обучения": "мастера производственного обучения",
    "Старший мастер": "старшего мастера",
    "Преподаватель-организатор основ безопасности и защиты Родины": (
        "преподавателя-организатора основ безопасности и защиты Родины"
    ),
    "Руководитель физического воспитания": "руководителя физического воспитания",
    "Педагог-организатор": "педагога-организатора",
    "Педагог дополнительного образования": "педагога дополнительного образования",
    "Социальный педагог": "социального педагога",
    "Педагог-психолог": "педагога-психолога",
    "Воспитатель": "воспитателя",
    "Тьютор": "тьютора",
    "Концертмейстер": "концертмейстера",
    "Педагог-библиотекарь": "педагога-библиотекаря",
}


def pdf_text(plan: Plan) -> str:
    plan = Plan.objects.get(pk=plan.pk)
    return _pdf_text(reports.plan_pdf(plan)).replace("- ", "-")


def add_item(world, plan: Plan, person, **extra) -> PlanItem:
    fields = {
        "content": "Изучить литературу по теме самообразования",
        "direction": world.directions[7],
        "form": WorkForm.SELF_EDUCATION,
        "due_date": world.year.end,
        "responsible": [person],
    } | extra
    return services.item_add(plan=plan, **fields)


def submitted_individual_plan(world, person) -> Plan:
    plan = services.plan_create(level=PlanLevel.INDIVIDUAL, year=world.year, person=person, created_by=person)
    add_item(world, plan, person)
    return services.plan_submit(plan=plan, person=person)


def include(world, unit, person) -> None:
    signed_order(
        world.people["director"],
        world.people["deputy"],
        [{"kind": ActionKind.INCLUDE, "unit": unit, "person": person}],
        title="О включении в состав",
    )


# ---------------------------------------------------------------- titles


def test_the_head_of_a_ptsk_approves_as_its_chair(world):
    plan = world.teacher_plan
    text = pdf_text(plan)
    title = f"Председатель {world.association.name}"  # «Председатель ПЦК общепрофессиональных дисциплин»
    assert title.startswith("Председатель ПЦК ")
    assert f"УТВЕРЖДАЮ {title} ________________ {world.people['mo_head'].signature_name}" in text
    assert "методического объединения" not in text
    approved = services.plan_approve(plan=plan, person=world.people["mo_head"])
    assert approved.approved_by_position == title
    assert f"УТВЕРЖДАЮ {title}" in pdf_text(approved)


def test_the_head_of_an_mo_approves_as_its_head(world):
    head, member = PersonFactory(), PersonFactory()
    create_unit(
        world.people["director"],
        world.people["deputy"],
        UnitKind.ASSOCIATION_EDUCATIONAL,
        "МО классных руководителей",
        head=head,
        members=[member],
    )
    plan = services.plan_approve(plan=submitted_individual_plan(world, member), person=head)
    assert plan.approved_by_position == "Руководитель МО классных руководителей"
    assert f"УТВЕРЖДАЮ Руководитель МО классных руководителей ________________ {head.signature_name}" in pdf_text(plan)


def test_head_titles_of_names_without_their_abbreviation():
    assert selectors.head_title(UnitKind.ASSOCIATION_CYCLE, "Информатика") == "Председатель ПЦК «Информатика»"
    assert selectors.head_title(UnitKind.ASSOCIATION_EDUCATIONAL, "Кураторы") == "Руководитель МО «Кураторы»"
    assert selectors.head_title(UnitKind.COUNCIL, "Методический совет техникума") == (
        "Председатель методического совета"
    )
    assert selectors.head_title(UnitKind.CREATIVE_GROUP, "Цифровая дидактика") == (
        "Руководитель творческой группы «Цифровая дидактика»"
    )
    assert selectors.head_title(UnitKind.SERVICE, "Методическая служба") == "Руководитель методической службы"


def test_the_council_chair_signs_with_the_title_the_appointing_order_gave(world):
    people = world.people
    plan = submitted_individual_plan(world, people["mo_head"])  # an association head's own plan: the chair
    assert "УТВЕРЖДАЮ Председатель методического совета" in pdf_text(plan)
    # An order that appointed the chair «руководителем» gives that title (a signed order's wording is frozen).
    chair = Membership.objects.get(unit=world.council, role=MemberRole.HEAD, end__isnull=True)
    actions = Action.objects.filter(
        clause__order=chair.start_order, kind=ActionKind.APPOINT, person=chair.person, role=MemberRole.HEAD
    )
    assert actions.exists()
    actions.update(text=f"Назначить руководителем методического совета: {chair.person.full_name}.")
    approved = services.plan_approve(plan=plan, person=people["chair"])
    assert approved.approved_by_position == "Руководитель методического совета"
    assert "УТВЕРЖДАЮ Руководитель методического совета" in pdf_text(approved)


def test_the_director_approves_with_the_position(world):
    people = world.people
    plan = submitted_individual_plan(world, people["methodist"])
    assert f"УТВЕРЖДАЮ Директор ________________ {people['director'].signature_name}" in pdf_text(plan)
    services.plan_approve(plan=plan, person=people["director"])
    assert "УТВЕРЖДАЮ Директор" in pdf_text(plan)
    assert "ИНДИВИДУАЛЬНЫЙ ПЛАН МЕТОДИЧЕСКОЙ РАБОТЫ МЕТОДИСТА" in pdf_text(plan)


def test_the_individual_plan_names_the_persons_own_position(world):
    master = person_with_account("master", last_name="Мастеров")
    master.position = Position.objects.get(name="Мастер производственного обучения")
    master.save()
    include(world, world.association, master)
    plan = submitted_individual_plan(world, master)
    text = pdf_text(plan)
    assert "ИНДИВИДУАЛЬНЫЙ ПЛАН МЕТОДИЧЕСКОЙ РАБОТЫ МАСТЕРА ПРОИЗВОДСТВЕННОГО ОБУЧЕНИЯ" in text
    assert "ПРЕПОДАВАТЕЛЯ" not in text
    assert "Должность: Мастер производственного обучения" in text
    assert f"Мастер производственного обучения ________________ {master.signature_name}" in text
    # Approved, the plan keeps the position it was approved with.
    services.plan_approve(plan=plan, person=world.people["mo_head"])
    master.position = Position.objects.get(name="Старший мастер")
    master.save()
    text = pdf_text(plan)
    assert "МАСТЕРА ПРОИЗВОДСТВЕННОГО ОБУЧЕНИЯ" in text and "Старший мастер" not in text


@pytest.mark.parametrize(("position", "genitive"), list(GENITIVE.items()))
def test_positions_in_the_genitive(position, genitive):
    assert reports.position_genitive(position) == genitive


def test_other_positions_decline_by_the_same_rules_or_not_at_all():
    assert reports.position_genitive("Лаборант ИТ") == "лаборанта ИТ"
    assert reports.position_genitive("Инженер-программист") == "инженера-программиста"
    assert reports.position_genitive("Инженеро") == ""


# ---------------------------------------------------------------- РАССМОТРЕНО


def council_protocol(world, plan: Plan, *, sign: bool = True):
    """A council meeting today whose question considers `plan`; signed by the chair and the secretary."""
    people = world.people
    meeting = services.meeting_create(unit=world.council, year=world.year, date=world.today, created_by=people["chair"])
    services.attendance_set(
        meeting=meeting, rows=[(person, True, "") for person, _present, _reason in selectors.attendance_rows(meeting)]
    )
    item = services.agenda_add(meeting=meeting, title="О плане работы ПЦК", plan=plan)
    services.agenda_update(item=item, title=item.title, plan=plan, decided="Рекомендовать план к утверждению.")
    if sign:
        services.protocol_sign(meeting=meeting, person=people["chair"])
        services.protocol_sign(meeting=meeting, person=people["secretary"])
    meeting.refresh_from_db()
    return meeting


def test_considered_prints_from_the_signed_protocol_and_is_frozen_at_approval(world):
    plan = world.association_plan
    unsigned = council_protocol(world, plan, sign=False)
    assert "РАССМОТРЕНО" not in pdf_text(plan)  # a protocol nobody signed is not a record
    services.protocol_sign(meeting=unsigned, person=world.people["chair"])
    services.protocol_sign(meeting=unsigned, person=world.people["secretary"])
    considered = (
        f"РАССМОТРЕНО на заседании методического совета, протокол № {unsigned.number} от {world.today:%d.%m.%Y}"
    )
    assert considered in pdf_text(plan)
    approved = services.plan_approve(plan=plan, person=world.people["chair"])
    assert approved.versions.get().snapshot["considered"]["number"] == unsigned.number
    assert considered in pdf_text(approved)
    # Considered again later (for an amendment): the approved version still prints what it was approved after.
    later = council_protocol(world, plan)
    assert later.number != unsigned.number
    assert considered in pdf_text(approved)


def test_a_plan_not_considered_prints_no_considered_block(world):
    assert "РАССМОТРЕНО" not in pdf_text(world.teacher_plan)


def test_unit_names_in_the_genitive():
    assert selectors.unit_genitive(UnitKind.COUNCIL, "Методический совет техникума") == "методического совета техникума"
    assert selectors.unit_genitive(UnitKind.ASSOCIATION_CYCLE, "ПЦК общепрофессиональных дисциплин") == (
        "ПЦК общепрофессиональных дисциплин"
    )
    assert selectors.unit_genitive(UnitKind.CREATIVE_GROUP, "Цифровая дидактика") == (
        "творческой группы «Цифровая дидактика»"
    )


def test_the_agenda_offers_the_plans_the_user_may_see(world):
    meeting = world.meeting  # the association's
    mine = set(AgendaForm(meeting=meeting, user=world.people["mo_head"].user).fields["plan"].queryset)
    assert {world.service_plan, world.association_plan, world.teacher_plan} <= mine
    assert world.council_plan not in mine  # another unit's plan
    anonymous = set(AgendaForm(meeting=meeting).fields["plan"].queryset)
    assert world.teacher_plan not in anonymous and world.association_plan in anonymous
    with pytest.raises(ValidationError) as refused:
        services.agenda_add(meeting=meeting, title="О плане совета", plan=world.council_plan)
    assert refused.value.error_dict["plan"][0].code == "agenda_plan"


def test_the_agenda_page_records_the_plan_considered(world):
    client = client_for(world, "mo_head")
    response = client.post(
        reverse("planning:agenda_add", args=[world.meeting.pk]),
        {"title": "О плане ПЦК на год", "plan": world.association_plan.pk},
    )
    assert response.status_code == 302
    item = world.meeting.agenda.get(title="О плане ПЦК на год")
    assert item.plan == world.association_plan


# ---------------------------------------------------------------- a year that has ended, a one-day period


def test_a_plan_for_an_ended_year_asks_for_confirmation(world):
    client = client_for(world, "chair")
    data = {"level": PlanLevel.INDIVIDUAL, "year": world.past_year.pk, "goal": "", "tasks": ""}
    response = client.post(reverse("planning:plan_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert [error.code for error in errors["confirm_ended_year"]] == ["year_ended"]
    assert 'type="checkbox" name="confirm_ended_year"' in response.content.decode()
    assert not Plan.objects.filter(person=world.people["chair"]).exists()

    response = client.post(reverse("planning:plan_create"), data | {"confirm_ended_year": "on"})
    plan = Plan.objects.get(person=world.people["chair"], year=world.past_year)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()


def test_the_current_year_needs_no_confirmation(world):
    client = client_for(world, "chair")
    form_page = client.get(reverse("planning:plan_create")).content.decode()
    assert 'type="checkbox" name="confirm_ended_year"' not in form_page
    data = {"level": PlanLevel.INDIVIDUAL, "year": world.year.pk, "goal": "", "tasks": ""}
    assert client.post(reverse("planning:plan_create"), data).status_code == 302
    assert Plan.objects.filter(person=world.people["chair"], year=world.year).exists()


def test_a_one_day_period_prints_one_date(world):
    people = world.people
    plan = world.council_plan
    day = world.year.start + datetime.timedelta(days=41)  # a day of the year before its last
    item = add_item(world, plan, people["chair"], start_date=day, due_date=day, form=WorkForm.MEETING)
    assert reports.item_dates(item) == f"{day:%d.%m.%Y}"
    text = pdf_text(plan)
    assert f"{day:%d.%m.%Y}" in text and f"{day:%d.%m.%Y} – {day:%d.%m.%Y}" not in text
    page = client_for(world, "chair").get(plan.get_absolute_url()).content.decode()
    assert re.search(re.escape(f"{day:%d.%m.%Y}") + r"\s*–", page) is None
    two = add_item(world, plan, people["chair"], start_date=day, due_date=world.year.end)
    assert reports.item_dates(two) == f"{day:%d.%m.%Y} – {world.year.end:%d.%m.%Y}"


# ---------------------------------------------------------------- the evidence link


def mark(world, link: str):
    item = world.teacher_item
    return client_for(world, "teacher").post(
        reverse("planning:item_mark", args=[world.service_plan.pk, item.pk]),
        {"status": ItemStatus.DONE, "report": "Проведён", "evidence_link": link},
    )


def test_an_intranet_evidence_link_is_accepted(world):
    response = mark(world, "http://fileserver/x")
    assert response.status_code == 302
    assert PlanItem.objects.get(pk=world.teacher_item.pk).evidence_link == "http://fileserver/x"


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://x/y"])
def test_a_script_or_other_scheme_is_refused(world, link):
    response = mark(world, link)
    assert response.status_code == 200
    codes = [error.code for error in response.context["form"].errors.as_data()["evidence_link"]]
    assert "evidence_link" in codes
    assert PlanItem.objects.get(pk=world.teacher_item.pk).evidence_link == ""
    # The service refuses it too, whoever calls it.
    with pytest.raises(ValidationError) as refused:
        services.item_mark(item=world.teacher_item, status=ItemStatus.DONE, report="Проведён", evidence_link=link)
    assert refused.value.error_dict["evidence_link"][0].code == "evidence_link"
