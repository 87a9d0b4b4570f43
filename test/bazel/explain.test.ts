import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Spawn } from '../../src/execlog/types';
import { explainSpawns } from '../../src/explain/explain';
import { readSpawnsForExplain } from '../../src/explain/read';
import type { Explanation, RootCause } from '../../src/explain/types';
import { createWorkspace, runBazel, shutdownWorkspace, type Workspace } from '../helpers/bazel';
import { recordBuild, type RecordedBuild } from '../helpers/record-build';

/**
 * The issue's table of expected answers, on builds recorded here with the real Bazel 4.2.3.
 * Every build is a clean build (`bazel clean` first, no disk cache), so each log holds every
 * spawn and the pairs compare complete builds. One workspace copy is edited step by step; each
 * scenario compares two of its recordings. Expected counts come from the logs themselves.
 */

const TARGETS = ['//gen:all', '//env:all', '//cc:all'];
const NON_HERMETIC_TARGETS = ['//nonhermetic:uuid_consumer'];

interface Recording {
  build: RecordedBuild;
  spawns: Spawn[];
}

async function cleanBuild(
  ws: Workspace,
  options: string[],
  targets = TARGETS,
  logFormat: 'binary' | 'json' = 'binary',
): Promise<Recording> {
  const clean = await runBazel(ws, ['clean']);
  assert.equal(clean.exitCode, 0, `bazel clean failed:\n${clean.stderr}`);
  const build = await recordBuild(ws, { command: 'build', options, targets });
  assert.equal(build.exitCode, 0, `bazel build failed:\n${build.stderr}`);
  const log = logFormat === 'binary' ? build.files.execLogBinary : build.files.execLogJson;
  return { build, spawns: await readSpawnsForExplain(log) };
}

function edit(ws: Workspace, file: string, change: (text: string) => string): void {
  const full = path.join(ws.dir, file);
  fs.writeFileSync(full, change(fs.readFileSync(full, 'utf8')));
}

function outputsOf(spawns: Spawn[], match: (s: Spawn) => boolean): string[] {
  return spawns.filter(match).map((s) => s.listedOutputs.find((o) => !o.endsWith('.d')) ?? '');
}

function only<K extends RootCause['kind']>(e: Explanation, kind: K): RootCause & { kind: K } {
  assert.deepEqual(
    e.summary.rootCauses.map((c) => c.kind),
    [kind],
    JSON.stringify(e.summary, null, 1),
  );
  return e.summary.rootCauses[0] as RootCause & { kind: K };
}

