"""Plan pages: the whole path through the views (create → items → submit → return → fix → resubmit → approve →
amendment → approve again → execution), the refusals shown on the page with nothing changed, and pinned query
counts on the plan list, the plan page and the statistics with data large enough that a query per row would show.

Messages are compared with the service's msgid translated into the page's language, so the test holds before and
after the Russian translations are added.
"""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from planning import services
from planning.models import ItemStatus, Plan, PlanLevel, PlanStatus, WorkForm
from tests.factories import noon
from tests.planning.world import build_planning
from tests.world import build_world, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]


def shown(msgid: str, **params) -> str:
    """The message as the page shows it: translated into the site's language and HTML-escaped."""
    with translation.override("ru"):
        text = translation.gettext(msgid)
    return escape(text % params if params else text)


def page(response) -> str:
    return response.content.decode()


def item_data(world, content="Семинар «Цифровые инструменты»", direction=3, due=None, responsible=None, **extra):
    data = {
        "content": content,
        "direction": world.directions[direction].pk if direction else "",
        "form": WorkForm.SEMINAR,
        "start_date": "",
        "due_date": (due or world.year.start + datetime.timedelta(days=60)).isoformat(),
        "period": "",
        "responsible": [p.pk for p in responsible or [world.people["group_lead"]]],
        "expected_result": "Протокол",
    }
    data.update(extra)
    return data


def url(name, *args):
    return reverse(f"planning:{name}", args=args)


# ---------------------------------------------------------------- the whole path through the views


