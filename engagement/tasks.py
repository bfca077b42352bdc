"""Thin tasks: take ids, call a service; safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="engagement.notify_team")
def notify_team(inbox_id: int) -> int:
    return services.inbox_notify(inbox_id=inbox_id)


@shared_task(name="engagement.digests")
def send_digests() -> int:
    return services.digests_send()
