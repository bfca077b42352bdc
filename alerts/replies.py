"""What happens after a member replies: handlers registered by higher apps.

``alerts.services.reply_create`` saves a reply and then, once the transaction has
committed, calls every registered handler with the reply's id (never the instance: a
handler may hand it to a task). engagement registers one from its ``AppConfig.ready()``
to route the reply to the area's team and notify them, as apps register with the
personal-data registry. A handler should be quick (enqueue a task for slow work); one
that raises is logged and does not stop the others, and the reply stays saved.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

ReplyHandler = Callable[[int], None]
_HANDLERS: list[ReplyHandler] = []


def register_reply_handler(fn: ReplyHandler) -> None:
    """Call ``fn(reply_id)`` after every reply is saved (on commit). Registering twice is
    one registration."""
    if fn not in _HANDLERS:
        _HANDLERS.append(fn)


def reply_handlers() -> list[ReplyHandler]:
    return list(_HANDLERS)


def replies_dispatch_on_commit(reply_id: int) -> None:
    """Each handler on commit, robustly: one that raises is logged by Django and does not
    stop the others, and the member's reply stays saved (engagement's digest of
    unhandled replies still finds it)."""
    for handler in reply_handlers():
        transaction.on_commit(lambda handler=handler: handler(reply_id), robust=True)
