"""Writing a delivery's message for its member.

Alerts (an officer's news) are rendered here. Higher apps register a renderer for
their own kinds of message from their ``AppConfig.ready()`` (surveys renders its
invitations with each member's own link): the higher app calls the lower one. A
renderer returns None when the message no longer applies (a survey reminder for a
survey already answered); the delivery is then skipped rather than sent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .channels import Rendered
from .links import make_token
from .models import Delivery, Message

Renderer = Callable[[Delivery, datetime], Rendered | None]
# Loads, in one go for a batch of deliveries, what their renderer reads for each (as
# ``prefetch_related`` does: it sets it on each delivery).
Prefetch = Callable[[Sequence[Delivery]], None]
_RENDERERS: dict[str, Renderer] = {}
_PREFETCH: dict[str, Prefetch] = {}

UNSUBSCRIBE_PURPOSE = "unsubscribe"
UNSUBSCRIBE_LINK_DAYS = 180
REPLY_PURPOSE = "reply"
REPLY_LINK_DAYS = 30
PREFERENCES_PURPOSE = "preferences"
PREFERENCES_LINK_DAYS = 180
# Kinds of message a member can reply to (a survey is answered by the survey itself).
REPLYABLE = (Message.Kind.ALERT, Message.Kind.DIRECT)


def register_renderer(kind: str, renderer: Renderer, *, prefetch: Prefetch | None = None) -> None:
    _RENDERERS[kind] = renderer
    if prefetch is not None:
        _PREFETCH[kind] = prefetch


def render(delivery: Delivery, *, now: datetime) -> Rendered | None:
    renderer = _RENDERERS.get(delivery.message.kind, render_alert)
    if delivery.member_id is None and renderer is render_alert:
        # An alert's links (reply, unsubscribe, preferences) are a member's: staff get
        # only the kinds of message a higher app renders for them (the weekly briefing).
        return None
    # Staff pages are in English; members read in the language they chose.
    language = delivery.member.language if delivery.member_id is not None else ""
    with translation.override(language or settings.LANGUAGE_CODE):
        return renderer(delivery, now)


def prefetch(deliveries: Sequence[Delivery]) -> None:
    """Before rendering a batch: what each kind's renderer reads, one query per kind."""
    by_kind: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        by_kind[delivery.message.kind].append(delivery)
    for kind, batch in by_kind.items():
        if kind in _PREFETCH:
            _PREFETCH[kind](batch)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_url(*, member_id: int, now: datetime, delivery_id: int | None = None) -> str:
    """The one-click link (RFC 8058) for a member; with the delivery it came in, so the
    message's engagement counts the unsubscribe."""
    data = {"m": member_id} | ({"d": delivery_id} if delivery_id else {})
    token = make_token(
        purpose=UNSUBSCRIBE_PURPOSE,
        data=data,
        expires_at=now + timedelta(days=UNSUBSCRIBE_LINK_DAYS),
    )
    return absolute(reverse("alerts_unsubscribe", args=[token]))


def reply_url(*, delivery: Delivery, now: datetime) -> str:
    """The reply link: for this message and member, expiring, spent once used."""
    token = make_token(
        purpose=REPLY_PURPOSE,
        data={"d": delivery.pk, "m": delivery.member_id},
        expires_at=now + timedelta(days=REPLY_LINK_DAYS),
    )
    return absolute(reverse("alerts_reply", args=[token]))


def preferences_url(*, member_id: int, now: datetime) -> str:
    token = make_token(
        purpose=PREFERENCES_PURPOSE,
        data={"m": member_id},
        expires_at=now + timedelta(days=PREFERENCES_LINK_DAYS),
    )
    return absolute(reverse("alerts_preferences", args=[token]))


def footer_headers(url: str) -> dict[str, str]:
    """RFC 8058: mail providers unsubscribe with one POST to ``url`` (no CSRF token; the
    signed token in the URL is the authority, and repeating it changes nothing)."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def bodies(delivery: Delivery, *, email: str, sms: str, context: dict) -> dict[str, str]:
    """``text`` and ``sms`` of a ``Rendered``: only the template of the delivery's channel
    is rendered (an email has no use for the short form, nor a text message for the long)."""
    if delivery.channel == Delivery.Channel.SMS:
        return {"text": "", "sms": render_to_string(sms, context).strip()}
    return {"text": render_to_string(email, context), "sms": ""}


def render_alert(delivery: Delivery, now: datetime) -> Rendered:
    message: Message = delivery.message
    stop = unsubscribe_url(member_id=delivery.member_id, now=now, delivery_id=delivery.pk)
    context = {
        "message": message,
        "body": message.body_for(delivery.version),
        "member": delivery.member,
        "unsubscribe_url": stop,
        "preferences_url": preferences_url(member_id=delivery.member_id, now=now),
        "reply_url": reply_url(delivery=delivery, now=now) if message.kind in REPLYABLE else "",
        "SITE_NAME": settings.SITE_NAME,
        "FORCE_NAME": settings.FORCE_NAME,
    }
    return Rendered(
        subject=message.subject,
        **bodies(
            delivery, email="alerts/email/alert.txt", sms="alerts/sms/alert.txt", context=context
        ),
        headers=footer_headers(stop),
    )


def render_staff_notice(delivery: Delivery, now: datetime) -> Rendered | None:
    """A notice to a member of staff: the message's own subject and text (no member's
    links); None (skipped) if it was ever addressed to a member."""
    if delivery.user_id is None:
        return None
    message: Message = delivery.message
    return Rendered(subject=message.subject, text=message.body)


register_renderer(Message.Kind.STAFF_NOTICE, render_staff_notice)
