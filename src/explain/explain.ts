import type { Spawn } from '../execlog/types';
import { diffActions, sameInputSide } from './action-diff';
import { CauseRegistry, type CauseFacts } from './cause-registry';
import { ActionGraph, spawnOf, type ActionNode } from './graph';
import { OldSide } from './old-side';
import { pairActions, type Pairing } from './pairing';
import { isGenerated, isRunfilesEntry, runfilesArtifactOf } from './paths';
import type {
  ActionDiff,
  ActionExplanation,
  ActionStatus,
  ChangedInput,
  Explanation,
} from './types';

export interface ExplainOptions {
  /**
   * Both sides are complete builds of the same targets (e.g. two clean builds, or a baseline
   * that is known to cover NEW's targets). Only then is an action missing from NEW `removed`
   * without further evidence; otherwise it is `notRun` (Bazel's local action cache may simply
   * have skipped it, and skipped actions never reach a log).
   */
  bothComplete?: boolean;
}

const MAX_VIA = 10;

/** What the diff stage knows about one affected action while attributing. */
interface Affected {
  node: ActionNode;
  status: ActionStatus;
  diff: ActionDiff | null;
  /** Affected actions that must be attributed first (their changed outputs reach this one). */
  deps: Affected[];
  causes: Set<number>;
  via: string[];
}

/**
 * Explains why the actions of NEW differ from OLD: pairs them, diffs each pair, and attributes
 * every changed, added or removed action to root causes, producers before consumers, so that an
 * input that changed only because another action's output changed is never a cause itself.
 *
 * OLD may be a log or the store's baseline (the last known spawn per output set): anything
 * iterable over spawns.
 */
export function explainSpawns(
  oldSpawns: Iterable<Spawn>,
  newSpawns: Iterable<Spawn>,
  options: ExplainOptions = {},
): Explanation {
  const newGraph = new ActionGraph(newSpawns);
  const old = new OldSide(newGraph);
  for (const spawn of oldSpawns) old.add(spawn);
  return explainAgainst(newGraph, old, options);
}

/**
 * The same, with OLD streamed from a log after NEW was read: OLD's spawns that are identical
 * to NEW's are dropped as they arrive, so only one build is held in memory. NEW may be streamed
 * too: then NEW's spawns that OLD matched are let go as well (see `ActionNode.spawn`), which is
 * what keeps two logs of 10^5 actions within a few hundred MB; a caller that holds NEW's
 * spawns in an array keeps them all alive.
 */
export async function explainStreamed(
  oldSpawns: AsyncIterable<Spawn> | Iterable<Spawn>,
  newSpawns: AsyncIterable<Spawn> | Iterable<Spawn>,
  options: ExplainOptions = {},
): Promise<Explanation> {
  const newGraph = await ActionGraph.read(newSpawns);
  const old = new OldSide(newGraph);
  for await (const spawn of oldSpawns) old.add(spawn);
  return explainAgainst(newGraph, old, options);
}

function explainAgainst(newGraph: ActionGraph, old: OldSide, options: ExplainOptions): Explanation {
  const oldGraph = new ActionGraph(old.kept);
  oldGraph.registerOutputs();
  newGraph.registerOutputs();
  const pairing = pairActions(oldGraph, newGraph, old.matched);
  return new Attribution(oldGraph, newGraph, pairing, old, options).run();
}

class Attribution {
  private readonly registry = new CauseRegistry();
  /** Affected new actions by node id. */
  private readonly affected = new Map<number, Affected>();
  /** Old actions (unpaired) that evidence or completeness shows were removed. */
  private readonly removed = new Map<number, Affected>();
  /** New configuration -> its configuration cause, for actions that moved configuration. */
  private readonly configurationCauses = new Map<string, { id: number; old: string }>();
  /** Inputs of added actions -> the first added action that reads them. */
  private addedInputOwners: Map<string, Affected> | null = null;
  private unchanged = 0;
  private newConfigs: Set<string> | null = null;

  constructor(
    private readonly oldGraph: ActionGraph,
    private readonly newGraph: ActionGraph,
    private readonly pairing: Pairing,
    private readonly old: OldSide,
    private readonly options: ExplainOptions,
  ) {}

