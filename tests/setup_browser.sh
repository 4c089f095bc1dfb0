#!/bin/sh
# Installs Debian's chromium for tests/test_serve_browser.py when it is missing; `make test` runs it.
# Silent when chromium is there or gets installed. It never fails the build: when chromium cannot be
# installed it says why, and the browser test is skipped with that reason.
CHROMIUM=/usr/bin/chromium
[ -x "$CHROMIUM" ] && exit 0

skip() {
    echo "setup_browser: $1; tests/test_serve_browser.py will be skipped." >&2
    exit 0
}

[ "$(id -u)" = 0 ] || skip "$CHROMIUM is missing and installing it needs root (sudo apt-get install chromium)"
command -v apt-get >/dev/null 2>&1 || skip "$CHROMIUM is missing and there is no apt-get to install it"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Short timeouts: on a machine without network this should give up in seconds, not minutes.
APT="apt-get -q -y -o Acquire::Retries=0 -o Acquire::http::Timeout=20"
export DEBIAN_FRONTEND=noninteractive
# Try with the package lists already there first; refresh them only when that fails.
$APT install --no-install-recommends chromium >"$log" 2>&1 ||
    { $APT update >>"$log" 2>&1 && $APT install --no-install-recommends chromium >>"$log" 2>&1; } ||
    { tail -n 5 "$log" >&2; skip "apt-get could not install chromium (output above)"; }
[ -x "$CHROMIUM" ] || skip "apt-get finished but $CHROMIUM is still missing"
