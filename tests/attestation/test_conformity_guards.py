"""What the review of the conformity attestation found, each refused with its code:

- a conformity case is compulsory: only the methodist or the deputy withdraws it (`not_employer`), the teacher still
  withdraws their own category case;
- planning's pages cannot undo the commission's decision (planning.services.guards, filled by attestation.apps):
  the case's question is not edited nor deleted there (`attestation_question`), the meeting not moved to less than
  30 days after the acknowledgement (`sitting_too_soon`), and a protocol holding the question is signed only while
  the decision holds on it (`case_not_decided`, `no_majority`, `votes_exceed_voters`, `decision_mismatch`,
  `sitting_too_soon`, `exempt`, `commission_too_small`); the signature puts the meeting's date on the case;
- exemptions are checked again when the sitting is planned and the decision recorded (`exempt`);
- the person being attested, a member of the commission, does not vote (`votes_exceed_voters`, `no_majority`);
- the teacher's information: after the acknowledgement (`not_acknowledged`), before the sitting (`sitting_held`);
- the panel of a signed case prints the votes from the protocol's snapshot;
- the commission sits with at least ATTESTATION_COMMISSION_MIN_MEMBERS members (`commission_too_small`).
"""

from __future__ import annotations

import datetime
import re

import pytest
import rules
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from attestation.models import AttestationCase, CaseDecision, CaseKind, CaseStatus, Category, CategoryKind
from attestation.services import cases as case_services
from attestation.services import conformity as services
from planning import services as planning
from planning.models import AgendaItem, Meeting
from structure.models import AbsenceKind, AbsencePeriod
from tests.attestation import matrix_conformity as steps
from tests.attestation.test_conformity_pages import render_panel
from tests.attestation.test_conformity_services import codes, extend, ivanova, refused

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, extend=extend)]

DAY = datetime.timedelta(days=1)
#: The decision's votes on the panel, in either language.
VOTES = re.compile(r"(?:for|за) — (\d+), (?:against|против) — (\d+), (?:abstained|воздержались) — (\d+)")


def decide(world, case, today, votes=(4, 1, 0), by="methodist", decision=CaseDecision.CONFORMS):
    return services.decision_record(
        case=case,
        by=world.people[by],
        decision=decision,
        votes_for=votes[0],
        votes_against=votes[1],
        votes_abstained=votes[2],
        today=today,
    )


def sign_refused(code: str, meeting: Meeting) -> ValidationError:
    """Neither signer can sign; nothing is written (no signature, no snapshot)."""
    meeting.refresh_from_db()
    for signer in (meeting.chair, meeting.secretary):
        with pytest.raises(ValidationError) as info:
            planning.protocol_sign(meeting=meeting, person=signer)
        assert code in codes(info.value), codes(info.value)
    meeting.refresh_from_db()
    assert (meeting.chair_signed_at, meeting.secretary_signed_at, meeting.snapshot) == (None, None, None)
    return info.value


def mark(meeting: Meeting, absent) -> None:
    """Everyone present but `absent`."""
    planning.attendance_set(
        meeting=meeting,
        rows=[
            (row.person, row.person not in absent, "Болезнь" if row.person in absent else "")
            for row in meeting.attendance.select_related("person")
        ],
    )


def client(world, role: str) -> Client:
    c = Client()
    c.force_login(world.people[role].user)
    return c


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


# ---------------------------------------------------------------- 1. withdrawal of a compulsory attestation


def test_only_the_employer_withdraws_a_conformity_case(world, today):
    case = steps.acknowledged(world, ivanova(world))
    allowed = [
        role
        for role in ("ivanova", "methodist", "deputy", "director", "chair")
        if rules.has_perm("attestation.withdraw_case", world.people[role].user, case)
    ]
    assert allowed == ["methodist", "deputy"]
    refused("not_employer", case_services.case_withdraw, case=case, by=ivanova(world), reason="Не хочу")
    refused("not_employer", case_services.case_withdraw, case=case, by=world.people["director"], reason="Нет")
    case = case_services.case_withdraw(case=case, by=world.people["deputy"], reason="Увольнение")
    assert case.status == CaseStatus.WITHDRAWN


def test_the_methodist_does_not_withdraw_their_own_conformity_case(world, today):
    methodist = world.people["methodist"]
    case = AttestationCase.objects.create(person=methodist, kind=CaseKind.CONFORMITY, created_by=world.people["deputy"])
    assert not rules.has_perm("attestation.withdraw_case", methodist.user, case)
    assert rules.has_perm("attestation.withdraw_case", world.people["deputy"].user, case)
    refused("not_employer", case_services.case_withdraw, case=case, by=methodist, reason="Сам")


