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
  interner.nextLog();
  for await (const spawn of streamExecLog(path)) spawns.push(interner.spawn(spawn));
  interner.nextLog();
  return spawns;
}
