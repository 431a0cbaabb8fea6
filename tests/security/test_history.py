"""The change log on the pages: who changed which field of which record from what to what, shown to those who may
see the object and to nobody else; and every domain model keeps its history.

Each test travels the clock to a fixed college day, so the dates it reads and writes never depend on today.
"""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from simple_history.models import HistoricalChanges
from simple_history.utils import get_history_manager_for_model

from metodservice.common.history import EMPTY, Related, display, history_rows
from planning import services as planning_services
from planning.models import AgendaItem, Attendance, Decision, DecisionStatus, Meeting, PlanItem, WorkForm
from structure import services as structure_services
from structure.models import Order, OrderStatus, Person, Position
from tests.factories import noon
from tests.planning.world import director_assignment

DAY = datetime.date(2026, 10, 14)  # a Wednesday of the autumn term
# The tests that take the world run from noon of DAY on, where it was built.
pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, at=noon(DAY))]

#: Domain models that keep no history, and why. A new model is either given `history = HistoricalRecords()` or
#: listed here with its reason.
WITHOUT_HISTORY = {
    "planning.WorkDirection": "the ten directions of the regulation are fixed by a data migration and never edited",
    "structure.OrderCounter": "a technical counter of order numbers, locked and bumped while signing",
    "planning.CalendarToken": "a secret (the iCal feed URL): a history table would keep revoked secrets",
    "planning.PlanVersion": "immutable once approved, and its content is hashed",
}


def client_for(person: Person) -> Client:
    client = Client()
    client.force_login(person.user)
    return client


def change_log(response) -> str:
    """The text of the page's change log (the <details> of includes/history.html) as a screen reader reads it:
    tags and what is hidden from it (the arrow) dropped."""
    html = response.content.decode()
    match = re.search(r'<details class="mt-3 change-log">(.*?)</details>', html, re.S)
    assert match, "the page shows no change log"
    text = re.sub(r'<span aria-hidden="true">.*?</span>', " ", match.group(1))
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split())


def ru(text) -> str:
    """A (lazy) message in the page's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def field_name(model, name: str) -> str:
    """A field's name as the log shows it."""
    return ru(capfirst(model._meta.get_field(name).verbose_name))


def changed(model, name: str, old: str, new: str) -> str:
    """One line of the log's list of field changes, as a screen reader reads it."""
    return f"{field_name(model, name)}: {old} {ru(translation.gettext_lazy('changed to'))} {new}"


