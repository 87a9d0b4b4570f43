// From the engine's light modules, not its index: the readers and the engine load with the
// first explanation, not when the extension activates.
import { ExplanationIndex } from '../../explain/explanation-index';
import { redactSummary } from '../../explain/redact';
import type { Explanation } from '../../explain/types';
import type { ActionLocation } from '../../model/types';

/** What a hint needs to know of an action row. */
export interface HintedAction {
  location: ActionLocation | null;
  outputs: readonly string[];
}

export interface MissHintsOptions {
  /** Explains an invocation against its baseline; null when it cannot be (no stored log). */
  compute: (invocationId: string) => Promise<Explanation | null>;
  /** True while a build runs: no background work then, the build has the CPU. */
  busy: () => boolean;
  /** Called when an invocation's hints became available (the tree redraws its rows). */
  onReady: (invocationId: string) => void;
  /** How many invocations' explanations are kept (most recently computed). */
  keep?: number;
}

/** Places where an action ran that mean it missed every cache. */
const MISSES: ReadonlySet<ActionLocation> = new Set(['local', 'remote', 'worker']);

/**
 * The root-cause hint in a missed action's tooltip. Lookups are O(1) and never wait: without a
 * computed explanation there is no hint, and the first lookup for an invocation schedules the
 * explanation in the background (never while a build runs; a failure is not retried, so a
 * damaged log costs one attempt). The "Why did this miss?" command adds what it computed.
 */
export class MissHints {
  private readonly ready = new Map<string, ExplanationIndex>();
  private readonly pending = new Set<string>();
  /** Invocations computed (or failed) once: never computed again on their own (see request). */
  private readonly attempted = new Set<string>();
  private readonly keep: number;

  constructor(private readonly options: MissHintsOptions) {
    this.keep = options.keep ?? 10;
  }

  /** `Why it missed: …` for a missed action with a computed explanation, else null. */
  hint(invocationId: string, action: HintedAction): string | null {
    if (action.location === null || !MISSES.has(action.location)) return null;
    const index = this.ready.get(invocationId);
    if (index === undefined) {
      this.request(invocationId);
      return null;
    }
    for (const output of action.outputs) {
      const hint = index.hint(output);
      if (hint !== null) return `Why it missed: ${hint}`;
    }
    return null;
  }

  has(invocationId: string): boolean {
    return this.ready.has(invocationId);
  }

  /** The kept explanation of an invocation against its baseline (summary redacted). */
  explanation(invocationId: string): Explanation | undefined {
    return this.ready.get(invocationId)?.explanation;
  }

  /** Keeps an explanation computed elsewhere (against the same baseline). */
  put(invocationId: string, explanation: Explanation): void {
    this.ready.delete(invocationId);
    const safe = { ...explanation, summary: redactSummary(explanation.summary) };
    this.ready.set(invocationId, new ExplanationIndex(safe));
    while (this.ready.size > this.keep) {
      const oldest = this.ready.keys().next().value as string;
      this.ready.delete(oldest);
    }
    this.attempted.add(invocationId);
    this.options.onReady(invocationId);
  }

  /** Forgets everything (the history was cleared). */
  clear(): void {
    this.ready.clear();
    this.attempted.clear();
  }

  /**
   * Once per invocation: a failure (damaged log) is not retried, and one that fell out of the
   * kept few is not recomputed, or expanding more invocations than are kept would recompute
   * them in a loop (each result redraws the tree, which asks again).
   */
  private request(invocationId: string): void {
    if (this.pending.has(invocationId) || this.attempted.has(invocationId) || this.options.busy())
      return;
    this.pending.add(invocationId);
    // Off the tree's call: the lookup that asked returns at once.
    setTimeout(() => {
      this.options
        .compute(invocationId)
        .then((explanation) => {
          if (explanation === null) this.attempted.add(invocationId);
          else this.put(invocationId, explanation);
        })
        .catch(() => this.attempted.add(invocationId))
        .finally(() => this.pending.delete(invocationId));
    }, 0);
  }
}
