"""Household coverage month by month, and the engagement dashboard, worked by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from targeting.insight import engagement, households
from tests.factories.engagement_events import make_contacts, make_event, make_outcome
from tests.factories.targeting import make_members, make_output_area, make_postcode, rectangle

pytestmark = pytest.mark.django_db


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def test_coverage_counts_members_registered_by_each_months_end_over_households(tiny_force):
    riverside = tiny_force["riverside"]
    make_output_area(
        "E00999201", riverside, rectangle(100_000, 101_000, 101_000, 102_000), households=400
    )
    home = make_postcode("ZZ6 1AA", riverside, 100_500, 101_500)
    make_members(home, 12, registered_at=at(date(2026, 9, 10)))
    make_members(home, 8, registered_at=at(date(2026, 11, 2)))

    cov = households.coverage_over_time(
        areas=[(riverside, [riverside.pk])], today=date(2026, 11, 20)
    )

    by_month = dict(zip(cov.months, cov.series[0].shares, strict=True))
    assert by_month[date(2026, 8, 1)] is None  # nobody yet: not shown
    assert by_month[date(2026, 9, 1)] == pytest.approx(12 / 400)
    assert by_month[date(2026, 11, 1)] == pytest.approx(20 / 400)
    assert cov.months[-1] == date(2026, 11, 1) and len(cov.months) == 12


def test_coverage_hides_a_month_with_fewer_than_ten_members(tiny_force):
    riverside = tiny_force["riverside"]
    make_output_area(
        "E00999202", riverside, rectangle(100_000, 101_000, 101_000, 102_000), households=50
    )
    make_members(make_postcode("ZZ6 1AB", riverside, 100_500, 101_500), 9)

    cov = households.coverage_over_time(areas=[(riverside, [riverside.pk])])

    assert cov.series[0].shares[-1] is None and cov.series[0].members[-1] is None


def test_the_dashboard_counts_events_and_lists_the_top_issues_and_words(people, tiny_force):
    riverside = tiny_force["riverside"]
    drugs, asb = "drugs", "anti-social-behaviour"
    for title in ("Surgery one", "Surgery two"):
        make_outcome(make_event(people.ward_officer, riverside, title=title), issues=[drugs])
    make_event(people.other_ward_officer, riverside, kind="school", title="School visit")
    make_contacts(people.ward_officer, riverside, 12, issues=[drugs], text="speeding speeding")
    make_contacts(people.ward_officer, riverside, 4, issues=[asb], text="litter")

    board = engagement.dashboard(wards=[riverside])

    assert board.events == 3 and board.distinct_officers == 2
    assert {c.label: c.n for c in board.by_kind} == {
        "Street surgery / beat surgery": 2,
        "School or youth visit": 1,
    }
    assert [(c.label, c.n) for c in board.top_issues] == [("Drugs", 14)]  # ASB: 4, hidden
    cloud = {w.word: w.n for w in board.cloud}
    assert cloud == {"speeding": 24, "drugs": 14}  # "litter" (4) and ASB's words hidden


def test_the_dashboard_leaves_out_other_wards_events(people, tiny_force):
    make_event(people.other_ward_officer, tiny_force["hillside"], title="Hill walk")

    board = engagement.dashboard(wards=[tiny_force["riverside"]])

    assert board.events == 0


def test_upcoming_events_are_listed_and_not_counted_as_held(people, tiny_force):
    make_event(
        people.ward_officer, tiny_force["riverside"], starts_at=timezone.now() + timedelta(days=3)
    )

    board = engagement.dashboard(wards=[tiny_force["riverside"]])

    assert board.events == 0 and len(board.upcoming) == 1


def test_the_pages_draw_their_charts_with_data_tables(people, tiny_force):
    make_outcome(make_event(people.ward_officer, tiny_force["riverside"]))
    client = people.client("ward_officer")

    for url in ("engagement", "households", "representation", "confidence"):
        html = client.get(f"/staff/insight/{url}/?area=E05999901").content.decode()
        assert "<h1>" in html
    html = client.get("/staff/insight/engagement/?area=E05999901").content.decode()
    assert 'role="img"' in html and "<caption>Events by type</caption>" in html
