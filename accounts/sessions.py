"""Staff sessions: 12 hours at most, 30 minutes idle at most, and over when deactivated.

Members of the public keep the usual session (My account is theirs alone); a staff
session opens force data and personal details, often on shared or mobile devices.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .models import SecurityEvent, StaffProfile, User

STARTED = "staff_session_started"
SEEN = "staff_session_seen"
# How stale "last seen" may be before a request records it again: recording it saves the
# session (a database write), which need not happen on every page of a busy officer. The
# idle limit is then kept to within this many seconds.
SEEN_EVERY_SECONDS = 60


def clock() -> float:
    """Now, in seconds (tests replace it to move time on)."""
    return time.time()


def _end(request: HttpRequest, reason: str) -> None:
    user_id = request.user.pk
    logout(request)
    SecurityEvent.objects.create(
        kind=SecurityEvent.Kind.SESSION_ENDED,
        action=reason,
        user_id=user_id,
        path=request.get_full_path()[:300],
    )


def why_over(request: HttpRequest, *, active: bool, now: float) -> str | None:
    """Why this signed-in staff session must end now, or None while it may go on."""
    if not active or not request.user.is_active:
        return "deactivated"
    if now - request.session.get(STARTED, now) > settings.STAFF_SESSION_MAX_SECONDS:
        return "12 hours"
    if now - request.session.get(SEEN, now) > settings.STAFF_SESSION_IDLE_SECONDS:
        return "idle"
    return None


class StaffSessionMiddleware:
    """Ends staff sessions past their limits; the page then asks them to sign in again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    @staticmethod
    def check(request: HttpRequest) -> None:
        try:
            # Read through the user, so the staff pages' own check reuses it.
            active = request.user.staff.is_active
        except StaffProfile.DoesNotExist:
            return  # not staff: a member's session is left alone
        now = clock()
        reason = why_over(request, active=active, now=now)
        if reason is not None:
            _end(request, reason)
            return
        if now - request.session.get(SEEN, 0) < SEEN_EVERY_SECONDS:
            return
        request.session.setdefault(STARTED, now)
        request.session[SEEN] = now
        # The stored session and its cookie lapse when idle, too.
        request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)


def sessions_end_for(user: User | int) -> int:
    """Delete every stored session of ``user`` (a user or their id), wherever they are
    signed in: deactivated staff, erased members. Returns how many."""
    user_pk = str(user.pk if isinstance(user, User) else user)
    ended = [
        s.pk
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(s.get_decoded().get(SESSION_KEY)) == user_pk
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)
