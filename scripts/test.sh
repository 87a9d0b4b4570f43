#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, lints, then runs the unit tests
# (plain Node) and the tests against the real Bazel. CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
start=$(date +%s)
npm run --silent lint
npx mocha --config .mocharc.unit.json
npx mocha --config .mocharc.bazel.json
echo "test.sh: whole suite took $(( $(date +%s) - start ))s" >&2
