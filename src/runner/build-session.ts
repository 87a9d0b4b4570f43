/**
 * One `rbl build`: starts the sink (or the BEP file tail), runs Bazel with our flags, feeds the
 * model as events arrive, passes the console through, cancels on request, then completes the model
 * with the execution log, works out the real result when the upload failed, and records the
 * invocation in the workspace's history store.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Redactor } from '../bes/redact';
import { BesSink } from '../bes/sink';
import { readExecLogFile } from '../execlog';
import type { Spawn } from '../execlog/types';
import { BuildModel } from '../model/build-model';
import type { Action, InvocationSummary } from '../model/types';
import { HistoryStore } from '../store/history-store';
import { errorMessage, InputError } from '../util/errors';
import { fillSpawnWallTimes, readActionTimes } from '../profile/trace-profile';
import { bazelSupport, findBazel } from './bazel-binary';
import { BepFileTail } from '../bes/bep-file-tail';
import { splitCommandLine } from './command-line';
import { ConsolePipe } from './console-pipe';
import { BES_EXIT_CODES, besErrorLine, exitCodeFromConsole } from './console-result';
import { planBuild, type BuildPlan } from './plan';
import { rcOptionWords } from './rc-options';

export interface BuildRequest {
  /** The Bazel command line after `rbl build --`. */
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Bazel binary (flag or setting); default: bazelisk, else bazel on PATH. */
  bazel?: string;
  /** Bazel's stdout and stderr go here (both to stderr under `--json`). */
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Shared model (the editor's); a new one when absent. */
  model?: BuildModel;
  /** Where the invocation is recorded; default the workspace's store; null: not recorded. */
  store?: HistoryStore | null;
  publishAllActions?: boolean;
  besTimeoutSecs?: number;
  /** Tail a BEP file instead of listening on a port. */
  socketFree?: boolean;
  /** Aborting sends Bazel one SIGINT (it exits 8 and reports the build interrupted). */
  signal?: AbortSignal;
  onActionFinished?: (action: Action) => void;
  /** Called once the invocation's ids are known and the sink (if any) listens. */
  onStarted?: (info: { invocationId: string; sink: BesSink | null; plan: BuildPlan }) => void;
}

export interface BuildResult {
  summary: InvocationSummary;
  /** Bazel's own process exit code (38/45 when the upload failed). */
  bazelExitCode: number | null;
  /** The build's real exit code: what `rbl build` exits with. */
  exitCode: number;
  plan: BuildPlan;
  /** Problems that did not stop the build (unreadable log, store not writable), one line each. */
  warnings: string[];
}

const DEFAULT_BES_TIMEOUT_SECS = 60;
const STREAM_GRACE_MS = 5000;

