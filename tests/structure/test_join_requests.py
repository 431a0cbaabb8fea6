"""Requests to join a creative group: they reach the group's head of the day (the proposer while the group is only
proposed), and accepting one drafts the director's order that includes the member.

The world (tests/world.py): «Цифровая дидактика» was created by an order 30 days ago with `group_lead` as its head
and no proposer; «Проектное обучение» is proposed by `group_lead`, with `teacher`'s request pending.
"""

from __future__ import annotations

import datetime

import pytest
import rules
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from structure import selectors, services
from structure.models import (
    ActionKind,
    JoinRequest,
    JoinRequestStatus,
    MemberRole,
    Membership,
    Order,
    OrderStatus,
    Person,
    SystemRole,
    User,
)
from structure.services.groups import JoinOutcome
from tests.factories import PersonFactory, create_unit, signed_order
from tests.world import ROLES, build_world, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world]


def _refused(code: str, call) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    assert [e.code for e in caught.value.error_list] == [code], caught.value
    return caught.value


def _appoint_head(world, unit, person: Person) -> None:
    """A signed order of today appointing `person` head of `unit` (the previous head steps down today)."""
    signed_order(
        world.people["director"],
        world.people["deputy"],
        [{"kind": ActionKind.APPOINT, "unit": unit, "person": person, "role": MemberRole.HEAD}],
        title="О назначении руководителя творческой группы",
    )


def _may_decide(world, role: str, request: JoinRequest) -> bool:
    user = User.objects.get(username=role)
    return rules.has_perm("structure.decide_join_request", user, JoinRequest.objects.get(pk=request.pk))


def _waiting_for(person: Person) -> set[int]:
    return {r.pk for r in selectors.join_requests_to_decide(person)}


# ---------------------------------------------------------------- who decides


def test_the_head_of_a_group_created_by_order_gets_the_request(world):
    """The fault: a group created by the director's order has no proposer, and its head never saw the requests."""
    assert world.group.proposed_by is None
    request = services.group_join_request(unit=world.group, person=world.people["teacher"], message="Возьмите меня")
    lead = world.people["group_lead"]
    assert selectors.join_request_decider(world.group) == lead
    assert request.pk in _waiting_for(lead)
    assert _may_decide(world, "group_lead", request)
    page = client_for(world, "group_lead").get(reverse("dashboard")).content.decode()
    assert world.people["teacher"].full_name in page and "Цифровая дидактика" in page


def test_a_new_head_takes_the_requests_over_from_the_former_head(world):
    request = services.group_join_request(unit=world.group, person=world.people["teacher"])
    former, new = world.people["group_lead"], world.people["mo_head"]
    _appoint_head(world, world.group, new)

    assert selectors.join_request_decider(world.group) == new
    assert request.pk in _waiting_for(new) and request.pk not in _waiting_for(former)
    assert _may_decide(world, "mo_head", request) and not _may_decide(world, "group_lead", request)
    rows = {
        r: client_for(world, r).get(reverse("dashboard")).context["join_requests"] for r in ("group_lead", "mo_head")
    }
    assert request not in rows["group_lead"] and request in rows["mo_head"]
    _refused("not_group_head", lambda: services.join_request_decide(request=request, by=former, accept=True))
    decision = services.join_request_decide(request=request, by=new, accept=False)
    assert decision.outcome == JoinOutcome.DECLINED
    assert decision.request.status == JoinRequestStatus.DECLINED


