// The one place tests find the repository root and the read-only reference material in
// ../shared. Compiled tests run from a private out folder (scripts/tsc-to.sh), so the root is
// searched for from several starts, and found by what only this repository has.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** True for the repository's own root: our package.json beside the example workspace. */
function isRepoRoot(dir: string): boolean {
  const manifest = path.join(dir, 'package.json');
  return (
    fs.existsSync(path.join(dir, 'examples', 'workspace', 'WORKSPACE')) &&
    fs.existsSync(manifest) &&
    fs.readFileSync(manifest, 'utf8').includes('"remote-build-lens"')
  );
}

/**
 * The repository root: the first ancestor of RBL_REPO_ROOT, of this file or of the cwd that is
 * the root. Throws a clear error when there is none, rather than guessing a folder.
 */
export function repoRoot(): string {
  const starts = [process.env.RBL_REPO_ROOT, __dirname, process.cwd()].filter(
    (s): s is string => !!s,
  );
  for (const start of starts) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      if (isRepoRoot(dir)) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(
    `cannot find the repository root (our package.json beside examples/workspace/WORKSPACE) above ${starts.join(' or ')}; set RBL_REPO_ROOT`,
  );
}

/**
 * A path inside ../shared (the read-only fixtures and corpus beside the repository). Fails
 * loudly, naming the path, when it does not exist: tests never skip for missing material.
 */
export function sharedDir(...parts: string[]): string {
  const dir = path.resolve(repoRoot(), '..', 'shared', ...parts);
  if (!fs.existsSync(dir)) {
    throw new Error(
      `the shared reference material is missing: expected ${dir} (../shared beside the repository root ${repoRoot()})`,
    );
  }
  return dir;
}
