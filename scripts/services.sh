#!/usr/bin/env bash
# Project-local PostgreSQL (with PostGIS), Redis and an SMTP server, without Docker.
#
#   scripts/services.sh start   start them (idempotent) and write .env
#   scripts/services.sh stop    stop what this checkout started (by pid file)
#   scripts/services.sh status
#
# Both live under .local/ (git-ignored) and listen on 127.0.0.1 only, on free ports
# chosen from 55432 and 56379 upwards (never the standard 5432/6379). DATABASE_URL or
# REDIS_URL set in the environment take precedence: that service is not started.
# The SMTP server (alerts/smtp_server.py, aiosmtpd from the venv) listens from 52525
# upwards and keeps every message it receives as a file in .local/mail/ (listed at
# /dev/mail/); EMAIL_HOST set in the environment means mail goes there instead.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOCAL="$ROOT/.local"
DB_NAME=${DB_NAME:-community_alert}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

as_pg_owner() {
  # PostgreSQL refuses to run as root: run its tools as the postgres user.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 - "$1" <<'PY'
import socket, sys
port = int(sys.argv[1])
for candidate in range(port, port + 200):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        print(candidate)
        break
else:
    sys.exit("no free port")
PY
}

pg_dir() {
  # The data directory must be reachable by the postgres user; when the checkout is
  # not (a private home directory), fall back to a folder keyed by the checkout path.
  local dir="$LOCAL/pg"
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$ROOT" 2>/dev/null; then
    dir="/var/tmp/community-alert-$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)/pg"
  fi
  echo "$dir"
}

pg_running() {
  local dir=$1
  [ -f "$dir/data/postmaster.pid" ] && as_pg_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

start_pg() {
  local dir port
  dir=$(pg_dir)
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  if pg_running "$dir"; then
    port=$(cat "$dir/port")
  else
    port=$(free_port 55432)
    echo "$port" >"$dir/port.tmp" && mv "$dir/port.tmp" "$dir/port"
    as_pg_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off \
          -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null \
      || { tail -n 20 "$dir/postgres.log" >&2; exit 1; }
  fi
  export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres
  if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'" | grep -q 1; then
    psql -q -d postgres -c "CREATE DATABASE $DB_NAME"
  fi
  psql -q -d "$DB_NAME" -c "CREATE EXTENSION IF NOT EXISTS postgis" 2>&1 | grep -v NOTICE || true
  DATABASE_URL_LOCAL="postgis://postgres@127.0.0.1:$port/$DB_NAME"
  echo "PostgreSQL + PostGIS on 127.0.0.1:$port (data in $dir/data)"
}

redis_running() {
  [ -f "$LOCAL/redis/redis.pid" ] && kill -0 "$(cat "$LOCAL/redis/redis.pid")" 2>/dev/null
}

start_redis() {
  local port
  mkdir -p "$LOCAL/redis"
  if redis_running; then
    port=$(cat "$LOCAL/redis/port")
  else
    port=$(free_port 56379)
    echo "$port" >"$LOCAL/redis/port"
    redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
      --dir "$LOCAL/redis" --pidfile "$LOCAL/redis/redis.pid" --logfile "$LOCAL/redis/redis.log"
    for _ in $(seq 50); do redis_running && break; sleep 0.1; done
  fi
  REDIS_URL_LOCAL="redis://127.0.0.1:$port/0"
  echo "Redis on 127.0.0.1:$port"
}

smtp_running() {
  [ -f "$LOCAL/smtp/smtp.pid" ] && kill -0 "$(cat "$LOCAL/smtp/smtp.pid")" 2>/dev/null
}

start_smtp() {
  local port python="$ROOT/.venv/bin/python"
  if ! "$python" -c "import aiosmtpd" 2>/dev/null; then
    echo "No SMTP server: the venv has no aiosmtpd yet (make venv); mail goes to the console"
    return 0
  fi
  mkdir -p "$LOCAL/smtp" "$LOCAL/mail"
  if smtp_running; then
    port=$(cat "$LOCAL/smtp/port")
  else
    port=$(free_port 52525)
    echo "$port" >"$LOCAL/smtp/port"
    (cd "$ROOT" && nohup "$python" -m alerts.smtp_server --port "$port" --dir "$LOCAL/mail" \
      --pidfile "$LOCAL/smtp/smtp.pid" >"$LOCAL/smtp/smtp.log" 2>&1 &)
    for _ in $(seq 100); do smtp_running && break; sleep 0.1; done
    smtp_running || { cat "$LOCAL/smtp/smtp.log" >&2; exit 1; }
  fi
  SMTP_PORT_LOCAL=$port
  echo "SMTP server on 127.0.0.1:$port (messages in $LOCAL/mail, listed at /dev/mail/)"
}

write_env() {
  local tmp="$ROOT/.env.tmp"
  {
    echo "# Written by scripts/services.sh; the environment takes precedence over this file."
    [ -n "${DATABASE_URL_LOCAL:-}" ] && echo "DATABASE_URL=$DATABASE_URL_LOCAL"
    [ -n "${REDIS_URL_LOCAL:-}" ] && echo "REDIS_URL=$REDIS_URL_LOCAL"
    if [ -n "${SMTP_PORT_LOCAL:-}" ]; then
      echo "EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend"
      echo "EMAIL_HOST=127.0.0.1"
      echo "EMAIL_PORT=$SMTP_PORT_LOCAL"
      echo "ALERTS_MAIL_DIR=$LOCAL/mail"
    fi
    true
  } >"$tmp"
  mv "$tmp" "$ROOT/.env"
}

case "${1:-start}" in
  start)
    mkdir -p "$LOCAL"
    if [ -n "${DATABASE_URL:-}" ]; then echo "Using DATABASE_URL from the environment"; else start_pg; fi
    if [ -n "${REDIS_URL:-}" ]; then echo "Using REDIS_URL from the environment"; else start_redis; fi
    if [ -n "${EMAIL_HOST:-}" ]; then echo "Using EMAIL_HOST from the environment"; else start_smtp; fi
    write_env
    ;;
  stop)
    dir=$(pg_dir)
    if pg_running "$dir"; then
      as_pg_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null && echo "PostgreSQL stopped"
    fi
    if redis_running; then
      kill "$(cat "$LOCAL/redis/redis.pid")" && echo "Redis stopped"
      rm -f "$LOCAL/redis/redis.pid"
    fi
    if smtp_running; then
      kill "$(cat "$LOCAL/smtp/smtp.pid")" && echo "SMTP server stopped"
      for _ in $(seq 50); do smtp_running || break; sleep 0.1; done
      rm -f "$LOCAL/smtp/smtp.pid"
    fi
    ;;
  status)
    dir=$(pg_dir)
    if pg_running "$dir"; then echo "PostgreSQL running on port $(cat "$dir/port")"; else echo "PostgreSQL stopped"; fi
    if redis_running; then echo "Redis running on port $(cat "$LOCAL/redis/port")"; else echo "Redis stopped"; fi
    if smtp_running; then echo "SMTP server running on port $(cat "$LOCAL/smtp/port")"; else echo "SMTP server stopped"; fi
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
