"""The one reader of uploaded text files: what a file really is, in plain words.

Files reach the importers from spreadsheets as often as from the publisher: saved as
UTF-16 ("Unicode text"), as Windows-1252 (Excel's plain "CSV"), with semicolons between
values (a European Excel), or simply the wrong file (an Acorn file on the crime page).
Before any row is read, :func:`text_problem` says what is wrong with the bytes, and
:func:`format_problem` names the format a header belongs to when it is not the one
expected. UTF-8 with or without a byte-order mark, CRLF or LF, is what every importer
reads; these functions only explain the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

RESAVE = "save it again as \u201cCSV UTF-8 (comma delimited)\u201d and upload that"


@dataclass(frozen=True)
class Format:
    """A file format the project knows, recognised by a few of its header columns."""

    label: str
    signature: tuple[str, ...]  # every one present (case-insensitive) = this format
    columns: tuple[str, ...] = ()  # what to list when this format is expected

    def matches(self, header: Sequence[str]) -> bool:
        names = {h.strip().lower() for h in header}
        return all(s.lower() in names for s in self.signature)

    def expected(self) -> str:
        return ", ".join(self.columns or self.signature)


# The columns of a police.uk street-level crime file, in its order (the crime importer
# reads them by these names).
POLICE_UK_STREET_COLUMNS = (
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
)

# Most specific first: the first whose signature is all there names the file.
FORMATS: tuple[Format, ...] = (
    Format(
        "police.uk street-level crime",
        ("Crime ID", "Month", "Reported by", "Crime type"),
        POLICE_UK_STREET_COLUMNS[:-1],  # "Context" is empty in practice
    ),
    Format("police.uk stop and search", ("Type", "Date", "Part of a policing operation")),
    Format("police.uk outcomes", ("Crime ID", "Month", "Outcome type")),
    Format(
        "English Indices of Deprivation (IoD2019 File 2)",
        ("LSOA code (2011)", "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"),
        (
            "LSOA code (2011)",
            "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",
            "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)",
        ),
    ),
    Format("LSOA 2011 to 2021 lookup", ("LSOA11CD", "LSOA21CD")),
    Format("output area to LSOA lookup", ("OA21CD", "LSOA21CD")),
    Format("output area to LSOA lookup", ("OA", "geography_code")),
    Format("Census 2021 usual residents (TS001)", ("ts0010001",)),
    Format("Census 2021 usual residents (TS001)", ("Residence type: Total; measures: Value",)),
    Format("Census 2021 households (TS041)", ("ts0410001",)),
    Format(
        "Census 2021 households (TS041)",
        ("Number of households: Number of households; measures: Value",),
    ),
    Format(
        "Census 2021 ethnic group (TS021)",
        ("geography code", "Ethnic group: Total: All usual residents"),
        ("geography", "geography code", "Ethnic group: Total: All usual residents"),
    ),
    Format(
        "ONS area classification (OAC) by output area",
        ("Geography_Code", "Supergroup", "Group", "Subgroup"),
    ),
    Format("OAC class names", ("Level", "Classification Code", "Classification Name")),
    Format("Acorn by postcode", ("Postcode", "Acorn Category", "Acorn Group", "Acorn Type")),
    Format("Acorn by postcode", ("Postcode", "Category", "Group", "Type")),
    Format("Acorn by postcode", ("pcds", "Category", "Group", "Type")),
    Format("ONS postcode directory (ONSPD)", ("pcds", "oa21")),
)
GEOJSON = "GeoJSON (boundaries or lines)"


def identify(header: Sequence[str]) -> str | None:
    """The label of the known format this header row belongs to, if any."""
    if header and header[0].lstrip("\ufeff\x1e \t").startswith(("{", "[")):
        return GEOJSON
    found = next((f for f in FORMATS if f.matches(header)), None)
    return found.label if found else None


def expected_format(required: Sequence[str]) -> Format | None:
    """The known format whose columns ``required`` are (to name it in a message)."""
    return next((f for f in FORMATS if f.matches(required)), None)


def _article(label: str) -> str:
    return "an" if label[:1].lower() in "aeiou" else "a"


def format_problem(header: Sequence[str], *, required: Sequence[str], expected: str = "") -> str:
    """A message when ``header`` is another known format than the one ``required`` is.

    Empty when the header is not a known format, or is the expected one (missing
    columns are then reported column by column).
    """
    found = identify(header)
    wanted = expected_format(required)
    label = expected or (wanted.label if wanted else "")
    if not found or not label or found == label:
        return ""
    columns = wanted.expected() if wanted else ", ".join(required)
    return (
        f"This looks like {_article(found)} {found} file, not {label}: "
        f"expected the columns {columns}."
    )


def separator_problem(first_line: str) -> str:
    """A message when the values of the first line are separated by ; or tabs, not commas."""
    for separator, name in ((";", "semicolons (;)"), ("\t", "tabs")):
        if first_line.count(separator) > first_line.count(","):
            return (
                f"The values in this file are separated by {name}, not commas: "
                "save it again as \u201cCSV (comma delimited)\u201d and upload that."
            )
    return ""


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a byte-order mark: text with a NUL byte in every other position."""
    sample = head[:2000]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return max(even.count(0), odd.count(0)) > 0.3 * len(odd)


def text_problem(path: Path) -> str:
    """Why ``path`` is not UTF-8 text, in plain words ("" when it is).

    Reads the file line by line (a UTF-8 sequence never contains a newline byte), so
    the message can name the first line that is not UTF-8.
    """
    with open(path, "rb") as handle:
        head = handle.read(4096)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return f"This file is saved as UTF-16 (\u201cUnicode text\u201d), not UTF-8: {RESAVE}."
        if _looks_utf16(head):
            return (
                "This file is saved as UTF-16 without a byte-order mark "
                f"(\u201cUnicode text\u201d), not UTF-8: {RESAVE}."
            )
        handle.seek(0)
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                return _not_utf8(number, line, exc)
    return ""


def _not_utf8(number: int, line: bytes, exc: UnicodeDecodeError) -> str:
    byte = line[exc.start : exc.start + 1]
    try:
        char = byte.decode("cp1252")
    except UnicodeDecodeError:
        return f"This is not a text file (line {number} has the byte 0x{byte.hex().upper()})."
    return (
        "This file is not UTF-8: it looks like Windows-1252 (what Excel saves as plain "
        f"\u201cCSV\u201d); line {number} has \u201c{char}\u201d in that encoding. "
        f"{RESAVE[0].upper()}{RESAVE[1:]}."
    )


def first_line(path: Path) -> str:
    """The first line of a UTF-8 file (without a byte-order mark), for the checks above."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        return handle.readline().rstrip("\r\n")
