import * as assert from 'node:assert/strict';
import { Coalescer, type Timers } from '../../../src/presentation/coalescer';

/** A clock the test moves by hand, so rates are counted in simulated time, not measured. */
class ManualClock implements Timers {
  time = 0;
  private queue: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 1;
  now = (): number => this.time;
  setTimeout = (callback: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.queue.push({ at: this.time + ms, callback, id });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.queue = this.queue.filter((t) => t.id !== handle);
  };
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      this.queue.sort((a, b) => a.at - b.at);
      const next = this.queue[0];
      if (next === undefined || next.at > until) break;
      this.queue.shift();
      this.time = next.at;
      next.callback();
    }
    this.time = until;
  }
}

describe('presentation: refresh coalescing', () => {
  it('flushes the first change at once and later ones together, at most 10 times a second', () => {
    const clock = new ManualClock();
    const flushed: string[][] = [];
    const coalescer = new Coalescer<string>((keys) => flushed.push([...keys]), 100, clock);
    coalescer.add(['a']);
    assert.deepEqual(flushed, [['a']], 'the first change of a quiet period is not delayed');
    // 1000 changes spread over one simulated second.
    for (let i = 0; i < 1000; i++) {
      coalescer.add([`k${i % 7}`]);
      clock.advance(1);
    }
    clock.advance(200);
    assert.ok(coalescer.flushCount <= 12, `flushed ${coalescer.flushCount} times`);
    assert.ok(coalescer.flushCount >= 9, 'changes still reach the view every ~100 ms');
    const seen = new Set(flushed.flat());
    for (let i = 0; i < 7; i++) assert.ok(seen.has(`k${i}`), `k${i} was refreshed`);
    assert.ok(
      flushed.slice(1).every((keys) => keys.length <= 7),
      'keys are de-duplicated',
    );
  });

  it('flushNow hands over pending keys, and dispose drops them', () => {
    const clock = new ManualClock();
    const flushed: string[][] = [];
    const coalescer = new Coalescer<string>((keys) => flushed.push([...keys]), 100, clock);
    coalescer.add(['a']);
    coalescer.add(['b']);
    coalescer.flushNow();
    assert.deepEqual(flushed, [['a'], ['b']]);
    coalescer.add(['c']);
    coalescer.dispose();
    clock.advance(1000);
    assert.deepEqual(flushed, [['a'], ['b']]);
  });
});
