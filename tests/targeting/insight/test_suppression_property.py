"""Property: no insight page's figures or export shows a small number of people.

Hypothesis draws members in each supergroup of the hand-built population (conftest.py)
and street contacts with issues and words; the CSV exports (which lay out the same
selectors as the pages) must then show each count of people only when it is at least
the threshold, and where the representation total is shown, the hidden groups' true
total must be 0, or at least the threshold over two or more groups, so that no hidden
count can be worked out from the total and the counts shown.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from areas.models import Area
from core.disclosure import threshold
from targeting.insight import representativeness
from tests.factories.engagement_events import make_contacts
from tests.factories.targeting import make_members

pytestmark = pytest.mark.django_db

WORDS = ["speeding", "parking", "bikes", "litter"]
contact_group = st.fixed_dictionaries(
    {
        "count": st.integers(min_value=1, max_value=12),
        "issue": st.sampled_from([None, "drugs", "burglary"]),
        "word": st.sampled_from(WORDS),
        "offered": st.booleans(),
    }
)


def rows_of(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))[1:]


def shown_or_blank(cell: str) -> None:
    assert cell == "" or int(cell) >= threshold(), cell


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    members=st.lists(st.integers(min_value=0, max_value=16), min_size=3, max_size=3),
    contacts=st.lists(contact_group, max_size=4),
)
def test_no_insight_figure_shows_a_small_number_of_people(people, population, members, contacts):
    with transaction.atomic():
        riverside = population["riverside"]
        for sg, n in zip(("1", "2", "3"), members, strict=True):
            make_members(population["postcodes"][sg], n)
        for c in contacts:
            issues = [c["issue"]] if c["issue"] else []
            make_contacts(
                people.ward_officer, riverside, c["count"], issues=issues, text=c["word"],
                signup_offered=c["offered"],
            )  # fmt: skip
        client = people.client("ward_officer")
        area = "?area=E05999901"

        rep = rows_of(client.get("/staff/insight/representation/export.csv" + area))
        for row in rep:
            if row[1] == "supergroup":
                shown_or_blank(row[6])
                assert row[7] == "" or row[6] != ""  # a ratio only beside its count
        figures = representativeness.representation(
            area=riverside, wards=Area.objects.filter(pk=riverside.pk), target=0.7
        )
        truth = dict(zip(("1", "2", "3"), members, strict=True))
        truth["2"] += 1  # the member of tests/people.py lives in output area 2
        hidden = [r.group.code for r in figures.rows if r.members is None]
        if figures.members_total is not None and hidden:
            # Only groups that have residents are listed; the total is theirs.
            remainder = sum(truth[g] for g in hidden)
            assert remainder == 0 or (len(hidden) >= 2 and remainder >= threshold())

        for row in rows_of(client.get("/staff/insight/engagement/export.csv" + area)):
            if row[1] in ("issue", "word", "contacts"):
                shown_or_blank(row[3])

        for row in rows_of(client.get("/staff/insight/households/export.csv" + area)):
            shown_or_blank(row[4])
            assert row[5] == "" or row[4] != ""
        transaction.set_rollback(True)
