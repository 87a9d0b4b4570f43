import * as path from 'node:path';

/**
 * Which workspace section an invocation belongs to when several Bazel workspaces are open: the
 * nearest (deepest) open root at or above the directory Bazel reported, so a build of a nested
 * workspace sits under that workspace, not under the folder around it. A directory outside
 * every root is a section of its own; an unknown one (Bazel has not said yet) goes to
 * `fallback` (the first root), so a starting build is never hidden.
 */
export function sectionOf(
  workspaceDirectory: string | null,
  roots: readonly string[],
  fallback: string | null = roots[0] ?? null,
): string | null {
  if (workspaceDirectory === null) return fallback;
  const dir = path.resolve(workspaceDirectory);
  let best: string | null = null;
  for (const root of roots) {
    const r = path.resolve(root);
    const inside = dir === r || dir.startsWith(r.endsWith(path.sep) ? r : r + path.sep);
    if (inside && (best === null || r.length > best.length)) best = r;
  }
  return best ?? dir;
}

/**
 * Invocations by section, sections in the order of `roots` (then the ones outside every root),
 * each section's invocations in the order given. Every invocation lands in exactly one section.
 */
export function workspaceSections<T extends { workspaceDirectory: string | null }>(
  invocations: readonly T[],
  roots: readonly string[],
): Map<string, T[]> {
  const sections = new Map<string, T[]>(roots.map((r) => [path.resolve(r), []]));
  for (const invocation of invocations) {
    const key = sectionOf(invocation.workspaceDirectory, roots);
    if (key === null) continue;
    const list = sections.get(key) ?? [];
    list.push(invocation);
    sections.set(key, list);
  }
  return sections;
}
