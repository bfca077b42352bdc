"""Invitations made, sent by a real Celery worker, received by a real SMTP server.

The project's own SMTP server (``alerts.smtp_server``, as ``make services`` runs it) on
a free port with a folder of its own, and ``celery worker -Q alerts -c 2`` on the
benchmark database and broker, sending to it through Django's SMTP backend. The clock
runs from the start of the dispatch until the server holds one file per delivery.
"""

from __future__ import annotations

import email
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(condition, *, timeout: float, what: str, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise RuntimeError(f"{what} within {timeout:g} s")


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@contextmanager
def smtp_server(folder: Path) -> Iterator[int]:
    """``alerts.smtp_server`` writing to ``folder``; yields its port."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "alerts.smtp_server", "--port", str(port), "--dir", str(folder)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait(lambda: _listening(port), timeout=15, what="the SMTP server did not listen")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def celery_worker(*, smtp_port: int, concurrency: int) -> Iterator[subprocess.Popen]:
    """A worker on the alerts queue of the benchmark broker, mailing to ``smtp_port``."""
    from config.celery import app

    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
    }
    log = open(ROOT / ".local" / "bench-worker.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "alerts",
            "-c", str(concurrency), "--pool", "prefork", "--without-heartbeat",
            "--without-mingle", "--without-gossip", "-l", "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        _wait(
            lambda: process.poll() is not None or bool(app.control.ping(timeout=0.5)),
            timeout=60,
            what="the Celery worker did not answer",
        )
        if process.poll() is not None:
            raise RuntimeError("the Celery worker exited; see .local/bench-worker.log")
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def received(folder: Path) -> int:
    return sum(1 for entry in os.scandir(folder) if entry.name.endswith(".eml"))


def wait_until_received(folder: Path, count: int, *, timeout: float) -> None:
    _wait(
        lambda: received(folder) >= count,
        timeout=timeout,
        what=f"the SMTP server did not receive {count} messages",
        interval=0.02,
    )


def wait_until_sent(deliveries, count: int, *, timeout: float) -> None:
    """Until ``count`` of ``deliveries`` (a queryset) are marked sent."""
    _wait(
        lambda: deliveries.filter(status="sent").count() >= count,
        timeout=timeout,
        what=f"{count} deliveries were not marked sent",
        interval=0.1,
    )


def recipients(folder: Path) -> Counter[str]:
    """How many messages the server holds for each address."""
    return Counter(
        str(email.message_from_bytes(path.read_bytes(), policy=policy.default)["To"])
        for path in folder.glob("*.eml")
    )
