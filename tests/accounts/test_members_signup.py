"""Self-registration: postcode first, then the full form (django-allauth sign-up)."""

import itertools
import re

import pytest
from django.core import mail
from django.test import Client

from accounts.members.selectors import streets_near
from accounts.models import ConsentRecord, Demographics, Member, User
from areas.models import Street
from tests.factories.members import fresh_ip, make_member, postcode, signup_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(REMOTE_ADDR=fresh_ip())


def errors(response) -> list[str]:
    return re.findall(r'class="errorlist"[^>]*>([^<]*)<', response.content.decode())


def test_the_first_step_asks_only_for_the_postcode(client):
    response = client.get("/accounts/signup/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="postcode"' in html
    assert 'name="email"' not in html
    assert 'method="get"' in html


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("HU1 2P", "does not look like a UK postcode"),
        ("SW1A 1AA", "outside the area we cover"),
        ("HU1 9ZZ", "could not find that postcode"),
    ],
)
def test_a_postcode_that_cannot_be_used_is_explained_and_kept(client, typed, message):
    response = client.get("/accounts/signup/", {"postcode": typed})

    assert any(message in e for e in errors(response))
    assert f'value="{typed}"' in response.content.decode()


def test_the_second_step_lists_the_streets_of_the_ward_nearest_first(client):
    pc = postcode("HU1 2PD")
    nearest = streets_near(pc)
    assert nearest, "the real Humberside streets are loaded for the tests"

    response = client.get("/accounts/signup/", {"postcode": "hu1 2pd"})

    html = response.content.decode()
    street_select = html.split('name="street"')[1].split("</select>")[0]
    options = re.findall(r'<option value="(\d+)"', street_select)
    assert options == [str(s.pk) for s in nearest]
    assert {s.ward_id for s in nearest} == {pc.ward_id}
    assert 'value="HU1 2PD"' in html


def test_the_street_list_offers_no_place_police_uk_names_as_a_street(client):
    pc = postcode("HU1 2PD")
    places = set(Street.objects.places().filter(ward_id=pc.ward_id).values_list("pk", flat=True))
    assert places, "Central has car parks, a bus station and a hospital among its names"

    response = client.get("/accounts/signup/", {"postcode": "hu1 2pd"})

    street_select = response.content.decode().split('name="street"')[1].split("</select>")[0]
    assert not {int(pk) for pk in re.findall(r'<option value="(\d+)"', street_select)} & places


def test_streets_are_ordered_by_distance_from_the_postcode():
    pc = postcode("HU1 2PD")

    distances = [s.geometry.distance(pc.point) for s in streets_near(pc)]

    # KNN orders by distance to the bounding box: allow ties of a few metres.
    assert all(a <= b + 1 for a, b in itertools.pairwise(distances))


def test_registering_makes_a_member_with_their_choices_and_consents(
    client, django_capture_on_commit_callbacks
):
    data = signup_data()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/signup/", data)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    member = Member.objects.select_related("user", "ward").get(user__email=data["email"])
    assert member.user.name == "Jan Kowalski"
    assert member.postcode.code == "HU1 2PD"
    assert member.ward.code == "E05011529"
    assert str(member.street_id) == data["street"]
    assert (member.phone, member.by_email, member.by_sms) == ("+447700900123", True, True)
    assert member.max_frequency == "weekly"
    assert [g.slug for g in member.groups.all()] == ["neighbourhood-watch"]
    assert member.key_contact is True
    assert member.source == Member.Source.SELF
    demographics = Demographics.objects.get(member=member)
    assert demographics.answered() == {
        "age_band": "35-44",
        "ethnic_group": "white_other",
        "religion": "prefer_not_to_say",
        "main_language": "pl",
    }
    consents = {c.item: c.how for c in ConsentRecord.objects.filter(member=member)}
    # "Prefer not to say" holds nothing, so needs no consent.
    assert consents == {
        "registration": "online",
        "age_band": "online",
        "ethnic_group": "online",
        "main_language": "online",
    }
    assert len(mail.outbox) == 1
    assert re.search(r"/accounts/confirm-email/[\w:-]+/", mail.outbox[0].body)
    assert not member.user.emailaddress_set.get().verified


def test_validation_errors_keep_everything_that_was_typed(client):
    data = signup_data(phone="0123", agree=None, name="Zofia Nowak")

    response = client.post("/accounts/signup/", data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a UK mobile number" in html
    assert "You need to agree to this to register." in html
    assert 'value="Zofia Nowak"' in html
    assert f'value="{data["email"]}"' in html
    assert 'value="0123"' in html
    assert f'<option value="{data["street"]}" selected>' in html
    assert re.search(r'<input[^>]*name="max_frequency" value="weekly"[^>]*checked', html)
    assert '<option value="white_other" selected>' in html
    assert re.search(r'<input[^>]*name="consent_ethnic_group"[^>]*checked', html)
    assert re.search(r'<input[^>]*name="key_contact"[^>]*checked', html)
    assert not User.objects.filter(email=data["email"]).exists()


def test_a_sensitive_answer_without_explicit_consent_is_refused_and_nothing_stored(client):
    data = signup_data(consent_ethnic_group=None)

    response = client.post("/accounts/signup/", data)

    assert "Tick the box to give your consent" in response.content.decode()
    assert not User.objects.filter(email=data["email"]).exists()


def test_text_messages_need_a_mobile_number(client):
    response = client.post("/accounts/signup/", signup_data(phone=""))

    assert any("Enter a mobile number to get text messages" in e for e in errors(response))


def test_changing_the_postcode_on_the_form_asks_for_the_street_again(client):
    data = signup_data(postcode="HU1 1AA")  # another ward; the street was near HU1 2PD

    response = client.post("/accounts/signup/", data)

    html = response.content.decode()
    assert "choose your street again" in html
    street_select = html.split('name="street"')[1].split("</select>")[0]
    shown = re.findall(r'<option value="(\d+)"', street_select)
    assert shown == [str(s.pk) for s in streets_near(postcode("HU1 1AA"))]


def test_signing_up_with_a_registered_email_reveals_nothing_and_changes_nothing(
    client, django_capture_on_commit_callbacks
):
    existing = make_member(email="taken@example.test", name="First Person")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/", signup_data(email="Taken@Example.test", name="Second Person")
        )

    # The same answer as a new sign-up...
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    # ...but nothing created or changed, and the owner of the address is told.
    assert Member.objects.filter(user__email="taken@example.test").count() == 1
    existing.user.refresh_from_db()
    assert existing.user.name == "First Person"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["taken@example.test"]
    assert "/accounts/confirm-email/" not in mail.outbox[0].body


def test_a_signed_in_member_is_sent_to_my_account_after_signing_in(client):
    make_member(email="pat@example.test")

    response = client.post(
        "/accounts/login/", {"login": "pat@example.test", "password": "correct horse battery"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/my-account/"


def summary_links(response) -> list[str]:
    summary = response.content.decode().split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'<a href="#[^"]+">([^<]*)</a>', summary)


def test_the_error_summary_names_the_agreement_in_a_few_words_not_its_paragraph(client):
    response = client.post("/accounts/signup/", signup_data(agree=None))

    assert summary_links(response) == [
        "Agreement to register: You need to agree to this to register."
    ]


def test_the_error_summary_names_a_missing_consent_by_its_question(client):
    response = client.post("/accounts/signup/", signup_data(consent_ethnic_group=None))

    (link,) = summary_links(response)
    assert link.startswith("Consent for “Ethnic group”: Tick the box")
