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

import contextlib
import copy
import dataclasses
import datetime
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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
    days = _days_of_workers(config)
    if days:
        return "today in the tests, per pytest-xdist worker (METOD_TEST_TODAY): " + ", ".join(days.values())
    source = "METOD_TEST_TODAY" if os.environ.get("METOD_TEST_TODAY", "").strip() else "the default"
    return f"today in the tests: {TEST_TODAY:%A %Y-%m-%d} ({source}), from 12:00 in the college's time zone"


# `make test-dates` runs the dated tests in one pytest session with one pytest-xdist worker per day: `--dist each`
# (every worker runs every test) and `--tx popen//env:METOD_TEST_TODAY=<day>` per worker. Each worker reads its day
# in pytest_configure above; a failure says the day it failed on, and the summary names the days that failed.


def _days_of_workers(config: pytest.Config) -> dict[str, str]:
    """The day each worker was given by its --tx spec (`env:METOD_TEST_TODAY=…`), by position: gw0, gw1, …"""
    days = {}
    for index, spec in enumerate(getattr(config.option, "tx", None) or []):
        found = [
            part[len("env:METOD_TEST_TODAY=") :]
            for part in spec.split("//")
            if part.startswith("env:METOD_TEST_TODAY=")
        ]
        if found:
            days[f"gw{index}"] = found[0]
    return days


_failed_days: set[str] = set()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    if report.failed and os.environ.get("METOD_TEST_TODAY", "").strip():
        report.sections.append(("today in the tests", f"{TEST_TODAY:%A %Y-%m-%d} (METOD_TEST_TODAY)"))
    return report


# A test may leave a line for the end of the run, whether it passes or fails and on whichever pytest-xdist worker it
# ran, without -s: `request.node.user_properties.append(("summary", "…"))` (tests/test_site_crawl.py: its figures).
_summaries: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        _summaries.extend(str(value) for name, value in report.user_properties if name == "summary")
    node = getattr(report, "node", None)  # on the pytest-xdist controller: the worker that ran the test
    if report.failed and node is not None:
        day = getattr(getattr(node, "gateway", None), "spec", None)
        day = getattr(day, "env", {}).get("METOD_TEST_TODAY")
        if day:
            _failed_days.add(day)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    for line in _summaries:
        terminalreporter.write_line(line)
    if _failed_days:
        terminalreporter.write_line(f"the dated tests failed with today = {' '.join(sorted(_failed_days))}", red=True)


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


@pytest.fixture(scope="session", autouse=True)
def _session_media_root(tmp_path_factory):
    """Uploads of the whole session in a temporary folder, never the project's media/: a TestCase's setUpTestData
    (the seeded demo's PDFs and scans) runs before any function fixture."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _forget_current_year() -> None:
    """The current year's start is kept per process (planning.selectors.years); each test's years are its own."""
    from planning.selectors.years import forget_current_year

    forget_current_year()


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


# ---------------------------------------------------------------- the shared worlds
#
# A world (tests/world.py, tests/planning/world.py) costs hundreds of queries. It is built once in the database and
# shared by the tests of a module that ask for the `world` fixture: under an outer transaction opened before the
# test's own (each test's `django_db` atomic nests in it as a savepoint, so what a test writes is rolled back and the
# next test sees the world as built), and rolled back when the module ends or a test that must not see it comes
# (one that does not ask for the world, a Django TestCase class, a transactional or live-server test). Each test
# gets its own deep copy of the Python objects, as Django's TestCase.setUpTestData gives: a test that changes an
# instance in memory cannot leak into the next one. Tests that cannot share one get a world of their own, built as
# before, inside the test: transactional and live-server tests (they flush the database) and tests that travel to
# another day by parametrizing `today`.
#
# Which world a module gets is said by the `world` mark (default: tests.world.build_world() alone):
#     pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True, extra_staff=10)]
# planning: add tests.planning.world.build_planning; extra_staff: build_world(extra_staff=…); at: an aware datetime,
# the world is built with the clock travelled there and the test runs on that clock (from the moment the build
# ended, as when the world was built in the test); extend: a function of the world that adds to it.


@dataclasses.dataclass(frozen=True)
class WorldSpec:
    planning: bool = False
    extra_staff: int = 0
    at: datetime.datetime | None = None
    extend: Callable[[Any], Any] | None = None

    def build(self):
        from tests.planning.world import build_planning
        from tests.world import build_world

        world = build_world(extra_staff=self.extra_staff)
        if self.planning:
            world = build_planning(world)
        if self.extend is not None:
            self.extend(world)
        return world

    def clock(self, moment: datetime.datetime | None = None):
        """The clock the world is built (moment None) or used (moment: the end of the build) on."""
        if self.at is None:
            return contextlib.nullcontext()
        return time_machine.travel(moment or self.at, tick=True)


def _world_spec(item: pytest.Item) -> WorldSpec:
    marker = item.get_closest_marker("world")
    return WorldSpec(**marker.kwargs) if marker else WorldSpec()


def _may_share_a_world(item: pytest.Item) -> bool:
    """A plain pytest test asking for the world, in the test-wide transaction, on the session's day."""
    if not isinstance(item, pytest.Function) or getattr(item, "cls", None) is not None and _is_unittest(item):
        return False
    fixtures = getattr(item, "fixturenames", ())
    if "world" not in fixtures or "transactional_db" in fixtures or "live_server" in fixtures:
        return False
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    if marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences") or (marker.args and marker.args[0]):
        return False
    callspec = getattr(item, "callspec", None)
    return not (callspec is not None and "today" in callspec.params)


