/** Writes a file so readers see the old content or the new, never half of it (temp + rename). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { escapeRegExp, removeStaleTempFiles } from '../util/stale-temp-files';

let counter = 0;

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(file);
  const base = path.basename(file);
  fs.mkdirSync(dir, { recursive: true });
  // A writer killed before its rename left `.<base>.<pid>.<n>.tmp`: remove those of dead pids.
  removeStaleTempFiles(dir, new RegExp(`^\\.${escapeRegExp(base)}\\.(\\d+)\\.\\d+\\.tmp$`));
  const tmp = path.join(dir, `.${base}.${process.pid}.${++counter}.tmp`);
  try {
    fs.writeFileSync(tmp, data, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
