"""Neighbourhood teams: who is in them (supervisors decide), officers' own profiles."""

from __future__ import annotations

import pytest

from engagement.models import OfficerProfile, TeamMembership
from tests.factories.engagement import make_team

pytestmark = pytest.mark.django_db


def test_a_supervisor_adds_an_officer_of_the_ward_to_its_team(
    client, tiny_force, officer, supervisor
):
    client.force_login(supervisor)

    response = client.post(
        "/staff/teams/ward/E05999901/members/",
        {"email": officer.email, "role": "Neighbourhood officer"},
        follow=True,
    )

    assert "Added to the team." in response.content.decode()
    assert TeamMembership.objects.get(user=officer).role == "Neighbourhood officer"


def test_nobody_outside_the_wards_scope_joins_its_team(tiny_force, supervisor, other_officer):
    from engagement import services

    team = make_team(tiny_force["riverside"])

    with pytest.raises(services.NotAllowed):
        services.team_member_add(user=supervisor, team=team, member=other_officer, role="PCSO")


def test_an_officer_cannot_change_who_is_in_the_team(client, tiny_force, officer, supervisor):
    client.force_login(officer)

    response = client.post(
        "/staff/teams/ward/E05999901/members/",
        {"email": supervisor.email, "role": "Sergeant"},
        follow=True,
    )

    assert "Only a supervisor changes who is in a team." in response.content.decode()
    assert not TeamMembership.objects.exists()


def test_an_officer_writes_their_own_profile(client, tiny_force, officer):
    client.force_login(officer)

    client.post(
        "/staff/teams/profile/", {"public_name": "PC Jo Bloggs", "about": "Riverside beat."}
    )

    assert OfficerProfile.objects.get(user=officer).about == "Riverside beat."


def test_an_officer_of_another_ward_cannot_open_or_change_the_wards_team(
    client, tiny_force, other_officer, other_supervisor
):
    for user in (other_officer, other_supervisor):
        client.force_login(user)
        assert client.get("/staff/teams/ward/E05999901/").status_code == 404
        assert (
            client.post("/staff/teams/ward/E05999901/", {"priorities": ["drugs"]}).status_code
            == 404
        )