def test_the_proposer_decides_until_a_head_is_appointed_and_then_no_longer(world, today):
    """A proposed group: the proposer decides. Registered: its head of the day, even when that is not the proposer."""
    proposer, director, deputy = world.people["group_lead"], world.people["director"], world.people["deputy"]
    assert selectors.join_request_decider(world.proposed_group) == proposer
    assert world.join_request.pk in _waiting_for(proposer)
    assert _may_decide(world, "group_lead", world.join_request)

    # Registered ten days ago (the proposer became its head), then the head changed today.
    past = timezone.now() - datetime.timedelta(days=10)
    order = services.group_registration_order(unit=world.proposed_group, author=deputy)
    services.order_send(order=order, day=timezone.localdate(past))
    services.order_sign(order=order, person=director, at=past)
    assert selectors.join_request_decider(world.proposed_group) == proposer
    _appoint_head(world, world.proposed_group, world.people["chair"])

    assert selectors.join_request_decider(world.proposed_group) == world.people["chair"]
    assert world.join_request.pk not in _waiting_for(proposer)
    assert world.join_request.pk in _waiting_for(world.people["chair"])
    assert not _may_decide(world, "group_lead", world.join_request)
    _refused(
        "not_group_head", lambda: services.join_request_decide(request=world.join_request, by=proposer, accept=True)
    )


def test_nobody_decides_their_own_request(world):
    """`teacher` asked to join, then was appointed head by order: the request is not theirs to decide."""
    request = services.group_join_request(unit=world.group, person=world.people["teacher"])
    _appoint_head(world, world.group, world.people["teacher"])
    assert request.pk not in _waiting_for(world.people["teacher"])
    assert not _may_decide(world, "teacher", request)
    _refused(
        "own_request", lambda: services.join_request_decide(request=request, by=world.people["teacher"], accept=True)
    )


def test_a_request_is_decided_once(world):
    lead = world.people["group_lead"]
    services.join_request_decide(request=world.join_request, by=lead, accept=True)
    _refused("already_decided", lambda: services.join_request_decide(request=world.join_request, by=lead, accept=False))
    _refused("already_decided", lambda: services.join_request_decide(request=world.join_request, by=lead, accept=True))
    assert JoinRequest.objects.get(pk=world.join_request.pk).status == JoinRequestStatus.ACCEPTED
    assert not _may_decide(world, "group_lead", world.join_request)


def test_who_may_not_ask_to_join(world):
    group, people = world.group, world.people
    _refused("already_member", lambda: services.group_join_request(unit=group, person=people["group_lead"]))
    member = PersonFactory()
    signed_order(people["director"], people["deputy"], [{"kind": ActionKind.INCLUDE, "unit": group, "person": member}])
    _refused("already_member", lambda: services.group_join_request(unit=group, person=member))
    _refused("own_group", lambda: services.group_join_request(unit=world.proposed_group, person=people["group_lead"]))
    _refused(
        "already_requested", lambda: services.group_join_request(unit=world.proposed_group, person=people["teacher"])
    )
    _refused("external", lambda: services.group_join_request(unit=group, person=people["researcher"]))
    _refused("group_closed", lambda: services.group_join_request(unit=world.council, person=people["teacher"]))
    assert not rules.has_perm("structure.join_group", User.objects.get(username="group_lead"), group)


def test_accepting_someone_who_joined_meanwhile_is_refused(world):
    request = services.group_join_request(unit=world.group, person=world.people["teacher"])
    signed_order(
        world.people["director"],
        world.people["deputy"],
        [{"kind": ActionKind.INCLUDE, "unit": world.group, "person": world.people["teacher"]}],
    )
    _refused(
        "already_member",
        lambda: services.join_request_decide(request=request, by=world.people["group_lead"], accept=True),
    )
    assert JoinRequest.objects.get(pk=request.pk).status == JoinRequestStatus.PENDING


# ---------------------------------------------------------------- accepting drafts the order


