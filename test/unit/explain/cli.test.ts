import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runRbl } from '../../helpers/cli';
import { sharedDir } from '../../helpers/paths';

const fixtures = () => sharedDir('fixtures', 'bazel-4.2.3');
const log = (scenario: string, kind: 'json' | 'bin') =>
  path.join(fixtures(), scenario, `exec.log.${kind}`);

const rbl = (...args: string[]) => runRbl(args);

describe('rbl explain (CLI)', () => {
  let tmp: string;
  before(() => {
    fixtures(); // fails loudly, naming the folder, when ../shared is absent
    tmp = mkdtempSync(path.join(os.tmpdir(), 'rbl-explain-cli-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('--json prints exactly one JSON object in the CONTRACT shape', async () => {
    const r = await rbl(
      'explain',
      log('03-disk-cache-after-clean', 'json'),
      log('04-source-changed', 'bin'),
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    const parsed = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed).sort(), ['actions', 'rootCauses']);
    assert.deepEqual(parsed.actions, {
      old: 13,
      new: 3,
      changed: 3,
      added: 0,
      removed: 0,
      notRun: 10,
      unchanged: 0,
    });
    assert.deepEqual(parsed.rootCauses, [
      {
        kind: 'input',
        path: 'gen/input.txt',
        affectedActions: 3,
        examples: [
          'bazel-out/k8-fastbuild/bin/gen/step1.txt',
          'bazel-out/k8-fastbuild/bin/gen/step2.txt',
          'bazel-out/k8-fastbuild/bin/gen/step3.txt',
        ],
      },
    ]);
    assert.equal(r.stderr, '');
  });

  it('prints a readable report without --json, every cause of a two-step change', async () => {
    // 01 is a complete build; 04 edited gen/input.txt and 05 changed GREETING since.
    const r = await rbl(
      'explain',
      log('01-clean-build', 'json'),
      log('05-action-env-changed', 'bin'),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^Compared 13 old with 8 new actions: 8 changed, 0 added, 0 removed, 5 not run/m,
    );
    assert.match(r.stdout, /^ {2}1\. environment GREETING: "hello" → "bonjour" {2}\[8 actions\]$/m);
    assert.match(r.stdout, /^ {2}2\. input changed: gen\/input\.txt {2}\[3 actions\]$/m);
  });

  it('--action shows one action, its root cause and the chain from where it began', async () => {
    const step3 = 'bazel-out/k8-fastbuild/bin/gen/step3.txt';
    const r = await rbl(
      'explain',
      log('03-disk-cache-after-clean', 'bin'),
      log('04-source-changed', 'bin'),
      '--json',
      '--action',
      step3,
    );
    assert.equal(r.code, 0, r.stderr);
    const action = (JSON.parse(r.stdout) as { action: Record<string, unknown> }).action;
    assert.equal(action.status, 'changed');
    assert.deepEqual(action.chain, [
      'bazel-out/k8-fastbuild/bin/gen/step1.txt',
      'bazel-out/k8-fastbuild/bin/gen/step2.txt',
      step3,
    ]);
    assert.deepEqual(
      (action.rootCauses as { kind: string; path: string }[]).map((c) => [c.kind, c.path]),
      [['input', 'gen/input.txt']],
    );
  });

  it('an --action no log writes is a usage error (exit 2)', async () => {
    const r = await rbl(
      'explain',
      log('01-clean-build', 'bin'),
      log('04-source-changed', 'bin'),
      '--action',
      'bazel-out/k8-fastbuild/bin/nothing/here',
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^rbl: explain: --action bazel-out\/k8-fastbuild\/bin\/nothing\/here: /);
  });

  it('a truncated log exits 2 with one line naming the file and byte offset', async () => {
    const whole = readFileSync(log('01-clean-build', 'bin'));
    const truncated = path.join(tmp, 'truncated.bin');
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    const r = await rbl('explain', log('01-clean-build', 'bin'), truncated, '--json');
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(
      lines[0],
      new RegExp(`^rbl: ${truncated.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: at byte \\d+: `),
    );
  });

  it('a corrupt JSON log exits 2 with one line naming the file and byte offset', async () => {
    const corrupt = path.join(tmp, 'corrupt.json');
    writeFileSync(corrupt, '{"commandArgs": ["a"], "mnemonic": }');
    const r = await rbl('explain', corrupt, log('01-clean-build', 'json'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^rbl: .*corrupt\.json: at byte \d+: [^\n]*\n$/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('usage errors exit 2: a missing file, a wrong number of logs, an unknown flag', async () => {
    const missing = await rbl('explain', path.join(tmp, 'nope.log'), log('01-clean-build', 'bin'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^rbl: explain: .*nope\.log: no such execution log file\n$/);
    assert.equal((await rbl('explain', log('01-clean-build', 'bin'))).code, 2);
    assert.equal((await rbl('explain', 'a', 'b', '--frobnicate')).code, 2);
  });
});
