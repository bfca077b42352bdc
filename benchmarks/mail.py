"""Invitations made, sent by a real Celery worker, received by a real SMTP server.

The project's own SMTP server (``alerts.smtp_server``, as ``make services`` runs it, here
through ``tests/smtp.py``) on a free port with a folder of its own, and ``celery worker
-Q alerts`` (``tests/celery_worker.py``) on the benchmark database and broker, sending to
it through Django's SMTP backend.
"""

from __future__ import annotations

import email
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from pathlib import Path

from tests.celery_worker import running_worker, wait_for
from tests.smtp import running_smtp_server


@contextmanager
def smtp_server_and_worker(folder: Path, *, concurrency: int) -> Iterator[None]:
    with running_smtp_server(folder) as smtp:
        env = smtp.worker_env() | {"EMAIL_BACKEND": smtp.worker_env()["TEST_EMAIL_BACKEND"]}
        with running_worker(
            concurrency=concurrency,
            queues=["alerts"],
            env=env,
            flush=False,
            settings_module="config.settings.bench",
        ):
            yield


def received(folder: Path) -> int:
    return sum(1 for entry in os.scandir(folder) if entry.name.endswith(".eml"))


def wait_until_received(folder: Path, count: int, *, timeout: float) -> None:
    wait_for(lambda: received(folder) >= count, timeout=timeout, interval=0.02)


def wait_until_sent(deliveries, count: int, *, timeout: float) -> None:
    """Until ``count`` of ``deliveries`` (a queryset) are marked sent."""
    wait_for(lambda: deliveries.filter(status="sent").count() >= count, timeout=timeout)


def recipients(folder: Path) -> Counter[str]:
    """How many messages the server holds for each address."""
    return Counter(
        str(email.message_from_bytes(path.read_bytes(), policy=policy.default)["To"])
        for path in folder.glob("*.eml")
    )
