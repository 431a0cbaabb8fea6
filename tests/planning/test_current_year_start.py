"""Where «now» starts for the dashboard's «overdue from earlier years» (planning.selectors.current_year_start_date): the current academic year's first
day, read once per CURRENT_YEAR_SECONDS per process and dropped when a year is saved or deleted here."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planning import services
from planning.models import AcademicYear
from planning.selectors import current_year_start_date

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 30)


def _year(start: datetime.date, *, current: bool = False) -> AcademicYear:
    return services.year_save(
        title=f"{start.year}/{start.year + 1}",
        start=start,
        end=start.replace(year=start.year + 1) - datetime.timedelta(days=1),
        is_current=current,
    )


def _reads(today: datetime.date = DAY) -> tuple[datetime.date, int]:
    with CaptureQueriesContext(connection) as queries:
        start = current_year_start_date(today)
    return start, len(queries)


def test_the_current_year_s_start_is_read_once_and_kept(settings):
    settings.CURRENT_YEAR_SECONDS = 60
    _year(datetime.date(2026, 8, 25), current=True)
    assert _reads() == (datetime.date(2026, 8, 25), 1)
    assert _reads() == (datetime.date(2026, 8, 25), 0)
    assert _reads(datetime.date(2026, 8, 20)) == (datetime.date(2026, 8, 20), 0)  # never later than today


def test_a_year_made_current_here_is_seen_at_once(settings):
    settings.CURRENT_YEAR_SECONDS = 60
    old = _year(datetime.date(2025, 9, 1), current=True)
    assert _reads()[0] == old.start
    new = _year(datetime.date(2026, 9, 1))
    services.year_make_current(year=new)
    assert _reads() == (new.start, 1)


def test_a_change_made_elsewhere_shows_once_the_kept_start_is_old(settings):
    settings.CURRENT_YEAR_SECONDS = 60
    old = _year(datetime.date(2025, 9, 1), current=True)
    new = _year(datetime.date(2026, 9, 1))
    assert _reads()[0] == old.start
    # Another process's change: no signal reaches this one.
    AcademicYear.objects.filter(pk=old.pk).update(is_current=False)
    AcademicYear.objects.filter(pk=new.pk).update(is_current=True)
    assert _reads()[0] == old.start
    settings.CURRENT_YEAR_SECONDS = 0
    assert _reads() == (new.start, 1)


def test_without_a_current_year_the_start_is_the_last_first_of_september(settings):
    settings.CURRENT_YEAR_SECONDS = 0
    assert _reads()[0] == datetime.date(2026, 9, 1)
    assert _reads(datetime.date(2027, 3, 1))[0] == datetime.date(2026, 9, 1)
    assert _reads(datetime.date(2026, 9, 1))[0] == datetime.date(2026, 9, 1)
