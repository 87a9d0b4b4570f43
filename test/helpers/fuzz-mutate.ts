// Seeded mutation of real inputs for the fuzz tier (test/unit/fuzz/). Every case is a pure
// function of (seed, case number), so a failure message that prints both reproduces it exactly.
import { SeededRandom } from '../../bench/rng';

/**
 * The fuzz tier's view of the project's one seeded generator (bench/rng.ts, mulberry32): the
 * same sequence for the same seed, with `int(n)` in [0, n) as the mutators count.
 */
export class Prng {
  private readonly random: SeededRandom;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }

  next(): number {
    return this.random.next();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** The seed of this run: RBL_FUZZ_SEED when set (to replay a failure), else a fresh one. */
export function fuzzSeed(): number {
  const fromEnv = process.env.RBL_FUZZ_SEED;
  if (fromEnv !== undefined && fromEnv !== '') {
    const seed = Number(fromEnv);
    if (!Number.isInteger(seed)) throw new Error(`RBL_FUZZ_SEED is not an integer: ${fromEnv}`);
    return seed >>> 0;
  }
  return (Date.now() ^ (process.pid << 16)) >>> 0;
}

/** Cases per format: RBL_FUZZ_CASES for the long variant, 10,000 by default. */
export function fuzzCases(): number {
  const fromEnv = process.env.RBL_FUZZ_CASES;
  if (fromEnv === undefined || fromEnv === '') return 10_000;
  const n = Number(fromEnv);
  if (!Number.isInteger(n) || n < 1) throw new Error(`RBL_FUZZ_CASES is not a count: ${fromEnv}`);
  return n;
}

/** How a case was made, for the failure message. */
export interface Mutant {
  bytes: Uint8Array;
  ops: string[];
}

/** Ten megabytes with no line break: the "10 MB line" case, made once and shared. */
let hugeLine: Uint8Array | null = null;
function tenMegabyteLine(): Uint8Array {
  hugeLine ??= new Uint8Array(10 * 1024 * 1024).fill(0x61);
  return hugeLine;
}

function splice(
  input: Uint8Array,
  at: number,
  removeAtMost: number,
  insert: Uint8Array,
): Uint8Array {
  const remove = Math.min(removeAtMost, input.length - at);
  const out = new Uint8Array(input.length - remove + insert.length);
  out.set(input.subarray(0, at), 0);
  out.set(insert, at);
  out.set(input.subarray(at + remove), at + insert.length);
  return out;
}

/** A varint of a length no reader may trust: 2^28..2^63. */
function hugeVarint(rng: Prng): Uint8Array {
  const forms = [
    [0xff, 0xff, 0xff, 0xff, 0x0f], // 2^32 - 1
    [0x80, 0x80, 0x80, 0x80, 0x02], // 2^29
    [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // 2^64 - 1
    [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // 11 bytes: malformed
    [0x81, 0x80, 0x80, 0x20], // 64 MiB + 1: just over the record limit
  ];
  return Uint8Array.from(rng.pick(forms));
}

const INVALID_UTF8 = [
  [0xff],
  [0xfe, 0xff],
  [0xc3, 0x28],
  [0xed, 0xa0, 0x80], // a lone surrogate, encoded
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xe2, 0x82], // cut multi-byte sequence
];

export type MutationKind = 'binary' | 'text';

/**
 * One to three mutations of `input`. `binary` inputs get huge length prefixes; `text` inputs
 * get deep nesting of JSON/TOML brackets. Both get truncation, bit flips, byte runs, invalid
 * UTF-8, NUL bytes, duplication and, rarely (it costs 10 MB), a 10 MB line.
 */
export function mutate(input: Uint8Array, rng: Prng, kind: MutationKind): Mutant {
  let bytes = input;
  const ops: string[] = [];
  const count = 1 + rng.int(3);
  for (let i = 0; i < count; i++) {
    const at = rng.int(bytes.length + 1);
    // Per mille, so the costly 10 MB line is 1 in 1,000 mutations (about 20 per 10,000 cases).
    const choice = rng.int(1000) / 10;
    if (choice < 18) {
      bytes = bytes.subarray(0, at);
      ops.push(`truncate@${at}`);
    } else if (choice < 40) {
      const flips = 1 + rng.int(8);
      const copy = Uint8Array.from(bytes);
      for (let f = 0; f < flips && copy.length > 0; f++) {
        const p = rng.int(copy.length);
        copy[p] ^= 1 << rng.int(8);
      }
      bytes = copy;
      ops.push(`flip${flips}@~${at}`);
    } else if (choice < 52) {
      if (kind === 'binary') {
        bytes = splice(bytes, at, rng.int(3), hugeVarint(rng));
        ops.push(`huge-length@${at}`);
      } else {
        const depth = 1 + rng.int(20_000);
        const open = rng.pick(['[', '{"a":', '[{"b":', '{']);
        bytes = splice(bytes, at, 0, new TextEncoder().encode(open.repeat(depth)));
        ops.push(`nest${depth}${open}@${at}`);
      }
    } else if (choice < 62) {
      bytes = splice(bytes, at, rng.int(2), Uint8Array.from(rng.pick(INVALID_UTF8)));
      ops.push(`bad-utf8@${at}`);
    } else if (choice < 70) {
      bytes = splice(bytes, at, 0, new Uint8Array(1 + rng.int(16)));
      ops.push(`nul@${at}`);
    } else if (choice < 78) {
      const from = rng.int(bytes.length + 1);
      const len = rng.int(Math.min(512, bytes.length - from) + 1);
      bytes = splice(bytes, at, 0, bytes.slice(from, from + len));
      ops.push(`dup${len}@${at}`);
    } else if (choice < 86) {
      const len = rng.int(Math.min(64, bytes.length - Math.min(at, bytes.length)) + 1);
      bytes = splice(bytes, at, len, new Uint8Array(0));
      ops.push(`cut${len}@${at}`);
    } else if (choice < 99.9) {
      const len = 1 + rng.int(32);
      const junk = new Uint8Array(len);
      for (let j = 0; j < len; j++) junk[j] = rng.int(256);
      bytes = splice(bytes, at, 0, junk);
      ops.push(`junk${len}@${at}`);
    } else {
      bytes = splice(bytes, at, 0, tenMegabyteLine());
      ops.push(`10MB-line@${at}`);
    }
  }
  return { bytes, ops };
}

/** Splits `bytes` into 1..8 random chunks, as a file read or a tailed file arrives. */
export function randomChunks(bytes: Uint8Array, rng: Prng): Uint8Array[] {
  const pieces = 1 + rng.int(8);
  const cuts = new Set<number>();
  for (let i = 1; i < pieces; i++) cuts.add(rng.int(bytes.length + 1));
  const sorted = [0, ...[...cuts].sort((a, b) => a - b), bytes.length];
  const chunks: Uint8Array[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) chunks.push(bytes.subarray(sorted[i], sorted[i + 1]));
  return chunks;
}

/**
 * A window of whole records of a delimited stream (1..max of them): a smaller, still valid
 * input, so 10,000 cases cost seconds, not minutes.
 */
export function delimitedWindow(records: readonly Uint8Array[], rng: Prng, max = 12): Uint8Array {
  const start = rng.int(records.length);
  const count = 1 + rng.int(max);
  const chosen = records.slice(start, start + count);
  const total = chosen.reduce((n, r) => n + r.length, 0);
  const out = new Uint8Array(total);
  let pos = 0;
  for (const r of chosen) {
    out.set(r, pos);
    pos += r.length;
  }
  return out;
}

/** The records of a varint-delimited stream, each with its length prefix. */
export function splitDelimited(bytes: Uint8Array): Uint8Array[] {
  const records: Uint8Array[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    let length = 0;
    let shift = 0;
    let p = pos;
    for (;;) {
      const b = bytes[p++];
      length += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) break;
    }
    records.push(bytes.subarray(pos, p + length));
    pos = p + length;
  }
  return records;
}

/** A window of whole lines (1..max) of a text file. */
export function lineWindow(lines: readonly string[], rng: Prng, max = 40): string {
  const start = rng.int(lines.length);
  return lines.slice(start, start + 1 + rng.int(max)).join('\n');
}