def _is_unittest(item: pytest.Item) -> bool:
    import unittest

    return issubclass(item.cls, unittest.TestCase)


class _SharedWorld:
    """The world of the module now running, in its outer transaction; at most one at a time."""

    current: _SharedWorld | None = None
    item: pytest.Item | None = None  # the test being set up (pytest_runtest_setup)
    builds = 0

    def __init__(self, blocker, media_root) -> None:
        self.blocker, self.media_root = blocker, media_root
        self.spec: WorldSpec | None = None
        self.atomic = None
        self.world = None
        self.built_at: datetime.datetime | None = None

    def prepare(self, item: pytest.Item) -> None:
        """Open the world `item` shares, or roll back the one open if `item` must not see it."""
        spec = _world_spec(item) if _may_share_a_world(item) else None
        if spec is not None and spec == self.spec:
            return
        self.close()
        if spec is None:
            return
        from django.db import transaction
        from django.test import override_settings

        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            try:
                with spec.clock(), override_settings(MEDIA_ROOT=self.media_root):
                    self.world = spec.build()
                    self.built_at = timezone.now()
            except BaseException:
                self.close()
                raise
        self.spec = spec
        type(self).builds += 1

    def close(self) -> None:
        if self.atomic is not None:
            from django.db import transaction

            atomic, self.atomic = self.atomic, None
            with self.blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
        self.spec = self.world = self.built_at = None


#: The modules with the longest tests (tens of seconds each), run first: pytest-xdist's `worksteal` scheduling
#: (the Makefile) lets the other worker take the rest of the queue meanwhile, instead of waiting at the end for one
#: worker that started the crawl last. Not the browser tests: they flush the database (transactional), so they stay
#: last, where pytest-django puts them.
LONGEST_FIRST = ("test_site_crawl.py",)

#: Modules marked `both_databases`: code whose SQL each database computes its own way (functions registered on
#: SQLite, COLLATE, full-text search, date arithmetic and medians done by the database, streaming cursors, the
#: change log's UNION) and the quick start's demo college (`make run` is SQLite). CI runs the whole suite on
#: PostgreSQL and, on SQLite, these, the browser tests and the dated tests on awkward days (.ci/run).
BOTH_DATABASES = {
    "tests/attestation/test_results_export_scale.py",
    "tests/attestation/test_results_scale.py",
    "tests/attestation/test_schedule_scale.py",
    "tests/attestation/test_suggestions.py",
    "tests/experience/test_catalogue_pages.py",
    "tests/experience/test_catalogue_search.py",
    "tests/experience/test_catalogue_search_vector.py",
    "tests/experience/test_visits_dissemination.py",
    "tests/planning/test_query_budget.py",
    "tests/structure/test_query_budget.py",
    "tests/structure/test_services.py",
    "tests/test_seed_demo.py",
    "tests/test_seed_demo_attestation.py",
    "tests/test_seed_demo_banner.py",
    "tests/test_streaming_exports.py",
}
ROOT = Path(__file__).resolve().parent.parent


