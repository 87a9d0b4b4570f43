import { realpathSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Action, BuildModelView, ModelChange } from '../model/types';
import { Coalescer } from '../presentation/coalescer';
import {
  groupActionsByLocation,
  groupActionsByTarget,
  NO_TARGET,
  type ActionFilter,
  type GroupBy,
} from '../presentation/grouping';
import { locationKeyOf, type LocationKey } from '../presentation/location-style';
import {
  actionRow,
  invocationRow,
  locationGroupRow,
  targetRow,
  workspaceSectionRow,
  type Row,
} from '../presentation/rows';
import { sectionOf, workspaceSections } from '../presentation/workspace-sections';

/** A tree node: only ids, so the model stays the one source of truth for what a row shows. */
export type BuildNode =
  | { kind: 'workspace'; key: string; root: string }
  | { kind: 'invocation'; key: string; invocationId: string }
  | { kind: 'location'; key: string; invocationId: string; location: LocationKey }
  | { kind: 'target'; key: string; invocationId: string; targetId: string }
  | { kind: 'action'; key: string; invocationId: string; actionId: string };

/** A missed action's root-cause hint for its tooltip (Markdown), or null. */
export type MissHint = (invocationId: string, action: Action) => string | null;

/** How often the tree may redraw at most: about 10 times a second (issue 5). */
const REFRESH_INTERVAL_MS = 100;

/**
 * The Builds tree: invocations (newest first) -> targets (or where the actions ran, when grouped
 * by location) -> actions; with several Bazel workspaces open, one section per workspace above
 * the invocations. Model changes are mapped to the nodes they touch and refreshed together at
 * most every 100 ms; a row that did not change is not redrawn. Nodes are cached by key so a
 * refresh names the same object VS Code holds.
 */
