"""Headers on every response: no cache keeps a page with personal data, and a link with a
token in it is never sent on to another site as a referrer."""

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


def test_token_pages_are_not_cached_and_send_no_referrer():
    client = Client(REMOTE_ADDR=fresh_ip())
    routes = [r for r in all_routes() if r.name in TOKEN_PAGES]

    assert {r.name for r in routes} == TOKEN_PAGES
    for route in routes:
        response = client.get(route.url)
        assert not_cacheable(response), route.url
        assert response["Referrer-Policy"] == "no-referrer", route.url


def test_a_public_page_keeps_the_usual_referrer_policy():
    response = Client().get("/privacy/")

    assert response["Referrer-Policy"] == "same-origin"
