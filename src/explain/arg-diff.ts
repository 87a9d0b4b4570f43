/**
 * Argument-level diff of two command lines: which arguments were removed and which added, in
 * order. Common prefixes and suffixes are skipped first (most changes touch a few arguments);
 * the rest is compared by longest common subsequence while that stays small, and as multisets
 * beyond, so a 10,000-argument link line never costs quadratic time.
 */

const MAX_LCS_CELLS = 250_000;

export function diffArgs(
  oldArgs: readonly string[],
  newArgs: readonly string[],
): { old: string[]; new: string[] } | null {
  let start = 0;
  while (start < oldArgs.length && start < newArgs.length && oldArgs[start] === newArgs[start]) {
    start++;
  }
  if (start === oldArgs.length && start === newArgs.length) return null;
  let oldEnd = oldArgs.length;
  let newEnd = newArgs.length;
  while (oldEnd > start && newEnd > start && oldArgs[oldEnd - 1] === newArgs[newEnd - 1]) {
    oldEnd--;
    newEnd--;
  }
  const a = oldArgs.slice(start, oldEnd);
  const b = newArgs.slice(start, newEnd);
  return a.length * b.length <= MAX_LCS_CELLS ? lcsDiff(a, b) : multisetDiff(a, b);
}

function lcsDiff(a: readonly string[], b: readonly string[]): { old: string[]; new: string[] } {
  const width = b.length + 1;
  // lengths[i * width + j] = LCS length of a[i:] and b[j:]
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j]
          ? lengths[(i + 1) * width + j + 1] + 1
          : Math.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1]);
    }
  }
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j] >= lengths[i * width + j + 1]) {
      removed.push(a[i++]);
    } else {
      added.push(b[j++]);
    }
  }
  while (i < a.length) removed.push(a[i++]);
  while (j < b.length) added.push(b[j++]);
  return { old: removed, new: added };
}

function multisetDiff(
  a: readonly string[],
  b: readonly string[],
): { old: string[]; new: string[] } {
  const counts = new Map<string, number>();
  for (const x of b) counts.set(x, (counts.get(x) ?? 0) + 1);
  const removed: string[] = [];
  for (const x of a) {
    const c = counts.get(x) ?? 0;
    if (c > 0) counts.set(x, c - 1);
    else removed.push(x);
  }
  const remaining = new Map<string, number>();
  for (const x of a) remaining.set(x, (remaining.get(x) ?? 0) + 1);
  const added: string[] = [];
  for (const x of b) {
    const c = remaining.get(x) ?? 0;
    if (c > 0) remaining.set(x, c - 1);
    else added.push(x);
  }
  return { old: removed, new: added };
}
