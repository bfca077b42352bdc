"""The demo's crime, deprivation and scores, from the repository's ``data/`` folder.

January to March 2024 of the Humberside police.uk files are imported at load, so every
street has a history of three months; April is kept back to show "a second month
imported later" (upload it on the Crime data page, or run ``import_crimes``). Safe to
run again: a month whose file was already imported unchanged is skipped.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from areas.importers.base import ImportSummary, Progress, no_progress
from targeting.importers.crimes import import_crimes
from targeting.importers.deprivation import import_deprivation
from targeting.models import CrimeImport, StreetScore, WardScore
from targeting.services import scores_compute

from .geography import data_dir, police_street_files

DEMO_MONTHS = 3  # January, February and March 2024


def deprivation_files(root: Path | None = None) -> dict[str, Path]:
    d = root or data_dir()
    return {
        "path": d / "deprivation/iod2019/File_2_-_IoD2019_Domains_of_Deprivation__humberside.csv",
        "lookup": d
        / "lookups/LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_(2022)_Lookup_"
        "for_England_and_Wales__humberside.csv",
    }


def _already_imported(path: Path) -> bool:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return CrimeImport.objects.filter(sha256=digest).exists()


def load_targeting(
    *, progress: Progress = no_progress, root: Path | None = None
) -> dict[str, ImportSummary]:
    files = [p for p in police_street_files(root)[:DEMO_MONTHS] if not _already_imported(p)]
    crimes = import_crimes(files, progress=progress) if files else ImportSummary()
    deprivation = import_deprivation(**deprivation_files(root), progress=progress)
    before = StreetScore.objects.count() + WardScore.objects.count()
    periods = scores_compute()  # recorded as a scoring run (the data status page)
    computed = sum(p.streets + p.wards for p in periods)
    # Scores are replaced, never added to: a second run updates the same rows.
    scores = ImportSummary(imported=max(0, computed - before), updated=min(before, computed))
    return {"crimes": crimes, "deprivation": deprivation, "scores": scores}
