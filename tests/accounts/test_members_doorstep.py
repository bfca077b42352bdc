"""An officer registers a resident on their doorstep."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from accounts.models import AccessLog, ConsentRecord, Member
from areas.models import Area
from tests.factories import make_staff
from tests.factories.members import fresh_ip, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    """The officer for Hull's Central ward."""
    return make_staff("pc.central@example.test", "officer", [Area.objects.get(code="E05011529")])


@pytest.fixture
def signed_in(officer):
    client = Client(REMOTE_ADDR=fresh_ip())
    client.force_login(officer)
    return client


def resident(**overrides) -> dict:
    data = {
        "name": "Maria Resident",
        "email": "Maria.Resident@Example.test",
        "postcode": "HU1 2PD",
        "street": "",
        "phone": "",
        "by_email": "on",
        "max_frequency": "any",
        "language": "pl",
        "ethnic_group": "white_other",
        "consent_ethnic_group": "on",
        "agree": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_an_officer_registers_a_resident_in_their_ward(
    signed_in, officer, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post("/staff/members/register/", resident())

    assert response.status_code == 302
    member = Member.objects.select_related("user").get(user__email="maria.resident@example.test")
    assert member.source == Member.Source.DOORSTEP
    assert member.registered_by == officer
    assert member.language == "pl"
    assert not member.user.has_usable_password()
    assert not EmailAddress.objects.get(user=member.user).verified
    consents = ConsentRecord.objects.filter(member=member)
    assert {c.item for c in consents} == {"registration", "ethnic_group"}
    assert {(c.how, c.recorded_by_id) for c in consents} == {("doorstep", officer.pk)}
    assert mailoutbox[0].to == ["maria.resident@example.test"]
    assert re.search(r"/accounts/confirm-email/[\w:-]+/", mailoutbox[0].body)
    log = AccessLog.objects.get(actor=officer)
    assert (log.action, log.subject_user_id) == ("create", member.user_id)


def test_the_resident_confirms_their_email_and_is_told_how_to_choose_a_password(
    signed_in, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post("/staff/members/register/", resident())
    path = re.search(r"/accounts/confirm-email/[\w:-]+/", mailoutbox[0].body).group(0)
    visitor = Client(REMOTE_ADDR=fresh_ip())

    response = visitor.post(path)

    assert response.status_code == 302
    assert response["Location"] == "/registered/confirmed/"
    assert EmailAddress.objects.get(email="maria.resident@example.test").verified


def test_a_postcode_outside_the_officers_wards_gets_a_clear_error(signed_in):
    step_one = signed_in.get("/staff/members/register/", {"postcode": "HU1 1AA"})
    posted = signed_in.post("/staff/members/register/", resident(postcode="HU1 1AA"))

    for response in (step_one, posted):
        html = response.content.decode()
        assert "in St Andrew&#x27;s &amp; Docklands ward, which is not one of your wards" in html
    assert not Member.objects.filter(user__email="maria.resident@example.test").exists()


def test_an_email_already_registered_is_not_duplicated_and_the_officer_is_told(
    signed_in, officer, mailoutbox
):
    existing = make_member(email="maria.resident@example.test", name="Maria First")

    response = signed_in.post("/staff/members/register/", resident(name="Someone Else"))

    assert response.status_code == 200
    assert "already has an account" in response.content.decode()
    assert Member.objects.filter(user__email="maria.resident@example.test").count() == 1
    existing.user.refresh_from_db()
    assert existing.user.name == "Maria First"
    assert mailoutbox == []
    log = AccessLog.objects.get(actor=officer)
    assert (log.action, log.subject_user_id) == ("view", existing.user_id)


def test_the_resident_must_agree(signed_in):
    response = signed_in.post("/staff/members/register/", resident(agree=None, name="Kept Name"))

    html = response.content.decode()
    assert "The resident needs to agree to be registered." in html
    assert 'value="Kept Name"' in html
    assert not Member.objects.exists()


def test_analysts_cannot_register_residents(tiny_force):
    analyst = make_staff("analyst@example.test", "analyst", [tiny_force["force"]])
    client = Client()
    client.force_login(analyst)

    assert client.get("/staff/members/register/").status_code == 404


def test_members_of_the_public_cannot_register_others(client):
    member = make_member()
    client.force_login(member.user)

    assert client.get("/staff/members/register/").status_code == 404


def test_a_resident_registered_at_the_door_can_choose_a_password_by_email(
    signed_in, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post("/staff/members/register/", resident())
    visitor = Client(REMOTE_ADDR=fresh_ip())

    with django_capture_on_commit_callbacks(execute=True):
        visitor.post("/accounts/password/reset/", {"email": "maria.resident@example.test"})

    assert mailoutbox[-1].to == ["maria.resident@example.test"]
    assert re.search(r"/accounts/password/reset/key/[\w-]+/", mailoutbox[-1].body)
