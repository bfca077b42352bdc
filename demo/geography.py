"""The Humberside force area from the repository's open data (``settings.DATA_DIR``, ``data/``).

The file lists here are the demo's and the tests'; ``data/README.md`` gives each file's
source and licence.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from areas.importers.base import ImportSummary, Progress, no_progress
from areas.importers.boundaries import import_boundaries
from areas.importers.ethnic_groups import import_ethnic_groups
from areas.importers.output_areas import import_output_areas
from areas.importers.postcodes import import_postcodes
from areas.importers.streets import import_streets


def data_dir() -> Path:
    return Path(settings.DATA_DIR)


def boundary_files(root: Path | None = None) -> list[Path]:
    b = (root or data_dir()) / "boundaries"
    return [
        *sorted((b / "ons_lad2017_bsc").glob("*.geojson")),
        b / "humberside_wards_current_ASSEMBLED.geojson",
        b / "humberside_lsoa2021_ASSEMBLED.geojson",
    ]


def postcode_files(root: Path | None = None) -> list[Path]:
    folder = (root or data_dir()) / "postcodes/codepoint_open_2025_10/Data/CSV"
    return sorted(folder.glob("*.csv"))


def output_area_files(root: Path | None = None) -> dict[str, Path | list[Path]]:
    """The keyword arguments of ``import_output_areas`` for the staged files."""
    d = root or data_dir()
    return {
        "lookup": d / "lookups/OA21_to_LSOA21__alexsingleton_EW__humberside.csv",
        "boundaries": sorted((d / "boundaries/martinjc_2011_2013/oa2011").glob("*.json")),
        "population": d / "census2021/ts001__alexsingleton_oa__humberside.csv",
        "households": d / "census2021/ts041__alexsingleton_oa__humberside.csv",
        "classification": d / "classification/UK_OAC_Final__humberside.csv",
        "names": d / "classification/classification_codes_and_names.csv",
    }


def ethnic_group_file(root: Path | None = None) -> Path:
    """Census 2021 TS021 ethnic group by MSOA (there is no open OA-level TS021)."""
    return (root or data_dir()) / "census2021/census2021-ts021-msoa__humberside.csv"


def police_street_files(root: Path | None = None) -> list[Path]:
    return sorted(((root or data_dir()) / "police_uk/street").glob("*-street.csv"))


def load_geography(
    *, progress: Progress = no_progress, root: Path | None = None
) -> dict[str, ImportSummary]:
    """Boundaries, postcodes, output areas, ethnic groups (by MSOA) and streets, each
    import idempotent.

    Streets come from police.uk map points because no open road lines for Humberside
    could be obtained (the Rutland OpenStreetMap file exercises the line importer).
    """
    return {
        "boundaries": import_boundaries(boundary_files(root), progress=progress),
        "postcodes": import_postcodes(postcode_files(root), progress=progress),
        "output_areas": import_output_areas(**output_area_files(root), progress=progress),
        "ethnic_groups": import_ethnic_groups(ethnic_group_file(root), progress=progress),
        "streets": import_streets(police_uk=police_street_files(root), progress=progress),
    }
