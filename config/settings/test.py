"""Settings for the test suite (pytest-django)."""

import os

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL, env

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Unit tests keep mail in memory; the integration tests (tests/smtp.py) and their worker
# send it to a real SMTP server on loopback (TEST_EMAIL_BACKEND, EMAIL_PORT).
EMAIL_BACKEND = env.str(
    "TEST_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend"
)
# Unit tests run tasks in-process; integration tests start a real worker (tests/celery.py)
# and turn this off for their duration.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True


def _redis_db(url: str, index: int) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{index}" if base.count("/") >= 2 else f"{url}/{index}"


# Tests never share a broker or cache with `make run` (Redis database 0): each pytest-xdist
# worker gets its own Redis database, so its Celery worker takes only its own tasks.
_XDIST = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
REDIS_TEST_DB = env.int("REDIS_TEST_DB", default=1 + int(_XDIST.removeprefix("gw") or 0))
CELERY_BROKER_URL = _redis_db(REDIS_URL, REDIS_TEST_DB)
CACHES["default"]["LOCATION"] = CELERY_BROKER_URL
CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"
# Playwright's sync API runs an event loop in the test process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# A test database per pytest process, so two runs at once never drop each other's database
# (pytest-django adds the xdist worker suffix to this name).
DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
