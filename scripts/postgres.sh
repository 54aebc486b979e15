#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, from Debian's postgresql package:
#   scripts/postgres.sh start DIR PORT   initialises a cluster in DIR (a new directory), starts
#                                        it on 127.0.0.1:PORT and prints the URL to connect as
#   scripts/postgres.sh stop DIR         stops it and removes DIR
# Nothing of the machine's own PostgreSQL (its clusters, its service) is touched. As root, the
# server runs as the `postgres` user the package creates, since PostgreSQL refuses root.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "postgres.sh: no PostgreSQL under /usr/lib/postgresql (scripts/setup.sh --with-postgres installs it)" >&2
  exit 1
fi

as_server() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    dir=${2:?DIR}
    port=${3:?PORT}
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    # Trust on loopback only: the server listens on 127.0.0.1 and a socket in DIR, for a test
    # run, with no durability to speak of (fsync off) and nothing kept afterwards.
    as_server "$bin/initdb" -D "$dir/data" -U tem --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
      start >/dev/null
    echo "postgres://tem@127.0.0.1:$port/postgres"
    ;;
  stop)
    dir=${2:?DIR}
    if [ -d "$dir/data" ]; then
      as_server "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: scripts/postgres.sh start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
