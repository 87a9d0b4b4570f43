import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { applyPlan } from '../../../src/config/edit-plan';
import {
  planRemoteDisable,
  planRemoteSet,
  readRemoteSettings,
  type WorkspaceOptions,
} from '../../../src/config/remote-settings';
import type { Tool } from '../../../src/config/settings';
import { InputError } from '../../../src/util/errors';
import { git, gitRepo, snapshot } from './helpers';

const SECRET = 'rbl-secret-0815';

function options(workspace: string, tool: Tool): WorkspaceOptions {
  return { workspace, tool, config: null, env: {}, systemRc: null, homeDir: null };
}

function write(ws: string, name: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(ws, name)), { recursive: true });
  fs.writeFileSync(path.join(ws, name), text);
}

function commitAll(ws: string): void {
  git(ws, 'add', '-A');
  git(ws, 'commit', '-q', '-m', 'base');
}

function ignored(ws: string, name: string): boolean {
  return spawnSync('git', ['check-ignore', '-q', name], { cwd: ws }).status === 0;
}

function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

describe('config secrets files (in a temp git repository)', function () {
  this.timeout(30000);

  describe('bazel', () => {
    it('creates user.bazelrc 0600, ignores and try-imports it; disable takes it all back', () => {
      const ws = gitRepo();
      write(ws, '.bazelrc', 'build --jobs=4\n');
      commitAll(ws);
      const before = snapshot(ws);
      applyPlan(planRemoteSet(options(ws, 'bazel'), { headers: { 'x-api-key': SECRET } }));
      const secrets = path.join(ws, 'user.bazelrc');
      assert.equal(mode(secrets), 0o600);
      assert.ok(ignored(ws, 'user.bazelrc'), 'user.bazelrc is not ignored');
      assert.match(
        fs.readFileSync(secrets, 'utf8'),
        new RegExp(`--remote_header=x-api-key=${SECRET}`),
      );
      assert.match(
        fs.readFileSync(path.join(ws, '.bazelrc'), 'utf8'),
        /^try-import %workspace%\/user\.bazelrc # rbl:remote$/m,
      );
      assert.ok(!git(ws, 'status', '--porcelain').includes('user.bazelrc'));
      assert.deepEqual(Object.keys(readRemoteSettings(options(ws, 'bazel')).headers), [
        'x-api-key',
      ]);
      applyPlan(planRemoteDisable(options(ws, 'bazel')));
      assert.deepEqual(snapshot(ws), before);
    });

    it('reuses an ignored try-import target (.bazelrc.auth) instead of creating a file', () => {
      const ws = gitRepo();
      write(ws, '.bazelrc', 'build --jobs=4\ntry-import %workspace%/.bazelrc.auth\n');
      write(ws, '.gitignore', '.bazelrc.auth\n');
      commitAll(ws);
      applyPlan(planRemoteSet(options(ws, 'bazel'), { headers: { authorization: SECRET } }));
      assert.ok(!fs.existsSync(path.join(ws, 'user.bazelrc')));
      assert.match(fs.readFileSync(path.join(ws, '.bazelrc.auth'), 'utf8'), new RegExp(SECRET));
      assert.equal(git(ws, 'status', '--porcelain'), '', 'a tracked file changed');
    });

    it('warns when a reused secrets file can be read by other users', () => {
      const ws = gitRepo();
      write(ws, '.bazelrc', 'try-import %workspace%/.bazelrc.user\n');
      write(ws, '.gitignore', '.bazelrc.user\n');
      commitAll(ws);
      write(ws, '.bazelrc.user', '# mine\n');
      fs.chmodSync(path.join(ws, '.bazelrc.user'), 0o644);
      const plan = planRemoteSet(options(ws, 'bazel'), { headers: { 'x-api-key': SECRET } });
      assert.ok(
        plan.warnings.some((w) => /\.bazelrc\.user .*other users can read it.*chmod 600/.test(w)),
      );
      assert.ok(plan.warnings.every((w) => !w.includes(SECRET)));
    });

    it('refuses to place a secret inside a git checkout when git itself is missing', () => {
      const ws = gitRepo();
      write(ws, '.bazelrc', 'build --jobs=4\n');
      const savedPath = process.env.PATH;
      process.env.PATH = '/nonexistent';
      try {
        assert.throws(
          () => planRemoteSet(options(ws, 'bazel'), { headers: { 'x-api-key': SECRET } }),
          (err: unknown) => err instanceof InputError && /git is not installed/.test(err.message),
        );
      } finally {
        process.env.PATH = savedPath;
      }
    });

    it('refuses with a clear InputError when the only candidate is tracked, writing nothing', () => {
      const ws = gitRepo();
      write(ws, '.bazelrc', 'try-import %workspace%/user.bazelrc\n');
      write(ws, 'user.bazelrc', '# team template\n');
      commitAll(ws);
      const before = snapshot(ws);
      assert.throws(
        () => planRemoteSet(options(ws, 'bazel'), { headers: { 'x-api-key': SECRET } }),
        (err: unknown) =>
          err instanceof InputError &&
          /tracked by git/.test(err.message) &&
          !err.message.includes(SECRET),
      );
      assert.deepEqual(snapshot(ws), before);
    });

    it('keeps non-secret settings in .bazelrc and the header out of it', () => {
      const ws = gitRepo();
      write(ws, '.bazelrc', 'common --announce_rc\n');
      commitAll(ws);
      applyPlan(
        planRemoteSet(options(ws, 'bazel'), {
          cache: 'grpcs://cache.example.com',
          headers: { 'x-api-key': SECRET },
        }),
      );
      const rc = fs.readFileSync(path.join(ws, '.bazelrc'), 'utf8');
      assert.ok(!rc.includes(SECRET));
      assert.match(rc, /^build --remote_cache=grpcs:\/\/cache\.example\.com # rbl:remote$/m);
    });
  });

  describe('pants', () => {
    it('puts headers in .pants.rc, created 0600 and ignored, never in pants.toml', () => {
      const ws = gitRepo();
      write(ws, 'pants.toml', '[GLOBAL]\npants_version = "2.20.0"\n');
      commitAll(ws);
      const before = snapshot(ws);
      applyPlan(planRemoteSet(options(ws, 'pants'), { headers: { authorization: SECRET } }));
      assert.equal(mode(path.join(ws, '.pants.rc')), 0o600);
      assert.ok(ignored(ws, '.pants.rc'));
      assert.ok(!fs.readFileSync(path.join(ws, 'pants.toml'), 'utf8').includes(SECRET));
      assert.deepEqual(Object.keys(readRemoteSettings(options(ws, 'pants')).headers), [
        'authorization',
      ]);
      applyPlan(planRemoteDisable(options(ws, 'pants')));
      assert.deepEqual(snapshot(ws), before);
    });

    it('refuses when .pants.rc is tracked', () => {
      const ws = gitRepo();
      write(ws, 'pants.toml', '[GLOBAL]\n');
      write(ws, '.pants.rc', '[GLOBAL]\n');
      commitAll(ws);
      assert.throws(
        () => planRemoteSet(options(ws, 'pants'), { headers: { a: SECRET } }),
        /tracked by git/,
      );
    });
  });

  describe('buck2', () => {
    it('puts headers in .buckconfig.local, created 0600 and ignored', () => {
      const ws = gitRepo();
      write(ws, '.buckconfig', '[cells]\nroot = .\n');
      commitAll(ws);
      const before = snapshot(ws);
      applyPlan(planRemoteSet(options(ws, 'buck2'), { headers: { 'x-api-key': SECRET } }));
      assert.equal(mode(path.join(ws, '.buckconfig.local')), 0o600);
      assert.ok(ignored(ws, '.buckconfig.local'));
      // Only the new .gitignore shows up; the secrets file itself is invisible to git.
      assert.equal(git(ws, 'status', '--porcelain').trim(), '?? .gitignore');
      applyPlan(planRemoteDisable(options(ws, 'buck2')));
      assert.deepEqual(snapshot(ws), before);
    });

    it('refuses when .buckconfig.local is tracked', () => {
      const ws = gitRepo();
      write(ws, '.buckconfig', '[cells]\nroot = .\n');
      write(ws, '.buckconfig.local', '');
      commitAll(ws);
      assert.throws(
        () => planRemoteSet(options(ws, 'buck2'), { headers: { a: SECRET } }),
        /tracked by git/,
      );
    });
  });
});
