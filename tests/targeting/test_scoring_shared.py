"""A long scoring run shares its periods between two connections and scores as one does.

Outside a transaction, a run of ``scoring.SHARED_FROM`` periods or more scores every
other period on a second connection (the other core). Inside a transaction (as in the
other scoring tests) everything stays on the one connection, which alone sees its rows:
the two must give the same scores.
"""

from datetime import date

import pytest
from django.db import transaction

from targeting import scoring
from targeting.models import StreetScore, WardScore
from targeting.scoring import compute_scores
from tests.factories.targeting import hand_built_area, load_reference_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def committed_area(tiny_force) -> dict:
    load_reference_data()  # an earlier transactional test may have emptied the database
    return hand_built_area(tiny_force)


def scores() -> tuple[list, list]:
    fields = ("period", "score", "harm", "trend", "engagement", "rank_in_force", "actions")
    return (
        list(StreetScore.objects.order_by("street_id", "period").values_list("street_id", *fields)),
        list(WardScore.objects.order_by("ward_id", "period").values_list("ward_id", *fields)),
    )


def test_a_shared_run_scores_what_a_run_on_one_connection_scores(committed_area, monkeypatch):
    monkeypatch.setattr(scoring, "SHARED_FROM", 2)
    second = []
    real = scoring._Run.on_second_connection

    def on_second_connection(run, plans, fetched):
        second.extend(p.period for p in plans)
        return real(run, plans, fetched)

    monkeypatch.setattr(scoring._Run, "on_second_connection", on_second_connection)
    shared = compute_scores(forces=[committed_area["force"]])
    shared_scores = scores()
    with transaction.atomic():  # one connection: its own rows are seen by it alone
        alone = compute_scores(forces=[committed_area["force"]])

    assert second == [date(2024, 2, 1)]  # every other period, on the second connection
    assert [r.period for r in shared] == [r.period for r in alone]
    assert [(r.streets, r.wards) for r in shared] == [(r.streets, r.wards) for r in alone]
    assert shared_scores[0] and shared_scores[1]
    assert scores() == shared_scores
