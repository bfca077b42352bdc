"""The demo officer's pages on the real Humberside data: ranked, explained, light."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.staticfiles import finders

from areas.models import Area, Street
from demo.geography import police_street_files
from targeting.importers.crimes import import_crimes
from targeting.models import StreetScore, WardScore
from targeting.scoring import compute_scores
from tests.factories import make_staff

pytestmark = pytest.mark.django_db
CENTRAL, ST_ANDREWS, HULL, FORCE = "E05011529", "E05011541", "E06000010", "E23000012"
APRIL = date(2024, 4, 1)


@pytest.fixture(scope="module", autouse=True)
def scored(humberside_crimes, django_db_blocker):
    with django_db_blocker.unblock():
        compute_scores()


@pytest.fixture
def demo_officer(db):
    wards = Area.objects.filter(code__in=[CENTRAL, ST_ANDREWS])
    return make_staff("pc.carter@example.test", "officer", wards)


def page_weight(response) -> int:
    """The HTML plus every stylesheet and script it loads from our origin."""
    html = response.content.decode()
    total = len(response.content)
    for url in re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html):
        total += len(open(finders.find(url), "rb").read())  # noqa: SIM115
    return total


def test_every_street_and_ward_is_scored_for_each_month():
    assert WardScore.objects.filter(period=date(2024, 3, 1)).count() == 81
    assert StreetScore.objects.filter(period=date(2024, 3, 1)).count() == Street.objects.count()


def test_the_demo_officer_sees_their_two_wards_ranked(client, demo_officer):
    client.force_login(demo_officer)

    page = client.get("/staff/priorities/").content.decode()

    names = re.findall(r'class="ranked-name"><a href="[^"]+">([^<]+)</a>', page)
    assert sorted(names) == ["Central", "St Andrew&#x27;s &amp; Docklands"]


def test_the_central_ward_page_ranks_streets_with_actions_and_stays_under_500_kb(
    client, demo_officer
):
    client.force_login(demo_officer)

    response = client.get(f"/staff/priorities/area/{CENTRAL}/")

    page = response.content.decode()
    streets = page[page.index('id="streets-h"') :]
    assert streets.count('class="ranked-item"') == 10
    assert streets.count('<ol class="action-list">') == 10
    assert page_weight(response) < 500_000


def test_the_force_page_for_an_analyst_stays_under_500_kb(client):
    analyst = make_staff("analyst@example.test", "analyst", Area.objects.filter(code=FORCE))
    client.force_login(analyst)

    response = client.get(f"/staff/priorities/area/{FORCE}/")

    assert response.status_code == 200
    assert response.content.decode().count('class="ranked-item"') >= 81
    assert page_weight(response) < 500_000


def test_a_second_month_imported_later_extends_the_street_history(client, demo_officer):
    street = (
        StreetScore.objects.filter(ward__code=CENTRAL, period=date(2024, 3, 1))
        .order_by("rank_in_ward")[0]
        .street
    )

    import_crimes([police_street_files()[3]])
    compute_scores([APRIL])

    client.force_login(demo_officer)
    page = client.get(f"/staff/priorities/street/{street.pk}/").content.decode()
    months = re.findall(r'<th scope="row"><a href="\?period=(\d{4}-\d{2})">', page)
    assert months == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert "April 2024" in page
