"""The public ward page /wards/<code>/: done items, the team, local priorities, and the
ward's survey results before and after each item (small numbers suppressed)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from engagement import services
from engagement.models import OfficerProfile
from tests.factories.engagement import make_item, make_team
from tests.factories.surveys import bulk_responses, round_at

pytestmark = pytest.mark.django_db


def test_the_page_shows_done_items_only_without_sign_in(client, tiny_force, officer):
    make_item(tiny_force["riverside"], user=officer, status="done", title="Speed checks done")
    make_item(tiny_force["riverside"], user=officer, title="Still only raised")
    make_item(tiny_force["hillside"], user=officer, status="done", title="In another ward")

    html = client.get("/wards/E05999901/").content.decode()

    assert "Speed checks done" in html
    assert "Still only raised" not in html and "In another ward" not in html


def test_the_page_shows_the_team_with_names_roles_and_profiles(client, tiny_force, officer):
    make_team(tiny_force["riverside"], members=[officer])
    OfficerProfile.objects.filter(user=officer).update(
        public_name="PC Jo Bloggs", about="I walk the riverside beat."
    )

    html = client.get("/wards/E05999901/").content.decode()

    assert "PC Jo Bloggs" in html and "PCSO" in html and "I walk the riverside beat." in html
    assert officer.email not in html


def test_the_page_shows_the_local_priorities_the_team_chose(client, tiny_force, officer):
    team = make_team(tiny_force["riverside"], members=[officer])
    services.local_priorities_choose(
        user=officer, team=team, priorities=["anti-social-behaviour", "drugs"]
    )

    html = client.get("/wards/E05999901/").content.decode()

    assert "Anti-social behaviour" in html and "Drugs" in html


def test_choosing_local_priorities_again_replaces_them(tiny_force, officer):
    team = make_team(tiny_force["riverside"], members=[officer])
    services.local_priorities_choose(user=officer, team=team, priorities=["drugs", "burglary"])

    services.local_priorities_choose(user=officer, team=team, priorities=["burglary", "violence"])

    assert sorted(team.local_priorities.values_list("priority", flat=True)) == [
        "burglary",
        "violence",
    ]


def test_only_a_ward_has_a_public_page(client, tiny_force):
    assert client.get("/wards/E06999901/").status_code == 404
    assert client.get("/wards/E05000000/").status_code == 404


def test_the_page_shows_survey_results_before_and_after_with_small_numbers_hidden(
    client, tiny_force, officer
):
    ward = tiny_force["riverside"]
    before, after = round_at(2025, 1), round_at(2025, 3)
    bulk_responses(ward=ward, round_=before, count=20, priorities=["speeding-road-safety"])
    bulk_responses(ward=ward, round_=before, count=5, priorities=["drugs"])
    bulk_responses(ward=ward, round_=after, count=12, priorities=["drugs"])
    bulk_responses(ward=ward, round_=after, count=4, priorities=["speeding-road-safety"])
    make_item(
        ward,
        user=officer,
        status="done",
        priorities=["speeding-road-safety"],
        created_at=datetime(2025, 2, 10, tzinfo=UTC),
        done_at=datetime(2025, 5, 1, tzinfo=UTC),
    )

    html = client.get("/wards/E05999901/").content.decode()

    table = html[html.index('class="before-after"') :]
    table = table[: table.index("</table>")]
    assert "2025 Q1" in table and "2025 Q3" in table
    # 20 of 25 named speeding before (80%); 4 of 16 after is fewer than 10: not shown.
    assert "80%" in table and "25%" not in table
    assert "not shown" in table


def test_the_page_is_in_polish_too(client, tiny_force, officer):
    make_item(tiny_force["riverside"], user=officer, status="done")

    html = client.get("/wards/E05999901/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()

    assert "Powiedzieliście, zrobiliśmy" in html


def test_officers_see_the_same_on_their_ward_page(client, tiny_force, officer):
    make_team(tiny_force["riverside"], members=[officer])
    make_item(tiny_force["riverside"], user=officer, status="done", title="Speed checks done")
    client.force_login(officer)

    html = client.get("/staff/areas/E05999901/").content.decode()

    assert "Speed checks done" in html and "/wards/E05999901/" in html


def test_the_team_page_shows_the_surveys_priority_votes(client, tiny_force, officer):
    ward = tiny_force["riverside"]
    today = datetime.now(UTC).date()
    this_quarter = round_at(today.year, (today.month - 1) // 3 + 1)
    bulk_responses(ward=ward, round_=this_quarter, count=11, priorities=["burglary"])
    client.force_login(officer)

    html = client.get("/staff/teams/ward/E05999901/").content.decode()

    assert "Burglary" in html and "100%" in html
