"""Benchmarks share the test suite's database set-up (the real Humberside geography)."""

from tests.conftest import django_db_setup  # noqa: F401
