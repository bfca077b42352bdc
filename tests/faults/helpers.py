"""What the fault tests share: waiting for a real worker to run out of work."""

from __future__ import annotations

import time

from config.celery import app as celery_app


def queue_length(queue: str) -> int:
    with celery_app.connection_for_write() as conn:
        return conn.default_channel.client.llen(queue)


def worker_busy() -> bool:
    inspect = celery_app.control.inspect(timeout=0.5)
    active, reserved = inspect.active() or {}, inspect.reserved() or {}
    return any(active.values()) or any(reserved.values())


def wait_until_idle(*queues: str, timeout: float = 60) -> None:
    """Until the queues are empty and the worker holds no task, twice in a row."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        if not any(queue_length(q) for q in queues) and not worker_busy():
            quiet += 1
            if quiet == 2:
                return
        else:
            quiet = 0
        time.sleep(0.2)
    raise AssertionError(f"the worker still had work after {timeout} s")
