"""Persistent database connections are checked before reuse, so a database restart costs no failed requests.

Written against the probe's finding: with CONN_MAX_AGE and no health checks, the first request on each kept
connection after a PostgreSQL restart failed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from tests.security.hardening import settings_from_environment


def test_connections_are_health_checked():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_production_connections_are_kept_and_health_checked(monkeypatch):
    database = settings_from_environment(
        monkeypatch, DATABASE_URL="postgres://metodservice:secret@127.0.0.1:5432/metodservice"
    )["DATABASES"]["default"]
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
