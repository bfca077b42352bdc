"""Geodemographic classes into one shape: the ONS area classification per output area,
or a force's Acorn file per postcode.

OAC reuses the class and file logic of ``areas.importers.output_areas`` (the same
files ``import_output_areas`` reads); this importer only re-classifies output areas
already imported. Acorn rows are ``postcode, category, group, type``; each value is a
code ("1", "A", "3"), optionally followed by its name ("1 Affluent Achievers"), or the
names come from ``... name`` columns. Acorn classes are stored with codes that carry
their parents (category "1", group "1.A", type "1.A.1"), as OAC codes do ("7", "7a",
"7a1"), under the scheme ``acorn`` of ``areas.GeodemographicClass``.

Classes are context for officers (who lives here); they never enter a score: both
schemes are built partly from ethnicity and country of birth.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from django.db import connection, transaction

from areas.importers import text
from areas.importers.base import Errors, ImportSummary, Progress, no_progress, open_text, read_csv
from areas.importers.output_areas import (
    _save_classes,
    read_class_names,
    read_classification,
)
from areas.importers.text import format_problem, separator_problem
from areas.models import GeodemographicClass, OutputArea, Postcode
from areas.selectors import normalise_postcode

OAC = GeodemographicClass.Scheme.OAC
ACORN = GeodemographicClass.Scheme.ACORN
MAX_NAME = GeodemographicClass._meta.get_field("name").max_length

# Logical column -> accepted header names (compared case-insensitively).
ACORN_COLUMNS = {
    "postcode": ("postcode", "pcd", "pcds", "post code"),
    "category": ("category", "acorn category", "acorn_category"),
    "group": ("group", "acorn group", "acorn_group"),
    "type": ("type", "acorn type", "acorn_type"),
}
ACORN_NAME_COLUMNS = {
    "category": ("category name", "category_name", "acorn category name"),
    "group": ("group name", "group_name", "acorn group name"),
    "type": ("type name", "type_name", "acorn type name"),
}
ACORN_CODE = {
    "category": re.compile(r"^\s*(\d{1,2})\b\s*[-:.]?\s*(.*)$"),
    "group": re.compile(r"^\s*([A-Za-z])\b\s*[-:.]?\s*(.*)$"),
    "type": re.compile(r"^\s*(\d{1,2})\b\s*[-:.]?\s*(.*)$"),
}
ACORN_LEVEL_NAMES = {"category": "Category", "group": "Group", "type": "Type"}
BATCH = 5000
ACORN_LABEL = "Acorn by postcode"


def _header(path: Path) -> list[str]:
    try:
        with open_text(path) as handle:
            return [h.strip() for h in next(csv.reader(handle), [])]
    except (OSError, csv.Error, UnicodeDecodeError):
        return []


def _find(header: list[str], names: Sequence[str]) -> str | None:
    lowered = {h.lower(): h for h in header}
    return next((lowered[n] for n in names if n in lowered), None)


def _set_classification(table: str, pairs: dict[str, int | None]) -> int:
    """Set ``classification_id`` by code in one statement per batch; returns rows changed."""
    changed = 0
    items = sorted(pairs.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            cursor.execute(
                f"""
                UPDATE {table} t SET classification_id = u.class_id
                  FROM unnest(%s::text[], %s::bigint[]) AS u(code, class_id)
                 WHERE t.code = u.code AND t.classification_id IS DISTINCT FROM u.class_id
                """,  # noqa: S608 - table names are ours
                [[c for c, _ in chunk], [i for _, i in chunk]],
            )
            changed += cursor.rowcount
    return changed


# --- OAC ------------------------------------------------------------------------------------


@transaction.atomic
def import_oac(
    path: Path, *, names: Path | None = None, progress: Progress = no_progress
) -> ImportSummary:
    """OAC subgroups per output area (``Geography_Code, Supergroup, Group, Subgroup``)."""
    errors = Errors()
    path = Path(path)
    class_rows = read_class_names(Path(names), errors) if names else None
    if class_rows is not None:
        known = {c for c, row in class_rows.items() if row.level == "subgroup"}
    else:
        known = set(
            GeodemographicClass.objects.filter(scheme=OAC, level="subgroup").values_list(
                "code", flat=True
            )
        )
    assigned: dict[str, str] = {}
    if known:
        assigned = read_classification(path, errors, known)
    else:
        errors.add(path, None, "", "no OAC classes yet: give the names file too (--names)")
    errors.raise_if_any()

    summary = ImportSummary()
    if class_rows is not None:
        _save_classes(class_rows, summary)
    class_ids = dict(GeodemographicClass.objects.filter(scheme=OAC).values_list("code", "id"))
    existing = set(OutputArea.objects.filter(code__in=assigned).values_list("code", flat=True))
    unknown = sorted(set(assigned) - existing)
    if unknown:
        example = ", ".join(unknown[:5]) + (", ..." if len(unknown) > 5 else "")
        summary.warnings.append(
            f"{len(unknown)} output areas are not imported yet; skipped ({example})"
        )
    progress(0, None, "classifying output areas")
    pairs = {code: class_ids[assigned[code]] for code in existing}
    changed = _set_classification("areas_outputarea", pairs)
    summary.updated += changed
    summary.unchanged += len(pairs) - changed
    return summary


# --- Acorn ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AcornClass:
    level: str  # category / group / type
    code: str  # "1", "1.A", "1.A.1"
    name: str
    parent: str | None
    line: int


def _acorn_value(
    level: str, text: str, name_text: str, path: Path, line: int, column: str, errors: Errors
) -> tuple[str, str] | None:
    match = ACORN_CODE[level].match(text or "")
    if not match:
        errors.add(path, line, column, f"{text!r} is not an Acorn {level} code")
        return None
    code, name = match.group(1).upper(), " ".join((name_text or match.group(2)).split())
    if level == "category" and not 1 <= int(code) <= 9:
        errors.add(path, line, column, f"{code} is not an Acorn category (1 to 9)")
        return None
    if len(name) > MAX_NAME:
        errors.add(path, line, column, f"the name is longer than {MAX_NAME} characters")
        return None
    return code, name


def read_acorn(
    path: Path, errors: Errors, progress: Progress
) -> tuple[dict[str, str], dict[str, AcornClass]]:
    """Postcode -> Acorn type code, and the classes (with names) the file uses."""
    header = _header(path)
    columns = {key: _find(header, names) for key, names in ACORN_COLUMNS.items()}
    name_columns = {key: _find(header, names) for key, names in ACORN_NAME_COLUMNS.items()}
    missing = [key for key, column in columns.items() if column is None]
    if header and missing:
        message = separator_problem(text.first_line(path)) or format_problem(
            header, required=("Postcode", "Category", "Group", "Type"), expected=ACORN_LABEL
        )
        if message:
            errors.add(path, 1, "", message)
            return {}, {}
        for key in missing:
            errors.add(path, 1, key, "required column is missing from the header")
        return {}, {}
    postcodes: dict[str, str] = {}
    first_line: dict[str, int] = {}
    classes: dict[str, AcornClass] = {}
    by_short: dict[str, dict[str, AcornClass]] = {"category": {}, "group": {}, "type": {}}
    for line, row in read_csv(path, errors, required=[c for c in columns.values() if c]):
        code = normalise_postcode(row[columns["postcode"]])
        if code is None:
            errors.add(
                path,
                line,
                columns["postcode"],
                f"{row[columns['postcode']]!r} is not a UK postcode",
            )
            continue
        if code in first_line:
            errors.add(
                path,
                line,
                columns["postcode"],
                f"{code} appears more than once (also line {first_line[code]})",
            )
            continue
        parsed = {}
        for level in ("category", "group", "type"):
            name_column = name_columns[level]
            parsed[level] = _acorn_value(
                level,
                row[columns[level]],
                row[name_column] if name_column else "",
                path,
                line,
                columns[level],
                errors,
            )
        if not all(parsed.values()):
            continue
        category, group, kind = parsed["category"], parsed["group"], parsed["type"]
        codes = {
            "category": category[0],
            "group": f"{category[0]}.{group[0]}",
            "type": f"{category[0]}.{group[0]}.{kind[0]}",
        }
        parents = {"category": None, "group": codes["category"], "type": codes["group"]}
        consistent = True
        for level, (short, name) in parsed.items():
            full, known = codes[level], classes.get(codes[level])
            if known is None:
                # Acorn numbers groups and types across the whole scheme: the same
                # group or type under two parents is a broken hierarchy.
                clash = by_short[level].get(short)
                if clash is not None:
                    errors.add(
                        path,
                        line,
                        columns[level],
                        f"Acorn {level} {short} is under {clash.parent} on line {clash.line}",
                    )
                    consistent = False
                    continue
                classes[full] = by_short[level][short] = AcornClass(
                    level, full, name, parents[level], line
                )
            elif name and known.name and name != known.name:
                errors.add(
                    path,
                    line,
                    columns[level],
                    f"{short} is named {name!r} here and {known.name!r} on line {known.line}",
                )
                consistent = False
            elif name and not known.name:
                classes[full] = replace(known, name=name)
        if consistent:
            postcodes[code] = codes["type"]
            first_line[code] = line
        if line % 5000 == 0:
            progress(line, None, f"reading {path.name}")
    return postcodes, classes


def _save_acorn_classes(classes: dict[str, AcornClass]) -> dict[str, int]:
    existing = {c.code: c for c in GeodemographicClass.objects.filter(scheme=ACORN)}
    ids: dict[str, int] = {c.code: c.pk for c in existing.values()}
    for row in sorted(classes.values(), key=lambda r: (r.code.count("."), r.code)):
        parent_id = ids[row.parent] if row.parent else None
        short = row.code.rsplit(".", 1)[-1]
        row = replace(row, name=row.name or f"{ACORN_LEVEL_NAMES[row.level]} {short}")
        current = existing.get(row.code)
        if current is None:
            current = GeodemographicClass.objects.create(
                scheme=ACORN, level=row.level, code=row.code, name=row.name, parent_id=parent_id
            )
        elif (current.level, current.name, current.parent_id) != (row.level, row.name, parent_id):
            current.level, current.name, current.parent_id = row.level, row.name, parent_id
            current.save(update_fields=["level", "name", "parent"])
        ids[row.code] = current.pk
    return ids


@transaction.atomic
def import_acorn(path: Path, *, progress: Progress = no_progress) -> ImportSummary:
    """Acorn types per postcode into ``Postcode.classification`` (scheme ``acorn``)."""
    errors = Errors()
    path = Path(path)
    postcodes, classes = read_acorn(path, errors, progress)
    errors.raise_if_any()
    summary = ImportSummary()
    ids = _save_acorn_classes(classes)
    known = set(Postcode.objects.filter(code__in=postcodes).values_list("code", flat=True))
    unknown = len(postcodes) - len(known)
    if unknown:
        summary.warnings.append(f"{unknown} postcodes are not in the postcode table; skipped")
    progress(0, None, "classifying postcodes")
    pairs = {code: ids[postcodes[code]] for code in known}
    changed = _set_classification("areas_postcode", pairs)
    summary.updated += changed
    summary.unchanged += len(pairs) - changed
    return summary
