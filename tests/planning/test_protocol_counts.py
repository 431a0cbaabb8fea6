"""Protocols that add up (issue 8, part 3): attendance is «not marked» until marked, votes never exceed the members
present, the protocol prints the members, those present and the quorum (frozen at signing), a protocol without a
quorum or with unmarked attendance is not signed, and the last decision stays on the page of the signatures."""

from __future__ import annotations

import importlib
import io

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from pypdf import PdfReader

from planning import reports, selectors, services, signing
from planning.models import Attendance, Meeting, MeetingStatus
from tests.factories import PersonFactory
from tests.planning.test_documents import pdf_text
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def council_meeting(world, *, members: int = 4) -> Meeting:
    """A council meeting today with one decided question; `members` on its list (the council's three, plus people
    added to the list), nobody marked yet. Chair and secretary are the council's."""
    people = world.people
    meeting = services.meeting_create(
        unit=world.council, year=world.year, date=world.today, created_by=people["secretary"], place="Ауд. 101"
    )
    extra = PersonFactory.create_batch(members - meeting.attendance.count())
    if extra:
        services.attendance_set(meeting=meeting, rows=[(person, None, "") for person in extra])
    item = services.agenda_add(meeting=meeting, title="О плане работы совета", speaker=people["chair"])
    services.agenda_update(
        item=item, title=item.title, speaker=people["chair"], heard="Доклад", decided="Утвердить план работы совета."
    )
    return meeting


def mark(meeting: Meeting, present: int) -> list[Attendance]:
    """Mark the chair, the secretary and then others present until `present` are, the rest absent."""
    chair_and_secretary = {meeting.chair_id, meeting.secretary_id}
    rows = sorted(
        meeting.attendance.select_related("person"), key=lambda a: (a.person_id not in chair_and_secretary, a.pk)
    )
    services.attendance_set(
        meeting=meeting,
        rows=[(a.person, index < present, "" if index < present else "болезнь") for index, a in enumerate(rows)],
    )
    return rows


def sign(meeting: Meeting, world) -> Meeting:
    services.protocol_sign(meeting=meeting, person=world.people["chair"])
    return services.protocol_sign(meeting=meeting, person=world.people["secretary"])


def vote(item, votes: tuple[int, int, int]):
    return services.agenda_update(
        item=item,
        title=item.title,
        speaker=item.speaker,
        heard=item.heard,
        decided=item.decided,
        votes_for=votes[0],
        votes_against=votes[1],
        votes_abstained=votes[2],
    )


# ---------------------------------------------------------------- «not marked»


def test_a_new_meeting_has_nobody_present_until_the_attendance_is_marked(world):
    meeting = council_meeting(world, members=3)
    assert list(meeting.attendance.values_list("present", flat=True)) == [None, None, None]
    listed = selectors.meetings_list().get(pk=meeting.pk)
    assert (listed.members_count, listed.present_count, listed.not_marked_count) == (3, 0, 3)
    counts = signing.attendance_counts(meeting.attendance.all())
    assert (counts["present"], counts["not_marked"], counts["quorum"]) == (0, 3, False)

    # The list says «not marked», not the number of members.
    page = client_for(world, "secretary").get(reverse("planning:meeting_list")).content.decode()
    row = page[page.index(meeting.get_absolute_url()) :].split("</tr>")[0]
    assert pgettext("attendance", "not marked") in row and "<td>3</td>" not in row
    assert gettext("%(present)s of %(members)s") % {"present": 3, "members": 3} not in row

    # The protocol page lists them as not marked; the attendance form has no mark chosen.
    detail = client_for(world, "secretary").get(meeting.get_absolute_url())
    assert [a.pk for a in detail.context["not_marked"]] == list(meeting.attendance.values_list("pk", flat=True))
    form = client_for(world, "secretary").get(reverse("planning:attendance_edit", args=[meeting.pk])).context["form"]
    assert {form[f"present_{a.person_id}"].value() for a in meeting.attendance.all()} == {""}


