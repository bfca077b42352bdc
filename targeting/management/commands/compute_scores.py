import json
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from targeting.services import scores_compute


def month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise CommandError(f"{text!r} is not a month like 2024-03") from None


class Command(BaseCommand):
    help = (
        "Score every street and ward for the given months (default: every month with crime "
        "data). The nightly task scores the latest month again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", action="append", type=month, metavar="YYYY-MM")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print a JSON summary"
        )

    def handle(self, *args, period=None, as_json=False, **options):
        started = time.monotonic()
        results = scores_compute(periods=period)
        seconds = time.monotonic() - started
        rows = [
            {"period": f"{r.period:%Y-%m}", "streets": r.streets, "wards": r.wards} for r in results
        ]
        if as_json:
            self.stdout.write(json.dumps({"periods": rows, "seconds": round(seconds, 2)}))
            return
        for row in rows:
            self.stdout.write(f"{row['period']}: {row['streets']} streets, {row['wards']} wards")
        self.stdout.write(self.style.SUCCESS(f"Scored {len(rows)} period(s) in {seconds:.1f} s."))
