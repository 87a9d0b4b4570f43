import type {
  Action,
  BuildModelView,
  Invocation,
  InvocationSummary,
  ModelChange,
  Target,
  Test,
} from '../model/types';
import { Emitter, type Disposable } from '../util/emitter';

/**
 * The live model plus the invocations the history store kept from earlier sessions, so the
 * Builds tree shows past builds after a reload. Stored summaries are read lazily, the first time
 * the tree asks, never on activation; an invocation the live model knows always wins.
 */
export class HistoryModelView implements BuildModelView {
  private stored: Map<string, StoredEntry> | undefined;
  private readonly hidden = new Set<string>();
  private readonly reloaded = new Emitter<ModelChange>();
  private readonly liveSubscription: Disposable;

  constructor(
    private readonly live: BuildModelView,
    private readonly loadStored: () => StoredSummaryOf[],
  ) {
    this.liveSubscription = live.onDidChange((change) => this.reloaded.fire(change));
  }

  readonly onDidChange = (listener: (change: ModelChange) => void): Disposable =>
    this.reloaded.event(listener);

  /** Forgets the stored invocations shown so far (Clear history); new builds still appear. */
  hideStored(): void {
    for (const id of this.storedEntries().keys()) this.hidden.add(id);
  }

  /**
   * Drops what was read from the store, so the next question reads it again (after the store
   * was cleared, or a terminal build was recorded into it).
   */
  reloadStored(): void {
    this.stored = undefined;
    this.hidden.clear();
  }

  invocations(): readonly Invocation[] {
    const live = this.live.invocations();
    const liveIds = new Set(live.map((i) => i.id));
    const old = [...this.storedEntries().values()]
      .filter((e) => !liveIds.has(e.invocation.id) && !this.hidden.has(e.invocation.id))
      .map((e) => e.invocation);
    return [...live, ...old];
  }

  invocation(id: string): Invocation | undefined {
    return this.live.invocation(id) ?? this.storedEntry(id)?.invocation;
  }

  targets(invocationId: string): readonly Target[] {
    return this.fromLiveOrStored(
      invocationId,
      (m) => m.targets(invocationId),
      (e) => e.targets,
    );
  }

  tests(invocationId: string): readonly Test[] {
    return this.fromLiveOrStored(
      invocationId,
      (m) => m.tests(invocationId),
      (e) => e.tests,
    );
  }

  actions(invocationId: string): readonly Action[] {
    return this.fromLiveOrStored(
      invocationId,
      (m) => m.actions(invocationId),
      (e) => e.actions,
    );
  }

  action(invocationId: string, actionId: string): Action | undefined {
    if (this.live.invocation(invocationId) !== undefined)
      return this.live.action(invocationId, actionId);
    return this.storedEntry(invocationId)?.actions.find((a) => a.id === actionId);
  }

  summary(invocationId: string): InvocationSummary | undefined {
    return this.live.summary(invocationId) ?? this.storedEntry(invocationId)?.summary;
  }

  dispose(): void {
    this.liveSubscription.dispose();
    this.reloaded.dispose();
  }

  private fromLiveOrStored<T>(
    invocationId: string,
    fromLive: (m: BuildModelView) => readonly T[],
    fromStored: (e: StoredEntry) => T[],
  ): readonly T[] {
    if (this.live.invocation(invocationId) !== undefined) return fromLive(this.live);
    const entry = this.storedEntry(invocationId);
    return entry === undefined ? [] : fromStored(entry);
  }

  private storedEntry(id: string): StoredEntry | undefined {
    return this.hidden.has(id) ? undefined : this.storedEntries().get(id);
  }

  private storedEntries(): Map<string, StoredEntry> {
    if (this.stored === undefined) {
      this.stored = new Map();
      for (const summary of this.loadStored()) {
        this.stored.set(summary.invocationId, entryOf(summary));
      }
    }
    return this.stored;
  }
}

/**
 * A summary as read back from a workspace's store, with that workspace: the summary itself does
 * not record it, and the tree's per-workspace sections need it.
 */
export type StoredSummaryOf = InvocationSummary & { workspaceDirectory?: string | null };

interface StoredEntry {
  summary: InvocationSummary;
  invocation: Invocation;
  targets: Target[];
  tests: Test[];
  actions: Action[];
}

/** Rebuilds the view's shapes from a stored summary (what `rbl build --json` prints). */
export function entryOf(summary: StoredSummaryOf): StoredEntry {
  const id = summary.invocationId;
  const testLabels = new Set(summary.tests.map((t) => t.label));
  return {
    summary,
    invocation: {
      id,
      buildRequestId: summary.buildRequestId,
      command: summary.command,
      patterns: summary.patterns,
      startedAt: summary.startedAt,
      finishedAt: summary.finishedAt,
      exitCode: summary.exitCode,
      exitCodeName: null,
      besError: summary.besError,
      bazelVersion: summary.bazelVersion,
      // A stored invocation that never finished was cut off (editor closed, crash).
      state: summary.state === 'running' ? 'aborted' : summary.state,
      workspaceDirectory: summary.workspaceDirectory ?? null,
      options: [],
      execLog: 'joined',
      processes: summary.processes,
      cacheHitRate: summary.cacheHitRate,
      remoteRate: summary.remoteRate,
      resultsUrl: null,
    },
    targets: summary.targets.map((t) => ({
      id: t.label,
      invocationId: id,
      label: t.label,
      kind: null,
      state: t.success === false ? 'failed' : 'built',
      success: t.success,
      reason: null,
      isTest: testLabels.has(t.label),
    })),
    tests: summary.tests.map((t) => ({
      id: t.label,
      invocationId: id,
      label: t.label,
      status: t.status,
      attempts: [],
      durationMs: t.durationMs,
      logs: [],
    })),
    actions: summary.actions.map((a, index) => ({
      id: `stored-${index}`,
      invocationId: id,
      label: a.label,
      mnemonic: a.mnemonic,
      outputs: a.outputs,
      primaryOutput: a.primaryOutput,
      configuration: null,
      runner: a.runner,
      location: a.location,
      locationReason: a.locationReason,
      cacheHit: a.cacheHit,
      success: a.success,
      exitCode: a.exitCode,
      durationMs: a.durationMs,
      finishedAt: null,
      stdout: '',
      stderr: '',
      failureMessage: null,
      spawns: [],
    })),
  };
}

/**
 * A stored summary read back from disk, when it has the shape the tree needs; null for a file
 * from an older version or a damaged one (the tree skips it rather than failing).
 */
export function asInvocationSummary(value: unknown): InvocationSummary | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const isArray = (key: string): boolean => Array.isArray(v[key]);
  const ok =
    typeof v.invocationId === 'string' &&
    isArray('actions') &&
    isArray('targets') &&
    isArray('tests') &&
    isArray('patterns') &&
    typeof v.processes === 'object' &&
    v.processes !== null &&
    typeof v.state === 'string';
  return ok ? (value as InvocationSummary) : null;
}
