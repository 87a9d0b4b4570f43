import type { Spawn } from '../execlog/types';
import { configOf, labelOf, primaryOutputOf } from './paths';

/** One action of a build as the explanation sees it: a spawn keyed by its set of outputs. */
export interface ActionNode {
  /** Position in `ActionGraph.nodes`. */
  id: number;
  /**
   * The spawn, until the node is released (`ActionGraph.release`): an action found identical on
   * both sides needs nothing of it any more, and letting it go lets the garbage collector take
   * the inputs, arguments and outputs a lazy reader expanded for the comparison.
   */
  spawn: Spawn | null;
  mnemonic: string;
  /** Declared outputs (actual ones where the log declares none), sorted. */
  outputs: readonly string[];
  primaryOutput: string;
  /** Owning target, from the log or a 4.2.3 progress message; null when unknown. */
  label: string | null;
  /** Configuration of the primary output (`k8-fastbuild`), null for actions writing no bazel-out. */
  config: string | null;
  /** A test spawn's `test.log` that the log does not list (see `impliedTestLog`), else null. */
  impliedTestLog: string | null;
}

/** The spawn of a node that is still in play (changed, added or removed, or not yet compared). */
export function spawnOf(node: ActionNode): Spawn {
  if (node.spawn === null)
    throw new Error(`explain: the spawn of ${node.primaryOutput} was released`);
  return node.spawn;
}

/** A comparable key of an action's sorted output paths. */
export function outputKey(outputs: readonly string[]): string {
  return outputs.join('\n');
}

/** An action of a spawn, not (yet) in any graph: what pairing and the diff look at. */
/** A spawn's declared outputs (actual ones where the log declares none), sorted. */
export function declaredOutputsOf(spawn: Spawn): readonly string[] {
  const declared =
    spawn.listedOutputs.length > 0 ? spawn.listedOutputs : spawn.actualOutputs.map((f) => f.path);
  return isSorted(declared) ? declared : [...declared].sort();
}

export function actionNodeOf(spawn: Spawn): ActionNode {
  const outputs = declaredOutputsOf(spawn);
  const testLog = impliedTestLog(spawn, outputs);
  const primaryOutput = testLog ?? primaryOutputOf(outputs);
  return {
    id: 0,
    spawn,
    mnemonic: spawn.mnemonic,
    outputs,
    primaryOutput,
    label: labelOf(spawn.label, spawn.progressMessage),
    config: configOf(primaryOutput),
    impliedTestLog: testLog,
  };
}

/**
 * The read stage's result: the actions of one build (or of a baseline) keyed by their output
 * sets, with the map from every output path to the action that wrote it. Where a log holds the
 * same output set twice (a retried or re-run spawn), the later spawn wins.
 *
 * While the graph is read, only each action's first output is mapped (what `withOutputs`
 * needs). Its other outputs and the files inside its tree artifacts are mapped by
 * `registerOutputs`, after the comparison, and only for the actions still in play: 10^5
 * identical actions then cost no map entries for their secondary outputs, and no expansion of
 * their actual outputs (which would stay alive, promoted by the garbage collector, until OLD
 * has streamed past).
 */
export class ActionGraph {
  readonly nodes: ActionNode[] = [];
  private readonly producers = new Map<string, ActionNode>();

  constructor(spawns: Iterable<Spawn> = []) {
    for (const spawn of spawns) this.add(spawn);
  }

  /** A graph of spawns that arrive one by one (a log streamed by its reader). */
  static async read(spawns: AsyncIterable<Spawn> | Iterable<Spawn>): Promise<ActionGraph> {
    const graph = new ActionGraph();
    for await (const spawn of spawns) graph.add(spawn);
    return graph;
  }

  add(spawn: Spawn): void {
    const node = actionNodeOf(spawn);
    const outputs = node.outputs;
    const testLog = node.impliedTestLog;
    const previous = this.withOutputs(outputs);
    node.id = previous ? previous.id : this.nodes.length;
    this.nodes[node.id] = node;
    if (outputs.length > 0) this.producers.set(outputs[0], node);
    if (testLog !== null && !this.producers.has(testLog)) this.producers.set(testLog, node);
  }

  /**
   * Maps every output of the actions still holding their spawn, then the files inside their
   * tree artifacts (inputs of later actions under their own paths), to their writers. A released
   * node is identical on both sides, so it is never the affected producer attribution looks for;
   * and a path of its cannot be another action's output or lie inside another action's tree
   * (Bazel refuses outputs that clash or prefix each other), so `producerOf` finds nothing
   * wrong there either.
   */
  registerOutputs(): void {
    for (const node of this.nodes) {
      if (node.spawn === null) continue;
      for (let i = 1; i < node.outputs.length; i++) this.producers.set(node.outputs[i], node);
    }
    for (const node of this.nodes) {
      if (node.spawn === null) continue;
      for (const file of node.spawn.actualOutputs) {
        if (!this.producers.has(file.path)) this.producers.set(file.path, node);
      }
    }
  }

  /** Lets go of a node's spawn (see `ActionNode.spawn`). */
  release(node: ActionNode): void {
    node.spawn = null;
  }

  /**
   * The action with exactly these (sorted) outputs. Looked up through the first output's
   * writer rather than a map keyed by the joined list: no key strings for 10^5 actions.
   */
  withOutputs(outputs: readonly string[]): ActionNode | undefined {
    if (outputs.length === 0) return undefined;
    const candidate = this.producers.get(outputs[0]);
    return candidate && sameList(candidate.outputs, outputs) ? candidate : undefined;
  }

  /** The action that wrote `path` (or the tree artifact containing it), if it is in this build. */
  producerOf(path: string): ActionNode | undefined {
    const exact = this.producers.get(path);
    if (exact || !path.startsWith('bazel-out/')) return exact;
    let dir = path;
    for (let cut = dir.lastIndexOf('/'); cut > 'bazel-out/'.length; cut = dir.lastIndexOf('/')) {
      dir = dir.slice(0, cut);
      const found = this.producers.get(dir);
      if (found) return found;
    }
    return undefined;
  }

  /** Every configuration some action of this build writes into. */
  configs(): Set<string> {
    const all = new Set<string>();
    for (const node of this.nodes) if (node.config !== null) all.add(node.config);
    return all;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isSorted(list: readonly string[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1] > list[i]) return false;
  return true;
}

/**
 * The `test.log` a test spawn writes. Newer logs leave it out of the test spawn's outputs (it
 * shows up only as an input of the spawn that turns it into `test.xml`), yet it is what names
 * the test and carries its changes downstream. Null for other spawns and for that XML spawn.
 */
function impliedTestLog(spawn: Spawn, outputs: readonly string[]): string | null {
  if (spawn.mnemonic !== 'TestRunner') return null;
  const xml = outputs.find((o) => o.endsWith('/test.xml'));
  if (xml === undefined) return null;
  const log = `${xml.slice(0, -'test.xml'.length)}test.log`;
  return spawn.inputs.some((f) => f.path === log) ? null : log;
}
