"""A chart is drawn once for the same figures (attestation.charts keeps the last ones drawn in the process)."""

from __future__ import annotations

from unittest import mock

import pygal

from attestation import charts


def _distribution(counts):
    return charts.distribution(codes=["К1", "К2"], levels=[("1 — базовый", counts), ("2 — средний", [1, 1])], label="Д")


def test_the_same_figures_are_drawn_once_and_other_figures_again():
    charts.distribution.cache_clear()
    with mock.patch.object(pygal, "StackedBar", wraps=pygal.StackedBar) as drawn:
        first = _distribution([3, 4])
        again = _distribution((3, 4))  # a tuple or a list: the same figures
        other = _distribution([3, 5])
    assert drawn.call_count == 2
    assert first == again and first != other
    assert "<svg" in first and "<script" not in first