def test_accepting_a_request_to_a_registered_group_drafts_the_order_that_includes_the_member(world, today):
    people, lead = world.people, world.people["group_lead"]
    first = services.group_join_request(unit=world.group, person=people["teacher"])
    second = services.group_join_request(unit=world.group, person=people["secretary"])

    decision = services.join_request_decide(request=first, by=lead, accept=True)
    assert decision.outcome == JoinOutcome.ORDER_DRAFTED
    order = decision.order
    assert order.status == OrderStatus.DRAFT
    assert order.author == people["deputy"], "drafted by the deputy for methodical work, not by the group's head"
    assert order.title == "О включении в состав творческой группы «Цифровая дидактика»"
    clause = order.clauses.get()
    assert clause.text == "Включить в состав творческой группы «Цифровая дидактика»:"
    assert [(a.kind, a.unit_id, a.person_id) for a in clause.actions.all()] == [
        (ActionKind.INCLUDE, world.group.pk, people["teacher"].pk)
    ]
    assert not Membership.objects.active_on(today).filter(unit=world.group, person=people["teacher"]).exists()
    assert order.pk in {o.pk for o in selectors.orders_visible_to(selectors.roles_of(people["deputy"].user))}

    # A second acceptance while the draft is open goes into the same draft.
    again = services.join_request_decide(request=second, by=lead, accept=True)
    assert again.order.pk == order.pk
    assert list(clause.actions.values_list("person_id", flat=True)) == [people["teacher"].pk, people["secretary"].pk]

    services.order_send(order=order)
    services.order_sign(order=order, person=people["director"])
    joined = Membership.objects.active_on(today).filter(unit=world.group, role=MemberRole.MEMBER)
    assert {people["teacher"].pk, people["secretary"].pk} <= set(joined.values_list("person_id", flat=True))

    # Once that order went to the director, the next acceptance drafts a new one.
    third = services.group_join_request(unit=world.group, person=people["chair"])
    assert services.join_request_decide(request=third, by=lead, accept=True).order.pk != order.pk


def test_a_head_who_drafts_orders_drafts_the_inclusion_themself(world):
    people = world.people
    unit = create_unit(
        people["director"], people["deputy"], "creative_group", "Наставничество", head=people["methodist"]
    )
    request = services.group_join_request(unit=unit, person=people["teacher"])
    decision = services.join_request_decide(request=request, by=people["methodist"], accept=True)
    assert decision.order.author == people["methodist"]


def test_without_anyone_to_draft_the_order_accepting_is_refused(world):
    User.objects.filter(person__position__system_role__in=[SystemRole.DEPUTY, SystemRole.METHODIST]).update(
        is_active=False
    )
    request = services.group_join_request(unit=world.group, person=world.people["teacher"])
    _refused(
        "no_drafter", lambda: services.join_request_decide(request=request, by=world.people["group_lead"], accept=True)
    )
    assert JoinRequest.objects.get(pk=request.pk).status == JoinRequestStatus.PENDING
    assert not Order.objects.filter(title__startswith="О включении в состав творческой группы").exists()


def test_accepting_a_request_to_a_proposed_group_waits_for_the_registration_order(world):
    lead, deputy = world.people["group_lead"], world.people["deputy"]
    orders = Order.objects.count()
    decision = services.join_request_decide(request=world.join_request, by=lead, accept=True)
    assert decision.outcome == JoinOutcome.REGISTRATION_LATER and decision.order is None
    assert Order.objects.count() == orders

    order = services.group_registration_order(unit=world.proposed_group, author=deputy)
    included = order.clauses.get().actions.filter(kind=ActionKind.INCLUDE)
    assert list(included.values_list("person_id", flat=True)) == [world.people["teacher"].pk]


def test_accepting_while_the_registration_order_is_drafted_adds_the_member_to_it(world):
    lead, deputy, people = world.people["group_lead"], world.people["deputy"], world.people
    order = services.group_registration_order(unit=world.proposed_group, author=deputy)
    decision = services.join_request_decide(request=world.join_request, by=lead, accept=True)
    assert decision.outcome == JoinOutcome.ADDED_TO_REGISTRATION and decision.order.pk == order.pk
    assert list(order.clauses.get().actions.values_list("kind", "person_id")) == [
        (ActionKind.CREATE_UNIT, None),
        (ActionKind.APPOINT, lead.pk),
        (ActionKind.INCLUDE, people["teacher"].pk),
    ]

    # Sent to the director: the request waits until the group is registered.
    late = services.group_join_request(unit=world.proposed_group, person=people["chair"])
    services.order_send(order=order)
    _refused("registration_sent", lambda: services.join_request_decide(request=late, by=lead, accept=True))
    assert JoinRequest.objects.get(pk=late.pk).status == JoinRequestStatus.PENDING