export class BuildsTreeProvider implements vscode.TreeDataProvider<BuildNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<BuildNode | BuildNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly nodes = new Map<string, BuildNode>();
  private readonly refreshes: Coalescer<string>;
  private readonly subscription: { dispose(): void };
  private filter: ActionFilter = 'all';
  /** A missed action's root-cause hint (Markdown), or null while none is computed. */
  private missHint: MissHint = () => null;
  private groupBy: GroupBy = 'target';
  /** The section each shown invocation was put in, to notice when Bazel names its workspace. */
  private readonly sectionShown = new Map<string, string>();

  constructor(
    private readonly model: BuildModelView,
    private historySize: () => number,
    /** The open Bazel workspaces; more than one gives each its own section. */
    private readonly roots: () => readonly string[] = () => [],
  ) {
    this.refreshes = new Coalescer((keys) => this.fire(keys), REFRESH_INTERVAL_MS);
    this.subscription = model.onDidChange((change) => this.refreshes.add(this.dirtyKeys(change)));
  }

  /** How many times the tree fired a refresh: the measured refresh rate. */
  get refreshCount(): number {
    return this.refreshes.flushCount;
  }

  setFilter(filter: ActionFilter): void {
    this.filter = filter;
    this.refreshAll();
  }

  get grouping(): GroupBy {
    return this.groupBy;
  }

  setGroupBy(groupBy: GroupBy): void {
    this.groupBy = groupBy;
    this.refreshAll();
  }

  refreshAll(): void {
    this.refreshes.add([ROOT]);
  }

  /** Where action tooltips get their "why it missed" line; it must answer at once. */
  setMissHint(hint: MissHint): void {
    this.missHint = hint;
    this.refreshAll();
  }

  getTreeItem(node: BuildNode): vscode.TreeItem {
    const row = this.rowOf(node);
    const collapsible =
      node.kind === 'action'
        ? vscode.TreeItemCollapsibleState.None
        : node.kind === 'workspace' ||
            (node.kind === 'invocation' && this.isNewest(node.invocationId))
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(row.label, collapsible);
    item.id = node.key;
    item.description = row.description;
    const action =
      node.kind === 'action' ? this.model.action(node.invocationId, node.actionId) : undefined;
    const hint =
      action === undefined || node.kind !== 'action'
        ? null
        : this.missHint(node.invocationId, action);
    item.tooltip = new vscode.MarkdownString(
      [...row.tooltip, ...(hint === null ? [] : [hint])].join('  \n'),
    );
    item.iconPath = new vscode.ThemeIcon(
      row.icon.icon,
      row.icon.color === null ? undefined : new vscode.ThemeColor(row.icon.color),
    );
    item.contextValue = row.contextValue;
    // The icon alone does not reach a screen reader: say where the action ran in words.
    item.accessibilityInformation = {
      label: `${row.label}, ${row.icon.title}, ${row.description}`,
    };
    return item;
  }

  getChildren(node?: BuildNode): BuildNode[] {
    if (node === undefined) {
      const shown = newestFirst(this.model.invocations()).slice(0, this.historySize());
      this.forgetAllBut(new Set(shown.map((inv) => inv.id)));
      const roots = this.realRoots();
      this.sectionShown.clear();
      const sections = [...workspaceSections(shown, roots)];
      // Remembered in both modes, so a build whose workspace turns out nested shows sections.
      for (const [root, list] of sections) {
        for (const inv of list) this.sectionShown.set(inv.id, root);
      }
      // One workspace (the usual case), or roots not known: no section level.
      if (roots.length === 0 || sections.length <= 1) {
        for (const [key, n] of this.nodes) if (n.kind === 'workspace') this.nodes.delete(key);
        return shown.map((inv) => this.invocationNode(inv.id));
      }
      return sections.map(([root]) =>
        this.node({ kind: 'workspace', key: `${ROOT_PREFIX}${root}`, root }),
      );
    }
    if (node.kind === 'action') return [];
    if (node.kind === 'workspace') {
      return [...this.sectionShown]
        .filter(([, root]) => root === node.root)
        .map(([id]) => this.invocationNode(id));
    }
    if (node.kind === 'location') {
      const actions = this.model.actions(node.invocationId);
      return (groupActionsByLocation(actions, this.filter).get(node.location) ?? []).map((a) =>
        this.actionNode(node.invocationId, a),
      );
    }
    if (this.groupBy === 'location' && node.kind === 'invocation') {
      const groups = groupActionsByLocation(this.model.actions(node.invocationId), this.filter);
      return [...groups.keys()].map((location) =>
        this.node({
          kind: 'location',
          key: `${node.invocationId}/l/${location}`,
          invocationId: node.invocationId,
          location,
        }),
      );
    }
    const groups = groupActionsByTarget(
      this.model.targets(node.invocationId),
      this.model.actions(node.invocationId),
      this.filter,
    );
    if (node.kind === 'target') {
      return (groups.get(node.targetId) ?? []).map((a) => this.actionNode(node.invocationId, a));
    }
    const targets = this.model
      .targets(node.invocationId)
      .filter((t) => this.filter === 'all' || groups.has(t.id))
      .map((t) => this.targetNode(node.invocationId, t.id));
    const orphans = (groups.get(NO_TARGET) ?? []).map((a) => this.actionNode(node.invocationId, a));
    return [...targets, ...orphans];
  }

  getParent(node: BuildNode): BuildNode | undefined {
    if (node.kind === 'workspace') return undefined;
    if (node.kind === 'invocation') {
      const root = this.sectionShown.get(node.invocationId);
      return root === undefined ? undefined : this.nodes.get(`${ROOT_PREFIX}${root}`);
    }
    const invocation = this.nodes.get(node.invocationId);
    if (node.kind === 'target' || node.kind === 'location') return invocation;
    const action = this.model.action(node.invocationId, node.actionId);
    if (this.groupBy === 'location' && action !== undefined) {
      return this.nodes.get(`${node.invocationId}/l/${locationKeyOf(action)}`) ?? invocation;
    }
    const target = this.model
      .targets(node.invocationId)
      .find((t) => action !== undefined && t.label === action.label);
    return target === undefined ? invocation : this.targetNode(node.invocationId, target.id);
  }

  /** The row a node shows, as plain data (host tests read it too). */
  rowOf(node: BuildNode): Row {
    if (node.kind === 'workspace') {
      const ids = [...this.sectionShown].filter(([, r]) => r === node.root).map(([id]) => id);
      const invocations = ids.map((id) => this.model.invocation(id)).filter((i) => i !== undefined);
      return workspaceSectionRow(node.root, invocations);
    }
    const invocation = this.model.invocation(node.invocationId);
    if (invocation === undefined) throw new Error(`no invocation ${node.invocationId}`);
    const actions = this.model.actions(node.invocationId);
    if (node.kind === 'invocation') return invocationRow(invocation, actions, Date.now());
    if (node.kind === 'action') {
      const action = this.model.action(node.invocationId, node.actionId);
      if (action === undefined) throw new Error(`no action ${node.actionId}`);
      return actionRow(action);
    }
    if (node.kind === 'location') {
      const own = groupActionsByLocation(actions, this.filter).get(node.location) ?? [];
      return locationGroupRow(node.location, own);
    }
    const target = this.model.targets(node.invocationId).find((t) => t.id === node.targetId);
    if (target === undefined) throw new Error(`no target ${node.targetId}`);
    const own = groupActionsByTarget([target], actions, 'all').get(target.id) ?? [];
    const test = this.model.tests(node.invocationId).find((t) => t.id === target.id);
    return targetRow(target, own, test);
  }

  dispose(): void {
    this.subscription.dispose();
    this.refreshes.dispose();
    this.changed.dispose();
  }

  /** Keys of the nodes a change touches: added children refresh their parent, updates the row. */
  private dirtyKeys(change: ModelChange): string[] {
    if (change.invocationsAdded.length > 0) return [ROOT];
    // Bazel named the workspace of a build shown under another section: it moves.
    const roots = this.realRoots();
    for (const id of change.invocationsUpdated) {
      const shownIn = this.sectionShown.get(id);
      const dir = this.model.invocation(id)?.workspaceDirectory ?? null;
      if (shownIn !== undefined && sectionOf(dir, roots) !== shownIn) return [ROOT];
    }
    const keys = [...change.invocationsUpdated];
    for (const ref of change.targetsAdded) keys.push(ref.invocationId);
    for (const ref of change.targetsUpdated) keys.push(targetKey(ref.invocationId, ref.id));
    for (const ref of [...change.actionsAdded, ...change.actionsUpdated]) {
      // The invocation row's counts and the target row's description change with each action.
      keys.push(ref.invocationId);
      const action = this.model.action(ref.invocationId, ref.id);
      const target = this.model.targets(ref.invocationId).find((t) => t.label === action?.label);
      if (target !== undefined) keys.push(targetKey(ref.invocationId, target.id));
      keys.push(actionKey(ref.invocationId, ref.id));
    }
    for (const ref of [...change.testsAdded, ...change.testsUpdated]) {
      keys.push(targetKey(ref.invocationId, ref.id));
    }
    return keys;
  }

  private fire(keys: ReadonlySet<string>): void {
    if (keys.has(ROOT)) {
      this.changed.fire(undefined);
      return;
    }
    // Only nodes VS Code has seen can be refreshed; the others appear with their parent.
    const known = [...keys].map((k) => this.nodes.get(k)).filter((n) => n !== undefined);
    if (known.length > 0) this.changed.fire(known);
  }

  private isNewest(invocationId: string): boolean {
    return newestFirst(this.model.invocations())[0]?.id === invocationId;
  }

  /** The open roots as Bazel names them (it reports a workspace by its real path). */
  private realRoots(): string[] {
    return this.roots().map((root) => {
      try {
        return realpathSync(root);
      } catch {
        return root;
      }
    });
  }

  private invocationNode(invocationId: string): BuildNode {
    return this.node({ kind: 'invocation', key: invocationId, invocationId });
  }

  private targetNode(invocationId: string, targetId: string): BuildNode {
    return this.node({
      kind: 'target',
      key: targetKey(invocationId, targetId),
      invocationId,
      targetId,
    });
  }

  private actionNode(invocationId: string, action: Action): BuildNode {
    return this.node({
      kind: 'action',
      key: actionKey(invocationId, action.id),
      invocationId,
      actionId: action.id,
    });
  }

  /** Drops cached nodes of invocations that left the tree, so the cache stays bounded. */
  private forgetAllBut(shown: ReadonlySet<string>): void {
    for (const [key, node] of this.nodes) {
      if (node.kind !== 'workspace' && !shown.has(node.invocationId)) this.nodes.delete(key);
    }
  }

  private node(fresh: BuildNode): BuildNode {
    const known = this.nodes.get(fresh.key);
    if (known !== undefined) return known;
    this.nodes.set(fresh.key, fresh);
    return fresh;
  }
}

const ROOT = '';
/** Workspace section keys: no invocation id starts with a slash-free `ws:` and a path. */
const ROOT_PREFIX = 'ws:';

function targetKey(invocationId: string, targetId: string): string {
  return `${invocationId}/t/${targetId}`;
}

function actionKey(invocationId: string, actionId: string): string {
  return `${invocationId}/a/${actionId}`;
}

function newestFirst<T extends { startedAt: number | null }>(list: readonly T[]): T[] {
  // A running invocation whose start is not known yet is the newest of all.
  const start = (x: T): number => x.startedAt ?? Number.MAX_SAFE_INTEGER;
  return [...list].sort((a, b) => start(b) - start(a));
}
