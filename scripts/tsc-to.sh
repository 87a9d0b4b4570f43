#!/usr/bin/env bash
# Compiles the project into a private output folder (default: out/), with the generated
# protobuf module beside it, so parallel work does not race on one out/ folder.
# Usage: scripts/tsc-to.sh [OUTDIR]
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-out}
node scripts/gen-protos.js || exit 1
npx tsc -p . --outDir "$OUT"
status=$?
ln -sfn "$PWD/node_modules" "$OUT/node_modules" 2>/dev/null || true
mkdir -p "$OUT/src/gen" && cp src/gen/protos.js "$OUT/src/gen/protos.js"
exit $status
