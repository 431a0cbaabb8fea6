"""What the director's signature covers, built from frozen, stored values only, and its verification.

Everything a signed order prints is stored on it when it is signed: the wording of every action (`Action.text`),
the signer's name and position, the college's name, each visa's approver, decision, remarks and time. The payload
reads only those stored fields (never a live name), so it can be recomputed from the database at any time, by
the order page, the PDF and `manage.py verify_documents`; it uses no model methods, so the data migration that
froze earlier orders calls it with historical models too.
"""

from __future__ import annotations

from metodservice.common.signing import Verification, day, moment, sha256_of, verify


def executor_of(person) -> tuple[str, str]:
    """The отметка об исполнителе of an order drafted by `person`: their full name, and their work phone or, without
    one, their e-mail (ГОСТ Р 7.0.97). What a signed order would freeze; a draft prints it live."""
    return person.full_name, person.phone or person.email


def order_payload(order) -> dict:
    """The signed content of an order. Reads `clauses`, their `actions` and `approvals` through `.all()`, so a
    prefetched order costs no query."""
    clauses = sorted(order.clauses.all(), key=lambda c: (c.position, c.pk))
    approvals = sorted(order.approvals.all(), key=lambda a: a.pk)
    payload = {
        "organisation": order.organisation,
        "series": order.series,
        "year": order.year,
        "number": order.number,
        "date": day(order.date),
        "title": order.title,
        "preamble": order.preamble,
        "clauses": [
            {
                "number": clause.position,
                "text": clause.text,
                "actions": [a.text for a in sorted(clause.actions.all(), key=lambda a: (a.position, a.pk))],
            }
            for clause in clauses
        ],
        "control": order.control_text,
        "visas": [
            {
                "name": approval.person_name,
                "position": approval.person_position,
                "decision": approval.decision,
                "comment": approval.comment,
                "at": moment(approval.decided_at),
            }
            for approval in approvals
        ],
        "signer": order.signer_name,
        "signer_position": order.signer_position,
        "signed_at": moment(order.signed_at),
    }
    # The executor is in the hash only when it was frozen: orders signed before it was recorded keep their hash.
    # (getattr: migration 0004 computes hashes with historical models that may lack the fields.)
    executor_name = getattr(order, "executor_name", "")
    if executor_name:
        payload["executor"] = {"name": executor_name, "contact": getattr(order, "executor_contact", "")}
    return payload


def order_hash(order) -> str:
    return sha256_of(order_payload(order))


def order_verification(order) -> Verification | None:
    """None for an order that is not signed; else the stored and the recomputed hash."""
    if order.status not in {"signed", "cancelled"}:
        return None
    return verify(order.content_hash, order_payload(order))
