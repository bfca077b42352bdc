"""The ward page's main part is cached per scoring run and scope, never past new scores."""

from __future__ import annotations

import gzip
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from targeting import page_cache
from targeting.models import StreetScore
from targeting.scoring import compute_scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(area):
    compute_scores(forces=[area["force"]])
    return area


def ward_url(area, key="riverside"):
    return f"/staff/priorities/area/{area[key].code}/"


def page(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def test_the_second_showing_of_a_ward_page_comes_from_the_cache(client, officer, scored):
    first, first_queries = page(client, officer, ward_url(scored))
    second, second_queries = page(client, officer, ward_url(scored))

    assert second_queries < first_queries / 2
    without_nonce = [re.sub(r'nonce="[^"]+"', "", r.context["body"]) for r in (first, second)]
    assert without_nonce[0] == without_nonce[1]


def test_each_showing_carries_its_own_nonce_in_the_map_script(client, officer, scored):
    responses = [page(client, officer, ward_url(scored))[0] for _ in range(2)]

    nonces = []
    for response in responses:
        header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        in_page = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
        assert in_page == {header}
        nonces.append(header)
    assert nonces[0] != nonces[1]


def test_the_cached_page_is_kept_until_the_scoring_run_ends(client, officer, scored):
    page(client, officer, ward_url(scored))
    StreetScore.objects.filter(ward=scored["riverside"]).update(score=99)

    stale, _ = page(client, officer, ward_url(scored))
    page_cache.scores_changed()
    fresh, _ = page(client, officer, ward_url(scored))

    assert '">99</span>' not in stale.content.decode()
    assert '">99</span>' in fresh.content.decode()


def test_a_scoring_run_moves_the_version_on(scored):
    before = page_cache.scores_version()

    compute_scores(forces=[scored["force"]])

    assert page_cache.scores_version() != before


def test_viewers_with_another_scope_do_not_share_a_cached_page(client, officer, supervisor, scored):
    page(client, officer, ward_url(scored))
    _, officer_again = page(client, officer, ward_url(scored))
    _, supervisor_first = page(client, supervisor, ward_url(scored))

    assert supervisor_first > officer_again


def test_a_page_cached_in_english_is_not_served_in_polish(client, officer, scored):
    page(client, officer, ward_url(scored))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"

    polish, _ = page(client, officer, ward_url(scored))

    assert "Ulice, które najbardziej Cię potrzebują" in polish.content.decode()


def test_pages_are_compressed_for_browsers_that_accept_gzip(client, officer, scored):
    client.force_login(officer)

    response = client.get(ward_url(scored), HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.content)
