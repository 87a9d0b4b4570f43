/**
 * Console output blocks that no action has claimed yet, indexed so that a new action or a log join
 * finds the blocks it may own without scanning the rest. A block names its action either by label
 * (matched as soon as an action with that label arrives) or only by progress message (matched
 * after the execution log join). The set is bounded: past the bound the oldest blocks stop waiting
 * and become the invocation's unattributed output, so a build with endless unmatched blocks costs
 * neither time per event nor unbounded waiting memory.
 */
import type { OutputBlock } from './action-output';

/** Blocks kept waiting for an owner before the oldest give up (a generous build's worth). */
export const MAX_PENDING_BLOCKS = 20_000;

interface Entry {
  readonly block: OutputBlock;
  /** Claimed or given up: still in the queues, skipped when met. */
  done: boolean;
}

export class PendingOutput {
  /** Every waiting entry in arrival order (the order blocks are attached in). */
  private queue: Entry[] = [];
  private head = 0;
  private readonly byLabel = new Map<string, Entry[]>();
  private waiting = 0;
  private finishedSinceRebuild = 0;
  /** Blocks that gave up waiting (past the bound): kept for the invocation, never attached. */
  readonly unattributed: OutputBlock[] = [];

  constructor(private readonly bound = MAX_PENDING_BLOCKS) {}

  get size(): number {
    return this.waiting;
  }

  /** The waiting blocks, oldest first. */
  blocks(): OutputBlock[] {
    return this.live().map((e) => e.block);
  }

  add(block: OutputBlock): void {
    const entry: Entry = { block, done: false };
    this.queue.push(entry);
    this.waiting++;
    if (block.label !== null) {
      const list = this.byLabel.get(block.label);
      if (list) list.push(entry);
      else this.byLabel.set(block.label, [entry]);
    }
    if (this.waiting <= this.bound) return;
    while (this.waiting > this.bound) this.giveUpOldest();
    this.compact();
  }

  /**
   * Offers the waiting blocks naming `label` (or every waiting block when `label` is undefined)
   * to `claim`, oldest first; a block `claim` accepts leaves the set.
   */
  offer(label: string | null | undefined, claim: (block: OutputBlock) => boolean): void {
    const entries = label === undefined ? this.live() : label === null ? [] : this.labelled(label);
    for (const entry of entries) {
      if (entry.done || !claim(entry.block)) continue;
      this.finish(entry);
    }
    this.compact();
  }

  private labelled(label: string): Entry[] {
    const list = this.byLabel.get(label);
    if (!list) return [];
    const live = list.filter((e) => !e.done);
    if (live.length === 0) this.byLabel.delete(label);
    else this.byLabel.set(label, live);
    return live;
  }

  private live(): Entry[] {
    const out: Entry[] = [];
    for (let i = this.head; i < this.queue.length; i++) {
      const e = this.queue[i];
      if (e && !e.done) out.push(e);
    }
    return out;
  }

  /** The label lists drop finished entries lazily (in `labelled` and `compact`). */
  private finish(entry: Entry): void {
    entry.done = true;
    this.waiting--;
    this.finishedSinceRebuild++;
  }

  private giveUpOldest(): void {
    while (this.head < this.queue.length) {
      const e = this.queue[this.head++];
      if (!e || e.done) continue;
      this.finish(e);
      this.unattributed.push(e.block);
      return;
    }
  }

  /** Rebuilds the queue and label lists once finished entries outnumber waiting ones (amortised). */
  private compact(): void {
    while (this.head < this.queue.length && this.queue[this.head]?.done) this.head++;
    if (this.finishedSinceRebuild <= 2 * this.waiting + 1024) return;
    this.finishedSinceRebuild = 0;
    this.queue = this.live();
    this.head = 0;
    this.byLabel.clear();
    for (const e of this.queue) {
      const label = e.block.label;
      if (label === null) continue;
      const list = this.byLabel.get(label);
      if (list) list.push(e);
      else this.byLabel.set(label, [e]);
    }
  }
}
