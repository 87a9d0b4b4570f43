import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { sharedDir } from '../../helpers/paths';

/** ../shared/corpus, or a loud failure naming what is missing (never a silent skip). */
export function corpusDir(): string {
  return sharedDir('corpus');
}

export function corpusFiles(kind: 'bazelrc' | 'pants' | 'buckconfig'): string[] {
  const dir = path.join(corpusDir(), kind);
  return fs
    .readdirSync(dir)
    .sort()
    .map((n) => path.join(dir, n));
}

const created: string[] = [];
// Temp workspaces go when the test process ends, so runs do not pile them up in /tmp.
process.on('exit', () => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh empty directory under the OS temp dir, removed when the test process exits. */
export function tempDir(prefix = 'rbl-config-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Copies a corpus file into a workspace under `name`, writable (the corpus is read-only). */
export function place(workspace: string, source: string, name: string): string {
  const target = path.join(workspace, name);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(source, target);
  fs.chmodSync(target, 0o644);
  return target;
}

export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`git is needed for these tests: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

export function gitRepo(): string {
  const dir = tempDir('rbl-config-git-');
  git(dir, 'init', '-q', '.');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'user.name', 'test');
  return dir;
}

/** Every file under `dir` (relative path → bytes), to compare whole workspaces. */
export function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}
