import { deleteTextFile, writeTextFileAtomic, type TextFile } from './text-file';
import { unifiedDiff } from './unified-diff';

/** One file's change: its state when read and its new text (null = delete it). */
export interface FileChange {
  file: TextFile;
  after: string | null;
  /** Secret values that appear in `after`; shown as *** in every diff. */
  secrets: string[];
}

/**
 * What `set` or `disable` will do, computed without touching the disk, so a form can show the
 * diff and apply it later (apply refuses if a file changed in between).
 */
export interface EditPlan {
  changes: FileChange[];
  /** Things the user should know (a setting shadowed by a file we do not edit, …). */
  warnings: string[];
}

export function changedFiles(plan: EditPlan): FileChange[] {
  return plan.changes.filter((c) => c.after !== (c.file.exists ? c.file.text : null));
}

function redact(text: string, secrets: readonly string[]): string {
  // URL user-info (`grpcs://user:token@host`) is a secret wherever it appears.
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s"']+@/gi, '$1***@');
  for (const s of [...secrets].sort((x, y) => y.length - x.length)) {
    if (s !== '') out = out.split(s).join('***');
  }
  return out;
}

/** Per file: what will happen to it and its unified diff, secrets shown as ***; for a form. */
export function planFileDiffs(
  plan: EditPlan,
): { file: string; action: 'create' | 'edit' | 'delete'; diff: string }[] {
  return changedFiles(plan).map((c) => {
    const before = c.file.exists ? redact(c.file.text, c.secrets) : null;
    const after = c.after === null ? null : redact(c.after, c.secrets);
    return {
      file: c.file.displayPath,
      action: !c.file.exists ? 'create' : c.after === null ? 'delete' : 'edit',
      diff: unifiedDiff(c.file.displayPath, before, after),
    };
  });
}

/** The unified diff of every change, secrets (and URL user-info) shown as ***. */
export function renderPlanDiff(plan: EditPlan): string {
  return planFileDiffs(plan)
    .map((d) => d.diff)
    .join('');
}

/** Writes every change atomically; returns the display paths written. */
export function applyPlan(plan: EditPlan): string[] {
  const written: string[] = [];
  for (const c of changedFiles(plan)) {
    if (c.after === null) deleteTextFile(c.file);
    else writeTextFileAtomic(c.file, c.after);
    written.push(c.file.displayPath);
  }
  return written;
}
