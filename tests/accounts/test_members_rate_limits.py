"""Rate limits on sign-up, sign-in and password reset: a clear page and HTTP 429.

Limits slow an attacker down without letting anyone lock others out: failed sign-ins
count per account and address, a busy address is not blocked, and sign-ups past a
number an hour meet a slower bot check instead of a block. Every refusal is recorded.
And answers never tell whether an email address is registered.
"""

import time

import pytest
from django.test import Client

from accounts.members import botcheck
from accounts.models import Member, SecurityEvent
from tests.factories import make_staff
from tests.factories.members import PASSWORD, fresh_ip, make_member, signup_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(REMOTE_ADDR=fresh_ip())


@pytest.fixture
def tight_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = {
        "member_signup": "2/h/ip",
        "login": "2/m/ip",
        "login_failed": "2/m/ip",
        "reset_password": "2/m/ip",
        "reset_password_email": "2/m/ip",
    }
    settings.MEMBERS_BOT_SLOW_SECONDS = 300


def assert_try_again_later(response):
    assert response.status_code == 429
    html = response.content.decode()
    assert "Please try again later" in html
    assert 'href="/"' in html  # the usual page around it, with a way out


def test_sign_ups_from_a_busy_address_meet_a_slower_bot_check_not_a_block(client, tight_limits):
    for n in range(2):
        client.post("/accounts/signup/", signup_data(email=f"p{n}@example.test"))

    quick = client.post("/accounts/signup/", signup_data(email="p3@example.test", name="Kept"))
    patient = client.post(
        "/accounts/signup/",
        signup_data(email="p4@example.test", form_token=botcheck.issue(at=time.time() - 10 * 60)),
    )

    assert quick.status_code == 200
    html = quick.content.decode()
    assert "send the form again in 5 minutes" in html and 'value="Kept"' in html  # 300 s
    assert not Member.objects.filter(user__email="p3@example.test").exists()
    assert patient.status_code == 302
    assert Member.objects.filter(user__email="p4@example.test").exists()
    assert SecurityEvent.objects.filter(action="member_signup").count() == 2


def test_too_many_sign_in_attempts_are_paused(client, tight_limits):
    for _ in range(2):
        client.post("/accounts/login/", {"login": "x@example.test", "password": "wrong"})

    response = client.post("/accounts/login/", {"login": "x@example.test", "password": "wrong"})

    assert_try_again_later(response)


def test_the_pause_page_tells_the_real_wait(client, tight_limits):
    for _ in range(2):
        client.post("/accounts/login/", {"login": "x@example.test", "password": "wrong"})

    response = client.post("/accounts/login/", {"login": "x@example.test", "password": "wrong"})

    html = response.content.decode()
    assert "You can send it again in 1 minute" in html or "You can try again in 1 minute" in html
    assert 1 <= int(response["Retry-After"]) <= 60


def test_the_pause_page_keeps_what_was_typed(client, tight_limits):
    for n in range(2):
        client.post("/accounts/password/reset/", {"email": f"r{n}@example.test"})

    response = client.post("/accounts/password/reset/", {"email": "kept@example.test"})

    assert response.status_code == 429
    assert 'value="kept@example.test"' in response.content.decode()


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


# --- Nobody can lock anyone else out ---------------------------------------------------------


@pytest.fixture
def officer_account(tiny_force):
    return make_staff("pc.target@example.test", "officer", [tiny_force["riverside"]])


def sign_in(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


def signed_in(response) -> bool:
    # Staff go on to their two-factor code; either way the password was accepted.
    return response.status_code == 302 and "/accounts/login/" not in response["Location"]


def test_wrong_passwords_from_one_address_do_not_lock_the_officer_out(officer_account):
    attacker = Client(REMOTE_ADDR=fresh_ip())
    for _ in range(12):
        sign_in(attacker, "pc.target@example.test", "guess")

    officer = Client(REMOTE_ADDR=fresh_ip())

    assert signed_in(sign_in(officer, "pc.target@example.test", PASSWORD))


def test_wrong_passwords_from_one_address_slow_that_address_down(officer_account):
    attacker = Client(REMOTE_ADDR=fresh_ip())
    for _ in range(5):
        sign_in(attacker, "pc.target@example.test", "guess")

    refused = sign_in(attacker, "pc.target@example.test", PASSWORD)

    assert not signed_in(refused)
    assert "Too many failed login attempts" in refused.content.decode()
    event = SecurityEvent.objects.get(action="login_failed")
    assert event.ip == attacker.defaults["REMOTE_ADDR"]


def test_a_busy_address_does_not_block_sign_ins_from_it(officer_account):
    make_member(email="busy@example.test")
    station = fresh_ip()
    busy = Client(REMOTE_ADDR=station)
    for _ in range(210):  # more than an hour's worth under the old per-address limit
        sign_in(busy, "busy@example.test", PASSWORD)
        busy.logout()

    assert signed_in(sign_in(Client(REMOTE_ADDR=station), "pc.target@example.test", PASSWORD))


def test_a_sign_in_refused_by_a_limit_keeps_the_address_typed(client, tight_limits):
    for _ in range(2):
        sign_in(client, "x@example.test", "wrong")

    response = sign_in(client, "typed@example.test", "wrong")

    assert response.status_code == 429
    assert 'value="typed@example.test"' in response.content.decode()
    assert SecurityEvent.objects.filter(kind="rate_limited").exists()
