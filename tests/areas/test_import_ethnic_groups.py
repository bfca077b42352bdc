"""import_ethnic_groups on the real TS021 file (MSOA level) and on broken copies."""

import csv
import io

import pytest
from django.db.models import Sum

from accounts.members.demographics import PREFER_NOT_TO_SAY, EthnicGroup, ethnic_high_level
from areas.census import DETAILED, ETHNIC, HIGH_LEVEL, TOTAL_COLUMN
from areas.importers.base import ImportRejected
from areas.importers.ethnic_groups import import_ethnic_groups
from areas.models import Lsoa, Msoa
from demo.geography import ethnic_group_file

from .conftest import run_import

pytestmark = pytest.mark.django_db

MSOA_COUNT = 121
WHITE = "Ethnic group: White"
BRITISH = "Ethnic group: White: English, Welsh, Scottish, Northern Irish or British"
PAKISTANI = "Ethnic group: Asian, Asian British or Asian Welsh: Pakistani"


def rows_of_file() -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(ethnic_group_file().read_text())))
    return rows[0], rows[1:]


def write(path, header, rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    path.write_text(out.getvalue())
    return path


def test_every_member_answer_is_a_ts021_category_in_its_high_level_group():
    answers = [c.value for c in EthnicGroup if c.value != PREFER_NOT_TO_SAY]

    assert sorted(answers) == sorted(c.key for c in DETAILED)
    assert all(ETHNIC[a].parent == ethnic_high_level(a) for a in answers)
    header, _rows = rows_of_file()
    assert header[3:] == [TOTAL_COLUMN] + [
        c.column
        for high in HIGH_LEVEL
        for c in (high, *[d for d in DETAILED if d.parent == high.key])
    ]


def test_every_lsoa_of_the_force_is_linked_to_its_msoa_by_name():
    assert Msoa.objects.count() == MSOA_COUNT
    assert Msoa.objects.aggregate(n=Sum("usual_residents"))["n"] == 935_866
    assert not Lsoa.objects.filter(msoa__isnull=True).exists()
    lsoa = Lsoa.objects.select_related("msoa").get(name="Kingston upon Hull 025A")
    assert lsoa.msoa.name == "Kingston upon Hull 025"
    assert all(lsoa.name.startswith(lsoa.msoa.name) for lsoa in Lsoa.objects.select_related("msoa"))


def test_an_msoa_holds_its_high_level_and_detailed_groups():
    msoa = Msoa.objects.get(code="E02002653")  # Kingston upon Hull 002, the first row
    header, rows = rows_of_file()
    row = dict(zip(header, rows[0], strict=True))

    assert msoa.usual_residents == int(row[TOTAL_COLUMN])
    assert msoa.ethnic_groups["white"] == int(row[WHITE])
    assert msoa.ethnic_groups["white_british"] == int(row[BRITISH])
    assert set(msoa.ethnic_groups) == set(ETHNIC)


def test_the_same_file_again_changes_nothing():
    summary = import_ethnic_groups(ethnic_group_file())

    assert (summary.imported, summary.updated, summary.unchanged) == (0, 0, MSOA_COUNT)
    assert summary.warnings == []


def test_bad_rows_are_each_reported_and_nothing_is_imported(tmp_path):
    header, rows = rows_of_file()
    col = {name: i for i, name in enumerate(header)}
    before = Msoa.objects.get(code=rows[5][2]).ethnic_groups
    rows[0][2] = "E0200265"  # line 2: not an MSOA code
    rows[1][col[PAKISTANI]] = "many"  # line 3
    rows[2][col[TOTAL_COLUMN]] = str(int(rows[2][col[TOTAL_COLUMN]]) + 1)  # line 4
    rows[3][col[BRITISH]] = str(int(rows[3][col[BRITISH]]) + 1)  # line 5: White no longer adds up
    rows[4][2] = rows[5][2]  # line 6: the code of line 7 as well
    for column in (TOTAL_COLUMN, WHITE, BRITISH):  # line 7: a good change, not to be kept
        rows[5][col[column]] = str(int(rows[5][col[column]]) + 1)

    with pytest.raises(ImportRejected) as rejected:
        import_ethnic_groups(write(tmp_path / "ts021.csv", header, rows[:7]))

    assert [(e.line, e.column) for e in rejected.value.errors] == [
        (2, "geography code"),
        (3, PAKISTANI),
        (4, TOTAL_COLUMN),
        (5, WHITE),
        (7, "geography code"),
    ]
    assert "is not the sum of its detailed groups" in rejected.value.errors[3].reason
    assert Msoa.objects.get(code=rows[5][2]).ethnic_groups == before


def test_an_msoa_of_another_force_is_skipped_with_a_warning(tmp_path):
    header, rows = rows_of_file()
    rows[1][1], rows[1][2] = "Leeds 001", "E02002330"

    summary = import_ethnic_groups(write(tmp_path / "ts021.csv", header, rows[:2]))

    assert (summary.imported, summary.unchanged) == (0, 1)
    assert summary.warnings[0].startswith("1 rows of ts021.csv are MSOAs with no LSOA")
    assert not Msoa.objects.filter(code="E02002330").exists()


def test_the_command_reports_the_same_file_again_as_unchanged():
    assert run_import("import_ethnic_groups", str(ethnic_group_file()))["unchanged"] == MSOA_COUNT