def pytest_itemcollected(item: pytest.Item) -> None:
    # As each test is collected, before `-m` selects: the marker must be there when it looks.
    if str(Path(str(item.path)).resolve().relative_to(ROOT)) in BOTH_DATABASES:
        item.add_marker(pytest.mark.both_databases)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest modules first (LONGEST_FIRST). Within each stretch of one module's tests (pytest-django has put
    the transactional ones last), the tests that share a world run after the others and together by world, so that
    each world is built once."""
    items.sort(key=lambda item: item.path.name not in LONGEST_FIRST)  # stable: the rest keep their order
    order: list[pytest.Item] = []
    start = 0
    for end in range(1, len(items) + 1):
        if end == len(items) or _stretch(items[end]) != _stretch(items[start]):
            stretch = items[start:end]
            specs = list(dict.fromkeys(_world_spec(item) for item in stretch if _may_share_a_world(item)))
            order += sorted(stretch, key=lambda i: specs.index(_world_spec(i)) + 1 if _may_share_a_world(i) else 0)
            start = end
    items[:] = order


def _stretch(item: pytest.Item) -> tuple:
    return item.path, _is_transactional(item)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    # Before the test's fixtures: its database transaction must open inside the world's, or with none open.
    _SharedWorld.item = item
    if _SharedWorld.current is not None:
        _SharedWorld.current.prepare(item)
    return (yield)


@pytest.fixture(scope="module")
def _shared_world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[_SharedWorld]:
    shared = _SharedWorld(django_db_blocker, tmp_path_factory.mktemp("world-media"))
    _SharedWorld.current = shared
    try:
        if _SharedWorld.item is not None:
            shared.prepare(_SharedWorld.item)  # the first test of the module asking for it
        yield shared
    finally:
        shared.close()
        _SharedWorld.current = None


@pytest.fixture
def world(request: pytest.FixtureRequest, _shared_world: _SharedWorld):
    """The test college (see `the shared worlds` above): shared when the test may share it, else its own."""
    spec = _world_spec(request.node)
    if _shared_world.world is not None and _shared_world.spec == spec and _may_share_a_world(request.node):
        with spec.clock(_shared_world.built_at):
            yield copy.deepcopy(_shared_world.world)
        return
    if "today" in request.fixturenames:
        request.getfixturevalue("today")  # travelled to the test's day first, when it names one
    if request.node.get_closest_marker("django_db") is None:
        request.getfixturevalue("db")
    with spec.clock():
        yield spec.build()


# ---------------------------------------------------------------- after a transactional test
#
# A transactional test (TransactionTestCase, `django_db(transaction=True)`, live_server) ends by flushing the
# database, which takes the reference rows of the data migrations (positions, the ten directions) with it. They are
# put back after each such test, so the tests after it on the same worker find the database as migrations left it,
# whatever order pytest-xdist gives them.

_blocker = None


@pytest.fixture(scope="session", autouse=True)
def _keep_the_db_blocker(django_db_blocker) -> None:
    global _blocker
    _blocker = django_db_blocker


def _is_transactional(item: pytest.Item) -> bool:
    cls = getattr(item, "cls", None)
    if cls is not None and _is_unittest(item):
        from django.test import TestCase, TransactionTestCase

        return issubclass(cls, TransactionTestCase) and not issubclass(cls, TestCase)
    fixtures = getattr(item, "fixturenames", ())
    if "transactional_db" in fixtures or "live_server" in fixtures:
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences") or marker.args))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    result = yield
    # Not after the last test: the test database is gone by then (and the settings name the real one again).
    if nextitem is not None and _blocker is not None and _is_transactional(item):
        with _blocker.unblock():
            _restore_reference_rows()
    return result


def _restore_reference_rows() -> None:
    """The reference rows with the primary keys the migrations gave them (a serialized_rollback test reloads them
    by key): an emptied table counts from 1 again before they are added."""
    from django.core.management.color import no_style
    from django.db import connection

    from attestation.models import Competency, CompetencyFramework
    from planning.models import WorkDirection
    from structure.models import Position
    from tests.reference import seed_reference_data

    reference = (Position, WorkDirection, CompetencyFramework, Competency)
    emptied = {model._meta.db_table for model in reference if not model.objects.exists()}
    sequences = [sequence for sequence in connection.introspection.sequence_list() if sequence["table"] in emptied]
    if sequences:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_by_name_sql(no_style(), sequences):
                cursor.execute(sql)
    seed_reference_data()
