#!/usr/bin/env bash
# Installs what the project needs on a fresh machine of this kind (Debian 12, root, apt, Node 20,
# npm registry) and builds it. Idempotent: a second run only checks and rebuilds.
#
# Usage: scripts/setup.sh [--tests]
#   (no option)  what the main job needs: apt packages (Debian's Bazel 4.2.3 and its offline
#                rule repositories), npm packages, the build, and the example workspace's
#                generated offline.bazelrc
#   --tests      also what the test tiers need beyond that: the real remote servers and the
#                VS Code rig, through their own install scripts when they are present
# Used by scripts/main-job.sh, scripts/test.sh and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*" >&2; }

for_tests=false
for arg in "$@"; do
  case "$arg" in
    --tests) for_tests=true ;;
    *) log "unknown option '$arg' (usage: scripts/setup.sh [--tests])"; exit 2 ;;
  esac
done

# Node 20 comes with the machine; Debian's own nodejs is too old for the project.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  log 'node and npm (Node >= 20.19) are needed and not on PATH'
  exit 1
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)' || {
  log "Node >= 20.19 is needed, found $(node --version)"
  exit 1
}

# bazel-bootstrap: Debian's Bazel 4.2.3 (pulls in build-essential and a JDK);
# bazel-bootstrap-source: the rules_cc/rules_java/platforms repos the example builds offline with.
APT_PACKAGES=(bazel-bootstrap bazel-bootstrap-source zstd openssl git)
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
  npm ci --no-audit --no-fund --loglevel=warn >&2
fi

log 'building'
npm run --silent build >&2

# The example's --override_repository flags need this checkout's absolute paths.
log 'writing examples/workspace/offline.bazelrc'
sh examples/workspace/tools/write-offline-rc.sh examples/workspace

if $for_tests; then
  for installer in scripts/install-remote-servers.sh scripts/install-vscode-rig.sh; do
    if [[ -f "$installer" ]]; then
      log "running $installer"
      bash "$installer" >&2
    fi
  done
fi
log 'ready'
