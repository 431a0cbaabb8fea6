"""The benchmark's own parts (bench/run.py, measure.py, report.py, forms.py, urls.py), on the small test college.

What the benchmark finds to measure for each role, that its statistics and its flags say what issue 13's targets
mean, that the floor view costs one query of its own and is not in the product's URLs, and that the load run's
writes go through the real forms. Nothing here is timed.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from bench import measure, report
from bench.forms import fill, form_fields
from metodservice.navigation import menu_for
from planning.models import ItemStatus
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world(planning=True)]


# ---------------------------------------------------------------- discovery


def test_each_role_gets_its_dashboard_and_its_menu_and_a_detail_page_of_each_kind(world) -> None:
    roles = measure.accounts(["director", "methodist", "teacher", "researcher"])
    assert [role for role, _user in roles] == ["director", "methodist", "teacher", "researcher"]

    found = measure.discover(roles)

    for role, user in roles:
        menu = [item["url"] for area in menu_for(user, "") for item in area.items]
        main = found.main_of(role)
        assert [target.url for target in main] == ["/", *menu], role
        assert main[0].view == "dashboard" and main[0].label == "Dashboard"
    researcher = {target.view for target in found.main_of("researcher")}
    assert "structure:person_list" not in researcher and "experience:experiment_list" in researcher
    labels = {target.view: target.label for target in found.main_of("methodist")}
    assert labels["planning:plan_list"] == "Plans"  # the menu's label, in English

    # One page of each kind of detail the list pages link to, measured by the first role that reaches it.
    assert {
        "structure:order_detail",
        "structure:person_detail",
        "structure:unit_detail",
        "planning:plan_detail",
        "planning:meeting_detail",
    } <= set(found.details)
    assert found.details["planning:plan_detail"].role == "director"
    assert all(resolve(target.url).view_name == view for view, target in found.details.items())
    # The downloads the main and the detail pages show, apart from the pages.
    assert {"structure:people_export", "planning:decisions_xlsx", "planning:plan_xlsx"} <= set(found.exports)
    assert {"structure:order_pdf", "planning:plan_pdf"} <= set(found.documents)
    # The load run's mix: each role's own detail pages, none it may not open.
    assert {page["name"] for page in found.details_of["teacher"]} >= {"planning:plan_detail"}
    lab_only = {"structure:order_detail", "structure:unit_detail", "planning:plan_detail", "planning:meeting_detail"}
    assert {page["name"] for page in found.details_of["researcher"]} <= lab_only | {"experience:experiment_detail"}


def test_the_kind_of_a_url_is_read_from_its_route(world) -> None:
    assert measure.kind_of("/structure/people/12/") == ("detail", "structure:person_detail")
    assert measure.kind_of("/structure/people/12/edit/") is None
    assert measure.kind_of("/structure/people/export/?q=x") == ("export", "structure:people_export")
    assert measure.kind_of("/planning/plans/3/pdf/") == ("document", "planning:plan_pdf")
    assert measure.kind_of("/experience/items/3/card.pdf") == ("document", "experience:item_card_pdf")
    assert measure.kind_of("/planning/plans/") is None
    assert measure.kind_of("/nowhere/") is None


def test_links_are_internal_paths_without_fragments() -> None:
    html = (
        '<a href="/planning/plans/5/#item-3">a</a><a href="edit/">b</a><a href="https://example.org/">c</a>'
        '<a href="#top">d</a><a href="/accounts/logout/">e</a><a href="/planning/plans/5/">again</a>'
        '<a href="?page=2">next</a>'
    )
    assert measure.links_of(html, "/structure/people/12/") == [
        "/planning/plans/5/",
        "/structure/people/12/edit/",
        "/structure/people/12/?page=2",
    ]


# ---------------------------------------------------------------- statistics


def test_median_p95_and_the_ratio() -> None:
    samples = [float(n) for n in range(1, 21)]  # 1 … 20
    assert report.median(samples) == 10.5
    assert report.p95(samples) == 19.0  # nearest rank: the 19th of 20
    assert report.percentile(samples, 0.5) == 10.0
    assert report.p95([3.0]) == 3.0
    assert report.p95([5.0, 1.0, 100.0, 2.0]) == 100.0  # one slow request of four is the p95
    assert report.ratio(30.0, 6.0) == 5.0
    assert report.ratio(30.0, 0.0) is None and report.ratio(None, 6.0) is None
    assert report.summary([0.010, 0.020, 0.030]) == {"median_ms": 20.0, "p95_ms": 30.0, "n": 3}
    with pytest.raises(ValueError):
        report.p95([])


# ---------------------------------------------------------------- the report


def _page(key: str, role: str, queries: int, median_ms: float, x_floor: float, status: int = 200) -> dict:
    view = key.split("|")[0]
    return {"key": key, "kind": "main", "view": view, "role": role, "label": view, "url": "/", "status": status,
            "queries": queries, "median_ms": median_ms, "p95_ms": median_ms * 1.2, "x_floor": x_floor, "kb": 10.0}  # fmt: skip


def _result() -> dict:
    floor = {"median_ms": 6.0, "p95_ms": 7.0, "queries": 5}
    document = {"key": "planning:plan_pdf", "kind": "document", "view": "planning:plan_pdf", "role": "teacher",
                "label": "planning:plan_pdf", "status": 302, "answer": "job page", "queries": 9, "median_ms": 60.0,
                "p95_ms": 70.0, "layout_ms": 900.0, "weasyprint_ms": 880.0}  # fmt: skip
    college = {
        "floor": floor,
        "pages": [
            _page("dashboard|teacher", "teacher", 10, 30.0, 5.0),
            _page("structure:overview|teacher", "teacher", 8, 56.0, 9.3),
            _page("planning:plan_list|teacher", "teacher", 9, 40.0, 6.7),
        ],
        "exports": [{**_page("structure:people_export", "director", 13, 105.0, 17.5), "kind": "export"}],
        "documents": [{**document, "x_weasyprint": 1.09}],
    }
    region = {
        "floor": floor,
        "pages": [
            _page("dashboard|teacher", "teacher", 10, 57.0, 9.5),
            _page("structure:overview|teacher", "teacher", 8, 513.0, 85.5),
            _page("planning:plan_list|teacher", "teacher", 13, 48.0, 8.0),
        ],
        "exports": [{**_page("structure:people_export", "director", 67, 1134.0, 189.0), "kind": "export"}],
        "documents": [{**document, "median_ms": 2000.0, "x_weasyprint": 3.34}],
    }
    load = {"scale": "region", "server": "gunicorn, 2 workers × 4 threads (gthread)", "users": 16, "seconds": 60,
            "mix": {"requests": 600, "rps": 10.0, "p50_ms": 585, "p95_ms": 1200, "p99_ms": 1600, "failures": 0},
            "floor": {"requests": 6000, "rps": 100.0, "p50_ms": 40, "p95_ms": 90, "p99_ms": 120, "failures": 0},
            "share_of_floor": 0.1}  # fmt: skip
    return {"machine": {"cpu": "Test CPU", "cores": 2}, "options": {"requests": 20, "warmup": 3, "doc_requests": 5},
            "scales": {"region": region, "college": college}, "load": load}  # fmt: skip


def _row(markdown: str, start: str) -> str:
    return next(line for line in markdown.splitlines() if line.startswith(start))


def test_the_report_flags_the_rows_that_miss_the_targets(tmp_path) -> None:
    md_path, json_path = report.write(_result(), tmp_path)
    text = md_path.read_text(encoding="utf-8")

    # the scales in their order, whatever the order of the JSON
    assert "| page | role | queries college / region | median ms college / region |" in text
    assert _row(text, "| dashboard |").endswith("|  |")  # within every target
    overview = _row(text, "| structure:overview |")
    assert "| 8 / 8 | 56 / 513 |" in overview and "85.5" in overview and "**> 10× floor**" in overview
    plans = _row(text, "| planning:plan_list |")
    assert "**queries differ: 9 → 13; > 12 queries**" in plans
    assert "## Pages (3, 2 flagged)" in text
    export = _row(text, "| structure:people_export |")
    assert "queries differ: 13 → 67" in export and "> 1 s" in export
    document = _row(text, "| planning:plan_pdf |")
    assert "job page / job page" in document and "> 1.3× WeasyPrint" in document and "status" not in document
    assert "| the mix of main pages and writes | 600 | 10.0 | 585 |" in text
    assert "The mix's throughput is 10% of the floor's." in text
    assert "**throughput < 25% of the floor's**" in text

    assert json.loads(json_path.read_text(encoding="utf-8")) == _result()


def test_a_document_laid_out_in_the_request_and_a_failing_page_are_flagged() -> None:
    result = _result()
    result["scales"]["region"]["documents"][0].update(status=200, answer="PDF", x_weasyprint=1.0)
    result["scales"]["region"]["pages"][0]["status"] = 500
    result["load"]["mix"]["failures"] = 3
    text = report.markdown(result)
    assert "laid out in the request" in _row(text, "| planning:plan_pdf |")
    assert "**region: status 500**" in _row(text, "| dashboard |")
    assert "mix: 3 errors" in text


def test_the_floor_runs_before_and_after_the_mix_and_a_drift_between_them_is_flagged() -> None:
    """The floor alone before and after the mix: its throughput is their mean, and two floors that disagree by
    more than a quarter (the machine's speed drifted) say the share is not to be trusted."""
    from bench.run import floor_share

    result = _result()
    load = result["load"]
    del load["floor"]
    load["floor_before"] = {"requests": 3000, "rps": 100.0, "p50_ms": 40, "p95_ms": 90, "p99_ms": 120, "failures": 0}
    load["floor_after"] = {"requests": 1500, "rps": 50.0, "p50_ms": 80, "p95_ms": 150, "p99_ms": 200, "failures": 0}
    load.update(floor_share(load))
    assert (load["floor_rps"], load["floor_drift"], load["share_of_floor"]) == (75.0, 0.5, 0.133)
    text = report.markdown(result)
    assert "| the floor alone, before the mix | 3000 | 100.0 |" in text
    assert "| the floor alone, after the mix | 1500 | 50.0 |" in text
    assert "The mix's throughput is 13% of the floor's (the floor: 75.0 req/s, the mean of its two runs)." in text
    assert "the floor's runs before and after the mix differ by 50%: the share is not to be trusted" in text
    load["floor_after"]["rps"] = 90.0
    load.update(floor_share(load))
    assert "not to be trusted" not in report.markdown(result)


# ---------------------------------------------------------------- the floor view


def test_the_floor_makes_one_query_of_its_own_and_renders_the_layout(world, settings) -> None:
    settings.ROOT_URLCONF = "bench.urls"
    client = client_for(world, "teacher")
    client.get("/bench/floor/")  # the session renewed, if it is due
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bench/floor/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<main id="main"' in html and world.people["teacher"].short_name in html
    framework = ("django_session", "structure_user", "SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT")
    own = [query["sql"] for query in queries.captured_queries if not any(word in query["sql"] for word in framework)]
    assert len(own) == 1 and "structure_person" in own[0]


def test_the_floor_is_not_in_the_products_urls() -> None:
    with pytest.raises(Resolver404):
        resolve("/bench/floor/")
    assert resolve("/bench/floor/", urlconf="bench.urls").url_name == "bench_floor"
    assert resolve("/planning/plans/", urlconf="bench.urls").view_name == "planning:plan_list"


# ---------------------------------------------------------------- the load run's writes


def test_the_writes_go_through_the_real_forms(world) -> None:
    roles = measure.accounts(["teacher"])
    writes = measure._write_targets(roles)["teacher"]
    assert {write["kind"] for write in writes} == {"mark_item", "mark_decision"}

    client = client_for(world, "teacher")
    for write in writes:
        page = client.get(write["url"])
        fields = form_fields(page.content.decode(), write["url"])
        assert fields is not None and any(name == "csrfmiddlewaretoken" for name, _value in fields)
        response = client.post(write["url"], urlencode(fill(write["kind"], fields)),
                               content_type="application/x-www-form-urlencoded")  # fmt: skip
        assert response.status_code == 302, write
    world.teacher_item.refresh_from_db()
    assert world.teacher_item.status == ItemStatus.DONE and world.teacher_item.report


def test_a_form_is_read_as_a_browser_sends_it() -> None:
    html = """<form method="post" action="/accounts/logout/"><input type="hidden" name="csrfmiddlewaretoken" value="x"></form>
    <form method="post" enctype="multipart/form-data"><input type="hidden" name="csrfmiddlewaretoken" value="t">
    <select name="status"><option value="planned">planned</option><option value="done" selected>done</option></select>
    <select name="responsible" multiple><option value="1" selected>A</option><option value="2">B</option>
    <option value="3" selected>C</option></select><select name="direction"><option value="7">7</option></select>
    <textarea name="report">
Было</textarea><input type="checkbox" name="another"><input type="checkbox" name="agree" checked>
    <input type="file" name="evidence_file"><input name="evidence_link" value="http://x/"><button type="submit">OK</button>
    </form>"""  # noqa: E501
    fields = form_fields(html, "/planning/plans/1/items/2/mark/")
    assert fields == [
        ("csrfmiddlewaretoken", "t"),
        ("status", "done"),
        ("responsible", "1"),
        ("responsible", "3"),
        ("direction", "7"),
        ("report", "Было"),
        ("agree", "on"),
        ("evidence_link", "http://x/"),
    ]
    assert ("report", "Было") in fill("mark_item", fields)
    assert ("report", "Выполнено (нагрузочный тест)") in fill("mark_item", [("report", "")])
