/**
 * activation: how long our extension takes to activate in the real VS Code (code-server from the
 * e2e rig, driven by Debian's Chromium), against an empty extension activated in the same window
 * by the same event. One code-server serves every run; each run opens a fresh window (a new
 * extension host) with ours in development mode (as the e2e tests load it) and the empty one
 * installed in the server's extensions dir, on a folder with a WORKSPACE file, where both extensions activate on
 * `workspaceContains:WORKSPACE`, and reads VS Code's own figures from "Developer: Show Running
 * Extensions": code loading + the activate() call, in whole milliseconds, as VS Code measures
 * them for every extension. Both sides are measured in every run, so they are interleaved.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage } from '../test/e2e/harness/browser';
import { startCodeServer, type CodeServer } from '../test/e2e/harness/code-server';
import { findRig, repoRoot } from '../test/e2e/harness/rig';
import { median, ratioInterval, round, type Interval } from './stats';

export interface ActivationOptions {
  runs: number;
  /** Folder with our extension's package.json and its webpack bundle (default: the repository). */
  extensionDir?: string;
}

export interface ActivationFigures {
  /** Our activation time in VS Code (code loading + activate()), median of the runs, ms. */
  ms: number;
  /** Ours / the empty extension's, median with 95 % interval (the empty one counted as >= 1 ms). */
  ratio: Interval;
  emptyMs: number;
  oursMs: number[];
  emptyMsRuns: number[];
  /** VS Code's activation clock counts whole milliseconds. */
  resolutionMs: number;
}

/** The e2e rig (code-server, Chromium) is not installed: no activation can be measured. */
export class RigMissingError extends Error {}

export const EMPTY_EXTENSION_ID = 'rbl-bench.empty-extension';
const OUR_EXTENSION_ID = 'remote-build-lens.remote-build-lens';

/**
 * Writes the empty extension (package.json + extension.js with an empty activate) into `dir`.
 * It activates on the same event as ours in a Bazel workspace, so both are measured alike.
 */
export function writeEmptyExtension(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const manifest = {
    name: 'empty-extension',
    publisher: 'rbl-bench',
    displayName: 'Empty extension (rbl bench)',
    version: '0.0.1',
    engines: { vscode: '^1.100.0' },
    main: './extension.js',
    activationEvents: ['workspaceContains:WORKSPACE'],
  };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  fs.writeFileSync(
    path.join(dir, 'extension.js'),
    "'use strict';\nexports.activate = function () {};\nexports.deactivate = function () {};\n",
  );
  return dir;
}

/**
 * The activation time of an extension from one row of the Running Extensions editor: its text
 * is e.g. `Startup Activation: 12ms` or `Activation: 3ms`; null while it says `Activating...`.
 */
export function parseActivationTime(text: string): number | null {
  const m = /(?:^|\s)(?:Startup )?Activation:\s*(\d+(?:\.\d+)?)\s*ms/.exec(text);
  return m?.[1] === undefined ? null : Number(m[1]);
}

/**
 * The development-mode URL that loads an extension folder into the window (the payload takes one
 * development path: with two, the last one wins).
 */
export function windowUrl(server: CodeServer, folder: string, extensionDir: string): string {
  const authority = `127.0.0.1:${server.port}`;
  const payload = [['extensionDevelopmentPath', `vscode-remote://${authority}${extensionDir}`]];
  return (
    `${server.origin}/?folder=${encodeURIComponent(folder)}` +
    `&payload=${encodeURIComponent(JSON.stringify(payload))}`
  );
}

