// `rbl log --json` on every file under ../shared/fixtures/external/: valid files are read
// completely; the files broken on purpose (SOURCES.md) give what precedes the break plus one
// located error. The table below is the expected outcome per file; counts are checked against
// the file itself by a method independent of the readers (lines, closing braces, raw records).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decompress } from 'fzstd';
import { fixturesDir, rblLogJson } from './shared-fixtures';

type Count = 'lines' | 'lines-but-last' | 'top-level-braces' | 'spawn-entries' | number;
type ErrorAt = null | 'last-line' | number;

interface Expectation {
  format: string;
  /** How many events (BEP) or spawns (execution logs) the file holds. */
  count: Count;
  error: ErrorAt;
  why?: string;
}

const BY_PATTERN: [RegExp, Expectation][] = [
  [
    /^analytics-cli\/bep_empty\.ndjson$/,
    {
      format: 'bep-json',
      count: 1,
      error: null,
      why: '`{}` is valid proto3 JSON of a BuildEvent whose fields are all default: one event with no id, counted as kind "unknown"',
    },
  ],
  [
    /^analytics-cli\/bep_partially_valid\.ndjson$/,
    { format: 'bep-json', count: 'lines-but-last', error: 'last-line', why: 'last line truncated' },
  ],
  [/\.pretty\.json$/, { format: 'bep-json', count: 'top-level-braces', error: null }],
  [
    /^analytics-cli\/broken_bep_binary_file\.bin$/,
    {
      format: 'bep-binary',
      count: 0,
      error: 0,
      why: 'every byte >= 0x80 was replaced by U+FFFD, so the first length prefix is already wrong',
    },
  ],
  [/\.ndjson$/, { format: 'bep-json', count: 'lines', error: null }],
  [/\.(pb\.zstd|binpb\.zst)$/, { format: 'compact', count: 'spawn-entries', error: null }],
  [
    /^buildbuddy\/compact-to-json\/1(\.sorted)?\.json$/,
    { format: 'spawn-json', count: 2, error: null, why: 'converted from 1.binpb.zst' },
  ],
];

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(p) : [p];
  });
}

function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, pos];
  }
}

/** Counts ExecLogEntry records whose top level has field 7 (spawn), by walking the wire format. */
function countSpawnEntries(file: string): number {
  const data = decompress(fs.readFileSync(file));
  let count = 0;
  for (let pos = 0; pos < data.length;) {
    const [length, start] = readVarint(data, pos);
    const end = start + length;
    for (let p = start; p < end;) {
      const [tag, next] = readVarint(data, p);
      const wireType = tag & 7;
      if (wireType === 0) p = readVarint(data, next)[1];
      else if (wireType === 2) {
        const [len, body] = readVarint(data, next);
        if (tag >>> 3 === 7) count++;
        p = body + len;
      } else throw new Error(`unexpected wire type ${wireType} in ${file}`);
    }
    pos = end;
  }
  return count;
}

function expectedCount(count: Count, file: string): number {
  if (typeof count === 'number') return count;
  if (count === 'spawn-entries') return countSpawnEntries(file);
  const text = fs.readFileSync(file, 'utf8');
  if (count === 'top-level-braces') return (text.match(/^\}/gm) ?? []).length;
  const lines = text.split('\n').filter((l) => l.trim() !== '').length;
  return count === 'lines' ? lines : lines - 1;
}

function expectedOffset(error: Exclude<ErrorAt, null>, file: string): number {
  if (typeof error === 'number') return error;
  const bytes = fs.readFileSync(file);
  return bytes.lastIndexOf('\n{') + 1;
}

describe('rbl log on the external fixtures', () => {
  const root = fixturesDir('external');
  const files = listFiles(root)
    .map((f) => path.relative(root, f))
    .filter((f) => !f.endsWith('.md'))
    .sort();

  it('has an expectation for every file', () => {
    assert.ok(files.length > 0, `no files under ${root}`);
    for (const f of files)
      assert.ok(
        BY_PATTERN.some(([re]) => re.test(f)),
        `no expectation for ${f}`,
      );
  });

  for (const rel of files) {
    const expectation = BY_PATTERN.find(([re]) => re.test(rel))?.[1];
    if (!expectation) continue;
    it(`${rel}: ${expectation.format}, ${expectation.error === null ? 'read completely' : 'located error'}${expectation.why ? ` (${expectation.why})` : ''}`, async () => {
      const file = path.join(root, rel);
      const { run, json } = await rblLogJson(file);
      assert.equal(json.format, expectation.format);
      const count = json.format.startsWith('bep')
        ? Object.values(json.events).reduce((a, b) => a + b, 0)
        : json.spawns.length;
      assert.equal(count, expectedCount(expectation.count, file));
      if (expectation.error === null) {
        assert.equal(json.error, null);
        assert.equal(run.code, 0);
        assert.equal(run.stderr, '');
      } else {
        const offset = expectedOffset(expectation.error, file);
        assert.equal(json.error?.offset, offset);
        assert.equal(run.code, 2);
        const lines = run.stderr.trimEnd().split('\n');
        assert.equal(lines.length, 1, run.stderr);
        assert.ok(lines[0].startsWith(`rbl: ${file}: at byte ${offset}: `), lines[0]);
      }
      if (json.format === 'bep-json' || json.format === 'bep-binary')
        assert.deepEqual(json.spawns, []);
      else assert.deepEqual(json.events, {});
    });
  }
});
