// Where the real VS Code for the editor tests lives (installed by scripts/install-vscode-rig.sh),
// and the check that it is really there: under CI=true a missing part fails the run loudly;
// elsewhere the suite is skipped with the reason printed, never silently.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../helpers/paths';

// The e2e tests take the repository root from here, with the rest of the rig.
export { repoRoot };

export const CODE_SERVER_VERSION = '4.100.3';

export interface Rig {
  dir: string;
  /** code-server's Node entry point. */
  codeServerEntry: string;
  /** Debian's Chromium wrapper. */
  chromium: string;
}

/** The same default as scripts/install-vscode-rig.sh. */
export function rigDir(): string {
  return (
    process.env.RBL_VSCODE_RIG_DIR ??
    path.join(os.homedir(), '.cache', 'remote-build-lens', `vscode-rig-${CODE_SERVER_VERSION}`)
  );
}

/** The rig, or the list of what is missing. */
export function findRig(): Rig | { missing: string[] } {
  const dir = rigDir();
  const rig: Rig = {
    dir,
    codeServerEntry: path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    chromium: process.env.CHROMIUM ?? '/usr/bin/chromium',
  };
  const missing = [
    [rig.codeServerEntry, 'code-server'],
    [path.join(dir, '.done', 'smoke'), 'a finished rig install'],
    [rig.chromium, 'Chromium'],
  ]
    .filter(([file]) => !fs.existsSync(file))
    .map(([file, what]) => `${what} (${file})`);
  return missing.length === 0 ? rig : { missing };
}

/**
 * For a suite's `before` hook: returns the rig, throws under CI=true when a part is missing, and
 * otherwise skips the suite with a message that says how to install it.
 */
export function requireRig(context: Mocha.Context): Rig {
  const found = findRig();
  if ('dir' in found) return found;
  const message =
    `the editor tests need a real VS Code; missing: ${found.missing.join(', ')}. ` +
    'Install it with: bash scripts/install-vscode-rig.sh';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
  context.skip();
}

/** Where screenshots and logs of the e2e suite go. */
export function outputDir(): string {
  const dir = path.join(repoRoot(), 'test-output', 'e2e');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
