"""Planning services: each transition and each refusal; concurrent approval on PostgreSQL."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from planning import selectors, services
from planning.models import (
    AcademicYear,
    DecisionStatus,
    ItemStatus,
    MeetingStatus,
    Plan,
    PlanLevel,
    PlanStatus,
    WorkDirection,
    WorkForm,
)
from structure.models import UnitKind
from tests.factories import PersonFactory, create_unit
from tests.planning.world import build_planning
from tests.world import build_world

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]


@pytest.fixture
def w(world):
    return world


def item_kwargs(w, **overrides):
    kwargs = {
        "content": "Семинар «Цифровая дидактика»",
        "direction": w.directions[3],
        "form": WorkForm.SEMINAR,
        "due_date": w.year.start + datetime.timedelta(days=60),
        "responsible": [w.people["mo_head"]],
    }
    kwargs.update(overrides)
    return kwargs


# ---------------------------------------------------------------- reference data


def test_ten_directions_with_fixed_codes():
    assert list(WorkDirection.objects.values_list("code", flat=True)) == list(range(1, 11))
    assert WorkDirection.objects.get(code=9).name == "Аттестация педагогических работников"


def test_one_current_year_and_no_overlaps(w):
    assert AcademicYear.objects.filter(is_current=True).get() == w.year
    services.year_make_current(year=w.past_year)
    assert list(AcademicYear.objects.filter(is_current=True)) == [w.past_year]
    with pytest.raises(ValidationError):
        services.year_save(
            title="X", start=w.year.start + datetime.timedelta(days=10), end=w.year.end + datetime.timedelta(days=30)
        )
    with pytest.raises(ValidationError):
        services.year_save(title="Y", start=datetime.date(2030, 9, 1), end=datetime.date(2030, 8, 31))


def test_theme_periods_do_not_overlap(w):
    with pytest.raises(ValidationError):
        services.theme_save(title="Другая", goal="g", tasks="t", start_year=w.year, end_year=w.year)
    assert selectors.theme_for(w.year) == w.theme
    assert w.theme.stages.get(year=w.year).stage == "Практический этап"


# ---------------------------------------------------------------- plans


def test_item_refusals_change_nothing(w):
    plan = w.council_plan
    refusals = [
        ({"due_date": w.year.end + datetime.timedelta(days=1)}, "due_date"),
        ({"due_date": w.year.start - datetime.timedelta(days=1)}, "due_date"),
        ({"direction": None}, "direction"),
        ({"responsible": []}, "responsible"),
        ({"content": "  "}, "content"),
        ({"start_date": w.year.start + datetime.timedelta(days=90)}, "start_date"),  # after the deadline
    ]
    for overrides, field in refusals:
        with pytest.raises(ValidationError) as error:
            services.item_add(plan=plan, **item_kwargs(w, **overrides))
        assert field in error.value.error_dict
    assert plan.items.count() == 0


def test_duplicate_plan_is_refused(w):
    with pytest.raises(ValidationError):
        services.plan_create(level=PlanLevel.SERVICE, year=w.year, created_by=w.people["deputy"])
    with pytest.raises(ValidationError):
        services.plan_create(level=PlanLevel.UNIT, year=w.year, unit=w.association, created_by=w.people["mo_head"])


def test_submit_needs_items_and_then_locks_editing(w):
    plan = w.council_plan
    with pytest.raises(ValidationError):
        services.plan_submit(plan=plan, person=w.people["chair"])
    item = services.item_add(plan=plan, **item_kwargs(w, responsible=[w.people["secretary"]]))
    plan = services.plan_submit(plan=plan, person=w.people["chair"])
    assert plan.status == PlanStatus.SUBMITTED
    with pytest.raises(ValidationError):
        services.item_add(plan=plan, **item_kwargs(w))
    with pytest.raises(ValidationError):
        services.item_update(item=item, **item_kwargs(w))


def test_chair_approves_unit_plan_and_the_stamp_is_kept(w):
    plan = services.plan_approve(plan=w.association_plan, person=w.people["chair"])
    assert (plan.status, plan.version, plan.approved_by) == (PlanStatus.APPROVED, 1, w.people["chair"])
    assert plan.approved_by_position == "Председатель методического совета"
    version = plan.versions.get()
    assert version.snapshot["items"][0]["content"] == "Заседание ПЦК"
    with pytest.raises(ValidationError):
        services.item_add(plan=plan, **item_kwargs(w))


def test_approving_ones_own_plan_is_refused(w):
    # The chair owns the council's plan; the director approves it.
    plan = w.council_plan
    services.item_add(plan=plan, **item_kwargs(w, responsible=[w.people["chair"]]))
    services.plan_submit(plan=plan, person=w.people["chair"])
    with pytest.raises(ValidationError):
        services.plan_approve(plan=plan, person=w.people["chair"])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    plan = services.plan_approve(plan=plan, person=w.people["director"])
    assert plan.status == PlanStatus.APPROVED


def test_association_head_approves_members_individual_plan_others_may_not(w):
    for stranger in ("chair", "group_lead", "director"):
        with pytest.raises(ValidationError):
            services.plan_approve(plan=w.teacher_plan, person=w.people[stranger])
    plan = services.plan_approve(plan=w.teacher_plan, person=w.people["mo_head"])
    assert plan.status == PlanStatus.APPROVED
    assert plan.approved_by_position == f"Председатель {w.association.name}"  # «Председатель ПЦК …»


def test_return_needs_comment_then_resubmit_and_approve(w):
    plan = w.association_plan
    with pytest.raises(ValidationError):
        services.plan_return(plan=plan, person=w.people["chair"], comment=" ")
    plan = services.plan_return(plan=plan, person=w.people["chair"], comment="Добавьте открытые уроки")
    assert (plan.status, plan.return_comment) == (PlanStatus.RETURNED, "Добавьте открытые уроки")
    services.item_add(plan=plan, **item_kwargs(w))
    plan = services.plan_submit(plan=plan, person=w.people["mo_head"])
    plan = services.plan_approve(plan=plan, person=w.people["chair"])
    assert plan.status == PlanStatus.APPROVED and plan.return_comment == ""


def test_amendment_is_approved_the_same_way_and_versions_are_kept(w):
    plan = w.service_plan
    with pytest.raises(ValidationError):
        services.plan_start_amendment(plan=plan, reason="")
    plan = services.plan_start_amendment(plan=plan, reason="Новое поручение директора")
    assert plan.status == PlanStatus.AMENDING
    services.item_add(plan=plan, **item_kwargs(w))
    plan = services.plan_submit(plan=plan, person=w.people["methodist"])
    assert plan.status == PlanStatus.AMENDMENT_SUBMITTED
    plan = services.plan_return(plan=plan, person=w.people["chair"], comment="Уточните сроки")
    assert plan.status == PlanStatus.AMENDING, "a returned amendment goes back to the owner, the old version stands"
    plan = services.plan_submit(plan=plan, person=w.people["methodist"])
    plan = services.plan_approve(plan=plan, person=w.people["chair"])
    assert plan.version == 2
    versions = list(plan.versions.order_by("number"))
    assert [len(v.snapshot["items"]) for v in versions] == [2, 3]
    assert versions[1].reason == "Новое поручение директора"


def test_copy_of_last_years_plan_moves_dates_into_the_new_year(w):
    old = services.plan_create(level=PlanLevel.UNIT, year=w.past_year, unit=w.lab, created_by=w.people["lab_head"])
    services.item_add(
        plan=old,
        **item_kwargs(w, due_date=w.past_year.start + datetime.timedelta(days=40), responsible=[w.people["lab_head"]]),
    )
    new = services.plan_create(
        level=PlanLevel.UNIT, year=w.year, unit=w.lab, created_by=w.people["lab_head"], copy_from=old
    )
    item = new.items.get()
    assert item.due_date == w.year.start + datetime.timedelta(days=40)
    assert item.status == ItemStatus.PLANNED and new.status == PlanStatus.DRAFT
    assert list(item.responsible.all()) == [w.people["lab_head"]]


# ---------------------------------------------------------------- execution


def test_execution_needs_an_approved_plan_and_a_report(w):
    with pytest.raises(ValidationError):
        services.item_mark(item=w.association_plan.items.get(), status=ItemStatus.DONE, report="Проведено")
    with pytest.raises(ValidationError):
        services.item_mark(item=w.teacher_item, status=ItemStatus.DONE, report="")
    item = services.item_mark(
        item=w.teacher_item, status=ItemStatus.DONE, report="Урок проведён", evidence_link="https://intranet/lesson"
    )
    assert item.status == ItemStatus.DONE and item.status_changed_at


def test_execution_statistics(w):
    services.item_mark(item=w.teacher_item, status=ItemStatus.DONE, report="Проведено")
    by_direction = {e.label.split(".")[0]: e for e in selectors.execution_by_direction(w.year)}
    assert (by_direction["8"].total, by_direction["8"].done, by_direction["8"].percent) == (1, 1, 100)
    assert by_direction["2"].percent == 0
    assert by_direction["5"].percent is None  # nothing planned
    by_year = {e.label: e for e in selectors.execution_by_year()}
    assert by_year[w.year.title].percent == 50
    assert by_year[w.past_year.title].total == 0


# ---------------------------------------------------------------- meetings


def test_meeting_numbers_are_unique_per_unit_and_year(w):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            unit=w.association, year=w.year, date=w.meeting.date, number=1, created_by=w.people["mo_head"]
        )
    assert "number" in error.value.error_dict
    second = services.meeting_create(
        unit=w.association, year=w.year, date=w.meeting.date, created_by=w.people["mo_head"]
    )
    assert second.number == 2
    with pytest.raises(ValidationError):
        services.meeting_create(
            unit=w.association,
            year=w.year,
            date=w.year.end + datetime.timedelta(days=1),
            created_by=w.people["mo_head"],
        )


def test_protocol_signing_by_chair_and_secretary_then_locked(w, today):
    director, deputy = w.people["director"], w.people["deputy"]
    chair, secretary = PersonFactory.create_batch(2)
    unit = create_unit(
        director, deputy, UnitKind.ASSOCIATION_EDUCATIONAL, "МО кураторов", head=chair, secretary=secretary
    )
    meeting = services.meeting_create(unit=unit, year=w.year, date=today, created_by=chair)
    assert (meeting.chair, meeting.secretary) == (chair, secretary)
    services.attendance_set(meeting=meeting, rows=[(chair, False, "болезнь"), (secretary, False, "")])
    item = services.agenda_add(meeting=meeting, title="О плане")
    with pytest.raises(ValidationError):  # nobody present
        services.protocol_sign(meeting=meeting, person=chair)
    services.attendance_set(meeting=meeting, rows=[(chair, True, ""), (secretary, True, "")])
    with pytest.raises(ValidationError):  # no РЕШИЛИ
        services.protocol_sign(meeting=meeting, person=chair)
    with pytest.raises(ValidationError):
        services.agenda_update(item=item, title="О плане", decided="Утвердить", votes_for=-1)
    services.agenda_update(
        item=item,
        title="О плане",
        heard="Доклад",
        decided="Утвердить план",
        votes_for=2,
        votes_against=0,
        votes_abstained=0,
    )
    with pytest.raises(ValidationError):
        services.protocol_sign(meeting=meeting, person=w.people["teacher"])
    meeting = services.protocol_sign(meeting=meeting, person=chair)
    assert meeting.status == MeetingStatus.HELD and meeting.chair_signed_at
    with pytest.raises(ValidationError):  # one signature already locks the content
        services.agenda_add(meeting=meeting, title="Ещё вопрос")
    meeting = services.protocol_sign(meeting=meeting, person=secretary)
    assert meeting.status == MeetingStatus.SIGNED
    with pytest.raises(ValidationError):
        services.protocol_sign(meeting=meeting, person=chair)


def test_decisions_are_tracked_to_done(w):
    with pytest.raises(ValidationError):
        services.decision_add(
            agenda_item=w.agenda_item,
            text="x",
            responsible=w.people["teacher"],
            deadline=w.meeting.date - datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        services.decision_mark(decision=w.decision, status=DecisionStatus.DONE, report="")
    decision = services.decision_mark(decision=w.decision, status=DecisionStatus.DONE, report="Урок проведён")
    assert decision.done_at is not None
    assert not selectors.my_open_decisions(w.people["teacher"]).exists()


def test_dashboard_selectors(w):
    teacher = w.people["teacher"]
    assert list(selectors.my_items_due(teacher)) == [w.teacher_item]
    assert w.meeting in selectors.my_meetings_this_week(teacher)
    assert [p.pk for p in selectors.plans_awaiting_approval(w.people["mo_head"])] == [w.teacher_plan.pk]
    assert [p.pk for p in selectors.plans_awaiting_approval(w.people["chair"])] == [w.association_plan.pk]


def test_calendar_events_respect_individual_plans(w):
    start, end = w.year.start, w.year.end
    everyone = selectors.calendar_events(start=start, end=end)
    assert not any("самообразования" in e.title for e in everyone), "individual plans stay private"
    mine = selectors.calendar_events(start=start, end=end, person=w.people["teacher"])
    assert {e.kind for e in mine} == {"meeting", "item"}


# ---------------------------------------------------------------- concurrency


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_approve_and_return_at_once_one_wins(parallel_postgres):
    w = build_planning(build_world())
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def act(name, call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes[name] = "ok"
        except ValidationError as error:
            outcomes[name] = " ".join(error.messages)
        finally:
            connections.close_all()

    plan = w.association_plan
    threads = [
        threading.Thread(
            target=act, args=("approve", lambda: services.plan_approve(plan=plan, person=w.people["chair"]))
        ),
        threading.Thread(
            target=act,
            args=("return", lambda: services.plan_return(plan=plan, person=w.people["chair"], comment="Нет")),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()).count("ok") == 1, outcomes
    loser = next(message for message in outcomes.values() if message != "ok")
    final = Plan.objects.get(pk=plan.pk)
    assert final.status in {PlanStatus.APPROVED, PlanStatus.RETURNED}
    assert final.get_status_display() in loser, "the loser is told the plan's new state"
