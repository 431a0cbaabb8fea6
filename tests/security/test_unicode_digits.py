"""A number in a query string or a form that Python's str.isdigit() accepts but int() does not («²», «٣»): the page
answers as for any other bad number, never 500 (the class found in the diagnostics forms, fixed in every view)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from attestation.models import CompetencyFramework
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world]

NOT_INT = ["²", "٣", "¹²"]


@pytest.mark.parametrize("value", NOT_INT)
def test_person_and_parent_pickers_ignore_a_number_int_cannot_read(world, value):
    methodist = client_for(world, "methodist")
    framework = CompetencyFramework.objects.get(version=1)
    for url in (
        reverse("attestation:conformity_open"),
        reverse("attestation:case_open_category"),
        reverse("attestation:training_add"),
        reverse("attestation:competency_add", args=[framework.pk]),
    ):
        response = methodist.get(url, {"person": value, "parent": value})
        assert response.status_code in (200, 403), url
