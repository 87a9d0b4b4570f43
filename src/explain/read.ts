import { streamExecLog } from '../execlog';
import type { Spawn } from '../execlog/types';
import { SpawnInterner } from './intern';

/**
 * The read stage for files: every spawn of an execution log in any format Bazel writes,
 * streamed and interned (pass the same interner for both sides, so unchanged inputs are shared
 * objects). A damaged or truncated log is refused as a whole (its located InputError is
 * thrown): explaining against half a build would name causes that are not there.
 */
export async function readSpawnsForExplain(
  path: string,
  interner: SpawnInterner = new SpawnInterner(),
): Promise<Spawn[]> {
  const spawns: Spawn[] = [];
  for await (const spawn of streamSpawnsForExplain(path, interner)) spawns.push(spawn);
  return spawns;
}

/** The same spawns one at a time, for OLD (see `explainStreamed`); throws on damage. */
export async function* streamSpawnsForExplain(
  path: string,
  interner: SpawnInterner = new SpawnInterner(),
): AsyncGenerator<Spawn> {
  interner.nextLog();
  try {
    for await (const spawn of streamExecLog(path)) yield interner.spawn(spawn);
  } finally {
    interner.nextLog();
  }
}
