"""Small-sample statistics for the dashboards: pure functions, no database.

Rates use the Wilson score interval (Wilson 1927; Newcombe 1998, method 3), which behaves at
0% and 100% and with small denominators, where the usual "p ± 1.96 SE" interval does not.
"""

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054  # two-sided 95%
# Below this many people a group's rate is shown but flagged as too few to compare.
MINIMUM_TO_COMPARE = 30


@dataclass(frozen=True)
class Rate:
    """A proportion with its numerator, denominator and 95% Wilson interval."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.numerator, self.denominator)

    @property
    def too_few(self) -> bool:
        return self.denominator < MINIMUM_TO_COMPARE


@dataclass(frozen=True)
class Mean:
    """A mean with its count and a normal-approximation 95% interval (needs 2 or more)."""

    value: float | None
    count: int
    sd: float | None = None

    @property
    def interval(self) -> tuple[float, float] | None:
        if self.value is None or self.sd is None or self.count < 2:
            return None
        half = Z_95 * self.sd / math.sqrt(self.count)
        return (self.value - half, self.value + half)

    @property
    def too_few(self) -> bool:
        return self.count < MINIMUM_TO_COMPARE


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for `successes` out of `n`, or None when n is 0."""
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def share(part: int, whole: int) -> float | None:
    """part ÷ whole, or None (never a division by zero) when whole is 0."""
    return part / whole if whole else None
