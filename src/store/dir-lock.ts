/**
 * A cross-process lock on a directory (mkdir is atomic), for the read-modify-write of the
 * baseline and pruning when several `rbl build`s finish at once in one workspace.
 */
import * as fs from 'node:fs';

const STALE_MS = 60_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function withDirLock<T>(lockDir: string, fn: () => T, timeoutMs = 15_000): T {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age =
        Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      // A holder that died leaves the lock behind; after a minute it is not holding it any more.
      if (age > STALE_MS) fs.rmSync(lockDir, { recursive: true, force: true });
      else if (Date.now() > deadline)
        throw new Error(`timed out waiting for the lock ${lockDir}`, { cause: err });
      else sleep(25);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}
