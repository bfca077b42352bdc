"""Staff see only their areas; anything else is a 404, as if it did not exist."""

import re

import pytest

from accounts.permissions import areas_for, get_area_for_user, wards_for
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def area_page(client, user, area):
    client.force_login(user)
    return client.get(f"/staff/areas/{area.code}/")


def test_an_officer_sees_their_own_ward(client, officer, tiny_force):
    assert area_page(client, officer, tiny_force["riverside"]).status_code == 200


def test_an_officer_of_another_ward_gets_404(client, other_officer, tiny_force):
    assert area_page(client, other_officer, tiny_force["riverside"]).status_code == 404


def test_a_supervisor_of_another_district_gets_404(client, other_supervisor, tiny_force):
    assert area_page(client, other_supervisor, tiny_force["riverside"]).status_code == 404


def test_a_supervisor_sees_the_wards_of_their_district(client, supervisor, tiny_force):
    assert area_page(client, supervisor, tiny_force["riverside"]).status_code == 200


def test_an_officer_cannot_open_their_district_page(client, officer, tiny_force):
    assert area_page(client, officer, tiny_force["north"]).status_code == 404


def test_an_unknown_area_and_a_forbidden_area_look_the_same(client, other_officer, tiny_force):
    forbidden = area_page(client, other_officer, tiny_force["riverside"])
    missing = client.get("/staff/areas/E05000000/")

    assert forbidden.status_code == missing.status_code == 404
    assert main_content(forbidden) == main_content(missing)


def main_content(response) -> str:
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


def test_a_member_of_the_public_gets_404_on_staff_pages(client, tiny_force, django_user_model):
    member = django_user_model.objects.create_user(email="resident@example.test", password="x")
    client.force_login(member)

    assert client.get(f"/staff/areas/{tiny_force['riverside'].code}/").status_code == 404
    assert client.get("/staff/").status_code == 404


def test_staff_without_two_factor_are_sent_to_set_it_up(client, tiny_force):
    newcomer = make_staff("new@example.test", "officer", [tiny_force["riverside"]], with_totp=False)
    client.force_login(newcomer)

    response = client.get(f"/staff/areas/{tiny_force['riverside'].code}/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_a_deactivated_officer_sees_nothing(client, officer, tiny_force):
    officer.staff.is_active = False
    officer.staff.save()

    response = area_page(client, officer, tiny_force["riverside"])

    # Signed out on the spot (accounts.sessions), so sent to sign in, not shown the page.
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_wards_in_scope_of_a_district_supervisor_are_its_wards(supervisor, tiny_force):
    assert set(wards_for(supervisor)) == {tiny_force["riverside"], tiny_force["hillside"]}


def test_a_force_wide_analyst_sees_every_area_of_the_force(tiny_force):
    analyst = make_staff("analyst@example.test", "analyst", [tiny_force["force"]])
    visible = set(areas_for(analyst))

    assert set(tiny_force.values()) <= visible
    assert get_area_for_user(analyst, "E05999903") == tiny_force["docks"]


def test_the_scope_check_is_one_query(officer, tiny_force, django_assert_max_num_queries):
    # Guards against a helper that loads every area into Python.
    officer.staff  # noqa: B018 - load the profile first
    with django_assert_max_num_queries(2):
        list(wards_for(officer))