def test_the_teacher_still_withdraws_their_own_category_case(world, today):
    person = ivanova(world)
    case = case_services.category_open(person=person, kind=CaseKind.FIRST, by=person)
    assert rules.has_perm("attestation.withdraw_case", person.user, case)
    case = case_services.case_withdraw(case=case, by=person, reason="Перенесу на следующий год")
    assert case.status == CaseStatus.WITHDRAWN


def test_the_withdraw_page_refuses_the_teacher(world, today):
    case = steps.acknowledged(world, ivanova(world))
    url = reverse("attestation:case_withdraw", args=[case.pk])
    assert client(world, "ivanova").post(url, {"reason": "Не хочу"}).status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


# ---------------------------------------------------------------- 2. planning's pages and the case's question


def test_planning_does_not_edit_the_decision_nor_the_votes_of_the_question(world, today):
    case = steps.decided(world, ivanova(world))
    item = AgendaItem.objects.get(pk=case.agenda_item_id)
    kept = {
        "title": item.title,
        "speaker": item.speaker,
        "heard": item.heard,
        "decided": item.decided,
        "votes_for": item.votes_for,
        "votes_against": item.votes_against,
        "votes_abstained": item.votes_abstained,
    }
    for change in (
        {"decided": "Признать не соответствующей занимаемой должности."},
        {"votes_for": 2, "votes_against": 3},
        {"title": "Другой вопрос"},
    ):
        error = refused("attestation_question", planning.agenda_update, item=item, **{**kept, **change})
        assert ivanova(world).full_name in error.messages[0]
    # what the case does not own (ВЫСТУПИЛИ) is written in planning as usual
    planning.agenda_update(item=item, **{**kept, "spoke": "Председатель комиссии: вопросов нет."})
    item.refresh_from_db()
    assert item.spoke == "Председатель комиссии: вопросов нет." and item.votes_for == 4


def test_planning_does_not_delete_the_question(world, today):
    for case in (steps.planned(world, ivanova(world)), steps.decided(world)):
        item = AgendaItem.objects.get(pk=case.agenda_item_id)
        refused("attestation_question", planning.agenda_delete, item=item)


def test_other_questions_of_the_meeting_stay_free(world, today):
    case = steps.planned(world, ivanova(world))
    other = planning.agenda_add(meeting=case.agenda_item.meeting, title="Разное")
    planning.agenda_update(item=other, title="О графике аттестации")
    planning.agenda_delete(item=AgendaItem.objects.get(pk=other.pk))
    assert not AgendaItem.objects.filter(pk=other.pk).exists()


def test_the_meeting_is_not_moved_too_soon_after_the_acknowledgement(world, today):
    on = today - 40 * DAY
    case = steps.acknowledged(world, ivanova(world), on=on)
    meeting = steps.sitting(world, on + 31 * DAY)
    services.sitting_plan(case=case, meeting=meeting, by=world.people["methodist"])
    meeting.refresh_from_db()
    keep = {"number": meeting.number, "chair": meeting.chair, "secretary": meeting.secretary}
    with pytest.raises(ValidationError) as info:
        planning.meeting_update(meeting=meeting, date=on + 29 * DAY, **keep)
    assert codes(info.value) == ["sitting_too_soon"]
    assert f"{on + 30 * DAY:%d.%m.%Y}" in info.value.messages[0]
    meeting.refresh_from_db()
    assert meeting.date == on + 31 * DAY
    assert planning.meeting_update(meeting=meeting, date=on + 30 * DAY, **keep).date == on + 30 * DAY
    assert planning.meeting_update(meeting=meeting, date=on + 30 * DAY, place="Ауд. 5", **keep).place == "Ауд. 5"


def test_planning_pages_show_the_refusals(world, today):
    case = steps.decided(world, ivanova(world))
    meeting = case.agenda_item.meeting
    chair = client(world, "chair")
    response = chair.post(reverse("planning:agenda_delete", args=[meeting.pk, case.agenda_item_id]))
    assert response.status_code == 302
    assert any(ivanova(world).full_name in m for m in messages_of(response))
    assert AgendaItem.objects.filter(pk=case.agenda_item_id).exists()
    edit = reverse("planning:agenda_edit", args=[meeting.pk, case.agenda_item_id])
    page = chair.post(edit, {"title": case.agenda_item.title, "decided": "Иное решение", "votes_for": "1"})
    assert page.status_code == 200
    assert [e.code for e in page.context["form"].non_field_errors().as_data()] == ["attestation_question"]
    moved = chair.post(
        reverse("planning:meeting_edit", args=[meeting.pk]),
        {
            "number": meeting.number,
            "date": (case.acknowledged_on + 29 * DAY).isoformat(),
            "chair": meeting.chair_id,
            "secretary": meeting.secretary_id,
        },
    )
    assert moved.status_code == 200
    assert [e.code for e in moved.context["form"].non_field_errors().as_data()] == ["sitting_too_soon"]


