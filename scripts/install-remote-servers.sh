#!/usr/bin/env bash
# Installs the real REAPI servers the remote tests run against, into the git-ignored .tools/:
#   - bazel-remote (REAPI cache, Go) via the Go module proxy -> .tools/bin/bazel-remote
#   - BuildGrid (REAPI execution server, Python) via PyPI into a venv -> .tools/buildgrid/bin/bgd
# Idempotent: when the pinned version is already there it only checks and exits (well under a second).
# Versions are pinned so CI and developers see the same servers; see docs in test/helpers/remote-servers.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS="$ROOT/.tools"
BAZEL_REMOTE_VERSION=v2.6.2
BUILDGRID_VERSION=0.9.1

log() { printf 'install-remote-servers: %s\n' "$*" >&2; }
mkdir -p "$TOOLS/bin"

# bazel-remote: pure Go (CGO_ENABLED=0 picks the klauspost zstd implementation), so no C toolchain.
stamp="$TOOLS/bin/.bazel-remote.version"
if [[ -x "$TOOLS/bin/bazel-remote" && "$(cat "$stamp" 2>/dev/null)" == "$BAZEL_REMOTE_VERSION" ]]; then
  log "bazel-remote $BAZEL_REMOTE_VERSION present"
else
  command -v go >/dev/null || { log 'go is not on PATH (needed to install bazel-remote)'; exit 1; }
  log "installing bazel-remote $BAZEL_REMOTE_VERSION (go mod download + go build)"
  # Not `go install …@version`: that also asks the proxy for the module's version list (to warn
  # about deprecation), which the registry here refuses (403), while the exact version is served.
  # GOTOOLCHAIN=local: never fetch a different Go toolchain at install time.
  scratch=$(mktemp -d)
  dir=$(cd "$scratch" && GOTOOLCHAIN=local GOFLAGS=-mod=mod \
    go mod download -json "github.com/buchgr/bazel-remote/v2@$BAZEL_REMOTE_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  rmdir "$scratch"
  [[ -n "$dir" && -d "$dir" ]] || { log 'go mod download gave no module folder'; exit 1; }
  (cd "$dir" && CGO_ENABLED=0 GOTOOLCHAIN=local go build -trimpath -o "$TOOLS/bin/bazel-remote" .) >&2
  echo "$BAZEL_REMOTE_VERSION" >"$stamp"
fi

# BuildGrid 0.9.x requires Python >= 3.13 (this machine's default python3 is 3.11; pyenv has 3.13)
# and PostgreSQL for its scheduler (it refuses SQLite); the tests run a private cluster as the
# `postgres` user. Its own venv keeps it away from the system Python.
if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  log 'installing postgresql (apt) for the BuildGrid scheduler'
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q postgresql >&2
fi
venv="$TOOLS/buildgrid"
stamp="$venv/.buildgrid.version"
if [[ -x "$venv/bin/bgd" && "$(cat "$stamp" 2>/dev/null)" == "$BUILDGRID_VERSION" ]]; then
  log "buildgrid $BUILDGRID_VERSION present"
else
  python=""
  # pyenv's shims answer for versions that are not selected, so each candidate is run to check.
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[3-9]*/bin/python3 python3.13 python3.14 python3; do
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 13))' >/dev/null 2>&1; then
      python=$candidate
      break
    fi
  done
  [[ -n "$python" ]] || { log 'no Python >= 3.13 found (BuildGrid 0.9 needs it)'; exit 1; }
  log "installing buildgrid $BUILDGRID_VERSION (pip, $python, venv in .tools/buildgrid)"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "buildgrid==$BUILDGRID_VERSION" >&2
  echo "$BUILDGRID_VERSION" >"$stamp"
fi
