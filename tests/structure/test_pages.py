"""Pages of structure/: happy paths through the views, refusals shown to the user, and pinned query counts.

Query counts are pinned with enough data (40+ people, a dozen orders) that a query per row would show.
"""

import pytest
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from structure import services
from structure.models import ActionKind, MemberRole, Membership, Order, OrderStatus, Unit, UnitKind
from structure.services.drafting import _set_approvers
from tests.factories import PersonFactory, signed_order
from tests.world import build_world, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world]


def big_world():
    w = build_world(extra_staff=40)
    director, deputy = w.people["director"], w.people["deputy"]
    teachers = PersonFactory.create_batch(12)
    for index, teacher in enumerate(teachers):
        signed_order(
            director,
            deputy,
            [{"kind": ActionKind.INCLUDE, "unit": w.association, "person": teacher}],
            title=f"О включении в состав ПЦК № {index}",
        )
    w.big = _big_signed_order(w, clauses=10, actions_per_clause=3)
    return w


def _big_signed_order(w, *, clauses, actions_per_clause):
    """A signed order of 10 clauses × 3 actions naming 30 people: an N+1 on the order page would show."""
    order = services.order_create(author=w.people["deputy"], title="О составе совета", preamble="В целях …")
    _set_approvers(order, [w.people["chair"], w.people["secretary"]])
    for _ in range(clauses):
        clause = services.clause_add(order=order, text="Включить в состав методического совета:")
        for person in PersonFactory.create_batch(actions_per_clause):
            services.action_add(clause=clause, kind=ActionKind.INCLUDE, unit=w.council, person=person)
    services.order_send(order=order)
    for approver in (w.people["chair"], w.people["secretary"]):
        services.order_visa(order=order, person=approver, agree=True)
    return services.order_sign(order=order, person=w.people["director"])


# ---------------------------------------------------------------- query counts


PINNED = [
    # role, URL name, kwargs, queries (a page is read without a transaction: no SAVEPOINT; including the menu's
    # badge: one query, four for an approver of plans — metodservice.attention; none on the dashboard)
    # The dashboard: every list's size in one query (metodservice.attention.row_counts), then only the lists that are
    # not empty (tests/test_dashboard_bounded.py pins it per role on years of history). The director: roles (1),
    # the sizes, the order waiting for the signature; the teacher: + the order to acknowledge and their own
    # attestation record (one query)
    ("director", "dashboard", lambda w: {}, 5),
    ("teacher", "dashboard", lambda w: {}, 6),
    ("teacher", "structure:overview", lambda w: {}, 6),  # units collapsed: their heads, members counted
    ("teacher", "structure:unit_detail", lambda w: {"pk": w.association.pk}, 9),
    ("teacher", "structure:person_list", lambda w: {}, 7),
    ("teacher", "structure:person_detail", lambda w: {"pk": w.people["mo_head"].pk}, 7),
    ("teacher", "structure:order_list", lambda w: {}, 6),
    ("deputy", "structure:order_list", lambda w: {}, 6),
    # the order: the order, its clauses, their actions (with units, people, positions), visas, лист ознакомления; its
    # change log (one query for its four sources; the names it mentions are the page's people); the rules read the
    # visas and the лист already loaded
    ("teacher", "structure:order_detail", lambda w: {"pk": w.big.pk}, 10),
    ("director", "structure:order_detail", lambda w: {"pk": w.big.pk}, 10),
    ("deputy", "structure:order_detail", lambda w: {"pk": w.draft.pk}, 10),
    ("teacher", "structure:group_list", lambda w: {}, 5),
]


class PinnedQueriesTest(TestCase):
    """Every list and detail page answers in a fixed number of queries on a college of 50+ people and 15+ orders."""

    @classmethod
    def setUpTestData(cls):
        cls.world = big_world()

    def test_query_counts(self):
        for role, url_name, kwargs, queries in PINNED:
            with self.subTest(role=role, page=url_name):
                client = client_for(self.world, role)
                url = reverse(url_name, kwargs=kwargs(self.world))
                client.get(url)  # warm caches (content types, sessions)
                with self.assertNumQueries(queries):
                    response = client.get(url)
                self.assertEqual(response.status_code, 200)


