#!/usr/bin/env bash
# Serves the site with a Celery worker and beat; Ctrl-C stops everything it started,
# including the local PostgreSQL and Redis.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BIN="$ROOT/.venv/bin"
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p .local/log
pids=()

cleanup() {
  local code=${1:-0}
  trap - INT TERM EXIT
  echo
  echo "Stopping the web server, worker and beat..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  scripts/services.sh stop
  exit "$code"
}
trap cleanup INT TERM EXIT

"$BIN/celery" -A config worker -Q default,alerts,geo,imports -c 2 --loglevel INFO \
  >.local/log/worker.log 2>&1 &
pids+=($!)
"$BIN/celery" -A config beat --loglevel INFO --pidfile= \
  >.local/log/beat.log 2>&1 &
pids+=($!)
"$BIN/python" manage.py runserver "$HOST:$PORT" --noreload &
pids+=($!)

sleep 2
"$BIN/python" manage.py demo_logins --base-url "http://$HOST:$PORT"
echo "Worker log: .local/log/worker.log   Beat log: .local/log/beat.log"
if [ -n "$(grep -s '^ALERTS_MAIL_DIR=' .env)" ]; then
  echo "Mail sent by the site: http://$HOST:$PORT/dev/mail/ (kept in .local/mail/)"
fi
echo "Press Ctrl-C to stop everything."
wait -n "${pids[@]}"
# On Ctrl-C the children get the signal too and may end first: give the INT trap its turn.
sleep 1
echo "A process stopped unexpectedly; see the logs in .local/log/." >&2
cleanup 1
