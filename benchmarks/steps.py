"""One benchmark step, run in a process of its own by ``benchmarks.run``.

``python -m benchmarks.steps STEP --scale force`` runs the step against the benchmark
database (``config.settings.bench``) and prints one JSON line: what was measured and
how long it took. The parent reads the process's peak memory when it ends, so each
step's figure is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from demo.bench import SCALES, crime_dir  # noqa: E402

STEPS: dict[str, Callable[..., dict]] = {}


def step(name: str):
    def register(fn):
        STEPS[name] = fn
        return fn

    return register


def crime_files(scale: str) -> list[Path]:
    return sorted(crime_dir(SCALES[scale]).glob("*-street.csv"))


def timed(fn: Callable, *args, **kwargs) -> tuple[object, float]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


@step("reset")
def reset(scale: str) -> dict:
    """Empty the crime and score tables, so the first import starts from nothing."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE targeting_streetscore, targeting_wardscore, targeting_crime, "
            "targeting_crimeimport, targeting_mappoint"
        )
    return {}


@step("import_all")
def import_all(scale: str) -> dict:
    from targeting.services import crimes_import

    files = crime_files(scale)
    summary, seconds = timed(crimes_import, paths=files, schedule_scoring=False)
    return {"size": summary.imported, "unit": "rows", "seconds": seconds, "files": len(files)}


@step("reimport_month")
def reimport_month(scale: str) -> dict:
    from targeting.services import crimes_import

    latest = crime_files(scale)[-1]
    summary, seconds = timed(crimes_import, paths=[latest], schedule_scoring=False)
    assert summary.updated == summary.imported, "the month did not replace itself"
    return {"size": summary.imported, "unit": "rows", "seconds": seconds, "file": latest.name}


def _score(periods) -> dict:
    from targeting.services import scores_compute

    results, seconds = timed(scores_compute, periods=periods)
    streets = sum(r.streets for r in results)
    return {
        "size": streets + sum(r.wards for r in results),
        "unit": "scores",
        "seconds": seconds,
        "periods": len(results),
    }


@step("score_latest")
def score_latest(scale: str) -> dict:
    from targeting.scoring import data_months

    return _score(data_months()[-1:])


@step("score_all")
def score_all(scale: str) -> dict:
    return _score(None)


@step("geopandas")
def geopandas(scale: str) -> dict:
    from benchmarks import baseline_geopandas

    return baseline_geopandas.run(crime_files(scale))


@step("invitations")
def invitations(scale: str) -> dict:
    """The quarterly dispatch for everyone due now; what it made is removed afterwards."""
    from alerts.models import Delivery
    from surveys.models import Invitation
    from surveys.services import invitations_dispatch

    first_invitation = max(Invitation.objects.values_list("pk", flat=True), default=0)
    first_delivery = max(Delivery.objects.values_list("pk", flat=True), default=0)
    invited, seconds = timed(invitations_dispatch)
    Delivery.objects.filter(pk__gt=first_delivery).delete()
    Invitation.objects.filter(pk__gt=first_invitation).delete()
    _purge_broker()
    return {"size": invited, "unit": "invitations", "seconds": seconds}


@step("deliveries")
def deliveries(scale: str) -> dict:
    """Invitations for everyone due, sent by a worker on 2 processes to the SMTP server.

    From the start of the dispatch until the server has received every delivery; then
    each member due must have exactly one message, and every delivery be sent.
    """
    import tempfile

    from alerts.models import Delivery
    from benchmarks import mail
    from surveys.models import Invitation
    from surveys.services import invitations_dispatch

    first_invitation = max(Invitation.objects.values_list("pk", flat=True), default=0)
    first_delivery = max(Delivery.objects.values_list("pk", flat=True), default=0)
    _purge_broker()
    with tempfile.TemporaryDirectory(dir=Path(__file__).parent.parent / ".local") as folder:
        folder = Path(folder)
        with mail.smtp_server_and_worker(folder, concurrency=SEND_PROCESSES):
            made = Delivery.objects.filter(pk__gt=first_delivery)
            by_email = made.filter(channel=Delivery.Channel.EMAIL)
            started = time.perf_counter()
            invited = invitations_dispatch()
            emails = by_email.count()  # a few members take only text messages
            mail.wait_until_received(folder, emails, timeout=max(60, emails / 50))
            seconds = time.perf_counter() - started
            mail.wait_until_sent(made, invited, timeout=60)
            time.sleep(0.5)  # anything sent twice would arrive now
        statuses = dict(made.order_by().values_list("status").annotate(n=Count("pk")))
        expected = Counter(by_email.values_list("member__user__email", flat=True))
        got = mail.recipients(folder)
    made.delete()
    Invitation.objects.filter(pk__gt=first_invitation).delete()
    _purge_broker()
    assert invited > 0, "nobody was due"
    assert got == expected and set(got.values()) == {1}, "not every member got one message"
    assert statuses == {Delivery.Status.SENT: invited}, f"deliveries left as {statuses}"
    return {
        "size": emails,
        "unit": "emails",
        "seconds": seconds,
        "invitations": invited,
        "processes": SEND_PROCESSES,
        "statuses": statuses,
    }


SEND_PROCESSES = 2


def _purge_broker() -> None:
    """Nothing queued by a benchmark is ever sent: no worker serves the bench broker."""
    from config.celery import app

    with app.connection_for_write() as conn:
        for queue in ("alerts", "default"):
            conn.default_channel.queue_purge(queue)


@step("officer_page")
def officer_page(scale: str) -> dict:
    """p95 of the busiest ward's page for 20 clients, and what the page weighs."""
    from django.conf import settings

    from benchmarks import serving

    db = settings.DATABASES["default"]
    url = f"postgis://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    if db.get("PASSWORD"):
        url = f"postgis://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    # The benchmark's own Redis database, as for every other step.
    env = serving.production_env(url, settings.SECRET_KEY) | {"REDIS_URL": settings.BENCH_REDIS_URL}
    serving.collectstatic(env)
    cookie, path = serving.officer_session()
    connection.close()
    workers = os.environ.get("BENCH_WORKERS")
    server = serving.start_gunicorn(env, workers=int(workers) if workers else None)
    try:
        # Every worker's first pages (templates compiled, caches filled) are not measured.
        serving.load(server.port, path, cookie, clients=CLIENTS, seconds=WARM_UP_SECONDS)
        single = serving.load(server.port, path, cookie, clients=1, seconds=5)
        loaded = serving.load(server.port, path, cookie, clients=CLIENTS, seconds=LOAD_SECONDS)
        weight = serving.page_weight(server.port, path, cookie)
    finally:
        peak = server.stop()
    return {
        "size": loaded["requests"],
        "unit": "requests",
        "seconds": LOAD_SECONDS,
        "path": path,
        "one_client": single,
        "clients": CLIENTS,
        "loaded": loaded,
        "weight": weight,
        "peak_mb": peak,
    }


CLIENTS = 20
WARM_UP_SECONDS = 5
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("--scale", choices=sorted(SCALES), default="force")
    args = parser.parse_args(argv)
    result = STEPS[args.step](args.scale)
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
