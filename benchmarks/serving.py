"""The officer's ward page under gunicorn with production settings, and its weight.

``gunicorn`` serves the benchmark database with ``config.settings.production`` (static
files by WhiteNoise from a manifest built by ``collectstatic`` with the same settings).
An officer's session is made in the database, and clients, each a thread with its own
keep-alive connection, ask for the ward page one after another for a while; latency is
measured per request, from sending it to reading the last byte.

Page weight: the page and every stylesheet and script it links, as a browser asking for
``gzip`` receives them.
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSET = re.compile(r'<(?:script|link)[^>]+(?:src|href)="(/static/[^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(database_url: str, secret_key: str) -> dict[str, str]:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_READ_DOT_ENV": "0",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONN_MAX_AGE": "60",
    }


def collectstatic(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


@dataclass
class Server:
    process: subprocess.Popen
    port: int

    def stop(self) -> int:
        """Stop gunicorn; return the workers' peak memory in MB (the largest)."""
        peak = 0
        for pid in _children(self.process.pid):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) // 1024)
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        return peak


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def start_gunicorn(env: dict[str, str], *, workers: int | None = None) -> Server:
    """gunicorn as production runs it (``gunicorn.conf.py``: workers, preloading), on a
    port of its own, its access log in ``.local/bench-access.log``."""
    port = free_port()
    env = env | {
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": str(ROOT / ".local" / "bench-access.log"),
    }
    if workers is not None:
        env["WEB_CONCURRENCY"] = str(workers)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return Server(process, port)
        except OSError:
            if process.poll() is not None:
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start within a minute")


def officer_session(*, ward_code: str | None = None) -> tuple[str, str]:
    """A signed-in officer (with two-factor set up) for the busiest ward: (cookie, path)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count

    from accounts.models import StaffProfile, User
    from areas.models import Area
    from tests.factories import give_totp

    ward = (
        Area.objects.filter(code=ward_code)
        if ward_code
        else Area.objects.filter(level=Area.Level.WARD)
        .annotate(n=Count("streets"))
        .order_by("-n", "code")
    ).first()
    user, created = User.objects.get_or_create(
        email="officer@bench-staff.example", defaults={"name": "Bench Officer"}
    )
    if created:
        profile = StaffProfile.objects.create(user=user, role=StaffProfile.Role.OFFICER)
        give_totp(user)
    else:
        profile = user.staff
    profile.areas.set([ward])
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    return cookie, f"/staff/priorities/area/{ward.code}/"


def _headers(cookie: str, *, gzip_ok: bool = True) -> dict[str, str]:
    headers = {
        "Host": "127.0.0.1",
        "Cookie": cookie,
        # The proxy in front of gunicorn terminates TLS and says so.
        "X-Forwarded-Proto": "https",
        "Accept-Language": "en-GB",
    }
    if gzip_ok:
        headers["Accept-Encoding"] = "gzip"
    return headers


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def load(port: int, path: str, cookie: str, *, clients: int, seconds: float) -> dict:
    """``clients`` threads asking for ``path`` back to back for ``seconds``."""
    headers = _headers(cookie)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(type(exc).__name__)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            if response.status != 200:
                errors.append(str(response.status))
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()

    def pct(p: float) -> float:
        if not latencies:
            return 0
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "per_second": len(latencies) / elapsed,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "max_ms": latencies[-1] * 1000 if latencies else 0,
    }


def page_weight(port: int, path: str, cookie: str) -> dict:
    status, headers, body = get(port, path, _headers(cookie))
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    encoding = headers.get("Content-Encoding", "")
    html = gzip.decompress(body) if encoding == "gzip" else body
    assets = {}
    for url in sorted(set(ASSET.findall(html.decode()))):
        a_status, a_headers, a_body = get(port, url, _headers(cookie))
        if a_status != 200:
            raise RuntimeError(f"{url} answered {a_status}")
        assets[url] = {"bytes": len(a_body), "encoding": a_headers.get("Content-Encoding", "")}
    return {
        "html_bytes": len(body),
        "html_uncompressed_bytes": len(html),
        "html_encoding": encoding,
        "assets": assets,
        "total_bytes": len(body) + sum(a["bytes"] for a in assets.values()),
    }


def new_secret() -> str:
    return secrets.token_urlsafe(40)
