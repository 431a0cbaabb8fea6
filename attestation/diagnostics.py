"""The arithmetic of diagnostics results, as pure functions of levels (no database, no clock), so that anyone can
check them against cases worked out by hand (tests/attestation/test_diagnostics_rules.py).

Self and expert results are kept apart, never averaged into one. For one person and one competency in a campaign:

- `experts_median`: the median of the submitted expert levels (several experts: each is shown, and their median);
- `gap`: the self-assessment and the experts' median differ by GAP levels or more;
- `deficit`: the experts' median is at most DEFICIT_LEVEL, or it dropped since the person's previous campaign with the
  same competency (a year-over-year drop);
- `strength`: the experts' median is the scale's top level.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

#: Self and experts differ by this many levels or more: flagged.
GAP = 2
#: An expert level at or below this is a deficit.
DEFICIT_LEVEL = 1


def experts_median(levels: Sequence[int]) -> float | None:
    """The median of the experts' levels; None without any. Two experts at 1 and 2 give 1.5."""
    return float(statistics.median(levels)) if levels else None


@dataclass(frozen=True)
class CompetencyResult:
    self_level: int | None
    expert_levels: tuple[int, ...]
    median: float | None
    previous_median: float | None
    gap: bool
    deficit: bool
    dropped: bool
    strength: bool


def competency_result(
    *,
    self_level: int | None,
    expert_levels: Sequence[int],
    previous_median: float | None = None,
    top_level: int = 3,
) -> CompetencyResult:
    """One competency's result: the self level, each expert's level and their median, the flags."""
    median = experts_median(expert_levels)
    gap = self_level is not None and median is not None and abs(self_level - median) >= GAP
    dropped = median is not None and previous_median is not None and median < previous_median
    deficit = median is not None and (median <= DEFICIT_LEVEL or dropped)
    strength = median is not None and median >= top_level
    return CompetencyResult(
        self_level=self_level,
        expert_levels=tuple(expert_levels),
        median=median,
        previous_median=previous_median,
        gap=gap,
        deficit=deficit,
        dropped=dropped,
        strength=strength,
    )