describe('rbl explain on real Bazel 4.2.3 builds (the issue table)', function () {
  this.timeout(20 * 60_000);
  let ws: Workspace;
  const rec: Record<string, Recording> = {};

  before(async function () {
    this.timeout(20 * 60_000);
    ws = createWorkspace('explain');
    const x1 = ['--action_env=X=1'];
    const x2 = ['--action_env=X=2'];
    rec.base = await cleanBuild(ws, x1, TARGETS, 'json');
    rec.again = await cleanBuild(ws, x1);
    edit(ws, 'gen/input.txt', (t) => `${t}an edited line\n`);
    rec.sourceEdited = await cleanBuild(ws, x1);
    rec.envChanged = await cleanBuild(ws, x2, TARGETS, 'json');
    edit(ws, 'gen/BUILD', (t) =>
      t.replace("(echo '# step2'; cat $<)", "(echo '# step 2!'; cat $<)"),
    );
    rec.cmdEdited = await cleanBuild(ws, x2);
    rec.opt = await cleanBuild(ws, [...x2, '-c', 'opt']);
    fs.writeFileSync(path.join(ws.dir, 'cc', 'extra.h'), 'int extra();\n');
    fs.writeFileSync(path.join(ws.dir, 'cc', 'extra.cc'), 'int extra() { return 7; }\n');
    edit(
      ws,
      'cc/BUILD',
      (t) =>
        `${t.replace('":mathlib",', '":mathlib",\n        ":extra",')}\ncc_library(\n    name = "extra",\n    srcs = ["extra.cc"],\n    hdrs = ["extra.h"],\n)\n`,
    );
    rec.newLibrary = await cleanBuild(ws, x2);
    rec.uuid1 = await cleanBuild(ws, [], NON_HERMETIC_TARGETS);
    rec.uuid2 = await cleanBuild(ws, [], NON_HERMETIC_TARGETS, 'json');
  });

  after(async function () {
    this.timeout(2 * 60_000);
    if (ws) await shutdownWorkspace(ws);
  });

  it('the same build twice: no root causes, changed 0', () => {
    const e = explainSpawns(rec.base.spawns, rec.again.spawns);
    assert.deepEqual(e.summary.rootCauses, []);
    assert.equal(e.summary.actions.changed, 0);
    assert.ok(e.summary.actions.new > 0);
    assert.equal(e.summary.actions.unchanged, rec.again.spawns.length);
  });

  it('a source file feeding the genrule chain: exactly one input cause over the chain', () => {
    const e = explainSpawns(rec.again.spawns, rec.sourceEdited.spawns);
    const cause = only(e, 'input');
    assert.equal(cause.path, 'gen/input.txt');
    const chain = outputsOf(rec.sourceEdited.spawns, (s) =>
      /genrule \/\/gen:step\d/.test(s.progressMessage ?? ''),
    );
    assert.equal(chain.length, 3);
    assert.equal(cause.affectedActions, chain.length);
    assert.equal(e.summary.actions.changed, chain.length);
    assert.deepEqual([...cause.examples].sort(), chain.sort());
    assert.equal(cause.examples[0], 'bazel-out/k8-fastbuild/bin/gen/step1.txt');
  });

  it('--action_env=X=1 then X=2: exactly one env cause covering every action that sees it', () => {
    const e = explainSpawns(rec.sourceEdited.spawns, rec.envChanged.spawns);
    const cause = only(e, 'env');
    assert.deepEqual([cause.name, cause.old, cause.new], ['X', '1', '2']);
    const seeing = rec.envChanged.spawns.filter((s) => s.env.some((v) => v.name === 'X'));
    assert.ok(seeing.length > 5, 'every spawn should see --action_env');
    assert.equal(cause.affectedActions, seeing.length);
    assert.equal(e.summary.actions.changed, seeing.length);
  });

  it("a genrule's cmd edited: one args cause for it, its dependants attributed to it", () => {
    const e = explainSpawns(rec.envChanged.spawns, rec.cmdEdited.spawns);
    const cause = only(e, 'args');
    assert.equal(cause.examples[0], 'bazel-out/k8-fastbuild/bin/gen/step2.txt');
    assert.ok(cause.old.some((a) => a.includes("'# step2'")));
    assert.ok(cause.new.some((a) => a.includes("'# step 2!'")));
    assert.deepEqual(cause.examples, [
      'bazel-out/k8-fastbuild/bin/gen/step2.txt',
      'bazel-out/k8-fastbuild/bin/gen/step3.txt',
    ]);
    assert.equal(cause.affectedActions, 2);
    const step3 = e.actions.find((a) => a.primaryOutput.endsWith('/gen/step3.txt'));
    assert.deepEqual(step3?.via, ['bazel-out/k8-fastbuild/bin/gen/step2.txt']);
  });

  it('default then -c opt: one configuration cause with the compiler arguments under it', () => {
    const e = explainSpawns(rec.cmdEdited.spawns, rec.opt.spawns);
    const cause = only(e, 'configuration');
    assert.deepEqual([cause.old, cause.new], ['k8-fastbuild', 'k8-opt']);
    assert.ok(cause.args.new.includes('-O2'), JSON.stringify(cause.args));
    const a = e.summary.actions;
    // Everything that ran moved configuration; so did what the old build ran and the new one
    // no longer needs (a consumer lost it: `removed`, attributed to the configuration too).
    assert.equal(cause.affectedActions, a.changed + a.added + a.removed);
    const affected = new Set(e.actions.map((x) => x.primaryOutput));
    assert.equal(
      a.changed + a.added,
      rec.opt.spawns.length,
      `not attributed: ${rec.opt.spawns
        .filter((s) => !s.listedOutputs.some((o) => affected.has(o)))
        .map((s) => `${s.mnemonic} ${s.listedOutputs.join(',')}`)
        .join('; ')}`,
    );
  });

  it('a new cc_library dependency: action-added, the link and compile that read it attributed', () => {
    const e = explainSpawns(rec.cmdEdited.spawns, rec.newLibrary.spawns);
    const causes = e.summary.rootCauses;
    assert.ok(causes.length > 0);
    for (const c of causes) {
      assert.equal(c.kind, 'action-added', JSON.stringify(c));
      assert.match(c.kind === 'action-added' ? c.path : '', /\/cc\/.*extra/);
    }
    const added = rec.newLibrary.spawns.filter((s) =>
      s.listedOutputs.some((o) => o.includes('extra')),
    );
    assert.equal(e.summary.actions.added, added.length);
    const link = e.actions.find((x) => x.primaryOutput === 'bazel-out/k8-fastbuild/bin/cc/hello');
    assert.ok(link, 'the binary is relinked');
    assert.equal(link.status, 'changed');
    assert.ok(link.causes.length > 0);
    const total = e.summary.actions.changed + e.summary.actions.added;
    assert.equal(
      causes.reduce((n, c) => n + c.affectedActions, 0),
      total,
    );
  });

  it('a genrule reading /proc/sys/kernel/random/uuid, built twice: one non-hermetic cause', () => {
    const e = explainSpawns(rec.uuid1.spawns, rec.uuid2.spawns);
    const cause = only(e, 'non-hermetic');
    assert.equal(cause.path, 'bazel-out/k8-fastbuild/bin/nonhermetic/uuid.txt');
    assert.deepEqual(cause.examples, [
      'bazel-out/k8-fastbuild/bin/nonhermetic/uuid.txt',
      'bazel-out/k8-fastbuild/bin/nonhermetic/uuid_consumer.txt',
    ]);
    assert.equal(cause.affectedActions, 2);
  });
});
