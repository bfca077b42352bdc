"""Fault tests: real components (a Celery worker, Redis, PostgreSQL) broken on purpose.

Each is marked ``worker`` and ``faults`` and kept to seconds, so ``make test`` runs them.
"""
