import { describeCause } from './render-text';
import type { ActionExplanation, Explanation, RootCause } from './types';

/** The actions of one target that missed, grouped by the root cause they are attributed to. */
export interface TargetExplanation {
  label: string;
  actions: ActionExplanation[];
  groups: { cause: RootCause; actions: ActionExplanation[] }[];
}

/**
 * Lookups the editor needs over one explanation: an action by any of its outputs (rows,
 * tooltips), a target's missed actions grouped by root cause. Built once, O(1) per lookup.
 */
export class ExplanationIndex {
  private readonly byOutput = new Map<string, ActionExplanation>();
  private readonly byLabel = new Map<string, ActionExplanation[]>();

  constructor(readonly explanation: Explanation) {
    for (const action of explanation.actions) {
      for (const output of action.outputs) this.byOutput.set(output, action);
      if (action.label === null) continue;
      const list = this.byLabel.get(action.label);
      if (list) list.push(action);
      else this.byLabel.set(action.label, [action]);
    }
  }

  /** The changed, added or removed action writing `output`, if any. */
  action(output: string): ActionExplanation | undefined {
    return this.byOutput.get(output);
  }

  /** One line for a tooltip: why the action writing `output` missed, or null if it did not. */
  hint(output: string): string | null {
    const action = this.byOutput.get(output);
    if (!action) return null;
    const causes = action.causes.map((i) => describeCause(this.explanation.summary.rootCauses[i]));
    const via = action.via.length > 0 ? ` (via ${action.via[0]})` : '';
    return `${action.status}: ${causes.join('; ')}${via}`;
  }

  /** A target's affected actions, grouped by root cause (biggest cause first). */
  target(label: string): TargetExplanation {
    const actions = this.byLabel.get(label) ?? [];
    const groups = new Map<number, ActionExplanation[]>();
    for (const action of actions) {
      for (const i of action.causes) {
        const list = groups.get(i);
        if (list) list.push(action);
        else groups.set(i, [action]);
      }
    }
    return {
      label,
      actions,
      groups: [...groups.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([i, list]) => ({ cause: this.explanation.summary.rootCauses[i], actions: list })),
    };
  }
}
