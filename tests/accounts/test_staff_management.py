"""Admins manage staff, roles and areas in the app."""

import re

import pytest
from django.core import mail

from accounts.models import StaffProfile, User

pytestmark = pytest.mark.django_db


def test_an_admin_adds_an_officer_for_a_ward_and_they_are_emailed_a_link(
    client, admin_user, tiny_force, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/staff/manage/new/",
            {
                "email": "New.Officer@Example.test",
                "name": "PC New",
                "role": "officer",
                "areas": [tiny_force["docks"].pk],
            },
        )

    assert response.status_code == 302
    profile = StaffProfile.objects.get(user__email="new.officer@example.test")
    assert profile.role == "officer"
    assert list(profile.areas.all()) == [tiny_force["docks"]]
    assert len(mail.outbox) == 1
    assert re.search(r"/accounts/password/reset/key/\w+-[\w-]+/", mail.outbox[0].body)


def test_an_officer_cannot_be_given_a_district(client, admin_user, tiny_force):
    client.force_login(admin_user)
    response = client.post(
        "/staff/manage/new/",
        {
            "email": "x@example.test",
            "name": "X",
            "role": "officer",
            "areas": [tiny_force["north"].pk],
        },
    )

    assert response.status_code == 200
    assert "remove North Town" in response.content.decode()
    assert not User.objects.filter(email="x@example.test").exists()


def test_the_form_keeps_what_the_admin_typed_after_an_error(client, admin_user, tiny_force):
    client.force_login(admin_user)
    response = client.post(
        "/staff/manage/new/", {"email": "kept@example.test", "name": "Kept Name", "role": "officer"}
    )

    page = response.content.decode()
    assert 'value="kept@example.test"' in page
    assert 'value="Kept Name"' in page


def test_an_admin_changes_an_officers_wards(client, admin_user, officer, tiny_force):
    client.force_login(admin_user)
    client.post(
        f"/staff/manage/{officer.staff.pk}/",
        {"name": officer.name, "role": "officer", "areas": [tiny_force["hillside"].pk]},
    )

    assert list(officer.staff.areas.all()) == [tiny_force["hillside"]]


def test_an_admin_deactivates_an_officer(client, admin_user, officer):
    client.force_login(admin_user)
    client.post(f"/staff/manage/{officer.staff.pk}/deactivate/")

    officer.staff.refresh_from_db()
    assert officer.staff.is_active is False


def test_an_officer_cannot_manage_staff(client, officer):
    client.force_login(officer)

    assert client.get("/staff/manage/").status_code == 404
    assert client.get(f"/staff/manage/{officer.staff.pk}/").status_code == 404


def test_a_supervisor_cannot_manage_staff(client, supervisor):
    client.force_login(supervisor)

    assert client.get("/staff/manage/").status_code == 404


# --- The areas picker: a checkbox tree, force > district > ward, no Ctrl-click ------------------


def picker(html: str) -> str:
    return html.split('<details class="area-picker"', 1)[1].split("</details>", 1)[0]


def test_the_areas_are_a_tree_of_checkboxes_force_then_districts_then_wards(
    client, admin_user, tiny_force
):
    client.force_login(admin_user)

    html = picker(client.get("/staff/manage/new/").content.decode())

    names = re.findall(r'value="\d+"> ([^<]+) <span', html)
    assert names == ["Testshire", "North Town", "Hillside", "Riverside", "South Town", "Docks"]
    assert html.count('type="checkbox" name="areas"') == 6
    assert "<select" not in html
    # Riverside's checkbox sits inside North Town's list, inside Testshire's.
    north = html.index("North Town")
    assert north < html.index("Riverside") < html.index("South Town")


def test_the_filter_box_is_hidden_until_the_script_shows_it(client, admin_user, tiny_force):
    client.force_login(admin_user)

    html = client.get("/staff/manage/new/").content.decode()

    assert '<div class="area-filter" data-area-filter hidden>' in html
    assert '<label for="id_areas_filter">Find an area by name</label>' in html
    assert '<script src="/static/js/area_picker.js" defer></script>' in html


def test_an_officers_wards_are_ticked_and_named_in_the_folded_picker(
    client, admin_user, officer, tiny_force
):
    client.force_login(admin_user)

    html = client.get(f"/staff/manage/{officer.staff.pk}/").content.decode()

    assert re.search(rf'value="{tiny_force["riverside"].pk}" checked> Riverside', html)
    assert "<summary>1 chosen: Riverside</summary>" in html
    assert '<details class="area-picker">' in html  # folded: the choice is in its summary


def test_a_wrong_choice_opens_the_picker_and_keeps_the_ticks(client, admin_user, tiny_force):
    client.force_login(admin_user)

    html = client.post(
        "/staff/manage/new/",
        {"email": "y@example.test", "name": "Y", "role": "officer",
         "areas": [tiny_force["north"].pk]},
    ).content.decode()  # fmt: skip

    assert '<details class="area-picker" open>' in html
    assert re.search(rf'value="{tiny_force["north"].pk}" checked> North Town', html)
    assert '<a href="#id_areas_tree">Areas they work in: An officer / pcso works in a ward' in html
