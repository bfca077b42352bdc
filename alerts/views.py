"""Pages reached from links in messages, without signing in.

A link's GET shows what it will do and a button; only the POST acts. Any token that
is tampered with, for another purpose, expired, or for someone who no longer exists
gets the same "link not valid" page, so a refusal reveals nothing.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.models import Member
from accounts.permissions import public
from accounts.services import member_stop_messages

from .links import read_token
from .rendering import UNSUBSCRIBE_PURPOSE


def link_refused(request: HttpRequest) -> HttpResponse:
    """The one answer to every unusable link."""
    return render(request, "alerts/link_refused.html", status=404)


@public
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    data = read_token(token, purpose=UNSUBSCRIBE_PURPOSE, now=timezone.now())
    member = None
    if data is not None and isinstance(data.get("m"), int):
        member = Member.objects.filter(pk=data["m"]).first()
    if member is None:
        return link_refused(request)
    if request.method == "POST":
        member_stop_messages(member=member)
        return render(request, "alerts/unsubscribe_done.html")
    return render(request, "alerts/unsubscribe.html", {"stopped": member.messages_stopped_at})
