"""The benchmark's synthetic data, at a tiny scale: real rows, seeded, made once."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import ConsentRecord, Demographics, Member
from demo.bench import Scale, make_bench_data
from demo.bench.crimes import write_crime_files
from demo.geography import police_street_files
from surveys.models import Answer, Invitation, Response

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
TINY = Scale("tiny", members=300, crimes=3000, answers=2000, months=6)


def rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def real_points():
    points = set()
    for path in police_street_files():
        points |= {(r["Longitude"], r["Latitude"], r["Location"]) for r in rows(path)}
    return points


def test_the_crime_files_hold_the_total_over_the_months_ending_with_the_latest(
    tmp_path, real_points
):
    files = write_crime_files(tmp_path, sources=police_street_files(), total=3000, months=6, seed=1)

    assert [f.name[:7] for f in files] == [
        "2023-11", "2023-12", "2024-01", "2024-02", "2024-03", "2024-04",
    ]  # fmt: skip
    every = [r for f in files for r in rows(f)]
    assert len(every) == 3000
    assert {r["Month"] for r in rows(files[0])} == {"2023-11"}
    # Real map points only, and anti-social behaviour still without a crime ID.
    assert {(r["Longitude"], r["Latitude"], r["Location"]) for r in every} <= real_points
    assert all(not r["Crime ID"] for r in every if r["Crime type"] == "Anti-social behaviour")


def test_the_same_seed_writes_the_same_files_and_another_seed_others(tmp_path):
    args = {"sources": police_street_files(), "total": 1000, "months": 3}
    first = write_crime_files(tmp_path / "a", seed=7, **args)
    again = write_crime_files(tmp_path / "b", seed=7, **args)
    other = write_crime_files(tmp_path / "c", seed=8, **args)

    assert [f.read_bytes() for f in first] == [f.read_bytes() for f in again]
    assert [f.read_bytes() for f in first] != [f.read_bytes() for f in other]


def test_the_category_mix_is_the_real_months_mix(tmp_path):
    files = write_crime_files(
        tmp_path, sources=police_street_files(), total=20_000, months=2, seed=3
    )
    real = Counter(r["Crime type"] for p in police_street_files() for r in rows(p))
    made = Counter(r["Crime type"] for f in files for r in rows(f))

    share = {k: v / sum(real.values()) for k, v in real.items()}
    for kind, n in made.most_common(5):
        assert abs(n / 20_000 - share[kind]) < 0.02


def test_members_answers_and_files_are_made_once(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    data = make_bench_data(scale=TINY, seed=5, now=NOW)
    again = make_bench_data(scale=TINY, seed=5, now=NOW)

    assert data.created and not again.created
    bench = Member.objects.filter(user__email__endswith="@bench.example")
    assert bench.count() == 300
    assert Demographics.objects.filter(member__in=bench).count() > 100
    # Special-category answers are held only with consent.
    with_ethnicity = Demographics.objects.filter(member__in=bench).exclude(
        ethnic_group__in=["", "prefer_not_to_say"]
    )
    consented = ConsentRecord.objects.filter(item="ethnic_group", member__in=bench)
    assert with_ethnicity.count() == consented.count() > 0
    assert 1500 < Answer.objects.filter(response__member__in=bench).count() < 2500
    assert (
        Response.objects.filter(member__in=bench).count()
        < Invitation.objects.filter(member__in=bench).count()
    )
    assert len(data.crime_files) == 6


def test_the_command_refuses_outside_the_benchmark_database():
    with pytest.raises(CommandError, match="benchmark database"):
        call_command("make_bench_data", "--scale", "small")
