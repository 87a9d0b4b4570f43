#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, lints, then runs every test tier that
# has tests: unit (plain Node), bazel (real Bazel), remote (real REAPI servers) and e2e (real
# VS Code), each with its .mocharc.<tier>.json. CI (.ci/run) calls exactly this.
# Prints the suite's wall time, each tier's, and the time during which Bazel was running
# (summed by the Bazel harness, test/helpers/bazel.ts, through RBL_BAZEL_TIME_FILE).
# Every tier runs even when an earlier one failed; the exit code is the first failure's.
set -uo pipefail
cd "$(dirname "$0")/.."

suite_start=$(date +%s)
bash scripts/setup.sh --tests || exit $?

RBL_BAZEL_TIME_FILE=$(mktemp "${TMPDIR:-/tmp}/rbl-bazel-time.XXXXXX")
export RBL_BAZEL_TIME_FILE
trap 'rm -f "$RBL_BAZEL_TIME_FILE"' EXIT

status=0
summary=()
step() {
  # step NAME COMMAND...: runs and times one step, keeps the first failure's exit code.
  local name=$1 started rc=0
  shift
  started=$(date +%s)
  echo "test.sh: == $name" >&2
  "$@" || rc=$?
  summary+=("$(printf '%-8s %4ss  %s' "$name" "$(($(date +%s) - started))" "$([[ $rc == 0 ]] && echo ok || echo "FAILED ($rc)")")")
  if [[ $rc != 0 && $status == 0 ]]; then status=$rc; fi
}

step lint npm run --silent lint
for tier in unit bazel remote package e2e; do
  [[ -f ".mocharc.$tier.json" ]] || continue
  if [[ -z "$(find "out/test/$tier" -name '*.test.js' -print -quit 2>/dev/null)" ]]; then
    continue
  fi
  step "$tier" npx mocha --config ".mocharc.$tier.json"
done

bazel_ms=$(awk -F'"bazelWallMs":' 'NF > 1 { split($2, a, ","); s += a[1] } END { print s + 0 }' "$RBL_BAZEL_TIME_FILE")
suite_s=$(($(date +%s) - suite_start))
{
  echo "test.sh: summary"
  printf '  %s\n' "${summary[@]}"
  echo "test.sh: whole suite took ${suite_s}s (setup included); Bazel was running for $((bazel_ms / 1000))s of it"
} >&2
exit $status
