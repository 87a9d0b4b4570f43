#!/usr/bin/env bash
# Installs the real REAPI servers the remote test tier runs against:
#   - bazel-remote (REAPI cache, Go), from the Go module proxy  -> .tools/bin/bazel-remote
#   - BuildGrid (REAPI execution, Python), from PyPI in a venv    -> .tools/buildgrid/bin/bgd
#   - PostgreSQL (BuildGrid's scheduler refuses SQLite), from apt when missing
# The installs live in a per-user cache outside the checkout (RBL_TOOLS_CACHE, default
# ~/.cache/remote-build-lens) and .tools/ (git-ignored) links to them, so fresh clones on the same
# machine (CI runs in one) reuse them. Idempotent: a warm run only checks (a few milliseconds).
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="$PWD/.tools"
CACHE=${RBL_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/remote-build-lens}
BAZEL_REMOTE_VERSION=v2.6.2
BUILDGRID_VERSION=0.9.1

log() { printf 'install-remote-servers: %s\n' "$*" >&2; }
mkdir -p "$TOOLS/bin" "$CACHE"

# --- bazel-remote: pure Go (CGO_ENABLED=0 picks the klauspost zstd code), so no C toolchain.
br_dir="$CACHE/bazel-remote-$BAZEL_REMOTE_VERSION"
if [[ -x "$br_dir/bazel-remote" ]]; then
  log "bazel-remote $BAZEL_REMOTE_VERSION present"
else
  command -v go >/dev/null || { log 'go is not on PATH (needed to build bazel-remote)'; exit 1; }
  log "installing bazel-remote $BAZEL_REMOTE_VERSION (go mod download + go build)"
  # Not `go install …@version`: that also asks the proxy for the module's version list (to warn
  # about deprecation), which the proxy here refuses (403), while the exact version is served.
  # GOTOOLCHAIN=local: never fetch another Go toolchain at install time.
  scratch=$(mktemp -d)
  src=$(cd "$scratch" && GOTOOLCHAIN=local GOFLAGS=-mod=mod \
    go mod download -json "github.com/buchgr/bazel-remote/v2@$BAZEL_REMOTE_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  rmdir "$scratch"
  [[ -n "$src" && -d "$src" ]] || { log 'go mod download gave no module folder'; exit 1; }
  mkdir -p "$br_dir"
  (cd "$src" && CGO_ENABLED=0 GOTOOLCHAIN=local go build -trimpath -o "$br_dir/bazel-remote.tmp" .) >&2
  mv "$br_dir/bazel-remote.tmp" "$br_dir/bazel-remote"
fi
ln -sfn "$br_dir/bazel-remote" "$TOOLS/bin/bazel-remote"

# --- PostgreSQL for BuildGrid's scheduler (the tests run a private cluster as user postgres).
if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  log 'installing postgresql (apt) for the BuildGrid scheduler'
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q postgresql >&2
fi

# --- BuildGrid 0.9.x requires Python >= 3.13; this machine's python3 is 3.11, pyenv has 3.13.
venv="$CACHE/buildgrid-$BUILDGRID_VERSION"
if [[ -x "$venv/bin/bgd" && -f "$venv/.complete" ]]; then
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
  log "installing buildgrid $BUILDGRID_VERSION (pip, $python)"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "buildgrid==$BUILDGRID_VERSION" >&2
  touch "$venv/.complete"
fi
[[ -L "$TOOLS/buildgrid" || ! -e "$TOOLS/buildgrid" ]] || rm -rf "$TOOLS/buildgrid"
ln -sfn "$venv" "$TOOLS/buildgrid"
