"""Development only: what the local SMTP server received (``/dev/mail/``).

``scripts/services.sh`` starts the server (``alerts.smtp_server``) beside PostgreSQL and
Redis, and it keeps every message as a file under ``ALERTS_MAIL_DIR``. These pages list
and show them, only when DEBUG is on: otherwise they are a 404, as if absent.
"""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.permissions import mark_access

LIMIT = 200


def _mail_dir() -> Path:
    if not settings.DEBUG or not settings.ALERTS_MAIL_DIR:
        raise Http404
    return Path(settings.ALERTS_MAIL_DIR)


def _read(path: Path) -> dict:
    message = BytesParser(policy=policy.default).parse(path.open("rb"))
    body = message.get_body(preferencelist=("plain", "html"))
    return {
        "name": path.name,
        "to": message.get("To", ""),
        "subject": message.get("Subject", ""),
        "date": message.get("Date", ""),
        "body": body.get_content() if body is not None else "",
        "headers": [(k, v) for k, v in message.items() if k.startswith("List-")],
    }


@mark_access("debug")
def mailbox(request: HttpRequest) -> HttpResponse:
    folder = _mail_dir()
    files = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True)
    mails = [_read(p) for p in files[:LIMIT]]
    return render(request, "alerts/dev_mail.html", {"mails": mails, "total": len(files)})


@mark_access("debug")
def mail_detail(request: HttpRequest, name: str) -> HttpResponse:
    folder = _mail_dir()
    path = folder / name
    if path.parent != folder or path.suffix != ".eml" or not path.is_file():
        raise Http404
    return render(request, "alerts/dev_mail_detail.html", {"mail": _read(path)})
