"""A scoring run that fails part-way leaves the scores it would have replaced in place."""

import pytest

from targeting import scoring
from targeting.models import CrimeCategory, StreetScore, WardScore
from targeting.scoring import compute_scores

pytestmark = pytest.mark.django_db


def snapshot():
    streets = StreetScore.objects.order_by("street_id", "period").values_list(
        "street_id", "period", "score"
    )
    wards = WardScore.objects.order_by("ward_id", "period").values_list(
        "ward_id", "period", "score"
    )
    return list(streets), list(wards)


def test_a_failed_run_leaves_the_previous_scores(area, monkeypatch):
    compute_scores(forces=[area["force"]])
    before = snapshot()
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

    assert snapshot() == before
    monkeypatch.setattr(scoring, "_set_actions", real)
    compute_scores(forces=[area["force"]])
    assert snapshot() != before  # the new weights do change them, once a run succeeds
