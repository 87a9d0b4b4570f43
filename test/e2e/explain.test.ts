// "Why did this miss?" in a real VS Code, on two real Bazel builds of examples/workspace: the
// second after gen/input.txt was edited. The report (a webview, so inside code-server's nested
// iframes) must name that file as the one root cause of the genrule chain's misses, and its link
// must open the file in the editor. Saves test-output/e2e/explain-report.png.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Frame } from 'playwright-core';
import {
  createWorkspace,
  requireBazel,
  scrubbedEnv,
  shutdownWorkspace,
  type Workspace,
} from '../helpers/bazel';
import { pollUntil } from '../helpers/poll-until';
import { HistoryStore } from '../../src/store/history-store';
import { launchBrowser } from './harness/browser';
import { startCodeServer, type CodeServer } from './harness/code-server';
import { repoRoot, requireRig } from './harness/rig';
import { Workbench } from './harness/workbench';

const CONTAINER = 'workbench.view.extension.remoteBuildLens';
const BUILD_TIMEOUT_MS = 240_000;
const MENU_ITEM = 'Why Did This Miss?';

function extensionDir(): string {
  return path.resolve(process.env.RBL_E2E_EXTENSION_DIR ?? repoRoot());
}

describe('"Why did this miss?" on real builds (real Bazel, real VS Code)', function () {
  let workspace: Workspace;
  let browser: Browser | undefined;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;

  before(async function () {
    const rig = requireRig(this);
    requireBazel();
    workspace = createWorkspace('explain');
    server = await startCodeServer(rig, { workspace: workspace.dir, env: scrubbedEnv() });
    browser = await launchBrowser(rig);
    workbench = await Workbench.open(browser, server, workspace.dir, extensionDir());
    await workbench.openViewContainer('Remote Build Lens');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && workbench !== undefined) {
      const name = (this.currentTest.title ?? 'test').replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      await workbench.screenshot(`failure-${name}`).catch(() => undefined);
    }
  });

  after(async () => {
    await workbench?.close();
    await browser?.close();
    await server?.stop();
    if (workspace) await shutdownWorkspace(workspace);
  });

  /** Builds `pattern` from the editor and waits until the store recorded build number `n`. */
  async function buildAndRecord(pattern: string, n: number): Promise<void> {
    if (workbench === undefined) throw new Error('no workbench');
    await workbench.runCommand('Remote Build Lens: Build…');
    await workbench.answerQuickPick('Build which targets?', pattern);
    const store = HistoryStore.forWorkspace(workspace.dir);
    await pollUntil(() => store.list().length >= n, {
      timeoutMs: BUILD_TIMEOUT_MS,
      intervalMs: 500,
      what: `build ${n} in the history store`,
    });
  }

  /** The frame of our report page, inside code-server's webview iframes. */
  async function reportFrame(): Promise<Frame> {
    if (workbench === undefined) throw new Error('no workbench');
    const page = workbench.page;
    return pollUntil(
      async () => {
        for (const frame of page.frames()) {
          if (frame === page.mainFrame()) continue;
          const heading = await frame
            .locator('h1')
            .first()
            .textContent({ timeout: 200 })
            .catch(() => null);
          if (heading?.startsWith('Why did')) return frame;
        }
        return null;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the report page in a webview frame' },
    );
  }

  it('names the edited source file as the root cause, on the invocation row', async function () {
    if (workbench === undefined) this.skip();
    const wb = workbench;
    await buildAndRecord('//gen:all', 1);
    fs.writeFileSync(path.join(workspace.dir, 'gen', 'input.txt'), 'edited by the explain test\n');
    await buildAndRecord('//gen:all', 2);
    const row = wb
      .container(CONTAINER)
      .locator('.monaco-list-row[aria-label^="build //gen:all"][aria-label*="passed"]')
      .first();
    await pollUntil(
      async () =>
        (await wb.treeRows(CONTAINER)).filter(
          (r) => r.startsWith('build //gen:all') && r.includes('passed'),
        ).length >= 2,
      {
        timeoutMs: 30_000,
        what: 'both builds in the tree',
      },
    );
    await row.click({ button: 'right' });
    await wb.page.locator('.monaco-menu .action-label', { hasText: MENU_ITEM }).first().click();

    const frame = await reportFrame();
    const heading = (await frame.locator('h1').textContent()) ?? '';
    const causes = await frame
      .locator('section.cause')
      .evaluateAll((els) =>
        els.map((e) => [
          e.getAttribute('data-kind') ?? '',
          (e.textContent ?? '').replace(/\s+/g, ' '),
        ]),
      );
    await wb.screenshot('explain-report');
    assert.equal(heading, 'Why did build //gen:all miss the cache?');
    assert.equal(causes.length, 1, JSON.stringify(causes));
    const [kind, text] = causes[0];
    assert.equal(kind, 'input');
    assert.match(text, /input changed: gen\/input\.txt/);
    // The chain step1 -> step2 -> step3 reran; //gen:constant stayed cached.
    assert.match(text, /Explains 3 actions/);
    assert.match(text, /gen\/step1\.txt.*gen\/step2\.txt.*gen\/step3\.txt/);
    assert.doesNotMatch(text, /constant\.txt/);

    // The cause's link opens the source file in the editor (a message the host checked).
    await frame.locator('a[data-open="gen/input.txt"]').click();
    await wb.page
      .locator('.tabs-container .tab[aria-label^="input.txt"]')
      .waitFor({ state: 'visible', timeout: 30_000 });
  });
});