def test_the_attendance_form_marks_explicitly(world):
    meeting = council_meeting(world, members=3)
    chair, secretary, methodist = (world.people[r] for r in ("chair", "secretary", "methodist"))
    response = client_for(world, "secretary").post(
        reverse("planning:attendance_edit", args=[meeting.pk]),
        {f"present_{chair.pk}": "on", f"present_{secretary.pk}": "off", f"reason_{secretary.pk}": "отпуск"},
    )
    assert response.status_code == 302
    marks = dict(meeting.attendance.values_list("person_id", "present"))
    assert marks == {chair.pk: True, secretary.pk: False, methodist.pk: None}
    # A reason alone marks the member absent; nothing at all leaves the mark as it is: not marked.
    client_for(world, "secretary").post(
        reverse("planning:attendance_edit", args=[meeting.pk]),
        {f"present_{chair.pk}": "on", f"reason_{secretary.pk}": "отпуск", f"reason_{methodist.pk}": "командировка"},
    )
    marks = dict(meeting.attendance.values_list("person_id", "present"))
    assert marks == {chair.pk: True, secretary.pk: False, methodist.pk: False}
    listed = selectors.meetings_list().get(pk=meeting.pk)
    assert (listed.members_count, listed.present_count, listed.not_marked_count) == (3, 1, 0)


def test_the_rest_can_be_marked_present_at_once(world):
    meeting = council_meeting(world, members=4)
    chair, secretary = world.people["chair"], world.people["secretary"]
    client_for(world, "secretary").post(
        reverse("planning:attendance_edit", args=[meeting.pk]),
        {f"present_{secretary.pk}": "off", f"reason_{chair.pk}": "", "rest_present": "1"},
    )
    marks = dict(meeting.attendance.values_list("person_id", "present"))
    assert marks.pop(secretary.pk) is False
    assert set(marks.values()) == {True} and len(marks) == 3


def test_the_migration_unmarks_attendance_nobody_marked(world, today):
    """0005: rows of an unsigned meeting that the form never saved become «not marked»; marked rows and signed
    protocols stay as they were."""
    migration = importlib.import_module("planning.migrations.0005_attendance_not_marked")
    untouched = council_meeting(world, members=3)
    Attendance.objects.filter(meeting=untouched).update(present=True)  # as the old default wrote them
    marked = council_meeting(world, members=3)
    mark(marked, 3)
    signed = council_meeting(world, members=3)
    mark(signed, 3)
    sign(signed, world)
    # History says the signed meeting's rows were saved; even without it a signed protocol is left alone.
    apps.get_model("planning", "HistoricalAttendance").objects.filter(meeting_id=signed.pk).delete()

    migration.unmark(apps, None)

    assert set(untouched.attendance.values_list("present", flat=True)) == {None}
    assert set(marked.attendance.values_list("present", flat=True)) == {True}
    assert set(signed.attendance.values_list("present", flat=True)) == {True}


# ---------------------------------------------------------------- votes add up


def test_votes_wait_for_the_attendance(world):
    meeting = council_meeting(world)
    item = meeting.agenda.get()
    with pytest.raises(ValidationError) as refused:
        vote(item, (1, 0, 0))
    assert codes(refused.value) == {"votes_before_attendance"}
    with pytest.raises(ValidationError) as refused:
        services.agenda_add(meeting=meeting, title="Второй вопрос", votes_for=1)
    assert codes(refused.value) == {"votes_before_attendance"}
    # Without votes the question is saved as before.
    services.agenda_update(item=item, title=item.title, decided=item.decided)


