#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the storage tests and benchmarks: loopback only, in a
# temporary folder, run by an unprivileged user (initdb refuses root: as root it uses the
# `postgres` system user of Debian's package, or creates `hipmap-ci`).
#
#   eval "$(bash .ci/postgres.sh start)"   # exports HIPMAP_TEST_PG_URL and HIPMAP_PG_DIR
#   bash .ci/postgres.sh stop "$HIPMAP_PG_DIR"
#
# The server trusts nobody on TCP without a password (scram-sha-256); the superuser `hipmap`
# gets a random password that is only in the URL. fsync is off (a test server) unless
# HIPMAP_PG_DURABLE=1 (the benchmarks).
set -euo pipefail

find_bin() {
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"; return
  fi
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$d" ] && [ -x "$d/pg_ctl" ] || { echo "postgres.sh: no PostgreSQL server found (apt install postgresql)" >&2; exit 1; }
  echo "$d"
}

as_user() {  # run a command as the cluster's owner
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$PGUSER_OS" -- "$@"
  else
    "$@"
  fi
}

cmd="${1:-}"
case "$cmd" in
start)
  bin="$(find_bin)"
  if [ "$(id -u)" -eq 0 ]; then
    if id postgres >/dev/null 2>&1; then PGUSER_OS=postgres
    else
      id hipmap-ci >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin hipmap-ci
      PGUSER_OS=hipmap-ci
    fi
  else
    PGUSER_OS="$(id -un)"
  fi
  dir="$(mktemp -d -t hipmap-pg-XXXXXX)"
  chmod 0700 "$dir"
  [ "$(id -u)" -eq 0 ] && chown "$PGUSER_OS" "$dir"
  pw="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  printf '%s\n' "$pw" > "$dir/pw"
  [ "$(id -u)" -eq 0 ] && chown "$PGUSER_OS" "$dir/pw"
  as_user "$bin/initdb" -D "$dir/data" -U hipmap --pwfile="$dir/pw" -E UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pw"
  durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${HIPMAP_PG_DURABLE:-0}" = "1" ] && durability=""  # benchmarks: as a real server
  as_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir $durability -c max_connections=120" \
    >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  echo "$PGUSER_OS" > "$dir/owner"
  echo "export HIPMAP_TEST_PG_URL='postgresql+psycopg://hipmap:$pw@127.0.0.1:$port/postgres'"
  echo "export HIPMAP_PG_DIR='$dir'"
  ;;
stop)
  dir="${2:?usage: postgres.sh stop DIR}"
  [ -d "$dir/data" ] || exit 0
  bin="$(find_bin)"
  PGUSER_OS="$(cat "$dir/owner" 2>/dev/null || id -un)"
  as_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: postgres.sh start | stop DIR" >&2; exit 2 ;;
esac
