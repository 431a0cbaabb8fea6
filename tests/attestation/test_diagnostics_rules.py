"""The arithmetic of diagnostics results (attestation/diagnostics.py) as a table of cases worked out by hand.

A row reads «self level, the experts' levels, the previous median (the person's earlier campaign) give this median
and these flags». GAP = 2 (self and the experts' median differ by 2 levels or more), DEFICIT_LEVEL = 1 (a median at
or below 1, or a drop since the previous campaign), strength = the scale's top (3 on the default 0–3 scale).
No database and no clock.
"""

from __future__ import annotations

import pytest

from attestation.diagnostics import DEFICIT_LEVEL, GAP, competency_result, experts_median


def test_the_thresholds_are_those_the_issue_names():
    assert GAP == 2
    assert DEFICIT_LEVEL == 1


@pytest.mark.parametrize(
    ("levels", "median"),
    [
        ((), None),  # no expert: no median (not 0)
        ((2,), 2.0),  # one expert: their level
        ((0,), 0.0),
        ((1, 2), 1.5),  # two experts: the mean of the two
        ((3, 0), 1.5),
        ((2, 2), 2.0),
        ((3, 1, 2), 2.0),  # three: the middle one, whatever the order
        ((0, 3, 3), 3.0),
        ((1, 1, 3), 1.0),
        ((0, 1, 2, 3), 1.5),  # four: the mean of the two middle ones
    ],
)
def test_experts_median(levels, median):
    assert experts_median(levels) == median


# self, experts, previous median → median, gap, deficit, dropped, strength
ROWS = [
    # -- the gap: |self − median| ≥ 2
    pytest.param(3, (1,), None, 1.0, True, True, False, False, id="gap exactly 2 (3 vs 1), median 1 is a deficit"),
    pytest.param(2, (1,), None, 1.0, False, True, False, False, id="a difference of 1 is no gap"),
    pytest.param(0, (2,), None, 2.0, True, False, False, False, id="gap downwards (self 0, experts 2)"),
    pytest.param(3, (1, 2), None, 1.5, False, False, False, False, id="3 vs 1.5: 1.5 levels, no gap"),
    pytest.param(3, (0, 2), None, 1.0, True, True, False, False, id="3 vs the median 1 of 0 and 2: gap"),
    pytest.param(0, (3,), None, 3.0, True, False, False, True, id="gap 3 and a strength"),
    pytest.param(None, (1,), None, 1.0, False, True, False, False, id="no self-assessment: no gap"),
    # -- the deficit: median ≤ 1
    pytest.param(1, (1,), None, 1.0, False, True, False, False, id="median exactly 1: deficit"),
    pytest.param(2, (0,), None, 0.0, True, True, False, False, id="median 0: deficit"),
    pytest.param(2, (1, 2), None, 1.5, False, False, False, False, id="median 1.5: no deficit"),
    pytest.param(2, (2,), None, 2.0, False, False, False, False, id="median 2, no previous campaign: nothing"),
    # -- the drop since the previous campaign
    pytest.param(2, (2,), 3.0, 2.0, False, True, True, False, id="2 after 3: a drop is a deficit at 2"),
    pytest.param(2, (2,), 2.0, 2.0, False, False, False, False, id="2 after 2: no drop"),
    pytest.param(2, (2,), 1.0, 2.0, False, False, False, False, id="2 after 1: a rise"),
    pytest.param(2, (1, 2), 2.0, 1.5, False, True, True, False, id="1.5 after 2: a drop of half a level"),
    pytest.param(1, (1,), 2.0, 1.0, False, True, True, False, id="1 after 2: deficit both ways"),
    pytest.param(3, (3,), 3.0, 3.0, False, False, False, True, id="3 after 3: a strength kept"),
    # -- no experts: nothing is flagged, whatever the self level and the previous median
    pytest.param(0, (), None, None, False, False, False, False, id="no experts, self 0"),
    pytest.param(3, (), 2.0, None, False, False, False, False, id="no experts, previous 2"),
    pytest.param(None, (), None, None, False, False, False, False, id="nothing at all"),
]


@pytest.mark.parametrize(("self_level", "experts", "previous", "median", "gap", "deficit", "dropped", "strength"), ROWS)
def test_competency_result(self_level, experts, previous, median, gap, deficit, dropped, strength):
    result = competency_result(self_level=self_level, expert_levels=experts, previous_median=previous)
    assert result.median == median
    assert (result.gap, result.deficit, result.dropped, result.strength) == (gap, deficit, dropped, strength)
    assert result.self_level == self_level
    assert result.expert_levels == tuple(experts)
    assert result.previous_median == previous


def test_strength_is_the_top_of_the_frameworks_scale():
    assert competency_result(self_level=None, expert_levels=(3,), top_level=4).strength is False
    assert competency_result(self_level=None, expert_levels=(4, 4), top_level=4).strength is True
    assert competency_result(self_level=None, expert_levels=(3, 4), top_level=4).strength is False  # median 3.5
