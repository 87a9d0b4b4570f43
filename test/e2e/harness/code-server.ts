// Starts code-server (VS Code's server and web workbench) for a test run: a free port on
// 127.0.0.1, fresh user-data and extensions dirs, its own process group so teardown ends the
// server, its extension hosts and watchers together. One server serves many cases.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Rig } from './rig';

export interface CodeServer {
  port: number;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** Process id, which is also the process group id. */
  pid: number;
  extensionsDir: string;
  userDataDir: string;
  logFile: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Folder the workbench opens. */
  workspace: string;
  /** Extensions dir (default: a fresh empty one). */
  extensionsDir?: string;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** Extra environment for the server and so its extension hosts (e.g. where host tests report). */
  env?: Record<string, string>;
  /**
   * Workspace Trust on (default off, as the rig's settings have it): the folder opens in
   * Restricted Mode without the startup prompt, until a test trusts it.
   */
  workspaceTrust?: boolean;
}

/** Settings that keep the workbench quiet and deterministic: no welcome page, tips or network. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
};

export async function startCodeServer(rig: Rig, options: StartOptions): Promise<CodeServer> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-code-server-'));
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(root, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...trustSettings(options), ...options.settings }, null, 2),
  );
  const port = await freePort();
  const logFile = path.join(root, 'code-server.log');
  const log = fs.openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      rig.codeServerEntry,
      '--auth=none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.workspaceTrust === true ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      `--bind-addr=127.0.0.1:${port}`,
      `--user-data-dir=${userDataDir}`,
      `--extensions-dir=${extensionsDir}`,
      options.workspace,
    ],
    {
      // detached: a new process group led by the server, so one signal reaches every child.
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, ...rigEnv(rig), ...options.env },
    },
  );
  fs.closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start');
  let exited = false;
  child.on('exit', () => (exited = true));
  const origin = `http://127.0.0.1:${port}`;
  const server: CodeServer = {
    port,
    origin,
    pid,
    extensionsDir,
    userDataDir,
    logFile,
    stop: () => stopGroup(pid, () => exited),
  };
  const deadline = Date.now() + 60_000;
  while (!(await healthy(origin))) {
    if (exited || Date.now() > deadline) {
      await server.stop();
      throw new Error(
        `code-server did not answer on ${origin}/healthz; last log lines:\n${tail(logFile)}`,
      );
    }
    await sleep(200);
  }
  return server;
}

function trustSettings(options: StartOptions): Record<string, unknown> {
  return options.workspaceTrust === true
    ? {
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.emptyWindow': false,
      }
    : {};
}

/**
 * The environment code-server and its CLI need: its config under the rig, not ~/.config, and
 * an empty extension gallery (no marketplace is reachable; without it the workbench logs lookup
 * errors into every test log).
 */
export function rigEnv(rig: Rig): Record<string, string> {
  return {
    XDG_CONFIG_HOME: path.join(rig.dir, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(rig.dir, 'xdg', 'data'),
    EXTENSIONS_GALLERY: '{}',
  };
}

/** TERM to the whole group, KILL after a grace period; never by process name. */
async function stopGroup(pid: number, exited: () => boolean): Promise<void> {
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-pid, s);
    } catch {
      // The group is already gone.
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + 10_000;
  while (!exited() && Date.now() < deadline) await sleep(100);
  signal('SIGKILL');
}

async function healthy(origin: string): Promise<boolean> {
  try {
    const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
