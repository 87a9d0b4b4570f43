// Workspace Trust (issue 10): with trust enabled (the rig turns it off for every other case), an
// untrusted folder opens in Restricted Mode and the extension starts nothing there: no Bazel (a
// `bazel` shim set as the Bazel path records every call), no query, and no sink (the extension host
// listens on no port). The Builds view says so; a build command refuses. Once the user trusts
// the folder through the view's own link, a build runs and passes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import {
  createWorkspace,
  requireBazel,
  runRoot,
  scrubbedEnv,
  type Workspace,
} from '../helpers/bazel';
import { pollUntil } from '../helpers/poll-until';
import { launchBrowser } from './harness/browser';
import { sleep, startCodeServer, type CodeServer } from './harness/code-server';
import { requireRig } from './harness/rig';
import { Workbench } from './harness/workbench';
import { closeSession, extensionDir, screenshotOnFailure } from './harness/session';

const CONTAINER = 'workbench.view.extension.remoteBuildLens';
const STATUS_ITEM = 'remote-build-lens.remote-build-lens.remoteBuildLens.status';

/** A directory with a `bazel` that appends its arguments to `calls` and runs the real one. */
function bazelShim(realBazel: string): { script: string; calls: string } {
  const dir = fs.mkdtempSync(path.join(runRoot(), 'trust-shim-'));
  const calls = path.join(dir, 'calls.log');
  const script = path.join(dir, 'bazel');
  fs.writeFileSync(
    script,
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${calls}'\nexec '${realBazel}' "$@"\n`,
    { mode: 0o755 },
  );
  return { script, calls };
}

/** Pids whose process group is `pgid` (code-server leads its own group: server + hosts). */
function groupPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name: state ppid pgrp ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** TCP ports the given processes listen on (their socket inodes matched in /proc/net/tcp*). */
function listeningPorts(pids: number[]): number[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match?.[1] !== undefined) inodes.add(match[1]);
      } catch {
        // Closed while we looked.
      }
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let rows: string[];
    try {
      rows = fs.readFileSync(table, 'utf8').split('\n').slice(1);
    } catch {
      continue;
    }
    for (const row of rows) {
      const cols = row.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT; st 0A is LISTEN; the inode is column 10.
      if (cols[3] === '0A' && cols[9] !== undefined && inodes.has(cols[9])) {
        ports.push(parseInt(cols[1]?.split(':')[1] ?? '0', 16));
      }
    }
  }
  return ports;
}

/** A Bazel client (argv[0] is bazel or the shim) or server (its jar), not a path naming bazel. */
function isBazel(commandLine: string): boolean {
  // The first two words: `/bin/sh .../bazel` while the shim runs, then `/usr/bin/bazel ...`.
  const [argv0 = '', argv1 = ''] = commandLine.split(' ');
  return (
    [argv0, argv1].some((a) => path.basename(a) === 'bazel') || /A-server\.jar/.test(commandLine)
  );
}

function extensionHostPids(server: CodeServer): number[] {
  return groupPids(server.pid).filter((pid) => /extensionHost/.test(cmdline(pid)));
}

describe('Workspace Trust: nothing runs in Restricted Mode (real VS Code, real Bazel)', function () {
  let workspace: Workspace;
  let shim: { script: string; calls: string };
  let browser: Browser | undefined;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;

  before(async function () {
    const rig = requireRig(this);
    shim = bazelShim(requireBazel());
    workspace = createWorkspace('trust');
    server = await startCodeServer(rig, {
      workspace: workspace.dir,
      workspaceTrust: true,
      // Bazel gets the harness's scrubbed environment (private HOME) through the extension host.
      env: scrubbedEnv(),
      // A user setting (workspace values of it are ignored in Restricted Mode): the extension
      // host's PATH comes from a login shell, so a shim first on PATH would not be seen.
      settings: { 'remoteBuildLens.bazelPath': shim.script },
    });
    browser = await launchBrowser(rig);
    workbench = await Workbench.open(browser, server, workspace.dir, extensionDir());
  });

  afterEach(screenshotOnFailure(() => workbench, 'trust-'));

  after(() => closeSession({ workbench, browser, server, workspace }));

  it('starts no Bazel, query or sink until the folder is trusted, then builds', async function () {
    if (workbench === undefined || server === undefined) this.skip();
    const wb = workbench;
    const srv = server;
    await wb.openViewContainer('Remote Build Lens');
    await wb.welcomeText(CONTAINER, /Restricted Mode/);
    const welcome = wb.container(CONTAINER).locator('.welcome-view-content');

    // The build command refuses (before its pickers, whose query would run Bazel too).
    await wb.runCommand('Remote Build Lens: Build…');
    await wb.page
      .locator('.notifications-toasts .notification-toast', { hasText: 'Restricted Mode' })
      .first()
      .waitFor({ state: 'visible' });
    // The extension host is up (it answered the command); give anything it might start a moment.
    await sleep(3000);
    const hosts = extensionHostPids(srv);
    assert.ok(hosts.length > 0, 'no extension host process found in the code-server group');
    assert.ok(!fs.existsSync(shim.calls), `Bazel ran in Restricted Mode:\n${readCalls(shim)}`);
    const bazelInGroup = groupPids(srv.pid).filter((pid) => isBazel(cmdline(pid)));
    assert.deepEqual(bazelInGroup, [], 'a bazel process under code-server in Restricted Mode');
    assert.deepEqual(listeningPorts(hosts), [], 'the extension host listens on a port (a sink?)');
    await wb.screenshot('trust-restricted');

    // Trust through the view's own link, then the Workspace Trust editor's button.
    await wb.page.keyboard.press('Escape');
    // A link alone on its line is drawn as a button.
    await welcome.locator('.monaco-button, a', { hasText: 'Trust Folder' }).first().click();
    const trustButton = wb.page
      .locator('.workspace-trust-editor .monaco-button', { hasText: /^\s*Trust( Folder)?\s*$/ })
      .first();
    await trustButton.waitFor({ state: 'visible' });
    await trustButton.click();
    await wb.welcomeText(CONTAINER, /No builds yet/);

    await wb.runCommand('Remote Build Lens: Build…');
    await wb.answerQuickPick('Build which targets?', '//gen:all');
    const status = await pollUntil(
      async () => {
        const label = await wb.statusItemLabel(STATUS_ITEM);
        return label !== null &&
          label.includes('bazel build //gen:all') &&
          !label.includes('sync~spin') &&
          /passed|failed/.test(label)
          ? label
          : null;
      },
      { timeoutMs: 240_000, intervalMs: 250, what: 'the trusted build to finish' },
    );
    assert.match(status, /passed/);
    assert.match(readCalls(shim), /build/, 'the build did not go through the configured Bazel');
    await wb.screenshot('trust-trusted-build');
  });
});

function readCalls(shim: { calls: string }): string {
  try {
    return fs.readFileSync(shim.calls, 'utf8');
  } catch {
    return '';
  }
}
