"""Pages reached from links in messages, without signing in.

A link's GET shows what it will do and a button; only the POST acts. Any token that
is tampered with, for another purpose, expired, for someone who no longer exists, or
spent (a reply already made, a preference change already confirmed) gets the same
"link not valid" page, so a refusal reveals nothing.

The unsubscribe link is also the ``List-Unsubscribe`` address of every message: mail
providers POST to it once (RFC 8058, "one-click") with no CSRF token, so that view is
exempt from the CSRF check and acts on the signed token alone. Stopping messages twice
is the same as once, so the POST is safe to repeat.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.models import Member
from accounts.permissions import public
from accounts.services import member_stop_messages

from ..forms import PreferencesForm, ReplyForm
from ..links import read_token
from ..models import Delivery, DeliveryEvent, MemberPreferences, Reply
from ..preferences import (
    change_from_token,
    preferences_apply,
    preferences_change_request,
    preferences_for,
)
from ..rendering import PREFERENCES_PURPOSE, REPLY_PURPOSE, REPLYABLE, UNSUBSCRIBE_PURPOSE
from ..services import ReplyLinkSpent, reply_create


def link_refused(request: HttpRequest) -> HttpResponse:
    """The one answer to every unusable link."""
    return render(request, "alerts/link_refused.html", status=404)


def _member(data: dict | None) -> Member | None:
    if data is None or not isinstance(data.get("m"), int):
        return None
    return Member.objects.select_related("user").filter(pk=data["m"], user__is_active=True).first()


@public
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    data = read_token(token, purpose=UNSUBSCRIBE_PURPOSE, now=timezone.now())
    member = _member(data)
    if member is None:
        return link_refused(request)
    if request.method == "POST":
        with transaction.atomic():
            member_stop_messages(member=member)
            _unsubscribe_counted(member=member, delivery_id=data.get("d"))
        return render(request, "alerts/unsubscribe_done.html")
    return render(request, "alerts/unsubscribe.html", {"stopped": member.messages_stopped_at})


def _unsubscribe_counted(*, member: Member, delivery_id) -> None:
    """Count the unsubscribe in the engagement of the message it came from, once."""
    if not isinstance(delivery_id, int):
        return
    delivery = Delivery.objects.filter(pk=delivery_id, member=member).first()
    if delivery is not None and not delivery.events.filter(kind="unsubscribed").exists():
        DeliveryEvent.objects.create(delivery=delivery, kind="unsubscribed")


def _delivery_to_reply_to(token: str) -> Delivery | None:
    """The delivery a reply link is for; None for every bad or spent link."""
    data = read_token(token, purpose=REPLY_PURPOSE, now=timezone.now())
    if data is None or not isinstance(data.get("d"), int):
        return None
    delivery = (
        Delivery.objects.select_related("message", "member__user")
        .filter(pk=data["d"], member_id=data.get("m"), member__user__is_active=True)
        .first()
    )
    if (
        delivery is None
        or delivery.message.kind not in REPLYABLE
        or Reply.objects.filter(delivery=delivery).exists()
    ):
        return None
    return delivery


@public
@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, token: str) -> HttpResponse:
    delivery = _delivery_to_reply_to(token)
    if delivery is None:
        return link_refused(request)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reply_create(delivery=delivery, body=form.cleaned_data["body"])
        except ReplyLinkSpent:
            return link_refused(request)
        return render(request, "alerts/reply_done.html")
    return render(request, "alerts/reply.html", {"form": form, "message": delivery.message})


@public
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    member = _member(read_token(token, purpose=PREFERENCES_PURPOSE, now=timezone.now()))
    if member is None:
        return link_refused(request)
    prefs = preferences_for(member)
    suspended = prefs.email_suspended_at is not None
    initial = {
        "types": prefs.types or list(MemberPreferences.Type.values),
        "by_email": member.by_email,
        "by_sms": member.by_sms,
        "max_frequency": member.max_frequency,
        "quiet_start": prefs.quiet_start,
        "quiet_end": prefs.quiet_end,
    }
    form = PreferencesForm(
        request.POST or None, initial=initial, member=member, suspended=suspended
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            preferences_change_request(member=member, changes=form.cleaned_data)
        return render(request, "alerts/preferences_sent.html")
    return render(request, "alerts/preferences.html", {"form": form, "suspended": suspended})


@public
@require_http_methods(["GET", "POST"])
def preferences_confirm(request: HttpRequest, token: str) -> HttpResponse:
    found = change_from_token(token, now=timezone.now())
    if found is None:
        return link_refused(request)
    member, change = found
    if request.method == "POST":
        try:
            preferences_apply(member=member, change=change)
        except ValueError:
            return link_refused(request)
        return render(request, "alerts/preferences_done.html")
    return render(request, "alerts/preferences_confirm.html", {"change": change})
