#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server on 127.0.0.1, stopped and removed after.
# The server's URL is exported as CLAIMLEDGER_TEST_PG_URL for the tests marked `postgres`.
# Uses the server binaries on PATH (Homebrew, Postgres.app) or in /usr/lib/postgresql, and installs
# Debian's postgresql package when there are none and apt-get can be used (as root or with
# password-less sudo). When no server can be had, it says why, exports the reason as
# CLAIMLEDGER_TEST_PG_UNAVAILABLE and runs the command without one: the PostgreSQL tests then skip
# with that reason, or fail when CI=true.
set -euo pipefail

say() { echo "with-postgres: $*" >&2; }
# shellcheck source=scripts/apt-install.sh
source "$(dirname "$0")/apt-install.sh"

find_bin() {
  command -v "$1" 2>/dev/null && return 0
  ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1 || true
}

APT_WHY=""
[ -n "$(find_bin initdb)" ] || apt_install postgresql || say "$APT_WHY"
INITDB=$(find_bin initdb)
PG_CTL=$(find_bin pg_ctl)
if [ -z "$INITDB" ] || [ -z "$PG_CTL" ]; then
  export CLAIMLEDGER_TEST_PG_UNAVAILABLE="no PostgreSQL test server: no initdb and pg_ctl${APT_WHY:+ ($APT_WHY)}"
  say "no server binaries; running without a server (the PostgreSQL tests skip, or fail when CI=true)"
  exec "$@"
fi

DIR=$(mktemp -d /tmp/claimledger-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUN_AS=()  # expanded as ${RUN_AS[@]+...}: bash 3.2 (macOS) treats an empty array as unset
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root: the server runs as the postgres user.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$DIR"
  RUN_AS=(runuser -u postgres --)
fi

cleanup() {
  ${RUN_AS[@]+"${RUN_AS[@]}"} "$PG_CTL" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

if ! ${RUN_AS[@]+"${RUN_AS[@]}"} "$INITDB" -D "$DIR/data" -U claimledger --auth=trust -E UTF8 --no-locale >"$DIR/initdb.log" 2>&1 \
  || ! ${RUN_AS[@]+"${RUN_AS[@]}"} "$PG_CTL" -D "$DIR/data" -l "$DIR/log" -w \
    -o "-h 127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null; then
  tail -n 5 "$DIR/initdb.log" "$DIR/log" >&2 2>/dev/null || true
  export CLAIMLEDGER_TEST_PG_UNAVAILABLE="no PostgreSQL test server: $INITDB could not start one (see above)"
  say "the server did not start; running without it (the PostgreSQL tests skip, or fail when CI=true)"
  "$@"
  exit
fi
export CLAIMLEDGER_TEST_PG_URL="postgresql+psycopg://claimledger@127.0.0.1:$PORT/postgres"
say "server on 127.0.0.1:$PORT"
"$@"