def test_structure_page_shows_every_unit_with_heads(world):
    response = client_for(world, "teacher").get(reverse("structure:overview"))
    content = response.content.decode()
    for unit in (world.council, world.association, world.group, world.lab):
        assert unit.name in content
    assert world.people["chair"].full_name in content
    # The lab is collapsed: its external researcher shows once it is opened (tests/structure/test_bounded_pages.py).
    assert world.people["researcher"].organisation not in content
    opened = client_for(world, "teacher").get(reverse("structure:overview"), {"unit": world.lab.pk}).content.decode()
    assert world.people["researcher"].organisation in opened


@pytest.mark.dated
def test_structure_as_of_a_past_date_hides_later_changes(world):
    before = (world.council.created_on - timezone.timedelta(days=1)).isoformat()
    response = client_for(world, "teacher").get(reverse("structure:overview"), {"date": before})
    assert world.council.name not in response.content.decode()


@pytest.mark.dated
def test_structure_page_with_a_bad_date_falls_back_to_today(world, today):
    response = client_for(world, "teacher").get(reverse("structure:overview"), {"date": "31.02.2026"})
    assert response.status_code == 200
    assert response.context["day"] == today
    assert world.council.name in response.content.decode()


# ---------------------------------------------------------------- the order flow through the views


def test_deputy_drafts_and_director_signs_through_the_views(world, today):
    deputy = client_for(world, "deputy")
    response = deputy.post(
        reverse("structure:order_create"),
        {
            "title": "О создании творческой группы «Кейс-метод»",
            "preamble": "В целях …",
            "control_text": "Контроль оставляю за собой.",
        },
    )
    order = Order.objects.get(title__contains="Кейс-метод")
    assert response.status_code == 302 and response.url == order.get_absolute_url()
    deputy.post(reverse("structure:clause_add", args=[order.pk]), {"text": "Создать творческую группу."})
    clause = order.clauses.get()
    add_action = reverse("structure:action_add", args=[order.pk, clause.pk])
    response = deputy.post(
        add_action, {"kind": ActionKind.CREATE_UNIT, "unit_kind": UnitKind.CREATIVE_GROUP, "unit_name": "Кейс-метод"}
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="Кейс-метод")
    lead = world.people["teacher"]
    deputy.post(add_action, {"kind": ActionKind.APPOINT, "unit": unit.pk, "person": lead.pk, "role": MemberRole.HEAD})
    assert clause.actions.count() == 2
    deputy.post(reverse("structure:order_send", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == OrderStatus.ON_SIGNING

    director = client_for(world, "director")
    assert order.title in director.get(reverse("dashboard")).content.decode()
    response = director.post(reverse("structure:order_sign", args=[order.pk]), follow=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.SIGNED
    assert order.content_hash in response.content.decode()
    assert Membership.objects.active_on(today).filter(unit=unit, person=lead, role=MemberRole.HEAD).exists()


def test_refused_action_shows_the_reason_and_adds_nothing(world):
    deputy = client_for(world, "deputy")
    clause = world.draft.clauses.get()
    outsider = world.people["researcher"]
    response = deputy.post(
        reverse("structure:action_add", args=[world.draft.pk, clause.pk]),
        {"kind": ActionKind.EXCLUDE, "unit": world.council.pk, "person": outsider.pk},
    )
    assert response.status_code == 200
    assert outsider.full_name in response.content.decode()
    assert clause.actions.count() == 1


def test_action_form_asks_for_the_fields_the_kind_needs(world):
    deputy = client_for(world, "deputy")
    clause = world.draft.clauses.get()
    response = deputy.post(
        reverse("structure:action_add", args=[world.draft.pk, clause.pk]), {"kind": ActionKind.APPOINT}
    )
    assert response.status_code == 200
    assert len(response.context["form"].errors) == 3  # unit, person, role
    assert clause.actions.count() == 1


def test_signed_order_edit_pages_are_forbidden(world):
    deputy = client_for(world, "deputy")
    clause = world.signed.clauses.get()
    for url in (
        reverse("structure:order_edit", args=[world.signed.pk]),
        reverse("structure:clause_edit", args=[world.signed.pk, clause.pk]),
        reverse("structure:action_add", args=[world.signed.pk, clause.pk]),
    ):
        assert deputy.get(url).status_code == 403
    assert deputy.post(reverse("structure:clause_add", args=[world.signed.pk]), {"text": "x"}).status_code == 403
    assert world.signed.clauses.count() == 1


def test_teacher_acknowledges_and_the_order_shows_it(world):
    teacher = client_for(world, "teacher")
    teacher.post(reverse("structure:order_acknowledge", args=[world.signed.pk]))
    ack = world.signed.acknowledgements.get(person=world.people["teacher"])
    assert ack.acknowledged_at is not None
    page = client_for(world, "director").get(world.signed.get_absolute_url()).content.decode()
    assert ack.acknowledged_at.astimezone(timezone.get_current_timezone()).strftime("%d.%m.%Y") in page


def test_missing_objects_answer_404(world):
    client = client_for(world, "director")
    assert client.get(reverse("structure:order_detail", args=[999999])).status_code == 404
    assert client.get(reverse("structure:unit_detail", args=[999999])).status_code == 404
    assert client.get(reverse("structure:person_detail", args=[999999])).status_code == 404


def test_group_proposal_join_and_registration_through_the_views(world):
    lead = client_for(world, "teacher")
    lead.post(reverse("structure:group_propose"), {"name": "Наставничество", "purpose": "Адаптация молодых педагогов"})
    group = Unit.objects.get(name="Наставничество")
    client_for(world, "mo_head").post(reverse("structure:group_join", args=[group.pk]), {"message": "Хочу участвовать"})
    join = group.join_requests.get()
    lead.post(reverse("structure:join_request_decide", args=[join.pk]), {"decision": "accept"})
    response = client_for(world, "methodist").post(reverse("structure:group_register", args=[group.pk]))
    order = Order.objects.get(title__contains="Наставничество")
    assert response.url == order.get_absolute_url()
    assert {a.person_id for a in order.clauses.get().actions.all() if a.person_id} == {
        world.people["teacher"].pk,
        world.people["mo_head"].pk,
    }


# ---------------------------------------------------------------- the door


def test_wrong_password_gets_a_message_and_repeated_failures_lock(world, settings):
    client = Client()
    response = client.post(reverse("login"), {"username": "teacher", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": "teacher", "password": "wrong"})
    assert response.status_code == 429
    # Even the right password is refused while locked.
    response = client.post(reverse("login"), {"username": "teacher", "password": "pass"})
    assert response.status_code == 429


def test_pages_are_russian(world):
    response = client_for(world, "teacher").get(reverse("dashboard"))
    assert response.headers["Content-Language"] == "ru"
    assert "Приказы" in response.content.decode()


def test_error_pages_are_russian(world):
    client = client_for(world, "teacher")
    forbidden = client.get(reverse("structure:order_create"))
    assert forbidden.status_code == 403
    assert "Доступ запрещён" in forbidden.content.decode()
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "Страница не найдена" in missing.content.decode()


def test_garbage_input_gets_form_errors_not_500(world):
    deputy = client_for(world, "deputy")
    clause = world.draft.clauses.get()
    response = deputy.post(
        reverse("structure:action_add", args=[world.draft.pk, clause.pk]),
        {"kind": "no-such-kind", "unit": "abc", "person": "999999"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"kind", "unit", "person"}
    response = deputy.post(reverse("structure:order_create"), {"title": "", "preamble": ""})
    assert response.status_code == 200 and response.context["form"].errors
    response = deputy.post(
        reverse("structure:order_create"), {"title": "Приказ без «О»", "preamble": "x", "control_text": "x"}
    )
    assert "title" in response.context["form"].errors
