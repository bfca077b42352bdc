"""Rate limits that slow an attacker without letting them lock anyone else out.

One mechanism: django-allauth's rate limits (``ACCOUNT_RATE_LIMITS``, counted in the
cache), for allauth's own forms and for ours. The limits are chosen so that what an
attacker can exhaust is only their own:

- failed sign-ins and codes count per account *and* client address (the adapter's
  key), in growing steps (a few in 5 minutes, more in an hour, more in a day), so
  someone who knows an officer's email address cannot lock the officer out;
- two-factor codes (the step after the password) count per account alone, whatever
  the address (allauth's ``mfa-auth-user-<id>`` key under the same ``login_failed``
  rates): only someone who has the password can pause that step, and trying codes
  from many addresses gains them nothing. Each refusal names the account
  (action ``mfa_code``);
- what counts per address alone (every sign-in request, password resets) is a flood
  guard set far above what a police station or a community event's Wi-Fi sends;
- sign-ups are not blocked per address: past a number an hour, the bot check asks for
  more patience (``SIGNUP_SLOW_SECONDS``) instead;
- officers' doorstep registrations count per officer.

Every refusal is recorded as a :class:`~accounts.models.SecurityEvent`, and a form
refused by a limit comes back with what the person typed.
"""

from __future__ import annotations

import math
import time

from allauth.core import ratelimit
from allauth.core.internal import ratelimit as allauth_limits
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import SecurityEvent

REFUSED = _(
    "Please try again later: this form has been sent many times in a short while, so we "
    "have paused it for a few minutes. What you typed is kept."
)


def client_ip(request: HttpRequest) -> str | None:
    """The client address as the rate limits see it (allauth's adapter decides)."""
    from allauth.account.adapter import get_adapter

    return get_adapter(request).get_client_ip(request) or None


def refusal_record(
    request: HttpRequest, *, action: str, user_id: int | None = None
) -> SecurityEvent:
    """Record a refusal; ``user_id`` names the account when nobody is signed in yet."""
    user = getattr(request, "user", None)
    if user_id is None and user is not None and user.is_authenticated:
        user_id = user.pk
    return SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.RATE_LIMITED,
        action=action[:40],
        user_id=user_id,
        ip=client_ip(request),
        path=request.get_full_path()[:300],
    )


def allow(request: HttpRequest, *, action: str, key: str | None = None) -> bool:
    """Count one use of ``action``; False (and the refusal recorded) when over a limit."""
    if ratelimit.consume(request, action=action, key=key):
        return True
    refusal_record(request, action=action)
    return False


def refuse_form(form: forms.Form) -> None:
    """Mark a bound form refused by a limit without validating it again: the page shown
    then keeps what was typed (passwords excepted, as always)."""
    errors = forms.utils.ErrorDict()
    errors[forms.forms.NON_FIELD_ERRORS] = form.error_class([REFUSED], renderer=form.renderer)
    form._errors = errors
    if not hasattr(form, "cleaned_data"):
        form.cleaned_data = {}


# The limits each page's form counts (allauth's actions), for the wait the 429 page tells.
PAGE_ACTIONS = {
    "account_login": ("login", "login_failed"),
    "account_reset_password": ("reset_password",),
    "account_confirm_email": ("confirm_email",),
    "account_signup": ("signup", "member_signup"),
    "doorstep_register": ("doorstep",),
}


def wait_seconds(request: HttpRequest, *, actions) -> float | None:
    """How long until the limits of ``actions`` that count this address or user let one
    more through; None when none of them is full (or it counts per account, unknown here)."""
    waits = []
    now = time.time()
    for action in actions:
        for rate in allauth_limits.parse_rates(settings.ACCOUNT_RATE_LIMITS.get(action)):
            if rate.per == "key" or (rate.per == "user" and not request.user.is_authenticated):
                continue
            if rate.amount <= 0:
                continue  # a limit that lets nothing through has no wait to tell
            key = allauth_limits.get_cache_key(
                request, app="allauth.account", action=action, rate=rate
            )
            history = [t for t in cache.get(key, []) if t > now - rate.duration]
            if len(history) >= rate.amount:
                waits.append(sorted(history, reverse=True)[rate.amount - 1] + rate.duration - now)
    return max(waits) if waits else None


def wait_words(seconds: float) -> str:
    """ "5 minutes", "1 minute", "40 seconds": a wait, rounded up."""
    whole = max(1, math.ceil(seconds))
    if whole >= 60:
        minutes = math.ceil(whole / 60)
        return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    return ngettext("%(n)s second", "%(n)s seconds", whole) % {"n": whole}
