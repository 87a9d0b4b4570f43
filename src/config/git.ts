import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** What git says about a path: whether a commit could carry it. */
export interface GitStatus {
  /** False when the workspace is not in a git repository (or git is missing). */
  inRepo: boolean;
  tracked: boolean;
  ignored: boolean;
}

function git(cwd: string, args: string[]): number | null {
  const r = spawnSync('git', args, { cwd, stdio: 'ignore' });
  return r.error ? null : r.status;
}

/** Asks `git ls-files` and `git check-ignore` about `file` (absolute or workspace-relative). */
export function gitStatusOf(workspace: string, file: string): GitStatus {
  const rel = path.relative(workspace, path.resolve(workspace, file));
  if (git(workspace, ['rev-parse', '--is-inside-work-tree']) !== 0) {
    return { inRepo: false, tracked: false, ignored: false };
  }
  const tracked = git(workspace, ['ls-files', '--error-unmatch', '--', rel]) === 0;
  // --no-index: ask whether a rule ignores the path even when it is tracked.
  const ignored = git(workspace, ['check-ignore', '-q', '--no-index', '--', rel]) === 0;
  return { inRepo: true, tracked, ignored };
}
