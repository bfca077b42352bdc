"""What a mail provider reports about a message, through django-anymail's tracking webhook.

In production email goes out through an anymail backend, which records the provider's
message id on the delivery (``Delivery.provider_id``). The provider later posts events
(delivered, opened, bounced...) to anymail's webhook (mounted by ``alerts.urls`` when
``ANYMAIL_WEBHOOK_SECRET`` is set); anymail checks them and sends its ``tracking``
signal, which :func:`tracking_received` (connected in ``alerts.apps``) turns into a
``DeliveryEvent``. A bounce or a rejection is a permanent refusal: the address is
suspended, as for an SMTP 5xx, and where the member has a mobile number one text
message asks for a new one.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import Delivery, DeliveryEvent
from .preferences import email_suspend

# anymail's event types that mean the address will never take mail.
REFUSALS = {"bounced", "rejected"}
# The ones worth keeping for engagement (the rest, e.g. "queued", say nothing new).
KEPT = REFUSALS | {"opened", "clicked", "complained", "unsubscribed", "delivered", "failed"}


@transaction.atomic
def delivery_event_record(
    *, provider_id: str, kind: str, at: datetime | None = None, reason: str = ""
) -> DeliveryEvent | None:
    """Record a provider's event for the delivery it names; None if it names none of ours
    (or says nothing we keep). The same event twice is recorded once."""
    at = at or timezone.now()
    delivery = Delivery.objects.filter(provider_id=provider_id).first() if provider_id else None
    if delivery is None or kind not in KEPT:
        return None
    event, created = DeliveryEvent.objects.get_or_create(
        delivery=delivery, kind=kind, defaults={"at": at}
    )
    if not created:
        return event
    if kind == "opened":
        Delivery.objects.filter(pk=delivery.pk, opened_at__isnull=True).update(opened_at=at)
    if kind in REFUSALS and delivery.member_id is not None:  # staff addresses: the admins'
        email_suspend(
            member_id=delivery.member_id,
            reason=(f"provider reported {kind}: {reason}" if reason else f"provider: {kind}"),
            now=at,
        )
    return event


def tracking_received(sender, event, esp_name: str, **kwargs) -> None:
    """anymail's ``tracking`` signal: an ``AnymailTrackingEvent`` from the provider."""
    delivery_event_record(
        provider_id=event.message_id or "",
        kind=event.event_type or "",
        at=event.timestamp,
        reason=(event.description or event.mta_response or "")[:150],
    )
