"""The outbox: every message to members goes out as ``Delivery`` rows.

A ``Message`` is what is said (an officer's alert to an area, or a system message
such as a survey round's invitation); a ``Delivery`` is that message to one member by
one channel. Deliveries are unique per (message, member, channel), so resolving an
audience twice cannot queue a second copy, and a task claims a row with a conditional
UPDATE (``pending`` -> ``sending``) before it sends, so a retry or a second worker
cannot send it twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Member
from areas.models import Area
from core.lifecycle import Lifecycle


class Message(Lifecycle, models.Model):
    class Kind(models.TextChoices):
        # An officer's news for an area; the member's frequency limit applies.
        ALERT = "alert", _("Alert")
        # Messages a member signed up for by registering (the quarterly survey); they
        # are not news and do not count against the frequency limit.
        SURVEY_INVITATION = "survey_invitation", _("Survey invitation")
        SURVEY_REMINDER = "survey_reminder", _("Survey reminder")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    # The lifecycle (core.lifecycle). Sending claims the draft, so it is sent once.
    TRANSITIONS = {
        Status.DRAFT: {Status.SENT},
        Status.SENT: set(),
    }
    FINAL = {Status.SENT}

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ALERT)
    # System messages are found again by key (e.g. "survey:2025-04-01:invitation").
    key = models.CharField(max_length=80, unique=True, null=True, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages_created",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject


class Delivery(Lifecycle, models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Not sent because the member stopped messages, left, or has no address.
        SKIPPED = "skipped", _("Not sent")

    # The lifecycle (core.lifecycle). Only the caller that moves a row from pending to
    # sending sends it; a failed attempt puts it back to pending for a retry. A row a
    # lost worker left in sending is failed by the sweeper, never sent again.
    TRANSITIONS = {
        Status.PENDING: {Status.SENDING},
        Status.SENDING: {Status.SENT, Status.FAILED, Status.SKIPPED, Status.PENDING},
        Status.SENT: set(),
        Status.FAILED: set(),
        Status.SKIPPED: set(),
    }
    FINAL = {Status.SENT, Status.FAILED, Status.SKIPPED}

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    # Erasure deletes a member's deliveries (registered in alerts.apps).
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # Small ids the message's renderer needs (e.g. {"invitation": 12}); never personal data.
    context = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The address used, kept for the member's own export; deleted with them.
    to = models.CharField(max_length=254, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["message", "member", "channel"], name="delivery_once_per_recipient"
            ),
        ]
        indexes = [
            models.Index(fields=["member", "created_at"]),
            models.Index(
                fields=["created_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="delivery_unsent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to member {self.member_id}: {self.status}"
