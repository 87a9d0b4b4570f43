// The Build Insights webview in a real VS Code with the real Bazel: a finished build with mixed
// locations (disk-cache hits beside local actions) and its pictures, then a build whose target
// names, output file names, progress messages and stderr carry HTML and script-looking text
// (issue 10 item 6): it must show as text in the panel and in the tree, create no element and run
// nothing. Bazel 4.2.3 accepts `<`, `>`, spaces, `=`, quotes and backticks in target names.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Frame } from 'playwright-core';
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

/** Each payload sets its own global if it ever runs, so a failure names the way in. */
const TARGET = '<img src=x onerror=window.rblPwned=1> "dq" `bt`';
const OUTPUT = '<img src=x onerror=window.rblPwned=2> "dq" `bt`.txt';
const MESSAGE = `Writing <img src=x onerror=window.rblPwned=3> 'sq' "dq" \`bt\``;
const FAILING = "fail <img src=x onerror=window.rblPwned=4> 'sq'";
const STDERR = '<img src=x onerror=window.rblPwned=5> "dq" `bt`';

/** Starlark string literal (JSON's escaping is valid Starlark for these characters). */
const star = (s: string): string => JSON.stringify(s);

function writeHostilePackage(workspace: Workspace): void {
  const dir = path.join(workspace.dir, 'xss');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'BUILD'),
    [
      '# Names and messages that look like HTML and script (test/e2e/insights.test.ts).',
      'genrule(',
      `    name = ${star(TARGET)},`,
      `    outs = [${star(OUTPUT)}],`,
      // The slowest step, so it is the critical path even though the other target fails.
      `    cmd = "sleep 2; echo hi > '$@'",`,
      `    message = ${star(MESSAGE)},`,
      ')',
      'genrule(',
      `    name = ${star(FAILING)},`,
      '    outs = ["fail.txt"],',
      `    cmd = ${star(`printf '%s\\n' ${shellQuote(STDERR)} >&2; exit 3`)},`,
      ')',
      '',
    ].join('\n'),
  );
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The insights page's frame: the inner `active-frame` of a webview whose document is ours. */
async function insightsFrame(wb: Workbench): Promise<Frame> {
  return pollUntil(
    async () => {
      for (const frame of wb.page.frames()) {
        if (frame.name() !== 'active-frame' && !frame.url().includes('fake.html')) continue;
        const ours = await frame
          .evaluate<boolean>(
            "document.title === 'Build Insights' && !!document.getElementById('app')",
          )
          .catch(() => false);
        if (ours) return frame;
      }
      return null;
    },
    { timeoutMs: 60_000, what: 'the Build Insights webview frame' },
  );
}

interface PageState {
  title: string;
  summary: string;
  running: boolean;
  text: string;
  segments: string[];
  criticalPath: string[];
  failed: string[];
  historyBars: number;
  historyTitle: string;
  healthyLabel: string;
  tableRows: number;
  imgCount: number;
  pwned: unknown;
  csp: string;
  scriptNonces: string[];
}

/**
 * Reads the page in its own frame. A string, because this project compiles without the DOM
 * library (the code runs in Chromium, not in Node).
 */
const PAGE_STATE = `(() => {
  const all = (selector) => [...document.querySelectorAll(selector)];
  const section = (title) => all('section').find((s) => s.querySelector('h2')?.textContent === title);
  return {
    title: document.querySelector('h1')?.textContent ?? '',
    summary: document.querySelector('header .summary')?.textContent ?? '',
    running: !!document.querySelector('header .summary.running'),
    text: document.body.innerText,
    segments: all('.bar .segment').map((s) => s.dataset.location ?? ''),
    criticalPath: all('.critical-path li .what').map((e) => e.textContent ?? ''),
    failed: [...(section('Failed actions')?.querySelectorAll('tbody td') ?? [])].map((e) => e.textContent ?? ''),
    historyBars: all('svg.history rect.wall').length,
    historyTitle: document.querySelector('svg.history > title')?.textContent ?? '',
    healthyLabel: document.querySelector('svg.history .healthy-label')?.textContent ?? '',
    tableRows: all('details table tbody tr').length,
    imgCount: all('img').length,
    pwned: window.rblPwned,
    csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
    // The nonce attribute is hidden from the DOM after load; the property keeps it.
    scriptNonces: all('script').map((s) => s.nonce),
  };
})()`;

async function pageState(frame: Frame): Promise<PageState> {
  return frame.evaluate<PageState>(PAGE_STATE);
}

