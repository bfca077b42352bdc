"""Scoring a small hand-built area: order, components and the actions' words."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from targeting.actions import actions_of
from targeting.explain import components_of
from targeting.models import ScoringSettings, StreetScore, WardScore
from targeting.scoring import compute_scores
from tests.factories.targeting import (
    FEB,
    JAN,
    MAR,
    add_crimes,
    make_map_point,
    make_street,
)

pytestmark = pytest.mark.django_db


def score_area(area) -> dict[str, StreetScore]:
    compute_scores(forces=[area["force"]])
    scores = StreetScore.objects.filter(period=MAR, ward__parent__parent=area["force"])
    by_street = {s.street_id: s for s in scores}
    return {key: by_street[street.pk] for key, street in area["streets"].items()}


def test_streets_are_ranked_in_the_expected_order(surveyed_area):
    scores = score_area(surveyed_area)

    order = sorted(scores, key=lambda key: scores[key].rank_in_force)
    assert order == ["high", "mill", "quiet", "hill"]
    assert [scores[k].rank_in_ward for k in ("high", "mill", "quiet")] == [1, 2, 3]
    assert scores["hill"].rank_in_ward == 1
    assert scores["high"].count_in_ward == 3


def test_each_component_of_the_top_street_is_as_worked_out_by_hand(surveyed_area):
    high = score_area(surveyed_area)["high"]

    # 14 ASB x 1 + 2 violence x 10 over three months.
    assert high.crimes == 16
    assert high.harm_weighted == pytest.approx(34 / 3)
    assert high.harm == pytest.approx(0.75)  # 3rd of 4 streets by harm
    # 12 crimes in March against 4 in the two months before: p = 0.00079.
    assert (high.crimes_month, high.baseline_crimes, high.baseline_months) == (12, 4, 2)
    assert high.trend_ratio == pytest.approx(6.0)
    assert high.trend_p == pytest.approx(0.000792, rel=1e-3)
    assert high.trend == pytest.approx(1.0)
    assert high.asb_ratio == pytest.approx(5.0)
    assert high.asb_p == pytest.approx(0.00404, rel=1e-3)
    # Ward respondents: everyone names ASB and burglary; 14 of the 34 harm is ASB.
    assert high.survey_level == "ward"
    assert high.respondents == 10
    assert high.concern == pytest.approx(14 / 34)
    assert high.top_priority == "anti-social-behaviour"
    assert high.confidence_mean == pytest.approx(2.0)
    assert high.confidence_force_mean == pytest.approx(3.0)
    assert high.confidence == pytest.approx(0.5)
    assert high.imd_decile == pytest.approx(1.0)
    assert high.vulnerability == pytest.approx(1.0)
    assert (high.members, high.households) == (4, 200)
    assert high.members_per_100 == pytest.approx(2.0)
    assert high.reference_members_per_100 == pytest.approx(4.0)
    assert high.engagement == pytest.approx(0.8)
    expected = 100 * (0.35 * 0.75 + 0.15 * 1 + 0.15 * 14 / 34 + 0.10 * 0.5 + 0.15 + 0.10 * 0.8)
    assert high.score == pytest.approx(expected)


def test_ten_respondents_leave_the_score_when_the_disclosure_threshold_is_higher(
    surveyed_area, settings
):
    settings.DISCLOSURE_THRESHOLD = 11

    high = score_area(surveyed_area)["high"]

    assert (high.respondents, high.survey_level) == (0, "")
    assert high.concern is None and high.confidence_mean is None


def test_the_scores_of_the_other_streets_are_as_worked_out_by_hand(surveyed_area):
    scores = score_area(surveyed_area)

    assert scores["mill"].score == pytest.approx(100 * (0.35 + 0.05 + 0.15 * 2 / 9 + 0.02))
    assert scores["quiet"].score == pytest.approx(
        100 * (0.35 * 0.5 + 0.15 + 0.05 + 0.15 * 2 / 9 + 0.02)
    )
    assert scores["hill"].score == pytest.approx(100 * (0.35 * 0.25 + 0.15 * 5 / 9))


def test_the_top_street_gets_patrols_door_knocking_and_a_meeting(surveyed_area):
    high = score_area(surveyed_area)["high"]

    assert [a.text for a in actions_of(high, level="street")] == [
        "Anti-social behaviour patrols and problem solving: ASB 5.0 times its usual level "
        "and the top concern of respondents in this ward",
        "Door-knock to register: 2 members per 100 households against 4 across the ward",
        'Hold a meeting and report back ("You said, we did"): confidence 2.0 out of 5 from '
        "respondents in this ward against 3.0 across the force",
    ]


def test_the_busiest_street_is_a_hot_spot_and_a_quiet_one_gets_a_visible_presence(
    surveyed_area,
):
    scores = score_area(surveyed_area)

    assert next(a.text for a in actions_of(scores["mill"], level="street")) == (
        "Hot-spot patrols: 40 harm-weighted crimes a month in the last 3 months, in the top "
        "1% of streets in the force; mostly violence and sexual offences"
    )
    assert [a.text for a in actions_of(scores["hill"], level="street")] == [
        "Visible patrols and conversations with residents: 3 crimes in the last 3 months, "
        "mostly anti-social behaviour"
    ]


def test_wards_are_ranked_and_get_ward_level_actions(surveyed_area):
    compute_scores(forces=[surveyed_area["force"]])
    wards = WardScore.objects.filter(period=MAR, ward__parent__parent=surveyed_area["force"])

    order = [w.ward.name for w in wards.order_by("rank_in_force")]
    assert order == ["Riverside", "Hillside", "Docks"]
    riverside = wards.get(ward=surveyed_area["riverside"])
    assert riverside.harm_weighted == pytest.approx(54 * 1000 / 600)  # per 1,000 residents
    rules = [a["rule"] for a in riverside.actions]
    assert "hotspot" not in rules and "visible_presence" not in rules
    assert rules[0] == "asb_patrols"


def test_a_rise_that_chance_explains_is_not_a_trend(area):
    quiet = make_street(area["riverside"], "Lonely Lane", (100_900, 101_900))
    point = make_map_point(quiet)
    add_crimes(point, FEB, {"burglary": 1})
    add_crimes(point, MAR, {"burglary": 2})  # twice as many, but 2 after 1 proves nothing

    compute_scores(forces=[area["force"]])

    lonely = StreetScore.objects.get(street=quiet, period=MAR)
    assert lonely.trend_ratio == pytest.approx(4.0)  # 2 against 1 in two months
    assert lonely.trend_p > 0.1
    assert lonely.trend == 0


def test_without_survey_responses_concern_and_confidence_leave_the_score(area):
    high = score_area(area)["high"]

    assert high.concern is None and high.confidence is None
    assert high.respondents == 0
    # The other four weights (0.75 of 1) share the score.
    expected = 100 * (0.35 * 0.75 + 0.15 * 1 + 0.15 * 1 + 0.10 * 0.8) / 0.75
    assert high.score == pytest.approx(expected)
    words = {c.key: c for c in components_of(high, level="street")}
    assert words["concern"].left_out
    assert "left out of the score" in words["concern"].text
    assert words["confidence"].points == 0


def test_the_first_month_has_no_trend_and_says_why(area):
    compute_scores(forces=[area["force"]])

    high = StreetScore.objects.get(street=area["streets"]["high"], period=JAN)
    assert high.trend is None and high.baseline_months == 0
    trend = next(c for c in components_of(high, level="street") if c.key == "trend")
    assert trend.text == "No earlier months to compare with yet: left out of the score."


def test_scores_are_stored_per_period_so_history_shows(area):
    compute_scores(forces=[area["force"]])

    history = StreetScore.objects.filter(street=area["streets"]["high"]).order_by("period")
    assert [h.period for h in history] == [JAN, FEB, MAR]
    assert [h.crimes_month for h in history] == [2, 2, 12]


def test_scoring_again_replaces_the_period_rather_than_adding_to_it(area):
    compute_scores(forces=[area["force"]])
    compute_scores([MAR], forces=[area["force"]])

    assert StreetScore.objects.filter(street=area["streets"]["high"], period=MAR).count() == 1


def test_changed_weights_change_the_score_and_are_recorded_with_it(area):
    settings = ScoringSettings.load()
    settings.weight_harm = 1
    settings.weight_trend = settings.weight_vulnerability = settings.weight_engagement = 0
    settings.save()

    high = score_area(area)["high"]

    assert high.score == pytest.approx(75.0)
    assert high.weights["harm"] == 1


def test_scoring_is_set_based_the_same_queries_for_more_streets(area):
    with CaptureQueriesContext(connection) as few:
        compute_scores([MAR], forces=[area["force"]])
    for n in range(30):
        street = make_street(area["hillside"], f"New Street {n}", (101_100 + 20 * n, 101_900))
        add_crimes(make_map_point(street), MAR, {"drugs": 1})

    with CaptureQueriesContext(connection) as many:
        compute_scores([MAR], forces=[area["force"]])

    assert len(many.captured_queries) == len(few.captured_queries)
    assert StreetScore.objects.filter(period=MAR, ward=area["hillside"]).count() == 31


def test_special_categories_are_never_read_when_scoring(surveyed_area):
    with CaptureQueriesContext(connection) as queries:
        compute_scores([MAR], forces=[surveyed_area["force"]])

    sql = " ".join(q["sql"] for q in queries.captured_queries).lower()
    for forbidden in ("demographics", "ethnic", "religion", "disability", "communitygroup"):
        assert forbidden not in sql
