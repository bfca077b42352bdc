"""What a member has received and answered, shown on My account.

accounts sits below alerts and surveys and never imports them. Instead, a higher app
registers a *history provider* from its ``AppConfig.ready()``::

    from accounts.members import history

    history.register(
        "messages",
        title=_("Messages"),
        items=lambda member: [history.HistoryItem(at=d.sent_at, title=d.message.subject)
                              for d in member.deliveries.order_by("-sent_at")[:50]],
        order=10,
    )

My account shows a section per provider that has something for the member, and
nothing at all for a provider with no items (an app with no data yet).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Model


@dataclass(frozen=True)
class HistoryItem:
    at: datetime | None
    title: str
    detail: str = ""
    # A page the member can open (a survey answer, a message), if there is one.
    url: str = ""


@dataclass(frozen=True)
class HistoryProvider:
    key: str
    title: str
    items: Callable[[Model], Sequence[HistoryItem]]
    order: int = 100


@dataclass(frozen=True)
class HistorySection:
    key: str
    title: str
    items: Sequence[HistoryItem]


_PROVIDERS: dict[str, HistoryProvider] = {}


def register(
    key: str, *, title: str, items: Callable[[Model], Sequence[HistoryItem]], order: int = 100
) -> None:
    """Add (or replace) the provider called ``key``."""
    _PROVIDERS[key] = HistoryProvider(key, title, items, order)


def unregister(key: str) -> None:
    _PROVIDERS.pop(key, None)


def providers() -> list[HistoryProvider]:
    return sorted(_PROVIDERS.values(), key=lambda p: (p.order, p.key))


def sections_for(member: Model) -> list[HistorySection]:
    """The member's history, one section per provider that has items for them."""
    sections = []
    for provider in providers():
        items = list(provider.items(member))
        if items:
            sections.append(HistorySection(provider.key, str(provider.title), items))
    return sections
