import { readExecLogFile } from '../execlog';
import type { Spawn } from '../execlog/types';

/**
 * The read stage for files: every spawn of an execution log in any format Bazel writes. A
 * damaged or truncated log is refused as a whole (its located InputError is thrown): explaining
 * against half a build would name causes that are not there.
 */
export async function readSpawnsForExplain(path: string): Promise<Spawn[]> {
  const { spawns, error } = await readExecLogFile(path);
  if (error) throw error;
  return spawns;
}
