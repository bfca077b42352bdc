"""Rate limits on sign-up, sign-in and password reset: a clear page and HTTP 429.

And answers that never tell whether an email address is registered.
"""

import pytest
from django.test import Client

from tests.factories.members import fresh_ip, make_member, signup_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(REMOTE_ADDR=fresh_ip())


@pytest.fixture
def tight_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = {
        "signup": "2/h/ip",
        "login": "2/m/ip",
        "login_failed": "2/m/ip",
        "reset_password": "2/m/ip",
        "reset_password_email": "2/m/ip",
    }


def assert_try_again_later(response):
    assert response.status_code == 429
    html = response.content.decode()
    assert "Please try again later" in html
    assert 'href="/"' in html  # the usual page around it, with a way out


def test_too_many_sign_ups_from_one_address_are_paused(client, tight_limits):
    for n in range(2):
        client.post("/accounts/signup/", signup_data(email=f"p{n}@example.test"))

    response = client.post("/accounts/signup/", signup_data(email="p3@example.test"))

    assert_try_again_later(response)


def test_too_many_sign_in_attempts_are_paused(client, tight_limits):
    for _ in range(2):
        client.post("/accounts/login/", {"login": "x@example.test", "password": "wrong"})

    response = client.post("/accounts/login/", {"login": "x@example.test", "password": "wrong"})

    assert_try_again_later(response)


def test_too_many_password_resets_are_paused(client, tight_limits):
    for n in range(2):
        client.post("/accounts/password/reset/", {"email": f"r{n}@example.test"})

    response = client.post("/accounts/password/reset/", {"email": "r3@example.test"})

    assert_try_again_later(response)


def test_the_limit_applies_per_address_not_to_everyone(client, tight_limits):
    for n in range(3):
        client.post("/accounts/password/reset/", {"email": f"r{n}@example.test"})

    other = Client(REMOTE_ADDR=fresh_ip())
    response = other.post("/accounts/password/reset/", {"email": "someone@example.test"})

    assert response.status_code == 302


def test_a_password_reset_answers_the_same_for_a_known_and_an_unknown_address(client):
    make_member(email="known@example.test")

    known = client.post("/accounts/password/reset/", {"email": "known@example.test"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.test"})

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    page = client.get(known["Location"]).content.decode()
    assert "If that address is registered with us" in page


def test_a_failed_sign_in_does_not_say_whether_the_address_is_registered(client):
    make_member(email="known@example.test")

    known = client.post("/accounts/login/", {"login": "known@example.test", "password": "wrong"})
    unknown = client.post("/accounts/login/", {"login": "nobody@example.test", "password": "x"})

    def summary(response):
        html = response.content.decode()
        return html.split('class="error-summary"')[1].split("</ul>")[0]

    assert summary(known) == summary(unknown)
