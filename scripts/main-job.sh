#!/usr/bin/env bash
# The main job: set up (installs what is missing), build the example workspace from scratch with
# the real Bazel, writing its execution log, then list every spawn of that log with `rbl log`:
# where each action ran (runner) and whether it came from a cache.
#
# Usage: scripts/main-job.sh [extra bazel build args...]   e.g. --disk_cache=/tmp/rbl-disk-cache
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

bash scripts/setup.sh

out=$(mktemp -d "${TMPDIR:-/tmp}/rbl-main-job.XXXXXX")
ws="$ROOT/examples/workspace"
# The build leaves no Bazel server behind on this shared machine.
trap '(cd "$ws" && bazel shutdown >/dev/null 2>&1) || true' EXIT

cd "$ws"
echo "rbl: building examples/workspace from scratch (bazel clean, then bazel build //...)" >&2
bazel clean >&2
status=0
bazel build --color=no --curses=no --execution_log_binary_file="$out/exec.log" "$@" //... >&2 || status=$?

echo "rbl: the build's execution log: $out/exec.log" >&2
node "$ROOT/bin/rbl.js" log "$out/exec.log"
exit "$status"