# ---------------------------------------------------------------- through the pages


def test_accepting_on_the_page_tells_the_head_which_draft_was_prepared(world):
    request = services.group_join_request(unit=world.group, person=world.people["teacher"])
    client = client_for(world, "group_lead")
    page = client.get(world.group.get_absolute_url()).content.decode()
    assert reverse("structure:join_request_decide", args=[request.pk]) in page
    assert world.people["group_lead"].full_name in page

    response = client.post(reverse("structure:join_request_decide", args=[request.pk]), {"decision": "accept"})
    assert response.status_code == 302 and response.url == world.group.get_absolute_url()
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "О включении в состав творческой группы «Цифровая дидактика»" in message
    assert world.people["deputy"].short_name in message
    assert Order.objects.filter(title__contains="Цифровая дидактика", status=OrderStatus.DRAFT).exists()


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix_deciding_a_request_to_a_group_created_by_order(world, role):
    """Only the group's head of the day decides; the researcher may not see the group at all."""
    request = services.group_join_request(unit=world.group, person=world.people["teacher"])
    client = client_for(world, role) if role != "anonymous" else Client()
    response = client.post(reverse("structure:join_request_decide", args=[request.pk]), {"decision": "decline"})
    expected = {"group_lead": 302, "researcher": 404, "anonymous": 302}.get(role, 403)
    assert response.status_code == expected
    decided = JoinRequest.objects.get(pk=request.pk).status == JoinRequestStatus.DECLINED
    assert decided == (role == "group_lead")


# ---------------------------------------------------------------- query counts


class PinnedQueriesTest(TestCase):
    """The group's page and the head's dashboard answer in the same number of queries for 1 or 8 requests."""

    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()

    def _count(self, client, url) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_counts_do_not_grow_with_the_requests(self):
        world = self.world
        client = client_for(world, "group_lead")
        services.group_join_request(unit=world.group, person=world.people["teacher"])
        pages = [world.group.get_absolute_url(), reverse("dashboard")]
        before = [self._count(client, url) for url in pages]
        for person in PersonFactory.create_batch(7):
            services.group_join_request(unit=world.group, person=person, message="Прошу включить")
        decided = PersonFactory()
        services.join_request_decide(
            request=services.group_join_request(unit=world.group, person=decided),
            by=world.people["group_lead"],
            accept=False,
        )
        self.assertEqual([self._count(client, url) for url in pages], before)
        self.assertEqual(before[0], 11, "the creative group's page (with the menu's badge: metodservice.attention)")


# ---------------------------------------------------------------- the demo college


class DemoJoinRequestChecks:
    """Run by tests.test_seed_demo.SeededTest on the demo seeded once for all its checks."""

    @classmethod
    def prepare(cls, output: str) -> None:
        pass

    def test_the_head_of_the_group_created_by_order_has_a_request_waiting(self):
        master = Person.objects.get(user__username="master")
        [waiting] = selectors.join_requests_to_decide(master)
        group = waiting.unit
        assert group.proposed_by is None and group.created_by_order is not None
        assert selectors.join_request_decider(group) == master
        client = Client()
        client.force_login(master.user)
        assert waiting in client.get(reverse("dashboard")).context["join_requests"]
        # The request accepted earlier drafted the order that includes the member, waiting for the deputy.
        draft = Order.objects.get(title=f"О включении в состав творческой группы «{group.name}»")
        assert draft.status == OrderStatus.DRAFT and draft.author.user.username == "deputy"
        accepted = group.join_requests.get(status=JoinRequestStatus.ACCEPTED)
        assert list(draft.clauses.get().actions.values_list("person_id", flat=True)) == [accepted.person_id]
        # The proposer of the other group still sees the request waiting for her.
        assert selectors.join_requests_to_decide(Person.objects.get(user__username="group_lead")).exists()
