#!/usr/bin/env bash
# Makes sure Debian's chromium is installed at /usr/bin/chromium for the inbox's
# browser tests. Idempotent: does nothing when it is already there. Never
# downloads a browser from anywhere but the Debian archive.
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and apt-get is not available; install Chromium and set CHROMIUM_PATH" >&2
  exit 1
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo -n)
  else
    echo "ensure-chromium: $CHROMIUM is missing; run 'apt-get install chromium' as root" >&2
    exit 1
  fi
fi

# Several test runs may start at once: one installs, the others wait for it.
exec 9>/tmp/countersign-ensure-chromium.lock
flock 9
if [ -x "$CHROMIUM" ]; then
  exit 0
fi

echo "ensure-chromium: installing Debian's chromium with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null || echo chromium) is ready" >&2
