"""Printable documents of the structure app: the director's order as PDF (ГОСТ Р 7.0.97)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import datetime as Moment

from django.conf import settings
from django.utils import timezone

from metodservice.common.agreement import agree
from metodservice.common.pdf import render_pdf

from .models import Action, ApprovalDecision, Clause, Order, Person, signature_form
from .selectors import current_director, order_detail
from .signing import executor_of, order_verification
from .wording import Appendix, PrintedClause, describe_standalone, order_wording, printed_order, quoted


@dataclass(frozen=True)
class AcknowledgementRow:
    """A line of the лист ознакомления; a draft lists the people it names, with no date yet."""

    name: str
    acknowledged_at: Moment | None = None
    #: The gender frozen with the line at signing: «ознакомлен» / «ознакомлена»; "" for lines listed before it was.
    gender: str = ""

    @property
    def mark(self) -> str:
        """The mark of an acknowledged line, agreeing with the person: «ознакомлена в электронном виде»."""
        word = agree(self.gender, masculine="ознакомлен", feminine="ознакомлена", neutral="ознакомлен(а)")
        return f"{word} в электронном виде"


@dataclass(frozen=True)
class VisaRow:
    """A visa given (согласование): the approver's position and «И.О. Фамилия» as the visa was given, «Согласовано»
    or the remarks, and the day."""

    position: str
    name: str
    mark: str
    day: datetime.date


@dataclass(frozen=True)
class Executor:
    """The отметка об исполнителе: who drafted the order and how to reach them."""

    name: str
    contact: str


def _draft_acknowledgements(order: Order) -> list[AcknowledgementRow]:
    """Who will be on the list once the draft is signed: everyone its actions name (from the prefetched actions)."""
    people: dict[int, Person] = {}
    for clause in order.clauses.all():
        for action in clause.actions.all():
            if action.person is not None:
                people.setdefault(action.person.pk, action.person)
    ordered = sorted(people.values(), key=lambda p: (p.last_name, p.first_name, p.patronymic, p.pk))
    return [AcknowledgementRow(name=person.full_name) for person in ordered]


def order_text(order: Order) -> tuple[list[PrintedClause], list[Appendix]]:
    """The clauses, their sub-clauses and the appendices of an order loaded by `order_detail`, no query more.

    A signed order lays out its frozen action texts; a draft words its actions now, as signing will freeze them."""
    clauses = list(order.clauses.all())
    live = order_wording((clause.text, list(clause.actions.all())) for clause in clauses) if not order.is_signed else {}
    return printed_order(
        (clause.position, clause.text, [action.text or live.get(action.pk, "") for action in clause.actions.all()])
        for clause in clauses
    )


def _visa_mark(decision: str, comment: str) -> str:
    if decision == ApprovalDecision.AGREED:
        return f"Согласовано с замечаниями: {comment}" if comment else "Согласовано"
    return f"Возвращено на доработку: {comment}"


def order_visas(order: Order) -> list[VisaRow]:
    """Every visa given, in the order the approvers were named; each as frozen when it was given."""
    rows = []
    for approval in order.approvals.all():
        if approval.decided_at is None or approval.decision == ApprovalDecision.PENDING:
            continue
        position = approval.person_position
        if not position and not order.is_signed:
            person = approval.person
            position = person.position.name if person.position else person.organisation
        rows.append(
            VisaRow(
                position=position,
                name=signature_form(approval.approver_name),
                mark=_visa_mark(approval.decision, approval.comment),
                day=timezone.localdate(approval.decided_at),
            )
        )
    return rows


def order_executor(order: Order) -> Executor | None:
    """The отметка об исполнителе: a draft names its author as they are today; a signed order prints what was frozen
    when it was signed (none for an order signed before the executor was recorded)."""
    if order.is_signed:
        return Executor(name=order.executor_name, contact=order.executor_contact) if order.executor_name else None
    name, contact = executor_of(order.author)
    return Executor(name=name, contact=contact)


def order_context(order: Order) -> dict:
    """The template context of reports/order.html for an order loaded by `order_detail`.

    A signed order prints only what was frozen when it was signed (names, positions, the college, the wording of
    its actions, the visas), never live data, and carries the result of checking its hash, so a changed document
    is shown as such."""
    clauses, appendices = order_text(order)
    if order.is_signed:
        acknowledgements = [
            AcknowledgementRow(name=ack.listed_name, acknowledged_at=ack.acknowledged_at, gender=ack.person_gender)
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
        "appendices": appendices,
        "control_number": len(clauses) + 1,
        "signer_position": signer_position,
        "signer_name": signer_name,
        "visas": order_visas(order),
        "executor": order_executor(order),
        "acknowledgements": acknowledgements,
        "title_quoted": quoted(order.title),
        "college_name": college_name,
        "college_city": settings.COLLEGE_CITY,
    }


@dataclass(frozen=True)
class ClauseRow:
    """A clause on the order's page: as printed, and (for a draft being edited) its structural actions one by one."""

    clause: Clause
    printed: PrintedClause
    actions: list[tuple[Action, str]]


def order_page_context(order: Order, *, editing: bool) -> dict:
    """What the order's page shows of the document, from an order loaded by `order_detail`: the text as the paper
    reads, the appendices, the visas and the executor; while editing, each action as a sentence of its own."""
    clauses, appendices = order_text(order)
    rows = [
        ClauseRow(
            clause=clause,
            printed=printed,
            actions=[(action, describe_standalone(action)) for action in clause.actions.all()] if editing else [],
        )
        for clause, printed in zip(order.clauses.all(), clauses, strict=True)
    ]
    return {
        "clause_rows": rows,
        "appendices": appendices,
        "visas": order_visas(order),
        "executor": order_executor(order),
    }


ORDER_TEMPLATE = "reports/order.html"


#: What the order's document reads besides selectors.order_detail's relations.
ORDER_DOCUMENT_RELATED = ("signer__position", "author")


def order_document_context(order: Order) -> dict:
    """What the order's PDF prints. A bounded number of queries whatever the number of clauses, actions and people."""
    return order_context(order_detail(order.pk).select_related(*ORDER_DOCUMENT_RELATED).get())


def order_pdf(order: Order) -> bytes:
    """The order as a PDF, rendered here (by the worker that stores a signed order's PDF, or a command)."""
    return render_pdf(ORDER_TEMPLATE, order_document_context(order))


def order_pdf_filename(order: Order) -> str:
    """«Приказ_15-од_от_05.06.2026.pdf» for a signed order, «Проект_приказа_42.pdf» for a draft."""
    if order.is_signed and order.number and order.date:
        return f"Приказ_{order.registration_number}_от_{order.date:%d.%m.%Y}.pdf"
    return f"Проект_приказа_{order.pk}.pdf"