/** Opens "Developer: Show Running Extensions" and waits until both extensions have a time. */
async function readActivationTimes(page: Page): Promise<{ ours: number; empty: number }> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input[type="text"]');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Developer: Show Running Extensions');
  await page
    .locator('.quick-input-widget .monaco-list-row', { hasText: 'Show Running Extensions' })
    .first()
    .waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  const deadline = Date.now() + 60_000;
  for (;;) {
    const rows = await page
      .locator('.runtime-extensions-editor .monaco-list-row')
      .evaluateAll((elements) =>
        elements.map((e) => ({
          name: e.querySelector('.name')?.textContent ?? '',
          time: e.querySelector('.activation-time')?.textContent ?? '',
        })),
      );
    const timeOf = (name: RegExp): number | null => {
      const row = rows.find((r) => name.test(r.name));
      return row ? parseActivationTime(row.time) : null;
    };
    const ours = timeOf(/^(Remote Build Lens|remote-build-lens\.remote-build-lens)$/);
    const empty = timeOf(/^(Empty extension \(rbl bench\)|rbl-bench\.empty-extension)$/);
    if (ours !== null && empty !== null) return { ours, empty };
    if (Date.now() > deadline) {
      throw new Error(
        `activation: no activation time for ${ours === null ? OUR_EXTENSION_ID : EMPTY_EXTENSION_ID} in Running Extensions after 60 s; rows: ${JSON.stringify(rows)}`,
      );
    }
    await page.waitForTimeout(250);
  }
}

/** The extension folder to measure: it must hold the webpack bundle its package.json names. */
function ourExtensionDir(options: ActivationOptions): string {
  const dir = path.resolve(options.extensionDir ?? process.env.RBL_E2E_EXTENSION_DIR ?? repoRoot());
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    main?: string;
  };
  const main = path.join(dir, manifest.main ?? 'dist/extension.js');
  if (!fs.existsSync(main)) {
    throw new Error(`activation: ${main} is missing: build the extension first (npm run build)`);
  }
  return dir;
}

export async function runActivationBench(
  options: ActivationOptions,
  log: (line: string) => void,
): Promise<ActivationFigures> {
  const rig = findRig();
  if (!('dir' in rig)) {
    throw new RigMissingError(
      `activation: the real VS Code is missing (${rig.missing.join(', ')}); install it with: bash scripts/install-vscode-rig.sh`,
    );
  }
  const extensionDir = ourExtensionDir(options);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-bench-activation-'));
  // Installed the way VS Code lays out an extensions dir: one folder per publisher.name-version.
  const extensionsDir = path.join(scratch, 'extensions');
  writeEmptyExtension(path.join(extensionsDir, `${EMPTY_EXTENSION_ID}-0.0.1`));
  // A Bazel workspace that never builds anything: both extensions activate on its WORKSPACE.
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace);
  fs.writeFileSync(path.join(workspace, 'WORKSPACE'), '');
  let browser: Browser | undefined;
  let server: CodeServer | undefined;
  try {
    browser = await launchBrowser(rig);
    server = await startCodeServer(rig, { workspace, extensionsDir });
    const ours: number[] = [];
    const emptyRuns: number[] = [];
    for (let run = 0; run < options.runs; run++) {
      const page = await newPage(browser);
      try {
        await page.goto(windowUrl(server, workspace, extensionDir), {
          waitUntil: 'domcontentloaded',
        });
        await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
        const times = await readActivationTimes(page);
        ours.push(times.ours);
        emptyRuns.push(times.empty);
        log(`activation run ${run + 1}: ours ${times.ours} ms, empty ${times.empty} ms`);
      } finally {
        await page.context().close();
      }
    }
    // VS Code counts whole milliseconds: an empty activate() often reads 0.
    const ratio = ratioInterval(
      ours,
      emptyRuns.map((ms) => Math.max(1, ms)),
    );
    return {
      ms: median(ours),
      ratio: {
        ...ratio,
        median: round(ratio.median, 2),
        low: round(ratio.low, 2),
        high: round(ratio.high, 2),
      },
      emptyMs: median(emptyRuns),
      oursMs: ours,
      emptyMsRuns: emptyRuns,
      resolutionMs: 1,
    };
  } finally {
    await browser?.close();
    await server?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
