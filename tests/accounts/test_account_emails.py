"""The account emails (confirmation, password reset) are the project's own, branded, and
in the member's own language."""

import pytest
from django.core import mail
from django.test import Client

from tests.factories.members import fresh_ip, make_member, signup_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(REMOTE_ADDR=fresh_ip())


def test_the_confirmation_email_is_ours_and_greets_the_member_by_name(client):
    client.post("/accounts/signup/", signup_data(email="jan.k@example.test", name="Jan Kowalski"))

    (email,) = mail.outbox
    assert email.subject == "Community Alert: Please confirm your email address"
    assert email.body.startswith("Hello Jan Kowalski,")
    assert "Thank you for joining Community Alert" in email.body
    assert "/accounts/confirm-email/" in email.body
    assert "The Community Alert team" in email.body
    assert "Hello from" not in email.body and "example.com" not in email.body


def test_signing_up_in_polish_sends_the_confirmation_in_polish(client):
    client.cookies["django_language"] = "pl"

    client.post("/accounts/signup/", signup_data(email="zofia@example.test", name="Zofia"))

    (email,) = mail.outbox
    assert email.subject == "Community Alert: Potwierdź swój adres e-mail"
    assert "Dziękujemy za dołączenie do Community Alert" in email.body
    assert "Zespół Community Alert" in email.body


def test_the_password_email_is_in_the_members_language_whatever_the_page(client):
    member = make_member(email="ola@example.test", name="Ola")
    member.language = "pl"
    member.save(update_fields=["language"])

    client.post("/accounts/password/reset/", {"email": "ola@example.test"})

    (email,) = mail.outbox
    assert email.subject == "Community Alert: Ustaw nowe hasło"
    assert "Ktoś, mamy nadzieję, że Ty, poprosił o ustawienie nowego hasła" in email.body
    assert "/accounts/password/reset/key/" in email.body


def test_the_password_email_of_an_english_member_is_in_english(client):
    make_member(email="pat@example.test", name="Pat")

    client.post("/accounts/password/reset/", {"email": "pat@example.test"})

    (email,) = mail.outbox
    assert email.subject == "Community Alert: Choose a new password"
    assert email.body.startswith("Hello Pat,")
    assert "asked to choose a new password for your account" in email.body
