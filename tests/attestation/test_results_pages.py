"""The diagnostics results pages on the data of tests/attestation/matrix_results.py: the teacher's profile (the
numbers worked out by hand there), privacy (who sees which campaign), the radar as self-contained inline SVG, the
unit heat map, the college summary, the XLSX export and the two PDFs."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from attestation import charts
from attestation.models import CampaignParticipant
from attestation.selectors import results as selectors
from tests.attestation.matrix_results import results_data
from tests.planning.test_documents import pdf_text
from tests.world import client_for

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def data(world):
    return results_data(world)


def person_url(world, campaign=None) -> str:
    url = reverse("attestation:results_person", kwargs={"pk": world.people["teacher"].pk})
    return f"{url}?campaign={campaign.pk}" if campaign else url


def rows_by_code(profile) -> dict:
    return {row.competency.code: row for row in profile.rows}


# ---------------------------------------------------------------- the selector the suggestions use


def test_person_results_counts_only_submitted_assessments(world, data):
    results = dict((competency.code, result) for competency, result in selectors.person_results(data.participant))
    assert len(results) == 16
    a01 = results["A/01.6"]
    assert (a01.self_level, a01.expert_levels, a01.median) == (3, (1, 1), 1.0)  # chair's draft of zeros: left out
    assert a01.gap and a01.deficit and not a01.dropped
    assert results["A/02.6"].median == 1.5 and not results["A/02.6"].deficit
    assert results["A/03.6"].strength
    b01 = results["B/01.5"]
    assert (b01.median, b01.previous_median, b01.dropped, b01.deficit) == (2.0, 3.0, True, True)
    assert results["E/01.6"].previous_median == 2.0 and not results["E/01.6"].deficit


def test_the_first_campaign_has_no_previous_median(world, data):
    results = dict((c.code, r) for c, r in selectors.person_results(data.past_participant))
    assert all(result.previous_median is None and result.self_level is None for result in results.values())
    assert results["A/01.6"].deficit and not results["B/01.5"].dropped


def test_an_assessment_not_yet_submitted_counts_for_nothing(world, data):
    other = CampaignParticipant.objects.create(campaign=data.campaign, person=world.people["secretary"])
    from tests.attestation.matrix_results import assess

    assess(other, world.people["secretary"], "self", [3] * 16, data.competencies, submitted=False)
    profile = selectors.person_profile(other)
    assert not profile.self_submitted and not profile.experts
    assert all(row.result.self_level is None and row.result.median is None for row in profile.rows)


# ---------------------------------------------------------------- the profile page


def test_the_teacher_sees_their_profile_with_the_radar(world, data):
    response = client_for(world, "teacher").get(reverse("attestation:results_mine"))
    assert response.status_code == 200
    profile = response.context["profile"]
    assert profile.participant == data.participant
    assert [expert.person_id for expert in profile.experts] == sorted(
        [world.people["mo_head"].pk, world.people["group_lead"].pk],
        key=lambda pk: [p for p in world.people.values() if p.pk == pk][0].last_name,
    )
    assert rows_by_code(profile)["A/01.6"].expert_levels == (1, 1)
    html = response.content.decode()
    radar = re.search(r'<figure[^>]*id="radar">(.*?)</figure>', html, re.S).group(1)
    assert "<svg" in radar and 'role="img"' in radar and "aria-label=" in radar
    assert "<style" not in radar and "<script" not in radar and "style=" not in radar  # the CSP allows neither
    assert 'id="dynamics"' in html  # two campaigns: the dynamics chart
    assert "B/01.5" in html


def test_a_campaign_is_chosen_by_its_id_and_a_bad_one_falls_back_to_the_latest(world, data):
    client = client_for(world, "teacher")
    past = client.get(person_url(world, data.past_campaign))
    assert past.context["participant"] == data.past_participant
    assert "dynamics_chart" in past.context and past.context["dynamics_chart"] is None  # one campaign so far
    for bad in ("999999", "abc", ""):
        response = client.get(person_url(world) + f"?campaign={bad}")
        assert response.status_code == 200
        assert response.context["participant"] == data.participant


def test_without_a_choice_the_page_opens_the_latest_campaign_with_a_submitted_assessment(world, data):
    from attestation.models import Assessment, AssessmentStatus

    client = client_for(world, "teacher")
    Assessment.objects.filter(participant=data.participant).update(status=AssessmentStatus.DRAFT)
    assert client.get(person_url(world)).context["participant"] == data.past_participant  # the current one is empty
    Assessment.objects.filter(participant=data.past_participant).update(status=AssessmentStatus.DRAFT)
    assert client.get(person_url(world)).context["participant"] == data.participant  # nothing anywhere: the latest


def test_an_expert_sees_only_the_campaigns_they_assess_a_head_all_of_their_members(world, data):
    expert = client_for(world, "group_lead").get(person_url(world, data.past_campaign))
    assert [p.pk for p in expert.context["participations"]] == [data.participant.pk]
    assert expert.context["participant"] == data.participant
    head = client_for(world, "mo_head").get(person_url(world))
    assert [p.pk for p in head.context["participations"]] == [data.participant.pk, data.past_participant.pk]


@pytest.mark.parametrize("role", ["chair", "secretary", "lab_head", "researcher"])
def test_nobody_else_sees_the_results(world, data, role):
    client = client_for(world, role)
    assert client.get(person_url(world)).status_code == 404
    assert client.get(reverse("attestation:results_card", kwargs={"pk": data.participant.pk})).status_code == 404


def test_a_person_without_campaigns_is_told_so(world, data):
    response = client_for(world, "secretary").get(reverse("attestation:results_mine"))
    assert response.status_code == 200
    assert "participant" not in response.context


# ---------------------------------------------------------------- the charts


def test_a_chart_is_self_contained_svg():
    svg = charts.radar(
        codes=["A", "B", "C"],
        self_levels=[1, 2, None],
        expert_medians=[2, 1.5, 3],
        top_level=3,
        self_label="Самооценка",
        experts_label="Эксперты <медиана>",
        label="Профиль & динамика",
    )
    assert svg.startswith("<svg") and "<style" not in svg and "<script" not in svg and "<!--" not in svg
    assert 'aria-label="Профиль &amp; динамика"' in svg
    assert "Эксперты &lt;медиана&gt;" in svg
    assert 'fill="#ffffff"' in svg  # the plot's background, from pygal's style sheet as an attribute
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing from outside
    # Valid beside other charts on one page: no legend id repeated in every chart, no attribute SVG forbids on <desc>.
    assert 'id="activate-serie' not in svg
    assert not re.search(r"<desc[^>]*text-anchor", svg)


# ---------------------------------------------------------------- the heat map


def test_the_head_sees_the_heat_map_of_their_association(world, data):
    response = client_for(world, "mo_head").get(reverse("attestation:results_units"))
    assert response.status_code == 200
    assert response.context["unit"] == world.association
    rows = {participant.person_id: cells for participant, cells, _withheld in response.context["rows"]}
    teacher = rows[world.people["teacher"].pk]
    assert teacher[0] == (1.0, "heat-low text-bg-danger")
    assert teacher[1] == (1.5, "heat-mid text-bg-warning")
    assert teacher[2] == (3.0, "heat-top text-bg-success")
    assert teacher[4] == (2.0, "heat-good bg-success-subtle")
    html = response.content.decode()
    assert "1,5" in html  # the number is written, not only the colour


def test_a_head_cannot_ask_for_another_unit(world, data):
    client = client_for(world, "mo_head")
    response = client.get(reverse("attestation:results_units"), {"unit": world.council.pk})
    assert response.context["unit"] == world.association  # not offered: the head's own unit instead
    assert client.get(reverse("attestation:results_xlsx"), {"unit": world.council.pk}).status_code == 403


def test_management_chooses_any_unit(world, data):
    response = client_for(world, "methodist").get(reverse("attestation:results_units"), {"unit": world.council.pk})
    assert response.context["unit"] == world.council
    assert response.context["rows"] == []


# ---------------------------------------------------------------- the college summary, export and PDFs


def test_the_college_summary_counts_people_at_each_level(world, data):
    response = client_for(world, "deputy").get(reverse("attestation:results_college"), {"campaign": data.campaign.pk})
    summary = response.context["summary"]
    assert (summary.participants, summary.assessed) == (1, 1)
    rows = {row.competency.code: row for row in summary.rows}
    assert rows["A/01.6"].counts == (0, 1, 0, 0) and rows["A/01.6"].deficits == 1
    assert rows["A/02.6"].counts == (0, 1, 0, 0) and rows["A/02.6"].average == 1.5  # 1.5 counts at 1
    assert rows["A/03.6"].counts == (0, 0, 0, 1) and rows["A/03.6"].self_average == 3.0
    assert summary.years == [data.past_year.title, data.year.title]
    averages = {code: values for code, _name, values in summary.averages}
    assert averages["B/01.5"] == [3.0, 2.0]
    assert response.context["chart"].startswith("<svg")


def test_the_export_has_a_row_per_person_and_competency(world, data):
    response = client_for(world, "methodist").get(reverse("attestation:results_xlsx"), {"campaign": data.campaign.pk})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 16
    first = rows[1]
    assert first[1] == "A/01.6" and first[3] == 3 and first[4] == "1, 1" and first[5] == 1


def test_the_head_exports_their_unit(world, data):
    response = client_for(world, "mo_head").get(
        reverse("attestation:results_xlsx"), {"campaign": data.campaign.pk, "unit": world.association.pk}
    )
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert {row[0] for row in rows[1:]} == {world.people["teacher"].full_name}


def test_the_diagnostic_card(world, data):
    response = client_for(world, "teacher").get(reverse("attestation:results_card", kwargs={"pk": data.participant.pk}))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "ДИАГНОСТИЧЕСКАЯ КАРТА ПЕДАГОГА" in text
    assert world.people["teacher"].full_name in text
    assert "A/01.6" in text and "расхождение; дефицит" in text
    assert "снижение с 3" in text
    assert "Динамика по кампаниям" in text and data.past_year.title in text
    assert "нет мероприятий" in text  # no individual plan in this world


def test_the_college_summary_pdf(world, data):
    response = client_for(world, "director").get(
        reverse("attestation:results_college_pdf"), {"campaign": data.campaign.pk}
    )
    text = pdf_text(response.content)
    assert "Результаты диагностики профессиональных компетенций педагогов" in text
    assert "Участников диагностики: 1; получили экспертную оценку: 1" in text
    assert "B/01.5" in text and data.past_year.title in text
