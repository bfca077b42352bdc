"""``make bench``: every step of issue 13's table against its budget.

Sets up what it needs in a database of its own (``config.settings.bench``: the
configured database name with ``_bench``), never the demo's: creates it, migrates,
loads the real Humberside geography and makes the synthetic data
(``manage.py make_bench_data``). Then runs each step in a process of its own (its peak
memory is that process's), prints a table, writes ``benchmarks/results.json`` and exits
non-zero, saying which, when a budget is missed.

    BENCH_SCALE=small make bench      # a twentieth of a force, for a quick run
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.json"
SETTINGS = "config.settings.bench"


@dataclass(frozen=True)
class Budget:
    step: str
    what: str
    measure: str  # the result key compared
    op: str  # "<=" or ">="
    limit: float
    unit: str

    def met(self, value: float | None) -> bool:
        if value is None:
            return False
        return value <= self.limit if self.op == "<=" else value >= self.limit

    def text(self) -> str:
        return f"{self.op.replace('<=', '≤').replace('>=', '≥')} {self.limit:g} {self.unit}"


BUDGETS = (
    Budget("import_all", "import every row with ward and street", "seconds", "<=", 15, "s"),
    Budget("score_latest", "score the latest month after that import", "seconds", "<=", 2, "s"),
    Budget("pipeline", "files -> latest street scores, times faster than geopandas",
           "speedup", ">=", 2, "x"),
    Budget("reimport_month", "one month replacing itself", "seconds", "<=", 1.5, "s"),
    Budget("score_all", "score all 36 months", "seconds", "<=", 30, "s"),
    Budget("invitations", "quarterly invitations created", "rate", ">=", 10_000, "/s"),
    Budget("deliveries", "invitations created -> received by SMTP, 2-process worker",
           "rate", ">=", 2_000, "/s"),
    Budget("officer_page", "officer ward page p95, 20 clients, gunicorn, production",
           "p95_ms", "<=", 150, "ms"),
    Budget("page_weight", "ward page weight, HTML compressed", "kb", "<=", 300, "KB"),
)  # fmt: skip
STEP_ORDER = (
    "import_all", "score_latest", "geopandas", "reimport_month", "score_all", "invitations",
    "deliveries", "officer_page",
)  # fmt: skip


def env() -> dict[str, str]:
    return os.environ | {"DJANGO_SETTINGS_MODULE": SETTINGS, "PYTHONUNBUFFERED": "1"}


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env(), check=True)


def ensure_database() -> None:
    """Create the benchmark database with PostGIS if it is not there."""
    code = (
        "import django, psycopg; django.setup();"
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "kw = dict(host=d['HOST'], port=d['PORT'], user=d['USER'], password=d['PASSWORD'] or None);"
        "c = psycopg.connect(dbname='postgres', autocommit=True, **kw);"
        "n = d['NAME'];"
        "c.execute('SELECT 1 FROM pg_database WHERE datname = %s', [n]).fetchone() or "
        "c.execute('CREATE DATABASE ' + n);"
        "psycopg.connect(dbname=n, autocommit=True, **kw)"
        ".execute('CREATE EXTENSION IF NOT EXISTS postgis')"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env(), check=True)


def run_step(name: str, scale: str) -> dict:
    """Run one step in its own process; its result with the process's peak memory."""
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.steps", name, "--scale", scale],
        cwd=ROOT,
        env=env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"bench: step {name} failed (exit {process.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    result.setdefault("peak_mb", usage.ru_maxrss // 1024)
    return result


def derive(results: dict[str, dict]) -> None:
    """The rows computed from others: the pipeline, the page's weight, rates."""
    for result in results.values():
        if result.get("seconds"):
            result["rate"] = result["size"] / result["seconds"]
    if "import_all" in results and "score_latest" in results and "geopandas" in results:
        project = results["import_all"]["seconds"] + results["score_latest"]["seconds"]
        baseline = results["geopandas"]["seconds"]
        results["pipeline"] = {
            "size": results["import_all"]["size"],
            "unit": "rows",
            "seconds": project,
            "rate": results["import_all"]["size"] / project,
            "speedup": baseline / project,
            "peak_mb": max(results["import_all"]["peak_mb"], results["score_latest"]["peak_mb"]),
            "agreement": results["geopandas"]["agreement"],
        }
    page = results.get("officer_page")
    if page:
        page["p95_ms"] = page["loaded"]["p95_ms"]
        weight = page["weight"]
        results["page_weight"] = {
            "size": 1 + len(weight["assets"]),
            "unit": "files",
            "kb": weight["total_bytes"] / 1024,
            "html_compressed": weight["html_encoding"] in ("gzip", "br"),
            "peak_mb": page["peak_mb"],
            "detail": weight,
        }


