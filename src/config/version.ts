/** Compares dotted version numbers (`2.18.0`, `7.1.0rc1`) by their first three numbers. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.a-z-]+/i).map((x) => parseInt(x, 10) || 0);
  const pb = b.split(/[.a-z-]+/i).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
