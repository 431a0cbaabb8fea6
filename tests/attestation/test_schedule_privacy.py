"""Why a colleague is exempt from attestation is personal data when the reason is an absence (pregnancy, leave,
illness): the schedule names it to the person, the director, the deputy and the methodist — those who keep the
record — and to nobody else; an association head reads «по личным обстоятельствам» and the same end date."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from structure.models import AbsenceKind, AbsencePeriod
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world()]

REASON = "беременность"
NEUTRAL = "по личным обстоятельствам"


def _schedule_html(world, role: str) -> str:
    response = client_for(world, role).get(reverse("attestation:schedule"))
    assert response.status_code == 200
    return response.content.decode().lower()  # the page capitalises the reason


def test_an_absence_is_named_only_to_those_who_keep_the_record(world, today):
    teacher = world.people["teacher"]
    AbsencePeriod.objects.create(person=teacher, kind=AbsenceKind.PREGNANCY, start=today)
    head = _schedule_html(world, "mo_head")  # heads the teacher's association: sees the row
    assert teacher.last_name.lower() in head
    assert NEUTRAL in head and REASON not in head
    for role in ("methodist", "deputy", "director", "teacher"):
        html = _schedule_html(world, role)
        assert REASON in html and NEUTRAL not in html, role


def test_the_export_hides_it_too(world, today):
    AbsencePeriod.objects.create(person=world.people["teacher"], kind=AbsenceKind.PREGNANCY, start=today)
    response = client_for(world, "mo_head").get(reverse("attestation:schedule_xlsx"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    text = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None).lower()
    assert NEUTRAL in text and REASON not in text
