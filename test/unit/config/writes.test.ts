import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyPlan, planFileDiffs, renderPlanDiff } from '../../../src/config/edit-plan';
import {
  planRemoteDisable,
  planRemoteSet,
  type WorkspaceOptions,
} from '../../../src/config/remote-settings';
import type { Tool } from '../../../src/config/settings';
import { InputError } from '../../../src/util/errors';
import { snapshot, tempDir } from './helpers';

function options(workspace: string, tool: Tool = 'bazel'): WorkspaceOptions {
  return { workspace, tool, config: null, env: {}, systemRc: null, homeDir: null };
}

const CACHE = { cache: 'grpcs://cache.example.com:443' };

describe('config writes: atomic, byte-preserving, careful', () => {
  it('keeps CRLF line endings: added lines use CRLF too', () => {
    const ws = tempDir();
    fs.writeFileSync(path.join(ws, '.bazelrc'), 'build --jobs=4\r\ncommon --announce_rc\r\n');
    applyPlan(planRemoteSet(options(ws), CACHE));
    const text = fs.readFileSync(path.join(ws, '.bazelrc'), 'utf8');
    assert.equal(text.replace(/\r\n/g, '').includes('\n'), false, 'a bare LF appeared');
    assert.ok(text.endsWith('# rbl:remote\r\n'));
  });

  it('keeps a BOM and a missing final newline, and disable restores them exactly', () => {
    for (const [tool, name, body] of [
      ['bazel', '.bazelrc', 'build --jobs=4'],
      ['pants', 'pants.toml', '[GLOBAL]\npants_version = "2.20.0"'],
      ['buck2', '.buckconfig', '[cells]\nroot = .'],
    ] as const) {
      const ws = tempDir();
      const original = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]);
      fs.writeFileSync(path.join(ws, name), original);
      applyPlan(planRemoteSet(options(ws, tool), CACHE));
      const edited = fs.readFileSync(path.join(ws, name));
      assert.deepEqual([...edited.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${tool}: BOM lost`);
      assert.notEqual(edited.at(-1), 0x0a, `${tool}: gained a final newline`);
      assert.ok(edited.includes('cache.example.com'), `${tool}: value not written`);
      applyPlan(planRemoteDisable(options(ws, tool)));
      assert.ok(fs.readFileSync(path.join(ws, name)).equals(original), `${tool}: not restored`);
    }
  });

  it('keeps the file mode and leaves no temp file behind', () => {
    const ws = tempDir();
    const rc = path.join(ws, '.bazelrc');
    fs.writeFileSync(rc, 'build --jobs=4\n');
    fs.chmodSync(rc, 0o640);
    applyPlan(planRemoteSet(options(ws), CACHE));
    assert.equal(fs.statSync(rc).mode & 0o777, 0o640);
    assert.deepEqual(fs.readdirSync(ws), ['.bazelrc']);
  });

  it('refuses to apply when the file changed after the plan was made', () => {
    const ws = tempDir();
    const rc = path.join(ws, '.bazelrc');
    fs.writeFileSync(rc, 'build --jobs=4\n');
    const plan = planRemoteSet(options(ws), CACHE);
    fs.appendFileSync(rc, 'build --jobs=8\n');
    assert.throws(
      () => applyPlan(plan),
      (e: unknown) => e instanceof InputError && /changed on disk/.test(e.message),
    );
    assert.equal(fs.readFileSync(rc, 'utf8'), 'build --jobs=4\nbuild --jobs=8\n');
  });

  it('edits the target of a symlinked rc file inside the workspace, keeping the link', () => {
    const ws = tempDir();
    fs.mkdirSync(path.join(ws, 'tools'));
    fs.writeFileSync(path.join(ws, 'tools', 'bazelrc'), 'build --jobs=4\n');
    fs.symlinkSync('tools/bazelrc', path.join(ws, '.bazelrc'));
    const plan = planRemoteSet(options(ws), CACHE);
    assert.deepEqual(plan.warnings, [], 'the planned text was not read through the link');
    applyPlan(plan);
    assert.ok(fs.lstatSync(path.join(ws, '.bazelrc')).isSymbolicLink());
    assert.match(fs.readFileSync(path.join(ws, 'tools', 'bazelrc'), 'utf8'), /remote_cache/);
  });

  it('refuses a symlinked rc file that points outside the workspace', () => {
    const outside = tempDir();
    fs.writeFileSync(path.join(outside, 'shared.bazelrc'), 'build --jobs=4\n');
    const ws = tempDir();
    fs.symlinkSync(path.join(outside, 'shared.bazelrc'), path.join(ws, '.bazelrc'));
    assert.throws(
      () => planRemoteSet(options(ws), CACHE),
      (e: unknown) => e instanceof InputError && /outside the workspace/.test(e.message),
    );
  });

  it('dry run: the diff hides secrets and nothing is written', () => {
    const ws = tempDir();
    fs.writeFileSync(path.join(ws, '.bazelrc'), 'build --jobs=4\n');
    const before = snapshot(ws);
    const plan = planRemoteSet(options(ws), {
      cache: 'grpcs://user:tok-secret@cache.example.com:443',
      headers: { 'x-api-key': 'hunter2-secret' },
    });
    const diff = renderPlanDiff(plan);
    assert.match(
      diff,
      /^\+build --remote_cache=grpcs:\/\/\*\*\*@cache\.example\.com:443 # rbl:remote$/m,
    );
    assert.ok(!diff.includes('tok-secret'));
    assert.match(diff, /^\+build --remote_header=x-api-key=\*\*\* # rbl:remote$/m);
    assert.ok(!diff.includes('hunter2-secret'));
    assert.deepEqual(snapshot(ws), before);
  });

  it('lists per file what a plan will do, for the form', () => {
    const ws = tempDir();
    fs.writeFileSync(path.join(ws, '.bazelrc'), 'build --jobs=4\n');
    const plan = planRemoteSet(options(ws), { ...CACHE, headers: { 'x-api-key': 'v-secret' } });
    const files = planFileDiffs(plan).map((d) => [d.file, d.action]);
    assert.deepEqual(files, [
      ['.bazelrc', 'edit'],
      ['user.bazelrc', 'create'],
    ]);
    assert.ok(planFileDiffs(plan).every((d) => !d.diff.includes('v-secret')));
  });

  it('a bad pants.toml is an InputError naming the file and byte offset', () => {
    const ws = tempDir();
    fs.writeFileSync(path.join(ws, 'pants.toml'), '[GLOBAL]\nremote_execution = tru e\n');
    assert.throws(
      () => planRemoteSet(options(ws, 'pants'), CACHE),
      (e: unknown) => e instanceof InputError && e.source === 'pants.toml' && e.offset === 28,
    );
  });
});

describe('config files created and deleted', () => {
  for (const [tool, name] of [
    ['bazel', '.bazelrc'],
    ['pants', 'pants.toml'],
    ['buck2', '.buckconfig'],
  ] as const) {
    it(`${tool}: a file set created is deleted by disable; an empty file that existed stays`, () => {
      const fresh = tempDir();
      applyPlan(planRemoteSet(options(fresh, tool), CACHE));
      assert.ok(fs.existsSync(path.join(fresh, name)));
      applyPlan(planRemoteDisable(options(fresh, tool)));
      assert.deepEqual(fs.readdirSync(fresh), []);
      const empty = tempDir();
      fs.writeFileSync(path.join(empty, name), '');
      applyPlan(planRemoteSet(options(empty, tool), CACHE));
      applyPlan(planRemoteDisable(options(empty, tool)));
      assert.deepEqual(fs.readdirSync(empty), [name]);
      assert.equal(fs.readFileSync(path.join(empty, name), 'utf8'), '');
    });
  }
});
