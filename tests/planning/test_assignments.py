"""Assignments of the pedagogical council and the director to the methodological service (issue 14; regulation 4.2):
given by the director or passed from the pedagogical council's signed protocol, answered by the service's or the
council's plan item or a decision of the methodological council, done when that answer is done; what a careless user
and a colleague who tries more than their role may do with each form."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from metodservice.common.models import Notification, NotificationKind
from planning import selectors, services
from planning.models import (
    Assignment,
    AssignmentSource,
    AssignmentState,
    DecisionStatus,
    ItemStatus,
    PlanLevel,
    WorkForm,
)
from tests.planning.test_protocol_counts import codes
from tests.planning.world import director_assignment, pedagogical_meeting, service_unit
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]

DAY = datetime.timedelta(days=1)


def diagnostics_item(world):
    """The service plan's item «Диагностика профессиональных дефицитов», due on the year's last day."""
    return world.service_plan.items.get(content="Диагностика профессиональных дефицитов")


def refused(call) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        call()
    return codes(caught.value)


# ---------------------------------------------------------------- giving an assignment


def test_the_director_gives_an_assignment_and_who_answers_for_the_service_is_told(world):
    people = world.people
    service = service_unit(world)
    assignment = director_assignment(world, addressee=service)
    assert (assignment.source, assignment.year, assignment.issued_on) == (
        AssignmentSource.DIRECTOR,
        world.year,
        world.today,
    )
    assert assignment.state(world.today) == AssignmentState.UNANSWERED
    told = set(
        Notification.objects.filter(kind=NotificationKind.ASSIGNMENT_ISSUED).values_list("user__username", flat=True)
    )
    # the deputy (also the service's head) and the council's chair; not the methodist, the teacher, the director
    assert told == {people["deputy"].user.username, people["chair"].user.username}


def test_a_careless_assignment_is_refused_with_its_reason_and_nothing_is_written(world):
    service = service_unit(world)
    director = world.people["director"]
    cases = [
        ({"text": "   "}, "text_required"),
        ({"deadline": world.today - DAY}, "deadline_past"),
        ({"addressee": world.association}, "addressee"),
        ({"issued_on": world.year.end + 400 * DAY, "deadline": world.year.end + 500 * DAY}, "no_year"),
    ]
    for change, code in cases:
        fields = {"text": "Справка", "deadline": world.year.end, "addressee": service, **change}
        assert refused(lambda fields=fields: services.assignment_issue(by=director, **fields)) == {code}
    assert not Assignment.objects.exists()
    assert not Notification.objects.filter(kind=NotificationKind.ASSIGNMENT_ISSUED).exists()


# ---------------------------------------------------------------- a decision of the pedagogical council


def test_a_signed_decision_of_the_pedagogical_council_becomes_an_assignment_once(world):
    meeting = pedagogical_meeting(world)
    decision = meeting.agenda.get().decisions.get()
    assignment = services.assignment_from_decision(
        decision=decision, by=world.people["director"], addressee=service_unit(world)
    )
    assert (assignment.text, assignment.deadline, assignment.year) == (decision.text, decision.deadline, world.year)
    assert assignment.source == AssignmentSource.PEDAGOGICAL_COUNCIL
    again = lambda: services.assignment_from_decision(  # noqa: E731
        decision=decision, by=world.people["deputy"], addressee=service_unit(world)
    )
    assert refused(again) == {"already_tracked"}
    assert Assignment.objects.count() == 1


def test_only_a_signed_living_decision_of_the_pedagogical_council_is_passed(world):
    service = service_unit(world)
    director = world.people["director"]
    # another body's decision
    assert refused(
        lambda: services.assignment_from_decision(decision=world.decision, by=director, addressee=service)
    ) == {"not_pedagogical_council"}
    # a protocol without its signatures
    unsigned = pedagogical_meeting(world, sign=False).agenda.get().decisions.get()
    assert refused(lambda: services.assignment_from_decision(decision=unsigned, by=director, addressee=service)) == {
        "protocol_unsigned"
    }
    # a cancelled decision
    services.decision_mark(decision=unsigned, status=DecisionStatus.CANCELLED, report="Снято с контроля")
    services.protocol_sign(meeting=unsigned.agenda_item.meeting, person=director)
    services.protocol_sign(meeting=unsigned.agenda_item.meeting, person=world.people["deputy"])
    unsigned.refresh_from_db()
    assert refused(lambda: services.assignment_from_decision(decision=unsigned, by=director, addressee=service)) == {
        "decision_cancelled"
    }
    # a deadline before the meeting
    signed = pedagogical_meeting(world).agenda.get().decisions.get()
    assert refused(
        lambda: services.assignment_from_decision(
            decision=signed, by=director, addressee=service, deadline=world.today - DAY
        )
    ) == {"deadline_past"}
    assert not Assignment.objects.exists()


# ---------------------------------------------------------------- the answer and the state


def test_the_answer_is_a_plan_item_and_the_assignment_is_done_when_the_item_is(world):
    assignment = director_assignment(world)
    item = diagnostics_item(world)
    services.assignment_answer(assignment=assignment, by=world.people["methodist"], plan_item=item)
    assignment.refresh_from_db()
    assert assignment.state(world.today) == AssignmentState.IN_PROGRESS
    assert assignment.answered_by == world.people["methodist"]
    services.item_mark(item=item, status=ItemStatus.DONE, report="Карта дефицитов составлена")
    assignment.refresh_from_db()
    assert assignment.state(world.today) == AssignmentState.DONE
    # a done assignment keeps its answer and cannot be cancelled
    other = world.service_plan.items.exclude(pk=item.pk).first()
    assert refused(
        lambda: services.assignment_answer(assignment=assignment, by=world.people["deputy"], plan_item=other)
    ) == {"done"}
    assert refused(
        lambda: services.assignment_cancel(assignment=assignment, by=world.people["director"], reason="Не нужно")
    ) == {"done"}


def test_a_cancelled_answer_leaves_the_assignment_without_one_and_the_deadline_makes_it_overdue(world):
    assignment = director_assignment(world, deadline=world.year.end)
    item = diagnostics_item(world)
    services.assignment_answer(assignment=assignment, by=world.people["deputy"], plan_item=item)
    services.item_mark(item=item, status=ItemStatus.CANCELLED, report="Перенесено в план ПЦК")
    assignment.refresh_from_db()
    assert assignment.state(world.today) == AssignmentState.UNANSWERED
    assert assignment.state(world.year.end + DAY) == AssignmentState.OVERDUE


def test_an_answer_from_anywhere_else_is_refused(world):
    """A colleague who answers with an item of somebody's individual plan, an association's plan or a decision
    of another body (each already done, say) does not make the assignment done."""
    assignment = director_assignment(world)
    deputy = world.people["deputy"]
    teacher_item = world.teacher_plan.items.get()
    association_item = world.association_plan.items.get()
    for item in (teacher_item, association_item):
        assert refused(
            lambda item=item: services.assignment_answer(assignment=assignment, by=deputy, plan_item=item)
        ) == {"answer_item"}
    assert refused(lambda: services.assignment_answer(assignment=assignment, by=deputy, decision=world.decision)) == {
        "answer_decision"
    }
    assert refused(lambda: services.assignment_answer(assignment=assignment, by=deputy)) == {"answer_one"}
    assert refused(
        lambda: services.assignment_answer(
            assignment=assignment, by=deputy, plan_item=diagnostics_item(world), decision=world.decision
        )
    ) == {"answer_one"}
    assignment.refresh_from_db()
    assert assignment.answer is None and assignment.answered_by is None


def test_a_decision_of_the_methodological_council_taken_after_the_assignment_answers_it(world):
    from tests.planning.test_plan_documents_titles import council_protocol

    assignment = director_assignment(world)
    meeting = council_protocol(world, world.council_plan, sign=False)
    decision = services.decision_add(
        agenda_item=meeting.agenda.get(),
        text="Рассмотреть справку",
        responsible=world.people["chair"],
        deadline=world.year.end,
    )
    services.assignment_answer(assignment=assignment, by=world.people["chair"], decision=decision)
    services.decision_mark(decision=decision, status=DecisionStatus.DONE, report="Рассмотрено")
    assignment.refresh_from_db()
    assert assignment.state(world.today) == AssignmentState.DONE
    # a decision of a meeting held before the assignment was given is not an answer to it
    later = Assignment(issued_on=world.today + DAY, deadline=world.year.end + DAY)  # (tomorrow may be next year)
    assert not selectors.answering_decisions(later).filter(pk=decision.pk).exists()


def test_the_council_plan_of_the_next_year_answers_an_assignment_reaching_into_it(world):
    """An August pedagogical council asks for the new year's work: the next year's plan answers it."""
    from planning.models import AcademicYear, WorkDirection

    next_year = AcademicYear.objects.create(
        title="next", start=world.year.end + DAY, end=world.year.end.replace(year=world.year.end.year + 1)
    )
    plan = services.plan_create(
        level=PlanLevel.UNIT, year=next_year, unit=world.council, created_by=world.people["chair"]
    )
    item = services.item_add(
        plan=plan,
        content="Заседание совета",
        direction=WorkDirection.objects.get(code=1),
        form=WorkForm.MEETING,
        due_date=next_year.start + 30 * DAY,
        responsible=[world.people["chair"]],
    )
    within = director_assignment(world, deadline=world.year.end)
    reaching = director_assignment(world, deadline=next_year.start + 60 * DAY)
    assert not selectors.answering_items(within).filter(pk=item.pk).exists()
    assert selectors.answering_items(reaching).filter(pk=item.pk).exists()


def test_cancelling_needs_a_reason_and_happens_once(world):
    assignment = director_assignment(world)
    director = world.people["director"]
    assert refused(lambda: services.assignment_cancel(assignment=assignment, by=director, reason=" ")) == {
        "reason_required"
    }
    services.assignment_cancel(assignment=assignment, by=director, reason="Вопрос снят")
    assignment.refresh_from_db()
    assert assignment.state(world.today) == AssignmentState.CANCELLED
    assert refused(lambda: services.assignment_cancel(assignment=assignment, by=director, reason="Ещё раз")) == {
        "cancelled"
    }
    assert refused(
        lambda: services.assignment_answer(
            assignment=assignment, by=world.people["deputy"], plan_item=diagnostics_item(world)
        )
    ) == {"cancelled"}


def test_the_lists_filters_by_state_agree_with_each_assignments_state(world):
    today = world.today
    item = diagnostics_item(world)
    other = world.service_plan.items.exclude(pk=item.pk).get(content__startswith="Открытый урок")
    made = [
        director_assignment(world),  # unanswered
        director_assignment(world, issued_on=today - 20 * DAY, deadline=today - DAY),  # overdue, no answer
        director_assignment(world),  # answered: in progress
        director_assignment(world),  # answered, done
        director_assignment(world),  # cancelled
    ]
    deputy, director = world.people["deputy"], world.people["director"]
    services.assignment_answer(assignment=made[2], by=deputy, plan_item=other)
    services.assignment_answer(assignment=made[3], by=deputy, plan_item=item)
    services.item_mark(item=item, status=ItemStatus.DONE, report="Сделано")
    services.assignment_cancel(assignment=made[4], by=director, reason="Снято")
    states = selectors.assignment_states(Assignment.objects.all(), today)
    for assignment in Assignment.objects.all():
        found = [name for name, queryset in states.items() if queryset.filter(pk=assignment.pk).exists()]
        assert found == [assignment.state(today).value]
    assert {a.pk for a in selectors.assignments_to_answer(today)} == {made[0].pk, made[1].pk}


# ---------------------------------------------------------------- the pages


def test_the_director_gives_an_assignment_in_the_browser_form_and_a_deputy_may_not(world):
    service = service_unit(world)
    data = {"text": "Провести семинар", "addressee": service.pk, "deadline": world.year.end.isoformat()}
    response = client_for(world, "deputy").post(reverse("planning:assignment_create"), data)
    assert response.status_code == 403
    response = client_for(world, "director").post(reverse("planning:assignment_create"), data)
    assignment = Assignment.objects.get()
    assert response.url == assignment.get_absolute_url()
    assert assignment.issued_by == world.people["director"]
    # a form naming a unit that is not the service nor the council is answered with the form again
    data["addressee"] = world.association.pk
    response = client_for(world, "director").post(reverse("planning:assignment_create"), data)
    assert response.status_code == 200 and response.context["form"].errors["addressee"]
    assert Assignment.objects.count() == 1


def test_the_answer_form_offers_only_what_may_answer_and_refuses_a_forged_choice(world):
    assignment = director_assignment(world)
    client = client_for(world, "methodist")
    url = reverse("planning:assignment_answer", args=[assignment.pk])
    offered = {item.pk for item in client.get(url).context["form"].fields["plan_item"].queryset}
    assert diagnostics_item(world).pk in offered
    assert world.teacher_plan.items.get().pk not in offered
    response = client.post(url, {"plan_item": world.teacher_plan.items.get().pk})
    assert response.status_code == 200 and response.context["form"].errors["plan_item"]
    response = client.post(url, {})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["answer_one"]
    assignment.refresh_from_db()
    assert assignment.answer is None
    response = client.post(url, {"plan_item": diagnostics_item(world).pk})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.answer_item == diagnostics_item(world)


def test_the_protocol_offers_to_pass_a_decision_to_those_who_may_and_then_links_the_assignment(world):
    meeting = pedagogical_meeting(world)
    decision = meeting.agenda.get().decisions.get()
    pass_url = reverse("planning:decision_pass", args=[decision.pk])
    assert pass_url in client_for(world, "director").get(meeting.get_absolute_url()).content.decode()
    assert pass_url not in client_for(world, "teacher").get(meeting.get_absolute_url()).content.decode()
    response = client_for(world, "deputy").post(
        pass_url, {"addressee": service_unit(world).pk, "deadline": decision.deadline.isoformat()}
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    page = client_for(world, "director").get(meeting.get_absolute_url()).content.decode()
    assert pass_url not in page and assignment.get_absolute_url() in page
    # passing it again is refused (the rule: it is already passed)
    again = client_for(world, "director").post(
        pass_url, {"addressee": service_unit(world).pk, "deadline": decision.deadline.isoformat()}
    )
    assert again.status_code == 403 and Assignment.objects.count() == 1


def test_cancelling_in_the_browser_asks_for_a_reason(world):
    assignment = director_assignment(world)
    url = reverse("planning:assignment_cancel", args=[assignment.pk])
    client = client_for(world, "director")
    assert client.post(url, {"reason": ""}).status_code == 200
    assignment.refresh_from_db()
    assert not assignment.is_cancelled
    assert client.post(url, {"reason": "Вопрос решён иначе"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.is_cancelled and assignment.cancel_reason == "Вопрос решён иначе"


def test_the_dashboard_shows_who_answers_for_the_service_what_waits_for_an_answer(world):
    assignment = director_assignment(world)
    deputy_page = client_for(world, "deputy").get(reverse("dashboard")).content.decode()
    assert assignment.get_absolute_url() in deputy_page
    teacher_page = client_for(world, "teacher").get(reverse("dashboard")).content.decode()
    assert assignment.get_absolute_url() not in teacher_page
    services.assignment_answer(assignment=assignment, by=world.people["deputy"], plan_item=diagnostics_item(world))
    # answered and not yet due: it no longer waits for them
    assert assignment.get_absolute_url() not in client_for(world, "deputy").get(reverse("dashboard")).content.decode()


def _many(world, count: int) -> None:
    """`count` assignments, half passed from the pedagogical council, every third answered by a plan item."""
    service = service_unit(world)
    item = diagnostics_item(world)
    meeting = pedagogical_meeting(world, decisions=count // 2)
    for index, decision in enumerate(meeting.agenda.get().decisions.all()):
        assignment = services.assignment_from_decision(
            decision=decision, by=world.people["director"], addressee=service
        )
        if index % 3 == 0:
            services.assignment_answer(assignment=assignment, by=world.people["deputy"], plan_item=item)
    for _ in range(count - count // 2):
        director_assignment(world)


@pytest.mark.parametrize("url_name", ["planning:assignment_list", "dashboard"])
def test_the_list_and_the_dashboard_cost_the_same_queries_with_more_assignments(
    world, url_name, django_assert_num_queries
):
    client = client_for(world, "deputy")
    url = reverse(url_name) + ("?year=" if url_name != "dashboard" else "")
    _many(world, 4)
    client.get(url)  # warm the session and the kept counts
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _many(world, 30)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more.captured_queries) == len(few.captured_queries)


def test_the_assignment_list_pinned_query_count(world, django_assert_num_queries):
    _many(world, 30)
    client = client_for(world, "deputy")
    url = reverse("planning:assignment_list") + "?year="
    client.get(url)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200


def test_the_assignment_page_pinned_query_count(world, django_assert_num_queries):
    _many(world, 4)
    assignment = Assignment.objects.filter(answer_item__isnull=False).first()
    client = client_for(world, "deputy")
    url = assignment.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
