"""Writes for the outbox: queue deliveries, send one, sweep what was left behind.

Exactly-once, as far as we control it: a delivery exists once per (message, member,
channel) (a unique constraint; creating them again is a no-op), and is sent only by
whoever moves it from ``pending`` to ``sending`` with a conditional UPDATE. A worker
that dies after claiming leaves the row in ``sending``; the sweeper marks it failed
rather than risk a second copy.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from accounts.models import Member
from core.lifecycle import InvalidTransition, transition, transition_pk, transition_where

from . import rendering
from .channels import ChannelError, get_channel
from .guard import within_frequency
from .models import Delivery, Message
from .selectors import members_receiving

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
TASK_BATCH = 100
STALE_PENDING = timedelta(minutes=10)
STALE_SENDING = timedelta(minutes=30)


class Outcome(enum.StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"
    RETRY = "retry"
    FAILED = "failed"
    NOT_CLAIMED = "not_claimed"


class MessageAlreadySent(Exception):
    pass


Recipient = tuple[int, str, dict]  # (member id, channel, context)


def deliveries_create(
    *, message: Message, recipients: Iterable[Recipient], now: datetime | None = None
) -> list[int]:
    """Queue ``message`` for each (member id, channel, context); return the queued ids.

    Safe to call twice or at the same time as another call: existing rows are left as
    they are (and their ids returned too: sending them again is a no-op once claimed).
    Sending starts when the surrounding transaction commits.
    """
    now = now or timezone.now()
    rows = [
        Delivery(message=message, member_id=member_id, channel=channel, context=context,
                 created_at=now)
        for member_id, channel, context in recipients
    ]  # fmt: skip
    if not rows:
        return []
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    ids = list(
        Delivery.objects.filter(
            message=message,
            member_id__in=[r.member_id for r in rows],
            status=Delivery.Status.PENDING,
        ).values_list("pk", flat=True)
    )
    deliveries_enqueue_on_commit(ids)
    return ids


def deliveries_enqueue_on_commit(ids: list[int]) -> None:
    if not ids:
        return

    def enqueue() -> None:
        from .tasks import QUEUE, send_deliveries

        for start in range(0, len(ids), TASK_BATCH):
            send_deliveries.apply_async(args=[ids[start : start + TASK_BATCH]], queue=QUEUE)

    transaction.on_commit(enqueue)


def channels_for(member: Member) -> list[str]:
    """The channels a member chose for news."""
    chosen = []
    if member.by_email:
        chosen.append(Delivery.Channel.EMAIL)
    if member.by_sms and member.phone:
        chosen.append(Delivery.Channel.SMS)
    return chosen


@transaction.atomic
def message_send(
    *, message: Message, members: QuerySet[Member], now: datetime | None = None
) -> int:
    """Send a draft message to ``members`` (by the channels each chose). Returns how many.

    The audience is resolved here, once: members who stopped messages are left out, and
    for alerts so is anyone the frequency guard holds back.
    """
    now = now or timezone.now()
    try:
        transition(message, Message.Status.SENT, sent_at=now)
    except InvalidTransition as refused:
        raise MessageAlreadySent(f"message {message.pk} was already sent") from refused
    audience = members_receiving(members)
    if message.kind in (Message.Kind.ALERT,):
        audience = within_frequency(audience, now=now)
    recipients = [
        (member.pk, channel, {})
        for member in audience.only("pk", "by_email", "by_sms", "phone")
        for channel in channels_for(member)
    ]
    return len(deliveries_create(message=message, recipients=recipients, now=now))


def delivery_send(*, delivery_id: int, now: datetime | None = None) -> Outcome:
    """Send one delivery if this call is the one that claims it."""
    now = now or timezone.now()
    try:
        transition_pk(
            Delivery,
            delivery_id,
            Delivery.Status.SENDING,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    except InvalidTransition:
        return Outcome.NOT_CLAIMED
    delivery = Delivery.objects.select_related("message", "member__user").get(pk=delivery_id)
    member = delivery.member
    if not member.receives_messages:
        return _finish(delivery, Delivery.Status.SKIPPED, error="member stopped messages")
    channel = get_channel(delivery.channel)
    address = channel.address_for(member)
    if not address:
        return _finish(delivery, Delivery.Status.SKIPPED, error="no address for this channel")
    rendered = rendering.render(delivery, now=now)
    if rendered is None:
        return _finish(delivery, Delivery.Status.SKIPPED, error="no longer applies")
    try:
        channel.send(to=address, rendered=rendered)
    except ChannelError as exc:
        logger.warning("delivery %s: %s (attempt %s)", delivery.pk, exc, delivery.attempts)
        if delivery.attempts >= MAX_ATTEMPTS:
            return _finish(delivery, Delivery.Status.FAILED, error=str(exc))
        if not _move(delivery, Delivery.Status.PENDING, error=str(exc)):
            return Outcome.NOT_CLAIMED
        return Outcome.RETRY
    return _finish(delivery, Delivery.Status.SENT, to=address, sent_at=timezone.now())


def _finish(delivery: Delivery, status: str, *, error: str = "", **fields) -> Outcome:
    return (
        Outcome(status) if _move(delivery, status, error=error, **fields) else Outcome.NOT_CLAIMED
    )


def _move(delivery: Delivery, status: str, *, error: str = "", **fields) -> bool:
    """From sending to ``status``; False if the row left sending while this call held it."""
    try:
        transition(delivery, status, error=error[:300], **fields)
    except InvalidTransition:
        # The sweeper failed it (a send slower than STALE_SENDING) or the member was
        # erased: what they recorded stands, and the rest of the batch still goes out.
        logger.warning("delivery %s was no longer sending; left as it is", delivery.pk)
        return False
    return True


def outbox_sweep(*, now: datetime | None = None) -> tuple[int, int]:
    """Queue again what was never picked up; fail what a lost worker left half-sent.

    Returns (queued again, marked failed).
    """
    now = now or timezone.now()
    failed = transition_where(
        Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_SENDING),
        Delivery.Status.FAILED,
        error="interrupted while sending; not sent again to avoid a duplicate",
    )
    stale = list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING, created_at__lt=now - STALE_PENDING
        ).values_list("pk", flat=True)[: settings.ALERTS_SWEEP_LIMIT]
    )
    with transaction.atomic():
        deliveries_enqueue_on_commit(stale)
    return len(stale), failed
