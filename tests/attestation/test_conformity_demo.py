"""The demo's conformity attestations (attestation/demo_conformity.py) on the seeded demo college: one case through
to the signed protocol and the acknowledged extract, one planned, one waiting for the `teacher` account."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from attestation import demo_conformity
from attestation.models import CaseDecision, CaseStatus
from attestation.selectors import conformity as selectors
from structure.models import Person, User


class _Builder:
    """What build_conformity_demo reads of structure.demo.Builder, over a seeded database."""

    def __init__(self) -> None:
        self.today = timezone.localdate()
        self.people = {p.email.split("@")[0].split(".")[0]: p for p in Person.objects.staff()}

    def p(self, key: str) -> Person:
        return self.people[key]


@pytest.mark.dated  # laid around today, and near the end of the academic year the planned sitting moves
@override_settings(DEBUG=True)
class ConformityDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", stdout=StringIO())
        cls.cases = demo_conformity.build_conformity_demo(_Builder())

    def test_one_case_through_to_the_extract(self):
        case = self.cases["decided"]
        assert case.status == CaseStatus.DECIDED and case.decision == CaseDecision.CONFORMS
        assert case.agenda_item.meeting.is_signed and case.extract_acknowledged_on is not None
        content = selectors.extract_content(case)
        assert content is not None and content["item"]["decided"].startswith("Признать Фёдорову Светлану Игоревну")
        client = Client()
        client.force_login(User.objects.get(username="methodist"))
        response = client.get(reverse("attestation:conformity_extract", args=[case.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"

    def test_one_planned_and_one_waiting_for_the_teacher(self):
        planned, waiting = self.cases["planned"], self.cases["waiting"]
        assert planned.agenda_item is not None and planned.status == CaseStatus.SUBMITTED
        assert planned.agenda_item.meeting.date >= planned.acknowledged_on + demo_conformity.DAY * 30
        assert waiting.status == CaseStatus.DOCUMENTS and waiting.person.user.username == "teacher"
        client = Client()
        client.force_login(waiting.person.user)
        page = client.get(reverse("attestation:conformity_acknowledge", args=[waiting.pk]))
        assert page.status_code == 200
