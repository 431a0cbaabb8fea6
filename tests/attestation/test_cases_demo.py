"""The demo category cases (attestation/demo_cases.py) build on the demo college through the services: a case of
every stage, the old category with an end and the new one without, and the pages open for the methodist."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from attestation import demo as attestation_demo
from attestation.demo_cases import build_cases_demo
from attestation.models import AttestationCase, CaseDecision, CaseStatus, Category
from planning import demo as planning_demo
from structure.demo import Builder

pytestmark = [pytest.mark.django_db, pytest.mark.dated]


@override_settings(DEBUG=True)
def test_the_demo_holds_category_cases_of_every_stage(client):
    today = timezone.localdate()
    builder = Builder(today)
    builder.build()
    planning_demo.build(builder)
    attestation_demo.build(builder)

    build_cases_demo(builder)

    cases = {case.person.last_name: case for case in AttestationCase.objects.exclude(kind="conformity")}
    assert cases["Рябов"].decision == CaseDecision.GRANTED and cases["Соловьёв"].decision == CaseDecision.GRANTED
    old, new = Category.objects.get(case=cases["Рябов"]), Category.objects.get(case=cases["Соловьёв"])
    assert old.valid_until is not None and old.valid_until > today  # the old rules: five years, not over yet
    assert new.valid_until is None
    assert cases["Киселёв"].status == CaseStatus.SUBMITTED and cases["Киселёв"].sitting_on > today
    assert cases["Киселёв"].petition and cases["Киселёв"].portfolio_snapshot
    assert cases["Смирнова"].status == CaseStatus.SUBMITTED and cases["Смирнова"].sitting_on is None
    assert cases["Белова"].decision == CaseDecision.REFUSED
    assert cases["Зайцева"].status == CaseStatus.WITHDRAWN
    assert cases["Миронов"].status == CaseStatus.DOCUMENTS and cases["Миронов"].documents.count() == 1

    client.force_login(builder.p("sokolova").user)
    assert client.get(reverse("attestation:case_list")).context["page"].paginator.count == len(cases) + 1
    for case in cases.values():
        assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get(reverse("attestation:case_portfolio_pdf", args=[cases["Киселёв"].pk])).status_code == 200
