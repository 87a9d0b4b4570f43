// The three execution log readers under fuzzing, seeded from the real logs in
// ../shared/fixtures: binary (`--execution_log_binary_file`), JSON
// (`--execution_log_json_file`) and compact (`--execution_log_compact_file`, zstd).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decompress } from 'fzstd';
import {
  CompactLogDecoder,
  SpawnBinaryDecoder,
  SpawnJsonDecoder,
  type SpawnDecoder,
} from '../../../src/execlog';
import { InputError } from '../../../src/util/errors';
import { JsonValueSplitter } from '../../../src/util/json-value-splitter';
import {
  assertLocatedInputError,
  caseRng,
  runFuzz,
  sharedFiles,
  type FuzzCase,
} from '../../helpers/fuzz-check';
import {
  delimitedWindow,
  mutate,
  randomChunks,
  splitDelimited,
  type Prng,
} from '../../helpers/fuzz-mutate';
import { zstdRawFrame } from '../execlog/compact-builder';

/**
 * Feeds `bytes` in random chunks and reads every spawn's fields (compact spawns expand their
 * inputs lazily, so reading them is part of decoding). Returns whether the log was refused.
 */
function decodeAll(
  decoder: SpawnDecoder,
  bytes: Uint8Array,
  rng: Prng,
  source: string,
  maxOffset?: number,
): boolean {
  try {
    for (const chunk of randomChunks(bytes, rng)) {
      for (const spawn of decoder.push(chunk)) {
        assert.equal(typeof spawn.mnemonic, 'string');
        assert.ok(Array.isArray(spawn.inputs));
        assert.ok(Array.isArray(spawn.args));
        // Compact spawns' content keys read the same entries' bytes another way.
        if (spawn.contentKey) assert.equal(typeof spawn.contentKey(), 'number');
      }
    }
    decoder.finish();
    return false;
  } catch (err) {
    assertLocatedInputError(err, source, maxOffset);
    assert.throws(() => decoder.finish(), InputError);
    return true;
  }
}

function label(file: string): string {
  return path.relative(path.resolve(file, '../../..'), file);
}

/** The JSON values of a file, each as its own text, for windows of whole spawns. */
function jsonValues(file: string): string[] {
  const values: string[] = [];
  const splitter = new JsonValueSplitter(file);
  splitter.push(fs.readFileSync(file), ({ text }) => values.push(text));
  splitter.finish();
  return values;
}

interface CompactSeed {
  name: string;
  records: Uint8Array[];
}

function compactSeeds(): CompactSeed[] {
  return sharedFiles('fixtures', (n) => n.endsWith('.zstd') || n.endsWith('.zst')).map((f) => ({
    name: label(f),
    records: splitDelimited(decompress(fs.readFileSync(f))),
  }));
}

function compactCase(seeds: CompactSeed[], rng: Prng): FuzzCase {
  const seed = rng.pick(seeds);
  // A prefix of the log: entries refer only to earlier ones, so a prefix is a valid log.
  const count = 1 + rng.int(Math.min(seed.records.length, 60));
  const plain = Buffer.concat(seed.records.slice(0, count));
  // Half the cases damage the entries inside an intact zstd frame (the record layer), half
  // damage the frame itself (the zstd layer).
  if (rng.int(2) === 0) {
    const inner = mutate(plain, rng, 'binary');
    const bytes = zstdRawFrame(inner.bytes, 1 + rng.int(4096));
    return { seed: seed.name, mutant: { bytes, ops: ['inside', ...inner.ops] } };
  }
  return { seed: seed.name, mutant: mutate(zstdRawFrame(plain, 1 + rng.int(4096)), rng, 'binary') };
}