def test_group_plan_from_draft_to_amended_and_executed(world):
    lead, chair = client_for(world, "group_lead"), client_for(world, "chair")
    people = world.people

    response = lead.post(
        url("plan_create"),
        {"level": PlanLevel.UNIT, "year": world.year.pk, "unit": world.group.pk, "goal": "Цель", "tasks": "Задача"},
    )
    plan = Plan.objects.get(level=PlanLevel.UNIT, unit=world.group)
    assert response.status_code == 302 and response.url == plan.get_absolute_url()
    assert plan.theme == world.theme

    # three items in two directions; a second responsible on the last one
    for content, direction in (("Заседание группы", 3), ("Мастер-класс", 5), ("Открытый урок", 5)):
        responsible = [people["group_lead"], people["teacher"]] if content == "Открытый урок" else None
        response = lead.post(url("item_add", plan.pk), item_data(world, content, direction, responsible=responsible))
        assert response.status_code == 302
    assert list(plan.items.values_list("position", "direction__code")) == [(1, 3), (2, 5), (3, 5)]
    content = page(lead.get(plan.get_absolute_url()))
    assert "Мастер-класс" in content and people["teacher"].short_name in content

    lead.post(url("plan_submit", plan.pk))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED

    chair.post(url("plan_return", plan.pk), {"comment": "Уточните сроки мастер-класса"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    assert "Уточните сроки мастер-класса" in page(lead.get(plan.get_absolute_url()))

    item = plan.items.get(position=2)
    new_due = world.year.start + datetime.timedelta(days=90)
    response = lead.post(url("item_edit", plan.pk, item.pk), item_data(world, "Мастер-класс", 5, due=new_due))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.due_date == new_due

    lead.post(url("plan_submit", plan.pk))
    response = chair.post(url("plan_approve", plan.pk), follow=True)
    plan.refresh_from_db()
    assert (plan.status, plan.version, plan.approved_by) == (PlanStatus.APPROVED, 1, people["chair"])
    content = page(response)
    assert "УТВЕРЖДАЮ" in content
    assert people["chair"].signature_name in content
    assert escape(plan.approved_by_position) in content
    assert plan.approved_at.astimezone(timezone.get_current_timezone()).strftime("%d.%m.%Y") in content

    # an approved plan changes through an amendment with a reason, approved the same way
    lead.post(url("plan_amend", plan.pk), {"reason": "Добавлен семинар по запросу совета"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AMENDING
    lead.post(url("item_add", plan.pk), item_data(world, "Семинар для наставников", 3))
    first = plan.items.get(position=1)
    assert lead.get(url("item_delete", plan.pk, first.pk)).status_code == 200  # asks for confirmation
    lead.post(url("item_delete", plan.pk, first.pk))
    assert list(plan.items.values_list("position", flat=True)) == [1, 2, 3]
    lead.post(url("plan_submit", plan.pk))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AMENDMENT_SUBMITTED
    chair.post(url("plan_approve", plan.pk))
    plan.refresh_from_db()
    assert (plan.status, plan.version) == (PlanStatus.APPROVED, 2)

    content = page(lead.get(plan.get_absolute_url()))
    assert "Добавлен семинар по запросу совета" in content  # the version's reason
    for number in (1, 2):  # both versions' frozen items, each on its page
        assert url("version_detail", plan.pk, number) in content
    assert "Заседание группы" in page(lead.get(url("version_detail", plan.pk, 1)))  # only in version 1 now
    assert "Заседание группы" not in page(lead.get(url("version_detail", plan.pk, 2)))

    # the teacher, responsible for one item, records its execution with evidence
    teacher = client_for(world, "teacher")
    lesson = plan.items.get(content="Открытый урок")
    assert teacher.get(url("item_mark", plan.pk, lesson.pk)).status_code == 200
    response = teacher.post(
        url("item_mark", plan.pk, lesson.pk),
        {
            "status": ItemStatus.DONE,
            "report": "Урок проведён, 18 слушателей",
            "evidence_file": SimpleUploadedFile("урок.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
            "evidence_link": "https://example.org/lesson",
        },
    )
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == ItemStatus.DONE and lesson.evidence_file
    content = page(teacher.get(plan.get_absolute_url()))
    assert "Урок проведён, 18 слушателей" in content
    assert (
        reverse("planning:item_evidence", args=[lesson.plan_id, lesson.pk]) in content
        and "https://example.org/lesson" in content
    )
    # the teacher may mark only the item they answer for
    other = plan.items.exclude(pk=lesson.pk).first()
    assert teacher.get(url("item_mark", plan.pk, other.pk)).status_code == 403


def test_teacher_creates_an_individual_plan_that_shows_the_theme(world):
    secretary = client_for(world, "secretary")
    content = page(secretary.get(url("plan_create")))
    assert world.theme.title in content and "Практический этап" in content
    response = secretary.post(
        url("plan_create"),
        {
            "level": PlanLevel.INDIVIDUAL,
            "year": world.year.pk,
            "self_education_theme": "Кейс-метод на уроках экономики",
            "goal": "Освоить кейс-метод",
            "tasks": "Изучить литературу\nПровести открытый урок",
        },
    )
    plan = Plan.objects.get(level=PlanLevel.INDIVIDUAL, person=world.people["secretary"])
    assert response.status_code == 302
    content = page(secretary.get(plan.get_absolute_url()))
    assert "Кейс-метод на уроках экономики" in content and world.theme.title in content
    assert world.people["secretary"].full_name in content
    # the item form names the owner as the responsible person by default
    form = secretary.get(url("item_add", plan.pk)).context["form"]
    assert form["responsible"].value() == [world.people["secretary"].pk]


def test_plan_create_offers_only_the_units_the_user_may_plan_for(world):
    form = client_for(world, "group_lead").get(url("plan_create")).context["form"]
    assert list(form.fields["unit"].queryset) == [world.group]
    assert [value for value, _label in form.fields["level"].choices] == [PlanLevel.UNIT, PlanLevel.INDIVIDUAL]
    form = client_for(world, "methodist").get(url("plan_create")).context["form"]
    assert {world.council, world.association, world.group, world.lab} <= set(form.fields["unit"].queryset)
    assert PlanLevel.SERVICE in [value for value, _label in form.fields["level"].choices]
    # a teacher who heads nothing creates only their individual plan
    form = client_for(world, "teacher").get(url("plan_create")).context["form"]
    assert "unit" not in form.fields


def test_a_plan_can_start_as_a_copy_of_last_years(world):
    old = services.plan_create(
        level=PlanLevel.UNIT, year=world.past_year, unit=world.group, created_by=world.people["group_lead"]
    )
    services.item_add(
        plan=old,
        content="Заседание группы",
        direction=world.directions[3],
        form=WorkForm.MEETING,
        due_date=world.past_year.start + datetime.timedelta(days=30),
        responsible=[world.people["group_lead"]],
    )
    lead = client_for(world, "group_lead")
    assert old in lead.get(url("plan_create")).context["form"].fields["copy_from"].queryset
    lead.post(
        url("plan_create"),
        {"level": PlanLevel.UNIT, "year": world.year.pk, "unit": world.group.pk, "copy_from": old.pk},
    )
    plan = Plan.objects.get(unit=world.group, year=world.year)
    item = plan.items.get()
    assert item.content == "Заседание группы" and world.year.contains(item.due_date)


def test_a_duplicate_plan_is_refused_on_the_form(world):
    response = client_for(world, "chair").post(
        url("plan_create"), {"level": PlanLevel.UNIT, "year": world.year.pk, "unit": world.council.pk}
    )
    assert response.status_code == 200
    assert shown("This plan for %(year)s already exists.", year=world.year) in page(response)
    assert Plan.objects.filter(unit=world.council).count() == 1


def test_a_unit_plan_without_a_unit_is_refused_on_the_form(world):
    response = client_for(world, "methodist").post(url("plan_create"), {"level": PlanLevel.UNIT, "year": world.year.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["unit"] == [shown("Choose a unit that is in the structure.")]
    assert not Plan.objects.filter(level=PlanLevel.UNIT, created_by=world.people["methodist"]).exists()


# ---------------------------------------------------------------- refusals: the reason on the page, nothing saved


@pytest.mark.parametrize(
    ("change", "field", "msgid"),
    [
        ({"due_date": "outside"}, "due_date", "The deadline must fall within the academic year %(year)s"),
        ({"direction": None}, "direction", "Choose one of the ten work directions."),
        ({"responsible": []}, "responsible", "Name at least one responsible person."),
        ({"content": "  "}, "content", "Describe the work."),
    ],
)
def test_a_bad_item_is_refused_with_the_services_message(world, change, field, msgid):
    chair = client_for(world, "chair")
    plan = world.council_plan
    data = item_data(world, responsible=[world.people["chair"]])
    if "due_date" in change:
        data["due_date"] = (world.year.end + datetime.timedelta(days=1)).isoformat()
    if "direction" in change:
        data["direction"] = ""
    if "responsible" in change:
        data["responsible"] = []
    if "content" in change:
        data["content"] = change["content"]
    response = chair.post(url("item_add", plan.pk), data)
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    if "%(year)s" in msgid:
        with translation.override("ru"):
            expected = translation.gettext(
                "The deadline must fall within the academic year %(year)s (%(start)s – %(end)s)."
            ) % {"year": world.year, "start": f"{world.year.start:%d.%m.%Y}", "end": f"{world.year.end:%d.%m.%Y}"}
        assert errors == [expected]
        assert escape(expected) in page(response)
    else:
        assert errors == [shown(msgid)]
        assert shown(msgid) in page(response)
    assert not plan.items.exists()


def test_editing_an_approved_plan_sends_the_owner_back_with_the_reason(world):
    methodist = client_for(world, "methodist")
    plan = world.service_plan
    before = list(plan.items.values_list("pk", "content", "due_date"))
    reason = shown(
        "The plan is %(status)s and cannot be edited; an approved plan changes only through an amendment.",
        status=plan.get_status_display(),
    )
    for response in (
        methodist.post(
            url("item_add", plan.pk), item_data(world, responsible=[world.people["methodist"]]), follow=True
        ),
        methodist.post(
            url("item_edit", plan.pk, world.teacher_item.pk),
            item_data(world, "Другое", responsible=[world.people["methodist"]]),
            follow=True,
        ),
        methodist.post(url("item_delete", plan.pk, world.teacher_item.pk), follow=True),
        methodist.get(url("plan_edit", plan.pk), follow=True),
    ):
        assert response.redirect_chain == [(plan.get_absolute_url(), 302)]
        assert reason in page(response)
    assert list(plan.items.values_list("pk", "content", "due_date")) == before
    # the page offers no edit buttons; the amendment is the owner's, the head of the service (drafting ≠ owning)
    content = page(methodist.get(plan.get_absolute_url()))
    assert url("item_add", plan.pk) not in content and url("plan_amend", plan.pk) not in content


def test_approving_ones_own_plan_is_refused_with_the_reason(world):
    response = client_for(world, "mo_head").post(url("plan_approve", world.association_plan.pk))
    assert response.status_code == 403
    assert shown("You cannot approve your own plan.") in page(response)
    world.association_plan.refresh_from_db()
    assert world.association_plan.status == PlanStatus.SUBMITTED and not world.association_plan.versions.exists()


def test_approving_when_not_the_approver_is_refused_with_the_reason(world):
    for role in ("teacher", "director"):
        response = client_for(world, role).post(url("plan_approve", world.association_plan.pk))
        assert response.status_code == 403
        assert shown("You are not the approver of this plan.") in page(response)
    world.association_plan.refresh_from_db()
    assert world.association_plan.status == PlanStatus.SUBMITTED


def test_the_second_approver_sees_the_new_state(world):
    """Someone else returned the plan first: the approver is told and sees it, no 500, nothing changed."""
    plan = world.teacher_plan
    services.plan_return(plan=plan, person=world.people["mo_head"], comment="Добавьте сроки")
    response = client_for(world, "mo_head").post(url("plan_approve", plan.pk), follow=True)
    assert response.redirect_chain == [(plan.get_absolute_url(), 302)]
    plan.refresh_from_db()
    assert shown(
        "The plan is no longer waiting for approval: it is now «%(status)s».", status=plan.get_status_display()
    ) in page(response)
    assert plan.status == PlanStatus.RETURNED and plan.version == 0
    assert "Добавьте сроки" in page(response)


def test_returning_without_a_comment_is_refused(world):
    response = client_for(world, "chair").post(
        url("plan_return", world.association_plan.pk), {"comment": " "}, follow=True
    )
    assert shown("Say what to fix when returning a plan.") in page(response)
    world.association_plan.refresh_from_db()
    assert world.association_plan.status == PlanStatus.SUBMITTED


def test_an_amendment_needs_a_reason(world):
    plan = services.plan_approve(plan=world.teacher_plan, person=world.people["mo_head"])
    response = client_for(world, "teacher").post(url("plan_amend", plan.pk), {"reason": ""}, follow=True)
    assert shown("Say why the approved plan must change.") in page(response)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_marking_done_without_a_report_is_refused(world):
    item = world.teacher_item
    response = client_for(world, "teacher").post(
        url("item_mark", world.service_plan.pk, item.pk), {"status": ItemStatus.DONE, "report": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["report"] == [shown("Write a short report: what was done, or why not.")]
    item.refresh_from_db()
    assert item.status == ItemStatus.PLANNED


def test_submitting_an_empty_plan_is_refused(world):
    response = client_for(world, "chair").post(url("plan_submit", world.council_plan.pk), follow=True)
    assert shown("A plan needs at least one item before it is submitted.") in page(response)
    world.council_plan.refresh_from_db()
    assert world.council_plan.status == PlanStatus.DRAFT


# ---------------------------------------------------------------- list, overdue items, statistics


def test_plan_list_defaults_to_the_current_year_and_hides_others_individual_plans(world):
    old = services.plan_create(level=PlanLevel.SERVICE, year=world.past_year, created_by=world.people["methodist"])
    mine = services.plan_create(
        level=PlanLevel.INDIVIDUAL,
        year=world.year,
        person=world.people["secretary"],
        created_by=world.people["secretary"],
    )
    teacher = client_for(world, "teacher")
    listed = set(teacher.get(url("plan_list")).context["page"].object_list)
    assert {world.service_plan, world.association_plan, world.council_plan, world.teacher_plan} <= listed
    assert old not in listed and mine not in listed
    assert old in set(teacher.get(url("plan_list"), {"year": world.past_year.pk}).context["page"].object_list)
    assert mine in set(client_for(world, "director").get(url("plan_list")).context["page"].object_list)
    # the association head sees the individual plans of the association's members
    assert world.teacher_plan in set(client_for(world, "mo_head").get(url("plan_list")).context["page"].object_list)
    filtered = teacher.get(url("plan_list"), {"year": world.year.pk, "status": PlanStatus.APPROVED})
    assert list(filtered.context["page"].object_list) == [world.service_plan]
    content = page(teacher.get(url("plan_list")))
    assert world.people["chair"].short_name in content  # who approved the service plan


@pytest.mark.dated
def test_overdue_items_stand_out_by_a_badge_and_a_class(world, time_machine):
    item = world.teacher_item
    assert "item-overdue" not in page(client_for(world, "teacher").get(world.service_plan.get_absolute_url()))
    time_machine.move_to(noon(item.due_date + datetime.timedelta(days=1)))  # the day after the deadline
    content = page(client_for(world, "teacher").get(world.service_plan.get_absolute_url()))
    row = content[content.index(f'id="item-{item.pk}"') - 200 : content.index(f'id="item-{item.pk}"') + 2000]
    assert "item-overdue" in row
    with translation.override("ru"):
        assert escape(translation.gettext("overdue")) in row


def test_statistics_count_done_standing_and_overdue(world):
    services.item_mark(item=world.teacher_item, status=ItemStatus.DONE, report="Проведено")
    response = client_for(world, "teacher").get(url("execution_stats"))
    assert response.status_code == 200
    by_direction = {row["label"]: row for row in response.context["by_direction"]}
    assert by_direction[str(world.directions[8])]["percent"] == 100
    assert by_direction[str(world.directions[2])]["percent"] == 0
    assert response.context["total"]["done"] == 1 and response.context["total"]["standing"] == 2
    assert '<progress max="100" value="50"' in page(response)
    past = client_for(world, "teacher").get(url("execution_stats"), {"year": world.past_year.pk})
    assert past.context["year"] == world.past_year and past.context["by_plan"] == []


# ---------------------------------------------------------------- query counts


def big_planning_world():
    """50+ staff; a creative group's plan with 45 items × 2–3 responsible, approved three times; 40 individual plans."""
    w = build_planning(build_world(extra_staff=40))
    people = list(type(w.people["teacher"]).objects.staff().order_by("pk"))
    lead, chair = w.people["group_lead"], w.people["chair"]
    plan = services.plan_create(level=PlanLevel.UNIT, year=w.year, unit=w.group, created_by=lead, goal="Цель")
    cycle = itertools.cycle(people)
    for index in range(45):
        services.item_add(
            plan=plan,
            content=f"Мероприятие № {index}",
            direction=w.directions[index % 10 + 1],
            form=WorkForm.SEMINAR,
            due_date=w.year.start + datetime.timedelta(days=index * 7),
            responsible=[next(cycle) for _ in range(2 + index % 2)],
        )
    services.plan_submit(plan=plan, person=lead)
    services.plan_approve(plan=plan, person=chair)
    for reason in ("Первое изменение", "Второе изменение"):
        services.plan_start_amendment(plan=plan, reason=reason)
        services.plan_submit(plan=plan, person=lead)
        services.plan_approve(plan=plan, person=chair)
    for index, item in enumerate(plan.items.all()):
        if index % 3 == 0:
            services.item_mark(item=item, status=ItemStatus.DONE, report="Выполнено")
    named = {person.pk for person in w.people.values()}
    for person in [person for person in people if person.pk not in named][:40]:
        individual = services.plan_create(level=PlanLevel.INDIVIDUAL, year=w.year, person=person, created_by=person)
        services.item_add(
            plan=individual,
            content="Самообразование",
            direction=w.directions[7],
            form=WorkForm.SELF_EDUCATION,
            due_date=w.year.end,
            responsible=[person],
        )
    w.big_plan = plan
    return w


PINNED = [
    # role, URL name, kwargs, queries (a page is read without a transaction: no SAVEPOINT; including the menu's
    # badge: one query, four for an approver of plans — metodservice.attention; none on the dashboard)
    # the list's academic years read once (options, the chosen and the current year)
    ("teacher", "plan_list", lambda w: {}, 8),
    ("director", "plan_list", lambda w: {}, 10),
    ("mo_head", "plan_list", lambda w: {}, 10),
    # the plan page: the theme's stage of the plan's year in the plan's own query, the versions without their
    # approvers (the page prints the names as approved) and the directions they name with the items', the structure
    # of the day read once for every rule the page asks (owner, approver, editor …), the change log in one query
    ("group_lead", "plan_detail", lambda w: {"pk": w.big_plan.pk}, 9),
    ("teacher", "plan_detail", lambda w: {"pk": w.big_plan.pk}, 9),
    ("chair", "plan_detail", lambda w: {"pk": w.big_plan.pk}, 11),
    ("mo_head", "plan_detail", lambda w: {"pk": w.teacher_plan.pk}, 15),
    ("teacher", "execution_stats", lambda w: {}, 9),
]


class PinnedQueriesTest(TestCase):
    """The plan list, the plan page and the statistics answer in a fixed number of queries."""

    @classmethod
    def setUpTestData(cls):
        cls.world = big_planning_world()

    def test_query_counts(self):
        for role, url_name, kwargs, queries in PINNED:
            with self.subTest(role=role, page=url_name):
                client = client_for(self.world, role)
                address = reverse(f"planning:{url_name}", kwargs=kwargs(self.world))
                client.get(address)  # warm caches (content types, sessions)
                with self.assertNumQueries(queries):
                    response = client.get(address)
                self.assertEqual(response.status_code, 200)

    def test_the_big_plan_page_shows_every_item_and_version(self):
        response = client_for(self.world, "group_lead").get(self.world.big_plan.get_absolute_url())
        self.assertEqual(len(response.context["items"]), 45)
        self.assertEqual(len(response.context["versions"]), 3)
