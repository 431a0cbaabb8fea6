"""Demo category cases on top of the demo college (structure/demo.py) and its attestation data (attestation/demo.py):
one of every kind and stage, built through attestation.services.cases like everything users do, laid around
today so that on any day each page shows something real:

- Рябов: a first category granted under the old rules (set before 01.09.2023: five years), ending within months;
- Соловьёв: a highest category granted after 01.09.2023 (no end date), with the regional order;
- Киселёв (holds a высшая): «педагог-методист» applied for with the employer's ходатайство, submitted 12 days ago,
  the regional commission's sitting set 10 days ahead;
- Смирнова (her высшая of the old rules ends within 3 months): the highest again, submitted, waiting for the date;
- Белова (holds a первая): the highest, refused;
- Зайцева (holds a высшая): «педагог-наставник», withdrawn before submission;
- Миронов (the `teacher` account): the first category, documents being prepared, the signed application uploaded.

Each submitted case carries its portfolio (attestation.services.portfolio) frozen at submission. Development only:
called by metodservice/demo.py after attestation.demo.build (`build_cases_demo(builder)`).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape
from weasyprint import HTML

from metodservice.common.dates import add_months, add_years

from . import schedule
from .models import AttestationCase, CaseDecision, CaseDocument, CaseDocumentKind, CaseKind
from .services import cases as services
from .services import portfolio as portfolio_services

if TYPE_CHECKING:
    from structure.demo import Builder
    from structure.models import Person

#: Who runs the cases: the methodist (Соколова).
METHODIST = "sokolova"


def _application(person: Person, kind: str) -> SimpleUploadedFile:
    """A one-page PDF of the teacher's signed application, as scanned."""
    html = (
        "<html><body style='font-family: Liberation Serif, serif; font-size: 14pt'>"
        "<p style='text-align: right'>В аттестационную комиссию министерства образования области</p>"
        "<h1 style='font-size: 16pt; text-align: center'>ЗАЯВЛЕНИЕ</h1>"
        f"<p>Прошу аттестовать меня, {escape(person.full_name)}, в целях установления "
        f"{escape(str(CaseKind(kind).label))} по должности «{escape(person.position.name if person.position else '')}».</p>"
        "</body></html>"
    )
    return SimpleUploadedFile("Заявление.pdf", HTML(string=html).write_pdf(), content_type="application/pdf")


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _backdate(case: AttestationCase, day: datetime.date) -> None:
    AttestationCase.objects.filter(pk=case.pk).update(created_at=_at(day))


class _Cases:
    def __init__(self, b: Builder, today: datetime.date) -> None:
        self.b, self.today = b, today
        self.methodist = b.p(METHODIST)
        self.order = 0

    def open(self, key: str, kind: str, opened: datetime.date, *, petition: str = "") -> AttestationCase:
        person = self.b.p(key)
        case = services.category_open(person=person, kind=kind, by=person, today=opened)
        _backdate(case, opened)
        if petition:
            case = services.petition_save(case=case, by=self.methodist, text=petition)
        document = services.document_add(
            case=case, by=person, kind=CaseDocumentKind.APPLICATION, title="Заявление", file=_application(person, kind)
        )
        CaseDocument.objects.filter(pk=document.pk).update(uploaded_at=_at(opened))  # uploaded when the case opened
        return case

    def submit(self, case: AttestationCase, on: datetime.date) -> AttestationCase:
        person = case.person
        portfolio = portfolio_services.portfolio_create(
            person=person,
            by=person,
            title="",
            period_start=add_years(on, -5),
            period_end=on,
            today=self.today,
        )
        return services.category_submit(case=case, by=person, on=on, portfolio=portfolio, today=self.today)

    def decide(self, case: AttestationCase, sitting: datetime.date, on: datetime.date, decision: str) -> None:
        case = services.sitting_set(case=case, by=self.methodist, on=sitting)
        self.order += 1
        order_date = min(on + datetime.timedelta(days=7), self.today)
        services.category_decide(
            case=case,
            by=self.methodist,
            decision=decision,
            on=on,
            order_number=f"{2400 + self.order * 53}-р" if decision == CaseDecision.GRANTED else "",
            order_date=order_date if decision == CaseDecision.GRANTED else None,
            today=self.today,
        )


def build_cases_demo(b: Builder, today: datetime.date | None = None) -> None:
    today = today or b.today
    cases = _Cases(b, today)

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    # An old first category (five years), ending about 4 months from today; past 2028 the old rules' last days.
    set_on = min(
        add_years(add_months(today, 4), -schedule.CATEGORY_YEARS),
        schedule.OPEN_ENDED_FROM - datetime.timedelta(days=10),
    )
    old = cases.open("ryabov", CaseKind.FIRST, set_on - datetime.timedelta(days=75))
    old = cases.submit(old, set_on - datetime.timedelta(days=60))
    cases.decide(old, set_on - datetime.timedelta(days=35), set_on, CaseDecision.GRANTED)

    # A highest category set under the new rules: no end.
    new_on = max(ago(150), schedule.OPEN_ENDED_FROM + datetime.timedelta(days=30))
    new = cases.open("solovyev", CaseKind.HIGHEST, new_on - datetime.timedelta(days=80))
    new = cases.submit(new, new_on - datetime.timedelta(days=50))
    cases.decide(new, new_on - datetime.timedelta(days=25), new_on, CaseDecision.GRANTED)

    # «Педагог-методист» with the employer's petition: submitted, the sitting set.
    methodist = cases.open(
        "kiselev",
        CaseKind.METHODIST,
        ago(40),
        petition=(
            "Киселёв Р.В. разработал и внедрил в колледже программу «Физическая культура для обучающихся с ОВЗ», "
            "ведёт методическое объединение руководителей физического воспитания района, автор трёх публикаций. "
            "Ходатайствую об установлении квалификационной категории «педагог-методист»."
        ),
    )
    methodist = cases.submit(methodist, ago(12))
    services.sitting_set(case=methodist, by=cases.methodist, on=ago(-10))

    # The highest again, applied for before the old one ends: submitted, waiting for the commission's date.
    again = cases.open("smirnova", CaseKind.HIGHEST, ago(30))
    cases.submit(again, ago(8))

    # Refused.
    refused = cases.open("belova", CaseKind.HIGHEST, ago(170))
    refused = cases.submit(refused, ago(140))
    cases.decide(refused, ago(120), ago(95), CaseDecision.REFUSED)

    # Withdrawn before submission.
    withdrawn = cases.open(
        "zaitseva",
        CaseKind.MENTOR,
        ago(60),
        petition="Зайцева А.В. руководит наставничеством молодых преподавателей математики. Ходатайствую.",
    )
    services.case_withdraw(
        case=withdrawn, by=b.p("zaitseva"), reason="Переношу подачу на следующий учебный год: не собраны материалы."
    )

    # The teacher's own case, documents being prepared.
    cases.open("mironov", CaseKind.FIRST, ago(6))
