"""The order engine: lifecycle, every structural action and its refusals, numbering, immutability, the structure on a date."""

import datetime
import hashlib
import json

import pytest
from django.core.exceptions import ValidationError

from structure import services, signing
from structure.models import (
    Acknowledgement,
    ActionKind,
    ApprovalDecision,
    MemberRole,
    Membership,
    Order,
    OrderStatus,
    SystemRole,
    Unit,
    UnitKind,
)
from structure.selectors import structure_on
from tests.factories import ExternalPersonFactory, PersonFactory, create_unit, person_with_account, signed_order
from tests.reference import seed_reference_data

pytestmark = pytest.mark.django_db

DAY1 = datetime.datetime(2026, 9, 1, 10, 0, tzinfo=datetime.UTC)
DAY2 = datetime.datetime(2026, 10, 1, 10, 0, tzinfo=datetime.UTC)
DAY3 = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def director():
    return person_with_account("director", SystemRole.DIRECTOR)


@pytest.fixture
def deputy():
    return person_with_account("deputy", SystemRole.DEPUTY)


def draft(author, **kwargs):
    order = services.order_create(author=author, title="О структуре", preamble="В целях …", **kwargs)
    clause = services.clause_add(order=order, text="Внести изменения.")
    return order, clause


def members_on(unit, day):
    return {(m.person_id, m.role) for m in Membership.objects.active_on(day).filter(unit=unit)}


# ---------------------------------------------------------------- lifecycle


