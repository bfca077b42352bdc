"""The sign-up bot check: a honeypot and a minimum fill time, no third party."""

import re
import time
from pathlib import Path

import pytest
from django.test import Client

from accounts.members import botcheck
from accounts.models import User
from tests.factories.members import fresh_ip, signup_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(REMOTE_ADDR=fresh_ip())


def test_a_filled_honeypot_looks_like_success_but_stores_nothing(client, mailoutbox):
    data = signup_data(homepage="http://spam.example")

    response = client.post("/accounts/signup/", data)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert not User.objects.filter(email=data["email"]).exists()
    assert mailoutbox == []


def test_a_form_sent_too_quickly_is_refused_and_keeps_what_was_typed(client, settings):
    settings.MEMBERS_BOT_MIN_SECONDS = 3
    data = signup_data(form_token=botcheck.issue(), name="Quick Person")

    response = client.post("/accounts/signup/", data)

    html = response.content.decode()
    assert "Please check your answers, then send the form again." in html
    assert 'value="Quick Person"' in html
    assert not User.objects.filter(email=data["email"]).exists()
    # The page carries a new token, so sending it again (after a moment) works.
    new_token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    assert new_token != data["form_token"]


# Tokens are made in the test, not at collection: a signed token carries the time it was
# signed, so a parameter holding one would have another name in each pytest-xdist worker.
TOKENS = {
    "missing": lambda: "",
    "forged": lambda: "forged",
    "expired": lambda: botcheck.issue(at=0),
}


@pytest.mark.parametrize("kind", TOKENS)
def test_a_missing_forged_or_expired_token_is_refused(client, kind):
    data = signup_data(form_token=TOKENS[kind]())

    response = client.post("/accounts/signup/", data)

    assert "Please check your answers" in response.content.decode()
    assert not User.objects.filter(email=data["email"]).exists()


def test_someone_who_takes_their_time_passes(settings):
    settings.MEMBERS_BOT_MIN_SECONDS = 3
    shown = 1_000_000.0

    assert botcheck.check(token=botcheck.issue(at=shown), honeypot="", now=shown + 2) == "too_fast"
    assert botcheck.check(token=botcheck.issue(at=shown), honeypot="", now=shown + 4) == "ok"
    assert botcheck.check(token=botcheck.issue(at=time.time() - 600), honeypot="") == "ok"


def test_the_honeypot_is_out_of_reach_of_keyboard_and_screen_reader_users(client):
    html = client.get("/accounts/signup/", {"postcode": "HU1 2PD"}).content.decode()

    honeypot = re.search(r'<div class="hp-field">(.*?)</div>', html, re.S).group(1)
    assert 'tabindex="-1"' in honeypot
    css = Path("static/css/members.css").read_text()
    assert ".hp-field { display: none; }" in css
    # No JavaScript is involved: the token is plain HTML.
    assert re.search(r'<input type="hidden" name="form_token" value="[^"]+"', html)
