"""Every public page, in English and in Polish, on a 360 px phone: axe finds no serious
or critical problem, nothing scrolls sideways, and the page is in the chosen language.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, no_horizontal_scroll
from tests.factories.members import ensure_community_groups, ensure_hull_geography, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (path, a heading in English, the same in Polish)
PUBLIC_PAGES = [
    ("/", "Hear from your local police", "Bądź w kontakcie z lokalną policją"),
    ("/accounts/signup/", "Register", "Zarejestruj się"),
    ("/accounts/signup/?postcode=HU1+2P", "Register", "Zarejestruj się"),
    ("/accounts/signup/?postcode=SW1A+1AA", "Register", "Zarejestruj się"),
    ("/accounts/signup/?postcode=HU1+2PD", "Register", "Zarejestruj się"),
    ("/accounts/login/", "Sign in", "Zaloguj się"),
    ("/accounts/password/reset/", "Reset your password", "Zresetuj hasło"),
    ("/accounts/password/reset/done/", "Check your email", "Sprawdź pocztę e-mail"),
    ("/accounts/password/reset/key/0-bad-key/", "This link does not work", "Ten link nie działa"),
    ("/accounts/password/reset/key/done/", "Password saved", "Hasło zapisane"),
    ("/accounts/confirm-email/", "Check your email", "Sprawdź pocztę e-mail"),
    ("/accounts/confirm-email/bad-key/", "Confirm your email address", "Potwierdź swój adres"),
    ("/accounts/inactive/", "Account closed", "Konto zamknięte"),
    ("/privacy/", "How we use your information", "Jak wykorzystujemy Twoje dane"),
    ("/registered/confirmed/", "your email address is confirmed", "został potwierdzony"),
    ("/account-erased/", "Your account is erased", "Twoje konto zostało usunięte"),
    ("/no-such-page/", "Page not found", "Nie znaleziono strony"),
]


@pytest.fixture
def hull(settings):
    settings.MEMBERS_BOT_MIN_SECONDS = 0
    ensure_community_groups()
    return ensure_hull_geography()


@pytest.mark.parametrize(("language", "lang_attr"), [("en-gb", "en-gb"), ("pl", "pl")])
def test_every_public_page_passes_axe_on_a_phone(
    phone_page, live_server, hull, language, lang_attr
):
    page = phone_page
    use_language(page, live_server, language)
    problems = {}
    for path, english, polish in PUBLIC_PAGES:
        page.goto(path)
        heading = page.locator("h1").inner_text()
        expected = polish if language == "pl" else english
        if expected.lower() not in heading.lower():
            problems[path] = f"heading {heading!r}, expected {expected!r}"
        if page.get_attribute("html", "lang") != lang_attr:
            problems[path] = f"lang {page.get_attribute('html', 'lang')!r}"
        if violations := axe_violations(page):
            problems[path] = violations
        if not no_horizontal_scroll(page):
            problems[path] = "scrolls sideways at 360 px"
    assert problems == {}


@pytest.mark.parametrize("language", ["en-gb", "pl"])
def test_the_sign_up_form_with_errors_passes_axe(phone_page, live_server, hull, language):
    page = phone_page
    use_language(page, live_server, language)
    page.goto("/accounts/signup/?postcode=HU1+2PD")
    page.locator("details.about-you summary").click()
    page.locator("#id_ethnic_group").select_option("white_other")

    page.locator("main form button[type=submit]").last.click()

    expect(page.locator(".error-summary")).to_be_visible()
    assert page.locator("details.about-you").get_attribute("open") is not None
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)


@pytest.mark.parametrize("language", ["en-gb", "pl"])
def test_the_try_again_later_page_passes_axe(phone_page, live_server, settings, language):
    settings.ACCOUNT_RATE_LIMITS = {"login": "0/m/ip"}
    page = phone_page
    use_language(page, live_server, language)
    page.goto("/accounts/login/")
    page.locator("#id_login").fill("someone@example.test")
    page.locator("#id_password").fill("not the password")

    with page.expect_response(lambda r: r.request.method == "POST") as response:
        page.locator("main form button[type=submit]").last.click()

    assert response.value.status == 429
    heading = page.locator("h1").inner_text()
    assert heading == ("Spróbuj ponownie później" if language == "pl" else "Please try again later")
    assert axe_violations(page) == []
    assert no_horizontal_scroll(page)
