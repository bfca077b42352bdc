"""Text messages through a pluggable backend chosen in settings.

``ALERTS_SMS_BACKEND`` is the dotted path of a class with ``send(to, body)``. The
default writes messages to the log (like Django's console email backend); a real
provider is one more small class that raises ``ChannelError`` when its API fails.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext

from django.conf import settings
from django.utils.module_loading import import_string

from accounts.models import Member

from . import Rendered

logger = logging.getLogger(__name__)


class ConsoleBackend:
    """Development: log the message, with the number partly hidden."""

    def send(self, *, to: str, body: str) -> None:
        logger.info("SMS to %s: %s", "*" * max(len(to) - 4, 0) + to[-4:], body)


class LocmemBackend:
    """Tests: keep messages in a list, like Django's locmem email backend."""

    outbox: list[tuple[str, str]] = []

    def send(self, *, to: str, body: str) -> None:
        type(self).outbox.append((to, body))


class SmsChannel:
    name = "sms"

    def __init__(self, backend=None) -> None:
        self.backend = backend or import_string(settings.ALERTS_SMS_BACKEND)()

    def address_for(self, member: Member) -> str:
        return member.phone if member.by_sms else ""

    def send(self, *, to: str, rendered: Rendered) -> None:
        self.backend.send(to=to, body=rendered.sms or f"{rendered.subject}: {rendered.text}")

    def batch(self) -> nullcontext:
        return nullcontext(self)
