"""How long the geography imports and the postcode lookup take (make bench).

Run with ``make bench``; never part of ``make test``. Each import runs inside the test
transaction, so every round re-imports over the session's data (the "unchanged" path)
unless the table is emptied first.
"""

import pytest

from areas.importers.boundaries import import_boundaries
from areas.importers.postcodes import import_postcodes
from areas.models import Postcode
from areas.selectors import postcode_lookup
from demo.geography import boundary_files, postcode_files

pytestmark = pytest.mark.django_db


def test_reimporting_all_boundaries_unchanged(benchmark):
    summary = benchmark.pedantic(lambda: import_boundaries(boundary_files()), rounds=3)
    assert summary.imported == 0


def test_importing_26103_postcodes_into_an_empty_table(benchmark):
    def setup():
        Postcode.objects.all().delete()

    summary = benchmark.pedantic(lambda: import_postcodes(postcode_files()), setup=setup, rounds=3)
    assert summary.imported == 26_103


def test_postcode_lookup(benchmark):
    result = benchmark(postcode_lookup, "hu1 1aa")
    assert result.ok
