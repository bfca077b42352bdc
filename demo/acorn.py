"""The demo's Acorn classes: the synthetic Acorn file of ``data/acorn/`` (CACI's layout).

A force's real Acorn file is licensed; this one is made up (``data/README.md``). It is
imported by postcode like a real one; the importer compares with what is stored, so a
second run changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from areas.importers.base import ImportSummary, Progress, no_progress
from targeting.importers.geodemographics import import_acorn

from .geography import data_dir


def acorn_file(root: Path | None = None) -> Path:
    return (root or data_dir()) / "acorn/acorn_synthetic_hu.csv"


def load_acorn(*, progress: Progress = no_progress, root: Path | None = None) -> ImportSummary:
    return import_acorn(acorn_file(root), progress=progress)
