#!/usr/bin/env bash
# Run a command with a Chromium for the browser tests (tests/test_web_browser.py, which drive it
# with Playwright); Playwright's own browser downloads are never used. Takes /usr/bin/chromium, else
# a chromium or Google Chrome found on PATH or in /Applications, else installs Debian's `chromium`
# package where apt-get can be used (as root or with password-less sudo). The browser's path is
# exported as CLAIMLEDGER_TEST_CHROMIUM. When none can be had, it says why, exports the reason as
# CLAIMLEDGER_TEST_CHROMIUM_UNAVAILABLE and runs the command anyway: the browser tests then skip
# with that reason, or fail when CI=true. It also installs axe-core, the accessibility check's
# script, with npm (`npm ci`) where node_modules/ lacks it; without npm that test skips (or fails
# when CI=true) with the reason.
set -euo pipefail

say() { echo "with-chromium: $*" >&2; }
# shellcheck source=scripts/apt-install.sh
source "$(dirname "$0")/apt-install.sh"

find_chromium() {
  local c
  for c in /usr/bin/chromium chromium chromium-browser google-chrome \
    "/Applications/Chromium.app/Contents/MacOS/Chromium" \
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"; do
    c=$(command -v "$c" 2>/dev/null) && [ -x "$c" ] && { echo "$c"; return 0; }
  done
  return 0
}

APT_WHY=""
[ -n "$(find_chromium)" ] || apt_install chromium || say "$APT_WHY"
CHROMIUM=$(find_chromium)
if [ -z "$CHROMIUM" ]; then
  export CLAIMLEDGER_TEST_CHROMIUM_UNAVAILABLE="no Chromium for the browser tests${APT_WHY:+ ($APT_WHY)}"
  say "no Chromium; running without it (the browser tests skip, or fail when CI=true)"
else
  export CLAIMLEDGER_TEST_CHROMIUM="$CHROMIUM"
fi

# axe-core for the accessibility check, from the npm registry as package-lock.json pins it (into
# node_modules/, which git ignores).
root=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$root/node_modules/axe-core/axe.min.js" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    export CLAIMLEDGER_TEST_AXE_UNAVAILABLE="no npm to install axe-core for the accessibility check (install Node.js and npm)"
  elif ! (cd "$root" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2); then
    export CLAIMLEDGER_TEST_AXE_UNAVAILABLE="npm ci could not install axe-core for the accessibility check"
  fi
  [ -z "${CLAIMLEDGER_TEST_AXE_UNAVAILABLE:-}" ] || say "$CLAIMLEDGER_TEST_AXE_UNAVAILABLE"
fi
exec "$@"