def test_the_meeting_page_links_a_case_question_to_its_case_instead_of_removing_it(world, today):
    case = steps.planned(world, ivanova(world))
    meeting = case.agenda_item.meeting
    other = planning.agenda_add(meeting=meeting, title="Разное")
    html = client(world, "chair").get(reverse("planning:meeting_detail", args=[meeting.pk])).content.decode()
    remove = reverse("planning:agenda_delete", args=[meeting.pk, case.agenda_item_id])
    assert remove not in html and case.get_absolute_url() in html
    assert "Аттестационное дело: " + ivanova(world).short_name in html
    assert reverse("planning:agenda_delete", args=[meeting.pk, other.pk]) in html


def test_the_protocol_is_not_signed_before_the_decision(world, today):
    case = steps.planned(world, ivanova(world))
    steps.mark_all(case.agenda_item.meeting)
    error = sign_refused("case_not_decided", case.agenda_item.meeting)
    assert "№ 1" in error.messages[0] or "No. 1" in error.messages[0]


def test_attendance_changed_after_the_decision_is_caught_at_signing(world, today):
    case = steps.planned(world, ivanova(world))
    meeting = case.agenda_item.meeting
    absent = [world.people["mo_head"], world.people["lab_head"]]
    mark(meeting, absent)  # 3 present
    decide(world, case, today, votes=(2, 0, 0))  # 2 of 3
    steps.mark_all(meeting)  # 5 present now: 2 of 5 is no majority
    sign_refused("no_majority", meeting)
    mark(meeting, absent)
    steps.sign(meeting)
    assert meeting.is_signed


def test_a_decision_tampered_with_is_not_signed(world, today):
    case = steps.decided(world, ivanova(world))
    AgendaItem.objects.filter(pk=case.agenda_item_id).update(decided="Признать не соответствующей.")
    sign_refused("decision_mismatch", case.agenda_item.meeting)


def test_a_meeting_moved_behind_the_guard_is_not_signed(world, today):
    case = steps.decided(world, ivanova(world))
    Meeting.objects.filter(pk=case.agenda_item.meeting_id).update(date=case.acknowledged_on + 29 * DAY)
    sign_refused("sitting_too_soon", case.agenda_item.meeting)


def test_an_exemption_arisen_after_the_decision_is_caught_at_signing(world, today):
    case = steps.decided(world, ivanova(world))
    Category.objects.create(person=ivanova(world), kind=CategoryKind.FIRST, set_on=today - 30 * DAY)
    sign_refused("exempt", case.agenda_item.meeting)


def test_signing_puts_the_meetings_date_on_the_case(world, today):
    case = steps.decided(world, ivanova(world))  # the meeting 3 days ago
    meeting = Meeting.objects.get(pk=case.agenda_item.meeting_id)
    moved = planning.meeting_update(
        meeting=meeting, date=today - DAY, number=meeting.number, chair=meeting.chair, secretary=meeting.secretary
    )
    case.refresh_from_db()
    assert case.decided_on == today - 3 * DAY  # the decision was recorded for the old date
    steps.sign(moved)
    case.refresh_from_db()
    assert (case.decided_on, case.sitting_on) == (today - DAY, today - DAY)


# ---------------------------------------------------------------- 3. exemptions, again


def test_an_exemption_arisen_after_opening_stops_the_sitting_and_the_decision(world, today):
    person = ivanova(world)
    case = steps.acknowledged(world, person)
    meeting = steps.sitting(world, today - 3 * DAY)
    leave = AbsencePeriod.objects.create(
        person=person, kind=AbsenceKind.MATERNITY, start=today - 5 * DAY, end=today + 90 * DAY
    )
    refused("exempt", services.sitting_plan, case=case, meeting=meeting, by=world.people["methodist"], today=today)
    leave.delete()
    case = services.sitting_plan(case=case, meeting=meeting, by=world.people["methodist"], today=today)
    steps.mark_all(meeting)
    Category.objects.create(person=person, kind=CategoryKind.FIRST, set_on=today - 10 * DAY)
    refused("exempt", decide, world, case, today)


def test_an_exemption_on_the_day_of_the_sitting_stops_the_planning(world, today):
    person = ivanova(world)
    case = steps.acknowledged(world, person)
    meeting = steps.sitting(world, today + 20 * DAY)
    AbsencePeriod.objects.create(
        person=person, kind=AbsenceKind.PREGNANCY, start=today + 10 * DAY, end=today + 60 * DAY
    )
    refused("exempt", services.sitting_plan, case=case, meeting=meeting, by=world.people["methodist"], today=today)


# ---------------------------------------------------------------- 4. the person being attested does not vote


