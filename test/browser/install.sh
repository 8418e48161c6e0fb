#!/usr/bin/env bash
# Installs what the headless-browser tests need, once: Debian's Chromium (/usr/bin/chromium) and
# the npm package playwright-core (into test/browser/node_modules, from package-lock.json).
# Playwright never downloads a browser here; it drives Debian's. Exits non-zero with a clear
# message when something cannot be installed (not root, no network), so the test fails loudly.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

fail() {
  echo "browser test setup: $*" >&2
  exit 1
}

apt_install() {
  [[ $(id -u) -eq 0 ]] || fail "$1 is missing and installing it needs root (apt-get install -y $2)"
  command -v apt-get >/dev/null || fail "$1 is missing and there is no apt-get to install $2"
  echo "browser test setup: installing $2 with apt-get"
  apt-get update -qq || fail "apt-get update failed (no network?)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $2 >/dev/null \
    || fail "apt-get install $2 failed"
}

# One install at a time on this machine (apt-get and dpkg take their own lock and fail on a
# held one): scripts/test starts the installs beside the build, a test's own call waits here.
exec 9>"${TMPDIR:-/tmp}/hachat-test-install.lock"
flock -w 900 9 || fail "another install held ${TMPDIR:-/tmp}/hachat-test-install.lock for 15 min"

if [[ ! -x /usr/bin/chromium ]]; then
  apt_install /usr/bin/chromium chromium
fi
if ! command -v npm >/dev/null; then
  apt_install npm "nodejs npm"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[[ $node_major -ge 20 ]] || fail "playwright-core needs Node.js 20 or newer; this machine has $(node --version 2>&1)"
if [[ ! -f node_modules/playwright-core/package.json ]] \
  || ! cmp -s package-lock.json node_modules/.installed-from-lock; then
  echo "browser test setup: npm ci (playwright-core)"
  npm ci --no-audit --no-fund --loglevel=error || fail "npm ci failed (no network?)"
  cp package-lock.json node_modules/.installed-from-lock
fi
echo "browser test setup: $(/usr/bin/chromium --version 2>/dev/null | head -1)," \
  "playwright-core $(node -p "require('./node_modules/playwright-core/package.json').version")"
