"""The repository carries the open data the demo and the tests read (data/)."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from demo.geography import (
    boundary_files,
    ethnic_group_file,
    output_area_files,
    police_street_files,
    postcode_files,
)
from demo.targeting import deprivation_files

REPOSITORY = Path(__file__).resolve().parents[2]
DATA = REPOSITORY / "data"
NOT_DATA = {"README.md", "MANIFEST.sha256"}


def manifest() -> dict[str, str]:
    lines = (DATA / "MANIFEST.sha256").read_text().splitlines()
    return {path: digest for digest, path in (line.split("  ", 1) for line in lines)}


def files_the_demo_reads() -> list[Path]:
    areas = output_area_files(DATA)
    return [
        *boundary_files(DATA),
        *postcode_files(DATA),
        areas["lookup"],
        *areas["boundaries"],
        areas["population"],
        areas["households"],
        areas["classification"],
        areas["names"],
        ethnic_group_file(DATA),
        *police_street_files(DATA),
        *deprivation_files(DATA).values(),
    ]


def data_dir_setting(**env: str) -> Path:
    """``settings.DATA_DIR`` as a fresh process sees it, with ``DATA_DIR`` unset or ``env``."""
    environ = {k: v for k, v in os.environ.items() if k != "DATA_DIR"} | env
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.DATA_DIR)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=environ, cwd=REPOSITORY, capture_output=True, check=True
    )
    return Path(out.stdout.decode().strip())


def test_the_data_directory_defaults_to_the_repositorys_own_data_folder():
    assert data_dir_setting() == DATA


def test_the_data_dir_environment_variable_points_elsewhere(tmp_path):
    assert data_dir_setting(DATA_DIR=str(tmp_path)) == tmp_path


def test_every_file_in_the_data_folder_is_in_the_manifest_with_its_sha256():
    on_disk = {
        str(p.relative_to(DATA)) for p in DATA.rglob("*") if p.is_file() and p.name not in NOT_DATA
    }

    assert on_disk == set(manifest())
    for path, digest in manifest().items():
        assert hashlib.sha256((DATA / path).read_bytes()).hexdigest() == digest, path


def test_every_file_the_demo_loads_is_committed_and_listed():
    wanted = files_the_demo_reads()

    assert len(wanted) == 23  # none of the globs came back empty
    assert {str(p.relative_to(DATA)) for p in wanted} <= set(manifest())


def test_every_data_file_is_described_in_the_readme():
    readme = (DATA / "README.md").read_text()

    # Each file is named in its folder's table (the four output area files together).
    for path in manifest():
        name = Path(path).name
        shown = name if not name.startswith("E0600001") else "E0600001{0,1,2,3}.json"
        assert shown in readme, path


def test_the_data_stays_under_25_mb():
    assert sum((DATA / path).stat().st_size for path in manifest()) < 25_000_000
