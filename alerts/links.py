"""Signed, single-purpose, expiring links for people who are not signed in.

A token carries its purpose, a few ids and an expiry time, signed with the secret
key and a salt per purpose: a token made for one purpose (unsubscribing) cannot be
used for another (answering a survey), a changed token fails the signature, and an
old one is past its expiry. Views that take a token show a confirmation on GET and
act only on POST, so a mail scanner opening the link changes nothing.

Expiry is checked against ``now``, passed in by the caller, so tests control the clock.
"""

from __future__ import annotations

from datetime import datetime

from django.core import signing

SALT = "alerts.links"


def make_token(*, purpose: str, data: dict[str, int | str], expires_at: datetime) -> str:
    payload = {"p": purpose, "d": data, "x": int(expires_at.timestamp())}
    return signing.dumps(payload, salt=f"{SALT}.{purpose}", compress=True)


def read_token(token: str, *, purpose: str, now: datetime) -> dict | None:
    """The data in a valid token for ``purpose``; None if tampered, foreign or expired.

    Callers answer every None the same way, so a refusal reveals nothing about why.
    """
    try:
        payload = signing.loads(token, salt=f"{SALT}.{purpose}")
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("p") != purpose:
        return None
    expires = payload.get("x")
    if not isinstance(expires, int) or now.timestamp() >= expires:
        return None
    data = payload.get("d")
    return data if isinstance(data, dict) else None
