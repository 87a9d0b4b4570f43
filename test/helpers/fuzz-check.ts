// The verdict of one fuzz case and the loop that runs them: a damaged input may be read (with
// fewer or different events) or refused with a located InputError, but never anything else.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../src/util/errors';
import { Prng, fuzzCases, fuzzSeed, type Mutant } from './fuzz-mutate';

/** ../shared (fixtures and corpus), or a loud failure naming what is missing. */
export function sharedDir(): string {
  const dir = path.resolve(process.cwd(), '..', 'shared');
  if (!fs.existsSync(path.join(dir, 'fixtures')) || !fs.existsSync(path.join(dir, 'corpus'))) {
    throw new Error(
      `the shared fixtures/corpus are missing: expected ${dir}/fixtures and ${dir}/corpus (run the tests from the repository root, with ../shared beside it)`,
    );
  }
  return dir;
}

/** Files under ../shared/<rel> whose names pass `keep`, sorted; fails loudly when none. */
export function sharedFiles(rel: string, keep: (name: string) => boolean): string[] {
  const root = path.join(sharedDir(), rel);
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (keep(entry.name)) found.push(full);
    }
  };
  walk(root);
  if (found.length === 0) throw new Error(`no fuzz seeds found under ${root}`);
  return found.sort();
}

/**
 * Checks a thrown value: an InputError naming `source`, with a byte offset in [0, maxOffset]
 * when `maxOffset` is given (an offset is required either way), and a one-line message.
 */
export function assertLocatedInputError(err: unknown, source: string, maxOffset?: number): void {
  if (!(err instanceof InputError)) {
    // The thrower's stack, so a CI log alone locates the unguarded path.
    const what = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
    throw new Error(`threw something other than an InputError: ${what}`);
  }
  if (err.source !== source) {
    throw new Error(`the error names ${String(err.source)}, not ${source}: ${err.describe()}`);
  }
  if (err.offset === undefined || !Number.isInteger(err.offset) || err.offset < 0) {
    throw new Error(`the error has no byte offset: ${err.describe()}`);
  }
  if (maxOffset !== undefined && err.offset > maxOffset) {
    throw new Error(`offset ${err.offset} is past the end (${maxOffset}): ${err.describe()}`);
  }
  if (err.message.includes('\n    at ')) throw new Error(`the message holds a stack trace`);
}

/** Which input a case mutated and how: printed with the seed when a case fails. */
export interface FuzzCase {
  seed: string;
  mutant: Mutant;
}

/** The generator of case `i` of the run with `seed`. */
export function caseRng(seed: number, i: number): Prng {
  return new Prng((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
}

/**
 * Runs `fuzzCases()` cases (RBL_FUZZ_CASES) of `name`. Case i uses its own generator seeded
 * from the run seed and i, so `RBL_FUZZ_SEED=<seed>` replays a failure exactly.
 */
export function runFuzz(
  name: string,
  makeCase: (rng: Prng) => FuzzCase,
  check: (c: FuzzCase, rng: Prng) => void,
  cases = fuzzCases(),
): number {
  const seed = fuzzSeed();
  for (let i = 0; i < cases; i++) {
    const rng = caseRng(seed, i);
    const c = makeCase(rng);
    try {
      check(c, rng);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(
        `${name}: case ${i} failed (replay with RBL_FUZZ_SEED=${seed}): seed input ${c.seed}, mutations ${c.mutant.ops.join(' ')}: ${why}`,
        { cause: err },
      );
    }
  }
  return cases;
}
