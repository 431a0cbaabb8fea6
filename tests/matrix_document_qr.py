"""Role-matrix rows of the verification pages, the targets of the QR codes on fixed documents
(structure/views_verify.py, planning/views/verify.py): the readers of the document, 404 to everyone else."""

from __future__ import annotations

from metodservice.common.qr import digest_of
from tests.matrix import EVERYONE, STAFF_AND_ADMIN, Case, get


def _order(w) -> dict:
    # A signed order: every account sees it but the external researcher, whom it does not name.
    return {"pk": w.signed.pk, "digest": digest_of(w.signed.content_hash)}


def _protocol(w) -> dict:
    from tests.test_document_qr import sign_protocol

    meeting = sign_protocol(w)
    return {"pk": meeting.pk, "digest": digest_of(meeting.content_hash)}


def _plan(w) -> dict:
    return {"pk": w.service_plan.pk, "digest": digest_of(w.service_plan.versions.get().content_hash)}


MATRIX: dict[str, Case] = {
    "structure:order_verify": get([r for r in EVERYONE if r != "researcher"], _order, hidden=["researcher"]),
    # The association's meeting and the service's plan: every staff member; the researcher is outside both.
    "planning:protocol_verify": get(STAFF_AND_ADMIN, _protocol, hidden=["researcher"]),
    "planning:plan_verify": get(STAFF_AND_ADMIN, _plan, hidden=["researcher"]),
}
