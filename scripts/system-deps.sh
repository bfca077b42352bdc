#!/usr/bin/env bash
# Installs the Debian packages the project needs, if any is missing:
# PostgreSQL with PostGIS, Redis, Chromium (for the browser tests) and gettext.
# As root it runs apt-get; otherwise it prints the one command to run.
set -euo pipefail

missing=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  missing+=(postgresql)
fi
if ! ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then
  missing+=(postgresql-15-postgis-3)
fi
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# GeoDjango loads GDAL, GEOS and PROJ from the system (PostGIS brings them).
ls /usr/lib/*/libgdal.so* >/dev/null 2>&1 || missing+=(libgdal32)
command -v make >/dev/null 2>&1 || missing+=(make)
# msgfmt compiles the translations (manage.py compilemessages).
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Run as root, then try again:" >&2
  echo "  sudo sh -c '$cmd'" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
sh -c "$cmd"
