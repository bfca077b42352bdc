"""Officer pages cached per scoring run and scope.

A ward or district page is the same for everyone who sees the same areas, until the
scores change: its main part is rendered once per (page, period, list length, scope,
language) and scoring run, and served from the cache after that. Every scoring run
moves ``scores_version`` on once it commits, so no page outlives the scores it shows.
Members and survey answers also appear on the page (coverage, what residents said):
they are at most ``PAGE_SECONDS`` old.

The cached part holds no secret and nothing of the request (no CSRF token, no session):
the header, messages and footer are rendered for each request. The Content-Security-
Policy nonce of the map's inline script is a placeholder in the cache, replaced by the
request's own nonce when served.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from accounts.permissions import scope_ids

VERSION_KEY = "targeting:scores-version"
PAGE_SECONDS = 10 * 60
NONCE_PLACEHOLDER = "__csp_nonce_placeholder__"


def scores_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def scores_changed() -> None:
    """New scores: every cached page is stale.

    Called by scoring once every period has committed (each commits on its own).
    """
    cache.set(VERSION_KEY, time.time_ns(), None)


def page_key(request: HttpRequest, *parts: object) -> str:
    """The key of a page's main part for this viewer's scope and language."""
    staff = request.staff
    scope = sorted(scope_ids(request.user))
    text = "|".join(
        str(p)
        for p in (
            request.path, request.get_host(), request.LANGUAGE_CODE, staff.role, scope,
            scores_version(), *parts,
        )
    )  # fmt: skip
    return "targeting:page:" + hashlib.sha256(text.encode()).hexdigest()


def cached_part(request: HttpRequest, key: str, render: Callable[[str], str]) -> SafeString:
    """The part stored under ``key`` (``render(nonce)`` makes it), with this request's nonce."""
    html = cache.get(key)
    if html is None:
        html = str(render(NONCE_PLACEHOLDER))
        cache.set(key, html, PAGE_SECONDS)
    return mark_safe(html.replace(NONCE_PLACEHOLDER, request.csp_nonce))
