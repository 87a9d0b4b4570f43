// The one harness through which every test runs the real Bazel (Debian's bazel-bootstrap 4.2.3).
//
// - Each test run (one mocha process) gets a private run root in the temp dir: its own
//   --output_user_root, HOME and per-workspace gate files, so parallel runs never share a Bazel
//   server, and a crashed run leaves nothing that a later run picks up.
// - Tests build copies of examples/workspace. A copy gets its own offline.bazelrc (absolute
//   --override_repository paths, made by the example's tools/write-offline-rc.sh) plus the
//   run's startup options (--output_user_root, --max_idle_secs=30, a -Xmx cap). Because those
//   live in the copy's rc, ANY command run inside the copy (plain `bazel`, `rbl build`, ...)
//   talks to the same short-lived server, and `bazel shutdown` there reaches it.
// - Bazel gets a scrubbed, explicit environment; at most RBL_BAZEL_MAX_CONCURRENT (default 4)
//   Bazel commands run at once.
// - Teardown: shutdownAll() (called by the bazel tier's root hook, see harness-hooks.ts) shuts
//   every server down and checks that none is left; a process-exit safety net does the same
//   synchronously for runs that do not load the hook.
// - Bazel missing is a loud failure (requireBazel), locally and under CI=true alike: tests of the
//   bazel tier never skip.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Limiter } from './limiter';
import { repoRoot } from './paths';
import { pollUntil } from './poll-until';

/** How a Bazel command line is run through another program, e.g. `rbl build --json -- ...`. */
export interface BazelWrapper {
  /** Names the wrapper in messages and memo keys (e.g. 'rbl'). */
  name: string;
  /** Given Bazel's binary, its arguments and the workspace, returns the program to run instead. */
  wrap(invocation: BazelInvocation): { file: string; args: string[] };
}

export interface BazelInvocation {
  bazel: string;
  /** Bazel command and its arguments, e.g. ['build', '//...']. No startup options: they are in the workspace rc. */
  args: readonly string[];
  cwd: string;
}

export interface RunOptions {
  /** Run through this wrapper instead of Bazel directly. */
  wrapper?: BazelWrapper;
  /** Extra environment on top of the scrubbed one. */
  env?: Record<string, string>;
  /** Kill the command after this long (default RBL_BAZEL_TIMEOUT_MS or 10 min): SIGINT, then SIGKILL. */
  timeoutMs?: number;
  /** Called with the child process as soon as it is spawned (to send signals). */
  onSpawn?: (child: ChildProcess) => void;
}

