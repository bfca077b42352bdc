"""Two-factor codes are limited per account, whatever address the attempts come from.

Someone who has an officer's password and tries codes from many addresses (a new
address, a new session for each attempt) is stopped after a few wrong codes; each
refusal is recorded as a security event naming the account. A correct code after the
pause signs in as usual.
"""

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client

from accounts.models import SecurityEvent
from demo.staff import current_totp_code
from tests.factories import make_staff
from tests.factories.members import fresh_ip

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
MFA_URL = "/accounts/2fa/authenticate/"


def staff(email: str, ward):
    user = make_staff(email, "officer", [ward])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def officer(tiny_force):
    return staff("mfa.officer@example.test", tiny_force["riverside"])


@pytest.fixture
def limits(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "60/m/ip,3/5m/key,10/h/key"}


def at_the_code_step(user) -> Client:
    """A new client from an address of its own, past the password."""
    client = Client(REMOTE_ADDR=fresh_ip())
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == MFA_URL
    return client


def wrong(user) -> str:
    return "000000" if current_totp_code(user) != "000000" else "111111"


def test_wrong_codes_from_many_addresses_pause_the_code_step_of_that_account(officer, limits):
    for _ in range(3):
        page = at_the_code_step(officer).post(MFA_URL, {"code": wrong(officer)})
        assert page.status_code == 200 and "Incorrect code" in page.content.decode()

    refused = at_the_code_step(officer).post(
        MFA_URL, {"code": current_totp_code(officer, margin=2)}
    )

    assert refused.status_code == 200
    assert "Too many failed login attempts" in refused.content.decode()
    assert "_auth_user_id" not in refused.wsgi_request.session  # not signed in


def test_a_refused_code_is_recorded_with_the_account_it_was_for(officer, limits):
    for _ in range(3):
        at_the_code_step(officer).post(MFA_URL, {"code": wrong(officer)})

    client = at_the_code_step(officer)
    client.post(MFA_URL, {"code": wrong(officer)})

    event = SecurityEvent.objects.get(action="mfa_code")
    assert (event.kind, event.user_id, event.path) == ("rate_limited", officer.pk, MFA_URL)
    assert event.ip == client.defaults["REMOTE_ADDR"]


def test_another_officers_code_step_is_not_paused(officer, limits, tiny_force):
    colleague = staff("mfa.colleague@example.test", tiny_force["hillside"])
    for _ in range(4):
        at_the_code_step(officer).post(MFA_URL, {"code": wrong(officer)})

    signed_in = at_the_code_step(colleague).post(
        MFA_URL, {"code": current_totp_code(colleague, margin=2)}
    )

    assert signed_in.status_code == 302


def test_after_the_pause_the_right_code_signs_in(officer, limits):
    for _ in range(4):
        at_the_code_step(officer).post(MFA_URL, {"code": wrong(officer)})

    cache.clear()  # the pause is over: the counts live in the cache, for minutes
    signed_in = at_the_code_step(officer).post(
        MFA_URL, {"code": current_totp_code(officer, margin=2)}
    )

    assert signed_in.status_code == 302 and signed_in["Location"] == "/staff/"
