"""The demo college's attestation cases and portfolio (attestation/demo_cases.py, demo_conformity.py,
demo_portfolio.py, composed by attestation.demo.build) on the seeded demo: category cases of every stage, one
conformity case through to the signed protocol and the extract, one planned, one waiting for the `teacher` account,
and the teacher's portfolio with an entry of every kind the portal holds."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from attestation.documents import portfolio_pdf
from attestation.models import AttestationCase, CaseDecision, CaseKind, CaseStatus, Category, Portfolio
from attestation.selectors import conformity as conformity_selectors
from attestation.selectors.portfolio import assemble, portfolio_content
from structure.models import User
from tests.planning.test_documents import pdf_text


class DemoCasesChecks:
    """Run by tests.test_seed_demo.SeededTest on the demo seeded once for all its checks (laid around today; near
    the end of the academic year the planned sitting moves)."""

    @classmethod
    def prepare(cls, output: str) -> None:
        cls.today = timezone.localdate()

    def login(self, username: str) -> None:
        self.client.force_login(User.objects.get(username=username))

    def test_category_cases_of_every_stage(self):
        cases = {
            case.person.last_name: case
            for case in AttestationCase.objects.exclude(kind=CaseKind.CONFORMITY).select_related("person")
        }
        assert cases["Рябов"].decision == CaseDecision.GRANTED and cases["Соловьёв"].decision == CaseDecision.GRANTED
        old, new = Category.objects.get(case=cases["Рябов"]), Category.objects.get(case=cases["Соловьёв"])
        assert old.valid_until is not None and old.valid_until > self.today  # the old rules: five years, not over
        assert new.valid_until is None
        assert cases["Киселёв"].status == CaseStatus.SUBMITTED and cases["Киселёв"].sitting_on > self.today
        assert cases["Киселёв"].petition and cases["Киселёв"].portfolio_snapshot
        assert cases["Смирнова"].status == CaseStatus.SUBMITTED and cases["Смирнова"].sitting_on is None
        assert cases["Белова"].decision == CaseDecision.REFUSED
        assert cases["Зайцева"].status == CaseStatus.WITHDRAWN
        assert cases["Миронов"].status == CaseStatus.DOCUMENTS and cases["Миронов"].documents.count() == 1

        self.login("methodist")
        listed = self.client.get(reverse("attestation:case_list")).context["page"].paginator.count
        assert listed == AttestationCase.objects.count()
        for case in cases.values():
            assert self.client.get(case.get_absolute_url()).status_code == 200
        pdf = self.client.get(reverse("attestation:case_portfolio_pdf", args=[cases["Киселёв"].pk]))
        assert pdf.status_code == 200

    def test_one_conformity_case_through_to_the_extract(self):
        case = AttestationCase.objects.get(kind=CaseKind.CONFORMITY, person__last_name="Фёдорова")
        assert case.status == CaseStatus.DECIDED and case.decision == CaseDecision.CONFORMS
        assert case.agenda_item.meeting.is_signed and case.extract_acknowledged_on is not None
        content = conformity_selectors.extract_content(case)
        assert content is not None and content["item"]["decided"].startswith("Признать Фёдорову Светлану Игоревну")
        self.login("methodist")
        response = self.client.get(reverse("attestation:conformity_extract", args=[case.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert "Фёдорову Светлану Игоревну" in pdf_text(response.content)

    def test_one_conformity_case_planned_and_one_waiting_for_the_teacher(self):
        open_cases = AttestationCase.objects.filter(kind=CaseKind.CONFORMITY).exclude(status=CaseStatus.DECIDED)
        planned = open_cases.get(agenda_item__isnull=False)
        waiting = open_cases.get(person__user__username="teacher")
        assert planned.status == CaseStatus.SUBMITTED
        assert (planned.agenda_item.meeting.date - planned.acknowledged_on).days >= 30
        assert waiting.status == CaseStatus.DOCUMENTS and waiting.acknowledged_on is None
        self.login("teacher")
        assert self.client.get(reverse("attestation:conformity_acknowledge", args=[waiting.pk])).status_code == 200

    def test_the_teachers_portfolio_shows_every_kind_of_entry(self):
        portfolio = Portfolio.objects.get(person__user__username="teacher")
        counts = {section.key: len(section.entries) for section in assemble(portfolio).sections}
        assert counts["training"] >= 1 and counts["attestation"] >= 1 and counts["documents"] == 2
        assert counts["plan_items"] >= 1
        text = pdf_text(portfolio_pdf(portfolio_content(portfolio)))
        assert "ПОРТФОЛИО" in text and portfolio.person.full_name in text
        assert "Диплом победителя регионального конкурса" in text
        self.login("teacher")
        assert self.client.get(reverse("attestation:portfolio_detail", args=[portfolio.pk])).status_code == 200