def test_votes_never_exceed_the_members_present_and_guests_do_not_vote(world):
    meeting = council_meeting(world, members=4)
    mark(meeting, 3)
    services.guest_add(meeting=meeting, name="Гостева Анна Ивановна", position="ИРО")
    services.guest_add(meeting=meeting, name="Гостев Иван Петрович")
    item = meeting.agenda.get()
    for votes in [(3, 1, 0), (2, 1, 1), (4, 0, 0), (0, 0, 4)]:
        with pytest.raises(ValidationError) as refused:
            vote(item, votes)
        assert codes(refused.value) == {"votes_exceed_present"}, votes
    with pytest.raises(ValidationError) as refused:
        vote(item, (-1, 0, 0))
    assert codes(refused.value) == {"votes_negative"}
    item = vote(item, (2, 0, 1))
    assert (item.votes_for, item.votes_against, item.votes_abstained) == (2, 0, 1)
    # Over the form: the service's refusal is shown on the page, nothing saved.
    response = client_for(world, "secretary").post(
        reverse("planning:agenda_edit", args=[meeting.pk, item.pk]),
        {"title": item.title, "decided": item.decided, "votes_for": "3", "votes_against": "1", "votes_abstained": ""},
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.votes_for == 2


def test_signing_checks_the_votes_again_after_the_attendance_changed(world):
    meeting = council_meeting(world, members=4)
    mark(meeting, 4)
    item = vote(meeting.agenda.get(), (4, 0, 0))
    mark(meeting, 3)  # one member turns out to have left before the vote
    with pytest.raises(ValidationError) as refused:
        services.protocol_sign(meeting=meeting, person=world.people["chair"])
    assert codes(refused.value) == {"protocol_votes_exceed_present"}
    message = gettext(
        "The votes on the questions No. %(items)s add up to more than the members present — %(present)s: "
        "correct the votes or the attendance."
    )
    assert refused.value.messages == [message % {"items": "1", "present": 3}]
    vote(item, (3, 0, 0))
    assert sign(meeting, world).is_signed


# ---------------------------------------------------------------- signing: attendance marked, quorum


def test_a_protocol_with_unmarked_attendance_is_not_signed(world):
    meeting = council_meeting(world, members=4)
    rows = mark(meeting, 3)
    services.attendance_set(meeting=meeting, rows=[(rows[-1].person, None, "")])  # one left unmarked
    with pytest.raises(ValidationError) as refused:
        services.protocol_sign(meeting=meeting, person=world.people["chair"])
    assert codes(refused.value) == {"attendance_not_marked"}
    meeting.refresh_from_db()
    assert meeting.snapshot is None and meeting.chair_signed_at is None


@pytest.mark.parametrize(
    ("members", "present", "quorum"),
    [(4, 2, False), (4, 3, True), (5, 2, False), (5, 3, True), (6, 3, False), (6, 4, True), (3, 2, True)],
)
def test_the_quorum_is_more_than_half_of_the_members_by_default(world, members, present, quorum):
    meeting = council_meeting(world, members=members)
    mark(meeting, present)
    if quorum:
        assert sign(meeting, world).status == MeetingStatus.SIGNED
        assert meeting.__class__.objects.get(pk=meeting.pk).snapshot["counts"]["quorum"] is True
    else:
        with pytest.raises(ValidationError) as refused:
            services.protocol_sign(meeting=meeting, person=world.people["chair"])
        assert codes(refused.value) == {"no_quorum"}
        assert f"{present}" in refused.value.messages[0] and f"{members}" in refused.value.messages[0]


def test_the_quorum_follows_the_setting(world):
    meeting = council_meeting(world, members=6)
    mark(meeting, 4)  # more than half, not more than two thirds
    with override_settings(MEETING_QUORUM="2/3"):
        assert signing.quorum_needed(6) == 5 and signing.quorum_needed(7) == 5 and signing.quorum_needed(9) == 7
        with pytest.raises(ValidationError) as refused:
            services.protocol_sign(meeting=meeting, person=world.people["chair"])
        assert codes(refused.value) == {"no_quorum"}
    with override_settings(MEETING_QUORUM="0.5"):
        assert signing.quorum_needed(6) == 4
    for bad in ("1", "3/2", "-0.1", "половина", "1/0"):
        with override_settings(MEETING_QUORUM=bad), pytest.raises(ImproperlyConfigured):
            signing.quorum_needed(6)
    assert sign(meeting, world).is_signed


# ---------------------------------------------------------------- on paper


def test_the_protocol_prints_members_present_and_the_quorum(world):
    meeting = council_meeting(world, members=5)
    draft = pdf_text(reports.protocol_pdf(meeting))
    assert "Членов: 5 чел." in draft and "Присутствовали: 0 чел." in draft
    assert "Явка не отмечена: 5 чел." in draft
    assert "Кворум: не определён — явка отмечена не у всех членов (необходимо не менее 3 чел.)" in draft

    mark(meeting, 3)
    services.guest_add(meeting=meeting, name="Гостева Анна Ивановна")
    text = pdf_text(reports.protocol_pdf(sign(meeting, world)))
    assert "Членов: 5 чел." in text
    assert "Присутствовали: 3 чел.:" in text
    assert "Отсутствовали: 2 чел.:" in text
    assert "Кворум имеется (необходимо не менее 3 чел.)." in text
    assert "Явка не отмечена" not in text


def test_the_signed_protocol_keeps_the_counts_it_was_signed_with(world):
    meeting = council_meeting(world, members=5)
    mark(meeting, 4)
    meeting = sign(meeting, world)
    before = reports.protocol_pdf(meeting)
    assert meeting.snapshot["counts"] == {
        "members": 5,
        "present": 4,
        "absent": 1,
        "not_marked": 0,
        "quorum_needed": 3,
        "quorum": True,
    }
    # The rows change afterwards (and the quorum rule too): the signed protocol prints what was signed.
    Attendance.objects.filter(meeting=meeting).update(present=False)
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, person=person, present=None) for person in PersonFactory.create_batch(3)]
    )
    with override_settings(MEETING_QUORUM="9/10"):
        after = reports.protocol_pdf(Meeting.objects.get(pk=meeting.pk))
    assert pdf_text(after) == pdf_text(before)
    text = pdf_text(after)
    assert "Членов: 5 чел." in text and "Присутствовали: 4 чел.:" in text and "Кворум имеется" in text
    assert signing.protocol_verification(Meeting.objects.get(pk=meeting.pk)).ok
    # The counts are covered by the hash: changing them in the snapshot breaks the check.
    Meeting.objects.filter(pk=meeting.pk).update(
        snapshot={**meeting.snapshot, "counts": {**meeting.snapshot["counts"], "present": 5}}
    )
    assert not signing.protocol_verification(Meeting.objects.get(pk=meeting.pk)).ok


