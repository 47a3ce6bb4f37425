#!/usr/bin/env bash
# Run a command with Debian's Chromium available at /usr/bin/chromium (for the browser tests,
# tests/test_web_browser.py, which drive it with Playwright). Installs the `chromium` package
# when it is missing; Playwright's own browser downloads are never used.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ ! -x "$CHROMIUM" ]; then
  echo "with-chromium: installing Chromium (Debian package)" >&2
  export DEBIAN_FRONTEND=noninteractive
  SUDO=()
  [ "$(id -u)" = 0 ] || SUDO=(sudo)
  "${SUDO[@]}" apt-get update -qq >/dev/null && "${SUDO[@]}" apt-get install -y -qq chromium >/dev/null
fi
[ -x "$CHROMIUM" ] || { echo "with-chromium: no $CHROMIUM after installing" >&2; exit 1; }
exec "$@"
