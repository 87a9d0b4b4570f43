// Test support: the real REAPI servers of the remote tier, started on loopback and stopped by pid.
//
// - bazel-remote (cache only; Go; v2.6.2) with a fresh --dir, plain, TLS or mTLS.
// - BuildGrid (execution; Python; 0.9.1) with in-memory CAS / action cache and its scheduler in
//   a private PostgreSQL cluster (BuildGrid 0.9 refuses SQLite for the scheduler), plus our own
//   workers (reapi-bot/) that take leases over the Remote Workers API and run the actions.
//
// Both are installed by scripts/install-remote-servers.sh into the git-ignored .tools/. A missing
// install is a loud failure, never a skip. Readiness is polled with the project's own REAPI
// GetCapabilities client (a server "answers" when that call succeeds), never a fixed sleep.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { testConnection, type ConnectionTestOptions } from '../../src/remote';
import { pollUntil } from './poll-until';

const INSTALL_HINT =
  'run `bash scripts/install-remote-servers.sh` (needs Go and Python 3.13 / PyPI)';

/** The repository root: the first ancestor (of RBL_REPO_ROOT, this file or the cwd) with our installer. */
export function remoteRepoRoot(): string {
  const starts = [process.env.RBL_REPO_ROOT, __dirname, process.cwd()].filter(
    (p): p is string => p !== undefined,
  );
  for (const start of starts) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      if (fs.existsSync(path.join(dir, 'scripts', 'install-remote-servers.sh'))) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(
    `cannot find the repository root (scripts/install-remote-servers.sh) from ${starts.join(', ')}`,
  );
}

/** The path of an installed tool under .tools/, or a loud error saying how to install it. */
export function requireTool(relative: string): string {
  const file = path.join(remoteRepoRoot(), '.tools', relative);
  if (!fs.existsSync(file))
    throw new Error(`${relative} is not installed at ${file}: ${INSTALL_HINT}`);
  return file;
}

/** A port the kernel just had free on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A child process whose output goes to a log file, with a pid-based stop. */
export class ServerProcess {
  private exited: Promise<void>;
  exitCode: number | null = null;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? 128 : null);
        resolve();
      }),
    );
  }

  static start(
    name: string,
    file: string,
    args: string[],
    options: { cwd: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number },
  ): ServerProcess {
    const logFile = path.join(options.cwd, `${name}.log`);
    const log = fs.openSync(logFile, 'a');
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', log, log],
      uid: options.uid,
      gid: options.gid,
    });
    fs.closeSync(log);
    return new ServerProcess(name, child, logFile);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} did not start`);
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines of the server's own output, for failure messages. */
  logTail(lines = 30): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** SIGTERM by pid, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    process.kill(this.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (this.running) process.kill(this.pid, 'SIGKILL');
    }, graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Polls GetCapabilities until it succeeds; fails at once when the process exits. */
async function waitForReapi(
  process_: ServerProcess,
  options: ConnectionTestOptions,
  timeoutMs: number,
): Promise<void> {
  let last = '';
  await pollUntil(
    async () => {
      if (!process_.running)
        throw new Error(
          `${process_.name} exited (${process_.exitCode}) before it answered:\n${process_.logTail()}`,
        );
      const result = await testConnection({ ...options, timeoutMs: 2000 });
      if (!result.ok) last = `${result.error.code}: ${result.error.message}`;
      return result.ok;
    },
    { timeoutMs, intervalMs: 100, what: `${process_.name} to answer GetCapabilities` },
  ).catch((err: unknown) => {
    throw new Error(`${String(err)} (last: ${last})\n${process_.logTail()}`);
  });
}

export interface TlsFiles {
  cert: string;
  key: string;
  /** CA whose client certificates the server requires (mTLS). */
  clientCa?: string;
}

export interface BazelRemoteOptions {
  tls?: TlsFiles;
  /** The CA a readiness check must trust when `tls` is set. */
  trustCa?: string;
  /** Client certificate for the readiness check of an mTLS server. */
  clientCert?: { cert: string; key: string };
  extraArgs?: string[];
}

export interface RunningBazelRemote {
  process: ServerProcess;
  /** grpc://127.0.0.1:PORT or grpcs://127.0.0.1:PORT. */
  grpcUrl: string;
  grpcPort: number;
  httpPort: number;
  dir: string;
  stop(): Promise<void>;
}

/** Starts bazel-remote on loopback with a fresh cache directory; resolves once it answers. */
export async function startBazelRemote(
  options: BazelRemoteOptions = {},
): Promise<RunningBazelRemote> {
  const binary = requireTool('bin/bazel-remote');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-bazel-remote-'));
  const grpcPort = await freePort();
  const httpPort = await freePort();
  const args = ['--dir', path.join(dir, 'cache'), '--max_size', '1']
    .concat(['--grpc_address', `127.0.0.1:${grpcPort}`, '--http_address', `127.0.0.1:${httpPort}`])
    .concat(['--access_log_level', 'all']);
  if (options.tls)
    args.push('--tls_cert_file', options.tls.cert, '--tls_key_file', options.tls.key);
  if (options.tls?.clientCa) args.push('--tls_ca_file', options.tls.clientCa);
  args.push(...(options.extraArgs ?? []));
  const server = ServerProcess.start('bazel-remote', binary, args, { cwd: dir });
  const grpcUrl = `${options.tls ? 'grpcs' : 'grpc'}://127.0.0.1:${grpcPort}`;
  const stop = async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForReapi(
      server,
      {
        endpoint: grpcUrl,
        tlsCa: options.tls ? options.trustCa : undefined,
        tlsCert: options.clientCert?.cert,
        tlsKey: options.clientCert?.key,
      },
      30_000,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { process: server, grpcUrl, grpcPort, httpPort, dir, stop };
}