def test_the_protocol_page_shows_the_counts(world):
    meeting = council_meeting(world, members=4)
    mark(meeting, 2)
    page = client_for(world, "secretary").get(meeting.get_absolute_url())
    assert page.context["counts"]["quorum"] is False
    assert 'id="quorum"' in page.content.decode()
    mark(meeting, 3)
    meeting = sign(meeting, world)
    Attendance.objects.filter(meeting=meeting).update(present=False)
    page = client_for(world, "secretary").get(meeting.get_absolute_url())
    assert page.context["frozen"]["counts"]["present"] == 3


def _page_texts(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("padding", [0, 6, 12])
def test_the_signatures_never_stand_alone_on_a_page(world, padding):
    """Protocols of different lengths spilling onto the next pages: the last page always carries the last decision
    with the signatures."""
    people = world.people
    meeting = council_meeting(world, members=3)
    mark(meeting, 3)
    first = meeting.agenda.get()
    services.agenda_update(
        item=first,
        title=first.title,
        speaker=people["chair"],
        heard="Доклад председателя о плане. " * (40 + padding * 4),
        decided="Утвердить план работы совета.",
    )
    for index in range(2):
        item = services.agenda_add(meeting=meeting, title=f"Вопрос {index + 2}", speaker=people["secretary"])
        services.agenda_update(
            item=item,
            title=item.title,
            speaker=people["secretary"],
            heard="Сообщение секретаря о ходе работы. " * (30 + padding),
            spoke="Выступление методиста с предложениями. " * 5,
            decided=f"Принять к сведению сообщение по вопросу {index + 2}.",
        )
    last = meeting.agenda.order_by("position").last()
    services.decision_add(
        agenda_item=last, text="Подготовить итоговую справку", responsible=people["methodist"], deadline=world.today
    )
    pages = _page_texts(reports.protocol_pdf(sign(meeting, world)))
    assert len(pages) >= 2
    final = pages[-1]
    assert "Председатель ________________" in final and "Секретарь ________________" in final
    assert "РЕШИЛИ (ПОСТАНОВИЛИ): Принять к сведению сообщение по вопросу 3." in final
    assert "3.1. Подготовить итоговую справку" in final
    assert final.index("РЕШИЛИ") < final.index("Председатель ________________")
