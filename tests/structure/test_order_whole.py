"""The order is checked as a whole (issue 8, point 1): the dry run of all its clauses at every action added, at
sending and at signing; contradictions between its actions and broken invariants are refused by code, naming the
clauses; drafting takes the order's row lock; clause and action positions are unique."""

from __future__ import annotations

import datetime
import re
import threading
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from structure import services
from structure.demo import Builder
from structure.models import (
    ActionKind,
    Clause,
    MemberRole,
    Membership,
    Order,
    OrderStatus,
    SystemRole,
    Unit,
    UnitKind,
)
from structure.services.invariants import INVARIANTS, RULES
from tests.factories import PersonFactory, create_unit, noon, person_with_account, signed_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def college(today):
    """A director, a deputy, a creative group (head, two members) and a lab (head, one member), made a month ago."""
    past = noon(today - datetime.timedelta(days=30))
    director = person_with_account("director", SystemRole.DIRECTOR)
    deputy = person_with_account("deputy", SystemRole.DEPUTY)
    head, a, b, lab_head, c, outsider = PersonFactory.create_batch(6)
    group = create_unit(
        director, deputy, UnitKind.CREATIVE_GROUP, "Цифровая дидактика", head=head, members=[a, b], at=past
    )
    lab = create_unit(director, deputy, UnitKind.LAB, "Лаборатория", head=lab_head, members=[c], at=past)
    return {
        "director": director,
        "deputy": deputy,
        "head": head,
        "a": a,
        "b": b,
        "lab_head": lab_head,
        "c": c,
        "outsider": outsider,
        "group": group,
        "lab": lab,
    }


def draft(college, clauses: int = 1):
    order = services.order_create(author=college["deputy"], title="О составе", preamble="В целях развития")
    return order, [services.clause_add(order=order, text=f"Пункт {n + 1}.") for n in range(clauses)]


def refused(call) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value


def code_of(error: ValidationError) -> str:
    codes = {e.code for e in error.error_list}
    assert len(codes) == 1 and None not in codes, codes
    return codes.pop()


def active(unit) -> set[tuple[int, str]]:
    return {(m.person_id, m.role) for m in Membership.objects.active_on(timezone.localdate()).filter(unit=unit)}


# ---------------------------------------------------------------- contradictions, refused when the action is added


def test_two_heads_of_one_unit_in_one_order(college):
    order, (first, second) = draft(college, 2)
    group = college["group"]
    services.action_add(clause=first, kind=ActionKind.APPOINT, unit=group, person=college["a"], role=MemberRole.HEAD)
    error = refused(
        lambda: services.action_add(
            clause=second, kind=ActionKind.APPOINT, unit=group, person=college["b"], role=MemberRole.HEAD
        )
    )
    assert code_of(error) == "role_given_twice"
    assert re.search(r"\b1, 2\b", error.messages[0]), "both clauses are named"
    assert second.actions.count() == 0, "the refused action is not kept"


def test_head_and_then_secretary_of_the_same_unit(college):
    order, (clause,) = draft(college)
    group, a = college["group"], college["a"]
    services.action_add(clause=clause, kind=ActionKind.APPOINT, unit=group, person=a, role=MemberRole.SECRETARY)
    error = refused(
        lambda: services.action_add(clause=clause, kind=ActionKind.APPOINT, unit=group, person=a, role=MemberRole.HEAD)
    )
    assert code_of(error) == "two_roles_in_one_order"


@pytest.mark.parametrize(
    "first, second", [(ActionKind.INCLUDE, ActionKind.EXCLUDE), (ActionKind.EXCLUDE, ActionKind.INCLUDE)]
)
def test_include_and_exclude_of_one_person_contradict(college, first, second):
    order, (one, two) = draft(college, 2)
    group = college["group"]
    person = college["outsider"] if first == ActionKind.INCLUDE else college["a"]
    services.action_add(clause=one, kind=first, unit=group, person=person)
    error = refused(lambda: services.action_add(clause=two, kind=second, unit=group, person=person))
    assert code_of(error) == "include_and_exclude"


