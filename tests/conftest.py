"""Fixtures for the whole suite.

"Today" is an input of the tests, never the real date: the session runs with the clock travelled (time-machine) to
noon, college time, on TEST_TODAY: a Wednesday in the middle of an academic year, or the ISO date in the environment
variable METOD_TEST_TODAY. The clock ticks on from there. A test that wants today's date takes the `today` fixture;
one that needs a particular day asks for it with `@pytest.mark.parametrize("today", [date(…)], indirect=True)`
(the fixture travels there before the test's other fixtures that take `today`, such as the worlds); one that lets
time pass moves the clock with time-machine's `time_machine` fixture, `time_machine.move_to(noon(day))`
(tests.factories.noon). Tests whose outcome depends on the date are marked `dated`; `make test-dates` runs them on
the days where date arithmetic breaks.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator

import pytest
import time_machine
from django.utils import timezone

DEFAULT_TODAY = datetime.date(2026, 10, 14)  # a Wednesday of the autumn term
TEST_TODAY = DEFAULT_TODAY  # METOD_TEST_TODAY, read when pytest starts


def pytest_configure(config: pytest.Config) -> None:
    global TEST_TODAY
    value = os.environ.get("METOD_TEST_TODAY", "").strip()
    try:
        TEST_TODAY = datetime.date.fromisoformat(value) if value else DEFAULT_TODAY
    except ValueError:
        raise pytest.UsageError(f"METOD_TEST_TODAY={value!r} is not an ISO date (YYYY-MM-DD)") from None


def pytest_report_header(config: pytest.Config) -> str:
    source = "METOD_TEST_TODAY" if os.environ.get("METOD_TEST_TODAY", "").strip() else "the default"
    return f"today in the tests: {TEST_TODAY:%A %Y-%m-%d} ({source}), from 12:00 in the college's time zone"


@pytest.fixture(scope="session", autouse=True)
def _clock() -> Iterator[None]:
    """The clock of the whole session, class-level setup (setUpTestData) included; the live server's thread too."""
    from tests.factories import noon  # imports the models: not before Django is set up

    with time_machine.travel(noon(TEST_TODAY), tick=True):
        yield


@pytest.fixture
def today(request: pytest.FixtureRequest) -> Iterator[datetime.date]:
    """Today's date in the college's time zone. Parametrized indirectly with a date, it travels there first."""
    day = getattr(request, "param", None)
    if day is None:
        yield timezone.localdate()
        return
    from tests.factories import noon

    with time_machine.travel(noon(day), tick=True):
        assert timezone.localdate() == day
        yield day


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def parallel_postgres() -> None:
    """For tests of transactions racing each other (marked `postgres` and `django_db(transaction=True,
    serialized_rollback=True)`): they need PostgreSQL's row locks, and the reference rows (positions, the ten
    directions) that an earlier transactional test may have flushed."""
    from django.db import connection

    from tests.reference import seed_reference_data

    if connection.vendor != "postgresql":
        pytest.skip("parallel transactions need PostgreSQL")
    seed_reference_data()
