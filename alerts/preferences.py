"""Writes for the member's control from a message: preferences, with the change confirmed
by email, and the email address suspended after a permanent refusal.

The preferences link in every message opens a form without signing in; sending it
does not change anything yet: an email goes to the member's address with a link that
carries the change, signed, and the change is made when that link is confirmed (so a
forwarded message cannot be used to change someone's preferences unseen). The
confirmation link is spent once used: it names the preferences as they were, and any
change since makes it stale.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Member

from .links import make_token, read_token
from .models import MemberPreferences

logger = logging.getLogger(__name__)

CONFIRM_PURPOSE = "preferences-confirm"
CONFIRM_LINK_HOURS = 48


def preferences_for(member: Member) -> MemberPreferences:
    prefs, _created = MemberPreferences.objects.get_or_create(member=member)
    return prefs


def _stamp(prefs: MemberPreferences) -> int:
    """Changes with every confirmed change: what makes a confirmation link single-use."""
    return prefs.changes


def _time(value: time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def preferences_change_request(*, member: Member, changes: dict, now: datetime | None = None):
    """Email the member a link that makes ``changes`` (the preferences form's data)."""
    now = now or timezone.now()
    prefs = preferences_for(member)
    data = {
        "m": member.pk,
        "s": _stamp(prefs),
        "t": sorted(changes["types"]),
        "e": bool(changes.get("by_email")),
        "x": bool(changes.get("by_sms")),
        "f": changes["max_frequency"],
        "qs": _time(changes.get("quiet_start")),
        "qe": _time(changes.get("quiet_end")),
        # A new address (after the old one was refused): the link goes to it, which proves
        # it is the member's.
        "ne": (changes.get("new_email") or "").strip().lower(),
    }
    token = make_token(
        purpose=CONFIRM_PURPOSE, data=data, expires_at=now + timedelta(hours=CONFIRM_LINK_HOURS)
    )
    url = settings.SITE_URL.rstrip("/") + reverse("alerts_preferences_confirm", args=[token])
    address = data["ne"] or member.user.email
    context = {"url": url, "SITE_NAME": settings.SITE_NAME}

    def send() -> None:
        with translation.override(member.language or settings.LANGUAGE_CODE):
            send_mail(
                subject=str(render_to_string("alerts/email/preferences_subject.txt")).strip(),
                message=render_to_string("alerts/email/preferences_message.txt", context),
                from_email=None,
                recipient_list=[address],
            )

    transaction.on_commit(send)


def change_from_token(token: str, *, now: datetime) -> tuple[Member, dict] | None:
    """The member and change a confirmation link carries; None for every bad link
    (tampered, expired, foreign, or spent: the preferences changed since it was made)."""
    data = read_token(token, purpose=CONFIRM_PURPOSE, now=now)
    if data is None or not isinstance(data.get("m"), int):
        return None
    member = Member.objects.select_related("user").filter(pk=data["m"]).first()
    if member is None or not member.user.is_active:
        return None
    if data.get("s") != _stamp(preferences_for(member)):
        return None
    return member, data


def _parse_time(text: str) -> time | None:
    return time.fromisoformat(text) if text else None


@transaction.atomic
def preferences_apply(*, member: Member, change: dict) -> MemberPreferences:
    """Make a confirmed change (the data of a confirmation link)."""
    prefs = MemberPreferences.objects.select_for_update().get(member=member)
    if change.get("s") != prefs.changes:
        raise ValueError("the confirmation link is stale")
    valid_types = set(MemberPreferences.Type.values)
    prefs.types = [t for t in change.get("t", []) if t in valid_types]
    prefs.quiet_start = _parse_time(change.get("qs", ""))
    prefs.quiet_end = _parse_time(change.get("qe", ""))
    prefs.changes += 1
    prefs.save(update_fields=["types", "quiet_start", "quiet_end", "changes"])
    member.by_email = bool(change.get("e"))
    member.by_sms = bool(change.get("x")) and bool(member.phone)
    if change.get("f") in Member.Frequency.values:
        member.max_frequency = change["f"]
    member.save(update_fields=["by_email", "by_sms", "max_frequency"])
    if change.get("ne"):
        _address_replace(member=member, prefs=prefs, address=change["ne"])
    return prefs


def _address_replace(*, member: Member, prefs: MemberPreferences, address: str) -> None:
    """The member's new address, confirmed by the link sent to it; emailing resumes."""
    from allauth.account.models import EmailAddress

    user = member.user
    if user.__class__.objects.filter(email__iexact=address).exclude(pk=user.pk).exists():
        # Taken by another account: nothing changes, and the page says no more than that
        # the link cannot be used (as for any refused link).
        raise ValueError("address in use")
    user.email = address
    user.save(update_fields=["email"])
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=address, verified=True, primary=True)
    prefs.email_suspended_at = None
    prefs.email_suspended_reason = ""
    prefs.save(update_fields=["email_suspended_at", "email_suspended_reason"])


# --- Quiet hours ----------------------------------------------------------------------------


def quiet_until(member: Member, *, now: datetime) -> datetime | None:
    """When the member's quiet hours end, if ``now`` is inside them (local time); else None."""
    try:
        prefs = member.preferences
    except MemberPreferences.DoesNotExist:
        return None
    start, end = prefs.quiet_start, prefs.quiet_end
    if start is None or end is None or start == end:
        return None
    local = timezone.localtime(now)
    t = local.time()
    inside = (start <= t < end) if start < end else (t >= start or t < end)
    if not inside:
        return None
    ends = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if ends <= local:
        ends += timedelta(days=1)
    return ends


# --- A refused address ----------------------------------------------------------------------


def email_suspend(*, member_id: int, reason: str, now: datetime | None = None) -> bool:
    """Stop emailing a member whose address was refused for good (SMTP 5xx, a bounce).

    Returns True if this call suspended it (False if it already was). The first time,
    where the member has a mobile number, one text message asks for a new address.
    """
    now = now or timezone.now()
    prefs, _created = MemberPreferences.objects.get_or_create(member_id=member_id)
    suspended = MemberPreferences.objects.filter(
        pk=prefs.pk, email_suspended_at__isnull=True
    ).update(email_suspended_at=now, email_suspended_reason=reason[:200])
    if not suspended:
        return False
    member = Member.objects.select_related("user").get(pk=member_id)
    if member.phone:
        from .services import new_address_request

        new_address_request(member=member, now=now)
    return True
