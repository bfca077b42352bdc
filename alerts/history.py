"""The member's messages on My account (a provider for ``accounts.members.history``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.members.history import HistoryItem

from .models import Delivery

# My account lists the latest messages; the data download has every one.
LIMIT = 50


def message_items(member) -> list[HistoryItem]:
    deliveries = (
        Delivery.objects.filter(member=member, status=Delivery.Status.SENT)
        .select_related("message")
        .order_by("-sent_at", "-pk")[:LIMIT]
    )
    return [
        HistoryItem(
            at=d.sent_at,
            title=d.message.subject,
            detail=_("By %(channel)s") % {"channel": d.get_channel_display().lower()},
        )
        for d in deliveries
    ]
