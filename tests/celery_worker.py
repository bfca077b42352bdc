"""A real Celery worker for integration tests.

The worker is another process: it must see committed rows, so tests using it need
``transactional_db``. It talks to the same test database and the test Redis database
as this process, and is stopped at the end of the test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(settings.BASE_DIR)


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgis://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@contextmanager
def running_worker(
    *,
    concurrency: int = 2,
    queues=None,
    include: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
    flush: bool = True,
    settings_module: str = "config.settings.test",
) -> Iterator[subprocess.Popen]:
    """Start ``celery worker`` on the test database and broker; stop it afterwards.

    ``include`` names extra modules the worker imports (tasks defined in tests); ``env``
    adds to its environment (e.g. ``tests.smtp.SmtpServer.worker_env()``; the fault tests
    point it at their own Redis and SMTP server). ``flush=False`` keeps what the broker
    holds (a worker started again after another was stopped). The worker leads a process
    group of its own, so a test can kill it with its children (``os.killpg``) without
    touching pytest. ``make bench`` starts one with ``config.settings.bench``.
    """
    queues = ",".join(queues or settings.CELERY_WORKER_QUEUES)
    # The test settings' own broker database (the benchmark's settings have theirs).
    redis_db = getattr(settings, "REDIS_TEST_DB", None)
    env = (
        os.environ
        | {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DATABASE_URL": _database_url(),
            "CELERY_TASK_ALWAYS_EAGER": "0",
        }
        | ({"REDIS_TEST_DB": str(redis_db)} if redis_db is not None else {})
        | (env or {})
    )
    # Start from an empty broker database: nothing left over from an earlier run.
    if flush:
        with celery_app.connection_for_write() as conn:
            conn.default_channel.client.flushdb()
    name = "bench" if redis_db is None else redis_db
    log = open(ROOT / ".local" / f"test-worker-{name}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queues,
            "-c",
            str(concurrency),
            "--pool",
            "prefork",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "INFO",
            *(["--include", ",".join(include)] if include else []),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        _wait_until_ready(process)
        yield process
    finally:
        celery_app.conf.task_always_eager = previous
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def _wait_until_ready(process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                "the Celery worker exited during start-up; see .local/test-worker-*.log"
            )
        replies = celery_app.control.ping(timeout=0.5)
        if replies:
            return
    raise RuntimeError("the Celery worker did not answer a ping within 30 s")


def wait_for(condition, *, timeout: float = 60, interval: float = 0.2) -> None:
    """Poll ``condition()`` until it is true (the worker works asynchronously)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