  run(): Explanation {
    this.classify();
    const order = this.topologicalOrder();
    for (const item of order) {
      if (item.status === 'changed') this.attributeChanged(item);
      else this.attributeAdded(item);
    }
    this.attributeRemoved();
    return this.result(order);
  }

  /** Diffs every pair; collects changed and added actions and the configuration moves. */
  private classify(): void {
    const configOlds = this.old.configs;
    for (const node of this.newGraph.nodes) {
      if (this.old.matched.has(node.id)) {
        this.unchanged++; // an identical OLD spawn was counted and dropped while reading
        continue;
      }
      const oldId = this.pairing.newToOld[node.id];
      if (oldId < 0) {
        this.affected.set(node.id, this.newAffected(node, 'added', null));
        continue;
      }
      const diff = diffActions(this.oldGraph.nodes[oldId], node);
      if (diff === null) {
        this.unchanged++;
        continue;
      }
      this.affected.set(node.id, this.newAffected(node, 'changed', diff));
      if (diff.configuration && !this.configurationCauses.has(diff.configuration.new)) {
        const facts: CauseFacts = {
          kind: 'configuration',
          old: diff.configuration.old,
          new: diff.configuration.new,
          args: { old: [], new: [] },
        };
        this.configurationCauses.set(diff.configuration.new, {
          id: this.registry.idOf(facts),
          old: diff.configuration.old,
        });
      }
    }
    // A configuration that only NEW has, reached by moving pairs, explains its added actions.
    for (const cfg of [...this.configurationCauses.keys()]) {
      if (configOlds.has(cfg)) this.configurationCauses.delete(cfg);
    }
  }

  private newAffected(node: ActionNode, status: ActionStatus, diff: ActionDiff | null): Affected {
    return { node, status, diff, deps: [], causes: new Set(), via: [] };
  }

