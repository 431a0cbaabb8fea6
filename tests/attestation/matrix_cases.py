"""Role-matrix rows of the attestation case pages (attestation/views/cases.py), and the helpers the case tests
share to build cases in each state.

The case: the teacher's own application for the first category, opened by the teacher (a «педагог-наставник»
case, on top of a высшая, for the ходатайство; a submitted one with a portfolio, one with the commission's date set)
— made for each URL's test and rolled back after it. Who sees it: the teacher, management, the administrator and
the head of the teacher's association (`mo_head`); everyone else gets 404. The teacher submits (the application is
the teacher's own: nobody else does), withdraws and adds documents (their own kinds, before the submission); the
methodist and the deputy run the case (ходатайство, dates, decision) and may also withdraw and add documents of any
kind. The helpers open cases OPENED_DAYS_AGO days ago (the clock travelled there), so that a submission dated a few
days back comes after the opening. The list: management, the administrator, the heads of associations. «My attestation»: everyone
on the staff. Opening a category case: anyone in a teaching post for themself, the methodist and the deputy for
anyone (the director's post is not a teaching one).
"""

from __future__ import annotations

import datetime

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from attestation.models import AttestationCase, CaseDocument, CaseDocumentKind, CaseKind, Category, Portfolio
from attestation.services import cases as services
from structure.models import Person
from tests.factories import noon
from tests.matrix import Case, get, post
from tests.security import upload_samples
from tests.world import STAFF_ROLES

#: Who sees the teacher's case: the teacher, the head of the teacher's association, management, the administrator.
VIEWERS = ["admin", "director", "deputy", "methodist", "mo_head", "teacher"]
HIDDEN = ["chair", "secretary", "group_lead", "lab_head", "researcher"]
LISTERS = ["admin", "director", "deputy", "methodist", "mo_head"]
RUNNERS = ["methodist", "deputy"]
OPENERS = [role for role in STAFF_ROLES if role != "director"]
#: How long ago the helpers' cases were opened.
OPENED_DAYS_AGO = 60


def portfolio_of(person: Person, title: str = "Портфолио 2022–2026") -> Portfolio:
    today = timezone.localdate()
    return Portfolio.objects.create(
        person=person, title=title, period_start=today - datetime.timedelta(days=4 * 365), period_end=today
    )


def open_case(
    world, kind: str = CaseKind.FIRST, person: str = "teacher", by: str | None = None, days_ago: int = OPENED_DAYS_AGO
) -> AttestationCase:
    """A category case opened `days_ago` days ago (at noon, the clock travelled there)."""
    people = world.people
    with time_machine.travel(noon(timezone.localdate() - datetime.timedelta(days=days_ago)), tick=False):
        return services.category_open(person=people[person], kind=kind, by=people[by or person])


def give_highest(person: Person, set_on: datetime.date, number: str = "1") -> Category:
    """A высшая recorded by hand (the regional order), for the методист / наставник prerequisites."""
    return Category.objects.create(person=person, kind="highest", set_on=set_on, order_number=number, order_date=set_on)


def submitted_case(world, *, days_ago: int = 5, kind: str = CaseKind.FIRST) -> AttestationCase:
    """The teacher's case submitted `days_ago` days ago with a portfolio."""
    teacher = world.people["teacher"]
    case = open_case(world, kind)
    on = timezone.localdate() - datetime.timedelta(days=days_ago)
    return services.category_submit(case=case, by=teacher, on=on, portfolio=portfolio_of(teacher))


def sitting_case(world) -> AttestationCase:
    case = submitted_case(world, days_ago=10)
    return services.sitting_set(
        case=case, by=world.people["methodist"], on=case.submitted_on + datetime.timedelta(days=7)
    )


def teacher_case(world) -> AttestationCase:
    existing = AttestationCase.objects.filter(person=world.people["teacher"], kind=CaseKind.FIRST).first()
    return existing or open_case(world)


def mentor_case(world) -> AttestationCase:
    teacher = world.people["teacher"]
    give_highest(teacher, datetime.date(2024, 3, 1))
    return open_case(world, CaseKind.MENTOR)


def teacher_document(world) -> CaseDocument:
    case = teacher_case(world)
    return services.document_add(
        case=case,
        by=world.people["teacher"],
        kind=CaseDocumentKind.APPLICATION,
        title="Заявление",
        file=SimpleUploadedFile("Заявление.pdf", upload_samples.PDF),
    )


