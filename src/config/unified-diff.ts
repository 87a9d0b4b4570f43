import { splitLines } from './lines';

/** One line of a diff: kept (' '), removed ('-') or added ('+'). */
export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

/** Line diff by longest common subsequence; config files are small enough for O(n·m). */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before).map((l) => l.text);
  const b = splitLines(after).map((l) => l.text);
  const aEnds = splitLines(before).map((l) => l.eol);
  const bEnds = splitLines(after).map((l) => l.eol);
  // Compare lines with their terminators so a changed line ending shows as a change.
  const ka = a.map((t, i) => t + aEnds[i]);
  const kb = b.map((t, i) => t + bEnds[i]);
  const n = ka.length;
  const m = kb.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = ka[i] === kb[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && ka[i] === kb[j]) {
      out.push({ op: ' ', text: a[i] });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push({ op: '-', text: a[i] + (aEnds[i] === '' ? '\n\\ No newline at end of file' : '') });
      i++;
    } else {
      out.push({ op: '+', text: b[j] + (bEnds[j] === '' ? '\n\\ No newline at end of file' : '') });
      j++;
    }
  }
  return out;
}

/** A unified diff (3 lines of context) of `before` → `after`, `''` when they are equal. */
export function unifiedDiff(name: string, before: string | null, after: string | null): string {
  const lines = diffLines(before ?? '', after ?? '');
  if (lines.every((l) => l.op === ' ')) return '';
  const header = [
    `--- ${before === null ? '/dev/null' : `a/${name}`}`,
    `+++ ${after === null ? '/dev/null' : `b/${name}`}`,
  ];
  const context = 3;
  const changed = lines.map((l, k) => (l.op !== ' ' ? k : -1)).filter((k) => k >= 0);
  const hunks: string[] = [];
  let k = 0;
  while (k < changed.length) {
    const first = Math.max(0, changed[k] - context);
    let last = Math.min(lines.length - 1, changed[k] + context);
    while (k + 1 < changed.length && changed[k + 1] - context <= last + 1) {
      k++;
      last = Math.min(lines.length - 1, changed[k] + context);
    }
    k++;
    let oldStart = 1;
    let newStart = 1;
    for (let x = 0; x < first; x++) {
      if (lines[x].op !== '+') oldStart++;
      if (lines[x].op !== '-') newStart++;
    }
    const body = lines.slice(first, last + 1);
    const oldCount = body.filter((l) => l.op !== '+').length;
    const newCount = body.filter((l) => l.op !== '-').length;
    hunks.push(
      `@@ -${oldCount === 0 ? oldStart - 1 : oldStart},${oldCount} +${newCount === 0 ? newStart - 1 : newStart},${newCount} @@`,
      ...body.map((l) => `${l.op}${l.text}`),
    );
  }
  return `${[...header, ...hunks].join('\n')}\n`;
}
