"""Every page, as everyone in tests/people.py and signed out, at 360 px and 1280 px.

The pages come from the URL conf: each route is opened with the sample objects of the
access matrix (tests/test_access_matrix.py) or, without parameters, as it is; whatever
answers someone 200 with HTML is a page they can reach, and is then opened in Chromium
at both widths. On each: no sideways scroll, no axe violation rated serious or critical,
no console error (a CSP violation is one), and no HTML the small checker refuses
(tests/browser/html_check.py). Every problem of a role is listed before the test fails.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import get_resolver

from surveys.reference import ensure_reference_data
from targeting.scoring import compute_scores
from tests import test_access_matrix as matrix
from tests import url_audit
from tests.browser.conftest import axe_violations
from tests.browser.html_check import html_problems
from tests.factories.surveys import make_invitation
from tests.factories.targeting import load_reference_data, make_members, make_postcode
from tests.people import EVERYONE
from tests.test_access_matrix import AREA_LEVELS, MATRIX

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 1280)
# Routes with parameters the access matrix has no sample for: signed one-off links
# (replies, unsubscribes, allauth keys) need a token of their own and are covered by
# their own browser tests; the rest have no page (downloads, POST-only actions).
SAMPLE_PARTS = ("<", "sample", "E05999901", "/1/", "00000000-0000")


@pytest.fixture
def reference_data(db):
    # Transactional tests start from an emptied database.
    load_reference_data()
    ensure_reference_data()


@pytest.fixture
def scored(reference_data, people, tiny_force):
    """The access matrix's sample objects (Riverside's streets, a message, a survey
    draft), scored."""
    samples = matrix.objects.__wrapped__(people, tiny_force)
    # A key contact with the kind of address that pushed the page sideways on a phone.
    contact = make_members(make_postcode("ZZ9 1AC", tiny_force["riverside"], 100_300, 101_300), 1,
                           key_contact=True)[0].user  # fmt: skip
    contact.email = "firstname.middlename.lastname.longer-than-a-phone@community-example.test"
    contact.save(update_fields=["email"])
    # A survey invitation: My account lists it with a <time> (which once had 6-digit
    # fractions of a second).
    make_invitation(people.member.member)
    compute_scores(forces=[samples["area"]["force"]])
    return samples


def candidate_urls(samples: dict) -> list[str]:
    """Every route's URL with sample objects: the matrix's, the area levels', and the
    routes without parameters."""
    urls = {url_for(samples) for url_for, _expected in MATRIX.values()} | set(AREA_LEVELS)
    for route in url_audit.routes(get_resolver().url_patterns):
        if route.namespace == "admin" or route.name in MATRIX:
            continue
        if any(part in route.url for part in SAMPLE_PARTS):
            continue  # no sample object for its parameters
        urls.add(route.url)
    return sorted(urls)


def reachable(client: Client, urls: list[str]) -> list[str]:
    """The URLs that answer 200 with an HTML page (not a download, not a redirect)."""
    pages = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(url)
    return pages


def signed_in_context(browser, live_server, client: Client | None, width: int):
    phone = width < 600
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": 740 if phone else 900},
        device_scale_factor=2 if phone else 1,
        is_mobile=phone,
        has_touch=phone,
    )
    if client is not None and settings.SESSION_COOKIE_NAME in client.cookies:
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
    return context


def sideways(page) -> str:
    """Empty if the page fits its width; else how wide it is and what sticks out."""
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if scroll <= client + 1:
        return ""
    wide = page.evaluate(
        """(limit) => Array.from(document.querySelectorAll('body *'))
            .filter(e => e.getBoundingClientRect().right > limit + 1)
            .slice(0, 3)
            .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                      + (typeof e.className === 'string' && e.className
                         ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))""",
        client,
    )
    return f"{scroll} px wide: {', '.join(wide)}"


def check_page(page, url: str, width: int, errors: list[str], client: Client) -> list[str]:
    """The problems of one page at one width (``errors``: what its console reported)."""
    errors.clear()
    response = page.goto(url)
    where = f"{width} px {url}"
    if response is None or response.status != 200:
        return [f"{where}: answered {response.status if response else 'nothing'}"]
    problems = []
    wide = sideways(page)
    if wide:
        problems.append(f"{where}: scrolls sideways ({wide})")
    for v in axe_violations(page):
        problems.append(f"{where}: axe {v['impact']} {v['id']}: {v['help']} {v['nodes']}")
    if width == WIDTHS[0]:  # the same HTML at both widths
        # The HTML as served (the client's copy: the page may have moved on already).
        html = client.get(url).content.decode()
        problems += [f"{url}: {p}" for p in html_problems(html)]
    problems += [f"{where}: console error: {e}" for e in errors]
    return problems


@pytest.mark.parametrize("who", EVERYONE)
def test_every_page_works_at_360_and_1280_px(who, browser, live_server, people, scored):
    client = people.client(who)
    pages = reachable(client, candidate_urls(scored))
    assert pages, f"{who} reaches no page"

    problems = []
    for width in WIDTHS:
        context = signed_in_context(browser, live_server, client, width)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg, seen=errors: msg.type == "error" and seen.append(msg.text))
        page.on("pageerror", lambda exc, seen=errors: seen.append(str(exc)))
        for url in pages:
            problems += check_page(page, url, width, errors, client)
        context.close()

    assert problems == [], "\n".join(problems)
