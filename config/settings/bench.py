"""Settings for `make bench`: a database of its own, never the demo's or the tests'.

The benchmark database is the configured one with ``_bench`` appended to its name
(``community_alert_bench``); ``make bench`` creates it. Its broker and cache are their
own Redis database, so nothing queued by a benchmark reaches `make run`'s worker.
"""

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, REDIS_URL, env

SECRET_KEY = env.str("SECRET_KEY", default="bench-only-not-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# make_bench_data refuses to write anywhere else.
BENCHMARK_DATABASE = True

if not DATABASES["default"]["NAME"].endswith("_bench"):
    DATABASES["default"]["NAME"] = f"{DATABASES['default']['NAME']}_bench"


def _redis_db(url: str, index: int) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{index}" if base.count("/") >= 2 else f"{url}/{index}"


BENCH_REDIS_URL = _redis_db(REDIS_URL, env.int("BENCH_REDIS_DB", default=15)) if REDIS_URL else ""
CELERY_BROKER_URL = BENCH_REDIS_URL
CACHES["default"]["LOCATION"] = BENCH_REDIS_URL
CACHES["default"]["KEY_PREFIX"] = "bench"
