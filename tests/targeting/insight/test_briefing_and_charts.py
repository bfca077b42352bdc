"""The officer's briefing page, and the scatter chart the confidence page draws."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core import charts
from targeting.insight.briefing import briefing_for
from targeting.models import StreetScore
from tests.factories.engagement_events import make_event
from tests.factories.targeting import make_street

pytestmark = pytest.mark.django_db


def score(street, period: date, value: float, rank: int) -> None:
    StreetScore.objects.create(
        street=street, ward=street.ward, period=period, score=value, rank_in_ward=rank
    )


def test_the_briefing_gives_the_top_streets_with_their_change_and_the_coming_events(
    people, tiny_force
):
    riverside = tiny_force["riverside"]
    high = make_street(riverside, "High Street", (100_200, 101_500))
    mill = make_street(riverside, "Mill Lane", (100_700, 101_500))
    score(high, date(2024, 2, 1), 50, 1)
    score(high, date(2024, 3, 1), 62, 1)
    score(mill, date(2024, 3, 1), 40, 2)
    soon = make_event(
        people.ward_officer,
        riverside,
        title="Surgery",
        starts_at=timezone.now() + timedelta(days=2),
    )
    make_event(people.ward_officer, riverside, starts_at=timezone.now() + timedelta(days=20))

    (ward,) = briefing_for(people.ward_officer)

    assert [(s.name, s.score, s.change) for s in ward.streets] == [
        ("High Street", 62, 12),
        ("Mill Lane", 40, None),
    ]
    assert ward.events == [soon]


def test_the_briefing_covers_only_the_officers_own_wards(people, tiny_force):
    assert [b.ward.name for b in briefing_for(people.other_ward_officer)] == ["Hillside"]


def test_a_scatter_draws_a_point_per_row_with_both_values_and_labels_outliers():
    chart = charts.Chart(
        kind=charts.Kind.SCATTER, id="s", title="T", description="D", caption="C",
        heading="Ward", rows=[charts.Row("A"), charts.Row("B"), charts.Row("C")],
        columns=[
            charts.Series("Crime", [charts.Value(1), charts.Value(2), charts.Value(None)]),
            charts.Series("Safe", [charts.Value(3), charts.Value(4, css="outlier"),
                                   charts.Value(5)]),
        ],
        fit=(2.0, 1.0),
    )  # fmt: skip

    svg = str(chart.svg())

    assert svg.count("<circle") == 2  # C has no crime figure: in the table only
    assert 'class="s0 marker outlier"' in svg and ">B</text>" in svg
    assert 'class="fit"' in svg
    assert chart.legend == []
    assert [line.cells for line in chart.table()] == [["1", "3"], ["2", "4"], [None, "5"]]
