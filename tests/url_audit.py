"""Walks every URL pattern and checks anonymous visitors are refused.

Used by tests/test_url_access.py on the real URLconf, and on a deliberately broken
URLconf to show that a view without an access check is caught.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from accounts.permissions import ACCESS_ATTR

# Pages an anonymous visitor may open. Everything else must send them to sign in, or 404.
PUBLIC_ALLOWLIST = {
    "home",
    "set_language",
    "account_login",
    "account_signup",
    "account_logout",
    "account_inactive",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_confirm_login_code",
    "mfa_authenticate",
    "member_privacy",
    "member_email_confirmed",
    "member_erased",
    # engagement: the public page of a ward.
    "engagement_ward_public",
    # setups: the doorstep service worker (a static script, no data; a worker's script
    # is fetched without a sign-in redirect).
    "doorstep_sw",
}
# Our own code lives in these packages; their views must declare an access rule.
OUR_PACKAGES = (
    "accounts",
    "areas",
    "alerts",
    "surveys",
    "engagement",
    "targeting",
    "demo",
    "config",
)
SAMPLE_KWARGS = {
    "int": "1",
    "str": "E05999901",
    "slug": "sample",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "path": "sample",
}


@dataclass(frozen=True)
class Route:
    name: str
    namespace: str | None
    url: str
    callback: object


def _sample_value(converter_name: str) -> str:
    return SAMPLE_KWARGS.get(converter_name, "sample")


def routes(patterns: Iterable, prefix: str = "", namespace: str | None = None) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(
                pattern.url_patterns,
                prefix + _fill(pattern),
                pattern.namespace or namespace,
            )
        elif isinstance(pattern, URLPattern):
            yield Route(
                pattern.name or "", namespace, "/" + prefix + _fill(pattern), pattern.callback
            )


def _fill(pattern) -> str:
    """A concrete path for a pattern, with sample values for its parameters."""
    route = getattr(pattern.pattern, "_route", None)
    if route is not None:
        out = route
        for name, converter in pattern.pattern.converters.items():
            kind = type(converter).__name__.replace("Converter", "").lower()
            for token in (f"<{kind}:{name}>", f"<{name}>"):
                out = out.replace(token, _sample_value(kind))
        return out
    # Regex patterns (allauth's key links): a syntactically plausible value.
    regex = pattern.pattern._regex.lstrip("^").rstrip("$")
    return re.sub(
        r"\(\?P<(\w+)>[^)]*\)", lambda m: "0-sample" if m.group(1) == "uidb36" else "sample", regex
    ).replace("\\", "")


def refused(response, login_path: str) -> bool:
    if response.status_code in (404, 405):
        return True
    if response.status_code in (301, 302):
        return response["Location"].split("?")[0].endswith(login_path)
    return False


def audit(patterns: Iterable, client: Client | None = None) -> list[str]:
    """Problems found: public pages not on the allowlist, and unmarked views of ours."""
    client = client or Client()
    login_path = reverse("account_login", urlconf="config.urls")
    problems = []
    for route in routes(patterns):
        if route.namespace == "admin":
            # Django's admin has its own check (is_staff), routed through allauth's login.
            response = client.get(route.url)
            if not (response.status_code in (302, 404) or route.url.endswith("/login/")):
                problems.append(f"{route.url}: admin page answered {response.status_code}")
            continue
        if route.name in PUBLIC_ALLOWLIST:
            continue
        module = getattr(route.callback, "__module__", "") or ""
        if module.split(".")[0] in OUR_PACKAGES and not hasattr(route.callback, ACCESS_ATTR):
            problems.append(f"{route.url} ({route.name}): view has no access rule")
        for method in ("get", "post"):
            response = getattr(client, method)(route.url)
            if not refused(response, login_path):
                problems.append(
                    f"{route.url} ({route.name}): anonymous {method.upper()} answered "
                    f"{response.status_code}"
                )
    return problems
