#!/usr/bin/env bash
# The long variants of the reliability and security tests (issue 10), for a release or a
# nightly run rather than every push: many more fuzz cases and kills, more concurrent builds
# through one `rbl serve`, and `npm audit` (which needs the registry). Compiles first.
# Usage: scripts/long-tests.sh   (RBL_FUZZ_SEED=N replays a fuzz failure)
set -uo pipefail
cd "$(dirname "$0")/.."

export CI=true
export RBL_FUZZ_CASES=${RBL_FUZZ_CASES:-200000}
export RBL_KILL_ITERATIONS=${RBL_KILL_ITERATIONS:-500}
export RBL_SERVE_BUILDS=${RBL_SERVE_BUILDS:-10}

status=0
step() {
  # step NAME COMMAND...: runs one step, keeps the first failure's exit code.
  local name=$1 started rc=0
  shift
  started=$(date +%s)
  echo "long-tests.sh: == $name" >&2
  "$@" || rc=$?
  echo "long-tests.sh: $name took $(($(date +%s) - started))s: $([[ $rc == 0 ]] && echo ok || echo "FAILED ($rc)")" >&2
  if [[ $rc != 0 && $status == 0 ]]; then status=$rc; fi
}

step compile npm run --silent compile
step audit npm audit --omit=dev --audit-level=high
step fuzz npx mocha --enable-source-maps --timeout 0 'out/test/unit/fuzz/**/*.test.js'
step kill-loop npx mocha --enable-source-maps --timeout 0 'out/test/unit/config-atomic/**/*.test.js'
step sink npx mocha --enable-source-maps 'out/test/unit/bes/hostile-*.test.js'
step serve npx mocha --enable-source-maps --timeout 600000 --require out/test/helpers/harness-hooks.js 'out/test/bazel/engine-serve.test.js'
step secrets npx mocha --enable-source-maps --timeout 600000 --require out/test/helpers/harness-hooks.js 'out/test/bazel/secrets-e2e.test.js'
if [[ -f dist/extension.js ]] || npm run --silent bundle; then
  step vsix npx mocha --timeout 120000 'out/test/package/**/*.test.js'
fi
exit $status
