#!/usr/bin/env bash
# Installs the operations tools the live tests need, once, from Debian's packages:
#   test/ops/install.sh prometheus   -> /usr/bin/prometheus and /usr/bin/promtool
#   test/ops/install.sh haproxy      -> /usr/sbin/haproxy
#   test/ops/install.sh nftables     -> /usr/sbin/nft (the partition tests' packet filter)
#   test/ops/install.sh libfaketime  -> /usr/lib/<arch>/faketime/libfaketime.so.1 (clock skew tests)
# A tool already on the machine is left alone. Packages never start their own services here
# (a policy-rc.d denies it during the install): every test starts and ends its own process.
# Exits non-zero with a clear message when something cannot be installed (not root, no
# network), so the test that needs it fails loudly instead of skipping.
set -euo pipefail

fail() {
  echo "ops test setup: $*" >&2
  exit 1
}

# One install at a time on this machine (apt-get and dpkg take their own lock and fail on a
# held one): scripts/test starts the installs beside the build, a test's own call waits here.
exec 9>"${TMPDIR:-/tmp}/hachat-test-install.lock"
flock -w 900 9 || fail "another install held ${TMPDIR:-/tmp}/hachat-test-install.lock for 15 min"

declare -A binary=([prometheus]=/usr/bin/promtool [haproxy]=/usr/sbin/haproxy [nftables]=/usr/sbin/nft
  [libfaketime]='/usr/lib/*/faketime/libfaketime.so.1')
# Whether the file of a tool is there (a library's path has the machine's multiarch directory).
present() {
  compgen -G "${binary[$1]}" >/dev/null
}
missing=()
for tool in "$@"; do
  [[ -n ${binary[$tool]:-} ]] || fail "unknown tool '$tool' (known: ${!binary[*]})"
  present "$tool" || missing+=("$tool")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  [[ $(id -u) -eq 0 ]] || fail "${missing[*]} missing and installing needs root (apt-get install -y ${missing[*]})"
  command -v apt-get >/dev/null || fail "${missing[*]} missing and there is no apt-get to install it"
  policy=/usr/sbin/policy-rc.d
  own_policy=false
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=true
  fi
  trap '[[ $own_policy == true ]] && rm -f "$policy"' EXIT
  echo "ops test setup: installing ${missing[*]} with apt-get"
  apt-get update -qq || fail "apt-get update failed (no network?)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]} failed"
  for tool in "${missing[@]}"; do
    present "$tool" || fail "apt-get installed $tool but ${binary[$tool]} is not there"
  done
fi
for tool in "$@"; do
  case $tool in
    prometheus) echo "ops test setup: $(prometheus --version 2>&1 | head -1)" ;;
    haproxy) echo "ops test setup: $(haproxy -v 2>&1 | head -1)" ;;
    nftables) echo "ops test setup: $(nft --version 2>&1 | head -1)" ;;
    libfaketime) echo "ops test setup: libfaketime $(dpkg-query -W -f='${Version}' libfaketime 2>/dev/null)" ;;
  esac
done
