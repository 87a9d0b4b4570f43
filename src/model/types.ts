/**
 * The build model's public shape: invocations -> targets, tests and actions, reduced from BEP
 * events and joined with the execution log. The editor (tree, status bar, Test Explorer) and the
 * CLI read only these types; the reducer that fills them lives beside this file.
 *
 * Stability: fields are only ever added, never renamed or dropped (the editor builds on them).
 * Absent facts are `null`, never guessed.
 */
import type { Disposable } from '../util/emitter';

/**
 * Where a spawn ran or came from (CONTRACT.md's table), plus `internal` for actions Bazel ran
 * inside its own process (no spawn: workspace status, symlink trees, file writes).
 */
export type ActionLocation =
  'remote' | 'remote-cache' | 'disk-cache' | 'local' | 'worker' | 'internal' | 'unknown';

/** One spawn of an action, from the execution log (or, for tests, `TestResult.executionInfo`). */
export interface ActionSpawn {
  /** Runner as Bazel names it: `linux-sandbox`, `remote cache hit`, `worker`, ... */
  runner: string;
  location: ActionLocation;
  /** Why the location is what it is when that is not obvious (always set for `unknown`). */
  locationReason: string | null;
  cacheHit: boolean;
  /** Spawn exit code (0 on success). */
  exitCode: number;
  /** Bazel's status name, empty on success (e.g. `NON_ZERO_EXIT`). */
  status: string;
  /** Full list of output paths (exec-root relative). */
  outputs: string[];
  mnemonic: string;
  /** Wall time when the log has metrics (newer Bazel), else null. */
  durationMs: number | null;
}

/** Run state of an action. `finished` means BEP reported it; location may still be pending. */
export type ActionState = 'finished' | 'failed';

export interface Action {
  /** Stable within its invocation: derived from BEP's `actionCompleted` id or the spawn. */
  id: string;
  invocationId: string;
  /** Owning target, or null (e.g. the workspace status action). */
  label: string | null;
  mnemonic: string;
  /** Every output path known: the BEP primary output, then the spawns' listed outputs. */
  outputs: string[];
  /** For display only. */
  primaryOutput: string | null;
  /** BEP configuration id of the action, when given. */
  configuration: string | null;
  /**
   * Runner of the action's first spawn; `internal` when the joined log had no spawn for it;
   * null while the location is pending (4.2.3 writes the log only at build end).
   */
  runner: string | null;
  /** Null while "location pending". */
  location: ActionLocation | null;
  /** Tooltip text for `unknown` (and other non-obvious cases); null otherwise. */
  locationReason: string | null;
  /** Null while pending; true when every spawn came from a cache. */
  cacheHit: boolean | null;
  success: boolean;
  /** `failure_detail.spawn.spawn_exit_code` over `ActionExecuted.exit_code`; null if unknown. */
  exitCode: number | null;
  /** Null where Bazel gives no timing (4.2.3 gives none for actions). */
  durationMs: number | null;
  /** Epoch ms when the sink received the ActionExecuted event (or the log entry). */
  finishedAt: number | null;
  /** Text captured from BEP progress chunks that belong to this action (4.2.3 deletes the files). */
  stdout: string;
  stderr: string;
  /** Failure message from `failure_detail`, when the action failed. */
  failureMessage: string | null;
  /** All spawns joined from the execution log, in log order; empty while pending. */
  spawns: ActionSpawn[];
}

export type TargetState = 'configured' | 'built' | 'failed' | 'aborted';

export interface Target {
  /** `label` plus configuration when a label is built in several configurations. */
  id: string;
  invocationId: string;
  label: string;
  /** E.g. `genrule rule`, `sh_test rule`. */
  kind: string | null;
  state: TargetState;
  /** True when completed successfully; null until completed. */
  success: boolean | null;
  /** Aborted reason / failure message, when there is one. */
  reason: string | null;
  isTest: boolean;
}

export interface TestLog {
  /** `test.log`, `test.xml`, ... */
  name: string;
  /** `file://` or `bytestream://` URI as Bazel gave it. */
  uri: string;
}

export interface TestAttempt {
  run: number;
  shard: number;
  attempt: number;
  status: string;
  durationMs: number | null;
  /** `executionInfo.strategy` (where the test ran), else null. */
  strategy: string | null;
  location: ActionLocation | null;
  cachedLocally: boolean;
  cachedRemotely: boolean;
  logs: TestLog[];
}

export interface Test {
  /** Same as the target's id. */
  id: string;
  invocationId: string;
  label: string;
  /** Overall status (TestSummary), or the last attempt's while the summary is pending. */
  status: string;
  attempts: TestAttempt[];
  /** Total run duration from TestSummary, else the sum of the attempts; null if unknown. */
  durationMs: number | null;
  /** Logs of every attempt (the summary's passed/failed lists). */
  logs: TestLog[];
}