def form_data(form) -> dict:
    """POST data that resubmits an unbound form as shown."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is None:
            data[name] = ""
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        elif isinstance(value, models.Model):
            data[name] = value.pk
        else:
            data[name] = value
    return data


def label(choice) -> str:
    return ru(choice.label)


# ---------------------------------------------------------------- the pages


def test_a_position_changed_through_the_person_form_shows_old_and_new(world):
    person, editor = world.people["teacher"], world.people["deputy"]
    client = client_for(editor)
    edit = reverse("structure:person_edit", args=[person.pk])
    form = client.get(edit).context["form"]
    old = person.position
    new = form.fields["position"].queryset.exclude(pk=old.pk).first()
    assert new is not None, "the deputy may grant no other position"
    # The factory's Cyrillic e-mail is not one the form accepts back.
    data = form_data(form) | {"position": new.pk, "email": "teacher@example.org"}

    response = client.post(edit, data)

    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    log = change_log(client.get(person.get_absolute_url()))
    assert changed(Person, "position", old.name, new.name) in log
    assert (editor.user.get_full_name() or editor.user.username) in log
    rows = history_rows(Person.objects.get(pk=person.pk))
    assert rows[0].action == "changed"
    position = field_name(Person, "position")
    assert [(c.old, c.new) for c in rows[0].changes if c.field == position] == [(old.name, new.name)]


def test_the_meeting_log_shows_attendance_and_agenda_changes(world):
    meeting, mo_head = world.meeting, world.people["mo_head"]
    member = world.people["teacher"]
    planning_services.attendance_set(meeting=meeting, rows=[(member, False, "Болезнь")])
    planning_services.attendance_set(meeting=meeting, rows=[(member, True, "")])
    item = world.agenda_item
    planning_services.agenda_update(item=item, title=item.title, speaker=item.speaker, heard="Доклад председателя")

    response = client_for(mo_head).get(meeting.get_absolute_url())

    log = change_log(response)
    assert f"{ru(translation.gettext_lazy('Attendance'))}: {member.full_name}" in log
    assert (
        changed(Attendance, "present", ru(translation.gettext_lazy("no")), ru(translation.gettext_lazy("yes"))) in log
    )
    assert changed(Attendance, "absence_reason", "Болезнь", "—") in log
    assert f"{ru(capfirst(AgendaItem._meta.verbose_name))}: {item.title}" in log
    assert changed(AgendaItem, "heard", "—", "Доклад председателя") in log
    rows = response.context["history"]
    assert [r.when for r in rows] == sorted((r.when for r in rows), reverse=True), "merged by time, newest first"


def test_a_change_of_a_decision_status_shows_the_old_and_new_label(world):
    decision, teacher = world.decision, world.people["teacher"]
    client = client_for(teacher)
    mark = reverse("planning:decision_mark", args=[decision.pk])

    response = client.post(mark, {"status": DecisionStatus.DONE, "report": "Урок проведён"})

    assert response.status_code == 302
    response = client.get(world.meeting.get_absolute_url())
    log = change_log(response)
    record = f"{ru(capfirst(Decision._meta.verbose_name))}: {decision.text}"
    assert record in log
    assert changed(Decision, "status", label(DecisionStatus.OPEN), label(DecisionStatus.DONE)) in log
    row = next(r for r in response.context["history"] if r.record == record and r.changes)
    assert row.who == (teacher.user.get_full_name() or teacher.user.username)
    status = next(c for c in row.changes if c.field == field_name(Decision, "status"))
    assert (status.old, status.new) == (label(DecisionStatus.OPEN), label(DecisionStatus.DONE))


def test_a_change_of_the_responsible_people_of_a_plan_item(world):
    plan, people = world.council_plan, world.people
    item = planning_services.item_add(
        plan=plan,
        content="Семинар по наставничеству",
        direction=world.directions[3],
        form=WorkForm.SEMINAR,
        due_date=DAY + datetime.timedelta(days=30),
        responsible=[people["chair"], people["secretary"]],
    )
    planning_services.item_update(
        item=item,
        content=item.content,
        direction=item.direction,
        form=item.form,
        due_date=DAY + datetime.timedelta(days=45),
        responsible=[people["chair"], people["methodist"]],
    )

    response = client_for(people["chair"]).get(plan.get_absolute_url())

    log = change_log(response)
    assert f"{ru(capfirst(PlanItem._meta.verbose_name))}: Семинар по наставничеству" in log
    added, removed = (
        ru(translation.pgettext_lazy("history", "added")),
        ru(translation.pgettext_lazy("history", "removed")),
    )
    assert f"{field_name(PlanItem, 'responsible')}: {added} {people['methodist'].full_name}" in log
    assert f"{removed} {people['secretary'].full_name}" in log
    old_due, new_due = DAY + datetime.timedelta(days=30), DAY + datetime.timedelta(days=45)
    assert changed(PlanItem, "due_date", f"{old_due:%d.%m.%Y}", f"{new_due:%d.%m.%Y}") in log
    changes = [c for r in response.context["history"] for c in r.changes if c.many]
    assert any(c.added == [people["methodist"].full_name] for c in changes)
    assert any(c.removed == [people["secretary"].full_name] for c in changes)


@pytest.mark.parametrize(
    ("page", "outsider"),
    [
        (lambda w: w.people["teacher"].get_absolute_url(), "researcher"),
        (lambda w: w.meeting.get_absolute_url(), "researcher"),
        (lambda w: w.teacher_plan.get_absolute_url(), "secretary"),
        (lambda w: w.association.get_absolute_url(), "researcher"),
    ],
    ids=["person", "meeting", "plan", "unit"],
)
def test_an_outsider_does_not_get_the_page_or_its_log(world, page, outsider):
    planning_services.attendance_set(meeting=world.meeting, rows=[(world.people["teacher"], False, "Болезнь")])

    response = client_for(world.people[outsider]).get(page(world))

    assert response.status_code == 404
    assert "change-log" not in response.content.decode()


def test_the_order_page_logs_the_order_and_its_visas(world):
    response = client_for(world.people["deputy"]).get(world.on_approval.get_absolute_url())

    log = change_log(response)
    assert changed(Order, "status", label(OrderStatus.DRAFT), label(OrderStatus.ON_APPROVAL)) in log
    assert f"{ru(capfirst(world.on_approval.clauses.model._meta.verbose_name))}: 1" in log


# ---------------------------------------------------------------- the helper


def test_values_are_shown_as_the_pages_show_them(world):
    person_field = Person._meta.get_field
    assert display(person_field("hire_date"), DAY) == "14.10.2026"
    assert display(person_field("is_external"), True) == "да"
    assert display(person_field("is_external"), False) == "нет"
    assert display(person_field("patronymic"), "") == EMPTY
    assert display(person_field("position"), None) == EMPTY
    position = Position.objects.first()
    assert display(person_field("position"), position.pk, {Position: {position.pk: position}}) == position.name
    assert display(person_field("position"), 999999) == ru(translation.gettext_lazy("#%(id)s (deleted)")) % {
        "id": 999999
    }
    assert display(person_field("education"), "higher_ped") == "высшее педагогическое"
    assert display(PlanItem._meta.get_field("evidence_file"), "plan_evidence/2026/otchet.pdf") == "otchet.pdf"
    assert display(Meeting._meta.get_field("time"), datetime.time(14, 30)) == "14:30"


def test_the_log_takes_a_fixed_number_of_queries_however_many_rows(world):
    meeting, members = world.meeting, [world.people[r] for r in ("teacher", "mo_head", "chair")]

    def queries() -> int:
        meeting_now = Meeting.objects.get(pk=meeting.pk)
        with CaptureQueriesContext(connection) as captured:
            history_rows(
                meeting_now,
                Related("attendance", name="person"),
                Related("guests", name="name"),
                Related("agenda", name="title"),
                Related("agenda__decisions", name="text"),
            )
        return len(captured)

    planning_services.attendance_set(meeting=meeting, rows=[(members[0], False, "Болезнь")])
    planning_services.agenda_update(item=world.agenda_item, title="Вопрос", speaker=members[1])
    few = queries()
    for round_ in range(4):
        planning_services.attendance_set(meeting=meeting, rows=[(p, round_ % 2 == 0, "Командировка") for p in members])
        planning_services.guest_add(meeting=meeting, name=f"Гость {round_}")
        item = planning_services.agenda_add(meeting=meeting, title=f"Вопрос {round_}", speaker=members[round_ % 3])
        planning_services.agenda_update(item=item, title=item.title, speaker=members[(round_ + 1) % 3], heard="…")
    assert Attendance.history.filter(meeting_id=meeting.pk).count() + AgendaItem.history.count() > 20
    assert queries() == few


def test_a_deleted_record_stays_in_the_log_of_its_parent(world):
    meeting = world.meeting
    guest = planning_services.guest_add(meeting=meeting, name="Гостев Пётр Иванович", position="ИРО")
    planning_services.guest_delete(guest=guest)

    rows = history_rows(meeting, Related("guests", label="Приглашённый", name="name"))

    assert [(r.record, r.action) for r in rows[:2]] == [
        ("Приглашённый: Гостев Пётр Иванович", "deleted"),
        ("Приглашённый: Гостев Пётр Иванович", "created"),
    ]


# ---------------------------------------------------------------- every model keeps its history


def domain_models() -> list[type[models.Model]]:
    return [
        model
        for app in ("structure", "planning")
        for model in apps.get_app_config(app).get_models()
        if not issubclass(model, HistoricalChanges)
    ]


def has_history(model: type[models.Model]) -> bool:
    try:
        get_history_manager_for_model(model)
    except Exception:
        return False
    return True


def test_every_domain_model_keeps_history_unless_listed_with_a_reason():
    missing = [model._meta.label for model in domain_models() if not has_history(model)]
    assert sorted(missing) == sorted(WITHOUT_HISTORY), (
        "a model without history: add `history = HistoricalRecords()` (and a migration) or list it in "
        "WITHOUT_HISTORY with the reason"
    )
    assert all(reason.strip() for reason in WITHOUT_HISTORY.values())


def test_every_model_with_history_records_a_row_on_change(world):
    planning_services.guest_add(meeting=world.meeting, name="Гостев Пётр Иванович")
    planning_services.attendance_set(meeting=world.meeting, rows=[(world.people["teacher"], False, "Болезнь")])
    # The person's record for attestation (issue 10): an absence period.
    structure_services.absence_save(person=world.people["teacher"], kind="maternity", start=world.today)
    director_assignment(world)  # an assignment to the service (issue 14)
    with_history = [model for model in domain_models() if has_history(model)]
    assert len(with_history) >= 20
    for model in with_history:
        instance = model._default_manager.order_by("pk").first()
        assert instance is not None, f"the test world has no {model._meta.label}: add one"
        history = get_history_manager_for_model(instance)
        before = history.count()
        instance.save()
        assert history.count() == before + 1, model._meta.label
        latest = history.order_by("-history_date", "-history_id").first()
        assert latest.history_type == "~", model._meta.label