export interface BazelRun {
  /** What was run: program and arguments (the wrapper's, when wrapped). */
  argv: string[];
  /** The Bazel command line (command + args) that was asked for. */
  bazelArgs: string[];
  cwd: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export interface Workspace {
  /** The copy's absolute, canonical path. */
  dir: string;
  name: string;
  /** Where the gate target waits for its release file (see examples/workspace/gate/BUILD). */
  gateFile: string;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const GATE_TIMEOUT_SECS = 120;
const SHUTDOWN_TIMEOUT_MS = 60_000;

export function exampleWorkspaceDir(): string {
  return path.join(repoRoot(), 'examples', 'workspace');
}

/** Found binaries by what was asked for (RBL_BAZEL may change between tests). */
const foundBazel = new Map<string, string>();
let bazelBinary: string | undefined;

/**
 * The Bazel binary (RBL_BAZEL, else `bazel` on PATH). Throws a clear error when there is none:
 * tests that need Bazel must fail, not skip, without it.
 */
export function requireBazel(): string {
  const wanted = process.env.RBL_BAZEL || 'bazel';
  const known = foundBazel.get(wanted);
  if (known) return (bazelBinary = known);
  const candidates = wanted.includes('/')
    ? [path.resolve(wanted)]
    : (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, wanted));
  const found = candidates.find((c) => {
    try {
      fs.accessSync(c, fs.constants.X_OK);
      return fs.statSync(c).isFile();
    } catch {
      return false;
    }
  });
  if (!found) {
    throw new Error(
      `Bazel not found (${wanted}${wanted.includes('/') ? '' : ' on PATH'}): the bazel test tier needs the real Bazel; ` +
        `run scripts/setup.sh (installs Debian's bazel-bootstrap) or set RBL_BAZEL${process.env.CI === 'true' ? ' [CI=true]' : ''}`,
    );
  }
  foundBazel.set(wanted, found);
  return (bazelBinary = found);
}

function positiveIntegerFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got '${raw}'`);
  }
  return value;
}

// ---------------------------------------------------------------- per-run state

interface RunState {
  root: string;
  outputUserRoot: string;
  home: string;
  limiter: Limiter;
  /**
   * Workspace copies whose Bazel server may be running: every copy, because a test may start
   * Bazel there itself (e.g. through `rbl build --cwd`); `bazel shutdown` without a server
   * costs about 0.1 s and starts none.
   */
  live: Map<string, Workspace>;
  /** Gates still closed, opened at teardown. */
  gates: Set<Gate>;
  /** Held builds not finished yet, awaited at teardown. */
  pending: Set<Promise<BazelRun>>;
  copies: number;
  bazelWall: { active: number; since: number; totalMs: number; commands: number };
}

let state: RunState | undefined;

function runState(): RunState {
  if (state) return state;
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-bazel-')));
  const created: RunState = {
    root,
    outputUserRoot: path.join(root, 'out'),
    home: path.join(root, 'home'),
    limiter: new Limiter(positiveIntegerFromEnv('RBL_BAZEL_MAX_CONCURRENT', 4)),
    live: new Map(),
    gates: new Set(),
    pending: new Set(),
    copies: 0,
    bazelWall: { active: 0, since: 0, totalMs: 0, commands: 0 },
  };
  fs.mkdirSync(created.outputUserRoot);
  fs.mkdirSync(created.home);
  state = created;
  process.once('exit', exitSafetyNet);
  // A run killed with SIGTERM (e.g. a CI time limit) gets no 'exit' event by default: clean up,
  // then die of the same signal. --max_idle_secs=30 covers what even this cannot (SIGKILL).
  process.once('SIGTERM', () => {
    exitSafetyNet();
    process.kill(process.pid, 'SIGTERM');
  });
  return created;
}

/** The run's private temp folder (output root, home, gate files, scenario recordings). */
export function runRoot(): string {
  return runState().root;
}

/** The --output_user_root every workspace copy of this run uses. */
export function outputUserRoot(): string {
  return runState().outputUserRoot;
}

/** Wall time (ms) during which at least one Bazel command of this run was running, and how many ran. */
export function bazelTime(): { wallMs: number; commands: number } {
  return state ? timeOf(state) : { wallMs: 0, commands: 0 };
}

function timeOf(run: RunState): { wallMs: number; commands: number } {
  const w = run.bazelWall;
  const running = w.active > 0 ? Date.now() - w.since : 0;
  return { wallMs: w.totalMs + running, commands: w.commands };
}

/** The environment Bazel (or the wrapper) gets: nothing of the caller's beyond these names. */
export function scrubbedEnv(extra: Record<string, string> = {}): Record<string, string> {
  return envFor(runState(), extra);
}

function envFor(run: RunState, extra: Record<string, string> = {}): Record<string, string> {
  const user = os.userInfo().username;
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: run.home,
    USER: user,
    LOGNAME: user,
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    TMPDIR: os.tmpdir(),
    ...extra,
  };
}

// ---------------------------------------------------------------- workspaces

/**
 * Copies examples/workspace into the run root and prepares its rc: offline repositories,
 * this run's startup options, plain console output. Each call gives a fresh copy (and, at its
 * first command, a fresh Bazel server with an empty output base).
 */
export function createWorkspace(name = 'example'): Workspace {
  requireBazel();
  const run = runState();
  const source = exampleWorkspaceDir();
  const dir = path.join(run.root, 'ws', `${name}-${++run.copies}`);
  fs.cpSync(source, dir, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(source, src);
      // Generated and personal rc files, Bazel's symlinks and rbl's history store belong to
      // the source checkout, not to a pristine copy.
      return !/^(offline\.bazelrc|user\.bazelrc|bazel-[^/]*|\.rbl)$/.test(rel);
    },
  });
  const writer = spawnSync('sh', [path.join(dir, 'tools', 'write-offline-rc.sh'), dir], {
    encoding: 'utf8',
    env: scrubbedEnv(),
  });
  if (writer.status !== 0) {
    throw new Error(`write-offline-rc.sh failed for ${dir}: ${writer.stderr || writer.error}`);
  }
  const xmx = process.env.RBL_BAZEL_XMX || '1g';
  fs.appendFileSync(
    path.join(dir, 'offline.bazelrc'),
    [
      "# Added by test/helpers/bazel.ts: this test run's private, short-lived Bazel server.",
      `startup --output_user_root=${run.outputUserRoot}`,
      'startup --max_idle_secs=30',
      `startup --host_jvm_args=-Xmx${xmx}`,
      'build --color=no --curses=no',
      '',
    ].join('\n'),
  );
  const gateDir = path.join(run.root, 'gates', path.basename(dir));
  fs.mkdirSync(gateDir, { recursive: true });
  const workspace = { dir, name: path.basename(dir), gateFile: path.join(gateDir, 'release') };
  run.live.set(dir, workspace);
  return workspace;
}

/** The output base Bazel uses for a workspace: <output_user_root>/md5(workspace path). */
export function outputBase(workspace: Workspace): string {
  const digest = createHash('md5').update(workspace.dir).digest('hex');
  return path.join(runState().outputUserRoot, digest);
}

// ---------------------------------------------------------------- running Bazel

function noteBazelStart(run: RunState): void {
  const w = run.bazelWall;
  if (w.active++ === 0) w.since = Date.now();
  w.commands++;
}

function noteBazelEnd(run: RunState): void {
  const w = run.bazelWall;
  if (--w.active === 0) w.totalMs += Date.now() - w.since;
}

/**
 * Runs one Bazel command (e.g. ['build', '//...']) in a workspace copy, directly or through a
 * wrapper, and resolves when it has exited, whatever its exit code. Rejects only when the
 * program could not be started.
 */
export function runBazel(
  workspace: Workspace,
  args: readonly string[],
  options: RunOptions = {},
): Promise<BazelRun> {
  const run = runState();
  const bazel = requireBazel();
  return run.limiter.run(
    () =>
      new Promise<BazelRun>((resolve, reject) => {
        const invocation: BazelInvocation = { bazel, args, cwd: workspace.dir };
        const target = options.wrapper
          ? options.wrapper.wrap(invocation)
          : { file: bazel, args: [...args] };
        const started = Date.now();
        run.live.set(workspace.dir, workspace);
        const child = spawn(target.file, target.args, {
          cwd: workspace.dir,
          env: envFor(run, options.env),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        noteBazelStart(run);
        let stdout = '';
        let stderr = '';
        let timedOut = false;
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        const timeoutMs =
          options.timeoutMs ?? positiveIntegerFromEnv('RBL_BAZEL_TIMEOUT_MS', DEFAULT_TIMEOUT_MS);
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGINT');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }, timeoutMs);
        child.once('error', (err) => {
          clearTimeout(timer);
          noteBazelEnd(run);
          reject(new Error(`cannot start ${target.file}: ${err.message}`));
        });
        child.once('close', (exitCode, signal) => {
          clearTimeout(timer);
          noteBazelEnd(run);
          resolve({
            argv: [target.file, ...target.args],
            bazelArgs: [...args],
            cwd: workspace.dir,
            exitCode,
            signal,
            stdout,
            stderr,
            durationMs: Date.now() - started,
            timedOut,
          });
        });
        options.onSpawn?.(child);
      }),
  );
}

/** A one-line description of a finished run, for assertion messages. */
export function describeRun(run: BazelRun): string {
  const tail = run.stderr.trimEnd().split('\n').slice(-15).join('\n');
  return `${run.argv.join(' ')} (cwd ${run.cwd}) exited ${run.exitCode ?? run.signal}${run.timedOut ? ' after timing out' : ''}; stderr ends:\n${tail}`;
}

// ---------------------------------------------------------------- the gate

export interface HeldBuildOptions extends RunOptions {
  /** Bazel command (default 'build'). */
  command?: string;
  /** Targets (default //gate:after_gate, which runs after the gate opens). */
  targets?: string[];
  /** More Bazel arguments, before the targets. */
  args?: string[];
}

export interface HeldBuild {
  /** Resolves when the gate action is running (the build is held); rejects if the build ended first. */
  reached(timeoutMs?: number): Promise<void>;
  /** Opens the gate: the gate action finishes and the build goes on. */
  release(): void;
  /** Sends a signal to the command (Bazel, or the wrapper). */
  signal(sig: NodeJS.Signals): void;
  /** The finished command. */
  result: Promise<BazelRun>;
}

/** The --action_env flags that tell the gate target of a workspace where its release file is. */
export function gateArgs(workspace: Workspace, timeoutSecs = GATE_TIMEOUT_SECS): string[] {
  return [
    `--action_env=RBL_GATE_FILE=${workspace.gateFile}`,
    `--action_env=RBL_GATE_TIMEOUT_SECS=${timeoutSecs}`,
  ];
}

export interface Gate {
  /** The --action_env flags to add to the build (same as gateArgs). */
  args: string[];
  /** The file the gate action creates when it starts waiting. */
  reachedFile: string;
  /**
   * Resolves when the gate action is running (the build is held). Rejects when `ended()` says
   * the build is over before that, or after the timeout.
   */
  reached(timeoutMs?: number, ended?: () => boolean): Promise<void>;
  /** Opens the gate: the gate action finishes and the build goes on. */
  release(): void;
}

/**
 * Closes a workspace's gate for the next build that includes //gate:gate, for builds a test runs
 * itself (e.g. the runner in-process); startHeldBuild does this for builds run by the harness.
 * Teardown opens every gate still closed.
 */
export function armGate(
  workspace: Workspace,
  // Another bound changes the action env of every genrule: use it only in a workspace of its own.
  timeoutSecs = GATE_TIMEOUT_SECS,
): Gate {
  const run = runState();
  const reachedFile = `${workspace.gateFile}.reached`;
  fs.rmSync(workspace.gateFile, { force: true });
  fs.rmSync(reachedFile, { force: true });
  // A new nonce is a new input, so the gate runs again instead of coming from the action cache.
  fs.writeFileSync(
    path.join(workspace.dir, 'gate', 'nonce.txt'),
    `${process.pid}-${Date.now()}-${Math.random()}\n`,
  );
  const gate: Gate = {
    args: gateArgs(workspace, timeoutSecs),
    reachedFile,
    reached: (timeoutMs = 120_000, ended = () => false) =>
      pollUntil(
        () => {
          if (fs.existsSync(reachedFile)) return true;
          if (ended()) throw new Error(`the build ended before reaching the gate (${reachedFile})`);
          return false;
        },
        { timeoutMs, what: `the gate of ${workspace.dir} to be reached` },
      ).then(() => undefined),
    release: () => {
      fs.writeFileSync(workspace.gateFile, 'open\n');
      run.gates.delete(gate);
    },
  };
  run.gates.add(gate);
  return gate;
}

/**
 * Starts a build that stops at the example's gate target until release() is called, e.g. to
 * interrupt, kill or disturb a build in the middle. The gate gives up by itself after
 * GATE_TIMEOUT_SECS, and teardown releases every gate still closed, so nothing hangs.
 */
export function startHeldBuild(workspace: Workspace, options: HeldBuildOptions = {}): HeldBuild {
  const run = runState();
  const gate = armGate(workspace);
  let child: ChildProcess | undefined;
  let finished = false;
  const args = [
    options.command ?? 'build',
    ...gate.args,
    ...(options.args ?? []),
    ...(options.targets ?? ['//gate:after_gate']),
  ];
  const result = runBazel(workspace, args, {
    ...options,
    onSpawn: (c) => {
      child = c;
      options.onSpawn?.(c);
    },
  }).finally(() => {
    finished = true;
    run.pending.delete(result);
  });
  run.pending.add(result);
  return {
    reached: (timeoutMs) => gate.reached(timeoutMs, () => finished),
    release: () => gate.release(),
    signal: (sig) => {
      if (!child) throw new Error('the held build has not started yet; await reached() first');
      child.kill(sig);
    },
    result,
  };
}

// ---------------------------------------------------------------- teardown

/** Pids of processes (Bazel servers, clients) whose command line mentions `needle`. */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(needle)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Shuts down the Bazel server of one workspace copy and waits until its process is gone. */
export async function shutdownWorkspace(workspace: Workspace): Promise<void> {
  const run = runState();
  const base = outputBase(workspace);
  // Not through the limiter: shutdown must work even when every slot is taken by held builds.
  await new Promise<void>((resolve) => {
    const child = spawn(requireBazel(), ['shutdown'], {
      cwd: workspace.dir,
      env: scrubbedEnv(),
      stdio: 'ignore',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_TIMEOUT_MS);
    child.once('error', () => resolve());
    child.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  await pollUntil(() => processesMentioning(`${base}`).length === 0, {
    timeoutMs: SHUTDOWN_TIMEOUT_MS,
    what: `the Bazel server of ${workspace.dir} to exit`,
  });
  run.live.delete(workspace.dir);
}

/**
 * Opens every gate, waits for held builds, shuts down every server this run started and checks
 * that no process of the run's output root is left. Safe to call more than once.
 */
export async function shutdownAll(): Promise<void> {
  if (!state) return;
  const run = state;
  for (const gate of [...run.gates]) gate.release();
  await Promise.allSettled([...run.pending]);
  for (const workspace of [...run.live.values()]) await shutdownWorkspace(workspace);
  const leftovers = processesMentioning(`${run.outputUserRoot}/`);
  if (leftovers.length > 0) {
    throw new Error(
      `Bazel processes of ${run.outputUserRoot} still running: pids ${leftovers.join(', ')}`,
    );
  }
}

/** At process exit: open gates, shut servers down synchronously, delete the run root. */
function exitSafetyNet(): void {
  if (!state) return;
  const run = state;
  state = undefined; // once only, whether 'exit' or SIGTERM came first
  for (const gate of [...run.gates]) {
    try {
      gate.release();
    } catch {
      // The run root may already be gone.
    }
  }
  for (const workspace of run.live.values()) {
    spawnSync(bazelBinary ?? 'bazel', ['shutdown'], {
      cwd: workspace.dir,
      env: envFor(run),
      stdio: 'ignore',
      timeout: SHUTDOWN_TIMEOUT_MS,
    });
  }
  recordBazelTime(run);
  if (process.env.RBL_KEEP_BAZEL_ROOT) {
    process.stderr.write(`bazel harness: kept ${run.root} (RBL_KEEP_BAZEL_ROOT)\n`);
    return;
  }
  // Bazel leaves read-only folders in the output base.
  spawnSync('chmod', ['-R', 'u+w', run.root], { stdio: 'ignore' });
  fs.rmSync(run.root, { recursive: true, force: true });
}

/** Appends this run's Bazel wall time to RBL_BAZEL_TIME_FILE (summed by scripts/test.sh). */
function recordBazelTime(run: RunState): void {
  const file = process.env.RBL_BAZEL_TIME_FILE;
  if (!file) return;
  const { wallMs, commands } = timeOf(run);
  fs.appendFileSync(
    file,
    `${JSON.stringify({ pid: process.pid, bazelWallMs: wallMs, commands })}\n`,
  );
}
