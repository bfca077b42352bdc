"""The invitation link: signed, for one member's one invitation, expiring when it closes.

The link opens the survey without signing in. It is refused, always with the same
page, when the token was changed, made for another purpose, has expired, names an
invitation that is not that member's (or whose member erased their account), or has
been used: once the survey is sent, the link is spent. The browser that answered can
still change its answers (and send again) for as long as the survey is open, and a
member who signs in can always answer from their account.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.urls import reverse

from alerts.links import make_token, read_token
from alerts.rendering import absolute

from .models import Invitation

PURPOSE = "survey"
SESSION_KEY = "surveys_answering"


def invitation_token(invitation: Invitation) -> str:
    return make_token(
        purpose=PURPOSE,
        data={"i": invitation.pk, "m": invitation.member_id},
        expires_at=invitation.closes_at,
    )


def invitation_url(invitation: Invitation) -> str:
    return absolute(reverse("surveys_link", args=[invitation_token(invitation)]))


def invitation_from_token(token: str, *, now: datetime) -> Invitation | None:
    """The open invitation a valid token names; None for every kind of bad link."""
    data = read_token(token, purpose=PURPOSE, now=now)
    if data is None:
        return None
    invitation = (
        Invitation.objects.select_related("member", "version", "round")
        .filter(pk=data.get("i"))
        .first()
    )
    if (
        invitation is None
        or invitation.member_id is None
        or invitation.member_id != data.get("m")
        or not invitation.is_open(now)
    ):
        return None
    return invitation


def is_spent(invitation: Invitation) -> bool:
    """Whether the link has been used: the survey was sent with it (or from the account)."""
    return invitation.__class__.objects.filter(
        pk=invitation.pk, response__submitted_at__isnull=False
    ).exists()


# --- The browser session that is answering ----------------------------------------------------


def session_allow(request: HttpRequest, invitation: Invitation) -> None:
    request.session[SESSION_KEY] = invitation.pk
    request.session.cycle_key()


def session_invitation_id(request: HttpRequest) -> int | None:
    value = request.session.get(SESSION_KEY)
    return value if isinstance(value, int) else None
