import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** Files that mark the root of a build tool's workspace. */
export const WORKSPACE_MARKERS = [
  'MODULE.bazel',
  'WORKSPACE.bazel',
  'WORKSPACE',
  'pants.toml',
  '.buckconfig',
] as const;

/**
 * The nearest workspace root at or above `start`, not above `stop` (the editor's folder): a
 * nested workspace resolves to the nearest root, as Bazel itself does. Null when there is none.
 */
export function nearestWorkspaceRoot(
  start: string,
  stop: string,
  exists: (p: string) => boolean = existsSync,
): string | null {
  let dir = path.resolve(start);
  const limit = path.resolve(stop);
  for (;;) {
    if (WORKSPACE_MARKERS.some((m) => exists(path.join(dir, m)))) return dir;
    if (dir === limit || !dir.startsWith(limit)) return null;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
