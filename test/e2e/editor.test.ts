// The editor in a real VS Code: code-server from npm with Debian's Chromium. One code-server
// start serves the extension-host tests and the UI cases; the VSIX case gets its own server
// because it needs an extensions dir with the packaged extension installed.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './harness/browser';
import { startCodeServer, type CodeServer } from './harness/code-server';
import { runHostTests } from './harness/host-tests';
import { outputDir, repoRoot, requireRig, type Rig } from './harness/rig';
import { installVsix } from './harness/vsix';
import { Workbench } from './harness/workbench';
import { extensionDir } from './harness/session';

const CONTAINER = 'workbench.view.extension.remoteBuildLens';
const STATUS_ITEM = 'remote-build-lens.remote-build-lens.remoteBuildLens.status';

/** The compiled tree this file runs from: <out>/test/e2e/editor.test.js. */
const OUT_ROOT = path.resolve(__dirname, '..', '..');

/** Packages the extension with the project's own script (`npm run package`, @vscode/vsce). */
function packageVsix(): string {
  const root = repoRoot();
  const run = spawnSync('npm', ['run', '--silent', 'package'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(run.status, 0, `npm run package failed:\n${run.stdout}\n${run.stderr}`);
  const vsix = path.join(root, 'remote-build-lens.vsix');
  assert.ok(fs.existsSync(vsix), `npm run package did not write ${vsix}`);
  return vsix;
}

/** A folder that is a Bazel workspace (activation needs one) but never builds anything. */
function emptyWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-e2e-empty-'));
  fs.writeFileSync(path.join(dir, 'WORKSPACE'), '');
  return dir;
}

describe('editor in a real VS Code (code-server + Chromium)', function () {
  let rig: Rig;
  let browser: Browser | undefined;
  let server: CodeServer | undefined;
  const hostResults = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-host-results-'));
  const workspace = emptyWorkspace();

  before(async function () {
    rig = requireRig(this);
    browser = await launchBrowser(rig);
    server = await startCodeServer(rig, {
      workspace,
      env: { RBL_HOST_RESULTS_DIR: hostResults, RBL_REPO_ROOT: repoRoot() },
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('passes the extension-host tests (development mode)', async function () {
    if (browser === undefined || server === undefined) this.skip();
    const run = await runHostTests(browser, server, {
      extensionDir: extensionDir(),
      testsEntry: path.join(OUT_ROOT, 'test', 'host', 'index.js'),
      workspace,
      screenshotOnFailure: path.join(outputDir(), 'host-tests-failure.png'),
    });
    const report = run.log
      .split('\n')
      .filter((l) => !/^\[|Resolving connection|Creating a socket/.test(l));
    fs.writeFileSync(path.join(outputDir(), 'host-tests.log'), run.log);
    assert.equal(run.exitCode, 0, `extension-host tests failed:\n${report.join('\n')}`);
    assert.match(run.log, /\d+ passing/);
    const activation = JSON.parse(
      fs.readFileSync(path.join(hostResults, 'activation.json'), 'utf8'),
    ) as { activationMs: number };
    console.log(`      activate() took ${activation.activationMs.toFixed(1)} ms`);
    const refresh = JSON.parse(
      fs.readFileSync(path.join(hostResults, 'tree-refresh-rate.json'), 'utf8'),
    ) as {
      events: number;
      seconds: number;
      eventsPerSecond: number;
      fires: number;
      partial: number;
      nodesRefreshed: number;
      perSecond: number;
    };
    console.log(
      `      tree under a fast stream: ${refresh.events} events in ${refresh.seconds.toFixed(1)} s ` +
        `(${Math.round(refresh.eventsPerSecond)}/s) -> ${refresh.fires} refreshes ` +
        `(${refresh.perSecond.toFixed(1)}/s), ${refresh.partial} partial, ${refresh.nodesRefreshed} nodes redrawn`,
    );
  });

  it('shows the Builds view with its welcome text and no status item before any build', async function () {
    if (browser === undefined || server === undefined) this.skip();
    const workbench = await Workbench.open(browser, server, workspace, extensionDir());
    try {
      await workbench.openViewContainer('Remote Build Lens');
      await workbench.welcomeText(CONTAINER, /No builds yet/);
      assert.equal(await workbench.statusItemText(STATUS_ITEM), null);
      await workbench.screenshot('builds-view-empty');
    } finally {
      await workbench.close();
    }
  });

  it('lists its commands under "Remote Build Lens" in the command palette', async function () {
    if (browser === undefined || server === undefined) this.skip();
    const workbench = await Workbench.open(browser, server, workspace, extensionDir());
    try {
      // Our activity bar entry appearing means the workbench has read our contributions.
      await workbench.openViewContainer('Remote Build Lens');
      await workbench.page.keyboard.press('F1');
      const input = workbench.page.locator('.quick-input-widget input[type="text"]');
      await input.waitFor({ state: 'visible' });
      await input.fill('>Remote Build Lens: ');
      const rows = workbench.page.locator('.quick-input-widget .monaco-list-row');
      // The list filters as it is typed into: wait for our rows, not the unfiltered first one.
      await rows.filter({ hasText: 'Remote Build Lens: Build' }).first().waitFor();
      const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      const text = labels.join('\n');
      for (const title of ['Build…', 'Test…', 'Show Build Output', 'Clear History']) {
        assert.ok(text.includes(`Remote Build Lens: ${title}`), `${title} missing from:\n${text}`);
      }
      // "when" clauses: nothing is running and nothing was built, so these stay hidden.
      assert.ok(!text.includes('Cancel Build'), 'Cancel Build shown while no build runs');
      assert.ok(!text.includes('Rebuild Last'), 'Rebuild Last shown before any build');
      await workbench.screenshot('command-palette');
      await workbench.page.keyboard.press('Escape');
    } finally {
      await workbench.close();
    }
  });

  describe('packaged as a VSIX', () => {
    let vsixServer: CodeServer | undefined;

    after(async () => vsixServer?.stop());

    it('installs into code-server and shows the same view as development mode', async function () {
      if (browser === undefined) this.skip();
      const vsix = process.env.RBL_E2E_VSIX ?? packageVsix();
      const extensionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-vsix-extensions-'));
      const output = installVsix(rig, vsix, extensionsDir);
      assert.match(output, /was successfully installed/);
      // The engine loads from the bundle's chunks with the first build: all of them installed.
      const chunks = (dir: string): string[] =>
        fs
          .readdirSync(dir)
          .filter((f) => /^extension(-\w+)?\.js$/.test(f))
          .sort();
      const installed = fs.readdirSync(extensionsDir).find((d) => d.includes('remote-build-lens'));
      assert.ok(installed, `no remote-build-lens folder in ${extensionsDir}`);
      assert.deepEqual(
        chunks(path.join(extensionsDir, installed, 'dist')),
        chunks(path.join(repoRoot(), 'dist')),
      );
      vsixServer = await startCodeServer(rig, { workspace, extensionsDir });
      const workbench = await Workbench.open(browser, vsixServer, workspace);
      try {
        await workbench.openViewContainer('Remote Build Lens');
        await workbench.welcomeText(CONTAINER, /No builds yet/);
        await workbench.screenshot('vsix-builds-view');
      } finally {
        await workbench.close();
      }
    });
  });
});
