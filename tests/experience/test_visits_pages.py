"""The lesson visit pages: planning a visit through the form (and what a careless user or a malicious colleague
could post), changing and cancelling it, the visit's page with the observation form and the observation, what the
visited teacher sees, «Мои посещения», the visit log with its filters and its XLSX, and the adoption buttons."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from experience.models import VISIT_CRITERIA, Adoption, AdoptionKind, ItemStatus, LessonVisit, VisitStatus
from tests.experience import visits_data as data
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(extra_staff=8)]

DAY = datetime.timedelta(days=1)
FIRST = VISIT_CRITERIA[0][0]


def url(name: str, **kwargs) -> str:
    return reverse(f"experience:{name}", kwargs=kwargs)


def html(response) -> str:
    return response.content.decode()


def form_codes(response, field: str) -> list[str]:
    return [error.code for error in response.context["form"].errors.as_data().get(field, [])]


def plan_data(world, **overrides) -> dict:
    values = {
        "visited": world.people["mo_head"].pk,
        "date": (timezone.localdate() + 2 * DAY).isoformat(),
        "lesson": "Литература. Поэзия Серебряного века",
        "group": "ТМ-25",
        "goal": "Приёмы анализа стихотворения",
        "item": "",
    }
    values.update(overrides)
    return values


def observation(**overrides) -> dict:
    values = {
        "goal": "Приёмы анализа стихотворения",
        "worked": "Работа в парах с текстом",
        "to_adopt": "Рабочий лист",
        **{f"rating_{name}": "2" for name, _label in VISIT_CRITERIA},
    }
    values.update(overrides)
    return values


# ---------------------------------------------------------------- planning


def test_a_teacher_plans_a_visit_through_the_form(world):
    client = client_for(world, "teacher")
    page = client.get(url("visit_add"))
    assert page.status_code == 200 and "data-searchable" in html(page)
    response = client.post(url("visit_add"), plan_data(world))
    visit = LessonVisit.objects.get()
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()
    assert visit.visitor == world.people["teacher"] and visit.visited == world.people["mo_head"]
    assert visit.status == VisitStatus.PLANNED


def test_the_visitor_is_always_the_user(world):
    """A visitor id slipped into the POST is ignored: the chair is not made to visit."""
    chair = world.people["chair"]
    client_for(world, "teacher").post(url("visit_add"), plan_data(world, visitor=chair.pk, visitor_id=chair.pk))
    assert LessonVisit.objects.get().visitor == world.people["teacher"]


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("date", "31.02.2026", "invalid"),
        ("date", "2026-02-31", "invalid"),
        ("date", "завтра", "invalid"),
        ("date", "", "required"),
        ("visited", "99999999999999999999", "invalid_choice"),
        ("visited", "-1", "invalid_choice"),
        ("visited", "abc", "invalid_choice"),
        ("item", "99999999999999999999", "invalid_choice"),
        ("lesson", "у" * 501, "max_length"),
        ("lesson", "", "required"),
        ("group", "г" * 101, "max_length"),
    ],
)
def test_bad_input_is_refused_on_its_field(world, field, value, code):
    response = client_for(world, "teacher").post(url("visit_add"), plan_data(world, **{field: value}))
    assert response.status_code == 200
    assert code in form_codes(response, field)
    assert not LessonVisit.objects.exists()


def test_oneself_and_researchers_are_not_offered_and_not_taken(world):
    client = client_for(world, "teacher")
    for person in ("teacher", "researcher"):
        response = client.post(url("visit_add"), plan_data(world, visited=world.people[person].pk))
        assert "invalid_choice" in form_codes(response, "visited")
    choices = {value for value, _label in client.get(url("visit_add")).context["form"].fields["visited"].choices}
    assert world.people["teacher"].pk not in {getattr(v, "value", v) for v in choices}
    assert not LessonVisit.objects.exists()


def test_an_open_lesson_of_someone_else_is_refused(world):
    chairs = data.item(world.people["chair"])
    response = client_for(world, "teacher").post(url("visit_add"), plan_data(world, item=chairs.pk))
    assert form_codes(response, "item") == ["not_their_lesson"]
    draft = data.item(world.people["mo_head"], status=ItemStatus.DRAFT)
    response = client_for(world, "teacher").post(url("visit_add"), plan_data(world, item=draft.pk))
    assert form_codes(response, "item") == ["invalid_choice"]  # only published lessons are offered
    assert not LessonVisit.objects.exists()


def test_a_visit_is_planned_from_an_open_lesson(world):
    lesson = data.item(world.people["mo_head"], date=timezone.localdate() + 4 * DAY)
    response = client_for(world, "teacher").get(url("visit_add"), {"item": lesson.pk})
    initial = response.context["form"].initial
    assert initial["item"] == lesson.pk and initial["visited"] == world.people["mo_head"].pk
    assert initial["date"] == lesson.date and initial["lesson"] == lesson.title
    for junk in ("abc", "99999999999999999999", "-5", ""):
        assert client_for(world, "teacher").get(url("visit_add"), {"item": junk, "visited": junk}).status_code == 200


# ---------------------------------------------------------------- changing and cancelling


def test_the_visitor_changes_and_cancels_the_visit(world):
    visit = data.plan(world.people["teacher"], world.people["mo_head"])
    client = client_for(world, "teacher")
    assert client.get(url("visit_edit", pk=visit.pk)).status_code == 200
    response = client.post(url("visit_edit", pk=visit.pk), plan_data(world, lesson="Русский язык. Причастие"))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.lesson == "Русский язык. Причастие"
    assert client.post(url("visit_cancel", pk=visit.pk)).status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED
    response = client.get(url("visit_edit", pk=visit.pk))  # no longer editable: back to its page with the reason
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()


def test_a_colleague_cannot_touch_someone_elses_visit(world):
    visit = data.plan(world.people["teacher"], world.people["mo_head"], days=-1)
    chair = client_for(world, "chair")  # neither visitor, visited nor head: out of reach
    for name in ("visit_edit", "visit_cancel", "visit_fill"):
        assert chair.post(url(name, pk=visit.pk), observation()).status_code == 404
    head = client_for(world, "mo_head")  # the visited teacher and head: sees it, may not act
    assert head.post(url("visit_edit", pk=visit.pk), plan_data(world, lesson="Подмена")).status_code == 403
    assert head.post(url("visit_cancel", pk=visit.pk)).status_code == 403
    assert head.post(url("visit_fill", pk=visit.pk), observation()).status_code == 403
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED and visit.lesson != "Подмена"
    assert client_for(world, "teacher").get(url("visit_detail", pk=99999999)).status_code == 404


# ---------------------------------------------------------------- the observation


def test_the_visitor_fills_the_observation_on_the_visits_page(world):
    visit = data.plan(world.people["teacher"], world.people["mo_head"], days=0)
    client = client_for(world, "teacher")
    page = client.get(visit.get_absolute_url())
    assert page.context["form"] is not None and url("visit_fill", pk=visit.pk) in html(page)
    response = client.post(url("visit_fill", pk=visit.pk), observation())
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE and visit.ratings == data.ratings(2)
    page = client.get(visit.get_absolute_url())
    assert page.context["form"] is None and page.context["total"] == 2 * len(VISIT_CRITERIA)
    assert "Работа в парах с текстом" in html(page)
    # filled: fixed — a second POST changes nothing
    client.post(url("visit_fill", pk=visit.pk), observation(worked="Другое"))
    visit.refresh_from_db()
    assert visit.worked == "Работа в парах с текстом"


@pytest.mark.parametrize("value", ["abc", "-1", "3", "99999999999999999999", "2.5", "", "1e3"])
def test_ratings_outside_the_scale_are_refused(world, value):
    visit = data.plan(world.people["teacher"], world.people["mo_head"], days=-1)
    response = client_for(world, "teacher").post(
        url("visit_fill", pk=visit.pk), observation(**{f"rating_{FIRST}": value})
    )
    assert response.status_code == 200
    assert form_codes(response, f"rating_{FIRST}") in (["invalid_choice"], ["required"])
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED and visit.ratings == {}


def test_a_missing_criterion_is_refused(world):
    visit = data.plan(world.people["teacher"], world.people["mo_head"], days=-1)
    values = observation()
    values.pop(f"rating_{VISIT_CRITERIA[-1][0]}")
    response = client_for(world, "teacher").post(url("visit_fill", pk=visit.pk), values)
    assert response.status_code == 200 and form_codes(response, f"rating_{VISIT_CRITERIA[-1][0]}") == ["required"]


def test_not_before_the_lesson(world):
    visit = data.plan(world.people["teacher"], world.people["mo_head"], days=2)
    client = client_for(world, "teacher")
    page = client.get(visit.get_absolute_url())
    assert page.context["form"] is None and page.context["can"]["fill"]
    response = client.post(url("visit_fill", pk=visit.pk), observation(), follow=True)
    assert [m.message for m in response.context["messages"]]  # visit_not_yet, said on the page
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_the_visited_teacher_sees_the_date_then_the_observation(world):
    visit = data.plan(world.people["teacher"], world.people["mo_head"], days=0, goal="Секретная цель визита")
    head = client_for(world, "mo_head")
    page = head.get(visit.get_absolute_url())
    assert page.status_code == 200 and not page.context["show_goal"]
    assert "Секретная цель визита" not in html(page) and visit.lesson in html(page)
    data.services.visit_fill(
        visit=visit, by=world.people["teacher"], worked="Сильная мотивация", to_adopt="Кейсы", ratings=data.ratings(1)
    )
    page = head.get(visit.get_absolute_url())
    assert page.context["show_goal"] and "Секретная цель визита" in html(page) and "Сильная мотивация" in html(page)


# ---------------------------------------------------------------- «Мои посещения»


def test_my_visits_lists_what_i_made_and_what_i_received(world):
    teacher, head, chair = world.people["teacher"], world.people["mo_head"], world.people["chair"]
    waiting = data.plan(teacher, head, days=-1)
    data.plan(teacher, chair, days=7)
    data.done(chair, teacher)
    client = client_for(world, "teacher")
    made = client.get(url("visit_mine"))
    assert made.status_code == 200 and made.context["made_count"] == 2 and made.context["received_count"] == 1
    assert [v.pk for v in made.context["to_fill"]] == [waiting.pk]
    assert len(made.context["page"]) == 2
    received = client.get(url("visit_mine"), {"show": "received", "page": "abc"})
    assert [v.visitor for v in received.context["page"]] == [chair]


# ---------------------------------------------------------------- the log and its XLSX


def test_the_heads_log_shows_the_associations_visits_only(world):
    teacher, chair, secretary = world.people["teacher"], world.people["chair"], world.people["secretary"]
    ours = data.done(teacher, chair)
    theirs = data.done(chair, secretary)
    head = client_for(world, "mo_head").get(url("visit_log"))
    assert {v.pk for v in head.context["page"]} == {ours.pk}
    methodist = client_for(world, "methodist").get(url("visit_log"))
    assert {v.pk for v in methodist.context["page"]} == {ours.pk, theirs.pk}


def test_the_log_filters(world):
    teacher, head, chair = world.people["teacher"], world.people["mo_head"], world.people["chair"]
    old = data.done(teacher, chair, days=-60)
    recent = data.done(chair, head, days=-2)
    planned = data.plan(head, teacher, days=3)
    client = client_for(world, "methodist")

    def shown(**params):
        return {v.pk for v in client.get(url("visit_log"), params).context["page"]}

    today = timezone.localdate()
    assert shown(start=(today - 10 * DAY).isoformat()) == {recent.pk, planned.pk}
    assert shown(end=(today - 10 * DAY).isoformat()) == {old.pk}
    assert shown(person=chair.pk) == {old.pk, recent.pk}
    assert shown(status=VisitStatus.PLANNED) == {planned.pk}
    assert shown(unit=world.association.pk) == {old.pk, recent.pk, planned.pk}
    # bad input: reported, left out of the filter, never a server error
    for params in (
        {"start": "31.02.2026"},
        {"person": "99999999999999999999"},
        {"unit": "abc"},
        {"status": "<script>"},
        {"page": "99999"},
        {"start": "x" * 1000},
    ):
        assert client.get(url("visit_log"), params).status_code == 200
    assert shown(start="31.02.2026", status=VisitStatus.PLANNED) == {planned.pk}


def test_the_xlsx_has_the_logs_filters_and_no_formulas(world):
    teacher, chair = world.people["teacher"], world.people["chair"]
    visit = data.plan(teacher, chair, days=-1, lesson='=HYPERLINK("http://evil";"x")', group="+7")
    data.services.visit_fill(visit=visit, by=teacher, worked="@SUM(A1)", to_adopt="-1", ratings=data.ratings(1))
    data.done(chair, world.people["secretary"])
    response = client_for(world, "methodist").get(url("visit_log_xlsx"), {"person": teacher.pk})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # the header and the teacher's visit only
    line = rows[1]
    assert line[3] == '\'=HYPERLINK("http://evil";"x")' and line[4] == "'+7"
    assert line[8] == "'@SUM(A1)" and line[9] == "'-1"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert line[10 : 10 + len(VISIT_CRITERIA)] == (1,) * len(VISIT_CRITERIA)


# ---------------------------------------------------------------- adoptions


def test_a_colleague_marks_and_withdraws_an_adoption(world):
    lesson = data.item(world.people["mo_head"])
    client = client_for(world, "teacher")
    response = client.post(
        url("adoption_mark", pk=lesson.pk), {"kind": AdoptionKind.ADOPTED, "note": "Рабочий лист", "next": "/x/"}
    )
    assert response.status_code == 302 and response["Location"] == "/x/"
    mark = Adoption.objects.get()
    assert mark.person == world.people["teacher"] and mark.note == "Рабочий лист"
    response = client.post(url("adoption_mark", pk=lesson.pk), {"kind": AdoptionKind.ADOPTED}, follow=True)
    assert Adoption.objects.count() == 1 and response.context["messages"]  # already_marked, said on the item's page
    assert response.redirect_chain[-1][0] == lesson.get_absolute_url()
    assert client.post(url("adoption_withdraw", pk=mark.pk), {"next": "//evil.example/"})["Location"] == (
        lesson.get_absolute_url()
    )
    assert not Adoption.objects.exists()


def test_adoption_attacks(world):
    lesson = data.item(world.people["mo_head"])
    head = client_for(world, "mo_head")
    head.post(url("adoption_mark", pk=lesson.pk), {"kind": AdoptionKind.ADOPTED})  # own item: refused
    assert not Adoption.objects.exists()
    teacher = client_for(world, "teacher")
    teacher.post(url("adoption_mark", pk=lesson.pk), {"kind": "forged", "person": world.people["chair"].pk})
    assert not Adoption.objects.exists()
    teacher.post(url("adoption_mark", pk=lesson.pk), {"kind": AdoptionKind.ADOPTED, "person": world.people["chair"].pk})
    assert Adoption.objects.get().person == world.people["teacher"]
    draft = data.item(world.people["mo_head"], status=ItemStatus.DRAFT)
    assert teacher.post(url("adoption_mark", pk=draft.pk), {"kind": AdoptionKind.ADOPTED}).status_code == 404
    mark = Adoption.objects.get()
    assert client_for(world, "chair").post(url("adoption_withdraw", pk=mark.pk)).status_code == 403
    assert Adoption.objects.exists()
    assert teacher.get(url("adoption_mark", pk=lesson.pk)).status_code == 405
