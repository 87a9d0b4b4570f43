import * as path from 'node:path';
import type { FileChange } from './edit-plan';
import { gitStatusOf } from './git';
import {
  MARK,
  createdFileText,
  isOnlyCreatedLine,
  dominantEol,
  insertLines,
  joinLines,
  removeLines,
  splitLines,
} from './lines';
import { readTextFile, type TextFile } from './text-file';

/** Mode of a secrets file we create: readable by its owner only. */
export const SECRETS_FILE_MODE = 0o600;

/** Whether git could commit `file`: 'tracked' (refuse), 'ignored' or 'untracked'. */
export function secretsFileGitState(
  workspace: string,
  file: string,
): 'tracked' | 'ignored' | 'untracked' | 'no-repo' {
  const st = gitStatusOf(workspace, file);
  if (!st.inRepo) return 'no-repo';
  if (st.tracked) return 'tracked';
  return st.ignored ? 'ignored' : 'untracked';
}

const GITIGNORE_COMMENT = `# ${MARK}: secrets for remote builds stay out of git`;

/** Appends a marked entry for `file` to the workspace .gitignore. */
export function gitignoreAddition(workspace: string, file: string): FileChange {
  const gitignore = readTextFile(workspace, path.join(workspace, '.gitignore'));
  const rel = path.relative(workspace, file).split(path.sep).join('/');
  const base = gitignore.exists ? gitignore.text : createdFileText();
  const lines = splitLines(base);
  const after = insertLines(lines, lines.length, [GITIGNORE_COMMENT, `/${rel}`], dominantEol(base));
  return { file: gitignore, after: joinLines(after), secrets: [] };
}

/**
 * Removes the entries `gitignoreAddition` added for any of `files` (the marked comment and
 * the entry after it).
 */
export function gitignoreRemoval(workspace: string, files: readonly string[]): FileChange | null {
  const entries = new Set(
    files.map(
      (f) => `/${path.relative(workspace, path.resolve(workspace, f)).split(path.sep).join('/')}`,
    ),
  );
  const gitignore = readTextFile(workspace, path.join(workspace, '.gitignore'));
  if (!gitignore.exists) return null;
  const lines = splitLines(gitignore.text);
  const remove = new Set<number>();
  lines.forEach((l, i) => {
    if (l.text === GITIGNORE_COMMENT && i + 1 < lines.length && entries.has(lines[i + 1].text)) {
      remove.add(i);
      remove.add(i + 1);
    }
  });
  if (remove.size === 0) return null;
  const after = joinLines(removeLines(lines, remove));
  return { file: gitignore, after: isOnlyCreatedLine(after) ? null : after, secrets: [] };
}

/** A warning when an existing secrets file can be read by other users, else null. */
export function looseModeWarning(file: TextFile): string | null {
  if (!file.exists || (file.mode & 0o077) === 0) return null;
  return `${file.displayPath} holds secrets but other users can read it (mode ${(file.mode & 0o777).toString(8)}); run chmod 600 ${file.displayPath}`;
}
