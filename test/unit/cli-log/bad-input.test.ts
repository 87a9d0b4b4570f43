// Bad input for `rbl log`: exit 2 with exactly one `rbl: ` line naming the file (and the byte
// offset for damaged content), never a stack trace; what precedes the damage is still listed.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { runRbl, type CliRun } from '../../helpers/cli';
import { fixturesDir, rblLogJson, type LogJson } from './shared-fixtures';

function assertOneLine(run: CliRun, mention: string): string {
  assert.equal(run.code, 2, run.stderr);
  const lines = run.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line expected, got:\n${run.stderr}`);
  assert.ok(lines[0].startsWith('rbl: '), lines[0]);
  assert.ok(lines[0].includes(mention), `${lines[0]} should mention ${mention}`);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
  return lines[0];
}

/** A deterministic byte generator (xorshift32), so "random bytes" are the same on every run. */
function pseudoRandomBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

const total = (json: LogJson) =>
  json.format.startsWith('bep')
    ? Object.values(json.events).reduce((a, b) => a + b, 0)
    : json.spawns.length;

describe('rbl log on bad input', () => {
  let dir: string;
  const write = (name: string, bytes: Uint8Array) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, bytes);
    return p;
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbl-log-bad-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a 0-byte file as a valid empty log (exit 0)', async () => {
    const { run, json } = await rblLogJson(write('empty.log', new Uint8Array(0)));
    assert.equal(run.code, 0);
    assert.equal(run.stderr, '');
    assert.deepEqual(json, { format: 'empty', spawns: [], events: {}, error: null });
  });

  it('rejects a missing FILE argument, an empty one, a directory and a missing file', async () => {
    assertOneLine(await runRbl(['log']), 'missing FILE');
    assertOneLine(await runRbl(['log', '--json', '']), 'not a regular file');
    assertOneLine(await runRbl(['log', dir]), 'not a regular file');
    const missing = path.join(dir, 'nope.bin');
    const run = await runRbl(['log', '--json', missing]);
    assertOneLine(run, `${missing}: cannot read the file: no such file`);
    assert.equal(run.stdout, '', 'nothing to print when the file cannot be read');
  });

  it('reports random bytes at a byte offset', async () => {
    for (const seed of [1, 7, 42]) {
      const file = write(`random-${seed}.bin`, pseudoRandomBytes(4096, seed));
      const { run, json } = await rblLogJson(file);
      const line = assertOneLine(run, `${file}: at byte `);
      assert.ok(json.error, line);
      assert.ok(line.includes(`at byte ${json.error.offset}: `));
    }
  });

  it('never crashes on arbitrary bytes: exit 0 or 2, at most one line, valid JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (bytes) => {
        const { run, json } = await rblLogJson(write('arbitrary.bin', bytes));
        assert.ok(run.code === 0 || run.code === 2, `exit ${run.code}: ${run.stderr}`);
        assert.equal(run.code === 2, json.error !== null);
        if (run.code === 2) assertOneLine(run, 'at byte ');
        else assert.equal(run.stderr, '');
      }),
      { numRuns: 150 },
    );
  });

  it('rejects a huge length prefix without allocating it, after the records before it', async () => {
    const huge = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]);
    const alone = await rblLogJson(write('huge.bin', huge));
    assert.match(assertOneLine(alone.run, 'at byte 0: '), /record length 4294967295 exceeds/);

    const valid = fs.readFileSync(fixturesDir('bazel-4.2.3', '01-clean-build', 'exec.log.bin'));
    const whole = await rblLogJson(fixturesDir('bazel-4.2.3', '01-clean-build', 'exec.log.bin'));
    const after = await rblLogJson(write('valid-then-huge.bin', Buffer.concat([valid, huge])));
    assertOneLine(after.run, `at byte ${valid.length}: `);
    assert.deepEqual(after.json.spawns, whole.json.spawns);
  });

  describe('truncated files give a prefix of the whole and one located error', () => {
    const cases = [
      ['bazel-4.2.3', '01-clean-build', 'exec.log.bin'],
      ['bazel-4.2.3', '01-clean-build', 'exec.log.json'],
      ['bazel-4.2.3', '08-tests-pass-and-fail', 'bep.bin'],
      ['bazel-4.2.3', '08-tests-pass-and-fail', 'bep.json'],
      ['external', 'analytics-cli', 'bep_retries.pretty.json'],
      ['external', 'buildbuddy', 'compact-execlog-pairs', '7.3.1', 'java_impl_change_new.pb.zstd'],
    ];
    for (const parts of cases) {
      it(parts.slice(1).join('/'), async () => {
        const source = fixturesDir(...parts);
        const bytes = fs.readFileSync(source);
        const { json: whole } = await rblLogJson(source);
        assert.equal(whole.error, null);
        await fc.assert(
          // From 64 bytes on the format is decidable (JSON key, zstd magic, BEP id).
          fc.asyncProperty(fc.integer({ min: 64, max: bytes.length - 1 }), async (cut) => {
            const file = write(`cut-${path.basename(source)}`, bytes.subarray(0, cut));
            const { run, json } = await rblLogJson(file);
            assert.equal(json.format, whole.format);
            if (json.format.startsWith('bep')) {
              for (const [kind, n] of Object.entries(json.events))
                assert.ok(n <= (whole.events[kind] ?? 0));
            } else {
              assert.deepEqual(json.spawns, whole.spawns.slice(0, json.spawns.length));
            }
            if (json.error) {
              assert.ok(
                json.error.offset <= cut,
                `offset ${json.error.offset} beyond the cut ${cut}`,
              );
              assertOneLine(run, `${file}: at byte ${json.error.offset}: `);
            } else {
              // Cut between two records (or only trailing whitespace lost): a valid log.
              assert.equal(run.code, 0);
              assert.ok(total(json) <= total(whole));
            }
          }),
          { numRuns: 25 },
        );
      });
    }
  });
});
