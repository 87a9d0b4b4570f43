/**
 * The build model: every invocation seen in this process, reduced from (redacted) BEP events and
 * completed with the execution log. Write side for the runner and the sink; read side
 * (BuildModelView) for the editor and the CLI.
 */
import type { BepEvent } from '../bep/types';
import type { Spawn } from '../execlog/types';
import type { Disposable } from '../util/emitter';
import { applyExecLog, markExecLogUnavailable } from './apply-exec-log';
import { ChangeBatcher } from './change-batcher';
import { InvocationRecord, newInvocation } from './invocation-record';
import { compareProcesses, parseProcessesLine } from './processes';
import { summarize } from './summary';
import type {
  Action,
  BesError,
  BuildModelView,
  Invocation,
  InvocationSummary,
  ModelChange,
  Target,
  Test,
} from './types';

export interface BuildModelOptions {
  /** Coalescing interval of change events in ms (default 100: at most ~10 per second). */
  changeIntervalMs?: number;
  /** Finished invocations kept in memory (oldest dropped first; default 20). */
  maxInvocations?: number;
}

export class BuildModel implements BuildModelView {
  private readonly records = new Map<string, InvocationRecord>();
  private readonly batcher: ChangeBatcher;
  private readonly maxInvocations: number;

  constructor(options: BuildModelOptions = {}) {
    this.batcher = new ChangeBatcher(options.changeIntervalMs ?? 100);
    this.maxInvocations = options.maxInvocations ?? 20;
  }

  readonly onDidChange = (listener: (change: ModelChange) => void): Disposable =>
    this.batcher.emitter.event(listener);

  /** Registers an invocation before its first event (the runner knows its ids up front). */
  startInvocation(invocationId: string, buildRequestId: string | null = null): Invocation {
    return this.record(invocationId, buildRequestId).invocation;
  }

  applyEvent(invocationId: string, event: BepEvent, receivedAt = Date.now()): void {
    this.record(invocationId).apply(event, receivedAt);
  }

  /** Joins the invocation's whole execution log. */
  applyExecLog(invocationId: string, spawns: readonly Spawn[]): void {
    const record = this.record(invocationId);
    applyExecLog(record, spawns, (id, added) => this.batcher.action(invocationId, id, added));
  }

  execLogUnavailable(invocationId: string, why: string): void {
    markExecLogUnavailable(this.record(invocationId), why);
  }

  setBesError(invocationId: string, error: BesError | null): void {
    const record = this.record(invocationId);
    record.invocation.besError = error;
    record.touch();
  }

  /**
   * The event stream broke off and did not come back (its client vanished: Bazel's server
   * killed, a dropped connection): the invocation is interrupted as far as the sink can tell,
   * with the reason as its besError. Ending it (endInvocation) keeps that state; an invocation
   * that already ended is left as it is.
   */
  streamLost(invocationId: string, reason: string): void {
    const record = this.record(invocationId);
    if (record.invocation.state !== 'running') return;
    record.invocation.besError = { message: reason, bazelExitCode: null };
    record.invocation.state = 'interrupted';
    record.touch();
  }

  /** Bazel's processes line from the console, where BEP did not deliver it (sink died). */
  setBazelProcessesFromConsole(invocationId: string, consoleText: string): void {
    const record = this.record(invocationId);
    const inv = record.invocation;
    if (inv.processes.bazel !== null) return;
    inv.processes.bazel = parseProcessesLine(consoleText);
    if (inv.execLog === 'joined')
      inv.processes.mismatch = compareProcesses(inv.processes.byRunner, inv.processes.bazel);
    record.touch();
  }

  setResultsUrl(invocationId: string, url: string): void {
    const record = this.record(invocationId);
    record.invocation.resultsUrl = url;
    record.touch();
  }

  /**
   * The process ended. Where BEP never said how the build ended (sink died, Bazel crashed), the
   * invocation is aborted and the exit code is the real one the runner found (console or process).
   */
  endInvocation(invocationId: string, realExitCode: number | null): void {
    const record = this.record(invocationId);
    const inv = record.invocation;
    if (inv.exitCode === null) inv.exitCode = realExitCode;
    if (inv.state === 'running')
      inv.state =
        realExitCode === 8 ? 'interrupted' : inv.finishedAt === null ? 'aborted' : 'finished';
    if (inv.finishedAt === null) inv.finishedAt = Date.now();
    for (const target of record.targets.values()) {
      if (target.state === 'configured' && inv.state !== 'finished') {
        target.state = 'aborted';
        target.reason = 'the build ended before this target finished';
        this.batcher.target(invocationId, target.id, false);
      }
    }
    record.touch();
    this.flush();
  }

  /** Fires pending change events now. */
  flush(): void {
    this.batcher.flush();
  }

  invocations(): readonly Invocation[] {
    return [...this.records.values()].map((r) => r.invocation);
  }

  invocation(id: string): Invocation | undefined {
    return this.records.get(id)?.invocation;
  }

  targets(invocationId: string): readonly Target[] {
    return [...(this.records.get(invocationId)?.targets.values() ?? [])];
  }

  tests(invocationId: string): readonly Test[] {
    return [...(this.records.get(invocationId)?.tests.values() ?? [])];
  }

  actions(invocationId: string): readonly Action[] {
    return [...(this.records.get(invocationId)?.actions.values() ?? [])];
  }

  action(invocationId: string, actionId: string): Action | undefined {
    return this.records.get(invocationId)?.actions.get(actionId);
  }

  summary(invocationId: string): InvocationSummary | undefined {
    const record = this.records.get(invocationId);
    return record ? summarize(record) : undefined;
  }

  /** Whether the invocation's stream delivered its last event. */
  streamComplete(invocationId: string): boolean {
    return this.records.get(invocationId)?.complete ?? false;
  }

  forget(invocationId: string): void {
    this.records.delete(invocationId);
  }

  dispose(): void {
    this.batcher.dispose();
  }

  private record(invocationId: string, buildRequestId: string | null = null): InvocationRecord {
    let record = this.records.get(invocationId);
    if (!record) {
      record = new InvocationRecord(newInvocation(invocationId, buildRequestId), this.batcher);
      this.records.set(invocationId, record);
      this.batcher.invocation(invocationId, true);
      this.evict();
    }
    return record;
  }

  private evict(): void {
    for (const [id, record] of this.records) {
      if (this.records.size <= this.maxInvocations) return;
      if (record.invocation.state !== 'running') this.records.delete(id);
    }
  }
}
