"""Who sees which item: the rule (experience.view_item, selectors.sees_item) and the selector
(selectors.items_visible_to) give the same answer for every role of the world and items in every status, and the
answer is the one the regulation wants."""

from __future__ import annotations

import pytest
import rules

from experience.models import ExperienceItem
from experience.selectors.items import item_detail, items_visible_to, needs_me, sees_item
from structure.selectors import roles_of
from tests.experience import items_data as data
from tests.world import ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]

USERS = [role for role in ROLES if role != "anonymous"]


def every_status(world) -> dict[str, ExperienceItem]:
    items = {
        "draft": data.draft(world, title="Черновик"),
        "submitted": data.submitted(world, title="На рецензии"),
        "returned": data.returned(world, title="Возвращён"),
        "reviewed": data.reviewed(world, title="Рекомендован ПЦК"),
        "on_agenda": data.on_agenda(world, title="В повестке совета"),
        "decided": data.decided(world, title="Решение записано"),
        "published": data.published(world, title="Опубликован"),
        "external": data.external(world),
        "co_authored": data.draft(world, "group_lead", co_authors=["teacher"], title="Соавторство"),
        "no_association": data.draft(world, "secretary", association=None, title="Без ПЦК"),
        "director_draft": data.draft(world, "director", association=None, title="Директорский черновик"),
    }
    # the council's protocol of `recommended` is signed: it recommended the item, not yet published
    items["recommended"] = data.recommended(world, title="Рекомендован советом")
    return items


def test_the_rule_and_the_selector_agree_for_every_role_and_status(world):
    items = every_status(world)
    loaded = list(item_detail().filter(pk__in=[i.pk for i in items.values()]))
    assert len(loaded) == len(items)
    for role in USERS:
        user = world.admin if role == "admin" else world.people[role].user
        roles = roles_of(user)
        by_rule = {item.pk for item in loaded if sees_item(roles, item)}
        by_perm = {item.pk for item in loaded if rules.has_perm("experience.view_item", user, item)}
        by_query = set(items_visible_to(roles).values_list("pk", flat=True))
        assert by_rule == by_perm == by_query, role


def seen_by(world, items) -> dict[str, set[str]]:
    names = {item.pk: name for name, item in items.items()}
    result = {}
    for role in USERS:
        user = world.admin if role == "admin" else world.people[role].user
        result[role] = {names[pk] for pk in items_visible_to(roles_of(user)).values_list("pk", flat=True)}
    return result


def test_who_sees_what(world):
    items = every_status(world)
    seen = seen_by(world, items)
    everything = set(items)
    for role in ("methodist", "deputy", "admin"):
        assert seen[role] == everything, role
    assert seen["researcher"] == set()
    public = {"published", "external"}
    assert seen["director"] == public | {"director_draft"}
    assert seen["lab_head"] == public
    # the teacher: every item they wrote, and what is published
    assert seen["teacher"] == everything - {"no_association", "director_draft"}
    # the head of the association: its items in every status, not another's draft without an association
    assert seen["mo_head"] == everything - {"no_association", "director_draft"}
    # the council: the items on its meetings' agenda (the signed one's too), and what is published
    council = public | {"on_agenda", "decided", "recommended"}
    assert seen["chair"] == council
    assert seen["secretary"] == council | {"no_association"}
    assert seen["group_lead"] == public | {"co_authored"}


def test_needs_me(world, today):
    items = every_status(world)
    rows = {
        role: needs_me(roles_of(world.people[role].user), today=today) for role in ("teacher", "mo_head", "methodist")
    }
    assert set(rows["mo_head"]["items_to_review"]) == {items["submitted"]}
    assert set(rows["teacher"]["items_returned"]) == {items["returned"]}
    assert set(rows["methodist"]["items_for_council"]) == {items["reviewed"]}
    assert set(rows["methodist"]["items_to_publish"]) == {items["recommended"]}
    assert not rows["teacher"]["items_to_review"].exists() and not rows["teacher"]["items_to_publish"].exists()
    researcher = needs_me(roles_of(world.people["researcher"].user), today=today)
    assert set(researcher) == {"items_to_review", "items_returned", "items_for_council", "items_to_publish"}
    assert not any(qs.exists() for qs in researcher.values())


def test_person_items_are_the_published_ones_in_the_period(world, today):
    import datetime

    from experience.selectors.items import person_items

    items = every_status(world)
    data.published(world, co_authors=["group_lead"], title="Совместный мастер-класс")
    teacher = world.people["teacher"]
    found = list(person_items(teacher.pk, today - datetime.timedelta(days=365), today))
    assert {i.title for i in found} == {"Опубликован", "Совместный мастер-класс"}
    assert [
        i.title for i in person_items(world.people["group_lead"].pk, today - datetime.timedelta(days=365), today)
    ] == ["Совместный мастер-класс"]
    assert not person_items(teacher.pk, today - datetime.timedelta(days=10), today).exists()  # dated 20 days ago
    assert items["external"] not in found
