"""One source per permission: what a list shows a user is what the rule lets the user open.

A page listing objects asks a selector for them in one query (plans_visible_to, meetings_visible_to,
orders_visible_to, the dashboard rows, the calendar); the page of one object asks django-rules
(`rules.has_perm("planning.view_plan", user, plan)`). Two sources of one answer drift apart: a list showing more
than the rule leaks titles and leads to 404s, a list showing less hides work. So, for every role of the test
college (tests/world.py, tests/planning/world.py, and the objects added here so that each role has something it
may and something it may not see), each test asks the rule object by object and compares primary keys with the
list. A list the rule describes exactly must match it both ways, and the rule's answer must be neither empty nor
everything unless the role sees nothing or everything, so a test cannot pass on a world too poor to tell. A list
narrower by design (the dashboard's «my» rows, the calendar, the choices of a filter) may only show what the rule
allows. tests/planning/test_dashboard.py checks the approvers' row against approvers_of the same way.

Orders have no rule of their own page: it opens an order through orders_visible_to itself, so the rules of the
actions on an order (visa, sign, acknowledge, …) must hold only on orders the list shows.

"""

from __future__ import annotations

import datetime
from operator import attrgetter

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from planning import selectors, services
from planning.models import Decision, Meeting, Plan, PlanItem, PlanLevel, WorkDirection, WorkForm
from structure import selectors as structure_selectors
from structure import services as structure_services
from structure.models import ActionKind, MemberRole, Membership, Order, Person, Unit, UnitKind, User
from structure.selectors import roles_of
from tests.factories import create_unit, signed_order
from tests.planning.world import build_planning
from tests.world import ROLES, STAFF_ROLES, build_world

pytestmark = pytest.mark.django_db  # passed on all six awkward days when written; not re-run on each (CI time)

