"""The arithmetic of the insight pages, free of the database so it is tested by hand.

- :func:`coverage_rows`: each group's share of the people counted (members, respondents)
  against its share of the population, as a ratio; a group is below target when the
  ratio is under the target (Leicestershire's rule: every group within 70% of its
  proportionate share).
- :func:`post_stratified_mean`: survey means weighted to the population by group
  (each group's mean counts in proportion to its share of the population; groups with
  no respondents drop out and the others' weights are scaled up to 1).
- :func:`fit_line` and :func:`outliers`: an ordinary least-squares line and the points
  whose residual is more than ``k`` times the residual standard error from it.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

DEFAULT_TARGET = 0.70
OUTLIER_K = 1.5  # residuals beyond 1.5 standard errors are called out in words


@dataclass(frozen=True)
class CoverageRow:
    group: Hashable
    population: int
    people: int
    population_share: float
    people_share: float
    ratio: float | None  # people share / population share; None with no population

    def below(self, target: float) -> bool:
        return self.ratio is not None and self.ratio < target


def coverage_rows(
    population: Mapping[Hashable, int], people: Mapping[Hashable, int]
) -> list[CoverageRow]:
    """Per group of the population, its share of the people against its share of the
    population. People in groups with no population are left out of both totals."""
    total_pop = sum(population.values())
    total_people = sum(people.get(g, 0) for g in population)
    rows = []
    for group, pop in population.items():
        n = people.get(group, 0)
        pop_share = pop / total_pop if total_pop else 0.0
        people_share = n / total_people if total_people else 0.0
        ratio = people_share / pop_share if pop_share else None
        rows.append(CoverageRow(group, pop, n, pop_share, people_share, ratio))
    return rows


@dataclass(frozen=True)
class Weighted:
    unweighted: float | None
    weighted: float | None
    n: int


def post_stratified_mean(
    population: Mapping[Hashable, int],
    sums: Mapping[Hashable, float],
    counts: Mapping[Hashable, int],
) -> Weighted:
    """The mean of answers weighted so each group counts as its share of the population.

    ``sums`` and ``counts`` are, per group, the total and the number of answers. Groups
    without answers drop out: the weights of the others are their population shares,
    scaled to add up to 1.
    """
    n = sum(counts.values())
    unweighted = sum(sums.values()) / n if n else None
    answered = {g: p for g, p in population.items() if counts.get(g, 0) > 0 and p > 0}
    pop = sum(answered.values())
    if not pop:
        return Weighted(unweighted, None, n)
    weighted = sum(p / pop * sums[g] / counts[g] for g, p in answered.items())
    return Weighted(unweighted, weighted, n)


@dataclass(frozen=True)
class Fit:
    intercept: float
    slope: float
    standard_error: float  # of the residuals, sqrt(SSR / (n - 2))

    def predict(self, x: float) -> float:
        return self.intercept + self.slope * x


def fit_line(points: Sequence[tuple[float, float]]) -> Fit | None:
    """Ordinary least squares of y on x; None with fewer than three points or one x."""
    n = len(points)
    if n < 3:
        return None
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    intercept = my - slope * mx
    ssr = sum((y - intercept - slope * x) ** 2 for x, y in points)
    return Fit(intercept, slope, math.sqrt(ssr / (n - 2)))


def outliers(
    points: Mapping[Hashable, tuple[float, float]], *, k: float = OUTLIER_K
) -> dict[Hashable, float]:
    """The keys whose point lies more than ``k`` residual standard errors off the fitted
    line, with their standardised residual (negative: below the line)."""
    fit = fit_line(list(points.values()))
    if fit is None or fit.standard_error == 0:
        return {}
    found = {}
    for key, (x, y) in points.items():
        z = (y - fit.predict(x)) / fit.standard_error
        if abs(z) > k:
            found[key] = z
    return found
