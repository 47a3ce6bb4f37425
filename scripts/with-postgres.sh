#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server on 127.0.0.1, stopped and removed after.
# The server's URL is exported as CLAIMLEDGER_TEST_PG_URL for the tests marked `postgres`.
# Installs Debian's postgresql package when no server binaries are found.
set -euo pipefail

find_bin() {
  local name=$1
  command -v "$name" 2>/dev/null && return 0
  ls /usr/lib/postgresql/*/bin/"$name" 2>/dev/null | sort -V | tail -n 1
}

if [ -z "$(find_bin initdb)" ]; then
  echo "with-postgres: installing PostgreSQL (Debian package)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq postgresql >/dev/null
fi
INITDB=$(find_bin initdb)
PG_CTL=$(find_bin pg_ctl)
[ -n "$INITDB" ] && [ -n "$PG_CTL" ] || { echo "with-postgres: no PostgreSQL server binaries" >&2; exit 1; }

DIR=$(mktemp -d /tmp/claimledger-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root: the server runs as the postgres user.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$DIR"
  RUN_AS=(runuser -u postgres --)
fi

cleanup() {
  "${RUN_AS[@]}" "$PG_CTL" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

"${RUN_AS[@]}" "$INITDB" -D "$DIR/data" -U claimledger --auth=trust -E UTF8 --no-locale >/dev/null
"${RUN_AS[@]}" "$PG_CTL" -D "$DIR/data" -l "$DIR/log" -w \
  -o "-h 127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
export CLAIMLEDGER_TEST_PG_URL="postgresql+psycopg://claimledger@127.0.0.1:$PORT/postgres"
echo "with-postgres: server on 127.0.0.1:$PORT" >&2
"$@"