def test_include_and_then_appoint_names_the_person_twice(college):
    order, (clause,) = draft(college)
    group, outsider = college["group"], college["outsider"]
    services.action_add(clause=clause, kind=ActionKind.INCLUDE, unit=group, person=outsider)
    error = refused(
        lambda: services.action_add(
            clause=clause, kind=ActionKind.APPOINT, unit=group, person=outsider, role=MemberRole.SECRETARY
        )
    )
    assert code_of(error) == "person_named_twice"


def test_rename_and_dissolve_of_one_unit(college):
    order, (one, two) = draft(college, 2)
    lab = college["lab"]
    services.action_add(clause=one, kind=ActionKind.RENAME, unit=lab, new_name="Лаборатория цифрового двойника")
    error = refused(lambda: services.action_add(clause=two, kind=ActionKind.DISSOLVE, unit=lab))
    assert code_of(error) == "rename_and_dissolve"
    assert "1, 2" in error.messages[0]


def test_a_unit_dissolved_is_named_by_no_other_action(college):
    order, (clause,) = draft(college)
    lab = college["lab"]
    services.action_add(clause=clause, kind=ActionKind.INCLUDE, unit=lab, person=college["outsider"])
    error = refused(lambda: services.action_add(clause=clause, kind=ActionKind.DISSOLVE, unit=lab))
    assert code_of(error) == "dissolved_unit_named"


def test_two_renames_of_one_unit(college):
    order, (clause,) = draft(college)
    lab = college["lab"]
    services.action_add(clause=clause, kind=ActionKind.RENAME, unit=lab, new_name="Первое")
    error = refused(lambda: services.action_add(clause=clause, kind=ActionKind.RENAME, unit=lab, new_name="Второе"))
    assert code_of(error) == "renamed_twice"


def test_excluding_someone_who_is_not_a_member(college):
    order, (clause,) = draft(college)
    error = refused(
        lambda: services.action_add(
            clause=clause, kind=ActionKind.EXCLUDE, unit=college["group"], person=college["outsider"]
        )
    )
    assert code_of(error) == "not_a_member"


# ---------------------------------------------------------------- invariants of the result


def test_a_new_creative_group_needs_its_head_in_the_same_order(college):
    order, (clause,) = draft(college)
    unit = services.action_add(
        clause=clause, kind=ActionKind.CREATE_UNIT, unit_kind=UnitKind.CREATIVE_GROUP, unit_name="Кейс-метод"
    ).unit  # drafting goes one action at a time: the head may come next
    services.action_add(clause=clause, kind=ActionKind.INCLUDE, unit=unit, person=college["outsider"])
    error = refused(lambda: services.order_send(order=order))
    assert code_of(error) == "unit_without_head"
    assert "Кейс-метод" in error.messages[0]
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT

    services.action_add(clause=clause, kind=ActionKind.APPOINT, unit=unit, person=college["a"], role=MemberRole.HEAD)
    services.order_send(order=order)
    services.order_sign(order=order, person=college["director"])
    assert active(unit) == {(college["outsider"].pk, MemberRole.MEMBER), (college["a"].pk, MemberRole.HEAD)}


@pytest.mark.parametrize("kind", [UnitKind.LAB, UnitKind.SERVICE])
def test_a_lab_and_the_service_are_created_with_a_head(college, kind):
    order, (clause,) = draft(college)
    services.action_add(clause=clause, kind=ActionKind.CREATE_UNIT, unit_kind=kind, unit_name="Новая")
    assert code_of(refused(lambda: services.order_send(order=order))) == "unit_without_head"


@pytest.mark.parametrize(
    "action",
    [
        lambda c: {"kind": ActionKind.EXCLUDE, "unit": c["lab"], "person": c["lab_head"]},
        lambda c: {"kind": ActionKind.APPOINT, "unit": c["lab"], "person": c["lab_head"], "role": MemberRole.DEPUTY},
    ],
    ids=["exclude the head", "move the head to deputy"],
)
def test_a_lab_is_never_left_without_a_head(college, action):
    order, (clause,) = draft(college)
    services.action_add(clause=clause, **action(college))
    assert code_of(refused(lambda: services.order_send(order=order))) == "unit_without_head"


