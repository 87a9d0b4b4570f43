// The Builds tree grouped by location, and with one section per open Bazel workspace, over the
// real model fed with Bazel 4.2.3 recordings, in the real extension host.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readBepFile } from '../../src/bep';
import { readExecLogFile } from '../../src/execlog';
import { BuildModel } from '../../src/model';
import { BuildsTreeProvider, type BuildNode } from '../../src/views/builds-tree';
import { fixturesDir } from '../unit/model/shared-fixtures';
import { activatedApi } from './extension-api';

async function replayInto(model: BuildModel, scenario: string, id: string): Promise<void> {
  const dir = path.join(fixturesDir(), scenario);
  const bep = await readBepFile(path.join(dir, 'bep.json'));
  const log = await readExecLogFile(path.join(dir, 'exec.log.json'));
  for (const event of bep.events) model.applyEvent(id, event);
  model.applyExecLog(id, log.spawns);
  model.endInvocation(id, model.invocation(id)?.exitCode ?? null);
}

describe('Builds tree: group by location and workspace sections (extension host)', () => {
  let model: BuildModel;

  beforeEach(() => {
    model = new BuildModel();
  });

  afterEach(() => model.dispose());

  it('groups an invocation’s actions under where they ran, and back under targets', async () => {
    const tree = new BuildsTreeProvider(model, () => 20);
    await replayInto(model, '03-disk-cache-after-clean', 'cached');
    const [root] = tree.getChildren();
    tree.setGroupBy('location');
    const groups = tree.getChildren(root);
    assert.ok(groups.length > 0);
    assert.ok(groups.every((g) => g.kind === 'location'));
    const labels = groups.map((g) => String(tree.getTreeItem(g).label));
    assert.ok(labels.includes('disk cache hit'), labels.join(', '));
    let actions = 0;
    for (const group of groups) {
      for (const action of tree.getChildren(group)) {
        actions++;
        assert.equal(action.kind, 'action');
        assert.equal(tree.getParent(action)?.key, group.key);
      }
    }
    assert.equal(actions, model.actions('cached').length);
    // Only misses, grouped by location, of a fully cached build: nothing to show.
    tree.setFilter('misses');
    assert.deepEqual(tree.getChildren(root), []);
    tree.setFilter('all');
    tree.setGroupBy('target');
    assert.ok(tree.getChildren(root).every((n) => n.kind === 'target' || n.kind === 'action'));
    tree.dispose();
  });

  it('gives each open workspace its own section when more than one is open', async () => {
    await replayInto(model, '01-clean-build', 'first');
    const dir = model.invocation('first')?.workspaceDirectory;
    assert.ok(dir, 'the recording names its workspace');
    let roots = [dir];
    const tree = new BuildsTreeProvider(
      model,
      () => 20,
      () => roots,
    );
    // One workspace: no section level.
    assert.deepEqual(
      tree.getChildren().map((n) => n.kind),
      ['invocation'],
    );
    roots = ['/nowhere/else', dir];
    const sections = tree.getChildren();
    assert.deepEqual(
      sections.map((n) => n.kind),
      ['workspace', 'workspace'],
    );
    const [other, own] = sections;
    assert.deepEqual(tree.getChildren(other), []);
    const builds = tree.getChildren(own);
    assert.deepEqual(
      builds.map((n: BuildNode) => (n.kind === 'invocation' ? n.invocationId : n.kind)),
      ['first'],
    );
    assert.equal(tree.getParent(builds[0])?.key, own.key);
    // One folder open, the build's workspace nested inside it: a section of its own.
    roots = [path.dirname(dir)];
    assert.deepEqual(
      tree.getChildren().map((n) => (n.kind === 'workspace' ? n.root : n.kind)),
      [path.dirname(dir), dir],
    );
    roots = ['/nowhere/else', dir];
    tree.getChildren();
    const item = tree.getTreeItem(own);
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.match(String(item.description), /^1 build/);
    tree.dispose();
  });

  it('Clear History empties the history store on disk and the tree', async function () {
    const api = await activatedApi();
    // Runs in the e2e workspace folder, which never builds: record one invocation by hand.
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (folder === undefined) this.skip();
    const { HistoryStore } = await import('../../src/store');
    const store = HistoryStore.forWorkspace(folder);
    await replayInto(model, '01-clean-build', 'stored-one');
    const summary = model.summary('stored-one');
    assert.ok(summary);
    store.record(summary, null, (t) => t);
    api.context.tree.refreshAll();
    assert.equal(store.list().length, 1);
    await vscode.commands.executeCommand('remoteBuildLens.clearHistory');
    assert.deepEqual(store.list(), []);
    assert.deepEqual(api.context.tree.getChildren(), []);
  });
});
