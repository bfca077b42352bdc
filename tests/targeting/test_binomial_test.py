"""The exact binomial test in SQL agrees with the textbook sum."""

from math import comb

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def upper_tail(x: int, n: int, p: float) -> float:
    return sum(comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(x, n + 1))


@pytest.mark.parametrize(
    ("x", "n", "p"),
    [(5, 10, 0.5), (12, 16, 1 / 3), (10, 14, 1 / 3), (0, 4, 0.2), (3, 3, 0.1), (40, 300, 1 / 7)],
)
def test_the_sql_upper_tail_matches_the_sum(x, n, p):
    with connection.cursor() as cursor:
        cursor.execute("SELECT targeting_binomial_upper(%s, %s, %s)", [x, n, p])
        (value,) = cursor.fetchone()

    assert value == pytest.approx(upper_tail(x, n, p), rel=1e-9, abs=1e-300)


def test_a_huge_count_underflows_to_zero_instead_of_failing():
    with connection.cursor() as cursor:
        cursor.execute("SELECT targeting_binomial_upper(3000, 3000, 0.01)")
        assert cursor.fetchone()[0] == 0
