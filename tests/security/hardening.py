"""Shared by the hardening tests (test_client_address, test_bounds, test_next_redirects, test_sessions,
test_meeting_numbers, test_logging, test_database): a fixed clock, so nothing depends on today's date, and clients."""

from __future__ import annotations

import datetime
import runpy
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client

import metodservice
from tests.world import World

#: These tests run on a Tuesday in term (academic year 2025/2026), 10:00 in Moscow.
NOW = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def travel(moment: datetime.datetime = NOW) -> time_machine.travel:
    """The clock at `moment`, running on from there (use as a context manager around the world and the test)."""
    return time_machine.travel(moment, tick=True)


def client_for(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.admin if role == "admin" else world.people[role].user)
    return client


def settings_from_environment(monkeypatch, **env: str) -> dict:
    """Run metodservice/settings.py as a production process would, with `env` (DEBUG off), and return its names.

    The test settings are already loaded; this reads what the settings file makes of an environment."""
    for name in ("BEHIND_PROXY", "PROXY_COUNT", "SESSION_IDLE_MINUTES", "CONN_MAX_AGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DEBUG", "false")
    monkeypatch.setenv("SECRET_KEY", "a-test-key-long-enough-for-the-settings-file-0123456789")
    monkeypatch.setenv("ALLOWED_HOSTS", "metod.college.local")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(metodservice.__file__).with_name("settings.py")))
