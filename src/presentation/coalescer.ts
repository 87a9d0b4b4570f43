/**
 * Collects keys of things that changed and hands them over at most once per interval, however
 * fast changes arrive: the first change of a quiet period flushes at once (a build's first rows
 * appear without delay), later ones wait for the interval's end and go out together.
 */
export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class Coalescer<K> {
  private pending = new Set<K>();
  private timer: unknown = undefined;
  private lastFlush = -Infinity;
  /** How many flushes happened: the refresh rate a test or a benchmark measures. */
  flushCount = 0;

  constructor(
    private readonly flush: (keys: ReadonlySet<K>) => void,
    private readonly intervalMs = 100,
    private readonly timers: Timers = realTimers,
  ) {}

  add(keys: Iterable<K>): void {
    for (const key of keys) this.pending.add(key);
    if (this.pending.size === 0 || this.timer !== undefined) return;
    const wait = this.lastFlush + this.intervalMs - this.timers.now();
    if (wait <= 0) this.flushNow();
    else this.timer = this.timers.setTimeout(() => this.flushNow(), wait);
  }

  /** Hands over whatever is pending now (e.g. when a build ends), and resets the interval. */
  flushNow(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const keys = this.pending;
    this.pending = new Set();
    this.lastFlush = this.timers.now();
    this.flushCount++;
    this.flush(keys);
  }

  dispose(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
