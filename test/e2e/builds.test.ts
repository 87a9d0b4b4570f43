// Builds of examples/workspace from the editor, with the real Bazel, watched in a real VS Code:
// the tree mid-build (held open by the example's gate target, not a race with the clock), the
// finished tree with disk-cache hits beside local actions, and the status bar during and after.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import {
  createWorkspace,
  gateArgs,
  requireBazel,
  runBazel,
  runRoot,
  scrubbedEnv,
  type Workspace,
} from '../helpers/bazel';
import { pollUntil } from '../helpers/poll-until';
import { launchBrowser } from './harness/browser';
import { startCodeServer, type CodeServer } from './harness/code-server';
import { requireRig } from './harness/rig';
import { Workbench } from './harness/workbench';
import { closeSession, extensionDir, screenshotOnFailure } from './harness/session';

const CONTAINER = 'workbench.view.extension.remoteBuildLens';
const STATUS_ITEM = 'remote-build-lens.remote-build-lens.remoteBuildLens.status';
const BUILD_TIMEOUT_MS = 240_000;

describe('building examples/workspace from the editor (real Bazel)', function () {
  let workspace: Workspace;
  let browser: Browser | undefined;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;

  before(async function () {
    const rig = requireRig(this);
    requireBazel();
    workspace = createWorkspace('editor');
    const diskCache = path.join(runRoot(), 'editor-disk-cache');
    server = await startCodeServer(rig, {
      workspace: workspace.dir,
      // Bazel gets the harness's scrubbed environment (private HOME, plain PATH) through the
      // extension host, which inherits the server's.
      env: scrubbedEnv(),
      settings: {
        'remoteBuildLens.extraFlags': [...gateArgs(workspace), `--disk_cache=${diskCache}`],
      },
    });
    browser = await launchBrowser(rig);
    workbench = await Workbench.open(browser, server, workspace.dir, extensionDir());
    await workbench.openViewContainer('Remote Build Lens');
  });

  afterEach(screenshotOnFailure(() => workbench));

  after(() => closeSession({ workbench, browser, server, workspace }));

  async function build(pattern: string): Promise<void> {
    if (workbench === undefined) throw new Error('no workbench');
    await workbench.runCommand('Remote Build Lens: Build…');
    await workbench.answerQuickPick('Build which targets?', pattern);
  }

  /** The status item's label once `bazel <command> <pattern>` has finished. */
  async function statusAfterBuild(pattern: string, command = 'build'): Promise<string> {
    if (workbench === undefined) throw new Error('no workbench');
    const wb = workbench;
    return pollUntil(
      async () => {
        const label = await wb.statusItemLabel(STATUS_ITEM);
        // The tooltip names the command, so an earlier build's result never counts.
        return label !== null &&
          label.includes(`bazel ${command} ${pattern}`) &&
          !label.includes('sync~spin') &&
          !label.includes('locations pending') &&
          /passed|failed/.test(label)
          ? label
          : null;
      },
      {
        timeoutMs: BUILD_TIMEOUT_MS,
        intervalMs: 250,
        what: 'the build to finish in the status bar',
      },
    );
  }

  it('shows the running build in the tree and the status bar while the gate holds it', async function () {
    if (workbench === undefined) this.skip();
    const wb = workbench;
    fs.rmSync(workspace.gateFile, { force: true });
    fs.rmSync(`${workspace.gateFile}.reached`, { force: true });
    await build('//gate:after_gate');
    await pollUntil(() => fs.existsSync(`${workspace.gateFile}.reached`), {
      timeoutMs: BUILD_TIMEOUT_MS,
      what: 'the gate action to start',
    });
    const running = await pollUntil(
      async () => {
        const label = await wb.statusItemLabel(STATUS_ITEM);
        return label?.includes('sync~spin') ? label : null;
      },
      { timeoutMs: 30_000, what: 'the spinner in the status bar' },
    );
    const rows = await pollUntil(
      async () => {
        const all = await wb.treeRows(CONTAINER);
        return all.some((r) => r.startsWith('build //gate:after_gate') && r.includes('running'))
          ? all
          : null;
      },
      { timeoutMs: 30_000, what: 'a running invocation row' },
    );
    await wb.screenshot('tree-mid-build');
    fs.writeFileSync(workspace.gateFile, 'open\n');
    const finished = await statusAfterBuild('//gate:after_gate');
    assert.match(running, /sync~spin/);
    assert.ok(rows.length >= 1);
    assert.match(finished, /build passed/);
    // The tree redraws on its own coalesced schedule, a moment after the status bar.
    await pollUntil(
      async () =>
        (await wb.treeRows(CONTAINER)).some(
          (r) => r.startsWith('build //gate:after_gate') && r.includes('passed'),
        ),
      { timeoutMs: 30_000, what: 'the invocation row to say passed' },
    );
  });

  it('offers the workspace targets from a background bazel query in the Build picker', async function () {
    if (workbench === undefined) this.skip();
    const wb = workbench;
    await wb.runCommand('Remote Build Lens: Build…');
    await wb.page
      .locator('.quick-input-widget .quick-input-title', { hasText: 'Build which targets?' })
      .waitFor({ state: 'visible' });
    const labels = await pollUntil(
      async () => {
        const rows = await wb.page
          .locator('.quick-input-widget .monaco-list-row')
          .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
        return rows.some((r) => r.startsWith('//cc:hello')) ? rows : null;
      },
      { timeoutMs: 120_000, what: 'query results in the target picker' },
    );
    await wb.page.keyboard.press('Escape');
    assert.ok(
      labels.some((r) => r.startsWith('//gen:step1')),
      labels.join('\n'),
    );
    // bazel query lists manual targets too (only the build's //... leaves them out).
    assert.ok(
      labels.some((r) => r.startsWith('//fail:broken')),
      labels.join('\n'),
    );
  });

  it('shows disk-cache hits beside local actions after a clean rebuild', async function () {
    if (workbench === undefined) this.skip();
    const wb = workbench;
    // Fill the disk cache with the genrule chain, forget the outputs, then build more than that:
    // the chain comes back from the disk cache, the C++ targets run locally.
    await build('//gen:all');
    assert.match(await statusAfterBuild('//gen:all'), /passed/);
    const clean = await runBazel(workspace, ['clean']);
    assert.equal(clean.exitCode, 0, clean.stderr);
    await build('//gen:all //cc:all');
    const status = await statusAfterBuild('//gen:all //cc:all');
    assert.match(status, /build passed · \d+ actions · \d+% cached/);
    const cached = Number(/(\d+)% cached/.exec(status)?.[1]);
    assert.ok(cached > 0 && cached < 100, `a mixed build: ${status}`);
    // The newest invocation is expanded; open one genrule target and one C++ target.
    await wb.clickRow(CONTAINER, 'gen:step1');
    await wb.clickRow(CONTAINER, 'cc:hello');
    const rows = await pollUntil(
      async () => {
        const all = await wb.treeRows(CONTAINER);
        return all.some((r) => r.includes('disk cache hit')) &&
          all.some((r) => r.includes('local (sandboxed)'))
          ? all
          : null;
      },
      { timeoutMs: 30_000, what: 'action rows with both locations' },
    );
    await wb.screenshot('tree-mixed-locations');
    assert.ok(
      rows.some((r) => /^step1\.txt, disk cache hit, Genrule/.test(r)),
      rows.join('\n'),
    );
  });

  it('groups the newest build’s actions by where they ran, toggled from the view title', async function () {
    if (workbench === undefined) this.skip();
    const wb = workbench;
    const sideBar = wb.page.locator('.part.sidebar');
    await sideBar.locator('.action-label[aria-label="Group Actions by Location"]').first().click();
    const rows = await pollUntil(
      async () => {
        const all = await wb.treeRows(CONTAINER);
        return all.some((r) => r.startsWith('disk cache hit, ')) &&
          all.some((r) => r.startsWith('local (sandboxed), '))
          ? all
          : null;
      },
      { timeoutMs: 30_000, what: 'location groups under the newest build' },
    );
    await wb.screenshot('tree-grouped-by-location');
    assert.ok(
      rows.some((r) => /^disk cache hit, disk cache hit, \d+ actions?/.test(r)),
      rows.join('\n'),
    );
    // The toggle flips to its counterpart; back to targets for the cases after this one.
    await sideBar.locator('.action-label[aria-label="Group Actions by Target"]').first().click();
    await pollUntil(
      async () => !(await wb.treeRows(CONTAINER)).some((r) => r.startsWith('disk cache hit, ')),
      { timeoutMs: 30_000, what: 'actions under their targets again' },
    );
  });

  it('lists the failed action in the Problems panel at its BUILD file line', async function () {
    if (workbench === undefined) this.skip();
    const wb = workbench;
    await build('//fail:broken');
    assert.match(await statusAfterBuild('//fail:broken'), /build failed/);
    await wb.runCommand('View: Focus Problems');
    const rows = await pollUntil(
      async () => {
        const all = await wb.treeRows('workbench.panel.markers');
        return all.some((r) => r.includes('//fail:broken')) ? all : null;
      },
      { timeoutMs: 30_000, what: 'a Problems entry for //fail:broken' },
    );
    await wb.screenshot('problems-after-failing-build');
    // Opening the entry goes to the BUILD file that declares the failing target.
    await wb
      .container('workbench.panel.markers')
      .locator('.monaco-list-row', { hasText: '//fail:broken' })
      .first()
      .click();
    await wb.page
      .locator('.tabs-container .tab.active[aria-label^="BUILD"]')
      .waitFor({ state: 'visible', timeout: 30_000 });
    const buildFileLine =
      fs
        .readFileSync(path.join(workspace.dir, 'fail', 'BUILD'), 'utf8')
        .split('\n')
        .findIndex((l) => l.startsWith('genrule(')) + 1;
    const entry = rows.find((r) => r.includes('//fail:broken')) ?? '';
    assert.match(entry, new RegExp(`at line ${buildFileLine} and character`), rows.join('\n'));
    assert.ok(
      rows.some((r) => /problems? in file BUILD of folder fail/.test(r)),
      rows.join('\n'),
    );
  });

  it('reveals the BUILD file of a target at its rule, and opens a failed action’s output from BEP', async function () {
    if (workbench === undefined) this.skip();
    const wb = workbench;
    await wb.openViewContainer('Remote Build Lens');
    const newest = (await wb.treeRows(CONTAINER))[0] ?? '';
    if (!newest.startsWith('build //fail:broken')) {
      // Run alone (mocha --grep): make the failing build the newest, expanded one.
      await build('//fail:broken');
      assert.match(await statusAfterBuild('//fail:broken'), /build failed/);
    }
    // No editor open, so the BUILD tab and its cursor can only come from the command.
    await wb.runCommand('View: Close All Editors');
    await pollUntil(async () => (await wb.page.locator('.tabs-container .tab').count()) === 0, {
      timeoutMs: 10_000,
      what: 'every editor to close',
    });
    await wb.clickRowAction(CONTAINER, 'fail:broken', 'Reveal BUILD File');
    await wb.page
      .locator('.tabs-container .tab.active[aria-label^="BUILD"]')
      .waitFor({ state: 'visible', timeout: 30_000 });
    const ruleLine =
      fs
        .readFileSync(path.join(workspace.dir, 'fail', 'BUILD'), 'utf8')
        .split('\n')
        .findIndex((l) => l.startsWith('genrule(')) + 1;
    // The editor may show the position it restored for the file for a moment before the
    // command's selection applies: wait for the rule line, then check what is shown.
    let cursor: { line: number; column: number } | null = null;
    await pollUntil(
      async () => {
        cursor = await wb.cursorPosition();
        return cursor?.line === ruleLine && cursor.column === 1;
      },
      { timeoutMs: 10_000, what: `the cursor on line ${ruleLine}` },
    ).catch(() => undefined);
    assert.deepEqual(cursor, { line: ruleLine, column: 1 });

    // The failed Genrule's stderr came in BEP (Bazel 4.2.3 deletes the files): open it.
    await wb.clickRow(CONTAINER, 'fail:broken');
    await wb.container(CONTAINER).locator('.monaco-list-row[aria-label^="broken.txt"]').waitFor();
    // A read-only document named after the output, not an untitled file that asks to be saved.
    const outputTab = wb.page.locator('.tabs-container .tab.active[aria-label^="broken.txt.log"]');
    // The row may redraw under the pointer as the tree refreshes: click again until it opens.
    await pollUntil(
      async () => {
        await wb.clickRowAction(CONTAINER, 'broken.txt', 'Open Action Output');
        return outputTab
          .waitFor({ state: 'visible', timeout: 3000 })
          .then(() => true)
          .catch(() => false);
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'the action output tab' },
    );
    let shown = '';
    const text = await pollUntil(
      async () => {
        const t = await wb.activeEditorText();
        shown = t;
        // The BUILD file mentions the message too: wait for the output document itself.
        return t.includes('## stderr') ? t : null;
      },
      { timeoutMs: 30_000, what: 'the action output in an editor' },
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}; the editor shows: ${JSON.stringify(shown)}`);
    });
    assert.match(text.replace(/\s+/g, ' '), /## stderr broken: frobnicator not found in PATH/);
    await wb.screenshot('action-output');
  });

  it('shows bazel test results in the Test Explorer', async function () {
    if (workbench === undefined) this.skip();
    const wb = workbench;
    await wb.runCommand('Remote Build Lens: Test…');
    // fail_test fails on demand (see examples/workspace/tests/BUILD).
    await wb.answerQuickPick('Test which targets?', '--test_env=RBL_FAIL_TEST=1 //tests:all');
    assert.match(await statusAfterBuild('//tests:all', 'test'), /test failed/);
    await wb.openViewContainer('Testing');
    const rows = await pollUntil(
      async () => {
        const all = await wb.sideBarRows();
        return all.some((r) => r.includes('pass_test')) && all.some((r) => r.includes('fail_test'))
          ? all
          : null;
      },
      { timeoutMs: 30_000, what: 'both tests in the Test Explorer' },
    );
    await wb.screenshot('test-explorer-after-bazel-test');
    assert.ok(
      rows.some((r) => /\/\/tests:pass_test.*\(Passed\)/.test(r)),
      rows.join('\n'),
    );
    assert.ok(
      rows.some((r) => /\/\/tests:fail_test.*\(Failed\)/.test(r)),
      rows.join('\n'),
    );
  });

  it('re-runs a test target from the Test Explorer with Bazel', async function () {
    if (workbench === undefined) this.skip();
    const wb = workbench;
    await wb.openViewContainer('Testing');
    const sideBar = wb.page.locator('.part.sidebar');
    // Testing rows leave the item's name out of the aria-label: find the row by its text.
    const row = sideBar.locator('.monaco-list-row', { hasText: '//tests:pass_test' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.hover();
    await row.locator('.action-label[aria-label^="Run Test"]').first().click();
    const status = await statusAfterBuild('//tests:pass_test', 'test');
    assert.match(status, /test passed/);
    const rows = await pollUntil(
      async () => {
        const all = await wb.sideBarRows();
        return all.some((r) => /\/\/tests:pass_test.*\(Passed\)/.test(r)) ? all : null;
      },
      { timeoutMs: 30_000, what: 'pass_test passed again in the Test Explorer' },
    );
    await wb.screenshot('test-explorer-rerun');
    assert.ok(rows.length > 0);
  });

  it('keeps the builds across a reload of the window (read back from the history store)', async function () {
    if (workbench === undefined || browser === undefined || server === undefined) this.skip();
    await workbench.close();
    // A new page load is a new extension host: nothing survives but what was stored.
    workbench = await Workbench.open(browser, server, workspace.dir, extensionDir());
    const wb = workbench;
    await wb.openViewContainer('Remote Build Lens');
    const rows = await pollUntil(
      async () => {
        const all = await wb.treeRows(CONTAINER);
        return all.some((r) => r.startsWith('build //gen:all //cc:all') && r.includes('passed'))
          ? all
          : null;
      },
      { timeoutMs: 30_000, what: 'the stored invocations in the tree' },
    );
    assert.ok(rows.some((r) => r.startsWith('build //fail:broken') && r.includes('failed')));
    assert.equal(await wb.statusItemText(STATUS_ITEM), null, 'no build ran in this window yet');
    await wb.screenshot('tree-after-reload');
  });
});
