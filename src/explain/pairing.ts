import type { ActionGraph, ActionNode } from './graph';
import { outputKey } from './graph';
import { withoutConfig } from './paths';

/** Which old action each new action corresponds to (and back); -1 where there is none. */
export interface Pairing {
  newToOld: Int32Array;
  oldToNew: Int32Array;
}

/**
 * Pairs the actions of two builds: first by the exact set of output paths; then, for what is
 * left, by the output set with the `bazel-out/<config>/` segment normalised (the configuration
 * changed); then by label and mnemonic where exactly one action on each side has them.
 */
export function pairActions(
  oldGraph: ActionGraph,
  newGraph: ActionGraph,
  /** NEW's actions already known to be paired (with an identical OLD spawn not in the graph). */
  alreadyPaired: ReadonlySet<number> = new Set(),
): Pairing {
  const newToOld = new Int32Array(newGraph.nodes.length).fill(-1);
  const oldToNew = new Int32Array(oldGraph.nodes.length).fill(-1);
  const link = (o: ActionNode, n: ActionNode) => {
    newToOld[n.id] = o.id;
    oldToNew[o.id] = n.id;
  };

  for (const n of newGraph.nodes) {
    if (alreadyPaired.has(n.id)) continue;
    const o = oldGraph.withOutputs(n.outputs);
    if (o && oldToNew[o.id] < 0) link(o, n);
  }

  const unpairedNew = () =>
    newGraph.nodes.filter((n) => newToOld[n.id] < 0 && !alreadyPaired.has(n.id));
  const unpairedOld = () => oldGraph.nodes.filter((o) => oldToNew[o.id] < 0);
  pairAcrossConfigurations(unpairedOld(), unpairedNew(), link);
  pairByUniqueKey(unpairedOld(), unpairedNew(), labelKey, link);
  return { newToOld, oldToNew };
}

function normalisedKey(node: ActionNode): string {
  return outputKey(node.outputs.map(withoutConfig));
}

function labelKey(node: ActionNode): string | null {
  return node.label === null ? null : `${node.label}\n${node.mnemonic}`;
}

/**
 * Pairs leftovers whose outputs differ only in the configuration segment. Where a normalised
 * key has several candidates (an action built in two configurations), the configuration mapping
 * that the unambiguous pairs show decides.
 */
function pairAcrossConfigurations(
  olds: ActionNode[],
  news: ActionNode[],
  link: (o: ActionNode, n: ActionNode) => void,
): void {
  if (olds.length === 0 || news.length === 0) return;
  const candidates = new Map<string, ActionNode[]>();
  for (const o of olds) {
    const key = normalisedKey(o);
    const list = candidates.get(key);
    if (list) list.push(o);
    else candidates.set(key, [o]);
  }
  const taken = new Set<ActionNode>();
  const mappingVotes = new Map<string, Map<string, number>>();
  const ambiguous: { node: ActionNode; options: ActionNode[] }[] = [];
  for (const n of news) {
    const options = candidates.get(normalisedKey(n));
    if (!options) continue;
    if (options.length === 1) {
      const o = options[0];
      if (taken.has(o)) continue;
      taken.add(o);
      link(o, n);
      const votes = mappingVotes.get(n.config ?? '') ?? new Map<string, number>();
      votes.set(o.config ?? '', (votes.get(o.config ?? '') ?? 0) + 1);
      mappingVotes.set(n.config ?? '', votes);
    } else {
      ambiguous.push({ node: n, options });
    }
  }
  for (const { node, options } of ambiguous) {
    const votes = mappingVotes.get(node.config ?? '');
    if (!votes) continue;
    const best = [...votes.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const o = options.find((c) => (c.config ?? '') === best && !taken.has(c));
    if (!o) continue;
    taken.add(o);
    link(o, node);
  }
}

/** Pairs leftovers by a key that exactly one action on each side has. */
function pairByUniqueKey(
  olds: ActionNode[],
  news: ActionNode[],
  keyOf: (n: ActionNode) => string | null,
  link: (o: ActionNode, n: ActionNode) => void,
): void {
  const count = (nodes: ActionNode[]) => {
    const byKey = new Map<string, ActionNode | null>();
    for (const node of nodes) {
      const key = keyOf(node);
      if (key === null) continue;
      byKey.set(key, byKey.has(key) ? null : node);
    }
    return byKey;
  };
  const oldByKey = count(olds);
  for (const [key, n] of count(news)) {
    const o = oldByKey.get(key);
    if (n && o) link(o, n);
  }
}
