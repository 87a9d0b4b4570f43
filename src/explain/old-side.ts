import type { Spawn } from '../execlog/types';
import { diffActions, sameAction } from './action-diff';
import { actionNodeOf, type ActionGraph } from './graph';

/**
 * OLD's spawns as the diff needs them, collected while OLD streams in after NEW: a spawn whose
 * exact counterpart in NEW is identical is only counted (that is most of a build), the rest is
 * kept for pairing and attribution. So memory holds one build, not two.
 */
export class OldSide {
  /** Spawns that changed, or have no exact counterpart in NEW. */
  readonly kept: Spawn[] = [];
  /** How many spawns were identical to their counterpart and dropped. */
  dropped = 0;
  /** Ids of NEW's actions that an identical OLD spawn matched. */
  readonly matched = new Set<number>();
  /** Configurations OLD wrote into, dropped spawns included. */
  readonly configs = new Set<string>();

  constructor(private readonly newGraph: ActionGraph) {}

  add(spawn: Spawn): void {
    const node = actionNodeOf(spawn);
    if (node.config !== null) this.configs.add(node.config);
    const counterpart = this.newGraph.withOutputs(node.outputs);
    if (
      counterpart &&
      !this.matched.has(counterpart.id) &&
      (sameAction(node, counterpart) || diffActions(node, counterpart) === null)
    ) {
      this.matched.add(counterpart.id);
      this.dropped++;
      // Identical: nothing of NEW's spawn is needed any more either.
      this.newGraph.release(counterpart);
      return;
    }
    this.kept.push(spawn);
  }
}