function waitForExit(
  child: ReturnType<typeof spawn>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

export async function runBuild(req: BuildRequest): Promise<BuildResult> {
  const bazel = findBazel(req.bazel, req.env, req.cwd);
  const line = splitCommandLine(req.argv);
  const support = await bazelSupport(bazel, req.env, req.cwd, line.startup);
  const rcWords = rcOptionWords({
    workspace: req.cwd,
    command: line.command ?? 'build',
    explicit: line.args,
    startup: line.startup,
    env: req.env,
  });
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-build-'));
  let invocationId = '';
  const sink = req.socketFree
    ? null
    : new BesSink({ acceptInvocation: (id) => id === invocationId });
  try {
    const sinkUrl = sink ? await sink.listen('127.0.0.1:0') : null;
    const plan = planBuild({
      argv: req.argv,
      cwd: req.cwd,
      support,
      rcWords,
      tempDir,
      sinkUrl,
      publishAllActions: req.publishAllActions ?? true,
      besTimeoutSecs: req.besTimeoutSecs ?? DEFAULT_BES_TIMEOUT_SECS,
    });
    invocationId = plan.invocationId;
    const forwarder = plan.userBesBackend && sink ? sink.addForward(plan.userBesBackend) : null;
    return await runPlanned(req, bazel, plan, sink, forwarder !== null);
  } finally {
    await sink?.close();
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

async function runPlanned(
  req: BuildRequest,
  bazel: string,
  plan: BuildPlan,
  sink: BesSink | null,
  forwarding: boolean,
): Promise<BuildResult> {
  const model = req.model ?? new BuildModel();
  const id = plan.invocationId;
  model.startInvocation(id, plan.buildRequestId);
  const redactor = sink ? sink.redactorFor(id) : new Redactor();
  const problems: string[] = [];
  const warnings: string[] = [];
  const reported = new Set<string>();
  const subscription = model.onDidChange((change) => {
    for (const ref of change.actionsAdded) {
      if (ref.invocationId !== id || reported.has(ref.id)) continue;
      reported.add(ref.id);
      const action = model.action(id, ref.id);
      if (action) req.onActionFinished?.(action);
    }
  });
  sink?.onEvent.event((e) => e.invocationId === id && model.applyEvent(id, e.event, e.receivedAt));
  sink?.onProblem.event((p) => problems.push(p.message));
  const tail = plan.bepFile
    ? new BepFileTail(plan.bepFile, redactor, (e, at) => model.applyEvent(id, e, at))
    : null;
  if (forwarding && plan.userResultsUrl) model.setResultsUrl(id, `${plan.userResultsUrl}${id}`);
  req.onStarted?.({ invocationId: id, sink, plan });

  const child = spawn(bazel, plan.argv, {
    cwd: req.cwd,
    env: req.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const cancel = (): void => void child.kill('SIGINT');
  req.signal?.addEventListener('abort', cancel, { once: true });
  tail?.start();
  const errPipe = new ConsolePipe(req.stderr, (t) => redactor.text(t));
  const outPipe = new ConsolePipe(req.stdout, (t) => redactor.text(t));
  const piped = Promise.all([errPipe.attach(child.stderr), outPipe.attach(child.stdout)]);
  const exit = await waitForExit(child);
  await piped;
  req.signal?.removeEventListener('abort', cancel);
  tail?.stop();
  if (tail?.error) problems.push(`BEP file: ${tail.error.describe()}`);

  const bazelExitCode = exit.code;
  const consoleText = errPipe.text;
  const uploadFailed = bazelExitCode !== null && BES_EXIT_CODES.has(bazelExitCode);
  if (!uploadFailed && sink) await until(() => model.streamComplete(id), STREAM_GRACE_MS);

  const spawns = await joinExecLog(model, id, plan, warnings);
  model.setBazelProcessesFromConsole(id, consoleText);
  const besMessage =
    besErrorLine(consoleText) ??
    problems[0] ??
    (uploadFailed ? 'the Build Event Protocol upload failed' : null);
  if (besMessage !== null)
    model.setBesError(id, {
      message: besMessage,
      bazelExitCode: uploadFailed ? bazelExitCode : null,
    });
  const inv = model.invocation(id);
  const fromBep = inv?.exitCode ?? null;
  const real =
    fromBep ?? (uploadFailed ? exitCodeFromConsole(consoleText) : null) ?? bazelExitCode ?? 1;
  model.endInvocation(id, real);
  subscription.dispose();
  const summary = model.summary(id);
  if (!summary) throw new Error(`invocation ${id} vanished from the model`);
  record(req, inv?.workspaceDirectory ?? req.cwd, summary, spawns, redactor, warnings);
  for (const f of sink?.forwarders ?? []) await f.drain();
  warnings.push(...(sink?.forwarders ?? []).flatMap((f) => f.errors));
  return { summary, bazelExitCode, exitCode: real, plan, warnings };
}

async function joinExecLog(
  model: BuildModel,
  id: string,
  plan: BuildPlan,
  problems: string[],
): Promise<Spawn[] | null> {
  if (!plan.execLog) {
    model.execLogUnavailable(id, 'this Bazel writes no execution log');
    return null;
  }
  if (!fs.existsSync(plan.execLog.path)) {
    model.execLogUnavailable(id, `Bazel wrote no execution log (${plan.execLog.path})`);
    return null;
  }
  try {
    const log = await readExecLogFile(plan.execLog.path);
    if (log.error) problems.push(`execution log: ${log.error.describe()}`);
    addProfileTimes(plan, log.spawns, problems);
    model.applyExecLog(id, log.spawns);
    return log.spawns;
  } catch (err) {
    model.execLogUnavailable(id, errorMessage(err));
    return null;
  }
}

/** Action times from the profile, for logs without their own (see src/profile). */
function addProfileTimes(plan: BuildPlan, spawns: Spawn[], problems: string[]): void {
  if (!plan.profile || !fs.existsSync(plan.profile.path)) return;
  try {
    fillSpawnWallTimes(spawns, readActionTimes(plan.profile.path));
  } catch (err) {
    problems.push(`profile: ${err instanceof InputError ? err.describe() : errorMessage(err)}`);
  }
}

function record(
  req: BuildRequest,
  workspace: string,
  summary: InvocationSummary,
  spawns: Spawn[] | null,
  redactor: Redactor,
  problems: string[],
): void {
  const store = req.store === undefined ? HistoryStore.forWorkspace(workspace) : req.store;
  if (!store) return;
  try {
    store.record(summary, spawns, (t) => redactor.text(t));
  } catch (err) {
    problems.push(`history store: ${errorMessage(err)}`);
  }
}
