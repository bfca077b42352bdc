"""A scoring run that fails part-way leaves no period half-scored.

Each period is scored in its own transaction (so a run over 36 months does not hold one
transaction for minutes): the periods finished before the failure have their new
scores, and the period that failed keeps every one of its previous scores.
"""

from datetime import date

import pytest

from targeting import scoring
from targeting.models import CrimeCategory, StreetScore, WardScore
from targeting.scoring import compute_scores

pytestmark = pytest.mark.django_db

JAN, MAR = date(2024, 1, 1), date(2024, 3, 1)


def before_of(whole, period):
    return tuple([row for row in rows if row[1] == period] for rows in whole)


def snapshot(period=None):
    streets = StreetScore.objects.order_by("street_id", "period")
    wards = WardScore.objects.order_by("ward_id", "period")
    if period is not None:
        streets, wards = streets.filter(period=period), wards.filter(period=period)
    return (
        list(streets.values_list("street_id", "period", "score")),
        list(wards.values_list("ward_id", "period", "score")),
    )


def test_a_failed_run_leaves_the_failed_periods_previous_scores(area, monkeypatch):
    compute_scores(forces=[area["force"]])
    before = snapshot()
    march_before = snapshot(MAR)
    CrimeCategory.objects.filter(slug="anti-social-behaviour").update(harm_weight=50)
    real = scoring._set_actions
    seen = []

    def fails_on_the_last_wards(cursor, kind, params):
        seen.append((kind, params["period"]))
        if len(seen) == 6:  # the March wards: January to March streets and wards done
            raise RuntimeError("the worker was killed")
        return real(cursor, kind, params)

    monkeypatch.setattr(scoring, "_set_actions", fails_on_the_last_wards)

    with pytest.raises(RuntimeError):
        compute_scores(forces=[area["force"]])

    # March (its streets were written before its wards failed) is as it was ...
    assert snapshot(MAR) == march_before
    # ... while January and February, each committed on its own, have the new weights.
    assert snapshot(JAN) != before_of(before, JAN)
    monkeypatch.setattr(scoring, "_set_actions", real)
    compute_scores(forces=[area["force"]])
    assert snapshot() != before  # the new weights do change them, once a run succeeds