def test_the_former_head_stays_a_member_when_a_new_one_is_appointed(college):
    """Appointing a new head names the head's role, not the former head's place in the group: they stay in it."""
    group, head, a = college["group"], college["head"], college["a"]
    order = signed_order(
        college["director"],
        college["deputy"],
        [{"kind": ActionKind.APPOINT, "unit": group, "person": a, "role": MemberRole.HEAD}],
    )
    assert active(group) == {
        (a.pk, MemberRole.HEAD),
        (head.pk, MemberRole.MEMBER),
        (college["b"].pk, MemberRole.MEMBER),
    }
    assert Membership.objects.get(unit=group, person=head, role=MemberRole.MEMBER).start_order == order


def test_a_membership_never_starts_and_ends_on_one_day(college):
    """Included today by one order, excluded today by another: refused, the place would last no day at all."""
    group, outsider = college["group"], college["outsider"]
    signed_order(
        college["director"], college["deputy"], [{"kind": ActionKind.INCLUDE, "unit": group, "person": outsider}]
    )
    order, (clause,) = draft(college)
    error = refused(lambda: services.action_add(clause=clause, kind=ActionKind.EXCLUDE, unit=group, person=outsider))
    assert code_of(error) == "empty_membership"


def test_a_unit_is_not_dissolved_on_the_day_it_was_created(college):
    unit = create_unit(college["director"], college["deputy"], UnitKind.OTHER, "Однодневка")
    order, (clause,) = draft(college)
    error = refused(lambda: services.action_add(clause=clause, kind=ActionKind.DISSOLVE, unit=unit))
    assert code_of(error) == "empty_unit"


def test_signing_checks_the_whole_order_again_on_the_structure_of_that_day(college, today):
    """Two orders each valid when sent; once the first (signed yesterday) made a member the group's head, the
    second's exclusion of that member would leave the group without a head: refused at signing today, nothing
    applied, no number taken."""
    group, a = college["group"], college["a"]
    yesterday = today - datetime.timedelta(days=1)
    excluding, (clause,) = draft(college)
    services.action_add(clause=clause, kind=ActionKind.EXCLUDE, unit=group, person=a, day=yesterday)
    services.order_send(order=excluding, day=yesterday)
    appointing, (clause,) = draft(college)
    services.action_add(
        clause=clause, kind=ActionKind.APPOINT, unit=group, person=a, role=MemberRole.HEAD, day=yesterday
    )
    services.order_send(order=appointing, day=yesterday)
    services.order_sign(order=appointing, person=college["director"], at=noon(yesterday))
    before = active(group)

    error = refused(lambda: services.order_sign(order=excluding, person=college["director"]))
    assert code_of(error) == "unit_without_head"
    excluding.refresh_from_db()
    assert (excluding.status, excluding.number) == (OrderStatus.ON_SIGNING, None)
    assert active(group) == before


def test_every_refusal_of_the_engine_carries_a_code(college):
    order, (clause,) = draft(college)
    cases = [
        ({"kind": ActionKind.INCLUDE, "person": college["a"]}, "no_unit"),
        ({"kind": ActionKind.INCLUDE, "unit": college["group"]}, "no_person"),
        ({"kind": ActionKind.INCLUDE, "unit": college["group"], "person": college["a"]}, "already_member"),
        (
            {"kind": ActionKind.APPOINT, "unit": college["group"], "person": college["head"], "role": MemberRole.HEAD},
            "already_holds_role",
        ),
        ({"kind": ActionKind.RENAME, "unit": college["group"], "new_name": "Цифровая дидактика"}, "same_name"),
        ({"kind": ActionKind.CANCEL_ORDER}, "no_order_to_cancel"),
        ({"kind": ActionKind.CANCEL_ORDER, "target_order": order}, "cancels_itself"),
        ({"kind": ActionKind.CREATE_UNIT, "unit_kind": UnitKind.LAB}, "new_unit_incomplete"),
    ]
    for spec, code in cases:
        assert code_of(refused(lambda spec=spec: services.action_add(clause=clause, **spec))) == code, spec


# ---------------------------------------------------------------- the row lock while drafting


