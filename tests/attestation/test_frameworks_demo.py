"""The demo's frameworks part builds through the services: version 2 of the default framework with indicators."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from attestation.demo_frameworks import build_frameworks_demo
from attestation.models import Competency

pytestmark = [pytest.mark.django_db, pytest.mark.world]


def test_build_frameworks_demo(world, today):
    builder = SimpleNamespace(today=today, p=lambda key: world.people["methodist"])
    draft = build_frameworks_demo(builder)
    assert draft.version == 2 and draft.levels[0]["name"] == "не владеет"
    assert Competency.objects.filter(framework=draft).count() == 27
    assert Competency.objects.get(framework=draft, code="A/01.6.1").parent.code == "A/01.6"
