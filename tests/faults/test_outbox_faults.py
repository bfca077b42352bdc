"""A large send survives a Redis restart and a killed worker: every delivery sent once.

The send is ``FAULT_SEND_SIZE`` deliveries (default 1,000: each message is a new
SMTP connection, about 40 ms on a small shared machine, so this takes under a minute;
the issue's 10,000 is ``FAULT_SEND_SIZE=10000``, the same path with ten times the
rows). The worker and this test use a Redis of their own (tests/faults/servers.py) and
the project's SMTP server on a port of their own (tests/smtp.py).

What happens, in order:

1. the deliveries are made and their tasks queued (batches of 100);
2. a worker with one process starts sending; this test holds a row lock on one
   delivery, so the worker stops at that row having sent every row before it;
3. Redis is restarted: every task still queued (and the one being worked on) is gone;
4. the worker is killed (SIGKILL, with its children) and its database connection ends
   with it;
5. a new worker starts and the outbox sweep runs as the beat would run it once the
   rows have waited long enough.

Then the SMTP server has received exactly one message per delivery, and every delivery
is sent. (A worker killed while a message is half-handed to the SMTP server leaves that
row in ``sending``; the sweep fails it rather than risk a second copy - see
tests/alerts/test_outbox.py - so the kill here lands between two rows.)
"""

from __future__ import annotations

import os
import signal
from collections import Counter
from datetime import timedelta

import kombu.pools
import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from alerts import services
from alerts.models import Delivery
from config.celery import app as celery_app
from tests.celery_worker import running_worker, wait_for
from tests.factories.alerts import make_message
from tests.factories.surveys import bulk_members
from tests.factories.targeting import make_postcode
from tests.faults.servers import redis_server
from tests.smtp import SmtpServer, running_smtp_server

pytestmark = [pytest.mark.worker, pytest.mark.faults, pytest.mark.django_db(transaction=True)]

SIZE = int(os.environ.get("FAULT_SEND_SIZE", "1000"))
WAITING_ON_A_LOCK = """
SELECT pid FROM pg_stat_activity
 WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()
"""


def second_connection(*, autocommit: bool = False) -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"] or None,
        dbname=db["NAME"], autocommit=autocommit,
    )  # fmt: skip


def waiting_backend(watcher: psycopg.Connection) -> int | None:
    # From a connection in autocommit: pg_stat_activity is a snapshot within a transaction.
    row = watcher.execute(WAITING_ON_A_LOCK).fetchone()
    return row[0] if row else None


@pytest.fixture
def own_broker(tmp_path):
    """A Redis of this test's own, for this process's Celery app and the worker's."""
    with redis_server(tmp_path) as server:
        previous = celery_app.conf.broker_url
        _use_broker(server.url(settings.REDIS_TEST_DB))
        try:
            yield server
        finally:
            _use_broker(previous)


def _use_broker(url: str) -> None:
    celery_app.conf.broker_url = url
    # Connections are pooled (by the app and by kombu): drop every pool, so the next
    # send opens a connection to ``url`` (after a restart: to the new server).
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    celery_app.amqp._producer_pool = None
    kombu.pools.reset()


def received(smtp: SmtpServer) -> Counter[str]:
    """How many messages the SMTP server accepted for each address."""
    return Counter(str(m["To"]) for m in smtp.messages())


def counts() -> dict[str, int]:
    rows = Delivery.objects.values_list("status", flat=True)
    return {status: list(rows).count(status) for status in set(rows)}


def test_a_large_send_survives_a_redis_restart_and_a_killed_worker(
    tiny_force, own_broker, tmp_path
):
    make_postcode("ZZ9 1AA", tiny_force["riverside"], 100_400, 101_400)
    members = bulk_members(SIZE, registered_at=timezone.now(), postcodes=["ZZ9 1AA"])
    message = make_message()

    (tmp_path / "mail").mkdir()
    with running_smtp_server(tmp_path / "mail") as smtp:
        worker_env = {"REDIS_URL": own_broker.url(), **smtp.worker_env()}
        # Made before any worker runs (not sent in this process: tasks go to the broker);
        # the worker starts from an empty broker, so the batches are queued again below.
        celery_app.conf.task_always_eager = False
        try:
            ids = services.deliveries_create(
                message=message, recipients=[(m.pk, "email", {}) for m in members]
            )
        finally:
            celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
        assert len(ids) == SIZE
        stop_at = sorted(ids)[SIZE // 4 + 50]

        with second_connection() as holder, second_connection(autocommit=True) as watcher:
            holder.execute("SELECT id FROM alerts_delivery WHERE id = %s FOR UPDATE", [stop_at])
            with running_worker(concurrency=1, queues=["alerts"], env=worker_env) as worker:
                services.deliveries_enqueue_on_commit(ids)  # the worker emptied the broker
                wait_for(lambda: waiting_backend(watcher) is not None, timeout=120)
                blocked = waiting_backend(watcher)
                sent_before = len(smtp.files())
                assert sent_before == SIZE // 4 + 50  # every row before the locked one

                own_broker.restart()  # the queued tasks are gone
                _use_broker(celery_app.conf.broker_url)  # this process's pooled connections too
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
                # The killed worker's connection ends with it.
                watcher.execute("SELECT pg_terminate_backend(%s)", [blocked])
            holder.rollback()

        assert counts() == {"sent": sent_before, "pending": SIZE - sent_before}
        with running_worker(concurrency=2, queues=["alerts"], env=worker_env):
            later = timezone.now() + services.STALE_PENDING + timedelta(minutes=1)
            queued, failed = services.outbox_sweep(now=later)
            assert (queued, failed) == (SIZE - sent_before, 0)
            wait_for(lambda: len(smtp.files()) >= SIZE, timeout=300)
            wait_for(lambda: counts() == {"sent": SIZE}, timeout=60)

        by_address = received(smtp)
        assert len(smtp.files()) == SIZE  # nothing received twice ...
        assert set(by_address) == {m.user.email for m in members}  # ... nobody missed
        assert max(by_address.values()) == 1
