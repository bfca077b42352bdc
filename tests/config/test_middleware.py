"""Headers on every response: no cache keeps a page with personal data, and a link with a
token in it is never sent on as a referrer."""

import gzip

import pytest
from django.test import Client
from django.urls import get_resolver

from tests import url_audit
from tests.factories import make_staff
from tests.factories.members import fresh_ip, make_member

pytestmark = pytest.mark.django_db

# Pages reached by a signed link or key in the URL (or by the session such a link opened).
TOKEN_PAGES = {
    "alerts_unsubscribe",
    "surveys_link",
    "surveys_page",
    "surveys_check",
    "surveys_thanks",
    "account_confirm_email",
    "account_reset_password_from_key",
}


def all_routes():
    return [r for r in url_audit.routes(get_resolver().url_patterns) if r.namespace != "admin"]


def not_cacheable(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.fixture
def member_client():
    client = Client(REMOTE_ADDR=fresh_ip())
    client.force_login(make_member().user)
    return client


@pytest.fixture
def staff_client(tiny_force):
    client = Client(REMOTE_ADDR=fresh_ip())
    client.force_login(make_staff("officer@example.test", "officer", [tiny_force["riverside"]]))
    return client


@pytest.mark.parametrize("who", ["member_client", "staff_client"])
def test_no_page_shown_to_someone_signed_in_may_be_cached(request, who):
    client = request.getfixturevalue(who)

    cacheable = [r.url for r in all_routes() if not not_cacheable(client.get(r.url))]

    assert cacheable == []


def test_my_account_and_my_data_download_may_not_be_cached(member_client):
    for url in ("/my-account/", "/my-account/about-you/", "/my-account/download/csv/"):
        assert not_cacheable(member_client.get(url)), url


def test_token_pages_are_not_cached_and_never_send_their_path_as_referrer():
    client = Client(REMOTE_ADDR=fresh_ip())
    routes = [r for r in all_routes() if r.name in TOKEN_PAGES]

    assert {r.name for r in routes} == TOKEN_PAGES
    for route in routes:
        response = client.get(route.url)
        assert not_cacheable(response), route.url
        # Only the origin, never the path holding the token ("no-referrer" would make
        # browsers send "Origin: null" on the page's own forms, refused as CSRF).
        assert response["Referrer-Policy"] == "strict-origin", route.url


def test_a_public_page_keeps_the_usual_referrer_policy():
    response = Client().get("/privacy/")

    assert response["Referrer-Policy"] == "same-origin"


# --- Bad input is a 404 or a form error, never a server error -------------------------------

BAD_VALUES = ["\x00", "E05\x00999901", "%ff", "x" * 5000, "' OR 1=1 --", "<script>"]
PARAMETERS = ("q", "area", "period", "page", "round", "top", "state", "code", "next")


def with_bad_path_values(route, value: str) -> str:
    url = route.url
    for sample in url_audit.SAMPLE_KWARGS.values():
        url = url.replace(sample, value)
    return url


@pytest.fixture
def admin_client(tiny_force):
    client = Client(REMOTE_ADDR=fresh_ip(), raise_request_exception=False)
    client.force_login(make_staff("admin@example.test", "admin", [tiny_force["force"]]))
    return client


@pytest.mark.parametrize(
    "value", BAD_VALUES, ids=["nul", "nul-inside", "bad-utf8", "long", "sql", "html"]
)
def test_bad_input_in_any_path_or_query_is_never_a_server_error(admin_client, value):
    errors = []
    for route in all_routes():
        query = dict.fromkeys(PARAMETERS, value)
        for url in (with_bad_path_values(route, value), route.url):
            status = admin_client.get(url, query).status_code
            if status >= 500:
                errors.append((url, status))
    assert errors == []


@pytest.mark.parametrize("value", ["\x00", "x" * 5000], ids=["nul", "long"])
def test_bad_input_in_any_form_is_never_a_server_error(admin_client, value):
    errors = []
    for route in all_routes():
        fields = dict.fromkeys((*PARAMETERS, "email", "name", "postcode", "files"), value)
        status = admin_client.post(route.url, fields).status_code
        if status >= 500:
            errors.append((route.url, status))
    assert errors == []


def test_compressed_pages_keep_a_random_length_against_breach():
    from config.middleware import GZipMiddleware

    page = b"<html>" + b"the same page, the same secret " * 200 + b"</html>"
    compressed = [GZipMiddleware(lambda request: None)._compress(page) for _ in range(10)]

    assert all(gzip.decompress(body) == page for body in compressed)
    assert len({len(body) for body in compressed}) > 1