export type InvocationState =
  /** BEP is arriving. */
  | 'running'
  /** BuildFinished arrived and the stream ended (exit code may be non-zero). */
  | 'finished'
  /**
   * Cancelled (Bazel exit 8 / USER_INTERRUPTED), or its event stream broke off mid-build and
   * did not resume (besError says so).
   */
  | 'interrupted'
  /** The event stream ended without BuildFinished (sink or Bazel died). */
  | 'aborted';

/** Bazel's own "INFO: N processes: ..." line, parsed. */
export interface BazelProcessesLine {
  total: number;
  [runner: string]: number;
}

export interface ProcessesSummary {
  /** Derived by us from BEP + the execution log (reference §4 rule). */
  byRunner: Record<string, number>;
  /** Bazel's own line as printed/published, or null if it never came. */
  bazel: BazelProcessesLine | null;
  /** Human text naming each differing runner, or null when both agree (or bazel is null). */
  mismatch: string | null;
}

export interface BesError {
  /** What went wrong with the event upload, e.g. the sink died, or Bazel's console message. */
  message: string;
  /** Bazel's process exit code when it was a BES code (38, 45), else null. */
  bazelExitCode: number | null;
}

/** State of the execution-log join for an invocation. */
export type ExecLogState = 'pending' | 'joined' | 'unavailable';

export interface Invocation {
  id: string;
  buildRequestId: string | null;
  /** `build`, `test`, ...; null until BuildStarted. */
  command: string | null;
  /** Target patterns as expanded by Bazel (or as given, until expanded). */
  patterns: string[];
  /** Epoch ms. */
  startedAt: number | null;
  finishedAt: number | null;
  /** The build's own exit code (BEP BuildFinished), null until known. */
  exitCode: number | null;
  /** E.g. `SUCCESS`, `BUILD_FAILURE`, `INTERRUPTED`. */
  exitCodeName: string | null;
  /** Null, or the problem uploading events (Bazel 4.2.3 then exits 38/45). */
  besError: BesError | null;
  /** Null for Debian's build (reports no version). */
  bazelVersion: string | null;
  state: InvocationState;
  workspaceDirectory: string | null;
  /** Effective (`canonical`) command options, redacted, in order: [name, value]. */
  options: [string, string][];
  execLog: ExecLogState;
  processes: ProcessesSummary;
  /** Cache-served spawns / all spawns; null with no spawns (or while pending). */
  cacheHitRate: number | null;
  /** Remotely executed spawns / all spawns; null with no spawns (or while pending). */
  remoteRate: number | null;
  /** Results URL of a user's own BES backend, when forwarding to one. */
  resultsUrl: string | null;
  /**
   * Bazel's critical-path text from BEP `BuildToolLogs` ("critical path" entry), as sent; null
   * until it arrives. Optional because invocations rebuilt from older stored summaries lack it.
   */
  criticalPath?: string | null;
}

/** One entry of the summary's `actions`: one spawn (CONTRACT.md `rbl build`). */
export interface SummaryAction {
  label: string | null;
  mnemonic: string;
  outputs: string[];
  primaryOutput: string | null;
  runner: string | null;
  location: ActionLocation | null;
  locationReason: string | null;
  cacheHit: boolean | null;
  success: boolean;
  exitCode: number | null;
  durationMs: number | null;
}

/** The `--json` summary of `rbl build` / `rbl serve` (CONTRACT.md), plus added fields. */
export interface InvocationSummary {
  invocationId: string;
  buildRequestId: string | null;
  command: string | null;
  patterns: string[];
  state: InvocationState;
  exitCode: number | null;
  besError: BesError | null;
  bazelVersion: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  processes: ProcessesSummary;
  cacheHitRate: number | null;
  remoteRate: number | null;
  /** See `Invocation.criticalPath`; absent in summaries stored before it was recorded. */
  criticalPath?: string | null;
  actions: SummaryAction[];
  targets: { label: string; success: boolean | null }[];
  tests: { label: string; status: string; durationMs: number | null }[];
}

/** Where an entity lives: its invocation and its own id. */
export interface EntityRef {
  invocationId: string;
  id: string;
}

/** One coalesced change notification (at most about 10 per second). */
export interface ModelChange {
  invocationsAdded: string[];
  invocationsUpdated: string[];
  targetsAdded: EntityRef[];
  targetsUpdated: EntityRef[];
  actionsAdded: EntityRef[];
  actionsUpdated: EntityRef[];
  testsAdded: EntityRef[];
  testsUpdated: EntityRef[];
}

/** Read side of the model, as the editor and the CLI see it. */
export interface BuildModelView {
  /** Fires coalesced changes with the ids that changed. */
  readonly onDidChange: (listener: (change: ModelChange) => void) => Disposable;
  invocations(): readonly Invocation[];
  invocation(id: string): Invocation | undefined;
  targets(invocationId: string): readonly Target[];
  tests(invocationId: string): readonly Test[];
  actions(invocationId: string): readonly Action[];
  action(invocationId: string, actionId: string): Action | undefined;
  summary(invocationId: string): InvocationSummary | undefined;
}