def figure(budget: Budget, result: dict) -> tuple[str, str]:
    value = result.get("value", result.get(budget.measure))
    if value is None:
        return "-", ""
    shown = {
        "seconds": lambda v: f"{v:.2f} s",
        "speedup": lambda v: f"{v:.2f}x",
        "rate": lambda v: f"{v:,.0f}/s",
        "p95_ms": lambda v: f"{v:,.0f} ms",
        "kb": lambda v: f"{v:,.0f} KB",
    }[budget.measure](value)
    rate = f"{result['rate']:,.0f} {result['unit']}/s" if result.get("rate") else ""
    return shown, rate


def verdicts(results: dict[str, dict]) -> list[dict]:
    rows = []
    for budget in BUDGETS:
        result = results.get(budget.step)
        if result is None:
            continue
        met = budget.met(result.get(budget.measure))
        notes = []
        if budget.step == "pipeline" and result["agreement"]["differ"]:
            met = False
            notes.append(f"{result['agreement']['differ']} streets' harm differs from geopandas")
        if budget.step == "page_weight" and not result["html_compressed"]:
            met = False
            notes.append("the HTML is not compressed")
        if budget.step == "officer_page" and result["loaded"]["errors"]:
            met = False
            notes.append(f"{result['loaded']['errors']} requests failed")
        rows.append(
            {
                "step": budget.step,
                "what": budget.what,
                "size": result["size"],
                "unit": result["unit"],
                "seconds": result.get("seconds"),
                "rate": result.get("rate"),
                "measure": budget.measure,
                "value": result.get(budget.measure),
                "peak_mb": result.get("peak_mb"),
                "budget": budget.text(),
                "met": met,
                "notes": notes,
                "detail": {k: v for k, v in result.items() if isinstance(v, dict | list)},
            }
        )
    return rows


def print_table(rows: list[dict]) -> None:
    head = f"{'step':<58} {'size':>12} {'figure':>12} {'rate':>22} {'peak':>8}  budget"
    print(head)
    print("-" * len(head))
    for row in rows:
        budget = next(b for b in BUDGETS if b.step == row["step"])
        shown, rate = figure(budget, row | {"unit": row["unit"]})
        mark = "ok" if row["met"] else "MISSED"
        print(
            f"{row['what'][:58]:<58} {row['size']:>12,} {shown:>12} {rate:>22} "
            f"{row['peak_mb'] or 0:>5} MB  {row['budget']:<10} {mark}"
        )
        for note in row["notes"]:
            print(f"    {note}")


def machine() -> dict:
    info = {"python": platform.python_version(), "system": platform.platform()}
    try:
        cpu = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(
            (line.split(":", 1)[1].strip() for line in cpu.splitlines() if "model name" in line), ""
        )
    except OSError:
        pass
    info["cores"] = os.cpu_count()
    info["load_before"] = os.getloadavg()
    return info


def main() -> int:
    scale = os.environ.get("BENCH_SCALE", "force")
    steps = os.environ.get("BENCH_STEPS", ",".join(STEP_ORDER)).split(",")
    about = machine()
    started = time.monotonic()
    ensure_database()
    manage("migrate", "--noinput", "-v", "0")
    manage("make_bench_data", "--scale", scale)
    if "import_all" in steps:
        run_step("reset", scale)
    results = {}
    for name in steps:
        print(f"bench: {name} ...", flush=True)
        results[name] = run_step(name, scale)
    derive(results)
    rows = verdicts(results)
    about["load_after"] = os.getloadavg()
    about["minutes"] = round((time.monotonic() - started) / 60, 1)
    RESULTS.write_text(json.dumps({"scale": scale, "machine": about, "steps": rows}, indent=2))
    print()
    print_table(rows)
    print(f"\nscale {scale}; load average before {about['load_before']}, after "
          f"{about['load_after']}; results in {RESULTS.relative_to(ROOT)}")  # fmt: skip
    missed = [r["what"] for r in rows if not r["met"]]
    if missed:
        print(f"\nbench: {len(missed)} budget(s) missed: " + "; ".join(missed), file=sys.stderr)
        return 1
    print("\nbench: every budget met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
