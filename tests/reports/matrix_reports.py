"""Role-matrix rows of the annual report: read by the management, the administrator and the council's chair;
written and frozen by the deputy (and the head of the methodological service, whom the test college lacks); a
frozen copy read by everyone on the staff."""

from __future__ import annotations

import datetime

from django.utils import timezone

from metodservice.common.documents import store_fixed_pdf
from reports.models import AnnualReport, FrozenReport
from tests.matrix import MANAGEMENT, STAFF_AND_ADMIN, get

READERS = [*MANAGEMENT, "admin", "chair"]
PDF = b"%PDF-1.4\n% a frozen report\n"


def _year(w) -> dict:
    return {"year": w.year.pk}


def _frozen(w) -> dict:
    report = AnnualReport.objects.get_or_create(year=w.year)[0]
    frozen = FrozenReport.objects.create(
        report=report,
        as_of=w.today - datetime.timedelta(days=1),
        frozen_at=timezone.now(),
        frozen_by=w.people["deputy"],
        frozen_by_name="Заместителева И.И., заместитель директора",
        sections=["theme"],
        html="<html></html>",
        content_sha256="0" * 64,
    )
    store_fixed_pdf(frozen, PDF)
    return {"pk": frozen.pk}


MATRIX = {
    "reports:annual_list": get(READERS),
    "reports:annual": get(READERS, _year),
    "reports:annual_pdf": get(READERS, _year),
    "reports:annual_edit": get(["deputy"], _year),
    "reports:annual_freeze": get(["deputy"], _year),
    "reports:frozen": get(STAFF_AND_ADMIN, _frozen),
    "reports:frozen_pdf": get(STAFF_AND_ADMIN, _frozen),
    "reports:index": get(READERS),
    "reports:small": get(READERS, lambda w: {"key": "composition"}),
    "reports:small_pdf": get(READERS, lambda w: {"key": "structure"}),
    "reports:small_xlsx": get(READERS, lambda w: {"key": "training"}),
}