def test_a_stale_draft_gains_nothing_after_it_was_sent(college):
    """Another tab still holds the draft; the order was sent meanwhile: every drafting service re-reads the status
    under the order's row lock and refuses."""
    order, (clause,) = draft(college)
    action = services.action_add(
        clause=clause, kind=ActionKind.INCLUDE, unit=college["group"], person=college["outsider"]
    )
    stale_order, stale_clause, stale_action = (
        Order.objects.get(pk=order.pk),
        Clause.objects.get(pk=clause.pk),
        action,
    )
    services.order_send(order=order)
    calls = [
        lambda: services.clause_add(order=stale_order, text="Ещё пункт."),
        lambda: services.clause_update(clause=stale_clause, text="Другой текст."),
        lambda: services.clause_delete(clause=stale_clause),
        lambda: services.action_add(
            clause=stale_clause, kind=ActionKind.INCLUDE, unit=college["lab"], person=college["outsider"]
        ),
        lambda: services.action_delete(action=stale_action),
        lambda: services.order_update(
            order=stale_order, title="О другом", preamble="x", control_text="x", approvers=[]
        ),
    ]
    for call in calls:
        assert code_of(refused(call)) == "order_not_editable"
    assert list(order.clauses.values_list("text", flat=True)) == ["Пункт 1."]
    assert clause.actions.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_clause_added_while_the_order_is_being_sent_waits_and_is_refused(parallel_postgres):
    """The sending transaction holds the order's row; a clause added from another tab at that moment waits for it
    and then sees the order sent."""
    director = person_with_account("director", SystemRole.DIRECTOR)
    deputy = person_with_account("deputy", SystemRole.DEPUTY)
    order = services.order_create(author=deputy, title="О составе", preamble="В целях развития")
    services.clause_add(order=order, text="Пункт 1.")
    stale = Order.objects.get(pk=order.pk)
    outcome: list[object] = []
    started = threading.Event()

    def add_clause():
        try:
            started.set()
            services.clause_add(order=stale, text="Пункт из другой вкладки.")
            outcome.append("added")
        except ValidationError as error:
            outcome.append(error)
        finally:
            connections.close_all()

    with transaction.atomic():
        services.order_send(order=order)
        thread = threading.Thread(target=add_clause)
        thread.start()
        started.wait(5)
        time.sleep(0.5)  # the other tab is now waiting for the row
        assert outcome == [], "the clause waits for the sending transaction"
    thread.join(10)
    assert len(outcome) == 1 and isinstance(outcome[0], ValidationError), outcome
    assert code_of(outcome[0]) == "order_not_editable"
    assert Order.objects.get(pk=order.pk).clauses.count() == 1
    assert director.pk


def test_clause_and_action_positions_are_unique(college):
    order, (clause,) = draft(college)
    action = services.action_add(
        clause=clause, kind=ActionKind.INCLUDE, unit=college["group"], person=college["outsider"]
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Clause.objects.create(order=order, position=clause.position, text="Дубль")
    with pytest.raises(IntegrityError), transaction.atomic():
        type(action).objects.create(clause=clause, position=action.position, kind=ActionKind.DISSOLVE)


def test_deleting_a_clause_renumbers_the_rest(college):
    order, clauses = draft(college, 3)
    services.clause_delete(clause=clauses[0])
    assert list(order.clauses.values_list("position", "text")) == [(1, "Пункт 2."), (2, "Пункт 3.")]


# ---------------------------------------------------------------- written down once; the demo keeps them


def test_the_readme_states_every_rule():
    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text().split())
    missing = [rule for rule in RULES if rule not in readme]
    assert missing == []
    assert len({invariant.name for invariant in INVARIANTS}) == len(INVARIANTS)


def test_the_demo_structure_keeps_the_invariants_and_has_the_methodological_service(today):
    builder = Builder(today)
    builder.staff()
    builder.service()
    builder.council()
    service = Unit.objects.get(kind=UnitKind.SERVICE)
    assert service.name == "Методическая служба"
    head = Membership.objects.active_on(today).get(unit=service, role=MemberRole.HEAD).person
    assert head.user.username == "deputy" and head.last_name == "Лебедева"
    assert service.created_by_order.status == OrderStatus.SIGNED
