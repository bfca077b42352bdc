"""Project-wide middleware."""

import gzip
import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware import gzip as django_gzip
from django.utils.cache import patch_cache_control, patch_vary_headers


class GZipMiddleware(django_gzip.GZipMiddleware):
    """Django's, compressing pages at level 1 rather than 6.

    A ward page is about 110 KB of HTML (its map's data): level 6 took about 4 ms of a
    loaded core a page and made it 19 KB, level 1 takes a third of that for 22 KB. The
    random padding against BREACH is Django's (a random-length name in the gzip header).
    """

    level = 1

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.streaming or not self._wanted(request, response):
            # Django's own path: streamed responses, short ones, already encoded ones, and
            # the Vary header for clients that do not take gzip.
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        compressed = self._compress(response.content)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response

    @staticmethod
    def _wanted(request: HttpRequest, response: HttpResponse) -> bool:
        accepts = request.META.get("HTTP_ACCEPT_ENCODING", "")
        return (
            len(response.content) >= 200
            and not response.has_header("Content-Encoding")
            and bool(django_gzip.re_accepts_gzip.search(accepts))
        )

    def _compress(self, content: bytes) -> bytes:
        data = bytearray(gzip.compress(content, compresslevel=self.level, mtime=0))
        data[3] = gzip.FNAME  # as django.utils.text.compress_string pads it
        padding = b"a" * secrets.randbelow(self.max_random_bytes) + b"\x00"
        return bytes(data[:10]) + padding + bytes(data[10:])


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


# Pages reached by a signed link or key in their URL, or by the session such a link
# opened (the survey's pages). Their address must not leak to another site.
TOKEN_PAGES = frozenset(
    {
        "alerts_unsubscribe",
        "surveys_link",
        "surveys_page",
        "surveys_check",
        "surveys_thanks",
        "account_confirm_email",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
    }
)


class PrivatePagesMiddleware:
    """No shared or browser cache keeps a page shown to someone signed in, or a token page.

    Those pages hold personal data (My account, About you, contact lists, comments,
    exports, staff pages); ``no-store`` also keeps them out of the back-forward cache
    of a shared computer. Token pages send only the site's origin as referrer, so the
    token in their URL never reaches another site (nor our own logs). Sits below
    SecurityMiddleware, whose referrer policy is only a default.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        token_page = match is not None and match.url_name in TOKEN_PAGES
        user = getattr(request, "user", None)
        if token_page or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True, no_cache=True)
        if token_page:
            # Not "no-referrer": with it browsers send "Origin: null" on the page's own
            # forms (confirm, unsubscribe, survey), which the CSRF check rightly refuses.
            # "strict-origin" sends only the site's origin, never the path with the token.
            response["Referrer-Policy"] = "strict-origin"
        return response


class RefuseNulMiddleware:
    """A NUL character in the address or its query is a 404, as for any unknown page.

    PostgreSQL cannot hold NUL in text, so a NUL reaching a query is a server error;
    no address of ours has one. (Forms refuse NUL themselves, with a form error.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.lists()
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in query
        ):
            raise Http404
        return self.get_response(request)
