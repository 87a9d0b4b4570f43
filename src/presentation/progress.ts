/**
 * Bazel's console progress, `[12 / 27] Executing genrule //gen:step1`, read from the console
 * text: BEP tells which actions finished but not how many there will be, and the status bar
 * wants "finished/total" while the build runs.
 */
export interface ConsoleProgress {
  done: number;
  total: number;
}

// Bazel prints `[1,234 / 5,678]` with thousands separators on big builds.
const PROGRESS = /\[([\d,]+) \/ ([\d,]+)\]/g;

/** The last progress counter in a chunk of (ANSI-free) console text, or null when it has none. */
export function lastProgress(text: string): ConsoleProgress | null {
  let found: ConsoleProgress | null = null;
  for (const match of text.matchAll(PROGRESS)) {
    const done = Number(match[1].replace(/,/g, ''));
    const total = Number(match[2].replace(/,/g, ''));
    if (Number.isFinite(done) && Number.isFinite(total) && done <= total) found = { done, total };
  }
  return found;
}
