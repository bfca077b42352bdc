"""Synthetic force-scale data for ``make bench`` (``manage.py make_bench_data``).

Built on the real Humberside geography already loaded (boundaries, postcodes, output
areas, streets): members on real postcodes with their answers about themselves and
their community groups, their survey history, and police.uk crime files resampled from
the real months. Seeded, so two runs make the same data; idempotent, so a second run
with the same scale keeps what is there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from areas.models import Area
from demo.geography import load_geography, police_street_files
from demo.targeting import deprivation_files
from targeting.importers.deprivation import import_deprivation

from . import crimes, people, surveys


@dataclass(frozen=True)
class Scale:
    name: str
    members: int
    crimes: int
    answers: int
    months: int = 36


SCALES = {
    "force": Scale("force", members=250_000, crimes=1_000_000, answers=1_000_000),
    # A twentieth: for a quick run.
    "small": Scale("small", members=12_500, crimes=50_000, answers=50_000),
}
SEED = 2026


def crime_dir(scale: Scale) -> Path:
    return Path(settings.BASE_DIR) / ".local" / "bench" / scale.name / "police_uk"


@dataclass(frozen=True)
class BenchData:
    members: int
    answers: int
    crime_files: list[Path]
    created: bool


def make_bench_data(*, scale: Scale, seed: int = SEED, now: datetime | None = None) -> BenchData:
    """Members, survey answers and crime files for ``scale``, made only when missing.

    The geography (and deprivation, which scoring reads) is loaded first if it is not.
    """
    if not Area.objects.filter(level=Area.Level.WARD).exists():
        load_geography()
        import_deprivation(**deprivation_files())
    files = crimes.write_crime_files(
        crime_dir(scale),
        sources=police_street_files(),
        total=scale.crimes,
        months=scale.months,
        seed=seed,
    )
    if people.bench_member_count() == scale.members:
        return BenchData(scale.members, surveys.bench_answer_count(), files, created=False)
    now = (now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        surveys.delete_bench_surveys()
        people.delete_bench_members()
        members = people.create_bench_members(count=scale.members, seed=seed, now=now)
        answers = surveys.create_bench_surveys(answers=scale.answers, seed=seed, now=now)
    return BenchData(members, answers, files, created=True)