def test_lifecycle_with_visas(director, deputy):
    approver_a, approver_b = PersonFactory.create_batch(2)
    order, clause = draft(deputy, approvers=[approver_a, approver_b])
    services.action_add(clause=clause, kind=ActionKind.CREATE_UNIT, unit_kind=UnitKind.OTHER, unit_name="Лаборатория")
    order = services.order_send(order=order)
    assert order.status == OrderStatus.ON_APPROVAL
    assert order.signer == director

    services.order_visa(order=order, person=approver_a, agree=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.ON_APPROVAL, "one visa is still pending"
    with pytest.raises(ValidationError):
        services.order_sign(order=order, person=director)

    services.order_visa(order=order, person=approver_b, agree=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.ON_SIGNING

    order = services.order_sign(order=order, person=director, at=DAY1)
    assert order.status == OrderStatus.SIGNED
    assert order.date == datetime.date(2026, 9, 1)
    assert order.registration_number == "1-од"
    assert Unit.objects.get(name="Лаборатория").created_on == order.date


def test_return_by_approver_needs_comment_and_resend_resets_visas(director, deputy):
    approver = PersonFactory()
    order, _ = draft(deputy, approvers=[approver])
    services.order_send(order=order)
    with pytest.raises(ValidationError):
        services.order_visa(order=order, person=approver, agree=False, comment="  ")
    services.order_visa(order=order, person=approver, agree=False, comment="Уточнить состав")
    order.refresh_from_db()
    assert order.status == OrderStatus.RETURNED
    assert order.return_comment == "Уточнить состав"

    services.clause_add(order=order, text="Ещё пункт.")  # a returned order can be reworked
    order = services.order_send(order=order)
    assert order.status == OrderStatus.ON_APPROVAL
    assert order.approvals.get().decision == ApprovalDecision.PENDING
    assert order.return_comment == ""


def test_director_returns_order(director, deputy):
    order, _ = draft(deputy)
    order = services.order_send(order=order)
    assert order.status == OrderStatus.ON_SIGNING, "no approvers: straight to the director"
    with pytest.raises(ValidationError):
        services.order_return(order=order, person=director, comment="")
    services.order_return(order=order, person=director, comment="Переформулировать преамбулу")
    order.refresh_from_db()
    assert order.status == OrderStatus.RETURNED


def test_only_the_director_signs(director, deputy):
    order, _ = draft(deputy)
    services.order_send(order=order)
    with pytest.raises(ValidationError):
        services.order_sign(order=order, person=deputy)
    order.refresh_from_db()
    assert order.status == OrderStatus.ON_SIGNING and order.number is None


def test_visa_from_someone_not_named_is_refused(director, deputy):
    approver, stranger = PersonFactory.create_batch(2)
    order, _ = draft(deputy, approvers=[approver])
    services.order_send(order=order)
    with pytest.raises(ValidationError):
        services.order_visa(order=order, person=stranger, agree=True)


def test_send_needs_a_clause_and_title_starts_with_o(director, deputy):
    order = services.order_create(author=deputy, title="О пустом", preamble="…")
    with pytest.raises(ValidationError):
        services.order_send(order=order)
    with pytest.raises(ValidationError) as error:
        services.order_create(author=deputy, title="Создать группу", preamble="…")
    assert "title" in error.value.error_dict


def test_sending_without_a_director_is_refused(deputy):
    order, _ = draft(deputy)
    with pytest.raises(ValidationError):
        services.order_send(order=order)


# ---------------------------------------------------------------- immutability


def test_signed_order_cannot_be_edited(director, deputy):
    order = signed_order(director, deputy, [])
    clause = order.clauses.get()
    for call in (
        lambda: services.order_update(order=order, title="О другом", preamble="x", control_text="x", approvers=[]),
        lambda: services.clause_add(order=order, text="Новый пункт"),
        lambda: services.clause_update(clause=clause, text="Другой текст"),
        lambda: services.clause_delete(clause=clause),
        lambda: services.action_add(clause=clause, kind=ActionKind.DISSOLVE),
        lambda: services.order_delete(order=order),
        lambda: services.order_send(order=order),
    ):
        with pytest.raises(ValidationError):
            call()
    order.refresh_from_db()
    assert order.title == "О методической службе"
    assert order.clauses.get().text == clause.text
    assert order.content_hash == signing.order_hash(order)


def test_hash_covers_signed_content(director, deputy):
    order = create_unit(director, deputy, UnitKind.CREATIVE_GROUP, "ТГ", head=PersonFactory()).created_by_order
    payload = json.dumps(signing.order_payload(order), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert order.content_hash == hashlib.sha256(payload.encode()).hexdigest()
    assert "Создать творческую группу «ТГ»." in payload
    assert director.full_name in payload


# ---------------------------------------------------------------- numbering


def test_numbers_are_sequential_per_year_and_restart_next_year(director, deputy):
    numbers = [signed_order(director, deputy, [], at=DAY1 + datetime.timedelta(days=i)).number for i in range(3)]
    assert numbers == [1, 2, 3]
    next_year = signed_order(director, deputy, [], at=datetime.datetime(2027, 1, 10, 10, tzinfo=datetime.UTC))
    assert (next_year.year, next_year.number, next_year.registration_number) == (2027, 1, "1-од")


# ---------------------------------------------------------------- actions and refusals


def test_create_appoint_include_exclude_rename_dissolve(director, deputy):
    head, secretary, a, b, c = PersonFactory.create_batch(5)
    unit = create_unit(
        director, deputy, UnitKind.ASSOCIATION_CYCLE, "ПЦК", head=head, secretary=secretary, members=[a], at=DAY1
    )
    day1 = DAY1.date()
    assert members_on(unit, day1) == {
        (head.pk, MemberRole.HEAD),
        (secretary.pk, MemberRole.SECRETARY),
        (a.pk, MemberRole.MEMBER),
    }
    order2 = signed_order(
        director,
        deputy,
        [
            {"kind": ActionKind.INCLUDE, "unit": unit, "person": c},
            {"kind": ActionKind.EXCLUDE, "unit": unit, "person": a},
            {"kind": ActionKind.APPOINT, "unit": unit, "person": b, "role": MemberRole.HEAD},
            {"kind": ActionKind.RENAME, "unit": unit, "new_name": "ПЦК-2"},
        ],
        at=DAY2,
    )
    day2 = DAY2.date()
    assert members_on(unit, day2) == {
        (secretary.pk, MemberRole.SECRETARY),
        (b.pk, MemberRole.HEAD),
        (c.pk, MemberRole.MEMBER),
        (head.pk, MemberRole.MEMBER),  # the former head stays in the unit: no action excluded them
    }
    assert members_on(unit, day1) == {
        (head.pk, MemberRole.HEAD),
        (secretary.pk, MemberRole.SECRETARY),
        (a.pk, MemberRole.MEMBER),
    }, "the past does not change"
    ended = Membership.objects.get(unit=unit, person=a)
    assert (ended.end, ended.end_order) == (day2, order2)
    unit.refresh_from_db()
    assert unit.name == "ПЦК-2"
    assert [u.name_on_day for u in structure_on(day1)] == ["ПЦК"]
    assert [u.name_on_day for u in structure_on(day2)] == ["ПЦК-2"]

    signed_order(director, deputy, [{"kind": ActionKind.DISSOLVE, "unit": unit}], at=DAY3)
    assert structure_on(DAY3.date()) == []
    assert members_on(unit, DAY3.date()) == set()
    assert len(structure_on(day2)) == 1


@pytest.mark.parametrize(
    "make_action, message",
    [
        (
            lambda ctx: {"kind": ActionKind.CREATE_UNIT, "unit_kind": UnitKind.COUNCIL, "unit_name": "Второй совет"},
            "уже",
        ),
        (
            lambda ctx: {
                "kind": ActionKind.APPOINT,
                "unit": ctx["council"],
                "person": ctx["external"],
                "role": MemberRole.HEAD,
            },
            "не является сотрудником",
        ),
        (lambda ctx: {"kind": ActionKind.EXCLUDE, "unit": ctx["council"], "person": ctx["outsider"]}, "не входит"),
        (lambda ctx: {"kind": ActionKind.INCLUDE, "unit": ctx["council"], "person": ctx["member"]}, "уже входит"),
        (
            lambda ctx: {"kind": ActionKind.INCLUDE, "unit": ctx["council"], "person": ctx["external"]},
            "не является сотрудником",
        ),
        (
            lambda ctx: {
                "kind": ActionKind.APPOINT,
                "unit": ctx["council"],
                "person": ctx["chair"],
                "role": MemberRole.HEAD,
            },
            "уже",
        ),
        (
            lambda ctx: {"kind": ActionKind.RENAME, "unit": ctx["council"], "new_name": "Методический совет"},
            "совпадает",
        ),
        (lambda ctx: {"kind": ActionKind.DISSOLVE, "unit": ctx["dissolved"]}, "нет в структуре"),
        (lambda ctx: {"kind": ActionKind.CANCEL_ORDER, "target_order": ctx["draft"]}, "подписанный"),
    ],
)
def test_invalid_actions_are_refused_at_drafting_and_change_nothing(director, deputy, make_action, message):
    chair, member, outsider = PersonFactory.create_batch(3)
    council = create_unit(director, deputy, UnitKind.COUNCIL, "Методический совет", head=chair, members=[member])
    dissolved = create_unit(director, deputy, UnitKind.OTHER, "Старая комиссия", at=DAY1)
    signed_order(director, deputy, [{"kind": ActionKind.DISSOLVE, "unit": dissolved}], at=DAY2)
    draft_order, _ = draft(deputy)
    ctx = {
        "council": council,
        "chair": chair,
        "member": member,
        "outsider": outsider,
        "external": ExternalPersonFactory(),
        "dissolved": dissolved,
        "draft": draft_order,
    }
    order, clause = draft(deputy)
    before = (Membership.objects.count(), Unit.objects.count(), list(Membership.objects.values_list("end", flat=True)))
    with pytest.raises(ValidationError) as error:
        services.action_add(clause=clause, **make_action(ctx))
    assert message in " ".join(error.value.messages)
    assert clause.actions.count() == 0, "the refused action is not saved"
    assert (
        Membership.objects.count(),
        Unit.objects.count(),
        list(Membership.objects.values_list("end", flat=True)),
    ) == before


def test_external_researcher_may_join_the_lab_but_not_head_it(director, deputy, today):
    lab_head = PersonFactory()
    researcher = ExternalPersonFactory()
    lab = create_unit(director, deputy, UnitKind.LAB, "Лаборатория", head=lab_head, members=[researcher])
    assert (researcher.pk, MemberRole.MEMBER) in members_on(lab, today)
    order, clause = draft(deputy)
    with pytest.raises(ValidationError):
        services.action_add(clause=clause, kind=ActionKind.APPOINT, unit=lab, person=researcher, role=MemberRole.HEAD)


def test_two_councils_in_one_order_are_refused(director, deputy):
    order, clause = draft(deputy)
    services.action_add(clause=clause, kind=ActionKind.CREATE_UNIT, unit_kind=UnitKind.COUNCIL, unit_name="Совет 1")
    with pytest.raises(ValidationError):
        services.action_add(clause=clause, kind=ActionKind.CREATE_UNIT, unit_kind=UnitKind.COUNCIL, unit_name="Совет 2")


def test_signing_revalidates_against_the_structure_of_that_day(director, deputy):
    """Two drafts that were each valid: the second is refused at signing once the first created the council."""
    first, c1 = draft(deputy)
    services.action_add(clause=c1, kind=ActionKind.CREATE_UNIT, unit_kind=UnitKind.COUNCIL, unit_name="Совет")
    second, c2 = draft(deputy)
    services.action_add(clause=c2, kind=ActionKind.CREATE_UNIT, unit_kind=UnitKind.COUNCIL, unit_name="Совет Б")
    services.order_send(order=first)
    services.order_send(order=second)
    services.order_sign(order=first, person=director)
    with pytest.raises(ValidationError):
        services.order_sign(order=second, person=director)
    second.refresh_from_db()
    assert second.status == OrderStatus.ON_SIGNING and second.number is None
    assert Unit.objects.filter(kind=UnitKind.COUNCIL).exclude(created_on=None).count() == 1


def test_cancelling_order_ends_what_the_cancelled_order_created(director, deputy):
    lead, member = PersonFactory.create_batch(2)
    group = create_unit(director, deputy, UnitKind.CREATIVE_GROUP, "ТГ", head=lead, members=[member], at=DAY1)
    creating = group.created_by_order
    cancelling = signed_order(
        director, deputy, [{"kind": ActionKind.CANCEL_ORDER, "target_order": creating}], title="Об отмене", at=DAY2
    )
    creating.refresh_from_db()
    group.refresh_from_db()
    assert creating.status == OrderStatus.CANCELLED
    assert (creating.cancelled_by, creating.cancelled_on) == (cancelling, DAY2.date())
    assert group.dissolved_on == DAY2.date()
    assert members_on(group, DAY2.date()) == set()
    assert len(members_on(group, DAY1.date())) == 2, "before the cancelling date the group existed"
    # a cancelled order can't be cancelled again
    order, clause = draft(deputy)
    with pytest.raises(ValidationError):
        services.action_add(clause=clause, kind=ActionKind.CANCEL_ORDER, target_order=creating)


def test_cancelling_a_rename_restores_the_previous_name(director, deputy):
    unit = create_unit(director, deputy, UnitKind.OTHER, "Старое имя", at=DAY1)
    rename = signed_order(
        director, deputy, [{"kind": ActionKind.RENAME, "unit": unit, "new_name": "Новое имя"}], at=DAY2
    )
    signed_order(
        director, deputy, [{"kind": ActionKind.CANCEL_ORDER, "target_order": rename}], title="Об отмене", at=DAY3
    )
    unit.refresh_from_db()
    assert unit.name == "Старое имя"
    assert [u.name_on_day for u in structure_on(DAY2.date())] == ["Новое имя"]
    assert [u.name_on_day for u in structure_on(DAY3.date())] == ["Старое имя"]


# ---------------------------------------------------------------- acknowledgement


def test_people_named_acknowledge_in_one_click(director, deputy):
    lead, a = PersonFactory.create_batch(2)
    group = create_unit(director, deputy, UnitKind.CREATIVE_GROUP, "ТГ", head=lead, members=[a])
    order = group.created_by_order
    assert set(order.acknowledgements.values_list("person_id", flat=True)) == {lead.pk, a.pk}
    services.order_acknowledge(order=order, person=a)
    ack = Acknowledgement.objects.get(order=order, person=a)
    assert ack.acknowledged_at is not None
    assert Acknowledgement.objects.get(order=order, person=lead).acknowledged_at is None
    with pytest.raises(ValidationError):
        services.order_acknowledge(order=order, person=deputy)


# ---------------------------------------------------------------- creative groups


def test_creative_group_proposal_to_registration(director, deputy, today):
    lead, joiner, declined = PersonFactory.create_batch(3)
    group = services.group_propose(person=lead, name="Цифровая дидактика", purpose="Проблема цифровизации")
    assert group.created_on is None and structure_on(today) == []
    r1 = services.group_join_request(unit=group, person=joiner)
    r2 = services.group_join_request(unit=group, person=declined)
    with pytest.raises(ValidationError):
        services.group_join_request(unit=group, person=joiner)
    with pytest.raises(ValidationError):
        services.group_join_request(unit=group, person=lead)
    services.join_request_decide(request=r1, by=lead, accept=True)
    services.join_request_decide(request=r2, by=lead, accept=False)
    with pytest.raises(ValidationError):
        services.join_request_decide(request=r1, by=lead, accept=False)

    order = services.group_registration_order(unit=group, author=deputy)
    with pytest.raises(ValidationError):
        services.group_registration_order(unit=group, author=deputy)
    services.order_send(order=order)
    services.order_sign(order=order, person=director)
    group.refresh_from_db()
    assert group.created_on == today
    assert members_on(group, group.created_on) == {(lead.pk, MemberRole.HEAD), (joiner.pk, MemberRole.MEMBER)}


def test_deleting_a_draft_removes_the_units_it_would_have_created(deputy):
    order, clause = draft(deputy)
    services.action_add(clause=clause, kind=ActionKind.CREATE_UNIT, unit_kind=UnitKind.OTHER, unit_name="Черновая")
    services.order_delete(order=order)
    assert not Order.objects.filter(pk=order.pk).exists()
    assert not Unit.objects.filter(name="Черновая").exists()


# ---------------------------------------------------------------- concurrency


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_orders_signed_at_once_get_distinct_numbers(django_db_blocker):
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL")
    seed_reference_data()  # an earlier transactional test may have flushed them
    director = person_with_account("director", SystemRole.DIRECTOR)
    deputy = person_with_account("deputy", SystemRole.DEPUTY)
    orders = []
    for _ in range(2):
        order, _clause = draft(deputy)
        orders.append(services.order_send(order=order))
    barrier = threading.Barrier(2)
    errors = []

    def sign(order):
        try:
            barrier.wait(timeout=10)
            services.order_sign(order=order, person=director)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Order.objects.filter(pk__in=[o.pk for o in orders]).values_list("number", flat=True))
    assert numbers == [1, 2]


def test_signed_wording_is_frozen_and_the_hash_stays_valid(director, deputy):
    unit = create_unit(director, deputy, UnitKind.OTHER, "Старое имя", at=DAY1)
    rename = signed_order(
        director, deputy, [{"kind": ActionKind.RENAME, "unit": unit, "new_name": "Новое имя"}], at=DAY2
    )
    action = rename.clauses.get().actions.get()
    assert action.describe() == "Переименовать «Старое имя» в «Новое имя»."
    # Later changes of the structure don't change what the director signed.
    signed_order(director, deputy, [{"kind": ActionKind.RENAME, "unit": unit, "new_name": "Третье имя"}], at=DAY3)
    rename.refresh_from_db()
    assert rename.clauses.get().actions.get().describe() == "Переименовать «Старое имя» в «Новое имя»."
    assert rename.content_hash == signing.order_hash(rename)
