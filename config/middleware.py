"""Project-wide middleware."""

import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    """A strict Content-Security-Policy with a per-request nonce.

    Everything is served from our own origin (front-end assets are vendored). The
    few inline scripts we emit (maps rendered by folium) carry ``request.csp_nonce``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy(request.csp_nonce)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        return response

    @staticmethod
    def policy(nonce: str) -> str:
        img = "'self' data:"
        if settings.MAP_TILE_URL:
            img += " " + _origin(settings.MAP_TILE_URL)
        return "; ".join(
            [
                "default-src 'self'",
                f"script-src 'self' 'nonce-{nonce}'",
                f"style-src 'self' 'nonce-{nonce}'",
                f"img-src {img}",
                "font-src 'self'",
                "connect-src 'self'",
                "object-src 'none'",
                "base-uri 'self'",
                "form-action 'self'",
                "frame-ancestors 'none'",
            ]
        )


def _origin(url: str) -> str:
    """``https://tile.example/{z}/{x}/{y}.png`` -> ``https://tile.example``."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"
