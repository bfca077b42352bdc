"""Every catalogue is complete, valid for msgfmt, and compiled from its current .po file."""

import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
CATALOGUES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))
# msgfmt's messages in English, whatever the machine's locale.
ENV = {**os.environ, "LC_ALL": "C", "LANGUAGE": ""}
STATISTICS = re.compile(
    r"(?P<translated>\d+) translated messages?"
    r"(?:, (?P<fuzzy>\d+) fuzzy translations?)?"
    r"(?:, (?P<untranslated>\d+) untranslated messages?)?\."
)


def msgfmt(*args: str) -> subprocess.CompletedProcess:
    assert shutil.which("msgfmt"), "msgfmt (GNU gettext) is needed: run `make deps`"
    return subprocess.run(["msgfmt", *args], capture_output=True, text=True, env=ENV, check=False)


def catalogue_id(po: Path) -> str:
    return po.relative_to(LOCALE_DIR).parts[0]


def test_every_language_but_english_has_a_catalogue():
    have = {catalogue_id(po) for po in CATALOGUES}
    want = {code for code, _name in settings.LANGUAGES if not code.startswith("en")}

    assert want <= have


@pytest.mark.parametrize("po", CATALOGUES, ids=catalogue_id)
def test_the_catalogue_is_valid_and_complete(po):
    result = msgfmt("--check", "--statistics", "-o", os.devnull, str(po))

    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr
    stats = [m for line in result.stderr.splitlines() if (m := STATISTICS.fullmatch(line.strip()))]
    assert len(stats) == 1, result.stderr
    counts = {k: int(v or 0) for k, v in stats[0].groupdict().items()}
    assert counts["translated"] > 0
    assert (counts["fuzzy"], counts["untranslated"]) == (0, 0), (
        f"{po}: {counts['fuzzy']} fuzzy and {counts['untranslated']} untranslated messages"
    )


@pytest.mark.parametrize("po", CATALOGUES, ids=catalogue_id)
def test_the_compiled_catalogue_is_up_to_date(po, tmp_path):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `make messages`"
    fresh = tmp_path / "django.mo"
    result = msgfmt("--check-format", "-o", str(fresh), str(po))
    assert result.returncode == 0, result.stderr

    def messages(path: Path) -> dict:
        # Every msgid (with its context or plural index) -> msgstr, the header included.
        with open(path, "rb") as f:
            return gettext.GNUTranslations(f)._catalog

    compiled, expected = messages(mo), messages(fresh)

    stale = sorted(str(k) for k in compiled.keys() ^ expected.keys())
    stale += sorted(str(k) for k in compiled.keys() & expected.keys() if compiled[k] != expected[k])
    assert not stale, f"{mo} is out of date with {po.name}: run `make messages`; e.g. {stale[:5]}"
