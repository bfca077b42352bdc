"""An officer registers a resident on their doorstep."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from accounts.models import AccessLog, ConsentRecord, Member, SecurityEvent
from areas.models import Area, Postcode
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


def answer(client, data) -> tuple[int, str, list[str]]:
    """What the officer sees after sending the form: status, where to, and the notices."""
    response = client.post("/staff/members/register/", data, follow=True)
    notices = [str(m) for m in response.context["messages"]] if response.context else []
    return response.status_code, response.redirect_chain, notices


@pytest.mark.parametrize("where", ["HU1 2PD", "YO15 1AA"], ids=["in-scope", "elsewhere"])
def test_an_address_already_registered_gets_the_same_answer_as_a_new_one(
    signed_in, officer, where, mailoutbox, django_capture_on_commit_callbacks
):
    existing = make_member(email="maria.resident@example.test", name="Maria First")
    existing.postcode = Postcode.objects.filter(ward__isnull=False, code__startswith=where[:4])[0]
    existing.save()

    with django_capture_on_commit_callbacks(execute=True):
        known = answer(signed_in, resident(name="Someone Else"))
        unknown = answer(signed_in, resident(name="Someone Else", email="new@example.test"))

    assert known == (unknown[0], unknown[1], [unknown[2][0].replace("new@", "maria.resident@")])
    assert "already" not in str(known).lower()
    assert Member.objects.filter(user__email="maria.resident@example.test").count() == 1
    existing.user.refresh_from_db()
    assert existing.user.name == "Maria First"
    assert not AccessLog.objects.filter(subject_user_id=existing.user_id).exists()
    # The owner of the address hears that someone tried, and that nothing changed.
    to_owner = [m for m in mailoutbox if m.to == ["maria.resident@example.test"]]
    assert len(to_owner) == 1
    assert "already have an account" in to_owner[0].body
    assert "confirm-email" not in to_owner[0].body


def test_registering_residents_at_the_door_is_rate_limited_and_keeps_what_was_typed(
    signed_in, settings
):
    settings.ACCOUNT_RATE_LIMITS = settings.ACCOUNT_RATE_LIMITS | {"doorstep": "2/h/user"}
    for n in range(2):
        signed_in.post("/staff/members/register/", resident(email=f"r{n}@example.test"))

    response = signed_in.post(
        "/staff/members/register/", resident(email="third@example.test", name="Kept Name")
    )

    assert response.status_code == 429
    html = response.content.decode()
    assert 'value="Kept Name"' in html and 'value="third@example.test"' in html
    assert "try again" in html
    assert not Member.objects.filter(user__email="third@example.test").exists()
    assert SecurityEvent.objects.filter(action="doorstep", kind="rate_limited").count() == 1


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
