"""The demo portfolio (attestation/demo_portfolio.py) builds on the demo college through the services, and its page
and PDF show real entries: the teacher's confirmed course, a plan item done, the conformity attestation, two
documents, one entry left out."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from attestation import demo as attestation_demo
from attestation.demo_portfolio import build_portfolio_demo
from attestation.documents import portfolio_pdf
from attestation.selectors.portfolio import assemble, portfolio_content
from planning import demo as planning_demo
from structure.demo import Builder
from tests.planning.test_documents import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.dated]


@override_settings(DEBUG=True)
def test_the_demo_portfolio_shows_every_kind_of_entry(client):
    builder = Builder(timezone.localdate())
    builder.build()
    planning_demo.build(builder)
    attestation_demo.build(builder)

    portfolio = build_portfolio_demo(builder)

    assembled = assemble(portfolio)
    counts = {section.key: len(section.entries) for section in assembled.sections}
    assert counts["training"] >= 1 and counts["attestation"] >= 1 and counts["documents"] == 2
    assert counts["plan_items"] >= 1
    content = portfolio_content(portfolio)
    text = pdf_text(portfolio_pdf(content))
    assert "ПОРТФОЛИО" in text and portfolio.person.full_name in text
    assert "Диплом победителя регионального конкурса" in text
    client.force_login(portfolio.person.user)
    assert client.get(reverse("attestation:portfolio_detail", args=[portfolio.pk])).status_code == 200
