"""The production shape: docker-compose.yml and the production settings."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_READ_DOT_ENV": "0",
    "SECRET_KEY": "x" * 60 + "-not-a-real-secret-but-long-and-random-enough-9f8e7d",
    "ALLOWED_HOSTS": "alerts.example.org",
    "DATABASE_URL": "postgis://u:p@db.example.org:5432/alerts",
    "REDIS_URL": "redis://redis.example.org:6379/0",
}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_of(service: dict) -> str:
    return " ".join(service["command"])


def test_compose_has_the_production_services(compose):
    assert {"postgis", "redis", "web", "worker", "beat"} <= set(compose["services"])


def test_the_web_service_runs_gunicorn_on_production_settings(compose):
    web = compose["services"]["web"]
    assert command_of(web).startswith("gunicorn config.wsgi:application")
    assert web["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"


def test_the_web_service_and_the_bench_take_gunicorns_settings_from_one_file(compose, monkeypatch):
    assert "--workers" not in command_of(compose["services"]["web"])
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    # Two sync workers per core and one more, the application loaded before forking.
    assert conf["workers"] == 2 * os.cpu_count() + 1
    assert conf["preload_app"] is True


def test_the_worker_serves_every_queue_the_app_uses(compose):
    command = compose["services"]["worker"]["command"]
    queues = command[command.index("-Q") + 1].split(",")
    assert sorted(queues) == sorted(settings.CELERY_WORKER_QUEUES)


def test_beat_and_worker_use_the_same_broker_and_database_as_web(compose):
    services = compose["services"]
    for name in ("worker", "beat"):
        assert services[name]["environment"] == services["web"]["environment"]
    assert "redis:6379" in services["web"]["environment"]["REDIS_URL"]
    assert "@postgis:5432" in services["web"]["environment"]["DATABASE_URL"]


def test_the_database_image_has_postgis(compose):
    assert compose["services"]["postgis"]["image"].startswith("postgis/postgis:")


def test_the_secret_key_has_no_default_in_compose(compose):
    assert ":?" in compose["services"]["web"]["environment"]["SECRET_KEY"]


def run_django(args: list[str], env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}

    result = run_django(["check"], env)

    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_check_deploy_reports_nothing_under_production_settings():
    result = run_django(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
