"""The order on paper (ГОСТ Р 7.0.97): the wording a director would sign (names and positions declined, lists, the
appendix, quotes inside quotes), the visas, the отметка об исполнителе, the mark of the simple electronic signature,
what a signed order keeps printing after later changes, and who may download it."""

from __future__ import annotations

import datetime
import io
import json
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from structure import services
from structure.forms import ActionForm
from structure.models import ActionKind, MemberRole, Order, Person, Position, SystemRole, Unit, UnitKind
from structure.reports import order_pdf
from structure.signing import order_payload
from structure.wording import inner_quotes, name_accusative, position_accusative, quoted
from tests.factories import ExternalPersonFactory, PersonFactory, UserFactory, create_unit, person_with_account

pytestmark = pytest.mark.django_db

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
SIGNED_AT = datetime.datetime(2026, 6, 5, 10, 30, tzinfo=MOSCOW)
LATER = datetime.datetime(2026, 6, 8, 11, 0, tzinfo=MOSCOW)


def pages_of(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    return " ".join(pages_of(pdf))


def position(name: str) -> Position:
    return Position.objects.get(name=name)


@pytest.fixture
def director():
    return person_with_account(
        "director", SystemRole.DIRECTOR, last_name="Воронцов", first_name="Сергей", patronymic="Николаевич"
    )


@pytest.fixture
def deputy():
    return person_with_account(
        "deputy",
        SystemRole.DEPUTY,
        last_name="Лебедева",
        first_name="Ирина",
        patronymic="Викторовна",
        phone="+7 (3452) 50-40-02",
    )


def medvedeva() -> Person:
    return PersonFactory(last_name="Медведева", first_name="Инна", patronymic="Анатольевна")


def petrov() -> Person:
    return PersonFactory(
        last_name="Петров",
        first_name="Андрей",
        patronymic="Сергеевич",
        position=position("Мастер производственного обучения"),
    )


def mamedov() -> Person:
    return PersonFactory(last_name="Мамедов", first_name="Эльчин", patronymic="Рафик оглы")


def sign(director, deputy, clauses, *, at=SIGNED_AT, title="О творческой группе", approvers=()) -> Order:
    """Draft an order of `clauses` [(text, [action kwargs])], send it (the approvers agree) and sign it at `at`."""
    day = at.date()
    order = services.order_create(author=deputy, title=title, preamble="В целях развития", approvers=approvers)
    for text, actions in clauses:
        clause = services.clause_add(order=order, text=text)
        for spec in actions:
            services.action_add(clause=clause, day=day, **(spec() if callable(spec) else spec))
    services.order_send(order=order, day=day)
    for approver in approvers:
        services.order_visa(order=order, person=approver, agree=True)
    return services.order_sign(order=order, person=director, at=at)


def group(director, deputy, name="Цифровая дидактика", *, head=None, at=SIGNED_AT) -> Unit:
    return create_unit(director, deputy, UnitKind.CREATIVE_GROUP, name, head=head or PersonFactory(), at=at)


def wording(order: Order) -> list[str]:
    return [a.text for clause in order.clauses.all() for a in clause.actions.order_by("position")]


# ---------------------------------------------------------------- wording of each kind of action


def test_appoint_declines_a_womans_name_and_position_after_the_unit_in_the_genitive(director, deputy):
    unit = group(director, deputy, at=SIGNED_AT - datetime.timedelta(days=3))
    person = medvedeva()
    order = sign(
        director,
        deputy,
        [("Внести изменения:", [{"kind": ActionKind.APPOINT, "unit": unit, "person": person, "role": "head"}])],
    )
    expected = (
        "Назначить руководителем творческой группы «Цифровая дидактика» Медведеву Инну Анатольевну, преподавателя."
    )
    assert wording(order) == [expected]
    assert f"1.1. {expected}" in pdf_text(order_pdf(order))


def test_include_and_exclude_decline_a_mans_name_and_a_position_of_several_words(director, deputy):
    unit = group(director, deputy, at=SIGNED_AT - datetime.timedelta(days=3))
    master = petrov()
    include = sign(
        director, deputy, [("Изменить состав.", [{"kind": ActionKind.INCLUDE, "unit": unit, "person": master}])]
    )
    exclude = sign(
        director,
        deputy,
        [("Изменить состав.", [{"kind": ActionKind.EXCLUDE, "unit": unit, "person": master}])],
        at=LATER,
    )
    tail = "творческой группы «Цифровая дидактика» Петрова Андрея Сергеевича, мастера производственного обучения."
    assert wording(include) == [f"Включить в состав {tail}"]
    assert wording(exclude) == [f"Исключить из состава {tail}"]


def test_a_name_that_does_not_decline_keeps_the_nominative_after_a_colon(director, deputy):
    unit = group(director, deputy, at=SIGNED_AT - datetime.timedelta(days=3))
    order = sign(
        director,
        deputy,
        [("Внести изменения:", [{"kind": ActionKind.APPOINT, "unit": unit, "person": mamedov(), "role": "head"}])],
    )
    assert wording(order) == [
        "Назначить руководителем творческой группы «Цифровая дидактика»: Мамедов Эльчин Рафик оглы, преподаватель."
    ]


def test_a_council_has_a_chair_and_a_name_that_starts_with_its_kind_declines_itself(director, deputy):
    chair = PersonFactory(last_name="Тарасова", first_name="Людмила", patronymic="Николаевна")
    order = sign(
        director,
        deputy,
        [
            (
                "Утвердить структуру.",
                [
                    {
                        "kind": ActionKind.CREATE_UNIT,
                        "unit_kind": UnitKind.COUNCIL,
                        "unit_name": "Методический совет техникума",
                    },
                    lambda: {
                        "kind": ActionKind.APPOINT,
                        "unit": Unit.objects.get(name="Методический совет техникума"),
                        "person": chair,
                        "role": MemberRole.HEAD,
                    },
                ],
            )
        ],
    )
    assert wording(order) == [
        "Создать методический совет техникума.",
        "Назначить председателем методического совета техникума Тарасову Людмилу Николаевну, преподавателя.",
    ]


def test_create_rename_dissolve_and_cancel(director, deputy):
    create = sign(
        director,
        deputy,
        [
            (
                "Утвердить структуру.",
                [
                    {
                        "kind": ActionKind.CREATE_UNIT,
                        "unit_kind": UnitKind.CREATIVE_GROUP,
                        "unit_name": "Цифровой класс",
                    },
                    lambda: {
                        "kind": ActionKind.APPOINT,
                        "unit": Unit.objects.get(name="Цифровой класс"),
                        "person": medvedeva(),
                        "role": MemberRole.HEAD,
                    },
                ],
            )
        ],
        title="О создании творческой группы «Цифровой класс»",
    )
    unit = Unit.objects.get(name="Цифровой класс")
    rename = sign(
        director,
        deputy,
        [("Утвердить структуру.", [{"kind": ActionKind.RENAME, "unit": unit, "new_name": "Цифровая школа"}])],
        at=SIGNED_AT + datetime.timedelta(days=1),
    )
    dissolve = sign(
        director,
        deputy,
        [("Утвердить структуру.", [{"kind": ActionKind.DISSOLVE, "unit": unit}])],
        at=SIGNED_AT + datetime.timedelta(days=2),
    )
    other = group(director, deputy, "Проектное обучение", at=SIGNED_AT + datetime.timedelta(days=3))
    cancel = sign(
        director,
        deputy,
        [("Отменить.", [{"kind": ActionKind.CANCEL_ORDER, "target_order": other.created_by_order}])],
        at=SIGNED_AT + datetime.timedelta(days=4),
    )

    assert wording(create)[0] == "Создать творческую группу «Цифровой класс»."
    assert wording(rename) == ["Переименовать творческую группу «Цифровой класс» в творческую группу «Цифровая школа»."]
    assert wording(dissolve) == ["Упразднить творческую группу «Цифровая школа»."]
    assert wording(cancel) == ["Отменить приказ от 08.06.2026 № 4-од «О создании „Проектное обучение“»."]


def test_quotes_inside_quotes_are_low_high_ones(director, deputy):
    unit = group(director, deputy, "Цифровая «школа»", at=SIGNED_AT - datetime.timedelta(days=3))
    order = sign(
        director,
        deputy,
        [("Изменить состав.", [{"kind": ActionKind.INCLUDE, "unit": unit, "person": medvedeva()}])],
        title="О составе творческой группы «Цифровая „школа“»",
    )
    text = pdf_text(order_pdf(order))
    assert "Включить в состав творческой группы «Цифровая „школа“» Медведеву Инну Анатольевну" in text
    # The title in quotes on the лист ознакомления keeps its own quotes as „…“ too.
    assert "«О составе творческой группы „Цифровая „школа““»" in text
    assert quoted('Группа "Поиск"') == "«Группа „Поиск“»"
    assert inner_quotes("«а»") == "„а“"


def test_declension_helpers():
    assert name_accusative("Медведева", "Инна", "Анатольевна") == "Медведеву Инну Анатольевну"
    assert name_accusative("Соловьёв", "Максим", "Андреевич") == "Соловьёва Максима Андреевича"
    assert name_accusative("Мамедов", "Эльчин", "Рафик оглы") is None
    assert name_accusative("Smith", "John", "") is None
    assert position_accusative("Преподаватель") == "преподавателя"
    assert position_accusative("Старший мастер") == "старшего мастера"
    assert position_accusative("Заведующий отделением") == "заведующего отделением"
    assert position_accusative("Педагог-психолог") == "педагога-психолога"
    assert (
        position_accusative("Заместитель директора по учебно-методической работе")
        == "заместителя директора по учебно-методической работе"
    )
    assert position_accusative("ОБЗР") is None


# ---------------------------------------------------------------- lists, sub-clauses and the appendix


def test_several_people_make_one_list_and_a_sub_clause_does_not_repeat_its_clause(director, deputy):
    leaving = medvedeva()
    unit = create_unit(
        director,
        deputy,
        UnitKind.CREATIVE_GROUP,
        "Цифровая дидактика",
        head=PersonFactory(),
        members=[leaving],
        at=SIGNED_AT - datetime.timedelta(days=3),
    )
    people = [PersonFactory(last_name="Белова", first_name="Ольга", patronymic="Александровна"), petrov(), mamedov()]
    other = PersonFactory(last_name="Зайцева", first_name="Анна", patronymic="Владимировна")
    order = sign(
        director,
        deputy,
        [
            (
                "Изменить состав творческой группы.",
                [{"kind": ActionKind.INCLUDE, "unit": unit, "person": person} for person in people],
            ),
            (
                "Исключить из состава творческой группы:",
                [{"kind": ActionKind.EXCLUDE, "unit": unit, "person": leaving}],
            ),
            ("Включить в состав творческой группы:", [{"kind": ActionKind.INCLUDE, "unit": unit, "person": other}]),
        ],
        at=LATER,
    )
    text = pdf_text(order_pdf(order))

    assert (
        "1. Изменить состав творческой группы. 1.1. Включить в состав творческой группы «Цифровая дидактика»: "
        "Белова О.А., преподаватель; Петров А.С., мастер производственного обучения; "
        "Мамедов Э.Р., преподаватель. 2." in text
    )
    assert "1.2." not in text
    # Under a clause that says the verb and the unit, the sub-clause names only the person.
    assert "2. Исключить из состава творческой группы: 2.1. Медведеву Инну Анатольевну, преподавателя. 3." in text
    assert "3. Включить в состав творческой группы: 3.1. Зайцеву Анну Владимировну, преподавателя." in text


def test_an_action_its_clause_states_is_not_printed_again(director, deputy):
    unit = group(director, deputy, at=SIGNED_AT - datetime.timedelta(days=3))
    order = sign(
        director,
        deputy,
        [
            (
                "Назначить заместителем руководителя творческой группы преподавателя Медведеву И.А.",
                [{"kind": ActionKind.APPOINT, "unit": unit, "person": medvedeva(), "role": MemberRole.DEPUTY}],
            )
        ],
    )
    text = pdf_text(order_pdf(order))
    assert "1. Назначить заместителем руководителя творческой группы преподавателя Медведеву И.А. 2. Контроль" in text
    assert "1.1." not in text


def test_more_than_five_people_go_to_an_appendix_on_a_page_of_its_own(director, deputy):
    head = medvedeva()
    surnames = ["Алексеев", "Борисов", "Васильев", "Григорьев", "Дмитриев", "Егоров"]
    members = [PersonFactory(last_name=surname, first_name="Пётр") for surname in surnames]

    def appoint():
        return {
            "kind": ActionKind.APPOINT,
            "unit": Unit.objects.get(name="Цифровая дидактика"),
            "person": head,
            "role": MemberRole.HEAD,
        }

    def include(person):
        return lambda: {
            "kind": ActionKind.INCLUDE,
            "unit": Unit.objects.get(name="Цифровая дидактика"),
            "person": person,
        }

    order = sign(
        director,
        deputy,
        [
            (
                "Создать творческую группу «Цифровая дидактика» в следующем составе:",
                [
                    {
                        "kind": ActionKind.CREATE_UNIT,
                        "unit_kind": UnitKind.CREATIVE_GROUP,
                        "unit_name": "Цифровая дидактика",
                    },
                    appoint,
                    *[include(person) for person in members],
                ],
            )
        ],
    )
    pages = pages_of(order_pdf(order))
    text = " ".join(pages)

    assert (
        "1. Создать творческую группу «Цифровая дидактика» в следующем составе: "
        "1.1. Назначить руководителем творческой группы «Цифровая дидактика» Медведеву Инну Анатольевну, "
        "преподавателя. 1.2. Утвердить состав творческой группы «Цифровая дидактика» (приложение № 1). 2." in text
    )
    appendix = next(page for page in pages if page.startswith("Приложение № 1"))
    assert appendix.startswith("Приложение № 1 к приказу от 05.06.2026 № 1-од Состав творческой группы «Цифровая")
    assert "1. Медведева Инна Анатольевна, преподаватель — руководитель 2. Алексеев Пётр Иванович" in appendix
    assert "7. Егоров Пётр Иванович, преподаватель" in appendix
    assert "ЛИСТ ОЗНАКОМЛЕНИЯ" not in appendix
    assert members[0].full_name not in pages[0]
    # The appendix is part of the frozen wording, so the signature's hash covers it.
    assert "7. Егоров Пётр Иванович, преподаватель" in json.dumps(order_payload(order), ensure_ascii=False)
    # The order's page shows the text as the paper reads, the appendix included.
    client = Client()
    client.force_login(deputy.user)
    page = client.get(order.get_absolute_url()).content.decode()
    assert "1.2. Утвердить состав творческой группы «Цифровая дидактика» (приложение № 1)." in page
    assert "7. Егоров Пётр Иванович, преподаватель" in page


def test_the_draft_page_lists_each_structural_action_for_editing(director, deputy):
    unit = group(director, deputy, at=SIGNED_AT - datetime.timedelta(days=3))
    order = services.order_create(author=deputy, title="О составе", preamble="В целях развития")
    clause = services.clause_add(order=order, text="Включить в состав творческой группы:")
    for person in (medvedeva(), petrov()):
        services.action_add(clause=clause, kind=ActionKind.INCLUDE, unit=unit, person=person, day=SIGNED_AT.date())
    client = Client()
    client.force_login(deputy.user)
    page = client.get(order.get_absolute_url()).content.decode()

    assert "1.1. Медведева И.А., преподаватель; Петров А.С., мастер производственного обучения." in page
    assert page.count(reverse("structure:action_delete", args=[order.pk, order.clauses.get().actions.first().pk])) == 1
    assert "Включить в состав творческой группы «Цифровая дидактика» Медведеву Инну Анатольевну, преподавателя." in page
    assert "Лебедева Ирина Викторовна, +7 (3452) 50-40-02" in page


# ---------------------------------------------------------------- visas, executor, signature mark


@pytest.fixture
def approvers():
    methodist = person_with_account(
        "methodist", SystemRole.METHODIST, last_name="Соколова", first_name="Елена", patronymic="Андреевна"
    )
    chair = PersonFactory(last_name="Тарасова", first_name="Людмила", patronymic="Николаевна")
    return methodist, chair


def _visaed(director, deputy, approvers, person) -> Order:
    methodist, chair = approvers
    unit = group(director, deputy, at=SIGNED_AT - datetime.timedelta(days=3))
    order = services.order_create(
        author=deputy, title="О составе творческой группы", preamble="В целях развития", approvers=[methodist, chair]
    )
    clause = services.clause_add(order=order, text="Изменить состав.")
    services.action_add(clause=clause, kind=ActionKind.INCLUDE, unit=unit, person=person, day=SIGNED_AT.date())
    services.order_send(order=order, day=SIGNED_AT.date())
    services.order_visa(order=order, person=methodist, agree=True)
    services.order_visa(order=order, person=chair, agree=True, comment="Уточнить срок представления плана")
    return order


def test_visa_block_and_executor_on_the_paper(director, deputy, approvers, time_machine):
    time_machine.move_to(SIGNED_AT - datetime.timedelta(days=1))
    order = _visaed(director, deputy, approvers, medvedeva())
    draft = pdf_text(order_pdf(order))
    assert "Исп. Лебедева Ирина Викторовна +7 (3452) 50-40-02" in draft
    time_machine.move_to(SIGNED_AT)
    order = services.order_sign(order=order, person=director)
    text = pdf_text(order_pdf(order))

    assert "СОГЛАСОВАНО:" in text
    assert "Методист Согласовано 04.06.2026 Е.А. Соколова" in text
    assert "Преподаватель Согласовано с замечаниями: Уточнить срок представления плана 04.06.2026 Л.Н. Тарасова" in text
    assert "Исп. Лебедева Ирина Викторовна +7 (3452) 50-40-02" in text  # frozen at signing


def test_executor_without_a_phone_is_reached_by_e_mail(director):
    author = person_with_account(
        "methodist",
        SystemRole.METHODIST,
        last_name="Соколова",
        first_name="Елена",
        patronymic="Андреевна",
        email="sokolova@college.example",
    )
    order = services.order_create(author=author, title="О методической работе", preamble="В целях развития")
    services.clause_add(order=order, text="Провести методическую неделю.")
    assert "Исп. Соколова Елена Андреевна sokolova@college.example" in pdf_text(order_pdf(order))


def test_the_signature_mark_says_it_is_a_simple_electronic_signature(director, deputy):
    order = group(director, deputy, head=medvedeva()).created_by_order
    text = pdf_text(order_pdf(order))

    assert "Подписано простой электронной подписью Директор Воронцов Сергей Николаевич 05.06.2026 10:30" in text
    assert f"SHA-256: {order.content_hash[:32]} {order.content_hash[32:]}" in text
    for imitation in ("ДОКУМЕНТ ПОДПИСАН", "Сертификат", "Владелец", "Действителен"):
        assert imitation not in text


def test_a_signed_order_prints_the_same_after_names_positions_and_visas_change(director, deputy, approvers):
    person = medvedeva()
    order = _visaed(director, deputy, approvers, person)
    order = services.order_sign(order=order, person=director, at=SIGNED_AT)
    before = pdf_text(order_pdf(order))
    methodist, chair = approvers
    other = position("Старший методист")
    Person.objects.filter(pk__in=[person.pk, methodist.pk, chair.pk, deputy.pk]).update(
        last_name="Переименованная", position=other, phone="+7 000 000-00-00"
    )
    Position.objects.filter(name="Методист").update(name="Методист-переименованный")
    Unit.objects.filter(name="Цифровая дидактика").update(name="Новое имя")

    after = pdf_text(order_pdf(order))
    assert after == before
    assert "Медведеву Инну Анатольевну" in after and "Переименованная" not in after
    assert order.executor_name == "Лебедева Ирина Викторовна"  # the author's name and phone as signed
    assert "Исп. Лебедева Ирина Викторовна" in after and "+7 000 000-00-00" not in after


# ---------------------------------------------------------------- who may download the PDF


def test_a_person_named_in_a_signed_order_may_open_and_download_it(director, deputy):
    named_teacher = person_with_account("named", SystemRole.TEACHER, last_name="Медведева", first_name="Инна")
    named_external = ExternalPersonFactory(user=UserFactory(username="researcher"))
    unit = create_unit(
        director, deputy, UnitKind.LAB, "Лаборатория", head=PersonFactory(), at=SIGNED_AT - datetime.timedelta(days=3)
    )
    order = sign(
        director,
        deputy,
        [
            (
                "Изменить состав лаборатории.",
                [
                    {"kind": ActionKind.INCLUDE, "unit": unit, "person": named_teacher},
                    {"kind": ActionKind.INCLUDE, "unit": unit, "person": named_external},
                ],
            )
        ],
    )
    pdf_url = reverse("structure:order_pdf", args=[order.pk])
    for person in (named_teacher, named_external):
        client = Client()
        client.force_login(person.user)
        assert client.get(order.get_absolute_url()).status_code == 200
        response = client.get(pdf_url)
        assert response.status_code == 200, person
        assert response["Content-Type"] == "application/pdf"

    outsider_teacher = person_with_account("teacher", SystemRole.TEACHER)
    outsider_external = ExternalPersonFactory(user=UserFactory(username="guest"))
    for person, status in ((outsider_teacher, 403), (outsider_external, 404)):
        client = Client()
        client.force_login(person.user)
        assert client.get(pdf_url).status_code == status


def test_a_draft_is_printed_by_the_management_only(director, deputy):
    unit = group(director, deputy, at=SIGNED_AT - datetime.timedelta(days=3))
    named = person_with_account("named", SystemRole.TEACHER)
    order = services.order_create(author=deputy, title="О составе", preamble="В целях развития")
    clause = services.clause_add(order=order, text="Изменить состав.")
    services.action_add(clause=clause, kind=ActionKind.INCLUDE, unit=unit, person=named, day=SIGNED_AT.date())
    client = Client()
    client.force_login(named.user)
    assert client.get(reverse("structure:order_pdf", args=[order.pk])).status_code == 404


# ---------------------------------------------------------------- the cancel-an-order picker


def test_the_cancel_picker_shows_each_orders_number_date_and_year(director, deputy):
    group(director, deputy, "Проектное обучение")
    draft = services.order_create(author=deputy, title="Об отмене приказа", preamble="В связи с ошибкой")
    labels = [str(label) for _value, label in ActionForm(order=draft).fields["target_order"].choices]
    # «№ 1-од от 05.06.2026 «О создании „Проектное обучение“»» (the words between come from the translation)
    assert any(
        label.startswith(("№ 1-од", "No. 1-од")) and "05.06.2026 «О создании „Проектное обучение“»" in label
        for label in labels
    ), labels
