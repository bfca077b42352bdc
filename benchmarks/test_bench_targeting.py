"""Crime import of each real month, and scoring every street and ward of the force."""

from __future__ import annotations

from datetime import date

import pytest

from demo.geography import police_street_files
from targeting.importers.crimes import import_crimes
from targeting.scoring import compute_scores

pytestmark = pytest.mark.django_db
MONTHS = police_street_files()


@pytest.mark.parametrize("path", MONTHS, ids=[p.name[:7] for p in MONTHS])
def test_import_one_month_of_crimes(benchmark, path):
    # Each round replaces the month it imported the round before: the re-import path.
    summary = benchmark.pedantic(import_crimes, args=([path],), rounds=3, iterations=1)
    assert summary.imported > 7000


def test_import_four_months_at_once(benchmark):
    summary = benchmark.pedantic(import_crimes, args=(MONTHS,), rounds=2, iterations=1)
    assert summary.imported == 32_557


@pytest.fixture
def three_months():
    import_crimes(MONTHS[:3])


def test_score_one_period(benchmark, three_months):
    results = benchmark.pedantic(compute_scores, args=([date(2024, 3, 1)],), rounds=3)
    assert results[0].wards == 81


def test_score_three_periods(benchmark, three_months):
    results = benchmark.pedantic(compute_scores, rounds=2)
    assert len(results) == 3
