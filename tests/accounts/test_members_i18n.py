"""Member pages in English and Polish; the Polish catalogue is complete and compiled."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alerts.rendering import unsubscribe_url
from surveys import links
from tests.factories.members import fresh_ip, make_member
from tests.factories.surveys import make_invitation

LOCALE = Path(settings.BASE_DIR) / "locale" / "pl" / "LC_MESSAGES"
# Where the public and member-facing strings live (staff pages of other apps may lag).
PUBLIC_SOURCES = (
    "accounts/",
    "areas/selectors.py",
    "config/",
    "templates/account/",
    "templates/accounts/members/",
    "templates/_partials/",
    "templates/errors/",
    "templates/base.html",
    "templates/home.html",
    "templates/429.html",
)


def read_po(path: Path) -> list[dict]:
    """A small .po reader: entries with context, id, plural, strings, flags and sources."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            finish()
            entry, field = None, None
            continue
        entry = entry if entry is not None else {"flags": set(), "sources": [], "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#:"):
            entry["sources"] += [s.rsplit(":", 1)[0] for s in line[2:].split()]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += value
            else:
                entry[field[0]] += value
        else:
            key, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            match = re.match(r"msgstr\[(\d)\]", key)
            if match or key == "msgstr":
                field = ("msgstr", int(match.group(1)) if match else 0)
                entry["msgstr"][field[1]] = value
            else:
                field = (key, None)
                entry[key] = value
    return [e for e in entries if e["msgid"]]  # not the header


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    return read_po(LOCALE / "django.po")


def test_every_public_text_has_a_polish_translation(catalogue):
    missing = [
        e["msgid"]
        for e in catalogue
        if any(s.startswith(PUBLIC_SOURCES) for s in e["sources"])
        and ("fuzzy" in e["flags"] or not all(e["msgstr"].values()))
    ]

    assert missing == []


def test_the_compiled_catalogue_matches_the_po_file(catalogue):
    with open(LOCALE / "django.mo", "rb") as f:
        compiled = gettext.GNUTranslations(f)

    for e in catalogue:
        if "fuzzy" in e["flags"] or not all(e["msgstr"].values()):
            continue
        if "msgid_plural" in e:
            got = (
                compiled.npgettext(e["msgctxt"], e["msgid"], e["msgid_plural"], 1)
                if ("msgctxt" in e)
                else compiled.ngettext(e["msgid"], e["msgid_plural"], 1)
            )
        elif "msgctxt" in e:
            got = compiled.pgettext(e["msgctxt"], e["msgid"])
        else:
            got = compiled.gettext(e["msgid"])
        assert got == e["msgstr"][0], f"run `make messages`: {e['msgid']!r} is not compiled"


def test_placeholders_survive_translation(catalogue):
    for e in catalogue:
        for text in e["msgstr"].values():
            if text:
                assert set(re.findall(r"%\(\w+\)s", text)) == set(
                    re.findall(r"%\(\w+\)s", e["msgid"])
                ), e["msgid"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "polish"),
    [
        ("/accounts/signup/", "Zarejestruj się"),
        ("/accounts/signup/?postcode=HU1+2PD", "Gdzie mieszkasz"),
        ("/accounts/signup/?postcode=SW1A+1AA", "poza obszarem, który obsługujemy"),
        ("/accounts/login/", "Nie pamiętasz hasła?"),
        ("/privacy/", "Jak wykorzystujemy Twoje dane"),
    ],
)
def test_public_pages_are_in_polish_when_chosen(url, polish):
    client = Client(REMOTE_ADDR=fresh_ip())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"

    html = client.get(url).content.decode()

    assert '<html lang="pl">' in html
    assert polish in html


@pytest.mark.django_db
def test_the_language_switcher_changes_the_language_and_comes_back_to_the_page():
    client = Client(REMOTE_ADDR=fresh_ip())

    response = client.post("/i18n/setlang/", {"language": "pl", "next": "/privacy/"})

    assert response["Location"] == "/privacy/"
    assert "Jak wykorzystujemy Twoje dane" in client.get("/privacy/").content.decode()


@pytest.mark.django_db
def test_my_account_is_in_polish_too(client):
    member = make_member(demographics={"age_band": "25-34"})
    client.force_login(member.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"

    html = client.get("/my-account/").content.decode()

    assert "Moje konto" in html
    assert "Odpowiedziałeś(-aś) na 1 pytanie o sobie." in html


@pytest.mark.django_db
def test_pages_reached_from_links_in_messages_are_in_polish_too():
    """The survey's first screen and "stop messages", opened from a message without signing in."""
    member = make_member(email="polish.links@example.test")
    survey = reverse("surveys_link", args=[links.invitation_token(make_invitation(member))])
    stop = "/" + unsubscribe_url(member_id=member.pk, now=timezone.now()).split("/", 3)[3]
    client = Client(REMOTE_ADDR=fresh_ip())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"

    survey_html = client.get(survey).content.decode()
    stop_html = client.get(stop).content.decode()

    assert '<html lang="pl">' in survey_html and '<html lang="pl">' in stop_html
    assert "Rozpocznij ankietę" in survey_html
    assert "Start the survey" not in survey_html
    assert "Nie będziesz już otrzymywać komunikatów, ankiet ani innych wiadomości" in stop_html
    assert "You will get no more alerts, surveys or other messages" not in stop_html
