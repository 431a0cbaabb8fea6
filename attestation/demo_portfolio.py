"""Demo portfolio on top of the demo college's attestation data (attestation/demo.py): the `teacher` account
(Миронов) has a portfolio for the five years up to today, built through attestation.services.portfolio like
everything users do. It gathers his confirmed courses, the plan items done with him responsible (the open lesson of
the service plans), his conformity attestation, and two documents uploaded to it — a contest diploma (PDF) and a
photo of a letter of thanks (PNG), both made here. One entry is left out, as a teacher would untick it, so the page
shows both states.

Development only: call `build_portfolio_demo(builder)` after `attestation.demo.build(builder)` (metodservice/demo.py).
"""

from __future__ import annotations

import datetime
import io
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from weasyprint import HTML

from metodservice.common.dates import add_years

from .models import Portfolio
from .selectors.portfolio import assemble
from .services import portfolio as services

if TYPE_CHECKING:
    from structure.demo import Builder
    from structure.models import Person


def _diploma(person: Person, day: datetime.date) -> SimpleUploadedFile:
    html = (
        "<html><body style='font-family: Liberation Serif, serif; font-size: 14pt; text-align: center'>"
        "<h1 style='font-size: 22pt'>ДИПЛОМ</h1><p>победителя регионального конкурса методических разработок</p>"
        f"<p style='font-size: 16pt'><b>{escape(person.full_name)}</b></p>"
        "<p>за методическую разработку «Цифровые инструменты на уроке математики»</p>"
        f"<p>{day:%d.%m.%Y}</p></body></html>"
    )
    return SimpleUploadedFile("Диплом конкурса.pdf", HTML(string=html).write_pdf(), content_type="application/pdf")


def _letter_photo() -> SimpleUploadedFile:
    """A small PNG standing for a photo of a letter of thanks."""
    from PIL import Image, ImageDraw  # pillow comes with weasyprint

    image = Image.new("RGB", (320, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 311, 191), outline="navy", width=3)
    for top in range(60, 170, 18):
        draw.line((30, top, 290, top), fill="gray", width=2)
    draw.text((110, 24), "BLAGODARNOST", fill="navy")
    stream = io.BytesIO()
    image.save(stream, "PNG")
    return SimpleUploadedFile("Благодарность.png", stream.getvalue(), content_type="image/png")


def build_portfolio_demo(b: Builder, *, key: str = "mironov") -> Portfolio:
    """The portfolio of `key` (the `teacher` account) for the five years up to today, with two documents and one
    course left out."""
    today = b.today
    person = b.p(key)
    portfolio = services.portfolio_create(
        person=person,
        by=person,
        title="",
        period_start=add_years(today, -5) + datetime.timedelta(days=1),
        period_end=today,
        today=today,
    )
    services.document_add(
        portfolio=portfolio,
        by=person,
        title="Диплом победителя регионального конкурса методических разработок",
        issued_on=today - datetime.timedelta(days=200),
        file=_diploma(person, today - datetime.timedelta(days=200)),
        today=today,
    )
    services.document_add(
        portfolio=portfolio,
        by=person,
        title="Благодарственное письмо директора колледжа",
        issued_on=today - datetime.timedelta(days=420),
        file=_letter_photo(),
        today=today,
    )
    # Leave one plan item out, as a teacher trims what is less telling (if there is more than one).
    items = [entry.key for entry in assemble(portfolio, today=today).sections[1].entries]
    if len(items) > 1:
        services.picks_save(
            portfolio=portfolio,
            by=person,
            keys=[pick for pick in portfolio.picks if pick != items[0]],
            today=today,
        )
    return portfolio
