import * as fs from 'node:fs';

/**
 * Atomic writes go through a temp file named after the writing process (`...<pid>...tmp`). A
 * writer killed between creating and renaming it leaves that file behind; the next write to the
 * same directory removes the ones whose writer is gone. A live writer's temp file is never
 * touched, and a reused pid only delays the clean-up (the file is kept, never a live one lost).
 */
export function removeStaleTempFiles(
  dir: string,
  /** Matches the temp names of one target file; group 1 is the writer's pid. */
  name: RegExp,
): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const pid = Number(name.exec(entry)?.[1] ?? NaN);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    try {
      fs.rmSync(`${dir}/${entry}`, { force: true });
      removed.push(entry);
    } catch {
      // Not ours to remove (another user's directory entry): leave it.
    }
  }
  return removed;
}

/** Escapes a file name for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
