"""Police.uk street-level files for the benchmark, resampled from the real months.

Every row is a real row of one of the real Humberside months (its map point, street
name, LSOA, category and outcome), moved to one of ``months`` synthetic months ending
with the latest real month, so the category mix and the map points are the force's
own. Each LSOA's volume drifts month to month (a seeded random walk), so streets rise
and fall and the trend test has something to find. Rows get fresh crime IDs (none on
anti-social behaviour, as police.uk publishes them).

The files are written as police.uk writes them, one per month, so the importer and the
geopandas baseline read exactly the same input.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from targeting.importers.crime_rows import COLUMNS

# Bump when the output changes, so files written by an older generator are replaced.
VERSION = 1
MANIFEST = "manifest.json"
# Monthly log-volume drift of an LSOA, and the seasonal swing (summer highs).
DRIFT_SD = 0.08
SEASONAL = 0.08


@dataclass(frozen=True)
class SourceRows:
    """The real rows, column by column."""

    rows: list[list[str]]
    lsoa_index: np.ndarray  # per row: index of its LSOA code
    lsoa_count: int


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def read_source(paths: list[Path]) -> SourceRows:
    rows: list[list[str]] = []
    for path in paths:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            if tuple(h.strip() for h in header) != COLUMNS:
                raise ValueError(f"{path.name}: not a police.uk street-level file")
            rows.extend(row for row in reader if len(row) == len(COLUMNS))
    codes: dict[str, int] = {}
    lsoa = np.fromiter((codes.setdefault(r[7], len(codes)) for r in rows), dtype=np.int64)
    return SourceRows(rows, lsoa, len(codes))


def month_sizes(total: int, months: list[date], rng: np.random.Generator) -> list[int]:
    """Rows per month adding up to ``total`` exactly, with a seasonal swing and noise."""
    shape = np.array(
        [1 + SEASONAL * np.cos((m.month - 7) / 12 * 2 * np.pi) for m in months]
    ) * rng.uniform(0.97, 1.03, len(months))
    sizes = np.floor(shape / shape.sum() * total).astype(int)
    sizes[-1] += total - sizes.sum()
    return sizes.tolist()


def _crime_ids(rng: np.random.Generator, n: int) -> list[str]:
    text = rng.bytes(32 * n).hex()
    return [text[i * 64 : (i + 1) * 64] for i in range(n)]


def _write_month(path: Path, month: date, picked: np.ndarray, source: SourceRows, ids) -> None:
    label = f"{month:%Y-%m}"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for index, crime_id in zip(picked.tolist(), ids, strict=True):
            row = source.rows[index]
            writer.writerow([crime_id if row[0] else "", label, *row[2:]])


def file_name(month: date) -> str:
    return f"{month:%Y-%m}-humberside-street.csv"


def _manifest(out: Path) -> dict:
    try:
        return json.loads((out / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def _up_to_date(out: Path, wanted: dict) -> bool:
    found = _manifest(out)
    if {k: found.get(k) for k in wanted} != wanted:
        return False
    return all((out / name).is_file() for name in found.get("files", []))


def write_crime_files(
    out: Path, *, sources: list[Path], total: int, months: int, seed: int
) -> list[Path]:
    """Write (or keep, when already written with the same settings) the monthly files."""
    out.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()
    wanted = {"version": VERSION, "total": total, "months": months, "seed": seed, "from": digest}
    if _up_to_date(out, wanted):
        return [out / name for name in _manifest(out)["files"]]
    source = read_source(sources)
    last = date.fromisoformat(max(r[1] for r in source.rows) + "-01")
    calendar = [add_months(last, i - months + 1) for i in range(months)]
    rng = np.random.default_rng(seed)
    walk = np.cumsum(rng.normal(0, DRIFT_SD, (months, source.lsoa_count)), axis=0)
    paths = []
    sizes = month_sizes(total, calendar, rng)
    for i, (month, size) in enumerate(zip(calendar, sizes, strict=True)):
        weights = np.exp(walk[i])[source.lsoa_index]
        picked = rng.choice(len(source.rows), size=size, p=weights / weights.sum())
        path = out / file_name(month)
        _write_month(path, month, picked, source, _crime_ids(rng, size))
        paths.append(path)
    for stale in set(out.glob("*-street.csv")) - set(paths):
        stale.unlink()
    (out / MANIFEST).write_text(json.dumps(wanted | {"files": [p.name for p in paths]}))
    return paths
