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
import { ReapiBot } from './reapi-bot/bot';

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

/** Polls GetCapabilities until the server answers; fails at once when the process exits. */
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
      // An auth refusal is an answer too: the server is up (e.g. bazel-remote with --htpasswd_file).
      return result.ok || ['unauthenticated', 'permission-denied'].includes(result.error.code);
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

/** Finds a PostgreSQL server program (Debian keeps them under /usr/lib/postgresql/N/bin). */
function postgresProgram(name: 'initdb' | 'postgres'): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, name);
    if (dir !== '' && fs.existsSync(file)) return file;
  }
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).sort().reverse() : [];
  for (const v of versions) {
    const file = path.join(base, v, 'bin', name);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(
    `PostgreSQL's ${name} is not installed (BuildGrid's scheduler needs it): ${INSTALL_HINT}`,
  );
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` user. */
function postgresIds(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root but there is no postgres user to run PostgreSQL as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function runToEnd(
  file: string,
  args: string[],
  options: { cwd: string; uid?: number; gid?: number },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(file)} ${args[0]} exited ${code}:\n${output}`)),
    );
  });
}

interface RunningPostgres {
  process: ServerProcess;
  connectionString: string;
}

/** A private PostgreSQL cluster in `dir`, reachable only through a unix socket there. */
async function startPostgres(dir: string): Promise<RunningPostgres> {
  const ids = postgresIds();
  const data = path.join(dir, 'pgdata');
  const sockets = path.join(dir, 'pgsock');
  fs.chmodSync(dir, 0o755);
  for (const d of [data, sockets]) {
    fs.mkdirSync(d, { mode: 0o700 });
    if (ids.uid !== undefined) fs.chownSync(d, ids.uid, ids.gid ?? ids.uid);
  }
  await runToEnd(
    postgresProgram('initdb'),
    ['-D', data, '-A', 'trust', '-U', 'bgd', '--no-sync', '-E', 'UTF8'],
    { cwd: dir, ...ids },
  );
  const port = await freePort();
  const server = ServerProcess.start(
    'postgres',
    postgresProgram('postgres'),
    ['-D', data, '-k', sockets, '-p', String(port), '-c', 'listen_addresses=', '-c', 'fsync=off'],
    { cwd: dir, ...ids },
  );
  const socket = path.join(sockets, `.s.PGSQL.${port}`);
  await pollUntil(
    () => {
      if (!server.running)
        throw new Error(`postgres exited (${server.exitCode}):\n${server.logTail()}`);
      return fs.existsSync(socket) && /ready to accept connections/.test(server.logTail(100));
    },
    { timeoutMs: 30_000, what: 'postgres to accept connections' },
  );
  return {
    process: server,
    connectionString: `postgresql+psycopg://bgd@/postgres?host=${sockets}&port=${port}`,
  };
}

export interface BuildGridOptions {
  /** The one instance the server hosts (Bazel's --remote_instance_name); default `main`. */
  instanceName?: string;
  /** How many of our workers take actions (default 2). 0 starts none. */
  bots?: number;
}

export interface RunningBuildGrid {
  process: ServerProcess;
  grpcUrl: string;
  instanceName: string;
  bots: ReapiBot[];
  /** Actions our workers ran, summed over all of them. */
  executed(): number;
  stop(): Promise<void>;
}

function buildGridConfig(port: number, connectionString: string, instanceName: string): string {
  // YAML with BuildGrid's custom tags: in-memory CAS and action cache, the SQL scheduler.
  return [
    'server:',
    '  - !channel',
    `    address: "127.0.0.1:${port}"`,
    '    insecure-mode: true',
    'authorization:',
    '  method: none',
    'monitoring:',
    '  enabled: false',
    'connections:',
    '  - !sql-connection &sql',
    `    connection-string: ${JSON.stringify(connectionString)}`,
    'storages:',
    '  - !lru-storage &storage',
    '    size: 512M',
    'caches:',
    '  - !lru-action-cache &cache',
    '    storage: *storage',
    '    max-cached-refs: 4096',
    '    allow-updates: true',
    '    cache-failed-actions: false',
    'schedulers:',
    '  - !sql-scheduler &scheduler',
    '    sql: *sql',
    '    storage: *storage',
    '    action-cache: *cache',
    '    bot-session-keepalive-timeout: 60',
    '    poll-interval: 0.2',
    'instances:',
    `  - name: ${JSON.stringify(instanceName)}`,
    '    services:',
    '      - !action-cache',
    '        cache: *cache',
    '      - !execution',
    '        scheduler: *scheduler',
    '      - !cas',
    '        storage: *storage',
    '      - !bytestream',
    '        storage: *storage',
    '',
  ].join('\n');
}

/**
 * Starts BuildGrid (REAPI execution) on loopback with its scheduler in a private PostgreSQL, and
 * our workers; resolves once it answers GetCapabilities for the instance and the workers are in.
 */
export async function startBuildGrid(options: BuildGridOptions = {}): Promise<RunningBuildGrid> {
  const bgd = requireTool('buildgrid/bin/bgd');
  const instanceName = options.instanceName ?? 'main';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-buildgrid-'));
  const work = path.join(dir, 'work');
  fs.mkdirSync(work);
  const started: ServerProcess[] = [];
  const bots: ReapiBot[] = [];
  const stop = async () => {
    await Promise.all(bots.map((b) => b.stop()));
    // Reverse order: BuildGrid before the database it uses.
    for (const p of started.reverse()) await p.stop(p.name === 'postgres' ? 5_000 : 10_000);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const pg = await startPostgres(dir);
    started.push(pg.process);
    await runToEnd(bgd, ['migrate', 'apply', pg.connectionString], { cwd: dir });
    const port = await freePort();
    const config = path.join(dir, 'buildgrid.yml');
    fs.writeFileSync(config, buildGridConfig(port, pg.connectionString, instanceName));
    const verbose = process.env.RBL_REMOTE_DEBUG ? ['-vv'] : [];
    const server = ServerProcess.start('buildgrid', bgd, ['server', 'start', ...verbose, config], {
      cwd: dir,
    });
    started.push(server);
    const grpcUrl = `grpc://127.0.0.1:${port}`;
    await waitForReapi(server, { endpoint: grpcUrl, instanceName }, 60_000);
    const count = options.bots ?? 2;
    for (let i = 0; i < count; i++)
      bots.push(
        new ReapiBot({
          target: `127.0.0.1:${port}`,
          instanceName,
          botId: `rbl-test-bot-${i}`,
          workRoot: work,
        }),
      );
    await Promise.all(bots.map((b) => b.start()));
    return {
      process: server,
      grpcUrl,
      instanceName,
      bots,
      executed: () => bots.reduce((n, b) => n + b.executed, 0),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
