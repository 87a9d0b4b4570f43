import { outputSetKey, type HistoryStore } from '../store';
import type { Spawn } from '../execlog/types';
import { explainStreamed } from './explain';
import { readSpawnsForExplain } from './read';
import { InputError } from '../util/errors';
import type { Explanation } from './types';

/** What the editor compares a stored invocation with. */
export type OldSide = { kind: 'baseline' } | { kind: 'invocation'; id: string };

/** Stages the editor reports in its progress notification. */
export type ExplainStage = 'reading the new build' | 'reading the old build' | 'explaining';

export interface EditorExplainOptions {
  /** Checked between logs and every few thousand spawns: an aborted run throws `Cancelled`. */
  signal?: AbortSignal;
  onStage?: (stage: ExplainStage) => void;
}

/** Thrown when the signal aborts: the editor drops the run silently. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

const CHECK_EVERY = 4096;

/**
 * Explains a stored invocation the way `rbl explain OLD NEW` does with ids (same sides, same
 * result), but cancellable, so the editor can run it behind a progress notification:
 * - NEW: the invocation's own spawns;
 * - OLD `baseline`: the last known spawn of every output set, merged over the builds before NEW;
 * - OLD an id: that baseline as it stood after OLD (a log never holds what Bazel's action cache
 *   skipped, so OLD's own log alone would show those actions as added).
 *
 * A damaged log throws its located InputError (file and byte offset), as the CLI does.
 */
export async function explainStoredInvocation(
  store: HistoryStore,
  newId: string,
  old: OldSide,
  options: EditorExplainOptions = {},
): Promise<Explanation> {
  const check = (): void => {
    if (options.signal?.aborted) throw new Cancelled();
  };
  const all = store.list();
  const newIndex = all.findIndex((inv) => inv.id === newId);
  if (newIndex < 0) throw new InputError('no such invocation in the history store', newId);
  const upTo = old.kind === 'baseline' ? newIndex : all.findIndex((inv) => inv.id === old.id) + 1;
  if (upTo <= 0 && old.kind === 'invocation') {
    throw new InputError('no such invocation in the history store', old.id);
  }
  const newLog = store.execLogPath(newId);
  if (newLog === null) {
    throw new InputError('the history store kept no execution log for this invocation', newId);
  }
  options.onStage?.('reading the new build');
  check();
  const newSpawns = await readSpawnsForExplain(newLog);
  check();
  options.onStage?.('reading the old build');
  const merged = new Map<string, Spawn>();
  for (const inv of all.slice(0, upTo)) {
    // With OLD an id, NEW may be older than OLD; its own log is still part of that baseline.
    const log = store.execLogPath(inv.id);
    if (log === null) continue;
    let n = 0;
    for (const spawn of await readSpawnsForExplain(log)) {
      if (++n % CHECK_EVERY === 0) check();
      const key = outputSetKey(spawn);
      merged.delete(key);
      merged.set(key, spawn);
    }
    check();
  }
  options.onStage?.('explaining');
  return explainStreamed(merged.values(), newSpawns);
}

/** True when an explanation can be computed for this invocation: the store kept its log. */
export function canExplain(store: HistoryStore, id: string): boolean {
  return store.execLogPath(id) !== null;
}
