"""Thin tasks: take ids, call a service; safe to run twice (the claim makes sure)."""

from __future__ import annotations

from celery import shared_task

from . import services

# Sending runs on its own queue, so a large round never holds up other work.
QUEUE = "alerts"


@shared_task(name="alerts.send_deliveries", bind=True, max_retries=5)
def send_deliveries(self, delivery_ids: list[int]) -> dict[str, int]:
    outcomes: dict[str, int] = {}
    retry = []
    for delivery_id, outcome in services.deliveries_send(delivery_ids=delivery_ids).items():
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if outcome == services.Outcome.RETRY:
            retry.append(delivery_id)
        elif outcome == services.Outcome.DEFERRED:
            services.delivery_enqueue_when_due(delivery_id=delivery_id)
    if retry:
        # Rows left pending are also picked up by the sweeper if retries run out.
        raise self.retry(args=[retry], countdown=60 * (self.request.retries + 1), queue=QUEUE)
    return outcomes


@shared_task(name="alerts.sweep_outbox")
def sweep_outbox() -> tuple[int, int]:
    return services.outbox_sweep()
