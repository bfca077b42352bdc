"""A real SMTP server on loopback for integration and browser tests (alerts.smtp_server).

The same server ``scripts/services.sh`` starts, on a free port and a folder of the test's
own, so tests never see the demo's mail. Django in this process (and a worker started
with :meth:`SmtpServer.worker_env`) sends to it through Django's SMTP backend.
"""

from __future__ import annotations

import email
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import policy
from pathlib import Path

from django.conf import settings

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class SmtpServer:
    port: int
    folder: Path

    def files(self) -> list[Path]:
        return sorted(self.folder.glob("*.eml"))

    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in self.files()
        ]

    def worker_env(self) -> dict[str, str]:
        """What a Celery worker needs to send its mail here."""
        return {
            "TEST_EMAIL_BACKEND": SMTP_BACKEND,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
        }


@contextmanager
def running_smtp_server(folder: Path) -> Iterator[SmtpServer]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "alerts.smtp_server", "--port", str(port), "--dir", str(folder)],
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_listening(port, process)
        yield SmtpServer(port=port, folder=folder)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_listening(port: int, process: subprocess.Popen, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the SMTP server exited during start-up")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the SMTP server did not listen on {port} within {timeout} s")