def submitted_document(world) -> dict:
    """A case submitted with a portfolio holding one uploaded document: the case and that document."""
    from attestation.services import portfolio as portfolio_services

    teacher = world.people["teacher"]
    today = timezone.localdate()
    portfolio = portfolio_services.portfolio_create(
        person=teacher,
        by=teacher,
        period_start=today - datetime.timedelta(days=4 * 365),
        period_end=today,
        today=today,
    )
    document = portfolio_services.document_add(
        portfolio=portfolio,
        by=teacher,
        title="Диплом победителя конкурса",
        file=SimpleUploadedFile("Диплом.pdf", upload_samples.PDF),
        today=today,
    )
    case = services.category_submit(
        case=open_case(world), by=teacher, on=today - datetime.timedelta(days=5), portfolio=portfolio
    )
    return {"pk": case.pk, "document_pk": document.pk}


case = lambda w: {"pk": teacher_case(w).pk}  # noqa: E731
document = lambda w: (lambda d: {"pk": d.case_id, "document_pk": d.pk})(teacher_document(w))  # noqa: E731


class _Today:
    """Today's date as the form sends it, read when the request is made (the tests' clock), not at import."""

    def __str__(self) -> str:
        return timezone.localdate().isoformat()


TODAY = _Today()


MATRIX: dict[str, Case] = {
    "attestation:case_list": get(LISTERS),
    "attestation:case_mine": get(STAFF_ROLES),
    "attestation:case_open_category": get(OPENERS),
    "attestation:case_detail": get(VIEWERS, case, hidden=HIDDEN),
    "attestation:case_petition": post(
        RUNNERS, lambda w: {"pk": mentor_case(w).pk}, hidden=HIDDEN, data={"text": "Ходатайствую"}
    ),
    "attestation:case_submit": Case(
        kwargs=case,
        method="post",
        ok=["teacher"],  # the application is the teacher's own
        hidden=HIDDEN,
        ok_status=200,  # the form's page again: no portfolio chosen (the matrix checks the door, not the data)
    ),
    "attestation:case_sitting": post(
        RUNNERS, lambda w: {"pk": submitted_case(w).pk}, hidden=HIDDEN, data={"on": TODAY}
    ),
    "attestation:case_decide": post(
        RUNNERS,
        lambda w: {"pk": sitting_case(w).pk},
        hidden=HIDDEN,
        data={"decision": "refused", "on": TODAY},
    ),
    "attestation:case_withdraw": get(["teacher", *RUNNERS], case, hidden=HIDDEN),
    "attestation:case_portfolio_pdf": get(VIEWERS, lambda w: {"pk": submitted_case(w).pk}, hidden=HIDDEN),
    "attestation:case_portfolio_document": get(VIEWERS, submitted_document, hidden=HIDDEN),
    "attestation:case_document_add": get(["teacher", *RUNNERS], case, hidden=HIDDEN),
    "attestation:case_document": get(VIEWERS, document, hidden=HIDDEN),
    "attestation:case_document_delete": get(["teacher"], document, hidden=HIDDEN),
}


# ---------------------------------------------------------------- the portfolio's contract in tests


def stand_in_portfolio_content(portfolio: Portfolio) -> dict:
    """What the case tests use while attestation.selectors.portfolio.portfolio_content is still a stub."""
    return {
        "title": portfolio.title,
        "person": portfolio.person.full_name,
        "period": [portfolio.period_start.isoformat(), portfolio.period_end.isoformat()],
        "sections": [],
    }


def stand_in_portfolio_pdf(content: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{content.get('title', '')}</p><p>{content.get('person', '')}</p>").write_pdf()


def use_portfolio_contract(monkeypatch) -> None:
    """Call the portfolio's real content and PDF; where they still raise NotImplementedError, the stand-ins."""
    from attestation import documents
    from attestation.selectors import portfolio as selectors

    real_content, real_pdf = selectors.portfolio_content, documents.portfolio_pdf

    def content(portfolio):
        try:
            return real_content(portfolio)
        except NotImplementedError:
            return stand_in_portfolio_content(portfolio)

    def pdf(data):
        try:
            return real_pdf(data)
        except NotImplementedError:
            return stand_in_portfolio_pdf(data)

    monkeypatch.setattr(selectors, "portfolio_content", content)
    monkeypatch.setattr(documents, "portfolio_pdf", pdf)
