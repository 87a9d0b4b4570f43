/**
 * Statistics for benchmark figures on a noisy, shared machine: medians, and 95 % intervals by
 * bootstrap (seeded, so the same samples always give the same interval).
 */
import { SeededRandom } from './rng';

export interface Interval {
  median: number;
  low: number;
  high: number;
  samples: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The q-quantile (0..1) by linear interpolation between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

const RESAMPLES = 2000;

/**
 * Median of `numerator / denominator` with a 95 % bootstrap interval. The runs of both sides were
 * interleaved, so each side is resampled on its own (the pairs are not matched measurements) and
 * the ratio of the resampled medians forms the distribution.
 */
export function ratioInterval(
  numerator: readonly number[],
  denominator: readonly number[],
  seed = 1,
): Interval {
  const random = new SeededRandom(seed);
  const resample = (values: readonly number[]): number[] =>
    values.map(() => values[Math.floor(random.next() * values.length)] as number);
  const ratios: number[] = [];
  for (let i = 0; i < RESAMPLES; i++)
    ratios.push(median(resample(numerator)) / median(resample(denominator)));
  return {
    median: median(numerator) / median(denominator),
    low: quantile(ratios, 0.025),
    high: quantile(ratios, 0.975),
    samples: Math.min(numerator.length, denominator.length),
  };
}

/** Median of one side with a 95 % bootstrap interval. */
export function medianInterval(values: readonly number[], seed = 1): Interval {
  const random = new SeededRandom(seed);
  const medians: number[] = [];
  for (let i = 0; i < RESAMPLES; i++)
    medians.push(
      median(values.map(() => values[Math.floor(random.next() * values.length)] as number)),
    );
  return {
    median: median(values),
    low: quantile(medians, 0.025),
    high: quantile(medians, 0.975),
    samples: values.length,
  };
}

/** Rounds for JSON output: 3 significant digits after the point is plenty for noisy figures. */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
