"""Channels: how a rendered message reaches a member (email first; SMS pluggable).

Each channel is a small plug-in with the address it uses for a member and a ``send``.
A channel raises :class:`ChannelError` when sending failed and may work later (the
outbox retries), :class:`PermanentRefusal` when the address was refused for good (the
outbox suspends it); anything else is a bug and is left to propagate.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from accounts.models import Member


@dataclass(frozen=True)
class Rendered:
    """One message as written for one member."""

    subject: str
    text: str
    # The short form for text messages (160-ish characters, with the link).
    sms: str = ""
    # An HTML alternative to ``text`` for email, where the message has one.
    html: str = ""
    headers: dict[str, str] = field(default_factory=dict)


class ChannelError(Exception):
    """Sending failed for a reason that may pass (provider down, timeout)."""


class PermanentRefusal(ChannelError):
    """The address was refused for good (an SMTP 5xx for the recipient): retrying will not
    help, and the outbox suspends the address."""


class Channel(Protocol):
    name: str

    def address_for(self, member: Member) -> str:
        """Where this member receives this channel; empty if they cannot."""

    def send(self, *, to: str, rendered: Rendered) -> str | None:
        """Send; return the provider's message id where there is one (for its events)."""

    def batch(self) -> AbstractContextManager:
        """What a batch of sends shares while it lasts (one connection to the mail server)."""


def get_channel(name: str) -> Channel:
    from .email import EmailChannel
    from .sms import SmsChannel

    channels: dict[str, type] = {"email": EmailChannel, "sms": SmsChannel}
    try:
        return channels[name]()
    except KeyError:
        raise ValueError(f"unknown channel {name!r}") from None
