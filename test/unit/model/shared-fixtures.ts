// Locates ../shared/fixtures (read-only reference material) and fails loudly when it is absent.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root: the first ancestor of this file or of the cwd with our package.json. */
export function repoRootDir(): string {
  for (const start of [process.env.RBL_REPO_ROOT, __dirname, process.cwd()]) {
    for (let dir = start ? path.resolve(start) : ''; dir !== '';) {
      const manifest = path.join(dir, 'package.json');
      if (
        fs.existsSync(manifest) &&
        fs.readFileSync(manifest, 'utf8').includes('"remote-build-lens"')
      )
        return dir;
      const parent = path.dirname(dir);
      dir = parent === dir ? '' : parent;
    }
  }
  throw new Error('cannot find the repository root (set RBL_REPO_ROOT)');
}

export function fixturesDir(): string {
  const dir = path.resolve(repoRootDir(), '..', 'shared', 'fixtures', 'bazel-4.2.3');
  if (!fs.existsSync(dir)) {
    throw new Error(
      `the shared fixtures are missing: expected ${dir} (../shared/ beside the repository)`,
    );
  }
  return dir;
}

/** The recorded scenario folders (`01-clean-build`, ...). */
export function scenarios(): string[] {
  return fs
    .readdirSync(fixturesDir())
    .filter((name) => /^\d\d-/.test(name))
    .sort();
}
