import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.bench import SCALES, SEED, make_bench_data


class Command(BaseCommand):
    help = (
        "Make the benchmark's synthetic data on the loaded Humberside geography: members, "
        "survey answers and 36 months of police.uk files. Only in the benchmark database "
        "(config.settings.bench); a second run keeps what is there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="force")
        parser.add_argument("--seed", type=int, default=SEED)

    def handle(self, *args, scale, seed, **options):
        if not getattr(settings, "BENCHMARK_DATABASE", False):
            raise CommandError(
                "Refusing to write benchmark data outside the benchmark database: "
                "run with DJANGO_SETTINGS_MODULE=config.settings.bench (make bench does)."
            )
        started = time.monotonic()
        data = make_bench_data(scale=SCALES[scale], seed=seed)
        rows = sum(1 for p in data.crime_files for _ in p.open()) - len(data.crime_files)
        verb = "made" if data.created else "already there"
        self.stdout.write(
            f"{data.members} members, {data.answers} survey answers ({verb}); "
            f"{len(data.crime_files)} crime files, {rows} rows, in {data.crime_files[0].parent}"
        )
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Bench data ready in {seconds:.1f} s."))
