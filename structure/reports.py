"""Printable documents of the structure app: the director's order as PDF (ГОСТ Р 7.0.97)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from metodservice.common.pdf import render_pdf

from .models import Order, Person
from .selectors import current_director, order_detail
from .signing import order_verification


@dataclass(frozen=True)
class AcknowledgementRow:
    """A line of the лист ознакомления; a draft lists the people it names, with no date yet."""

    name: str
    acknowledged_at: datetime | None = None


def _draft_acknowledgements(order: Order) -> list[AcknowledgementRow]:
    """Who will be on the list once the draft is signed: everyone its actions name (from the prefetched actions)."""
    people: dict[int, Person] = {}
    for clause in order.clauses.all():
        for action in clause.actions.all():
            if action.person is not None:
                people.setdefault(action.person.pk, action.person)
    ordered = sorted(people.values(), key=lambda p: (p.last_name, p.first_name, p.patronymic, p.pk))
    return [AcknowledgementRow(name=person.full_name) for person in ordered]


def order_context(order: Order) -> dict:
    """The template context of reports/order.html for an order loaded by `order_detail`.

    A signed order prints only what was frozen when it was signed (names, positions, the college), never live data,
    and carries the result of checking its hash, so a changed document is shown as such."""
    clauses = list(order.clauses.all())
    if order.is_signed:
        acknowledgements = [
            AcknowledgementRow(name=ack.listed_name, acknowledged_at=ack.acknowledged_at)
            for ack in order.acknowledgements.all()
        ]
        signer_position, signer_name = order.signer_position, order.signer_signature_name
        college_name = order.organisation or settings.COLLEGE_NAME
    else:
        acknowledgements = _draft_acknowledgements(order)
        # A draft names the signer chosen when it was sent, or today's director.
        signer = order.signer or current_director()
        signer_position = signer.position.name if signer and signer.position else ""
        signer_name = signer.signature_name if signer else ""
        college_name = settings.COLLEGE_NAME
    return {
        "order": order,
        "is_signed": order.is_signed,
        "verification": order_verification(order),
        "clauses": clauses,
        "control_number": len(clauses) + 1,
        "signer_position": signer_position,
        "signer_name": signer_name,
        "acknowledgements": acknowledgements,
        "college_name": college_name,
        "college_city": settings.COLLEGE_CITY,
    }


def order_pdf(order: Order) -> bytes:
    """The order as a PDF. A bounded number of queries whatever the number of clauses, actions and people."""
    order = order_detail(order.pk).select_related("signer__position").get()
    return render_pdf("reports/order.html", order_context(order))


def order_pdf_filename(order: Order) -> str:
    """«Приказ_15-од_от_05.06.2026.pdf» for a signed order, «Проект_приказа_42.pdf» for a draft."""
    if order.is_signed and order.number and order.date:
        return f"Приказ_{order.registration_number}_от_{order.date:%d.%m.%Y}.pdf"
    return f"Проект_приказа_{order.pk}.pdf"
