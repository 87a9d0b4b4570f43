import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../util/errors';

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

function insideGitCheckout(dir: string): boolean {
  for (let d = path.resolve(dir); d !== path.dirname(d); d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return true;
  }
  return false;
}

/** Asks `git ls-files` and `git check-ignore` about `file` (absolute or workspace-relative). */
export function gitStatusOf(workspace: string, file: string): GitStatus {
  const rel = path.relative(workspace, path.resolve(workspace, file));
  const inside = git(workspace, ['rev-parse', '--is-inside-work-tree']);
  if (inside === null && insideGitCheckout(workspace)) {
    // Without git we cannot tell whether a secret would be committed: refuse, never guess.
    throw new InputError(
      'git is not installed, so rbl cannot check that the secrets file stays out of git',
      file,
    );
  }
  if (inside !== 0) return { inRepo: false, tracked: false, ignored: false };
  const tracked = git(workspace, ['ls-files', '--error-unmatch', '--', rel]) === 0;
  // --no-index: ask whether a rule ignores the path even when it is tracked.
  const ignored = git(workspace, ['check-ignore', '-q', '--no-index', '--', rel]) === 0;
  return { inRepo: true, tracked, ignored };
}
