"""The order page names the people of its visas, acknowledgements and actions in its change log from what it has
already read (issue 13): its count does not grow with the visas and the log's rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from metodservice.common.history import Related, history_rows
from structure import selectors
from structure.models import Order, OrderStatus
from structure.views import _people_of
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]


def test_the_order_page_answers_in_a_pinned_number_of_queries(world):
    order = Order.objects.filter(status=OrderStatus.SIGNED).order_by("-pk").first()
    client = client_for(world, "teacher")
    client.get(order.get_absolute_url())
    with CaptureQueriesContext(connection) as captured:
        response = client.get(order.get_absolute_url())
    assert response.status_code == 200
    # session, user, roles, order, clauses, actions, visas, acknowledgements, log, badge
    assert len(captured) == 10


def test_the_log_of_an_order_is_one_query_when_its_people_are_known(world):
    pk = Order.objects.filter(status=OrderStatus.SIGNED).order_by("-pk").values_list("pk", flat=True).first()
    order = selectors.order_detail(pk).get()
    with CaptureQueriesContext(connection) as captured:
        rows = history_rows(order, Related("approvals", name="person"), known=_people_of(order))
    assert len(captured) == 1
    assert rows
