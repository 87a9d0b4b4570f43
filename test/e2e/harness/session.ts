// What every e2e file does around its cases: which extension it loads, a screenshot of the
// workbench when a case fails, and closing what it opened in the right order.
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { shutdownWorkspace, type Workspace } from '../../helpers/bazel';
import type { CodeServer } from './code-server';
import { repoRoot } from './rig';
import type { Workbench } from './workbench';

/** The extension under test: RBL_E2E_EXTENSION_DIR (a private build), else this repository. */
export function extensionDir(): string {
  return path.resolve(process.env.RBL_E2E_EXTENSION_DIR ?? repoRoot());
}

/** A mocha afterEach hook: `failure-<prefix><case title>.png` when the case failed. */
export function screenshotOnFailure(
  workbench: () => Workbench | undefined,
  prefix = '',
): (this: Mocha.Context) => Promise<void> {
  return async function (this: Mocha.Context) {
    const wb = workbench();
    if (this.currentTest?.state !== 'failed' || wb === undefined) return;
    const name = (this.currentTest.title ?? 'test').replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    await wb.screenshot(`failure-${prefix}${name}`).catch(() => undefined);
  };
}

/** Closes what a file opened, the page first and the Bazel servers last. */
export async function closeSession(parts: {
  workbench?: Workbench;
  browser?: Browser;
  server?: CodeServer;
  workspace?: Workspace;
}): Promise<void> {
  await parts.workbench?.close();
  await parts.browser?.close();
  await parts.server?.stop();
  if (parts.workspace) await shutdownWorkspace(parts.workspace);
}
