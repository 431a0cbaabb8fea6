"""The demo's campaigns part (attestation/demo_campaigns.py) on the demo college's structure and years: last year's
campaign closed with every assessment submitted, this year's open in its window with the `teacher` account's
self-assessment and `mo_head`'s expert list waiting; gaps, deficits and drops occur (attestation.diagnostics)."""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone

from attestation import diagnostics
from attestation.demo_campaigns import LAST_YEAR
from attestation.models import AssessmentKind, AssessmentStatus, CampaignStatus, DiagnosticCampaign, Score
from attestation.selectors.campaigns import needs_me
from structure.models import User
from structure.selectors import roles_of


def expert_levels(campaign) -> dict[tuple[int, str], list[int]]:
    levels = defaultdict(list)
    scores = Score.objects.filter(
        assessment__participant__campaign=campaign,
        assessment__kind=AssessmentKind.EXPERT,
        assessment__status=AssessmentStatus.SUBMITTED,
    ).values_list("assessment__participant__person_id", "competency__code", "level")
    for person_id, code, level in scores:
        levels[(person_id, code)].append(level)
    return levels


class CampaignsDemoChecks:
    """Run by tests.test_seed_demo.SeededTest on the demo seeded once for all its checks (this year's window is laid
    around today)."""

    @classmethod
    def prepare(cls, output: str) -> None:
        cls.builder = SimpleNamespace(today=timezone.localdate())
        cls.past = DiagnosticCampaign.objects.get(status=CampaignStatus.CLOSED)
        cls.current = DiagnosticCampaign.objects.get(status=CampaignStatus.OPEN)

    def test_last_year_is_closed_and_complete(self):
        past = self.past
        assert past.status == CampaignStatus.CLOSED and past.participants.count() == len(LAST_YEAR) == 15
        tasks = past.participants.values_list("assessments__status", flat=True)
        assert set(tasks) == {AssessmentStatus.SUBMITTED}
        without_expert = past.participants.filter(experts__isnull=True).count()
        assert without_expert == 1  # Орлова heads the association

    def test_this_year_is_open_with_work_waiting(self):
        current, today = self.current, self.builder.today
        assert current.status == CampaignStatus.OPEN and current.starts_on <= today <= current.ends_on
        teacher = roles_of(User.objects.get(username="teacher"))
        head = roles_of(User.objects.get(username="mo_head"))
        assert [a.assessor.user.username for a in needs_me(teacher, today=today)["self_assessments_due"]] == ["teacher"]
        waiting = {a.participant.person.last_name for a in needs_me(head, today=today)["expert_assessments_due"]}
        assert {"Миронов", "Тихонов"} <= waiting
        statuses = current.participants.values_list("assessments__kind", "assessments__status")
        assert (AssessmentKind.SELF, AssessmentStatus.SUBMITTED) in statuses
        assert (AssessmentKind.EXPERT, AssessmentStatus.SUBMITTED) in statuses

    def test_gaps_deficits_and_drops_occur(self):
        past, current = expert_levels(self.past), expert_levels(self.current)
        own = {
            (person_id, code): level
            for person_id, code, level in Score.objects.filter(
                assessment__participant__campaign=self.past, assessment__kind=AssessmentKind.SELF
            ).values_list("assessment__participant__person_id", "competency__code", "level")
        }
        results = [
            diagnostics.competency_result(self_level=own.get(key), expert_levels=levels) for key, levels in past.items()
        ]
        assert sum(r.gap for r in results) >= 3
        assert sum(r.deficit for r in results) >= 10
        drops = [
            key
            for key, levels in current.items()
            if key in past and diagnostics.experts_median(levels) < diagnostics.experts_median(past[key])
        ]
        assert len(drops) >= 3

    def test_the_pages_open(self):
        self.client.force_login(User.objects.get(username="methodist"))
        for campaign in (self.past, self.current):
            assert self.client.get(campaign.get_absolute_url()).status_code == 200
        self.client.force_login(User.objects.get(username="mo_head"))
        assert self.client.get(reverse("attestation:assessment_mine")).status_code == 200
