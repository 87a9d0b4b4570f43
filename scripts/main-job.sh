#!/usr/bin/env bash
# The main job: set up (installs what is missing), then build the example workspace with the real
# Bazel through `rbl build`, which runs Bazel against rbl's local Build Event Service sink and
# prints one `rbl:` line per action: where it ran (local sandbox, disk cache, remote cache, remote
# execution, worker) and whether it came from a cache. The workspace is built twice with a fresh
# disk cache and `bazel clean` between, so the second build shows cache hits.
#
# Usage: scripts/main-job.sh [extra bazel build args...]   e.g. --remote_cache=grpc://127.0.0.1:9092
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

bash scripts/setup.sh

ws="$ROOT/examples/workspace"
cache=$(mktemp -d "${TMPDIR:-/tmp}/rbl-main-job-cache.XXXXXX")
# The build leaves no Bazel server and no cache behind on this machine.
trap '(cd "$ws" && bazel shutdown >/dev/null 2>&1) || true; rm -rf "$cache"' EXIT

cd "$ws"
rbl() { node "$ROOT/bin/rbl.js" "$@"; }

echo "rbl: 1/2 clean build of examples/workspace with an empty disk cache" >&2
bazel clean >&2
rbl build -- build --color=no --curses=no --disk_cache="$cache" "$@" //...

echo "rbl: 2/2 the same build after 'bazel clean': actions now come from the disk cache" >&2
bazel clean >&2
rbl build -- build --color=no --curses=no --disk_cache="$cache" "$@" //...
