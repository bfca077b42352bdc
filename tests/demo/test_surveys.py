"""The demo's survey history, and what beat leaves to dispatch after it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import Member
from demo.surveys import load_survey_demo
from surveys import services
from surveys.models import Answer, Invitation, Response
from tests.factories.surveys import bulk_members

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_the_demo_answers_every_past_cycle_and_leaves_recent_ones_to_beat():
    old = bulk_members(30, registered_at=NOW - timedelta(days=290))
    recent = bulk_members(10, registered_at=NOW - timedelta(days=100))

    created = load_survey_demo(now=NOW)

    assert created == Invitation.objects.count()
    assert set(Invitation.objects.filter(member__in=old).values_list("cycle", flat=True)) == {
        1, 2, 3
    }  # fmt: skip
    assert len(set(Invitation.objects.values_list("round", flat=True))) == 3
    assert Response.objects.filter(submitted_at__isnull=False).count() > created / 2
    assert not Invitation.objects.filter(
        due_at__gt=NOW - timedelta(days=settings.SURVEYS_CATCH_UP_DAYS)
    ).exists()
    assert load_survey_demo(now=NOW) == 0
    invited = services.invitations_dispatch(now=NOW)
    assert len(recent) <= invited <= len(recent) + len(old)


def test_the_demo_leaves_planner_statistics_that_count_its_answers():
    """Without them a results page over the demo planned for empty tables and took
    minutes (a suite on two workers once hung on it)."""
    bulk_members(30, registered_at=NOW - timedelta(days=290))

    load_survey_demo(now=NOW)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN "
            "('surveys_invitation', 'surveys_response', 'surveys_answer')"
        )
        estimated = dict(cursor.fetchall())
    assert estimated == {
        "surveys_invitation": Invitation.objects.count(),
        "surveys_response": Response.objects.count(),
        "surveys_answer": Answer.objects.count(),
    }


def test_the_demo_officers_wards_have_three_quarters_of_results_above_suppression():
    """What `make run` promises: an officer sees three quarters of answers on their wards'
    pages, after suppression (small numbers and complementary), not "not shown"."""
    from areas.models import Area
    from demo.members import FOCUS_WARDS, create_demo_members
    from demo.staff import create_demo_staff
    from surveys.models import Round
    from surveys.results import results_for

    # The demo's due dates and answers follow member ids: give the ids a fresh database
    # (`make run`) gives, whichever ids earlier tests in this process used.
    assert not Member.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('accounts_member', 'id'), 1, false)")
    create_demo_staff()
    create_demo_members()
    load_survey_demo()

    latest = Round.objects.order_by("-starts_on").first()
    shown = {}
    for ward in Area.objects.filter(code__in=FOCUS_WARDS):
        trend = results_for(area=ward, round_=latest, children=False).trend
        shown[ward.code] = sum(1 for q in trend if q.published.respondents is not None)
    assert set(shown) == set(FOCUS_WARDS)
    assert all(quarters >= 3 for quarters in shown.values()), shown
