"""Outbox rows for tests."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Member
from alerts.models import Delivery, Message


def make_message(**fields) -> Message:
    fields.setdefault("subject", "Bogus callers in the area")
    fields.setdefault("body", "Please check ID before letting anyone in.")
    fields.setdefault("kind", Message.Kind.ALERT)
    return Message.objects.create(**fields)


def make_delivery(
    *, member: Member, message: Message | None = None, channel: str = "email", **fields
) -> Delivery:
    fields.setdefault("created_at", timezone.now())
    return Delivery.objects.create(
        message=message or make_message(), member=member, channel=channel, **fields
    )
