"""Every number a form or a query parameter takes has bounds the form states; anything outside them gets a Russian
message on the form (or the parameter is dropped), never a 500.

Written against the probe's finding: a meeting number or a vote of 2147483648 answered 500 on PostgreSQL (integer
out of range) and 1e20 answered 500 on SQLite (an integer too large for the driver).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from planning import services as planning_services
from planning.models import AgendaItem, Meeting
from structure.models import Order
from tests.security.hardening import NOW, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, at=NOW)]

#: What the probe sent: above the 32-bit range, the float notation, 1e20 written out, below zero, not a number.
OUT_OF_RANGE = ["2147483648", "1e20", "100000000000000000000", "-1", "abc"]
WHOLE_NUMBER = "Введите целое число."


def at_most(limit: int) -> str:
    return f"Убедитесь, что это значение меньше либо равно {limit}."


def at_least(limit: int) -> str:
    return f"Убедитесь, что это значение больше либо равно {limit}."


def expected_message(value: str, low: int, high: int) -> str:
    """Django's own (Russian) message for `value` in a whole-number field bounded by [low, high]."""
    if value in {"1e20", "abc"}:
        return WHOLE_NUMBER
    return at_least(low) if int(value) < low else at_most(high)


def no_server_error(client: Client) -> Client:
    client.raise_request_exception = False  # a 500 is a status to assert on, not an exception in the test
    return client


