import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Tool } from '../../config';

/** Files that show a folder is a workspace of each tool (the CLI's detection, all at once). */
const MARKERS: Record<Tool, readonly string[]> = {
  bazel: ['MODULE.bazel', 'WORKSPACE.bazel', 'WORKSPACE', '.bazelrc'],
  pants: ['pants.toml'],
  buck2: ['.buckconfig'],
};

/** Every tool the folder is set up for, Bazel first; the form offers a selector when several. */
export function toolsIn(dir: string): Tool[] {
  return (Object.keys(MARKERS) as Tool[]).filter((tool) =>
    MARKERS[tool].some((m) => fs.existsSync(path.join(dir, m))),
  );
}
