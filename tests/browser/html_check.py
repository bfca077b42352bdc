"""A small checker of the HTML rules our pages have broken (no validator is installed).

- ``<time datetime>``: a valid date, month, time or global date and time string of the
  HTML standard (at most 3 digits of fractional seconds: Python's ``isoformat()`` writes 6);
- ``id``: unique in the page;
- no ``<form>`` inside a ``<form>``, no link or button inside a link or button.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_DATE = r"\d{4,}-\d{2}(?:-\d{2})?"
_TIME = r"\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?"
_ZONE = r"(?:Z|[+-]\d{2}:?\d{2})"
VALID_DATETIME = re.compile(
    rf"^(?:{_DATE}|{_TIME}|\d{{4,}}-\d{{2}}-\d{{2}}[T ]{_TIME}{_ZONE}?|\d{{4,}}-W\d{{2}}|\d{{4,}})$"
)
INTERACTIVE = {"a", "button"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.ids: set[str] = set()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        where = f"line {self.getpos()[0]}"
        if tag == "time" and "datetime" in values:
            text = values["datetime"] or ""
            if not VALID_DATETIME.match(text):
                self.problems.append(f'{where}: <time datetime="{text}"> is not a valid date/time')
        element_id = values.get("id")
        if element_id:
            if element_id in self.ids:
                self.problems.append(f'{where}: id "{element_id}" is used twice')
            self.ids.add(element_id)
        if tag == "form" and "form" in self.open:
            self.problems.append(f"{where}: a <form> inside a <form>")
        if tag in INTERACTIVE and INTERACTIVE & set(self.open):
            inside = next(t for t in reversed(self.open) if t in INTERACTIVE)
            self.problems.append(f"{where}: <{tag}> inside <{inside}>")
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs) -> None:
        # <path/> in SVG: no element stays open.
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass


def html_problems(html: str) -> list[str]:
    """What breaks the rules above in a page's HTML."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker.problems
