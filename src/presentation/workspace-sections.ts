import * as path from 'node:path';

/**
 * Which workspace section an invocation belongs to: the workspace root Bazel reported for it.
 * Bazel itself resolves a nested workspace to the nearest WORKSPACE / MODULE.bazel, so a build of
 * a workspace nested in an open folder gets a section of its own rather than its folder's. An
 * unknown directory (Bazel has not said yet) goes to `fallback` (the first open root), so a
 * starting build is never hidden.
 */
export function sectionOf(
  workspaceDirectory: string | null,
  roots: readonly string[],
  fallback: string | null = roots[0] ?? null,
): string | null {
  if (workspaceDirectory === null) return fallback === null ? null : path.resolve(fallback);
  return path.resolve(workspaceDirectory);
}

/**
 * Invocations by section: every open root (even one without builds), in the order of `roots`,
 * then other workspaces builds came from (nested ones), each section's invocations in the order
 * given. Every invocation lands in exactly one section.
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