# ---------------------------------------------------------------- meeting numbers and votes


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_a_new_meeting_number_out_of_range_is_refused_on_the_form(world, value):
    client = no_server_error(client_for(world, "mo_head"))
    before = Meeting.objects.count()
    response = client.post(
        reverse("planning:meeting_create"),
        {"unit": world.association.pk, "number": value, "date": "2026-03-12", "time": "", "place": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == [expected_message(value, 1, 999)]
    assert Meeting.objects.count() == before


def test_the_meeting_forms_state_the_bounds_of_the_number(world):
    client = client_for(world, "mo_head")
    for url in (reverse("planning:meeting_create"), reverse("planning:meeting_edit", args=[world.meeting.pk])):
        field = client.get(url).context["form"].fields["number"]
        assert (field.min_value, field.max_value) == (1, 999), url
        assert 'min="1"' in str(client.get(url).context["form"]["number"])
        assert 'max="999"' in str(client.get(url).context["form"]["number"])


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_an_edited_meeting_number_out_of_range_is_refused_on_the_form(world, value):
    client = no_server_error(client_for(world, "mo_head"))
    meeting = world.meeting
    response = client.post(
        reverse("planning:meeting_edit", args=[meeting.pk]),
        {"number": value, "date": meeting.date.isoformat(), "time": "", "place": "Ауд. 204"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == [expected_message(value, 1, 999)]
    meeting.refresh_from_db()
    assert meeting.number == 1


@pytest.mark.parametrize("field", ["votes_for", "votes_against", "votes_abstained"])
@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_votes_out_of_range_are_refused_on_the_form(world, field, value):
    client = no_server_error(client_for(world, "mo_head"))
    item = world.agenda_item
    data = {"title": item.title, "decided": "Принять к сведению", "votes_for": "5", "votes_against": "0"}
    data[field] = value
    response = client.post(reverse("planning:agenda_edit", args=[world.meeting.pk, item.pk]), data)
    assert response.status_code == 200
    expected = "Число голосов не может быть отрицательным." if value == "-1" else expected_message(value, 0, 1000)
    assert response.context["form"].errors[field] == [expected]
    assert AgendaItem.objects.get(pk=item.pk).decided == ""


def test_votes_within_bounds_are_saved(world):
    """1000 passes the form's bound and reaches the service, which refuses more votes than members present."""
    client = client_for(world, "mo_head")
    item, meeting = world.agenda_item, world.meeting
    planning_services.attendance_set(
        meeting=meeting, rows=[(a.person, True, "") for a in meeting.attendance.select_related("person")]
    )
    data = {"title": item.title, "votes_for": "1000", "votes_against": "0", "votes_abstained": ""}
    response = client.post(reverse("planning:agenda_edit", args=[meeting.pk, item.pk]), data)
    assert response.status_code == 200 and not response.context["form"].errors.get("votes_for")
    assert AgendaItem.objects.get(pk=item.pk).votes_for is None
    data["votes_for"] = str(meeting.attendance.count())
    response = client.post(reverse("planning:agenda_edit", args=[meeting.pk, item.pk]), data)
    assert response.status_code == 302
    assert AgendaItem.objects.get(pk=item.pk).votes_for == meeting.attendance.count()


# ---------------------------------------------------------------- the order list's year and people lists


@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize("url_name", ["structure:order_list", "structure:orders_export"])
def test_the_order_year_out_of_range_is_refused_with_a_message(world, url_name, value):
    client = no_server_error(client_for(world, "deputy"))
    response = client.get(reverse(url_name), {"year": value})
    assert response.status_code == 200
    if url_name == "structure:order_list":
        errors = response.context["filter"].form.errors
        assert errors["year"] == [expected_message(value, 1900, 2999)]
        assert expected_message(value, 1900, 2999) in response.content.decode()
        assert 'max="2999"' in str(response.context["filter"].form["year"])


def test_the_order_year_filters_within_bounds(world):
    client = client_for(world, "deputy")
    year = world.signed.date.year
    response = client.get(reverse("structure:order_list"), {"year": str(year)})
    assert world.signed in response.context["page"].object_list
    response = client.get(reverse("structure:order_list"), {"year": str(year + 1)})
    assert world.signed not in response.context["page"].object_list


@pytest.mark.parametrize(
    "value", ["2147483648", "100000000000000000000", "9223372036854775808", "-9223372036854775809", "-1", "1e20"]
)
def test_an_id_out_of_range_among_chosen_people_is_refused_with_a_message(world, value):
    """Approvers of an order (and the responsible of a plan item: the same field) are checked with one `IN` query."""
    client = no_server_error(client_for(world, "deputy"))
    before = Order.objects.count()
    response = client.post(
        reverse("structure:order_create"), {"title": "О конкурсе", "approvers": [world.people["chair"].pk, value]}
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["approvers"]
    assert message in {
        f"“{value}” является неверным значением.",  # not an id at all (beyond the id column's range, or 1e20)
        f"Выберите корректный вариант. {value} нет среди допустимых значений.",  # an id nobody has
    }
    assert Order.objects.count() == before


def test_the_calendar_month_states_its_bounds(world):
    field = client_for(world, "teacher").get(reverse("planning:calendar")).context["form"]["month"]
    assert 'min="1900-01"' in str(field) and 'max="2999-12"' in str(field)


# ---------------------------------------------------------------- every numeric query parameter


def _query_parameters(world) -> list[tuple[str, str, str]]:
    """(role, URL, parameter) for every number a list, filter or export takes from the query string."""
    meeting = reverse("planning:meeting_list")
    decisions = reverse("planning:decision_list")
    return [
        ("deputy", reverse("structure:order_list"), "year"),
        ("deputy", reverse("structure:order_list"), "page"),
        ("deputy", reverse("structure:orders_export"), "year"),
        ("deputy", reverse("structure:person_list"), "position"),
        ("deputy", reverse("structure:person_list"), "page"),
        ("deputy", reverse("structure:people_export"), "position"),
        ("deputy", reverse("structure:overview"), "date"),
        ("deputy", reverse("structure:structure_export"), "date"),
        ("deputy", reverse("planning:plan_list"), "year"),
        ("deputy", reverse("planning:plan_list"), "unit"),
        ("deputy", reverse("planning:plan_list"), "page"),
        ("deputy", reverse("planning:execution_stats"), "year"),
        ("deputy", meeting, "year"),
        ("deputy", meeting, "unit"),
        ("deputy", meeting, "page"),
        ("mo_head", reverse("planning:meeting_create"), "unit"),
        ("deputy", decisions, "unit"),
        ("deputy", decisions, "page"),
        ("deputy", reverse("planning:decisions_xlsx"), "unit"),
        ("teacher", reverse("planning:calendar"), "month"),
        ("teacher", reverse("planning:calendar"), "unit"),
        ("teacher", reverse("planning:calendar"), "direction"),
        ("teacher", reverse("planning:decision_mark", args=[world.decision.pk]), "next"),
    ]


def test_no_numeric_query_parameter_answers_500(world):
    clients = {role: no_server_error(client_for(world, role)) for role in ("deputy", "mo_head", "teacher")}
    failures = []
    for role, url, parameter in _query_parameters(world):
        for value in [*OUT_OF_RANGE, "9223372036854775808", "0001-01-01", "9999-12-31", "99999-01"]:
            response = clients[role].get(url, {parameter: value})
            if response.status_code != 200:
                failures.append(f"{url}?{parameter}={value}: {response.status_code}")
    assert not failures, failures


@pytest.mark.parametrize("value", ["2147483648", "1e20", "-1", "abc"])
def test_a_page_number_out_of_range_shows_a_page(world, value):
    response = client_for(world, "deputy").get(reverse("structure:order_list"), {"page": value})
    assert response.status_code == 200
    assert response.context["page"].number in {1, response.context["page"].paginator.num_pages}
