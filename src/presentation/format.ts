/** Small text formatters shared by the tree rows and the status bar. */

/** `41 ms`, `1.2 s`, `2 m 05 s`; an em dash when Bazel gave no timing. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes} m ${String(seconds).padStart(2, '0')} s`;
}

/** A rate in [0, 1] as a whole percentage (`81%`). Rounds down so 0.999 never shows as 100%. */
export function formatPercent(rate: number): string {
  return `${Math.floor(rate * 100 + 1e-9)}%`;
}

/**
 * A Bazel label shortened for a row: the main repository's `//` goes, and `pkg/foo:foo`
 * becomes `pkg/foo` (Bazel's own shorthand). External repositories keep their `@repo`.
 */
export function shortLabel(label: string): string {
  const repoEnd = label.indexOf('//');
  const repo = repoEnd > 0 ? label.slice(0, repoEnd + 2) : '';
  const rest = repoEnd >= 0 ? label.slice(repoEnd + 2) : label;
  const colon = rest.lastIndexOf(':');
  if (colon < 0) return repo + rest;
  const pkg = rest.slice(0, colon);
  const name = rest.slice(colon + 1);
  const lastSegment = pkg.slice(pkg.lastIndexOf('/') + 1);
  if (name === lastSegment && pkg !== '') return repo + pkg;
  return repo + (pkg === '' ? `:${name}` : `${pkg}:${name}`);
}

/** The file name of an exec-root relative path (`bazel-out/k8-fastbuild/bin/gen/a.txt` -> `a.txt`). */
export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || trimmed;
}

/** Joins the non-empty parts of a row description with a middle dot, as VS Code's own views do. */
export function joinParts(parts: readonly (string | null | undefined)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' · ');
}
