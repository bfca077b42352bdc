"""Static files under production settings: built with the manifest, served by WhiteNoise."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)

# Renders a page through the whole production middleware stack (WhiteNoise included),
# then asks for the stylesheet it links; prints what a browser would get.
SERVE = """
import json, re, django
django.setup()
from django.test import Client
client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="alerts.example.org")
page = client.get("/accounts/login/", secure=True)
html = page.content.decode()
css = re.search(r'href="(/static/css/site[^"]*)"', html).group(1)
asset = client.get(css, secure=True, HTTP_ACCEPT_ENCODING="gzip")
print(json.dumps({"page": page.status_code, "css": css, "asset": asset.status_code,
                  "encoding": asset.get("Content-Encoding", ""),
                  "cache": asset.get("Cache-Control", "")}))
"""


@pytest.fixture(scope="module")
def production_env(tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock():
        db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_READ_DOT_ENV": "0",
        "SECRET_KEY": "s" * 60 + "-test-only",
        "ALLOWED_HOSTS": "alerts.example.org",
        "DATABASE_URL": f"postgis://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "STATIC_ROOT": str(tmp_path_factory.mktemp("staticfiles")),
    }


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def collected(production_env):
    result = run(["manage.py", "collectstatic", "--noinput", "-v", "0"], production_env)
    assert result.returncode == 0, result.stderr
    return Path(production_env["STATIC_ROOT"])


def test_collectstatic_under_production_settings_writes_the_manifest(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())

    assert "vendor/leaflet/leaflet.js" in manifest["paths"]
    assert (collected / manifest["paths"]["vendor/leaflet/leaflet.js"]).is_file()


def test_no_vendored_script_points_at_a_source_map_that_is_not_shipped():
    for script in (ROOT / "static" / "vendor").rglob("*.js"):
        for line in script.read_text(encoding="utf-8").splitlines():
            if "sourceMappingURL=" in line:
                name = line.split("sourceMappingURL=", 1)[1].strip()
                assert (script.parent / name).is_file(), f"{script.name} refers to {name}"


@pytest.mark.django_db
def test_a_page_under_production_settings_links_hashed_static_files_that_are_served(
    collected, production_env
):
    result = run(["-c", SERVE], production_env)

    assert result.returncode == 0, result.stderr
    served = json.loads(result.stdout.strip().splitlines()[-1])
    assert served["page"] == 200
    # The manifest's cache-busting name, served compressed and cached for good.
    assert served["css"].startswith("/static/css/site.") and served["css"] != "/static/css/site.css"
    assert served["asset"] == 200
    assert served["encoding"] == "gzip"
    assert "max-age=315360000" in served["cache"]


def test_the_image_builds_static_files_with_the_settings_it_runs_with():
    dockerfile = (ROOT / "Dockerfile").read_text()
    build = next(line for line in dockerfile.split("RUN ") if "collectstatic" in line)

    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in build
    assert "config.settings.local" not in dockerfile