describe('Build Insights panel (real Bazel, real VS Code)', function () {
  let workspace: Workspace;
  let browser: Browser | undefined;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;

  before(async function () {
    const rig = requireRig(this);
    requireBazel();
    workspace = createWorkspace('insights');
    writeHostilePackage(workspace);
    const diskCache = path.join(runRoot(), 'insights-disk-cache');
    server = await startCodeServer(rig, {
      workspace: workspace.dir,
      env: scrubbedEnv(),
      settings: {
        'remoteBuildLens.extraFlags': [
          ...gateArgs(workspace),
          `--disk_cache=${diskCache}`,
          '--keep_going',
        ],
      },
    });
    browser = await launchBrowser(rig);
    workbench = await Workbench.open(browser, server, workspace.dir, extensionDir());
    await workbench.openViewContainer('Remote Build Lens');
  });

  afterEach(screenshotOnFailure(() => workbench, 'insights-'));

  after(() => closeSession({ workbench, browser, server, workspace }));

  async function build(pattern: string): Promise<string> {
    if (workbench === undefined) throw new Error('no workbench');
    const wb = workbench;
    await wb.runCommand('Remote Build Lens: Build…');
    await wb.answerQuickPick('Build which targets?', pattern);
    return pollUntil(
      async () => {
        const label = await wb.statusItemLabel(STATUS_ITEM);
        return label !== null &&
          label.includes(`bazel build ${pattern}`) &&
          !label.includes('sync~spin') &&
          !label.includes('locations pending') &&
          /passed|failed/.test(label)
          ? label
          : null;
      },
      { timeoutMs: BUILD_TIMEOUT_MS, intervalMs: 250, what: `bazel build ${pattern} to finish` },
    );
  }

  it('pictures a finished build with disk-cache hits and local actions, and the history', async function () {
    if (workbench === undefined) this.skip();
    const wb = workbench;
    assert.match(await build('//gen:all'), /passed/);
    const clean = await runBazel(workspace, ['clean']);
    assert.equal(clean.exitCode, 0, clean.stderr);
    assert.match(await build('//gen:all //cc:all'), /passed/);
    await wb.runCommand('Remote Build Lens: Show Build Insights');
    const frame = await insightsFrame(wb);
    const state = await pollUntil(
      async () => {
        const s = await pageState(frame);
        return s.title === 'build //gen:all //cc:all' && s.historyBars >= 2 ? s : null;
      },
      { timeoutMs: 30_000, what: 'the insights of build //gen:all //cc:all' },
    );
    await wb.screenshot('insights');
    assert.ok(state.segments.includes('disk-cache'), state.segments.join());
    assert.ok(state.segments.includes('local'), state.segments.join());
    assert.ok(!state.segments.includes('pending'), state.segments.join());
    // Bazel 4.2.3's critical path of a C++ build: compiling and linking cc/hello.
    assert.ok(
      state.criticalPath.some((s) => s.startsWith('Linking cc/')),
      state.criticalPath.join('\n'),
    );
    assert.equal(state.historyTitle, 'Remote cache hit rate and wall time per build');
    assert.match(state.healthyLabel, /80%.*healthy/);
    assert.equal(state.tableRows, state.historyBars);
    assert.match(state.text, /Slowest actions/);
    // Strict CSP with a nonce, and the page's script carries that nonce.
    const nonce = /script-src 'nonce-([^']+)'/.exec(state.csp)?.[1];
    assert.ok(nonce, state.csp);
    assert.match(state.csp, /default-src 'none'/);
    assert.doesNotMatch(state.csp, /unsafe-inline|unsafe-eval/);
    assert.ok(state.scriptNonces.includes(nonce), state.scriptNonces.join());
  });

  it('shows target names, file names, messages and stderr that look like HTML as text (issue 10)', async function () {
    if (workbench === undefined) this.skip();
    const wb = workbench;
    assert.match(await build('//xss:all'), /build failed/);
    // The panel follows the newest build.
    const frame = await insightsFrame(wb);
    const state = await pollUntil(
      async () => {
        const s = await pageState(frame);
        return s.title === 'build //xss:all' && s.failed.length > 0 ? s : null;
      },
      { timeoutMs: 30_000, what: 'the insights of build //xss:all' },
    );
    assert.ok(state.segments.includes('failed'), state.segments.join());
    // Verbatim as text: the progress message on the critical path, the failing target's label
    // and its stderr or failure message (which quotes the command with the payload).
    // Bazel appends the label to a genrule's message.
    assert.ok(
      state.criticalPath.includes(`${MESSAGE} //xss:${TARGET}`),
      state.criticalPath.join('\n'),
    );
    assert.ok(state.failed.includes(`xss:${FAILING}`), state.failed.join('\n'));
    assert.ok(
      state.failed.some((cell) => cell.includes('<img src=x onerror=window.rblPwned=')),
      state.failed.join('\n'),
    );
    assert.equal(state.imgCount, 0, 'no <img> element was created in the panel');
    assert.equal(state.pwned, undefined, 'no payload ran in the panel');

    // The tree: the hostile target's row and, inside it, its output file's row, as text.
    const rows = await pollUntil(
      async () => {
        const all = await wb.treeRows(CONTAINER);
        return all.some((r) => r.includes(`xss:${TARGET}`)) ? all : null;
      },
      { timeoutMs: 30_000, what: 'the hostile target row in the tree' },
    );
    await wb
      .container(CONTAINER)
      .locator('.monaco-list-row')
      .filter({ hasText: `xss:${TARGET}` })
      .first()
      .click();
    const expanded = await pollUntil(
      async () => {
        const all = await wb.treeRows(CONTAINER);
        return all.some((r) => r.startsWith(OUTPUT)) ? all : null;
      },
      { timeoutMs: 30_000, what: 'the hostile output file row in the tree' },
    );
    await wb.screenshot('insights-escaping');
    // The action row's tooltip (Markdown in the tree) shows the whole label as text too: tags,
    // quotes and backticks (rows.ts escapes build strings; the checks below cover every element).
    await wb
      .container(CONTAINER)
      .locator(`.monaco-list-row[aria-label^="${OUTPUT.slice(0, 20)}"]`)
      .first()
      .hover();
    const hover = await pollUntil(
      async () => {
        const texts = await wb.page
          .locator('.workbench-hover, .monaco-hover')
          .evaluateAll((els) => els.map((e) => e.textContent ?? ''));
        return texts.find((t) => t.includes('Genrule')) ?? null;
      },
      { timeoutMs: 15_000, what: "the output row's tooltip" },
    );
    assert.ok(hover.includes(`//xss:${TARGET}`), hover);
    assert.ok(hover.includes(OUTPUT), hover);
    const texts = await wb
      .container(CONTAINER)
      .locator('.monaco-list-row')
      .evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    assert.ok(
      texts.some((t) => t.includes(OUTPUT)),
      texts.join('\n'),
    );
    assert.ok(
      rows.some((r) => r.includes(`xss:${FAILING}`)),
      rows.join('\n'),
    );
    assert.equal(
      await wb.page.locator('img[src="x"]').count(),
      0,
      'no <img src=x> in the workbench',
    );
    assert.equal(
      await wb.page.evaluate<unknown>('window.rblPwned'),
      undefined,
      'no payload ran in the workbench',
    );
    assert.ok(expanded.length > rows.length);
  });
  it('opens on an older build from its row, and follows the newest again from the page', async function () {
    if (workbench === undefined) this.skip();
    const wb = workbench;
    await wb.chooseFromContextMenu(
      wb
        .container(CONTAINER)
        .locator('.monaco-list-row[aria-label^="build //gen:all //cc:all"]')
        .first(),
      'Show Build Insights',
    );
    const frame = await insightsFrame(wb);
    const title = async (): Promise<string> => (await pageState(frame)).title;
    await pollUntil(async () => (await title()) === 'build //gen:all //cc:all', {
      timeoutMs: 30_000,
      what: 'the panel on the build picked in the tree',
    });
    // The page asks the host to follow the newest build (a checked protocol message).
    await frame.locator('button', { hasText: 'Follow the newest build' }).click();
    await pollUntil(async () => (await title()) === 'build //xss:all', {
      timeoutMs: 30_000,
      what: 'the panel back on the newest build',
    });
    // A bar of the history chart picks its build.
    await frame.locator('svg.history rect.wall').first().click();
    await pollUntil(async () => (await title()) === 'build //gen:all', {
      timeoutMs: 30_000,
      what: 'the panel on the oldest build picked in the chart',
    });
  });
  it('follows a running build live while the gate holds it, then shows its result', async function () {
    if (workbench === undefined) this.skip();
    const wb = workbench;
    fs.rmSync(workspace.gateFile, { force: true });
    fs.rmSync(`${workspace.gateFile}.reached`, { force: true });
    await wb.runCommand('Remote Build Lens: Build…');
    await wb.answerQuickPick('Build which targets?', '//gate:after_gate');
    await pollUntil(() => fs.existsSync(`${workspace.gateFile}.reached`), {
      timeoutMs: BUILD_TIMEOUT_MS,
      what: 'the gate action to start',
    });
    // From the palette the panel follows the newest build again (the last case picked one).
    await wb.runCommand('Remote Build Lens: Show Build Insights');
    const frame = await insightsFrame(wb);
    const held = await pollUntil(
      async () => {
        const s = await pageState(frame);
        return s.title === 'build //gate:after_gate' && s.running ? s : null;
      },
      { timeoutMs: 30_000, what: 'the running build in the panel' },
    );
    assert.match(held.summary, /running/);
    fs.writeFileSync(workspace.gateFile, 'open\n');
    // No reopening: the panel redraws by itself when the build ends.
    const done = await pollUntil(
      async () => {
        const s = await pageState(frame);
        return s.title === 'build //gate:after_gate' && !s.running && /passed/.test(s.summary)
          ? s
          : null;
      },
      { timeoutMs: BUILD_TIMEOUT_MS, what: 'the finished build in the panel' },
    );
    assert.ok(done.criticalPath.length > 0, 'the critical path arrived with the build end');
    assert.ok(done.historyBars > held.historyBars, 'the finished build joined the history');
  });
});
