#!/usr/bin/env node
// npm run test:electron: the extension-host mocha tests (test/host/) in a VS Code that
// @vscode/test-electron downloads, for machines that can download it (a developer's laptop).
// Not part of `npm test`: these machines cannot download VS Code, so CI runs the same tests in
// code-server (test/e2e/editor.test.ts, `npm run test:e2e`). Expects `npm run build` first
// (dist/ for the extension, out/ for the compiled tests). Pass a VS Code version or `stable`
// as RBL_VSCODE_VERSION (default: the engines.vscode minimum, 1.100.0).
'use strict';
const path = require('node:path');
const os = require('node:os');
const fs = require('node:fs');

async function main() {
  const { runTests } = require('@vscode/test-electron');
  const root = path.resolve(__dirname, '..');
  const testsEntry = path.join(root, 'out', 'test', 'host', 'index.js');
  if (!fs.existsSync(testsEntry) || !fs.existsSync(path.join(root, 'dist', 'extension.js'))) {
    throw new Error('run `npm run build` first (out/test/host/index.js and dist/extension.js)');
  }
  // A folder that is a Bazel workspace (the extension activates on WORKSPACE) but never builds.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-electron-'));
  fs.writeFileSync(path.join(workspace, 'WORKSPACE'), '');
  try {
    await runTests({
      version: process.env.RBL_VSCODE_VERSION || '1.100.0',
      extensionDevelopmentPath: root,
      extensionTestsPath: testsEntry,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: { RBL_REPO_ROOT: root },
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`test:electron failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
