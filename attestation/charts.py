"""The charts of diagnostics results as SVG (pygal): the radar of a profile, the dynamics over campaigns, the
distribution per competency; made self-contained by metodservice.common.charts (the portal's CSP).

Drawing a chart (pygal, then making its SVG self-contained) takes 60–200 ms, more than the rest of a results page;
a chart is a pure function of its numbers and labels, so each process keeps the last CHARTS_KEPT drawn (`_kept`)
and the same figures (a closed campaign's, a person's profile looked at again) are not drawn twice.
"""

from __future__ import annotations

from collections.abc import Sequence

import pygal
from django.utils.safestring import SafeString

from metodservice.common.charts import config as _config
from metodservice.common.charts import kept as _kept
from metodservice.common.charts import self_contained


def _short(code: str) -> str:
    return code


@_kept
def radar(
    *,
    codes: Sequence[str],
    self_levels: Sequence[float | None],
    expert_medians: Sequence[float | None],
    top_level: int,
    self_label: str,
    experts_label: str,
    label: str,
) -> SafeString:
    """Self-assessment against the experts' median, one axis per competency (its code)."""
    chart = pygal.Radar(
        **_config(
            width=560,
            height=520,
            fill=True,
            range=(0, top_level),
            dots_size=3,
            show_y_guides=True,
        )
    )
    chart.y_labels = list(range(0, top_level + 1))
    chart.x_labels = [_short(code) for code in codes]
    chart.add(self_label, list(self_levels))
    chart.add(experts_label, list(expert_medians))
    return self_contained(chart.render(is_unicode=True), label=label)


@_kept
def dynamics(
    *,
    campaigns: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    top_level: int,
    label: str,
) -> SafeString:
    """The experts' median of each competency over the campaigns: a line per competency."""
    chart = pygal.Line(
        **_config(
            width=720,
            height=420,
            range=(0, top_level),
            dots_size=3,
            legend_at_bottom_columns=6,
            allow_interruptions=True,
        )
    )
    chart.y_labels = list(range(0, top_level + 1))
    chart.x_labels = list(campaigns)
    for name, values in series:
        chart.add(name, list(values))
    return self_contained(chart.render(is_unicode=True), label=label)


@_kept
def distribution(
    *,
    codes: Sequence[str],
    levels: Sequence[tuple[str, Sequence[int]]],
    label: str,
) -> SafeString:
    """How many people are at each level, per competency: stacked bars (level names in the legend)."""
    chart = pygal.StackedBar(**_config(width=760, height=420, legend_at_bottom_columns=4, x_label_rotation=30))
    chart.x_labels = list(codes)
    for name, counts in levels:
        chart.add(name, list(counts))
    return self_contained(chart.render(is_unicode=True), label=label)
