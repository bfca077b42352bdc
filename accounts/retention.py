"""Retention: members inactive for a long time are warned, then erased.

A member is active when they sign in, register, or do something a higher app records
(answering a survey, for one: those apps register an *activity source* here, as they
register personal data). After ``MEMBERS_RETENTION_INACTIVE_DAYS`` without activity a
member is emailed that their account will be erased; if they are still inactive
``MEMBERS_RETENTION_GRACE_DAYS`` later it is erased through the one erasure service.
Activity after the warning withdraws it. Client addresses in security events are
forgotten after 90 days. Every step takes ``now``, so tests control the clock; the daily
task runs it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Member, SecurityEvent

# since -> ids of members active at or after ``since`` (a values_list queryset).
ActivitySource = Callable[[datetime], QuerySet]
_sources: dict[str, ActivitySource] = {}


def register_activity(key: str, source: ActivitySource) -> None:
    """Called from a higher app's ``ready()``."""
    _sources[key] = source


def _active_since(members: QuerySet[Member], since: datetime) -> QuerySet[Member]:
    """The members of ``members`` active at or after ``since``."""
    signed_in = Q(user__last_login__gte=since) | Q(registered_at__gte=since)
    active = members.filter(signed_in)
    for source in _sources.values():
        active = active | members.filter(pk__in=source(since))
    return active


# Client addresses in security events are personal data: kept this long.
SECURITY_EVENT_ADDRESS_DAYS = 90


@dataclass(frozen=True)
class RetentionSummary:
    warned: int
    erased: int
    kept: int


def members_retention_run(*, now: datetime | None = None) -> RetentionSummary:
    now = now or timezone.now()
    kept = _withdraw_warnings()
    summary = RetentionSummary(warned=_warn(now), erased=_erase(now), kept=kept)
    SecurityEvent.objects.filter(
        at__lt=now - timedelta(days=SECURITY_EVENT_ADDRESS_DAYS), ip__isnull=False
    ).update(ip=None)
    return summary


def _withdraw_warnings() -> int:
    """Members warned who have been active since: warning withdrawn."""
    kept = 0
    for member in Member.objects.filter(retention_warned_at__isnull=False):
        if _active_since(Member.objects.filter(pk=member.pk), member.retention_warned_at):
            Member.objects.filter(pk=member.pk).update(retention_warned_at=None)
            kept += 1
    return kept


def _warn(now: datetime) -> int:
    since = now - timedelta(days=settings.MEMBERS_RETENTION_INACTIVE_DAYS)
    candidates = Member.objects.filter(retention_warned_at__isnull=True, registered_at__lt=since)
    inactive = candidates.exclude(pk__in=_active_since(candidates, since).values("pk"))
    warned = 0
    erase_on = now + timedelta(days=settings.MEMBERS_RETENTION_GRACE_DAYS)
    for member in inactive.select_related("user"):
        # Claimed with a conditional update (a second run warns nobody twice); a failed
        # email undoes the claim, so tomorrow's run tries again.
        with transaction.atomic():
            claimed = Member.objects.filter(pk=member.pk, retention_warned_at__isnull=True).update(
                retention_warned_at=now
            )
            if claimed:
                _send_warning(member, erase_on=erase_on)
                warned += 1
    return warned


def _erase(now: datetime) -> int:
    from .members.erasure import ErasureRefused, member_erase

    due = now - timedelta(days=settings.MEMBERS_RETENTION_GRACE_DAYS)
    erased = 0
    for member in Member.objects.filter(retention_warned_at__lte=due).select_related("user"):
        try:
            member_erase(member=member)
        except ErasureRefused:
            # Staff who are also members are closed by an administrator, not by age.
            Member.objects.filter(pk=member.pk).update(retention_warned_at=None)
            continue
        erased += 1
    return erased


def _send_warning(member: Member, *, erase_on: datetime) -> None:
    site = settings.SITE_URL.rstrip("/")
    context = {
        "erase_on": erase_on,
        "login_url": site + reverse("account_login"),
        "reset_url": site + reverse("account_reset_password"),
        "SITE_NAME": settings.SITE_NAME,
        "FORCE_NAME": settings.FORCE_NAME,
    }
    with translation.override(member.language):
        subject = render_to_string("accounts/members/email/retention_subject.txt", context)
        body = render_to_string("accounts/members/email/retention_message.txt", context)
    send_mail(
        subject=" ".join(subject.split()),
        message=body,
        from_email=None,
        recipient_list=[member.user.email],
    )
