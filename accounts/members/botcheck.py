"""A bot check with no third-party service: a honeypot field and a minimum fill time.

The form carries a signed timestamp of when it was shown. A submission sooner than
``MEMBERS_BOT_MIN_SECONDS`` (default 3 s) after that is not a person filling in the
form; neither is one that fills in the honeypot, a field hidden from everyone (with
CSS ``display: none``, so screen readers and the keyboard never reach it either).

Nothing here needs JavaScript, and nothing asks a person to prove anything: a person
who is fast (or whose form has expired) is asked to check and send again, and keeps
everything they typed.
"""

from __future__ import annotations

import time
from enum import StrEnum

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from accounts.ratelimits import wait_words

SALT = "accounts.members.botcheck"
HONEYPOT_FIELD = "homepage"
TOKEN_FIELD = "form_token"  # noqa: S105 - a form field name
# A form left open longer than this is re-issued (the person just sends again).
MAX_AGE_SECONDS = 60 * 60 * 12


def min_seconds() -> float:
    return float(getattr(settings, "MEMBERS_BOT_MIN_SECONDS", 3))


def issue(*, at: float | None = None) -> str:
    """A signed token recording when the form was shown."""
    return signing.dumps({"t": at if at is not None else time.time()}, salt=SALT, compress=True)


class Verdict(StrEnum):
    OK = "ok"
    BOT = "bot"  # the honeypot was filled in: pretend all went well
    TOO_FAST = "too_fast"
    EXPIRED = "expired"  # or missing, or tampered with


def seconds_open(token: str, *, now: float | None = None) -> float | None:
    """How long ago the form carrying ``token`` was shown (None for a bad token)."""
    try:
        shown_at = float(signing.loads(token or "", salt=SALT, max_age=MAX_AGE_SECONDS)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return (now if now is not None else time.time()) - shown_at


def check(*, token: str, honeypot: str, now: float | None = None) -> Verdict:
    if honeypot:
        return Verdict.BOT
    now = now if now is not None else time.time()
    try:
        shown_at = float(signing.loads(token or "", salt=SALT, max_age=MAX_AGE_SECONDS)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return Verdict.EXPIRED
    if now - shown_at > MAX_AGE_SECONDS:
        return Verdict.EXPIRED
    if now - shown_at < min_seconds():
        return Verdict.TOO_FAST
    return Verdict.OK


class BotCheckMixin(forms.Form):
    """Adds the honeypot and token fields; ``clean()`` sets ``self.bot_verdict``.

    A filled honeypot is not an error shown to anyone: the view treats the submission
    as done and stores nothing. A missing, expired or too-quick token is an error
    asking the person to check and send again, with a fresh token.
    """

    homepage = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    bot_message = _(
        "Please check your answers, then send the form again. (This check stops "
        "automated sign-ups.)"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bot_verdict = Verdict.OK
        if not self.is_bound:
            self.initial[TOKEN_FIELD] = issue()

    def clean(self):
        data = super().clean()
        self.bot_verdict = check(
            token=self.data.get(self.add_prefix(TOKEN_FIELD), ""),
            honeypot=self.data.get(self.add_prefix(HONEYPOT_FIELD), ""),
        )
        if self.bot_verdict in (Verdict.TOO_FAST, Verdict.EXPIRED):
            self.add_error(None, self.bot_message)
            # The page shown again carries a new token, so the next send passes.
            self.data = self.data.copy()
            self.data[self.add_prefix(TOKEN_FIELD)] = issue()
        return data

    patience_message = _(
        "Many people have signed up from this network in the last hour. To keep out "
        "automated sign-ups, please check your answers and send the form again in "
        "%(wait)s: what you typed is kept."
    )

    def patient_enough(self, seconds: float) -> bool:
        """Whether the form was open at least ``seconds``; if not, ask to send it again
        (the page shown again carries a fresh token)."""
        opened = seconds_open(self.data.get(self.add_prefix(TOKEN_FIELD), ""))
        if opened is not None and opened >= seconds:
            return True
        # The page shown again carries a fresh token: the wait starts again from now.
        self.add_error(None, self.patience_message % {"wait": wait_words(seconds)})
        self.data = self.data.copy()
        self.data[self.add_prefix(TOKEN_FIELD)] = issue()
        return False

    @property
    def is_bot(self) -> bool:
        return self.bot_verdict is Verdict.BOT