@pytest.mark.parametrize(
    ("votes", "code"),
    [((5, 0, 0), "votes_exceed_voters"), ((4, 1, 0), "votes_exceed_voters"), ((2, 1, 1), "no_majority")],
)
def test_a_member_of_the_commission_does_not_vote_on_their_own_attestation(world, today, votes, code):
    case = steps.planned(world, world.people["lab_head"])  # a member of the commission
    steps.mark_all(case.agenda_item.meeting)  # 5 present, 4 vote
    refused(code, decide, world, case, today, votes=votes)


def test_the_member_being_attested_is_decided_by_the_others(world, today):
    case = steps.planned(world, world.people["lab_head"])
    meeting = case.agenda_item.meeting
    steps.mark_all(meeting)
    case = decide(world, case, today, votes=(3, 1, 0))
    assert case.status == CaseStatus.DECIDED
    html = render_panel(world, "chair", AttestationCase.objects.get(pk=case.pk))
    assert VOTES.search(html).groups() == ("3", "1", "0")
    assert "does not vote: 4 vote" in html or "не голосует: голосуют 4" in html  # the decision form's note
    steps.sign(meeting)
    assert Meeting.objects.get(pk=meeting.pk).is_signed


def test_a_vote_counting_the_member_being_attested_is_not_signed(world, today):
    case = steps.planned(world, world.people["lab_head"])
    meeting = case.agenda_item.meeting
    steps.mark_all(meeting)
    decide(world, case, today, votes=(3, 1, 0))
    AgendaItem.objects.filter(pk=case.agenda_item_id).update(votes_abstained=1)  # 5 votes of 4 voters
    sign_refused("votes_exceed_voters", meeting)


# ---------------------------------------------------------------- 5. the teacher's information


def test_the_information_is_added_after_the_acknowledgement_and_before_the_sitting(world, today):
    person = ivanova(world)
    drafted = steps.drafted(world, person)
    refused("not_acknowledged", services.addition_save, case=drafted, by=person, text="Сведения", today=today)
    case = services.presentation_acknowledge(case=drafted, by=person, on=today - 35 * DAY, today=today)
    meeting = steps.sitting(world, today + DAY)
    case = services.sitting_plan(case=case, meeting=meeting, by=world.people["methodist"], today=today)
    case = services.addition_save(case=case, by=person, text="До заседания", today=today)
    assert case.teacher_addition == "До заседания"
    assert rules.has_perm("attestation.add_teacher_information", person.user, case)
    error = refused("sitting_held", services.addition_save, case=case, by=person, text="После", today=today + DAY)
    assert f"{today + DAY:%d.%m.%Y}" in error.messages[0]


def test_the_information_page_closes_on_the_day_of_the_sitting(world, today):
    case = steps.planned(world, ivanova(world))  # the sitting 3 days ago
    assert not rules.has_perm("attestation.add_teacher_information", ivanova(world).user, case)
    refused("sitting_held", services.addition_save, case=case, by=ivanova(world), text="Поздно", today=today)
    url = reverse("attestation:conformity_addition", args=[case.pk])
    teacher = client(world, "ivanova")
    assert teacher.get(url)["Location"] == case.get_absolute_url()
    assert teacher.post(url, {"text": "Поздно"})["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert case.teacher_addition != "Поздно"


# ---------------------------------------------------------------- 6. the panel of a signed case


def test_the_panel_of_a_signed_case_prints_the_votes_from_the_snapshot(world, today):
    case = steps.signed(world, ivanova(world))  # 4 for, 1 against
    AgendaItem.objects.filter(pk=case.agenda_item_id).update(votes_for=1, votes_against=4, votes_abstained=0)
    html = render_panel(world, "methodist", AttestationCase.objects.get(pk=case.pk))
    assert VOTES.search(html).groups() == ("4", "1", "0")


# ---------------------------------------------------------------- 7. the size of the commission


def test_the_test_worlds_commission_is_large_enough(world, today):
    meeting = steps.sitting(world, today)
    assert services.commission_members(meeting) >= 5


def test_a_commission_too_small_neither_sits_nor_decides(world, today, settings):
    case = steps.planned(world, ivanova(world))
    steps.mark_all(case.agenda_item.meeting)
    settings.ATTESTATION_COMMISSION_MIN_MEMBERS = 6  # the commission has 5
    other = steps.acknowledged(world)
    refused(
        "commission_too_small",
        services.sitting_plan,
        case=other,
        meeting=steps.sitting(world, today),
        by=world.people["methodist"],
        today=today,
    )
    refused("commission_too_small", decide, world, case, today)
    settings.ATTESTATION_COMMISSION_MIN_MEMBERS = 5
    decide(world, case, today)
    settings.ATTESTATION_COMMISSION_MIN_MEMBERS = 6
    sign_refused("commission_too_small", case.agenda_item.meeting)
