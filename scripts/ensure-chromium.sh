#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests
# (test/browser/), which drive it with playwright-core. Playwright's own browser download
# does not work here (no network but the package registries), so the browser comes from
# Debian's package instead. Installs only when it is missing and we may (root).
set -euo pipefail
CHROMIUM="${DATALYFT_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM") is installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $CHROMIUM is missing and this is not root; install it with: sudo apt-get install -y chromium" >&2
  exit 1
fi
echo "ensure-chromium: installing Debian's chromium package"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q chromium
"$CHROMIUM" --version