  /** Affected actions, each after the affected actions whose outputs it reads (iterative DFS). */
  private topologicalOrder(): Affected[] {
    for (const item of this.affected.values()) item.deps = this.dependenciesOf(item);
    const order: Affected[] = [];
    const state = new Map<Affected, 1 | 2>(); // 1 = on the stack, 2 = done
    for (const root of this.affected.values()) {
      if (state.has(root)) continue;
      const stack: { item: Affected; next: number }[] = [{ item: root, next: 0 }];
      state.set(root, 1);
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        if (top.next < top.item.deps.length) {
          const dep = top.item.deps[top.next++];
          if (!state.has(dep)) {
            state.set(dep, 1);
            stack.push({ item: dep, next: 0 });
          }
          // A cycle (never in a real build graph) is broken by ignoring the back edge.
        } else {
          state.set(top.item, 2);
          order.push(top.item);
          stack.pop();
        }
      }
    }
    return order;
  }

  private dependenciesOf(item: Affected): Affected[] {
    const paths =
      item.diff === null
        ? spawnOf(item.node).inputs.map((f) => f.path)
        : [...item.diff.inputsChanged.map((c) => c.path), ...item.diff.inputsAdded];
    const deps = new Set<Affected>();
    for (const path of paths) {
      const producer = this.affectedProducerOf(path);
      if (producer && producer !== item) deps.add(producer);
      else if (!producer && item.diff !== null) {
        const owner = this.addedInputOwner(path);
        if (owner && owner !== item) deps.add(owner);
      }
    }
    return [...deps];
  }

  /** The changed or added action that wrote `path` (through a runfiles link, too), if any. */
  private affectedProducerOf(path: string): Affected | undefined {
    let producer = this.newGraph.producerOf(path);
    if (!producer) {
      const artifact = runfilesArtifactOf(path);
      if (artifact !== null) producer = this.newGraph.producerOf(artifact);
    }
    return producer ? this.affected.get(producer.id) : undefined;
  }

  /**
   * A source file that is new to a changed action but also an input of an added action came
   * with that new target (a new library's header reaching the binary's compile).
   */
  private addedInputOwner(path: string): Affected | undefined {
    if (this.addedInputOwners === null) {
      this.addedInputOwners = new Map();
      for (const item of this.affected.values()) {
        if (item.status !== 'added') continue;
        for (const f of spawnOf(item.node).inputs) {
          if (!this.addedInputOwners.has(f.path)) this.addedInputOwners.set(f.path, item);
        }
      }
    }
    return this.addedInputOwners.get(path);
  }

  private attribute(item: Affected, causeId: number): void {
    if (item.causes.has(causeId)) return;
    item.causes.add(causeId);
    this.registry.attribute(causeId, item.node.primaryOutput);
  }

  private inherit(item: Affected, from: Affected): void {
    for (const id of from.causes) this.attribute(item, id);
    if (item.via.length < MAX_VIA && !item.via.includes(from.node.primaryOutput)) {
      item.via.push(from.node.primaryOutput);
    }
  }

  private attributeChanged(item: Affected): void {
    const diff = item.diff as ActionDiff;
    const node = item.node;
    if (sameInputSide(diff)) {
      // Same inputs, command line, env and platform, yet different outputs or exit code.
      this.attribute(item, this.registry.idOf({ kind: 'non-hermetic', path: node.primaryOutput }));
      return;
    }
    let upstream = false;
    const local: CauseFacts[] = [];
    const orphans: CauseFacts[] = [];
    const fromUpstream = (path: string): boolean => {
      const producer = this.affectedProducerOf(path) ?? this.addedInputOwner(path);
      if (!producer || producer === item) return false;
      this.inherit(item, producer);
      upstream = true;
      return true;
    };
    // A runfiles entry is a link: when the action also reads the linked file directly (same old
    // and new content), the entry is that file again and must not become a second cause.
    const direct = new Map<string, 'upstream' | 'orphan' | 'local'>();
    const linkKey = (c: ChangedInput) => `${c.oldHash}\n${c.newHash}`;
    const changed = [...diff.inputsChanged].sort(
      (a, b) => Number(isRunfilesEntry(a.path)) - Number(isRunfilesEntry(b.path)),
    );
    for (const c of changed) {
      const runfiles = isRunfilesEntry(c.path);
      const same = runfiles ? direct.get(linkKey(c)) : undefined;
      if (same === 'upstream' || same === 'local') continue;
      const facts: CauseFacts = { kind: c.isTool ? 'tool' : 'input', path: c.path };
      if (same === 'orphan') {
        orphans.push(facts);
        continue;
      }
      const outcome = fromUpstream(c.path) ? 'upstream' : isOrphan(c.path) ? 'orphan' : 'local';
      if (!runfiles) direct.set(linkKey(c), outcome);
      if (outcome === 'orphan') orphans.push(facts);
      else if (outcome === 'local') local.push(facts);
    }
    for (const path of diff.inputsAdded) {
      if (fromUpstream(path)) continue;
      (isOrphan(path) ? orphans : local).push({ kind: 'input-added', path });
    }
    for (const path of diff.inputsRemoved) {
      const gone = this.removedProducerOf(path);
      if (gone) {
        this.inherit(item, gone);
        upstream = true;
        continue;
      }
      (isOrphan(path) ? orphans : local).push({ kind: 'input-removed', path });
    }
    for (const e of diff.env) local.push({ kind: 'env', name: e.name, old: e.old, new: e.new });
    for (const p of diff.platform) {
      local.push({ kind: 'platform', name: p.name, old: p.old, new: p.new });
    }
    if (diff.configuration) {
      const id = this.configurationCauseFor(diff.configuration);
      if (diff.args) this.registry.noteConfigurationArgs(id, diff.args);
      this.attribute(item, id);
    } else if (diff.args && !upstream && !explainedByInputPaths(diff)) {
      local.push({ kind: 'args', old: diff.args.old, new: diff.args.new });
    }
    for (const facts of local) this.attribute(item, this.registry.idOf(facts));
    // Generated files whose producer is in neither log (param files, manifests) only count
    // when nothing else explains the action.
    if (item.causes.size === 0 && !upstream) {
      for (const facts of orphans) this.attribute(item, this.registry.idOf(facts));
    }
    if (item.causes.size === 0 && !upstream) {
      this.attribute(item, this.registry.idOf({ kind: 'unknown' }));
    }
  }

  private configurationCauseFor(cfg: { old: string; new: string }): number {
    const known = this.configurationCauses.get(cfg.new);
    if (known) return known.id;
    return this.registry.idOf({ kind: 'configuration', ...cfg, args: { old: [], new: [] } });
  }

  private attributeAdded(item: Affected): void {
    const node = item.node;
    const moved = node.config !== null ? this.configurationCauses.get(node.config) : undefined;
    if (moved) {
      this.attribute(item, moved.id);
      return;
    }
    for (const dep of item.deps) if (dep.status === 'added') this.inherit(item, dep);
    if (item.causes.size > 0) return;
    this.attribute(
      item,
      this.registry.idOf({
        kind: 'action-added',
        path: node.primaryOutput,
        label: node.label,
        mnemonic: node.mnemonic,
      }),
    );
  }

  /**
   * The old action that wrote `path` when it has no counterpart in NEW: a consumer losing that
   * input is evidence the action was really removed, not skipped by the action cache.
   */
  private removedProducerOf(path: string): Affected | undefined {
    const producer = this.oldGraph.producerOf(path);
    if (!producer || this.pairing.oldToNew[producer.id] >= 0) return undefined;
    return this.removedAction(producer);
  }

  private removedAction(node: ActionNode): Affected {
    const known = this.removed.get(node.id);
    if (known) return known;
    const item = this.newAffected(node, 'removed', null);
    this.removed.set(node.id, item);
    const movedFrom = [...this.configurationCauses.values()].find((c) => c.old === node.config);
    if (
      movedFrom &&
      node.config !== null &&
      !(this.newConfigs ??= this.newGraph.configs()).has(node.config)
    ) {
      this.attribute(item, movedFrom.id);
    } else {
      this.attribute(
        item,
        this.registry.idOf({
          kind: 'action-removed',
          path: node.primaryOutput,
          label: node.label,
          mnemonic: node.mnemonic,
        }),
      );
    }
    return item;
  }

  private attributeRemoved(): void {
    if (!this.options.bothComplete) return;
    for (const node of this.oldGraph.nodes) {
      if (this.pairing.oldToNew[node.id] < 0) this.removedAction(node);
    }
  }

  private result(order: Affected[]): Explanation {
    const { causes, indexOf } = this.registry.finish();
    const all = [...order, ...this.removed.values()];
    const actions: ActionExplanation[] = all.map((item) => ({
      status: item.status,
      primaryOutput: item.node.primaryOutput,
      outputs: item.node.outputs,
      label: item.node.label,
      mnemonic: item.node.mnemonic,
      causes: [...item.causes].map((id) => indexOf[id]).filter((i) => i >= 0),
      via: item.via,
      diff: item.diff,
    }));
    const count = (status: ActionStatus) => all.filter((a) => a.status === status).length;
    const removed = count('removed');
    const oldTotal = this.oldGraph.nodes.length + this.old.dropped;
    const pairedOld =
      this.oldGraph.nodes.length - countUnpaired(this.pairing.oldToNew) + this.old.dropped;
    return {
      summary: {
        actions: {
          old: oldTotal,
          new: this.newGraph.nodes.length,
          changed: count('changed'),
          added: count('added'),
          removed,
          notRun: oldTotal - pairedOld - removed,
          unchanged: this.unchanged,
        },
        rootCauses: causes,
      },
      actions,
    };
  }
}

function countUnpaired(map: Int32Array): number {
  let n = 0;
  for (const v of map) if (v < 0) n++;
  return n;
}

/**
 * True when every changed argument names an input path that was added or removed: the command
 * line changed because the inputs did (e.g. a new source file in a genrule's `$(SRCS)`).
 */
function explainedByInputPaths(diff: ActionDiff): boolean {
  const args = diff.args;
  if (!args) return true;
  const paths = [...diff.inputsAdded, ...diff.inputsRemoved];
  if (paths.length === 0) return false;
  const tokens = [...args.old, ...args.new];
  if (tokens.length * paths.length > 100_000) return false;
  return tokens.every((t) => paths.some((p) => t.includes(p)));
}

/**
 * A generated file whose writer is in neither log (a param file, a manifest): its change is a
 * symptom. Runfiles entries are not orphans: they link to sources or to artifacts we follow.
 */
function isOrphan(path: string): boolean {
  return isGenerated(path) && !isRunfilesEntry(path);
}
