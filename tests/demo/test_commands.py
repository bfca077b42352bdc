"""The demo's commands: the current two-factor code, and how to sign in."""

import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from demo.staff import DEMO_PASSWORD, DEMO_STAFF, create_demo_staff, current_totp_code
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_totp_code_prints_the_code_an_authenticator_shows_for_a_demo_account():
    (officer, *_) = create_demo_staff()

    before = time.time()
    code = run("totp_code", "Officer@demo.example").strip()
    after = time.time()

    # The 30-second window may turn over while the command runs.
    assert code in {current_totp_code(officer, at=before), current_totp_code(officer, at=after)}
    assert len(code) == 6 and code.isdigit()


def test_totp_code_refuses_an_account_outside_the_demo(tiny_force):
    make_staff("real.officer@example.test", "officer", [tiny_force["riverside"]])

    with pytest.raises(CommandError, match="Only the demo accounts"):
        run("totp_code", "real.officer@example.test")


def test_demo_logins_lists_every_demo_role_and_the_password():
    text = run("demo_logins", "--base-url", "http://demo.test:8000")

    assert "http://demo.test:8000/accounts/login/" in text and DEMO_PASSWORD in text
    assert all(spec.email in text for spec in DEMO_STAFF)
