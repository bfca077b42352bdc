"""Scoring runs are recorded, and the nightly run is made once a day however often it is sent."""

from datetime import date

import pytest

from targeting import services
from targeting.models import ScoringRun, WardScore

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 1)


def test_the_nightly_run_sent_twice_on_one_day_scores_once(area):
    first = services.scores_compute_latest(day=DAY)
    computed = set(WardScore.objects.values_list("computed_at", flat=True))

    second = services.scores_compute_latest(day=DAY)

    assert [r.period for r in first] == [date(2024, 3, 1)]
    assert second == []
    assert set(WardScore.objects.values_list("computed_at", flat=True)) == computed
    run = ScoringRun.objects.get()
    assert (run.key, run.status, run.periods) == ("latest:2026-12-01", "succeeded", ["2024-03-01"])


def test_the_next_days_nightly_run_scores_again(area):
    services.scores_compute_latest(day=DAY)

    assert services.scores_compute_latest(day=date(2026, 12, 2))
    assert ScoringRun.objects.filter(status="succeeded").count() == 2


def test_a_failed_nightly_run_gives_its_slot_back_so_a_retry_scores(area, monkeypatch):
    real = services.compute_scores

    def killed(periods):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "compute_scores", killed)
    with pytest.raises(RuntimeError):
        services.scores_compute_latest(day=DAY)
    failed = ScoringRun.objects.get()
    assert failed.status == "failed" and "the database went away" in failed.message

    monkeypatch.setattr(services, "compute_scores", real)
    assert services.scores_compute_latest(day=DAY)
    run = ScoringRun.objects.get()
    assert (run.status, run.attempts, run.message) == ("succeeded", 2, "")


def test_runs_asked_for_by_imports_and_by_hand_are_each_made(area):
    services.scores_compute_from(first=date(2024, 2, 1))
    services.scores_compute(periods=[date(2024, 3, 1)])

    assert list(ScoringRun.objects.order_by("id").values_list("key", "periods")) == [
        (None, ["2024-02-01", "2024-03-01"]),
        (None, ["2024-03-01"]),
    ]


def test_without_crime_data_the_nightly_run_records_nothing(tiny_force):
    assert services.scores_compute_latest(day=DAY) == []
    assert not ScoringRun.objects.exists()
