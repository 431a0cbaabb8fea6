"""Charts made self-contained (metodservice.common.charts): the compiled style sheet is kept per process and shared
by charts of one style, which must come out exactly as if each had compiled its own."""

from __future__ import annotations

import re

import pygal

from metodservice.common import charts


def _chart(values: list[float]) -> str:
    chart = pygal.Bar(**charts.config(title="Показатель"))
    chart.add("Самооценка", values)
    chart.add("Эксперты", [v + 1 for v in values])
    return chart.render(is_unicode=True)


def _without_id(svg: str) -> str:
    return re.sub(r'id="chart-[^"]+"', 'id="chart-X"', svg)


def test_charts_of_one_style_share_the_compiled_sheet_and_come_out_as_alone():
    charts._matcher.cache_clear()
    first = charts.self_contained(_chart([1, 2, 3]), label="Первая")
    second_svg = _chart([3, 2, 1])
    shared = charts.self_contained(second_svg, label="Вторая")
    assert charts._matcher.cache_info().hits >= 1
    charts._matcher.cache_clear()
    alone = charts.self_contained(second_svg, label="Вторая")
    assert shared == alone
    # The style reached the elements, and each chart keeps its own id.
    assert 'fill="#0072B2"' in shared or 'fill="#0072b2"' in shared.lower()
    ids = [re.search(r'id="(chart-[^"]+)"', svg).group(1) for svg in (first, shared)]
    assert ids[0] != ids[1]
    assert "<style" not in shared and "<script" not in shared
    assert _without_id(first) != _without_id(shared)  # different data, different drawing
