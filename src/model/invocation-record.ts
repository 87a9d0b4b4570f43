/**
 * The state of one invocation and the pure reduction of its BEP events into it. Holds no timers
 * and does no I/O: the BuildModel around it batches the change notifications.
 */
import type { BepEvent, BepFile } from '../bep/types';
import { eventKind, timestampMs } from '../bep/types';
import { ActionOutputParser, type OutputBlock } from './action-output';
import { StringPool } from './intern';
import { canonicalOptions } from './options';
import { PendingOutput } from './pending-output';
import { parseProcessesLine } from './processes';
import { applyTestResult, applyTestSummary, locateTestAction } from './test-results';
import type { Action, BazelProcessesLine, Invocation, Target, Test } from './types';

/** Receives the ids an event added or updated. */
export interface ChangeRecorder {
  invocation(id: string, added: boolean): void;
  target(invocationId: string, id: string, added: boolean): void;
  action(invocationId: string, id: string, added: boolean): void;
  test(invocationId: string, id: string, added: boolean): void;
}

function num(value: string | number | undefined): number | null {
  if (value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

function decodeContents(file: BepFile | undefined): string {
  return file?.contents ? Buffer.from(file.contents, 'base64').toString('utf8') : '';
}

export function newInvocation(id: string, buildRequestId: string | null): Invocation {
  return {
    id,
    buildRequestId,
    command: null,
    patterns: [],
    startedAt: null,
    finishedAt: null,
    exitCode: null,
    exitCodeName: null,
    besError: null,
    bazelVersion: null,
    state: 'running',
    workspaceDirectory: null,
    options: [],
    execLog: 'pending',
    processes: { byRunner: {}, bazel: null, mismatch: null },
    cacheHitRate: null,
    remoteRate: null,
    resultsUrl: null,
    criticalPath: null,
  };
}

export class InvocationRecord {
  readonly targets = new Map<string, Target>();
  readonly tests = new Map<string, Test>();
  readonly actions = new Map<string, Action>();
  /** ActionExecuted events seen: N of the processes rule. */
  executedActions = 0;
  /** The stream delivered its last event (`lastMessage`). */
  complete = false;
  private readonly pending = new PendingOutput();
  private readonly output = new ActionOutputParser();
  /** Labels, mnemonics and configuration ids repeat across thousands of actions: one copy each. */
  private readonly strings = new StringPool();
  /**
   * Which action owns a block, found without scanning every action (that made ingestion
   * quadratic): the first non-test-runner action per label, and the first joined action per
   * progress message, both in the actions map's order. Rebuilt when an action is replaced by
   * one that changes them, or when the actions map was changed from outside.
   */
  private readonly actionByLabel = new Map<string, Action>();
  private readonly actionByMessage = new Map<string, Action>();
  private labelIndexValid = true;
  private messageIndexValid = true;
  private indexedActions = 0;

  constructor(
    readonly invocation: Invocation,
    readonly changes: ChangeRecorder,
  ) {}

  get id(): string {
    return this.invocation.id;
  }

  apply(event: BepEvent, receivedAt: number): void {
    const kind = eventKind(event);
    if (event.started) this.started(event.started);
    if (kind === 'pattern') this.patterns(event.id.pattern?.pattern ?? []);
    if (event.structuredCommandLine) this.commandLine(event);
    if (event.configured) this.configured(event);
    if (event.completed) this.completed(event);
    if (event.action) this.action(event, receivedAt);
    if (event.testResult) applyTestResult(this, event);
    if (event.testSummary) applyTestSummary(this, event);
    if (event.progress) this.progress(event.progress.stdout ?? '', event.progress.stderr ?? '');
    if (event.finished) this.finished(event);
    if (event.buildMetrics) this.metrics(event);
    if (event.aborted) this.aborted(event);
    if (event.buildToolLogs) this.toolLogs(event.buildToolLogs);
    if (event.lastMessage) {
      this.complete = true;
      this.flushOutput();
    }
  }

  /** Marks the invocation touched (for callers that change it directly). */
  touch(): void {
    this.changes.invocation(this.id, false);
  }

  private started(s: NonNullable<BepEvent['started']>): void {
    const inv = this.invocation;
    inv.command = s.command ?? null;
    inv.startedAt = timestampMs(s.startTime) ?? num(s.startTimeMillis);
    inv.bazelVersion = s.buildToolVersion ? s.buildToolVersion : null;
    inv.workspaceDirectory = s.workspaceDirectory ?? null;
    this.touch();
  }

  private patterns(patterns: string[]): void {
    this.invocation.patterns.push(...patterns);
    this.touch();
  }

  private commandLine(event: BepEvent): void {
    const options = event.structuredCommandLine
      ? canonicalOptions(event.structuredCommandLine)
      : null;
    if (!options) return;
    this.invocation.options = options;
    this.touch();
  }

  private target(label: string): { target: Target; added: boolean } {
    const existing = this.targets.get(label);
    if (existing) return { target: existing, added: false };
    const target: Target = {
      id: label,
      invocationId: this.id,
      label,
      kind: null,
      state: 'configured',
      success: null,
      reason: null,
      isTest: false,
    };
    this.targets.set(label, target);
    return { target, added: true };
  }

  private configured(event: BepEvent): void {
    const label = event.id.targetConfigured?.label;
    if (!label) return;
    const { target, added } = this.target(label);
    target.kind = event.configured?.targetKind ?? null;
    target.isTest = /_test\b/.test(target.kind ?? '');
    this.changes.target(this.id, label, added);
  }

  private completed(event: BepEvent): void {
    const label = event.id.targetCompleted?.label;
    const completed = event.completed;
    if (!label || !completed) return;
    const { target, added } = this.target(label);
    target.success = completed.success === true;
    target.state = target.success ? 'built' : 'failed';
    target.reason = completed.failureDetail?.message ?? null;
    if (event.children?.some((c) => c.testSummary !== undefined)) target.isTest = true;
    this.changes.target(this.id, label, added);
  }

  private action(event: BepEvent, receivedAt: number): void {
    const a = event.action;
    if (!a) return;
    const idc = event.id.actionCompleted ?? {};
    this.executedActions++;
    const primaryOutput = idc.primaryOutput ?? null;
    const id = primaryOutput ?? `action-${this.executedActions}`;
    const success = a.success === true;
    const start = timestampMs(a.startTime);
    const end = timestampMs(a.endTime);
    const existing = this.actions.get(id);
    const label = idc.label ?? a.label ?? null;
    const configuration = idc.configuration?.id ?? a.configuration?.id ?? null;
    const action: Action = {
      id,
      invocationId: this.id,
      label: label === null ? null : this.strings.intern(label),
      mnemonic: this.strings.intern(a.type ?? ''),
      outputs: primaryOutput ? [primaryOutput] : [],
      primaryOutput,
      configuration: configuration === null ? null : this.strings.intern(configuration),
      runner: null,
      location: null,
      locationReason: null,
      cacheHit: null,
      success,
      exitCode: a.failureDetail?.spawn?.spawnExitCode ?? a.exitCode ?? (success ? 0 : null),
      durationMs: start !== null && end !== null && end > start ? end - start : null,
      finishedAt: receivedAt,
      stdout: decodeContents(a.stdout),
      stderr: decodeContents(a.stderr),
      failureMessage: a.failureDetail?.message ?? null,
      spawns: [],
    };
    this.putAction(action, existing);
    locateTestAction(this, action);
    this.changes.action(this.id, id, existing === undefined);
    this.pending.offer(action.label, (block) => this.attachBlock(block));
  }

  /** Adds or replaces an action, keeping the owner indexes right. */
  putAction(action: Action, existing = this.actions.get(action.id)): void {
    this.actions.set(action.id, action);
    if (existing === undefined) {
      this.indexedActions++;
      this.indexAction(action);
      return;
    }
    const sameKey = existing.label === action.label && existing.mnemonic === action.mnemonic;
    const indexed = existing.label !== null && this.actionByLabel.get(existing.label) === existing;
    if (!sameKey) this.labelIndexValid = false;
    else if (indexed && existing.label !== null) this.actionByLabel.set(existing.label, action);
    if (existing.spawns.length > 0 || action.spawns.length > 0) this.messageIndexValid = false;
  }

  /** Records the progress message of an action's joined spawns (4.2.3 logs carry them). */
  setProgressMessage(actionId: string, message: string): void {
    this.progressMessages.set(actionId, message);
    this.messageIndexValid = false;
  }

  private progress(stdout: string, stderr: string): void {
    const line = parseProcessesLine(stderr);
    if (line) {
      this.invocation.processes.bazel = line;
      this.touch();
    }
    this.takeBlocks(this.output.stderr(stderr));
    this.takeBlocks(this.output.stdout(stdout));
  }

  private finished(event: BepEvent): void {
    const f = event.finished;
    if (!f) return;
    const inv = this.invocation;
    inv.exitCode = f.exitCode?.code ?? (f.overallSuccess ? 0 : null);
    inv.exitCodeName = f.exitCode?.name ?? null;
    inv.finishedAt = timestampMs(f.finishTime) ?? num(f.finishTimeMillis);
    inv.state = inv.exitCodeName === 'INTERRUPTED' ? 'interrupted' : 'finished';
    this.touch();
  }

  /**
   * Newer Bazel (>= 5.1) publishes its processes line as `BuildMetrics.action_summary.runner_count`;
   * it stands in for the console line when no progress text carried one.
   */
  private metrics(event: BepEvent): void {
    const counts = event.buildMetrics?.actionSummary?.runnerCount;
    if (!counts || counts.length === 0 || this.invocation.processes.bazel !== null) return;
    const line: BazelProcessesLine = { total: 0 };
    for (const c of counts) {
      if (!c.name) continue;
      if (c.name === 'total') line.total = c.count ?? 0;
      else if ((c.count ?? 0) > 0) line[c.name] = c.count ?? 0;
    }
    this.invocation.processes.bazel = line;
    this.touch();
  }

  /** Keeps the critical-path text (Bazel sends it inline; the insights view parses it). */
  private toolLogs(logs: NonNullable<BepEvent['buildToolLogs']>): void {
    const entry = logs.log?.find((f) => f.name === 'critical path' && f.contents);
    if (!entry) return;
    this.invocation.criticalPath = decodeContents(entry);
    this.touch();
  }

  private aborted(event: BepEvent): void {
    const label = event.id.targetCompleted?.label ?? event.id.targetConfigured?.label;
    const reason = event.aborted?.description || event.aborted?.reason || 'aborted';
    if (label) {
      const { target, added } = this.target(label);
      if (target.success === null || target.state === 'configured') {
        target.state = 'aborted';
        target.reason = reason;
        this.changes.target(this.id, label, added);
      }
    }
    if (event.aborted?.reason === 'USER_INTERRUPTED' || /USER_INTERRUPTED/.test(reason)) {
      if (this.invocation.state === 'running' || this.invocation.state === 'finished') {
        this.invocation.state = 'interrupted';
        this.touch();
      }
    }
  }

  private flushOutput(): void {
    this.takeBlocks(this.output.flush());
  }

  /** Attaches new blocks to their actions; the rest wait for their action or the log join. */
  private takeBlocks(blocks: OutputBlock[]): void {
    for (const block of blocks) if (!this.attachBlock(block)) this.pending.add(block);
  }

  /** Console blocks no action has claimed yet, oldest first (they wait for the log join). */
  get pendingOutput(): OutputBlock[] {
    return this.pending.blocks();
  }

  /** Blocks that waited past the bound without an owner: still the invocation's output. */
  get unattributedOutput(): readonly OutputBlock[] {
    return this.pending.unattributed;
  }

  /** Offers every waiting block again (after the log join changed the actions' spawns). */
  attachOutput(): void {
    this.messageIndexValid = false;
    this.pending.offer(undefined, (block) => this.attachBlock(block));
  }

  private attachBlock(block: OutputBlock): boolean {
    const action = this.ownerOfOutput(block);
    if (!action) return false;
    action[block.stream] += block.text;
    this.changes.action(this.id, action.id, false);
    return true;
  }

  /** The first joined action with the block's message, else the first by label (not a test run). */
  private ownerOfOutput(block: OutputBlock): Action | undefined {
    this.refreshIndexes();
    const byMessage = this.actionByMessage.get(block.message);
    if (byMessage) return byMessage;
    return block.label === null ? undefined : this.actionByLabel.get(block.label);
  }

  private indexAction(action: Action): void {
    if (action.label !== null && action.mnemonic !== 'TestRunner' && this.labelIndexValid) {
      if (!this.actionByLabel.has(action.label)) this.actionByLabel.set(action.label, action);
    }
    if (action.spawns.length > 0) this.messageIndexValid = false;
  }

  private refreshIndexes(): void {
    if (this.indexedActions !== this.actions.size) {
      this.labelIndexValid = false;
      this.messageIndexValid = false;
    }
    if (this.labelIndexValid && this.messageIndexValid) return;
    const labels = !this.labelIndexValid;
    const messages = !this.messageIndexValid;
    if (labels) this.actionByLabel.clear();
    if (messages) this.actionByMessage.clear();
    for (const action of this.actions.values()) {
      if (labels && action.label !== null && action.mnemonic !== 'TestRunner') {
        if (!this.actionByLabel.has(action.label)) this.actionByLabel.set(action.label, action);
      }
      const message = messages ? this.progressMessages.get(action.id) : undefined;
      if (message !== undefined && action.spawns.length > 0 && !this.actionByMessage.has(message))
        this.actionByMessage.set(message, action);
    }
    this.indexedActions = this.actions.size;
    this.labelIndexValid = true;
    this.messageIndexValid = true;
  }

  /** Progress messages of the joined spawns, per action id: use setProgressMessage to change. */
  readonly progressMessages = new Map<string, string>();
}
