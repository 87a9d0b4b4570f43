import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Spawn } from '../execlog/types';
import { HistoryStore, outputSetKey } from '../store';
import { InputError } from '../util/errors';
import { readSpawnsForExplain } from './read';

/** The word that names "the baseline before NEW" in place of OLD. */
export const BASELINE_ARG = 'baseline';

/**
 * The history store of the workspace containing `dir`: the nearest ancestor with a
 * `.rbl/history` folder, or null when no build was recorded there.
 */
export function findHistoryStore(dir: string): HistoryStore | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.rbl', 'history'))) return HistoryStore.forWorkspace(d);
    if (path.dirname(d) === d) return null;
  }
}

/** True when `id` names an invocation recorded in the store. */
export function isStoredInvocation(store: HistoryStore | null, id: string): boolean {
  return store !== null && /^[\w.-]+$/.test(id) && store.summary(id) !== null;
}

/** The spawns one stored invocation ran (its own execution log). */
export async function invocationSpawns(store: HistoryStore, id: string): Promise<Spawn[]> {
  const log = store.execLogPath(id);
  if (log === null) {
    throw new InputError('the history store kept no execution log for this invocation', id);
  }
  return readSpawnsForExplain(log);
}

/**
 * The baseline as it stood after invocation `upTo` (inclusive), or before `before`
 * (exclusive): the last known spawn of every output set, merged over the stored invocations in
 * the order they finished. Rebuilt from the kept logs because the store's merged baseline file
 * already holds NEW's own spawns, which must not be compared with themselves.
 */
export async function baselineSpawns(
  store: HistoryStore,
  limit: { upTo: string } | { before: string },
): Promise<Spawn[]> {
  const all = store.list();
  const stop = all.findIndex((inv) => inv.id === ('upTo' in limit ? limit.upTo : limit.before));
  if (stop < 0)
    throw new InputError('no such invocation in the history store', Object.values(limit)[0]);
  const included = all.slice(0, 'upTo' in limit ? stop + 1 : stop);
  const merged = new Map<string, Spawn>();
  for (const inv of included) {
    if (store.execLogPath(inv.id) === null) continue;
    for (const spawn of await invocationSpawns(store, inv.id)) {
      const key = outputSetKey(spawn);
      merged.delete(key);
      merged.set(key, spawn);
    }
  }
  return [...merged.values()];
}
