"""The demo college's attestation data (attestation/demo.py, structure.demo.Builder.absences): on the day it is
seeded the schedule shows every kind of exemption, categories old and new (some ending within 3 and 6 months),
someone overdue for conformity, someone overdue for ПК and for an internship, someone compliant; records confirmed
and waiting, with a scan; a conformity attestation decided in the past that the schedule counts the cycle from.
Everything is computed with attestation.schedule from the data, as the schedule page does.
"""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from attestation import schedule
from attestation.models import AttestationCase, CaseDecision, Category, TrainingRecord, TrainingStatus
from structure.models import AbsenceKind, AbsencePeriod, Person


def _record(person: Person) -> schedule.PersonRecord:
    return schedule.PersonRecord(
        pedagogical=bool(person.position and person.position.is_pedagogical),
        position_since=person.position_since,
        categories=tuple(schedule.CategoryHeld(c.kind, c.set_on) for c in person.categories.all()),
        absences=tuple(schedule.Absence(a.kind, a.start, a.end) for a in person.absences.all()),
        attested=tuple(
            c.decided_on for c in person.attestations.all() if c.decision == CaseDecision.CONFORMS and c.decided_on
        ),
        trainings=tuple(
            schedule.Training(t.kind, t.end, t.hours)
            for t in person.trainings.all()
            if t.status == TrainingStatus.CONFIRMED
        ),
        professional_cycle=person.professional_cycle,
    )


class AttestationChecks:
    """Run by tests.test_seed_demo.SeededTest on the demo seeded once for all its checks."""

    @classmethod
    def prepare(cls, output: str) -> None:
        cls.today = timezone.localdate()
        people = Person.objects.staff().select_related("position", "user")
        people = people.prefetch_related("categories", "absences", "attestations", "trainings")
        cls.people = {p.email.split("@")[0].split(".")[0]: p for p in people}
        cls.schedules = {key: schedule.schedule(_record(p), cls.today) for key, p in cls.people.items()}
        cls.compliance = {key: schedule.training_compliance(_record(p), cls.today) for key, p in cls.people.items()}

    def _reasons(self) -> set[str]:
        return {e.reason for s in self.schedules.values() for e in s.exemptions}

    def test_every_kind_of_exemption_is_present(self):
        assert self._reasons() >= {
            schedule.CATEGORY,
            schedule.NEW_IN_POSITION,
            schedule.PREGNANCY,
            schedule.MATERNITY,
            schedule.PARENTAL,
            schedule.SICK_LEAVE,
        }
        # A parental leave and a long sick leave that ended: exempt after the return, for 2 years and 1 year.
        after_return = {
            e.reason
            for key, s in self.schedules.items()
            for e in s.exemptions
            if e.reason in (schedule.PARENTAL, schedule.SICK_LEAVE)
            and any(
                a.end is not None and a.end < self.today and a.kind == e.reason for a in self.people[key].absences.all()
            )
        }
        assert after_return == {schedule.PARENTAL, schedule.SICK_LEAVE}
        assert AbsencePeriod.objects.filter(kind=AbsenceKind.PARENTAL, end__isnull=True).exists()

    def test_someone_is_overdue_for_conformity_and_someone_is_scheduled_after_an_attestation(self):
        overdue = [key for key, s in self.schedules.items() if s.status == schedule.OVERDUE]
        assert overdue == ["sidorov"]
        teacher = self.schedules["mironov"]
        decided = AttestationCase.objects.get(person__user__username="teacher", decision=CaseDecision.CONFORMS)
        assert decided.decided_on < self.today
        assert teacher.status == schedule.SCHEDULED and teacher.cycle_start == decided.decided_on

    def test_categories_old_and_new_some_ending_soon(self):
        old = Category.objects.filter(set_on__lt=schedule.OPEN_ENDED_FROM)
        new = Category.objects.filter(set_on__gte=schedule.OPEN_ENDED_FROM)
        assert old.count() >= 5 and new.count() >= 20
        assert all(c.valid_until is None for c in new)
        ending = {s.category_ends_within for s in self.schedules.values()}
        assert {3, 6} <= ending
        assert Category.objects.filter(kind="methodist").exists() and Category.objects.filter(kind="mentor").exists()
        # One old category has ended: its holder is back under the attestation for conformity.
        assert self.schedules["fedorova"].category is None and self.schedules["fedorova"].status == schedule.SCHEDULED

    def test_professional_development_overdue_due_soon_and_compliant(self):
        statuses = {key: c.status for key, c in self.compliance.items()}
        assert statuses["abramova"] == schedule.OVERDUE  # ПК
        assert statuses["petrov"] == schedule.OVERDUE and self.compliance["petrov"].course_due_by > self.today
        assert statuses["gusev"] == schedule.DUE_SOON
        assert list(statuses.values()).count(schedule.COMPLIANT) >= 40
        assert TrainingRecord.objects.filter(status=TrainingStatus.SUBMITTED, person__user__username="teacher").exists()
        assert TrainingRecord.objects.filter(status=TrainingStatus.RETURNED).exists()
        scanned = TrainingRecord.objects.exclude(scan="")
        # Stored under a random name with the type's extension (through metodservice.common.uploads).
        assert scanned.count() == 2 and all(r.scan.name.endswith(".pdf") for r in scanned)

    def test_the_record_of_the_person(self):
        staff = Person.objects.staff()
        assert not staff.filter(birth_date__isnull=True).exists()
        assert staff.filter(professional_cycle=True).count() >= 20
        assert not staff.filter(professional_cycle=True, position__is_pedagogical=False).exists()
        # Nobody's exemption lies in the future of the demo: every absence starts on or before today.
        assert not AbsencePeriod.objects.filter(start__gt=self.today).exists()
        assert not Category.objects.filter(set_on__gt=self.today).exists()

    def test_a_second_run_changes_nothing(self):
        counts = (Category.objects.count(), TrainingRecord.objects.count(), AbsencePeriod.objects.count())
        call_command("seed_demo", stdout=StringIO())
        assert (Category.objects.count(), TrainingRecord.objects.count(), AbsencePeriod.objects.count()) == counts
        assert AttestationCase.objects.count() >= 1