describe('fuzz: execution logs', function () {
  this.timeout(180_000);

  it('binary logs: every damaged log reads or fails with a located InputError', () => {
    const seeds = sharedFiles('fixtures', (n) => n === 'exec.log.bin').map((f) => ({
      name: label(f),
      records: splitDelimited(fs.readFileSync(f)),
    }));
    let refused = 0;
    const cases = runFuzz(
      'execlog-binary',
      (rng) => {
        const seed = rng.pick(seeds);
        return {
          seed: seed.name,
          mutant: mutate(delimitedWindow(seed.records, rng), rng, 'binary'),
        };
      },
      (c, rng) => {
        const refusedNow = decodeAll(
          new SpawnBinaryDecoder('fuzz.exec.bin'),
          c.mutant.bytes,
          rng,
          'fuzz.exec.bin',
          c.mutant.bytes.length,
        );
        if (refusedNow) refused++;
      },
    );
    assert.ok(refused > 0 && refused < cases, `refused ${refused} of ${cases}`);
    console.log(
      `      execlog-binary: ${cases} cases, ${cases - refused} read, ${refused} refused`,
    );
  });

  it('JSON logs: every damaged log reads or fails with a located InputError', () => {
    const seeds = sharedFiles('fixtures', (n) => n === 'exec.log.json').map((f) => ({
      name: label(f),
      values: jsonValues(f),
    }));
    let refused = 0;
    const cases = runFuzz(
      'execlog-json',
      (rng) => {
        const seed = rng.pick(seeds);
        const start = rng.int(seed.values.length);
        const text = seed.values.slice(start, start + 1 + rng.int(6)).join('\n');
        return { seed: seed.name, mutant: mutate(new TextEncoder().encode(text), rng, 'text') };
      },
      (c, rng) => {
        const refusedNow = decodeAll(
          new SpawnJsonDecoder('fuzz.exec.json'),
          c.mutant.bytes,
          rng,
          'fuzz.exec.json',
          c.mutant.bytes.length,
        );
        if (refusedNow) refused++;
      },
    );
    assert.ok(refused > 0 && refused < cases, `refused ${refused} of ${cases}`);
    console.log(`      execlog-json: ${cases} cases, ${cases - refused} read, ${refused} refused`);
  });

  it('compact logs: damaged zstd and damaged entries read or fail with a located InputError', () => {
    const seeds = compactSeeds();
    let refused = 0;
    const cases = runFuzz(
      'execlog-compact',
      (rng) => compactCase(seeds, rng),
      (c, rng) => {
        if (
          decodeAll(new CompactLogDecoder('fuzz.exec.zstd'), c.mutant.bytes, rng, 'fuzz.exec.zstd')
        )
          refused++;
      },
    );
    assert.ok(refused > 0 && refused < cases, `refused ${refused} of ${cases}`);
    console.log(
      `      execlog-compact: ${cases} cases, ${cases - refused} read, ${refused} refused`,
    );
  });
});

describe('fuzz: execution log regressions', () => {
  it('compact: a damaged File entry is refused when read, not when the spawn inputs are expanded later', () => {
    // Found by the compact fuzzer (RBL_FUZZ_SEED=201757024, case 920): the entry's digest runs
    // past its end; the decoder interned it unchecked, and reading spawn.inputs afterwards threw
    // a plain Error ("field length 80 runs past the end of the message") from
    // src/execlog/compact-table.ts readDigest via EntryTable.input (compact.ts CompactSpawn).
    const rng = caseRng(201757024, 920);
    const c = compactCase(compactSeeds(), rng);
    assert.ok(c.seed.includes('tool_runfiles_contents_new'), `the seed list changed: ${c.seed}`);
    decodeAll(new CompactLogDecoder('regress.zstd'), c.mutant.bytes, rng, 'regress.zstd');
  });

  it('compact: a damaged entry behind a spawn input is refused when read (seed 141835936, case 6292)', () => {
    // Found by the compact fuzzer in CI: reading spawn.inputs threw a plain Error ("field runs
    // past the end of the message") from a lazily expanded entry.
    const rng = caseRng(141835936, 6292);
    const c = compactCase(compactSeeds(), rng);
    assert.ok(c.seed.includes('tool_runfiles_contents_new'), `the seed list changed: ${c.seed}`);
    decodeAll(new CompactLogDecoder('regress.zstd'), c.mutant.bytes, rng, 'regress.zstd');
  });
});
