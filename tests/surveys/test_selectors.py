"""The aggregates the targeting app reads: priority shares and confidence, per street."""

from datetime import UTC, datetime

import pytest
from django.contrib.gis.geos import Point

from areas.models import Street
from surveys.selectors import confidence_means, priority_shares
from tests.factories.surveys import bulk_responses, round_at

pytestmark = pytest.mark.django_db

START, END = datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 7, 1, tzinfo=UTC)


@pytest.fixture
def answers(tiny_force):
    riverside = tiny_force["riverside"]
    street = Street.objects.create(
        name="Mill Lane", ward=riverside, geometry=Point(100200, 101200, srid=27700),
        source=Street.Source.POLICE_UK,
    )  # fmt: skip
    q1 = round_at(2025, 1)
    bulk_responses(ward=riverside, round_=q1, count=3, street=street,
                   scales={"trust": 2, "confidence": 4}, priorities=["drugs", "burglary"],
                   concerns=["drugs", "violence"])  # fmt: skip
    bulk_responses(ward=riverside, round_=q1, count=2, scales={"trust": 5},
                   concerns=["burglary"])  # fmt: skip
    bulk_responses(ward=riverside, round_=q1, count=4, scales={"trust": 1}, submitted=False)
    bulk_responses(ward=tiny_force["docks"], round_=round_at(2024, 4), count=2,
                   scales={"trust": 1})  # fmt: skip
    return street


def test_priority_shares_count_each_respondent_once_per_priority(tiny_force, answers):
    rows = priority_shares(wards=[tiny_force["riverside"]], start=START, end=END)

    by = {(r["street_id"], r["slug"]): r for r in rows}
    drugs = by[(answers.pk, "drugs")]
    assert (drugs["respondents"], drugs["mentions"]) == (3, 3)
    assert (drugs["ranked"], drugs["first"], drugs["concerned"]) == (3, 3, 3)
    assert by[(answers.pk, "violence")]["mentions"] == 3
    assert by[(answers.pk, "burglary")]["first"] == 0
    assert by[(None, "burglary")] | {} == {
        "ward_id": tiny_force["riverside"].pk, "street_id": None, "slug": "burglary",
        "respondents": 2, "mentions": 2, "ranked": 0, "first": 0, "concerned": 2,
    }  # fmt: skip
    assert by[(None, "drugs")]["mentions"] == 0


def test_priority_shares_leave_out_drafts_and_answers_outside_the_window(tiny_force, answers):
    rows = priority_shares(start=START, end=END)

    assert {r["ward_id"] for r in rows} == {tiny_force["riverside"].pk}
    assert sum(r["respondents"] for r in rows if r["slug"] == "drugs") == 5


def test_confidence_means_per_street(tiny_force, answers):
    rows = {r["street_id"]: r for r in confidence_means(wards=None, start=START, end=END)}

    street = rows[answers.pk]
    assert street["respondents"] == 3
    assert (street["trust_n"], street["trust_mean"]) == (3, 2.0)
    assert (street["confidence_n"], street["confidence_mean"]) == (3, 4.0)
    assert (street["answers"], street["mean"]) == (6, 3.0)
    no_street = rows[None]
    assert (no_street["trust_mean"], no_street["confidence_mean"]) == (5.0, None)
