import { execLogFormatOf, streamExecLog } from '../execlog';
import { readHead } from '../util/read-chunks';
import type { Spawn } from '../execlog/types';
import type { SpawnInterner } from './intern';

/**
 * The read stage for files: every spawn of an execution log in any format Bazel writes. A
 * damaged or truncated log is refused as a whole (its located InputError is thrown):
 * explaining against half a build would name causes that are not there.
 *
 * With an interner, equal files of both logs become one object: far less memory for binary
 * and JSON logs, whose readers copy every input. Compact logs skip it: their reader already
 * shares one object per file entry and expands inputs only when asked, and interning would
 * force every expansion up front.
 */
export async function readSpawnsForExplain(
  path: string,
  interner?: SpawnInterner,
): Promise<Spawn[]> {
  const spawns: Spawn[] = [];
  for await (const spawn of streamSpawnsForExplain(path, interner)) spawns.push(spawn);
  return spawns;
}

/** The same spawns one at a time, for OLD (see `explainStreamed`); throws on damage. */
export async function* streamSpawnsForExplain(
  path: string,
  interner?: SpawnInterner,
): AsyncGenerator<Spawn> {
  const { head, size } = await readHead(path);
  const format = execLogFormatOf(head, size);
  if (!interner || format === 'compact') {
    yield* streamExecLog(path, format);
    return;
  }
  interner.nextLog();
  try {
    for await (const spawn of streamExecLog(path, format)) yield interner.spawn(spawn);
  } finally {
    interner.nextLog();
  }
}
