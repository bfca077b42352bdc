"""My account: details, moving, stopping messages, history from other apps."""

import pytest

from accounts.members import history
from accounts.members.selectors import streets_near
from tests.factories import make_staff
from tests.factories.members import make_member, postcode

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return make_member(name="Sam Member", phone="+447700900111")


@pytest.fixture
def signed_in(client, member):
    client.force_login(member.user)
    return client


def test_my_account_shows_the_members_details(signed_in, member):
    html = signed_in.get("/my-account/").content.decode()

    assert "Sam Member" in html
    assert "07700 900111" in html
    assert "HU1 2PD" in html
    assert "Central ward" in html


def test_signed_in_staff_without_a_membership_get_not_found(client, tiny_force):
    staff = make_staff("officer.only@example.test", "officer", [tiny_force["riverside"]])
    client.force_login(staff)

    assert client.get("/my-account/").status_code == 404


def test_a_member_changes_their_details(signed_in, member):
    street = streets_near(member.postcode)[1]

    response = signed_in.post(
        "/my-account/details/",
        {
            "name": "Sam Changed",
            "phone": "",
            "street": str(street.pk),
            "by_email": "on",
            "max_frequency": "monthly",
            "language": "pl",
            "groups": [],
        },
    )

    assert response.status_code == 302
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert (member.user.name, member.phone, member.street, member.by_sms) == (
        "Sam Changed",
        "",
        street,
        False,
    )
    assert (member.max_frequency, member.language) == ("monthly", "pl")


def test_a_bad_change_keeps_what_was_typed(signed_in, member):
    response = signed_in.post(
        "/my-account/details/",
        {"name": "Sam Typed", "phone": "12", "max_frequency": "any", "language": "en-gb"},
    )

    html = response.content.decode()
    assert "Enter a UK mobile number" in html
    assert 'value="Sam Typed"' in html
    assert 'value="12"' in html
    member.user.refresh_from_db()
    assert member.user.name == "Sam Member"


def test_moving_to_a_new_postcode_changes_the_ward_and_the_street_list(signed_in, member):
    step_two = signed_in.get("/my-account/move/", {"postcode": "hu1 1aa"})
    new_street = streets_near(postcode("HU1 1AA"))[0]
    assert f'<option value="{new_street.pk}"' in step_two.content.decode()

    response = signed_in.post(
        "/my-account/move/", {"postcode": "HU1 1AA", "street": str(new_street.pk)}
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.postcode.code, member.ward.code, member.street) == (
        "HU1 1AA",
        "E05011541",
        new_street,
    )


def test_moving_outside_the_force_area_is_refused_kindly(signed_in, member):
    response = signed_in.get("/my-account/move/", {"postcode": "SW1A 1AA"})

    assert "outside the area we cover" in response.content.decode()
    member.refresh_from_db()
    assert member.postcode.code == "HU1 2PD"


def test_all_messages_stop_in_one_click_and_can_start_again(signed_in, member):
    signed_in.post("/my-account/messages/stop/")
    member.refresh_from_db()
    assert member.messages_stopped_at is not None
    assert not member.receives_messages
    assert "Start messages again" in signed_in.get("/my-account/").content.decode()

    signed_in.post("/my-account/messages/resume/")
    member.refresh_from_db()
    assert member.receives_messages


def test_history_shows_sections_only_from_apps_with_something_to_show(signed_in, member):
    history.register(
        "test-messages",
        title="Test messages",
        items=lambda m: [history.HistoryItem(at=m.registered_at, title="Burglary appeal")],
    )
    history.register("test-surveys", title="Test surveys", items=lambda m: [])
    try:
        html = signed_in.get("/my-account/").content.decode()
    finally:
        history.unregister("test-messages")
        history.unregister("test-surveys")

    assert "Test messages" in html
    assert "Burglary appeal" in html
    assert "Test surveys" not in html