MANAGEMENT_AND_ADMIN = ["director", "deputy", "methodist", "admin"]
STAFF_AND_ADMIN = [*STAFF_ROLES, "admin"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The college, built once for the module (the tests only read it) and rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        w = build_planning(build_world(extra_staff=8))
        add_visibility_cases(w)
        yield w
        transaction.set_rollback(True)


def add_visibility_cases(w) -> None:
    """Individual plans only some staff see, the lab's plan and meeting, a lab the researcher has left since, an
    order on approval that the chair has signed off and the association's head has not yet."""
    people, year, today = w.people, w.year, w.today
    deputy, chair, head, lab_head, researcher = (
        people[r] for r in ("deputy", "chair", "mo_head", "lab_head", "researcher")
    )
    due = min(today + datetime.timedelta(days=7), year.end)
    members = Membership.objects.active_on(today).filter(unit=w.association, role=MemberRole.MEMBER)
    first, second = [m.person for m in members.exclude(person=people["teacher"]).order_by("pk")[:2]]
    shared = individual_plan(first, year, due, [first, people["group_lead"]])  # `group_lead` shares an item
    services.plan_approve(plan=shared, person=head)
    individual_plan(second, year, due, [second])  # waits for `mo_head`
    services.plan_return(plan=w.teacher_plan, person=head, comment="Уточните тему")
    for person, plan_year in ((people["secretary"], year), (people["teacher"], w.past_year)):
        services.plan_create(level=PlanLevel.INDIVIDUAL, year=plan_year, person=person, created_by=person)
    services.plan_create(level=PlanLevel.UNIT, year=year, unit=w.lab, created_by=lab_head)
    meeting_with_decision(w.lab, year, lab_head, researcher, due)
    past = timezone.now() - datetime.timedelta(days=30)
    left = create_unit(
        people["director"], deputy, UnitKind.LAB, "Лаборатория 2", head=lab_head, members=[researcher], at=past
    )
    meeting_with_decision(left, year, lab_head, researcher, due)
    exclude = {"kind": ActionKind.EXCLUDE, "unit": left, "person": researcher}
    signed_order(people["director"], deputy, [exclude], title="Об исключении из состава лаборатории")
    order = structure_services.order_create(
        author=deputy, title="О группе", preamble="По заявлению", approvers=[chair, head]
    )
    clause = structure_services.clause_add(order=order, text="Включить в состав группы")
    structure_services.action_add(clause=clause, kind=ActionKind.INCLUDE, unit=w.group, person=people["secretary"])
    structure_services.order_send(order=order)
    structure_services.order_visa(order=order, person=chair, agree=True)


def individual_plan(person: Person, year, due: datetime.date, responsible: list[Person]) -> Plan:
    plan = services.plan_create(level=PlanLevel.INDIVIDUAL, year=year, person=person, created_by=person)
    item = {"content": f"Открытый урок: {person.last_name}", "form": WorkForm.OPEN_LESSON, "due_date": due}
    services.item_add(plan=plan, direction=WorkDirection.objects.get(code=8), responsible=responsible, **item)
    return services.plan_submit(plan=plan, person=person)


def meeting_with_decision(unit: Unit, year, head: Person, responsible: Person, due: datetime.date) -> None:
    meeting = services.meeting_create(unit=unit, year=year, date=timezone.localdate(), created_by=head)
    agenda = services.agenda_add(meeting=meeting, title="О ходе эксперимента", speaker=head)
    services.decision_add(agenda_item=agenda, text=f"Отчитаться: {unit.name}", responsible=responsible, deadline=due)


# ---------------------------------------------------------------- helpers


def user_of(world, role: str):
    """A fresh user object for the role: roles_of caches the roles on the object it is given."""
    if role == "anonymous":
        return AnonymousUser()
    return User.objects.get(pk=(world.admin if role == "admin" else world.people[role].user).pk)


meeting_of, plan_of = attrgetter("agenda_item.meeting"), attrgetter("plan")  # of a decision, of a plan item


def pks(objects) -> set[int]:
    return {obj.pk for obj in objects}


def allowed(user, perm: str, objects, subject=lambda obj: obj) -> set[int]:
    """Primary keys of the objects for which the rule holds, asked of `subject(obj)` (an item's plan, …)."""
    return {obj.pk for obj in objects if rules.has_perm(perm, user, subject(obj))}


def outside(model, shown: set[int], rule: set[int]) -> list[str]:
    """What a list shows and the rule refuses, named."""
    return [f"{model.__name__} {obj.pk} «{obj}»" for obj in model.objects.filter(pk__in=shown - rule).order_by("pk")]


def assert_same(model, shown: set[int], rule: set[int]) -> None:
    hidden = outside(model, rule, shown)
    assert shown == rule, f"listed, refused by the rule: {outside(model, shown, rule)}; allowed, not listed: {hidden}"


def assert_within(model, shown: set[int], rule: set[int]) -> None:
    assert shown <= rule, f"listed but refused by the rule: {outside(model, shown, rule)}"


def assert_telling(role: str, model, rule: set[int], *, sees_all: list[str]) -> None:
    """The rule allows everything, nothing (anonymous), or some but not all of the objects, as the role expects."""
    everything = set(model.objects.values_list("pk", flat=True))
    if role in sees_all:
        assert rule == everything, role
    elif role == "anonymous":
        assert rule == set()
    else:
        assert rule and rule < everything, f"{role}: the world cannot tell the list from the rule"


def get_page(world, role: str, url_name: str):
    """The page as the role gets it; None when it is refused (a login redirect or 403)."""
    client = Client()
    if role != "anonymous":
        client.force_login(user_of(world, role))
    response = client.get(reverse(url_name))
    assert response.status_code in (200, 302, 403), response.status_code
    return response if response.status_code == 200 else None


# ---------------------------------------------------------------- lists the rule describes exactly


@pytest.mark.parametrize("role", ROLES)
def test_plans_visible_to_is_view_plan(world, role):
    user = user_of(world, role)
    rule = allowed(user, "planning.view_plan", Plan.objects.all())
    assert_same(Plan, pks(selectors.plans_visible_to(roles_of(user))), rule)
    assert_telling(role, Plan, rule, sees_all=[*MANAGEMENT_AND_ADMIN, "chair"])


@pytest.mark.parametrize("role", ROLES)
def test_meetings_visible_to_is_view_meeting(world, role):
    user = user_of(world, role)
    rule = allowed(user, "planning.view_meeting", Meeting.objects.all())
    assert_same(Meeting, pks(selectors.meetings_visible_to(roles_of(user))), rule)
    assert_telling(role, Meeting, rule, sees_all=STAFF_AND_ADMIN)


@pytest.mark.parametrize("role", ROLES)
def test_decision_register_shows_the_decisions_of_meetings_the_user_may_open(world, role):
    """The register (decisions_register through the page's DecisionFilter) for those allowed planning.list_decisions;
    the researcher may open their lab's meetings but gets no register."""
    user = user_of(world, role)
    rule = allowed(user, "planning.view_meeting", Decision.objects.select_related("agenda_item__meeting"), meeting_of)
    page = get_page(world, role, "planning:decision_list")
    assert (page is not None) == rules.has_perm("planning.list_decisions", user)
    assert_same(Decision, pks(page.context["filter"].qs) if page else set(), rule if page else set())
    assert_telling(role, Decision, rule, sees_all=STAFF_AND_ADMIN)


@pytest.mark.parametrize("role", ROLES)
def test_people_list_is_view_person_for_those_who_may_list(world, role):
    """The people page (people_list through PersonFilter); the researcher opens their own record only, and no list."""
    user = user_of(world, role)
    rule = allowed(user, "structure.view_person", Person.objects.all())
    page = get_page(world, role, "structure:person_list")
    assert (page is not None) == rules.has_perm("structure.list_people", user)
    assert_same(Person, pks(page.context["filter"].qs) if page else set(), rule if page else set())
    assert_telling(role, Person, rule, sees_all=STAFF_AND_ADMIN)


ORDER_ACTIONS = ["change", "delete", "send", "visa", "sign", "return", "acknowledge", "pdf"]


@pytest.mark.parametrize("role", ROLES)
def test_order_actions_hold_only_on_orders_the_list_shows(world, role):
    user = user_of(world, role)
    visible = pks(structure_selectors.orders_visible_to(roles_of(user)))
    for action in ORDER_ACTIONS:
        assert_within(Order, allowed(user, f"structure.{action}_order", Order.objects.all()), visible)
    assert_telling(role, Order, visible, sees_all=MANAGEMENT_AND_ADMIN)


# ---------------------------------------------------------------- the dashboard


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_rows_link_only_to_what_the_user_may_open(world, role):
    user = user_of(world, role)
    rows = selectors.dashboard_rows(roles_of(user))
    plans = [*rows.get("plans_returned", []), *rows.get("plans_awaiting", [])]
    items, decisions = rows.get("items_due", []), rows.get("open_decisions", [])
    meetings = rows.get("meetings_this_week", [])
    refused = [
        *outside(Plan, pks(plans), allowed(user, "planning.view_plan", plans)),
        *outside(PlanItem, pks(items), allowed(user, "planning.view_plan", items, plan_of)),
        *outside(PlanItem, pks(items), allowed(user, "planning.mark_item", items)),
        *outside(Decision, pks(decisions), allowed(user, "planning.view_meeting", decisions, meeting_of)),
        *outside(Decision, pks(decisions), allowed(user, "planning.mark_decision", decisions)),
        *outside(Meeting, pks(meetings), allowed(user, "planning.view_meeting", meetings)),
    ]
    assert not refused, f"listed but refused by the rule: {refused}"


#: Rows not empty in the world, so that the comparisons compare something.
ROWS_FILLED = {
    "director": ["to_sign"],
    "chair": ["plans_awaiting", "to_visa"],
    "mo_head": ["plans_awaiting", "to_visa"],
    "teacher": ["plans_returned", "to_acknowledge", "items_due", "open_decisions", "meetings_this_week", "my_units"],
    "researcher": ["to_acknowledge", "open_decisions", "meetings_this_week", "my_units"],
}


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_work_rows_are_the_action_rules(world, role):
    """«Waiting for my approval / visa / signature / acknowledgement» are exactly what the action's rule allows, on
    orders the order list shows; «my units» and the join requests link to units the user may open."""
    user = user_of(world, role)
    roles = roles_of(user)
    rows = {**structure_selectors.dashboard_for(roles), **selectors.dashboard_rows(roles)}
    plans = Plan.objects.select_related("unit")
    assert_same(Plan, pks(rows.get("plans_awaiting", [])), allowed(user, "planning.approve_plan", plans))
    for row, action in [("to_sign", "sign"), ("to_visa", "visa"), ("to_acknowledge", "acknowledge")]:
        assert_same(Order, pks(rows.get(row, [])), allowed(user, f"structure.{action}_order", Order.objects.all()))
    visible = pks(structure_selectors.orders_visible_to(roles))
    for row in ("to_sign", "to_visa", "to_acknowledge", "returned"):
        assert_within(Order, pks(rows.get(row, [])), visible)
    units = [m.unit for m in rows.get("my_units", [])] + [r.unit for r in rows.get("join_requests", [])]
    assert_within(Unit, pks(units), allowed(user, "structure.view_unit", units))
    assert [row for row in ROWS_FILLED.get(role, []) if not rows.get(row)] == []


# ---------------------------------------------------------------- the calendar


def calendar_of(world, user, *, mine: bool) -> tuple[set[int], set[int]] | None:
    """(meetings, plan items) of the calendar over the year as its page gives it; None when the page is refused."""
    if not rules.has_perm("planning.view_calendar", user):
        return None
    person = roles_of(user).person if mine else None
    events = selectors.calendar_events(start=world.year.start, end=world.year.end, person=person)
    meetings = {int(e.uid.removeprefix("meeting-")) for e in events if e.kind == "meeting"}
    return meetings, {int(e.uid.removeprefix("plan-item-")) for e in events if e.kind == "item"}


@pytest.mark.parametrize("role", ROLES)
def test_calendar_shows_every_meeting_the_user_may_open_and_only_plans_they_may_open(world, role):
    user = user_of(world, role)
    shown = calendar_of(world, user, mine=False)
    if shown is None:
        assert role not in STAFF_ROLES
        return
    meetings, items = shown
    in_year = Meeting.objects.filter(date__range=(world.year.start, world.year.end))
    assert_same(Meeting, meetings, allowed(user, "planning.view_meeting", in_year))
    plan_items = PlanItem.objects.filter(pk__in=items).select_related("plan")
    assert_within(PlanItem, items, allowed(user, "planning.view_plan", plan_items, plan_of))
    assert meetings and items


@pytest.mark.parametrize("role", ROLES)
def test_my_calendar_and_feed_show_only_what_the_user_may_open(world, role):
    """«Only mine» and the iCal feed: calendar_events with the person."""
    user = user_of(world, role)
    shown = calendar_of(world, user, mine=True)
    if shown is None:
        assert role not in STAFF_ROLES
        return
    meetings, items = shown
    assert_within(Meeting, meetings, allowed(user, "planning.view_meeting", Meeting.objects.filter(pk__in=meetings)))
    plan_items = PlanItem.objects.filter(pk__in=items).select_related("plan")
    assert_within(PlanItem, items, allowed(user, "planning.view_plan", plan_items, plan_of))


# ---------------------------------------------------------------- units and plans offered in pages and forms


#: Pages listing units, and where: the structure, the creative groups, the «Unit» choice of the lists' filters.
UNIT_LISTS = {
    "structure:overview": lambda page: page.context["units"],
    "structure:group_list": lambda page: page.context["groups"],
    **{
        url: lambda page: page.context["filter"].form.fields["unit"].queryset
        for url in ("planning:plan_list", "planning:meeting_list", "planning:decision_list")
    },
}


@pytest.mark.parametrize(
    ("url_name", "role"),
    [(url, r) for url in UNIT_LISTS for r in ROLES],
)
def test_unit_lists_show_only_units_the_user_may_open(world, url_name, role):
    page = get_page(world, role, url_name)
    if page is None:
        return
    units = list(UNIT_LISTS[url_name](page))
    assert units
    assert_within(Unit, pks(units), allowed(user_of(world, role), "structure.view_unit", units))


@pytest.mark.parametrize("role", ROLES)
def test_forms_offer_only_plans_the_user_may_open(world, role):
    """A new plan's «start as a copy of» (PlanCreateForm) and an agenda question's plan item (agenda_plan_items)."""
    user = user_of(world, role)
    page = get_page(world, role, "planning:plan_create")
    if page is not None:
        offered = list(page.context["form"].fields["copy_from"].queryset)
        assert_within(Plan, pks(offered), allowed(user, "planning.view_plan", offered))
        assert offered or role != "teacher"
    if rules.has_perm("planning.change_meeting", user, world.meeting):
        items = list(selectors.agenda_plan_items(world.meeting))
        assert_within(PlanItem, pks(items), allowed(user, "planning.view_plan", items, plan_of))
