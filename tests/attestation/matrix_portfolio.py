"""Role-matrix rows of the portfolio pages (attestation/views/portfolio.py).

The portfolio: the teacher's, with one uploaded document — made for each URL's test (rolled back after it). Who
sees it, its PDF and its documents: the teacher, management, the administrator and the head of the teacher's
association (`mo_head`); everyone else gets 404. Only the teacher changes it (title, period, picks, documents) and
deletes it; the other viewers get 403. «Моё портфолио» and a new portfolio: every staff member.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from attestation.models import Portfolio
from attestation.services import portfolio as services
from tests.matrix import Case, get, post
from tests.security import upload_samples
from tests.world import STAFF_ROLES

#: Who sees the teacher's portfolios: the teacher, the head of the teacher's association, management, the admin.
VIEWERS = ["admin", "director", "deputy", "methodist", "mo_head", "teacher"]
HIDDEN = ["chair", "secretary", "group_lead", "lab_head", "researcher"]
OWNER = ["teacher"]


def teacher_portfolio(world) -> Portfolio:
    teacher = world.people["teacher"]
    existing = Portfolio.objects.filter(person=teacher).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    portfolio = services.portfolio_create(
        person=teacher,
        by=teacher,
        title="",
        period_start=today - datetime.timedelta(days=4 * 365),
        period_end=today,
        today=today,
    )
    services.document_add(
        portfolio=portfolio,
        by=teacher,
        title="Диплом победителя конкурса",
        file=SimpleUploadedFile("Диплом.pdf", upload_samples.PDF),
        today=today,
    )
    return portfolio


portfolio = lambda w: {"pk": teacher_portfolio(w).pk}  # noqa: E731
document = lambda w: {"pk": teacher_portfolio(w).documents.get().pk}  # noqa: E731
teacher = lambda w: {"pk": w.people["teacher"].pk}  # noqa: E731

MATRIX: dict[str, Case] = {
    "attestation:portfolio_mine": get(STAFF_ROLES),
    "attestation:portfolio_add": get(STAFF_ROLES),
    "attestation:portfolio_person": get(VIEWERS, teacher, hidden=HIDDEN),
    "attestation:portfolio_detail": get(VIEWERS, portfolio, hidden=HIDDEN),
    "attestation:portfolio_pdf": get(VIEWERS, portfolio, hidden=HIDDEN),
    "attestation:portfolio_picks": post(OWNER, portfolio, hidden=HIDDEN, data={"pick": []}),
    "attestation:portfolio_edit": get(OWNER, portfolio, hidden=HIDDEN),
    "attestation:portfolio_delete": get(OWNER, portfolio, hidden=HIDDEN),
    "attestation:portfolio_document_add": get(OWNER, portfolio, hidden=HIDDEN),
    "attestation:portfolio_document": get(VIEWERS, document, hidden=HIDDEN),
    "attestation:portfolio_document_delete": get(OWNER, document, hidden=HIDDEN),
}
