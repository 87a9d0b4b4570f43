import type { Spawn } from '../execlog/types';
import { contentKeyOf, diffActions, sameAction } from './action-diff';
import { actionNodeOf, declaredOutputsOf, type ActionGraph, type ActionNode } from './graph';

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
    if (this.matchedByKey(spawn)) return;
    const node = actionNodeOf(spawn);
    if (node.config !== null) this.configs.add(node.config);
    const counterpart = this.newGraph.withOutputs(node.outputs);
    if (
      counterpart &&
      !this.matched.has(counterpart.id) &&
      (sameAction(node, counterpart) || diffActions(node, counterpart) === null)
    ) {
      this.match(counterpart);
      return;
    }
    this.kept.push(spawn);
  }

  /**
   * The common case when the reader has content keys (see `contentKeyOf`): NEW's action with
   * the same outputs has the same key. The spawn is then identical without an ActionNode of its
   * own, 10^5 times: the same output set names the same primary output and configuration. Test
   * spawns, whose primary output may depend on their inputs, go the general way.
   */
  private matchedByKey(spawn: Spawn): boolean {
    if (spawn.mnemonic === TEST_RUNNER) return false;
    const key = contentKeyOf(spawn);
    if (key === undefined || Number.isNaN(key)) return false;
    const counterpart = this.newGraph.withOutputs(declaredOutputsOf(spawn));
    if (
      !counterpart ||
      counterpart.spawn === null ||
      counterpart.mnemonic === TEST_RUNNER ||
      this.matched.has(counterpart.id) ||
      contentKeyOf(counterpart.spawn) !== key
    ) {
      return false;
    }
    if (counterpart.config !== null) this.configs.add(counterpart.config);
    this.match(counterpart);
    return true;
  }

  private match(counterpart: ActionNode): void {
    this.matched.add(counterpart.id);
    this.dropped++;
    // Identical: nothing of NEW's spawn is needed any more either.
    this.newGraph.release(counterpart);
  }
}

const TEST_RUNNER = 'TestRunner';
