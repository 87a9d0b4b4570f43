// Runs mocha tests inside the real extension host of code-server (extension development mode),
// the way @vscode/test-electron does on machines that can download VS Code.
import * as fs from 'node:fs';
import { format } from 'node:util';
import type { Browser } from 'playwright-core';
import { newPage } from './browser';
import type { CodeServer } from './code-server';

export interface HostTestRun {
  /** 0 when the tests entry's run() resolved, 1 when it rejected; 124 on timeout. */
  exitCode: number;
  /** Everything the page logged through codeAutomationLog: mocha's report among workbench lines. */
  log: string;
}

export interface HostTestOptions {
  /** Folder with the extension's package.json (the development copy). */
  extensionDir: string;
  /** CommonJS file exporting `run(): Promise<void>`. */
  testsEntry: string;
  /** Folder the workbench opens. */
  workspace: string;
  timeoutMs?: number;
  /** Where to save a screenshot of the workbench when the tests fail or time out. */
  screenshotOnFailure?: string;
}

/** The development-mode URL. Payload paths must be vscode-remote:// URIs on the page's authority. */
export function developmentUrl(server: CodeServer, options: HostTestOptions): string {
  const authority = `127.0.0.1:${server.port}`;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${authority}${options.extensionDir}`],
    ['extensionTestsPath', `vscode-remote://${authority}${options.testsEntry}`],
  ];
  return (
    `${server.origin}/?folder=${encodeURIComponent(options.workspace)}` +
    `&payload=${encodeURIComponent(JSON.stringify(payload))}`
  );
}

export async function runHostTests(
  browser: Browser,
  server: CodeServer,
  options: HostTestOptions,
): Promise<HostTestRun> {
  for (const p of [options.extensionDir, options.testsEntry, options.workspace]) {
    if (!fs.existsSync(p)) throw new Error(`${p} does not exist (compile first)`);
  }
  const page = await newPage(browser);
  const lines: string[] = [];
  let finish: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (finish = resolve));
  // Both must exist on window before the workbench loads: it looks for them at start.
  await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown) => {
    // args is a console call's argument list, format string first (mocha prints '%d passing').
    lines.push(format(...(Array.isArray(args) ? args : [args])));
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
  const timeoutMs = options.timeoutMs ?? 180_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<number>((resolve) => {
    timer = setTimeout(() => resolve(124), timeoutMs);
  });
  try {
    await page.goto(developmentUrl(server, options), { waitUntil: 'domcontentloaded' });
    // A wrong payload URI hangs rather than fails, hence the race with a timeout.
    const exitCode = await Promise.race([exited, timedOut]);
    if (exitCode === 124) lines.push(`no codeAutomationExit within ${timeoutMs} ms`);
    if (exitCode !== 0 && options.screenshotOnFailure) {
      await page.screenshot({ path: options.screenshotOnFailure }).catch(() => undefined);
    }
    return { exitCode, log: lines.join('\n') };
  } finally {
    clearTimeout(timer);
    await page.context().close();
  }
}
