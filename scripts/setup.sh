#!/usr/bin/env bash
# Installs what the project needs on a fresh machine of this kind (root, apt, npm) and builds
# it. Idempotent: a second run only checks. Used by scripts/main-job.sh, scripts/test.sh and CI.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*" >&2; }

APT_PACKAGES=(bazel-bootstrap bazel-bootstrap-source zstd openssl)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing apt packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -q >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}" >&2
fi

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  log 'installing npm packages (npm ci)'
  npm ci --no-audit --no-fund >&2
fi

log 'building'
npm run --silent build >&2
