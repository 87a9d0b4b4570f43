import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readBepFile } from '../../src/bep';
import { readExecLogFile } from '../../src/execlog';
import { BuildModel } from '../../src/model';
import { locationStyle } from '../../src/presentation/location-style';
import { BuildsTreeProvider } from '../../src/views/builds-tree';
import { fixturesDir } from '../unit/model/shared-fixtures';
import { report } from './extension-api';

/** Replays a Bazel 4.2.3 recording into a fresh model, events first, the log at the end. */
async function replayInto(model: BuildModel, scenario: string, id: string): Promise<void> {
  const dir = path.join(fixturesDir(), scenario);
  const bep = await readBepFile(path.join(dir, 'bep.json'));
  const log = await readExecLogFile(path.join(dir, 'exec.log.json'));
  for (const event of bep.events) model.applyEvent(id, event);
  model.applyExecLog(id, log.spawns);
  model.endInvocation(id, model.invocation(id)?.exitCode ?? null);
}

function iconOf(item: vscode.TreeItem): { id: string; color: string | undefined } {
  const icon = item.iconPath as vscode.ThemeIcon;
  return { id: icon.id, color: icon.color?.id };
}

describe('Builds tree over the real model (extension host)', () => {
  let model: BuildModel;
  let tree: BuildsTreeProvider;

  beforeEach(() => {
    model = new BuildModel();
    tree = new BuildsTreeProvider(model, () => 20);
  });

  afterEach(() => {
    tree.dispose();
    model.dispose();
  });

  it('shows invocations newest first, then targets, then actions with location icons', async () => {
    await replayInto(model, '01-clean-build', 'first');
    await replayInto(model, '03-disk-cache-after-clean', 'second');
    const roots = tree.getChildren();
    assert.deepEqual(
      roots.map((n) => (n.kind === 'invocation' ? n.invocationId : n.kind)),
      [...model.invocations()]
        .sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0))
        .map((i) => i.id),
    );
    const newest = roots[0];
    const newestItem = tree.getTreeItem(newest);
    assert.equal(newestItem.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.match(
      String(newestItem.description),
      /^passed · .* · \d+ actions · 100% cached · 0% remote$/,
    );
    const targets = tree.getChildren(newest);
    assert.ok(targets.length > 0);
    const actions = targets.flatMap((t) => tree.getChildren(t)).filter((n) => n.kind === 'action');
    const spawning = actions.filter(
      (n) =>
        model.action(n.invocationId, (n as { actionId: string }).actionId)?.location !== 'internal',
    );
    assert.ok(spawning.length > 0);
    for (const node of spawning) {
      const item = tree.getTreeItem(node);
      const style = locationStyle('disk-cache');
      assert.deepEqual(iconOf(item), { id: style.icon, color: style.color ?? undefined });
      assert.match(String(item.accessibilityInformation?.label), /disk cache hit/);
      assert.equal(tree.getParent(node)?.kind, 'target');
    }
  });

  it('marks failed actions and failed builds distinctly', async () => {
    await replayInto(model, '07-failing-build', 'failing');
    const [root] = tree.getChildren();
    assert.equal(iconOf(tree.getTreeItem(root)).id, 'error');
    const failed = tree
      .getChildren(root)
      .flatMap((t) => (t.kind === 'target' ? tree.getChildren(t) : [t]))
      .map((n) => tree.getTreeItem(n))
      .filter((item) => String(item.contextValue).startsWith('rbl.action.failed'));
    assert.ok(failed.length > 0);
    for (const item of failed) assert.equal(iconOf(item).id, 'error');
  });

  it('shows only failed actions when the filter asks, and everything again after', async () => {
    await replayInto(model, '07-failing-build', 'failing');
    const [root] = tree.getChildren();
    const shown = (): string[] =>
      tree
        .getChildren(root)
        .flatMap((t) => (t.kind === 'target' ? tree.getChildren(t) : [t]))
        .map((n) => String(tree.getTreeItem(n).contextValue));
    tree.setFilter('failures');
    const failures = shown();
    assert.ok(failures.length > 0);
    assert.ok(
      failures.every((c) => c.startsWith('rbl.action.failed')),
      failures.join(', '),
    );
    tree.setFilter('all');
    assert.ok(shown().length > failures.length);
  });

  it('refreshes only changed nodes, at most about 10 times a second, under a fast event stream', async () => {
    const dir = path.join(fixturesDir(), '01-clean-build');
    const bep = await readBepFile(path.join(dir, 'bep.json'));
    let fires = 0;
    let partial = 0;
    let nodesRefreshed = 0;
    const sub = tree.onDidChangeTreeData((e) => {
      fires++;
      if (e !== undefined) {
        partial++;
        nodesRefreshed += Array.isArray(e) ? e.length : 1;
      }
      // Render like the view does, so later refreshes can name nodes it has seen.
      for (const root of tree.getChildren()) {
        tree.getTreeItem(root);
        for (const t of tree.getChildren(root))
          for (const a of tree.getChildren(t)) tree.getTreeItem(a);
      }
    });
    // Three seconds of the recording's events, over and over into one invocation, a few at a
    // time on the event loop as a socket delivers them: thousands of events a second.
    const started = Date.now();
    let events = 0;
    while (Date.now() - started < 3000) {
      for (const event of bep.events) {
        model.applyEvent('stream', event);
        if (++events % 3 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
    const seconds = (Date.now() - started) / 1000;
    model.flush();
    await new Promise((resolve) => setTimeout(resolve, 300));
    sub.dispose();
    const rate = fires / seconds;
    report('tree-refresh-rate', {
      events,
      seconds,
      eventsPerSecond: events / seconds,
      fires,
      partial,
      nodesRefreshed,
      perSecond: rate,
    });
    assert.ok(events / seconds > 500, 'the stream was fast');
    assert.ok(rate <= 12, `the tree refreshed ${rate.toFixed(1)} times a second`);
    assert.ok(
      partial >= fires - 2,
      `${fires - partial} of ${fires} refreshes redrew the whole tree`,
    );
    assert.ok(partial > 0);
  });
});
