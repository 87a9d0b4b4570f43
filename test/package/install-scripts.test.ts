// Supply chain (issue 10): installing the extension's dependencies downloads nothing. Our own
// package.json has no npm install hooks; every production dependency that has one (per the
// lockfile) runs a local script that names no URL and calls no network API.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers/paths';

/** The lifecycle scripts `npm install` runs for a package. */
const INSTALL_HOOKS = ['preinstall', 'install', 'postinstall', 'prepare'];
/** What a script that downloads would contain. */
const NETWORK =
  /https?:\/\/|\bfetch\s*\(|\bhttps?\.(get|request)\b|\bcurl\b|\bwget\b|node:https?\b|require\(['"]https?['"]\)/;

interface LockEntry {
  dev?: boolean;
  hasInstallScript?: boolean;
}

function scriptsOf(dir: string): Record<string, string> {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  return manifest.scripts ?? {};
}

describe('install scripts download nothing', () => {
  const root = repoRoot();

  it('our package.json has no npm install hooks', () => {
    const hooks = INSTALL_HOOKS.filter((h) => h in scriptsOf(root));
    assert.deepEqual(hooks, [], `install hooks in package.json: ${hooks.join(', ')}`);
  });

  it("production dependencies' install hooks are local scripts without network access", () => {
    const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, LockEntry>;
    };
    const withHooks = Object.entries(lock.packages).filter(
      ([key, entry]) => key !== '' && entry.hasInstallScript === true && entry.dev !== true,
    );
    const checked: string[] = [];
    for (const [key] of withHooks) {
      const dir = path.join(root, key);
      assert.ok(fs.existsSync(dir), `${key} is in the lockfile but not installed (npm ci first)`);
      for (const hook of INSTALL_HOOKS) {
        const command = scriptsOf(dir)[hook];
        if (command === undefined) continue;
        assert.doesNotMatch(command, NETWORK, `${key} ${hook}: ${command}`);
        // `node FILE`: the file is read too (with .js added as node would).
        const file = /^node\s+(\S+)\s*$/.exec(command)?.[1];
        assert.ok(file !== undefined, `${key} ${hook} is not a plain 'node FILE': ${command}`);
        const source = [path.join(dir, file), path.join(dir, `${file}.js`)].find((f) =>
          fs.existsSync(f),
        );
        assert.ok(source, `${key} ${hook}: ${file} not found`);
        assert.doesNotMatch(fs.readFileSync(source, 'utf8'), NETWORK, `${key} ${hook} (${source})`);
        checked.push(`${key.replace(/^.*node_modules\//, '')} ${hook}`);
      }
    }
    console.log(`      production install hooks checked: ${checked.join('; ') || 'none'}`);
  });
});
