"""A real SMTP server on loopback for development, the demo and the integration tests.

``scripts/services.sh start`` runs it beside PostgreSQL and Redis, on a free port of its
own, and writes ``EMAIL_HOST``/``EMAIL_PORT`` for it to ``.env``; the integration tests
start one of their own (``tests/smtp.py``). Each message it receives is written as one
``.eml`` file in the folder given (``/dev/mail/`` lists them), written under a temporary
name and renamed, so a reader never sees half a message.

Like a real server, it refuses for good (550) any recipient whose address starts with
``refused``: how the tests and the demo exercise a permanent refusal.

This module does not import Django, so the server starts in a fraction of a second::

    python -m alerts.smtp_server --port 52525 --dir .local/mail [--pidfile PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller

REFUSED_PREFIX = "refused"


class MailFolder:
    """aiosmtpd handler: refuse ``refused*`` recipients; keep each message as a file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith(REFUSED_PREFIX):
            return "550 5.1.1 Mailbox does not exist"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}"
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        temporary = self.folder / f".{name}.tmp"
        temporary.write_bytes(content)
        os.replace(temporary, self.folder / f"{name}.eml")
        return "250 Message accepted for delivery"


def serve(*, host: str, port: int, folder: Path, pidfile: Path | None) -> None:
    controller = Controller(MailFolder(folder), hostname=host, port=port)
    controller.start()
    if pidfile is not None:
        pidfile.write_text(str(os.getpid()))
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        loop.run_until_complete(stop.wait())
    finally:
        controller.stop()
        if pidfile is not None:
            pidfile.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--pidfile", type=Path)
    args = parser.parse_args()
    serve(host=args.host, port=args.port, folder=args.dir, pidfile=args.pidfile)


if __name__ == "__main__":
    main()
