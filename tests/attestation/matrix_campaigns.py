"""Role-matrix rows of the diagnostics campaigns and assessments (attestation/views/campaigns.py).

Two campaigns of the current year, made for each URL's test (rolled back after it): a draft assessing the teacher
and `mo_head`, and an open one (window from today) with the same people — the teacher's expert is `mo_head`, the
head of the teacher's association. Campaigns: management and the administrator see them (everyone else gets 404 on
a campaign's page, 403 on the list); the methodist and the deputy draft, edit, delete, open and close. «My
assessments»: everyone on the staff. The teacher's self-assessment, a draft: the teacher's alone (everyone else 404).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from attestation.models import Assessment, AssessmentKind, CampaignScope, CompetencyFramework, DiagnosticCampaign
from attestation.services import campaigns as services
from planning.models import AcademicYear
from tests.matrix import DRAFTERS, MANAGEMENT, Case, get, post
from tests.world import ROLES, STAFF_ROLES

VIEWERS = [*MANAGEMENT, "admin"]
HIDDEN = [r for r in ROLES if r not in VIEWERS and r != "anonymous"]


def campaign(world, *, opened: bool) -> DiagnosticCampaign:
    title = "Открытая диагностика" if opened else "Черновик диагностики"
    existing = DiagnosticCampaign.objects.filter(title=title).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    people = world.people
    year = AcademicYear.objects.get(is_current=True)
    made = services.campaign_create(
        by=people["methodist"],
        title=title,
        year=year,
        framework=CompetencyFramework.objects.order_by("pk").first(),
        scope=CampaignScope.CHOSEN,
        people=[people["teacher"], people["mo_head"]],
        starts_on=today,
        ends_on=min(today + datetime.timedelta(days=14), year.end),
    )
    if opened:
        made = services.campaign_open(campaign=made, by=people["methodist"], today=today)
    return made


def self_assessment(world) -> Assessment:
    return Assessment.objects.get(
        participant__campaign=campaign(world, opened=True),
        assessor=world.people["teacher"],
        kind=AssessmentKind.SELF,
    )


draft = lambda w: {"pk": campaign(w, opened=False).pk}  # noqa: E731
opened = lambda w: {"pk": campaign(w, opened=True).pk}  # noqa: E731
own = lambda w: {"pk": self_assessment(w).pk}  # noqa: E731

MATRIX: dict[str, Case] = {
    "attestation:campaign_list": get(VIEWERS),
    "attestation:campaign_create": get(DRAFTERS),
    "attestation:campaign_detail": get(VIEWERS, draft, hidden=HIDDEN),
    "attestation:campaign_edit": get(DRAFTERS, draft, hidden=HIDDEN),
    "attestation:campaign_delete": get(DRAFTERS, draft, hidden=HIDDEN),
    "attestation:campaign_open": post(DRAFTERS, draft, hidden=HIDDEN),
    "attestation:campaign_close": post(DRAFTERS, opened, hidden=HIDDEN),
    "attestation:assessment_mine": get(STAFF_ROLES),
    "attestation:assessment_form": get(
        ["teacher"], own, hidden=[r for r in ROLES if r not in ("teacher", "anonymous")]
    ),
}
