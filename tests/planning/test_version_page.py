"""An approved version's page (planning:version_detail): the items as they were approved, even after an amendment
changed them; linked from the plan page, which no longer repeats every version's items; a fixed number of queries;
404 for a version the plan does not have. Who may open it: the role matrix (tests/matrix_documents.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planning import services
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]

#: The session, the user, the plan, the version, the ten directions, the user's roles, the menu's badge (counted on
#: every page in the tests: ATTENTION_SECONDS = 0).
PINNED = 7


def test_the_version_shows_its_items_as_approved_after_an_amendment_changed_them(world):
    plan, item = world.service_plan, world.teacher_item
    approved_content = item.content
    services.plan_start_amendment(plan=plan, reason="Перенос сроков")
    item.refresh_from_db()
    services.item_update(
        item=item,
        content="Изменённое содержание пункта",
        direction=item.direction,
        form=item.form,
        due_date=item.due_date,
        responsible=list(item.responsible.all()),
    )
    version = plan.versions.get()
    url = reverse("planning:version_detail", args=[plan.pk, version.number])

    client = client_for(world, "teacher")
    plan_page = client.get(plan.get_absolute_url()).text
    assert url in plan_page
    assert '<details class="mb-2">' not in plan_page  # the versions' items are not repeated below the plan's
    page = client.get(url).text
    assert approved_content in page and "Изменённое содержание пункта" not in page
    assert version.approved_by_name in page
    assert client.get(reverse("planning:version_detail", args=[plan.pk, version.number + 1])).status_code == 404


def test_the_version_page_costs_the_same_for_many_items(world):
    plan = world.service_plan
    version = plan.versions.get()
    snapshot = version.snapshot
    row = snapshot["items"][0]
    snapshot["items"] = [{**row, "position": n} for n in range(1, 151)]
    type(version).objects.filter(pk=version.pk).update(snapshot=snapshot)  # the page reads it as stored
    client = client_for(world, "methodist")
    url = reverse("planning:version_detail", args=[plan.pk, version.number])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and response.text.count("<tr><td>") >= 150
    # session, user, the plan, the version, the directions, the user's roles, the badge's count
    assert len(queries) == PINNED, [q["sql"][:80] for q in queries.captured_queries]
