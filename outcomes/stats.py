"""Small-sample statistics for the dashboards: pure functions, no database.

Rates use the Wilson score interval (Wilson 1927; Newcombe 1998, method 3), which behaves at
0% and 100% and with small denominators, where the usual "p ± 1.96 SE" interval does not.
The difference between two rates uses Newcombe's hybrid score interval (Newcombe 1998,
method 10), built from the two Wilson intervals. Means use Student's t with n - 1 degrees of
freedom, not 1.96: with 10 people the interval is 15% wider than the normal one.
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
class Difference:
    """One rate less another (first - second), with Newcombe's 95% hybrid score interval."""

    first: Rate
    second: Rate

    @property
    def value(self) -> float | None:
        if self.first.value is None or self.second.value is None:
            return None
        return self.first.value - self.second.value

    @property
    def interval(self) -> tuple[float, float] | None:
        return newcombe_interval(
            self.first.numerator,
            self.first.denominator,
            self.second.numerator,
            self.second.denominator,
        )

    @property
    def too_few(self) -> bool:
        return self.first.too_few or self.second.too_few


@dataclass(frozen=True)
class Mean:
    """A mean with its count and a 95% interval from Student's t (needs 2 or more)."""

    value: float | None
    count: int
    sd: float | None = None

    @property
    def interval(self) -> tuple[float, float] | None:
        if self.value is None or self.sd is None or self.count < 2:
            return None
        half = t_quantile(0.975, self.count - 1) * self.sd / math.sqrt(self.count)
        return (self.value - half, self.value + half)

    @property
    def too_few(self) -> bool:
        return self.count < MINIMUM_TO_COMPARE


def mean_from_sums(count: int, total, squares) -> Mean:
    """A mean and its sample standard deviation from a count, a sum and a sum of squares
    (what a database aggregate returns, and what adds up across groups)."""
    if not count:
        return Mean(value=None, count=0)
    mean = float(total) / count
    sd = None
    if count >= 2:
        sd = math.sqrt(max(0.0, (float(squares) - count * mean**2) / (count - 1)))
    return Mean(value=mean, count=count, sd=sd)


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


def newcombe_interval(
    x1: int, n1: int, x2: int, n2: int, z: float = Z_95
) -> tuple[float, float] | None:
    """Newcombe's hybrid score interval for x1/n1 - x2/n2 (Newcombe 1998, method 10): each
    limit combines the distances from each proportion to its own Wilson limit. None when
    either denominator is 0."""
    first, second = wilson_interval(x1, n1, z), wilson_interval(x2, n2, z)
    if first is None or second is None:
        return None
    p1, p2 = x1 / n1, x2 / n2
    (l1, u1), (l2, u2) = first, second
    difference = p1 - p2
    below = math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    above = math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return (max(-1.0, difference - below), min(1.0, difference + above))


def _incomplete_beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the regularised incomplete beta function (modified Lentz)."""
    tiny, qab, qap, qam = 1e-300, a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 300):
        m2 = 2 * m
        for numerator in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return result


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b), for 0 <= x <= 1."""
    if not 0.0 <= x <= 1.0:
        raise ValueError("x must be between 0 and 1")
    if x in (0.0, 1.0):
        return x
    log_front = (
        math.lgamma(a + b)
        - math.lgamma(a)
        - math.lgamma(b)
        + a * math.log(x)
        + b * math.log(1.0 - x)
    )
    front = math.exp(log_front)
    # The fraction converges quickly on this side of the mean; use the symmetry otherwise.
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _incomplete_beta_fraction(a, b, x) / a
    return 1.0 - front * _incomplete_beta_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: int) -> float:
    """P(T <= t) for Student's t with `df` degrees of freedom."""
    if df < 1:
        raise ValueError("degrees of freedom must be 1 or more")
    tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def t_quantile(p: float, df: int) -> float:
    """The t such that P(T <= t) = p, found by bisection on the exact distribution function
    (to about 1e-12: far finer than the dashboard shows)."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must be between 0 and 1")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        low, high = high, high * 2
    for _ in range(200):
        middle = (low + high) / 2
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2


def share(part: int, whole: int) -> float | None:
    """part ÷ whole, or None (never a division by zero) when whole is 0."""
    return part / whole if whole else None
