"""The lab's pages (experience/views/lab.py) on the data of tests/experience/lab_data.py: the list, the experiment's
page (the numbers of the indicators table, the charts as self-contained SVG, who sees the log of measurements), the
forms and what a careless user or a malicious colleague could send them, publishing the results, and the PDF."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from experience.models import Experiment, ExperimentStage, Indicator, Measurement
from tests.experience.lab_data import amending_order, lab_data
from tests.planning.test_documents import pdf_text
from tests.world import client_for

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def data(world):
    return lab_data(world)


def url(name: str, pk: int | None = None) -> str:
    return reverse(f"experience:{name}", kwargs={"pk": pk} if pk is not None else None)


def form_of(response):
    assert response.status_code == 200, response.status_code
    return response.context["form"]


# ---------------------------------------------------------------- the list and the page


def test_the_list_shows_each_user_what_they_may_open(world, data):
    listed = lambda role: [e.pk for e in client_for(world, role).get(url("experiment_list")).context["page"]]  # noqa: E731
    assert set(listed("methodist")) == {data.experiment.pk, data.published.pk}
    assert listed("teacher") == [data.published.pk]
    assert listed("researcher") == [data.experiment.pk]
    rows = client_for(world, "lab_head").get(url("experiment_list")).context["page"]
    row = next(e for e in rows if e.pk == data.experiment.pk)
    assert (row.stage_count, row.indicator_count, row.measurement_count) == (3, 2, 3)
    assert row.state == "running"
    for bad in ("abc", "0", "-1", "99999999999999999999"):
        assert client_for(world, "teacher").get(url("experiment_list") + f"?page={bad}").status_code == 200


def test_the_page_shows_the_indicators_against_baseline_and_target(world, data):
    response = client_for(world, "lab_head").get(url("experiment_detail", data.experiment.pk))
    assert response.status_code == 200 and response.context["full"]
    board = response.context["board"]
    pass_rate, absences = board.rows
    assert [m.value if m else None for m in pass_rate.per_stage] == [Decimal("81.5"), Decimal("84"), None]
    assert pass_rate.latest.value == 84 and pass_rate.progress_percent == 50  # (84 − 78) / (90 − 78)
    assert absences.progress_percent == 25  # less is better: (22 − 24) / (16 − 24)
    assert response.context["current_stage"] == data.stages[1]
    html = response.content.decode()
    table = re.search(r'<table[^>]*id="indicators-table".*?</table>', html, re.S).group(0)
    assert "81,5" in table and "78" in table and "90" in table and "50 %" in table
    charts = re.findall(r"<figure[^>]*experiment-chart[^>]*>(.*?)</figure>", html, re.S)
    assert len(charts) == 2
    for chart in charts:
        assert "<svg" in chart and 'role="img"' in chart and "aria-label=" in chart
        assert "<style" not in chart and "<script" not in chart and "style=" not in chart  # the CSP allows neither
    assert 'id="measurements"' in html and "Сводная ведомость" in html
    assert reverse("structure:order_detail", args=[data.experiment.order_id]) in html  # the order opens for the head
    assert response.context["history"]  # the change log


def test_the_staff_see_a_published_experiment_without_its_log(world, data):
    response = client_for(world, "teacher").get(url("experiment_detail", data.published.pk))
    assert response.status_code == 200 and not response.context["full"]
    html = response.content.decode()
    assert "Гипотеза подтверждена." in html
    assert 'id="measurements"' not in html and "history" not in response.context
    assert not any(response.context["can"].values())
    assert client_for(world, "teacher").get(url("experiment_detail", data.experiment.pk)).status_code == 404


def test_the_order_links_only_where_it_opens(world, data):
    """The external researcher of the other lab is named in its creation order; the order is linked for them. A
    researcher not named in an order sees its number without a link."""
    from structure.models import Order

    order = Order.objects.get(pk=data.experiment.order_id)
    html = client_for(world, "researcher").get(url("experiment_detail", data.experiment.pk)).content.decode()
    assert f"№ {order.registration_number}" in html  # the researcher is named in it (included by it)
    assert reverse("structure:order_detail", args=[order.pk]) in html


def test_unknown_ids_answer_404(world, data):
    client = client_for(world, "methodist")
    for name in (
        "experiment_detail",
        "experiment_edit",
        "experiment_pdf",
        "experiment_stage_edit",
        "experiment_indicator_edit",
        "experiment_measurement_add",
        "experiment_results",
    ):
        assert client.get(url(name, 999999)).status_code == 404, name


# ---------------------------------------------------------------- the programme


def programme_post(world, lab, order, **changes) -> dict:
    fields = {
        "lab": lab.pk if lab else "",
        "topic": "Проектное обучение",
        "hypothesis": "Если …, то …",
        "aim": "Проверить",
        "base_groups": "ТМ-25",
        "starts_on": f"{world.lab.created_on:%Y-%m-%d}",
        "ends_on": f"{world.today + datetime.timedelta(days=365):%Y-%m-%d}",  # not replace(year=): 29 February
        "order": order.pk if order else "",
    }
    return {**fields, **changes}


def test_the_head_creates_an_experiment_of_their_lab(world, data):
    response = client_for(world, "lab_head").post(
        url("experiment_add"), programme_post(world, world.lab, world.lab.created_by_order)
    )
    created = Experiment.objects.get(topic="Проектное обучение")
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    assert created.lab == world.lab and created.created_by == world.people["lab_head"]


def test_a_lab_the_user_does_not_head_is_refused(world, data):
    before = Experiment.objects.count()
    client = client_for(world, "lab_head")
    form = form_of(client.post(url("experiment_add"), programme_post(world, data.other_lab, None)))
    assert form.has_error("lab", "invalid_choice")
    form = form_of(client.post(url("experiment_add"), programme_post(world, world.association, None)))
    assert form.has_error("lab", "invalid_choice")
    # the methodist chooses any lab, but not another unit
    methodist = client_for(world, "methodist")
    form = form_of(methodist.post(url("experiment_add"), programme_post(world, world.council, None)))
    assert form.has_error("lab", "invalid_choice")
    assert Experiment.objects.count() == before


def test_an_order_not_for_the_lab_is_refused_on_its_field(world, data):
    # the head's choices hold only orders on their lab: another order is not even a choice
    client = client_for(world, "lab_head")
    form = form_of(client.post(url("experiment_add"), programme_post(world, world.lab, world.signed)))
    assert form.has_error("order", "invalid_choice")
    # the methodist's choices hold the orders of every lab: the service refuses the other lab's order
    methodist = client_for(world, "methodist")
    post = programme_post(world, world.lab, data.other_lab.created_by_order)
    form = form_of(methodist.post(url("experiment_add"), post))
    assert form.has_error("order", "order_not_for_lab")
    post = programme_post(world, world.lab, None, ends_on=f"{world.lab.created_on.replace(year=2000):%Y-%m-%d}")
    assert form_of(methodist.post(url("experiment_add"), post)).has_error("ends_on", "ends_before_start")
    assert not Experiment.objects.filter(topic="Проектное обучение").exists()


def test_the_programme_is_edited_and_its_period_must_hold_the_stages(world, data):
    client = client_for(world, "methodist")
    same = programme_post(world, None, world.lab.created_by_order, topic="Новая тема")
    same["ends_on"] = f"{data.experiment.ends_on:%Y-%m-%d}"
    assert form_of(client.post(url("experiment_edit", data.experiment.pk), same)).has_error("order", "programme_fixed")
    post = programme_post(world, None, amending_order(world), topic="Новая тема")
    post["ends_on"] = f"{data.stages[-1].starts_on:%Y-%m-%d}"
    form = form_of(client.post(url("experiment_edit", data.experiment.pk), post))
    assert form.has_error("ends_on", "stage_outside_period")  # the third stage ends 300 days on
    post["ends_on"] = f"{data.experiment.ends_on:%Y-%m-%d}"
    response = client.post(url("experiment_edit", data.experiment.pk), post)
    assert response.status_code == 302
    data.experiment.refresh_from_db()
    assert data.experiment.topic == "Новая тема" and data.experiment.lab == world.lab


def test_an_experiment_with_measurements_is_not_deleted(world, data):
    client = client_for(world, "methodist")
    response = client.post(url("experiment_delete", data.experiment.pk))
    assert response.status_code == 302 and Experiment.objects.filter(pk=data.experiment.pk).exists()
    Measurement.objects.filter(indicator__experiment=data.experiment).delete()
    response = client.post(url("experiment_delete", data.experiment.pk))
    assert response.url == url("experiment_list") and not Experiment.objects.filter(pk=data.experiment.pk).exists()


# ---------------------------------------------------------------- stages and indicators


def test_stages_are_added_edited_and_kept_with_their_measurements(world, data):
    client = client_for(world, "lab_head")
    first = data.stages[0]
    post = {
        "title": "Подготовительный",
        "starts_on": f"{first.starts_on:%Y-%m-%d}",
        "ends_on": f"{world.today:%Y-%m-%d}",
    }
    assert form_of(client.post(url("experiment_stage_edit", first.pk), post)).has_error("starts_on", "stages_overlap")
    response = client.post(url("experiment_stage_delete", first.pk))
    assert response.url == url("experiment_stage_edit", first.pk)  # kept: back to its page with the reason
    assert ExperimentStage.objects.filter(pk=first.pk).exists()
    last = data.stages[-1]
    assert client.post(url("experiment_stage_delete", last.pk)).status_code == 302
    assert not ExperimentStage.objects.filter(pk=last.pk).exists()
    post = {"title": "Обобщающий", "starts_on": f"{last.starts_on:%Y-%m-%d}", "ends_on": f"{last.ends_on:%Y-%m-%d}"}
    assert client.post(url("experiment_stage_add", data.experiment.pk), post).status_code == 302
    assert data.experiment.stages.get(title="Обобщающий").position == 3
    post["ends_on"] = "9999-12-31"
    assert form_of(client.post(url("experiment_stage_add", data.experiment.pk), post)).errors
    post["ends_on"] = "31.12.2026x"
    assert form_of(client.post(url("experiment_stage_add", data.experiment.pk), post)).has_error("ends_on")


@pytest.mark.parametrize(
    ("baseline", "target", "direction", "field", "code"),
    [
        ("80", "70", "higher", "target", "target_wrong_side"),
        ("24", "30", "lower", "target", "target_wrong_side"),
        ("1e309", "30", "higher", "baseline", "invalid"),
        ("NaN", "30", "higher", "baseline", "invalid"),
        ("inf", "30", "higher", "baseline", "invalid"),
        ("12,555", "30", "higher", "baseline", "max_decimal_places"),
        ("12345678901", "30", "higher", "baseline", "max_whole_digits"),
        ("1" * 1000, "30", "higher", "baseline", "invalid"),
        ("10", "30", "sideways", "direction", "invalid_choice"),
    ],
)
def test_an_indicators_bad_numbers_answer_on_their_field(world, data, baseline, target, direction, field, code):
    post = {"name": "Качество знаний", "unit": "%", "direction": direction, "baseline": baseline, "target": target}
    response = client_for(world, "lab_head").post(url("experiment_indicator_add", data.experiment.pk), post)
    assert form_of(response).has_error(field, code)
    assert not Indicator.objects.filter(name="Качество знаний").exists()


def test_an_indicator_takes_the_russian_decimal_comma(world, data):
    post = {"name": "Качество знаний", "unit": "%", "direction": "higher", "baseline": "38,5", "target": "1 050,25"}
    response = client_for(world, "lab_head").post(url("experiment_indicator_add", data.experiment.pk), post)
    assert response.status_code == 302
    created = Indicator.objects.get(name="Качество знаний")
    assert (created.baseline, created.target, created.higher_is_better) == (Decimal("38.5"), Decimal("1050.25"), True)
    page = client_for(world, "lab_head").get(url("experiment_indicator_edit", created.pk)).content.decode()
    assert 'value="38,5"' in page  # shown back as typed


# ---------------------------------------------------------------- measurements


def measurement_post(data, **changes) -> dict:
    fields = {
        "indicator": data.absences.pk,
        "value": "21",
        "measured_on": f"{data.experiment.starts_on:%Y-%m-%d}",
        "source": "Журнал посещаемости",
    }
    return {**fields, **changes}


def test_the_researcher_enters_a_measurement_with_the_decimal_comma(world, data):
    client = client_for(world, "researcher")
    page = client.get(url("experiment_measurement_add", data.experiment.pk) + f"?indicator={data.absences.pk}")
    assert page.context["form"].initial["indicator"] == data.absences.pk
    response = client.post(url("experiment_measurement_add", data.experiment.pk), measurement_post(data, value="20,5"))
    assert response.status_code == 302
    created = Measurement.objects.get(indicator=data.absences, value=Decimal("20.5"))
    assert created.entered_by == world.people["researcher"] and created.stage == data.stages[0]


@pytest.mark.parametrize("value", ["1e309", "NaN", "Infinity", "-inf", "12,5,5", "12.5e2", "двенадцать", "", "0x10"])
def test_a_value_that_is_not_a_number_is_refused(world, data, value):
    before = Measurement.objects.count()
    response = client_for(world, "lab_head").post(
        url("experiment_measurement_add", data.experiment.pk), measurement_post(data, value=value)
    )
    assert form_of(response).has_error("value")
    assert Measurement.objects.count() == before


def test_an_indicator_of_another_experiment_in_the_post_is_refused(world, data):
    from experience.services import lab as services

    foreign = services.indicator_add(
        experiment=data.published, by=world.people["methodist"], name="Чужой", baseline=1, target=2
    )
    before = Measurement.objects.count()
    response = client_for(world, "lab_head").post(
        url("experiment_measurement_add", data.experiment.pk), measurement_post(data, indicator=foreign.pk)
    )
    assert form_of(response).has_error("indicator", "invalid_choice")
    for bad in ("abc", "999999", ""):
        response = client_for(world, "lab_head").post(
            url("experiment_measurement_add", data.experiment.pk), measurement_post(data, indicator=bad)
        )
        assert form_of(response).has_error("indicator")
    assert Measurement.objects.count() == before
    for bad in ("abc", "99999999999999999999", "-1"):  # a bad ?indicator= preselects nothing
        page = client_for(world, "lab_head").get(
            url("experiment_measurement_add", data.experiment.pk) + f"?indicator={bad}"
        )
        assert page.status_code == 200


def test_a_date_outside_the_period_is_refused_on_its_field(world, data):
    client = client_for(world, "lab_head")
    before_start = f"{data.experiment.starts_on - datetime.timedelta(days=366):%Y-%m-%d}"
    form = form_of(
        client.post(
            url("experiment_measurement_add", data.experiment.pk), measurement_post(data, measured_on=before_start)
        )
    )
    assert form.has_error("measured_on", "outside_period")
    form = form_of(
        client.post(
            url("experiment_measurement_add", data.experiment.pk), measurement_post(data, measured_on="0001-01-01")
        )
    )
    assert form.has_error("measured_on", "outside_period")


def test_someone_outside_the_lab_cannot_open_the_form(world, data):
    for role, status in (("teacher", 404), ("methodist", 403), ("chair", 403)):
        response = client_for(world, role).post(
            url("experiment_measurement_add", data.experiment.pk), measurement_post(data)
        )
        assert response.status_code == status, role
    assert not Measurement.objects.filter(indicator=data.absences, measured_on=data.experiment.starts_on).exists()


def test_a_measurement_is_deleted_and_the_log_keeps_it(world, data):
    head_measurement = Measurement.objects.get(indicator=data.absences)
    researcher = client_for(world, "researcher")
    assert researcher.post(url("experiment_measurement_delete", head_measurement.pk)).status_code == 403
    assert researcher.post(url("experiment_measurement_delete", data.by_researcher.pk)).status_code == 302
    assert not Measurement.objects.filter(pk=data.by_researcher.pk).exists()
    page = client_for(world, "lab_head").get(url("experiment_detail", data.experiment.pk))
    assert any(row.action == "deleted" for row in page.context["history"])
    assert (
        client_for(world, "teacher").post(url("experiment_measurement_delete", head_measurement.pk)).status_code == 404
    )


# ---------------------------------------------------------------- results


def test_the_head_writes_and_publishes_the_results_then_the_staff_see_them(world, data):
    head, teacher = client_for(world, "lab_head"), client_for(world, "teacher")
    detail = url("experiment_detail", data.experiment.pk)
    head.post(url("experiment_publish", data.experiment.pk))  # nothing written: refused with a message
    data.experiment.refresh_from_db()
    assert not data.experiment.results_published
    response = head.post(url("experiment_results", data.experiment.pk), {"results": "Гипотеза подтверждается."})
    assert response.status_code == 302
    assert teacher.get(detail).status_code == 404  # a draft
    assert head.post(url("experiment_publish", data.experiment.pk)).status_code == 302
    page = teacher.get(detail)
    assert page.status_code == 200 and "Гипотеза подтверждается." in page.content.decode()
    assert head.post(url("experiment_unpublish", data.experiment.pk)).status_code == 302
    assert teacher.get(detail).status_code == 404
    assert client_for(world, "researcher").get(detail).status_code == 200


# ---------------------------------------------------------------- the PDF


def test_the_pdf_for_the_council(world, data):
    response = client_for(world, "chair").get(url("experiment_pdf", data.experiment.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "ОПЫТНО-ЭКСПЕРИМЕНТАЛЬНАЯ РАБОТА",
        "Цифровой тренажёр в профессиональном обучении",
        "Гипотеза",
        "ТМ-24, ТМ-25",
        f"№ {data.experiment.order.registration_number}",
        "1 Подготовительный",
        "Формирующий (текущий)",
        "Успеваемость, %",
        "чем больше, тем лучше",
        "чем меньше, тем лучше",
        "78 81,5 84 — 84",
        "50 %",
        "25 %",
        "Динамика показателей по этапам",
        "Этап 1",
        "Значение",
        "Базовое",
        "Целевое",
        "Результаты ещё не подведены.",
    ):
        assert expected in text, expected


def test_the_pdf_marks_draft_results_and_prints_published_ones(world, data):
    from experience.services import lab as services

    services.results_save(experiment=data.experiment, by=world.people["lab_head"], results="Промежуточные итоги.")
    text = pdf_text(client_for(world, "secretary").get(url("experiment_pdf", data.experiment.pk)).content)
    assert "Проект: результаты ещё не опубликованы" in text and "Промежуточные итоги." in text
    text = pdf_text(client_for(world, "teacher").get(url("experiment_pdf", data.published.pk)).content)
    assert "Гипотеза подтверждена." in text and "Проект" not in text
    assert client_for(world, "teacher").get(url("experiment_pdf", data.experiment.pk)).status_code == 404


def test_fields_the_forms_do_not_have_are_ignored(world, data):
    """A lab, an author or a publication slipped into a POST changes nothing: the forms take only their fields."""
    client = client_for(world, "lab_head")
    post = programme_post(world, None, amending_order(world), ends_on=f"{data.experiment.ends_on:%Y-%m-%d}")
    post.update({"lab": data.other_lab.pk, "created_by": world.people["teacher"].pk, "results_published": "on"})
    assert client.post(url("experiment_edit", data.experiment.pk), post).status_code == 302
    data.experiment.refresh_from_db()
    assert data.experiment.lab == world.lab and data.experiment.created_by == world.people["lab_head"]
    assert not data.experiment.results_published
    researcher = client_for(world, "researcher")
    post = measurement_post(data, entered_by=world.people["lab_head"].pk, stage=data.stages[-1].pk)
    assert researcher.post(url("experiment_measurement_add", data.experiment.pk), post).status_code == 302
    created = Measurement.objects.get(indicator=data.absences, measured_on=data.experiment.starts_on)
    assert created.entered_by == world.people["researcher"] and created.stage == data.stages[0]


def test_the_same_value_sent_twice_is_refused_the_second_time(world, data):
    client = client_for(world, "researcher")
    assert client.post(url("experiment_measurement_add", data.experiment.pk), measurement_post(data)).status_code == 302
    again = client.post(url("experiment_measurement_add", data.experiment.pk), measurement_post(data))
    assert form_of(again).has_error("measured_on", "measurement_duplicate")
    assert Measurement.objects.filter(indicator=data.absences, measured_on=data.experiment.starts_on).count() == 1


def test_markup_in_names_is_shown_as_text_in_the_page_and_the_charts(world, data):
    from experience.services import lab as services

    services.indicator_add(
        experiment=data.experiment,
        by=world.people["lab_head"],
        name='<script>alert("x")</script> & «доля»',
        unit="<b>%</b>",
        baseline=1,
        target=2,
    )
    html = client_for(world, "lab_head").get(url("experiment_detail", data.experiment.pk)).content.decode()
    assert "<script>alert" not in html and "<b>%</b>" not in html
    assert "&lt;script&gt;alert" in html
