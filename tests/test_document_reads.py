"""A document's request reads what it prints once (issue 13: a document request within the pages' 12 queries): the
order's PDF does not read the order, its clauses, actions, visas and acknowledgements a second time for the
document, and an approved plan's PDF reads its versions once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]


def _reads(queries, table: str) -> int:
    return sum(1 for query in queries if query["sql"].startswith(f'SELECT "{table}"."id"'))


def test_the_order_pdf_reads_the_order_once(world):
    client = client_for(world, "deputy")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("structure:order_pdf", args=[world.draft.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    for table in ("structure_order", "structure_clause", "structure_action", "structure_approval"):
        assert _reads(queries.captured_queries, table) == 1, table


def test_an_approved_plans_pdf_reads_its_versions_once(world):
    client = client_for(world, "methodist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("planning:plan_pdf", args=[world.service_plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert _reads(queries.captured_queries, "planning_planversion") == 1
