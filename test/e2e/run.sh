#!/usr/bin/env bash
# npm run test:e2e: the editor tests in a real VS Code (code-server + Debian's Chromium).
# Installs the rig when missing (~2 min cold, ~1 s warm), builds the extension and its tests
# (RBL_E2E_NO_BUILD=1 skips that when scripts/test.sh has just built), then runs the e2e tier:
# extension-host mocha tests, UI cases with the real Bazel, and the packaged VSIX.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/install-vscode-rig.sh >/dev/null
if [[ "${RBL_E2E_NO_BUILD:-0}" != 1 ]]; then
  npm run --silent build >&2
fi
exec npx mocha --config .mocharc.e2e.json "$@"
